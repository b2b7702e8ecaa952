#!/bin/sh
# The differential oracle: each workload runs once under Debian's strace
# (`strace -f -ff -yy`), itself run under ./trace, so both observe the
# same processes, pipes and sockets.  Per process and per object (a pipe
# by its inode; regular files and FIFOs together as "path"; unix, tcp,
# udp and message queues by kind) the bytes sent and received must agree,
# and so must the signals each process took and sent (./trace's side from
# the model's flows).  strace's sums: tests/oracle/strace_sums.pl;
# ./trace's: tests/oracle/trace_sums.jq.  A difference fails with a diff.
# SIGCHLD, SIGSTOP and SIGCONT are left out: a ptraced parent takes every
# SIGCHLD, and strace starts the command with SIGSTOP/SIGCONT.  The
# descriptors a child got over a unix socket (fd_pass) must count on the
# objects behind them, as strace -yy names them.
. "$(dirname "$0")/lib.sh"
require_recording jq strace perl make
build_workload dgram_to
build_workload fd_pass
CALLS=read,write,readv,writev,pread64,pwrite64,sendto,recvfrom,sendmsg,recvmsg,sendmmsg,recvmmsg
CALLS=$CALLS,msgsnd,msgrcv,mq_timedsend,mq_timedreceive
CALLS=$CALLS,kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,rt_sigtimedwait

# oracle NAME CMD...: run CMD under strace under ./trace into NAME/, print
# the lines both sides agree on to NAME.agreed; fail with a diff if they
# do not agree.
oracle() {
	name=$1; shift
	mkdir "$name" &&
	"$T" -q -o "$name/trace" strace -f -ff -yy -qq -s 0 -e abbrev="!sendmmsg,recvmmsg" -e trace=$CALLS -e signal=all \
		-o "$name/s" "$@" >"$name.stdout" 2>"$name.stderr" ||
		{ echo "trace or strace failed"; cat "$name.stderr"; return 1; }
	[ "$(json_get "$name/trace/report.json" .lost_events)" = 0 ] ||
		{ echo "events lost"; return 1; }
	pids=$(ls "$name" | sed -n 's/^s\.//p' | paste -sd '|')
	perl "$ROOT/tests/oracle/strace_sums.pl" "$name" s >"$name.strace" &&
	"$T" dump --json "$name/trace/trace.ipct" >"$name.dump" &&
	jq -r -s --slurpfile report "$name/trace/report.json" \
		-f "$ROOT/tests/oracle/trace_sums.jq" "$name.dump" |
		grep -E "^($pids) " >"$name.trace"
	if ! diff -u "$name.strace" "$name.trace" >"$name.diff"; then
		echo "strace (-) and ./trace (+) disagree on $*:"; cat "$name.diff"
		return 1
	fi
	# Matching: every byte a process read from a pipe or a Unix socket is
	# in a flow to it.
	sed -n 's/ \(pipe:[0-9]*\|unix\) recv / \1 delivered /p' "$name.strace" >"$name.sdel"
	jq -r '[.flows[] | select(.kind == "pipe" or .kind == "unix")
		| {k: "\(.to) \(if .kind == "pipe" then "pipe:\(.channel | split(":")[2])" else "unix" end)", b: .bytes}]
		| group_by(.k) | map("\(.[0].k) delivered \(map(.b) | add)") | .[]' \
		"$name/trace/report.json" | grep -E "^($pids) " | sort >"$name.tdel"
	if ! diff -u "$name.sdel" "$name.tdel" >"$name.diff"; then
		echo "bytes read (strace, -) and delivered by flows (+) differ on $*:"; cat "$name.diff"
		return 1
	fi
	cat "$name.sdel" >>"$name.strace"
	[ -s "$name.strace" ] || { echo "nothing compared"; return 1; }
	cp "$name.strace" "$name.agreed"
}

cd "$TEST_TMP" || exit 1
mkdir -p mk/sub
printf 'abc\ndef\nghi\n' >in.txt
cat >mk/Makefile <<'EOF'
all: up.txt rev.txt sub
up.txt: ../in.txt ; @tr a-z A-Z <../in.txt >up.txt
rev.txt: ../in.txt ; @sort -r ../in.txt | cat >rev.txt
sub: ; @$(MAKE) -s -C sub
.PHONY: sub
EOF
printf 'all: ; @seq 1 50 | wc -l >done.txt\n' >mk/sub/Makefile

test_expect_success 'shell pipeline: seq | sort | tr | wc > file' '
	oracle pipeline sh -c "seq 1 3000 | sort -r | tr 1 x | wc -c >$TEST_TMP/p.out"
'

test_expect_success 'a FIFO and files handed on by cat' '
	oracle fifo sh -c "mkfifo $TEST_TMP/f; cat $TEST_TMP/in.txt >$TEST_TMP/f &
		cat $TEST_TMP/f >$TEST_TMP/a; cat $TEST_TMP/a >$TEST_TMP/b; wait"
'

test_expect_success 'recursive make -j2' '
	oracle make make -s -j2 -C mk
'

test_expect_success 'perl: a socketpair, TCP and UDP across forks' '
	oracle sockets perl "$ROOT/tests/workloads/oracle_sockets.pl" &&
	grep -qx "reply ok:15" sockets.stdout
'

test_expect_success 'unix datagrams to a path and an abstract name, sendmmsg/recvmmsg' '
	mkdir dg && oracle dgram "$TEST_TMP/dgram_to" "$TEST_TMP/dg" 16 &&
	[ "$(grep -c " unix " dgram.agreed)" = 6 ]
'

test_expect_success 'SCM_RIGHTS: a pipe, a file, a socket and a TCP connection handed to a child' '
	oracle fdpass "$TEST_TMP/fd_pass" "$TEST_TMP/fdpass.data" &&
	child=$(sed -n "s/^parent [0-9]* child \([0-9]*\) .*/\1/p" fdpass.stdout) &&
	[ "$(grep -c "^$child pipe:[0-9]* \(recv\|delivered\) 5$" fdpass.agreed)" = 2 ] &&
	grep -qx "$child path recv 7" fdpass.agreed &&
	grep -qx "$child unix send 9" fdpass.agreed
'

test_expect_success 'perl: ignored, caught, blocked and fatal signals' '
	oracle signals perl "$ROOT/tests/workloads/signal_mix.pl" &&
	grep -q " took SIGTERM" signals.agreed && grep -q " took SIGUSR1" signals.agreed
'

for demo in pipe_sum fifo_sum file_sum msgq_sum posix_mq_sum sem_sum shm_sum \
	    posix_shm_sum signal_sum socket_sum; do
	test_expect_success "sum demo: $demo" "
		oracle $demo $D/$demo -n 200 -p 3
	"
done

cat "$TEST_TMP"/*.agreed >"$TEST_TMP/all.agreed" 2>/dev/null
echo "# agreed with strace: $(grep -c " send \| recv " "$TEST_TMP/all.agreed") (process, object, direction) byte sums," \
	"$(grep -c " delivered " "$TEST_TMP/all.agreed") pipe and unix read totals fully explained by flows,"  \
	"$(awk '/ send | recv /{s+=$4} END{print s+0}' "$TEST_TMP/all.agreed") bytes," \
	"$(grep -c " took " "$TEST_TMP/all.agreed") signals taken, $(grep -c " sent " "$TEST_TMP/all.agreed") sent"
test_done
