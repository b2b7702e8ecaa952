#!/bin/sh
# poll, ppoll, select (pselect6), epoll_ctl and epoll_wait are recorded
# with their descriptors, what each is, what came back ready, the
# timeout and the result: tests/workloads/waits.c waits in each for a
# child that writes one byte 60 ms later, and prints the descriptor, the
# child's pid and the epoll data, which the dump must show.  The report
# charges each wait to the channel that became ready and to the child
# whose write ended it (report --waits, report.json, the critical path).
. "$(dirname "$0")/lib.sh"
require_root
require_btf
T="$ROOT/trace"
cc -O2 -Wall -Wextra -o "$TEST_TMP/waits" "$ROOT/tests/workloads/waits.c" ||
	{ echo "Bail out! cannot build tests/workloads/waits.c"; exit 1; }

test_expect_success 'record the waits' '
	"$T" -q -o d ./waits >out.txt && "$T" dump d >dump.txt &&
	grep -q "^poll fd=" out.txt && grep -q "^epoll_wait fd=" out.txt
'

# the pipe the Nth pipe() call made, as pipe:[INO]
nth_pipe() {
	grep -E "pipe\(\[" dump.txt | sed -n "${1}p" | sed -E "s/.*(pipe:\[[0-9]+\]).*/\1/"
}

test_expect_success 'poll: the pipe, POLLIN asked and ready, no timeout, 1 ready' '
	fd=$(sed -n "s/^poll fd=\([0-9]*\) .*/\1/p" out.txt) && p=$(nth_pipe 1) &&
	grep -F "poll([{fd=$fd<$p>, events=POLLIN, revents=POLLIN}], 1, -1) = 1 <" dump.txt
'
test_expect_success 'poll: it waited for the 60 ms the child slept' '
	line=$(grep -F "  poll([{fd=" dump.txt) &&
	d=$(echo "$line" | sed -E "s/.*<([0-9.]+)>$/\1/") &&
	awk -v d="$d" "BEGIN { exit !(d >= 0.055) }"
'
test_expect_success 'ppoll: the 10 ms timeout as a timespec, nothing ready, 0' '
	p=$(nth_pipe 1) &&
	grep -F "ppoll([{fd=3<$p>, events=POLLIN, revents=0}], 1, {tv_sec=0, tv_nsec=10000000}) = 0 <" dump.txt
'
test_expect_success 'select: nfds, the read set as POLLIN, no timeout (NULL), 1 ready' '
	fd=$(sed -n "s/^select fd=\([0-9]*\) .*/\1/p" out.txt) && p=$(nth_pipe 2) &&
	grep -F "pselect6($((fd + 1)), [{fd=$fd<$p>, events=POLLIN, revents=POLLIN}], NULL) = 1 <" dump.txt
'
test_expect_success 'epoll_ctl: the socket registered under the data the program gave' '
	fd=$(sed -n "s/^epoll_wait fd=\([0-9]*\) .*/\1/p" out.txt) &&
	grep -E "epoll_ctl\([0-9]+<anon_inode:\[eventpoll\]>, EPOLL_CTL_ADD, $fd<UNIX-STREAM:\[[0-9]+\]>, \{events=EPOLLIN, data=0xabc\}\) = 0 <" dump.txt
'
test_expect_success 'epoll_wait: the ready event with its data, maxevents, the 5 s timeout' '
	grep -E "epoll_wait\([0-9]+<anon_inode:\[eventpoll\]>, \[\{events=EPOLLIN, data=0xabc\}\], 4, 5000\) = 1 <" dump.txt
'
test_expect_success 'dump --json: the poll with its descriptor, events and result' '
	"$T" dump --json d | grep "\"name\":\"poll\"" >poll.json &&
	grep -q "\"fd0\":3,\"fd0_name\":\"pipe:\[" poll.json &&
	grep -q "\"events0\":\"POLLIN\",\"revents0\":\"POLLIN\"" poll.json &&
	grep -q "\"ret\":1" poll.json
'
# the descriptor of the round named CALL in out.txt
fd_of() {
	sed -n "s/^$1 fd=\\([0-9]*\\) .*/\\1/p" out.txt
}

