#!/bin/sh
# Descriptors passed over a unix socket (SCM_RIGHTS) are flows "A handed
# fd N -> object X to B (as fd M)": tests/workloads/fd_pass.c hands the
# read end of a pipe, a file, one end of a socketpair and an accepted TCP
# connection to its child in one message and prints the descriptor
# numbers on both sides; the child then reads 5 bytes from the pipe and 7
# from the file, writes 9 into the socket and 8 into the connection.  What the child does through a received descriptor must land
# on the very object that was handed over.
. "$(dirname "$0")/lib.sh"
require_recording jq
build_workload fd_pass

test_expect_success 'four descriptors handed, numbers and objects exact' '
	"$T" -q -o fp "$TEST_TMP/fd_pass" "$PWD/fp.data" >fp.out &&
	[ "$(json_get fp/report.json .lost_events)" = 0 ] &&
	read -r _ parent _ child _ s1 s2 s3 s4 <<-EOF &&
	$(grep "^parent " fp.out)
	EOF
	read -r _ r1 r2 r3 r4 <<-EOF &&
	$(grep "^got " fp.out)
	EOF
	jq -r ".fd_passes[] | \"\(.from) \(.to) \(.from_fd) \(.to_fd) \(.kind)\"" fp/report.json |
		sort >got &&
	sort >want <<-EOF &&
	$parent $child $s1 $r1 pipe
	$parent $child $s2 $r2 file
	$parent $child $s3 $r3 unix
	$parent $child $s4 $r4 tcp
	EOF
	diff -u want got &&
	[ "$(json_get fp/report.json .not_followed.passed_fds)" = 0 ]
'

# the object a pass of KIND handed, and the flow on it: "FROM TO MSGS BYTES"
passed() {
	jq -r ".fd_passes[] | select(.kind == \"$1\") | .object" fp/report.json
}
flow_on() {
	jq -r --arg c "$1" ".flows[] | select(.channel == \$c) | \"\(.from) \(.to) \(.messages) \(.bytes)\"" \
		fp/report.json
}

test_expect_success 'what the child does through them joins the objects handed' '
	read -r _ parent _ child _ <<-EOF &&
	$(grep "^parent " fp.out)
	EOF
	pipe=$(passed pipe) && file=$(passed file) && sock=$(passed unix) && tcp=$(passed tcp) &&
	case $pipe in pipe:*) ;; *) false ;; esac &&
	case $tcp in tcp:127.0.0.1:*-127.0.0.1:*) ;; *) false ;; esac &&
	[ "$(flow_on "$tcp")" = "$child $parent 1 8" ] &&
	[ "$(flow_on "$pipe")" = "$parent $child 1 5" ] &&
	[ "$(flow_on "$file")" = "$parent $child 1 7" ] &&
	[ "$(flow_on "$sock")" = "$child $parent 1 9" ] &&
	[ "$(jq -r ".channels[] | select(.id == \"$file\") | .name" fp/report.json)" = "$PWD/fp.data" ] &&
	via=$(jq -r "[.fd_passes[].via] | unique | .[]" fp/report.json) &&
	[ "$(flow_on "$via")" = "$parent $child 1 1" ]
'

test_expect_success 'the text report, the dump and the graph say it' '
	"$T" report fp/trace.ipct >rep &&
	grep -q "^descriptors passed (4):" rep &&
	[ "$(grep -c " fd_pass: fd [0-9]* → fd [0-9]*, " rep)" = 4 ] &&
	grep -q "pipe:[0-9:]* via unix:" rep &&
	"$T" dump fp/trace.ipct >dump &&
	grep -q "scm_rights socket=[0-9]*<UNIX-STREAM:.*dir=sent fd1=[0-9]*<pipe:" dump &&
	grep -q "scm_rights socket=[0-9]*<UNIX-STREAM:.*dir=received fd1=[0-9]*<pipe:.* passed=4" dump &&
	"$T" graph --format dot -o g.dot fp/trace.ipct &&
	[ "$(grep -c "label=\"handed fd" g.dot)" = 4 ] &&
	[ "$(grep -c "arrowhead=odiamond" g.dot)" = 4 ]
'

test_expect_success 'python socket.send_fds: a pipe handed to a child' '
	cat >pass.py <<-\PY &&
	import os, socket
	a, b = socket.socketpair()
	r, w = os.pipe()
	pid = os.fork()
	if pid == 0:
	    a.close()
	    msg, fds, flags, addr = socket.recv_fds(b, 16, 4)
	    got = os.read(fds[0], 100)
	    print("child", os.getpid(), fds[0], len(got), flush=True)
	    os._exit(0)
	b.close()
	socket.send_fds(a, [b"x"], [r])
	os.write(w, b"twelve bytes")
	os.waitpid(pid, 0)
	print("parent", os.getpid(), r, flush=True)
	PY
	"$T" -q -o py python3 pass.py >py.out &&
	read -r _ child cfd n <<-EOF &&
	$(grep "^child " py.out)
	EOF
	read -r _ parent pfd <<-EOF &&
	$(grep "^parent " py.out)
	EOF
	[ "$n" = 12 ] &&
	[ "$(jq -r ".fd_passes[] | \"\(.from) \(.to) \(.from_fd) \(.to_fd) \(.kind)\"" py/report.json)" = \
	  "$parent $child $pfd $cfd pipe" ] &&
	pipe=$(jq -r ".fd_passes[0].object" py/report.json) &&
	[ "$(jq -r --arg c "$pipe" ".flows[] | select(.channel == \$c) | \"\(.from) \(.to) \(.bytes)\"" py/report.json)" = \
	  "$parent $child 12" ]
'

test_expect_success 'ten descriptors in one message: 8 followed, 2 counted' '
	cat >ten.py <<-\PY &&
	import os, socket
	a, b = socket.socketpair()
	fds = [os.open("/dev/null", os.O_RDONLY) for i in range(10)]
	pid = os.fork()
	if pid == 0:
	    msg, got, flags, addr = socket.recv_fds(b, 16, 16)
	    print("child", os.getpid(), len(got), flush=True)
	    os._exit(0)
	socket.send_fds(a, [b"x"], fds)
	os.waitpid(pid, 0)
	PY
	"$T" -q -o ten python3 ten.py >ten.out &&
	read -r _ child n <ten.out &&
	[ "$n" = 10 ] &&
	[ "$(jq "[.fd_passes[] | select(.to == $child and .kind == \"none\" and .object == null)] | length" ten/report.json)" = 8 ] &&
	[ "$(json_get ten/report.json .not_followed.passed_fds)" = 2 ] &&
	"$T" report ten/trace.ipct | grep -q "(+2 descriptors past the first 8 of a message, not followed)"
'

test_expect_success '-e pipe alone records no descriptor passing' '
	"$T" -q -e pipe -o onlypipe "$TEST_TMP/fd_pass" "$PWD/fp2.data" >/dev/null &&
	[ "$(jq ".fd_passes | length" onlypipe/report.json)" = 0 ]
'
test_done
