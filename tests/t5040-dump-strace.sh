#!/bin/sh
# `trace dump` reads as strace: the same calls, recorded once by both
# (strace runs under the tracer), give the same call names, descriptors
# (3<pipe:[45991]>, as strace -yy), decoded flags, signal names and errno
# names; --json gives one object per line with the same facts.
. "$(dirname "$0")/lib.sh"
require_recording strace
build_workload dump_calls

# Reduce a line of strace or of the dump to what both must agree on: the
# call, every descriptor with what it is, the words in capitals (flags,
# signals, si_code), and the result; addresses, buffers and numbers that
# only one side prints are left out.
cat >"$TEST_TMP/norm.pl" <<'EOP'
while (<>) {
	s/^\s*[\d.]+\s+\d+\/\d+\s+//;   # dump: time pid/tid
	s/^\d+\s+//;                     # strace -f: pid
	s/ <[\d.]+>$//;                  # strace -T / dump duration
	s/"(?:[^"\\]|\\.)*"(\.\.\.)?//g; # strings
	s/AT_FDCWD<[^>]*>/AT_FDCWD/g;    # strace -yy: the cwd (a scratch name may look like a flag)
	my ($call) = /^(---\s+\w+|\w+)/ or next;
	my ($args, $ret) = /^[^(]*\((.*)\)\s+=\s+(.*?)\s*$/;
	$args = $_ unless defined $args;
	my @fds = $args =~ /\b(\d+<[^>]*>)/g;
	my @words = grep { !/^(AT_FDCWD|NULL)$/ } $args =~ /\b([A-Z][A-Z0-9_]*(?:\|[A-Z0-9_]+)*)\b/g;
	$ret = "" unless defined $ret;
	$ret =~ s/ \(.*\)$// if $ret =~ /^-1 E/;
	print join(" ", $call, @fds, @words, "=", $ret), "\n";
}
EOP

test_expect_success 'record the workload under strace, under the tracer' '
	mkdir w && "$T" -q -o d strace -f -qq -yy -o s.log "$TEST_TMP/dump_calls" "$TEST_TMP/w" &&
	pid=$(grep -m1 "pipe2(" s.log | cut -d" " -f1) && test -n "$pid" && echo $pid >pid &&
	"$T" dump --pid $pid d >dump.txt && "$T" dump --json --pid $pid d >dump.json &&
	test -s dump.txt
'
pid=$(cat "$TEST_TMP/pid" 2>/dev/null)

# expect CALL-PATTERN: the line of strace and the line of the dump for
# the first call matching the extended regex agree once reduced.
same() {
	grep "^$pid " s.log | grep -E -m1 "$1" | perl norm.pl >want &&
	grep -E -m1 "$1" dump.txt | perl norm.pl >got &&
	echo "strace: $(cat want)" && echo "dump:   $(cat got)" &&
	test -s want && cmp want got
}
test_expect_success 'pipe2: both descriptors named, O_NONBLOCK|O_CLOEXEC' '
	same "pipe2\(" && grep -q "O_NONBLOCK|O_CLOEXEC" got
'
test_expect_success 'a read of the empty pipe: -1 EAGAIN' '
	same "read\([0-9]+<pipe:.*EAGAIN" && grep -Eq "^read [0-9]+<pipe:\[[0-9]+\]> = -1 EAGAIN$" got
'
test_expect_success 'a write and a read of "hello" on the pipe' '
	same "write\([0-9]+<pipe:.*= 5" && same "read\([0-9]+<pipe:.*= 5" &&
	grep -Eq "write\([0-9]+<pipe:\[[0-9]+\]>, \"hello\", 5\) = 5 <[0-9.]+>$" dump.txt
'
test_expect_success 'a write to the closed pipe: -1 EPIPE (Broken pipe)' '
	same "write\(.*EPIPE" && grep -q "= -1 EPIPE (Broken pipe) <" dump.txt
'
test_expect_success 'openat: the path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, the fd named by its path' '
	same "openat\(.*/w/f" && grep -q "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC" got &&
	same "write\([0-9]+</.*/w/f>"
'
test_expect_success 'SysV queue: msgget IPC_PRIVATE, IPC_CREAT|0600; IPC_NOWAIT; ENOMSG; IPC_RMID' '
	same "msgget\(" && grep -q "IPC_PRIVATE IPC_CREAT" got &&
	grep -q "msgget(IPC_PRIVATE, IPC_CREAT|0600) = [0-9]" dump.txt &&
	same "msgsnd\(" && grep -q IPC_NOWAIT got &&
	same "msgrcv\(.*ENOMSG" && grep -q "IPC_NOWAIT = -1 ENOMSG" got &&
	same "msgctl\(" && grep -q IPC_RMID got
'
test_expect_success 'sendto and recvfrom with MSG_DONTWAIT on a socketpair' '
	grep -E -m1 "sendto\(" dump.txt | grep -Eq "sendto\([0-9]+<UNIX-STREAM:\[[0-9]+->[0-9]+\]>, \"sock\", 4, MSG_DONTWAIT\) = 4" &&
	grep -E -m1 "recvfrom\(" dump.txt | grep -q "MSG_DONTWAIT) = 4"
'
test_expect_success 'kill(self, SIGUSR1) and its delivery, named as strace names them' '
	same "kill\(.*SIGUSR1" && grep -q "^kill SIGUSR1 = 0$" got &&
	grep "^$pid " s.log | grep -m1 -- "--- SIGUSR1" | perl norm.pl >want &&
	grep -m1 -- "--- SIGUSR1 .* action=handler" dump.txt | sed "s/ action=handler//" | perl norm.pl >got &&
	cat want got && cmp want got
'
test_expect_success '--json: one object per line, the same calls' '
	[ "$(wc -l <dump.json)" = "$(wc -l <dump.txt)" ] &&
	jq -s length dump.json >/dev/null &&
	[ "$(jq -r "select(.name == \"write\" and .errno == \"EPIPE\") | .ret" dump.json)" = -32 ] &&
	[ "$(jq -r "select(.name == \"pipe2\") | .args.flags" dump.json)" = "O_NONBLOCK|O_CLOEXEC" ] &&
	jq -r "select(.name == \"write\" and .ret == 5) | .args.fd_name" dump.json | head -1 |
		grep -Eq "^pipe:\[[0-9]+\]$" &&
	[ "$(jq -r "select(.name == \"sendto\") | .args.flags" dump.json)" = MSG_DONTWAIT ]
'
test_expect_success 'dump of a run directory equals dump of its trace file' '
	"$T" dump d/trace.ipct | cmp - "$("$T" dump d >x; echo x)"
'
test_done