# the child of the round named CALL in out.txt
peer_of() {
	sed -n "s/^$1 fd=[0-9]* peer=\([0-9]*\).*/\1/p" out.txt
}

test_expect_success 'report --waits: each wait on the channel that became ready, for the child that wrote' '
	"$T" report --waits d >w.txt && cat w.txt &&
	parent=$(sed -n "s/^ *\([0-9.]*\) *\([0-9]*\)\/.*  poll(\[{fd=.*/\2/p" dump.txt) && test -n "$parent" &&
	p1=$(nth_pipe 1 | tr -d "pipe:[]") && p2=$(nth_pipe 2 | tr -d "pipe:[]") &&
	grep -E "^  $parent waits waited 1 time, [0-9.]+ ms in poll on pipe:[0-9]+:$p1 for $(peer_of poll) waits$" w.txt &&
	grep -E "^  $parent waits waited 1 time, [0-9.]+ ms in pselect6 on pipe:[0-9]+:$p2 for $(peer_of select) waits$" w.txt &&
	grep -E "^  $parent waits waited 1 time, [0-9.]+ ms in epoll_wait on unix:[0-9]+-[0-9]+ for $(peer_of epoll_wait) waits$" w.txt &&
	test "$(grep -c " waited 1 time" w.txt)" = 3 &&
	! grep -q "not counted: poll" w.txt
'
test_expect_success 'report.json: the three waits with call, channel, peer and at least 55 ms each' '
	"$T" report --json d | jq -c "[.processes[] | .waits[] | [.call, .peer, (.ns >= 55000000)]] | sort" >j.txt &&
	cat j.txt &&
	test "$(cat j.txt)" = "[[\"epoll_wait\",$(peer_of epoll_wait),true],[\"poll\",$(peer_of poll),true],[\"pselect6\",$(peer_of select),true]]"
'
test_expect_success 'the critical path goes through each writer while the parent waited' '
	"$T" report --critical-path d >cp.txt &&
	for c in poll select epoll_wait; do
		grep -E " $(peer_of $c) waits ran [0-9.]+ ms$" cp.txt || exit 1
	done &&
	! grep "unrecorded" cp.txt
'
test_expect_success '--pid of one writer and --window: the waits follow the filter' '
	"$T" report --waits --pid $(peer_of poll) d >f.txt && ! grep -q " waited 1 time" f.txt &&
	"$T" report --json d | jq ".processes[] | select(.waits | length > 0) | .pid" >pp &&
	"$T" report --waits --pid $(cat pp) --window 0,1ms d >f2.txt && ! grep -q " waited 1 time" f2.txt
'

test_expect_success 'timeline: a block per wait, naming the call and the channel that became ready' '
	"$T" timeline d -o tl.svg && grep -o "<title>waiting in [^<]*" tl.svg >titles.txt &&
	cat titles.txt && p1=$(nth_pipe 1 | tr -d "pipe:[]") && p2=$(nth_pipe 2 | tr -d "pipe:[]") &&
	grep -E "^<title>waiting in poll, [0-9.]+ ms, until pipe:[0-9]+:$p1 \(fd $(fd_of poll)\) was ready$" titles.txt &&
	grep -E "^<title>waiting in pselect6, [0-9.]+ ms, until pipe:[0-9]+:$p2 \(fd $(fd_of select)\) was ready$" titles.txt &&
	grep -E "^<title>waiting in epoll_wait, [0-9.]+ ms, until unix:[0-9]+-[0-9]+ \(fd $(fd_of epoll_wait)\) was ready$" titles.txt &&
	test "$(grep -c "class=\"recv wait " tl.svg)" = 3 &&
	grep -q "waiting in poll (pipe ready)" tl.svg
'
test_expect_success 'timeline --all: the ppoll that timed out too' '
	"$T" timeline --all d -o all.svg && grep "<title>waiting in ppoll, [0-9.]* ms: timed out" all.svg
'

test_expect_success 'no wait is recorded with -e sem (waits follow the stream kinds)' '
	"$T" -q -e sem -o e ./waits >/dev/null && "$T" dump e >e.txt &&
	! grep -E "poll\(|select|epoll" e.txt
'

test_done
