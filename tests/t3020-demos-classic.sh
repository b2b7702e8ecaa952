#!/bin/sh
# t3020-demos-classic: the classic two-party examples in demos/classic/
# print exactly what they should, byte counts included, reject bad
# arguments with exit 2, and leave no IPC object behind.

. "$(dirname "$0")/lib.sh"

C=$ROOT/demos/classic
mkdir "$TEST_TMP/tmp" && export TMPDIR="$TEST_TMP/tmp"
# Keys private to this run (SysV keys are system-wide).
KEY=$(( ($$ % 100000) * 10 + 1000000 ))

# queue_made KEY: wait (10 s at most) until the queue KEY exists: the
# receiver made it, so its signal handlers are in place too.
queue_made() {
	for i in $(seq 200); do
		ipcs -q | grep -qi "$(printf "0x%08x" $1)" && return 0
		sleep 0.05
	done
	echo "queue $1 never appeared"; return 1
}

test_expect_success 'the classic examples are built' '
	for p in pipe_hello msgq_send msgq_recv shm_write shm_read signal_handler \
		 sem_mutex echo_server echo_client file_handoff; do
		test -x "$C/$p" || { echo "missing $C/$p (run make)"; exit 1; }
	done
'

test_expect_success 'pipe_hello: the child gets "Hello Child Process!" (20 bytes)' '
	"$C/pipe_hello" >out &&
	printf "%s\n" "parent: sent 20 bytes" \
		"child: received 20 bytes: Hello Child Process!" >want &&
	cmp want out
'

test_expect_success 'pipe_hello: counts the real bytes of any message' '
	"$C/pipe_hello" "héllo, wörld" >out &&
	printf "%s\n" "parent: sent 14 bytes" \
		"child: received 14 bytes: héllo, wörld" >want &&
	cmp want out
'

test_expect_success 'msgq_send then msgq_recv: messages wait in the queue' '
	"$C/msgq_send" -k $KEY "Hello" "message queues" >out1 &&
	printf "%s\n" "msgq_send: sent '\''Hello'\'' (5 bytes)" \
		"msgq_send: sent '\''message queues'\'' (14 bytes)" \
		"msgq_send: sent end marker" >want1 &&
	cmp want1 out1 &&
	test "$(ipcs -q | grep -ci "$(printf "0x%08x" $KEY)")" -eq 1 &&
	"$C/msgq_recv" -k $KEY >out2 &&
	printf "%s\n" "msgq_recv: received '\''Hello'\'' (5 bytes)" \
		"msgq_recv: received '\''message queues'\'' (14 bytes)" \
		"msgq_recv: 2 messages, queue removed" >want2 &&
	cmp want2 out2 &&
	test "$(ipcs -q | grep -ci "$(printf "0x%08x" $KEY)")" -eq 0
'

test_expect_success 'msgq_recv first, msgq_send later: the receiver waits' '
	"$C/msgq_recv" -k $((KEY + 1)) >out2 &
	pid=$!
	queue_made $((KEY + 1)) &&
	"$C/msgq_send" -k $((KEY + 1)) "late" >/dev/null &&
	wait $pid &&
	printf "%s\n" "msgq_recv: received '\''late'\'' (4 bytes)" \
		"msgq_recv: 1 messages, queue removed" >want2 &&
	cmp want2 out2 &&
	test "$(ipcs -q | grep -ci "$(printf "0x%08x" $((KEY + 1)))")" -eq 0
'

test_expect_code 1 'msgq_recv interrupted by SIGTERM removes its queue' '
	"$C/msgq_recv" -k $((KEY + 2)) >out 2>err &
	pid=$!
	queue_made $((KEY + 2)) && kill -TERM $pid
	wait $pid
	rc=$?
	grep -q "interrupted, queue removed" err &&
	test "$(ipcs -q | grep -ci "$(printf "0x%08x" $((KEY + 2)))")" -eq 0 &&
	exit $rc
'

test_expect_success 'shm_write then shm_read: the text survives the writer' '
	"$C/shm_write" -k $KEY "Hello shared memory" >out1 &&
	id=$(sed -n "s/.*to segment \([0-9]*\)$/\1/p" out1) &&
	echo "shm_write: wrote '\''Hello shared memory'\'' (19 bytes) to segment $id" >want1 &&
	cmp want1 out1 &&
	"$C/shm_read" -k $KEY >out2 &&
	echo "shm_read: read '\''Hello shared memory'\'' (19 bytes) from segment $id" >want2 &&
	cmp want2 out2 &&
	test "$(ipcs -m | grep -ci "$(printf "0x%08x" $KEY)")" -eq 0
'

test_expect_code 1 'shm_read without a writer fails' '
	"$C/shm_read" -k $((KEY + 3))
'

test_expect_success 'signal_handler: the parent catches SIGUSR1 from its child' '
	"$C/signal_handler" >out &&
	test $(wc -l <out) -eq 3 &&
	parent=$(sed -n "1s/^parent \([0-9]*\): handler installed, waiting for SIGUSR1$/\1/p" out) &&
	child=$(sed -n "2s/^child \([0-9]*\): sending SIGUSR1 to parent $parent$/\1/p" out) &&
	test -n "$parent" && test -n "$child" &&
	sed -n 3p out >line3 &&
	echo "parent $parent: caught SIGUSR1 from pid $child" >want &&
	cmp want line3
'

# alternates FILE: "entered"/"leaving" lines strictly alternate, same process.
alternates() {
	awk '
		/entered$/ { if (inside) bad = 1; inside = $2; next }
		/leaving$/ { if (inside != $2) bad = 1; inside = ""; next }
		END { exit bad || inside != "" }
	' "$1"
}

test_expect_success 'sem_mutex: 2 processes x 3 rounds, never two inside' '
	"$C/sem_mutex" >out &&
	test $(grep -c "entered$" out) -eq 6 &&
	test $(grep -c "leaving$" out) -eq 6 &&
	alternates out &&
	tail -n 1 out >last && echo "sem_mutex: 6 entries, 0 overlaps" >want &&
	cmp want last
'

test_expect_success 'sem_mutex: 4 processes x 2 rounds' '
	"$C/sem_mutex" -p 4 -r 2 >out &&
	alternates out &&
	tail -n 1 out >last && echo "sem_mutex: 8 entries, 0 overlaps" >want &&
	cmp want last
'

test_expect_success 'sem_mutex --no-lock: the overlaps show (exit 1)' '
	"$C/sem_mutex" --no-lock -p 4 -r 3 >out
	test $? -eq 1 && ! alternates out &&
	grep -q "^sem_mutex: [0-9]* entries, [1-9][0-9]* overlaps$" out
'

test_expect_success 'echo_server and echo_client: bytes come back' '
	"$C/echo_server" -c 2 >server &
	pid=$!
	for i in $(seq 50); do grep -q listening server && break; sleep 0.1; done
	port=$(sed -n "s/^echo_server: listening on 127.0.0.1:\([0-9]*\)$/\1/p" server) &&
	test -n "$port" &&
	"$C/echo_client" $port hello "echo world" >client1 &&
	"$C/echo_client" $port x >client2 &&
	wait $pid &&
	printf "%s\n" "echo_client: sent 5 bytes, got back '\''hello'\''" \
		"echo_client: sent 10 bytes, got back '\''echo world'\''" >want1 &&
	cmp want1 client1 &&
	echo "echo_client: sent 1 bytes, got back '\''x'\''" >want2 &&
	cmp want2 client2 &&
	printf "%s\n" "echo_server: listening on 127.0.0.1:$port" \
		"echo_server: client 1: echoed 15 bytes" \
		"echo_server: client 2: echoed 1 bytes" >want3 &&
	cmp want3 server
'

test_expect_success 'echo_server stops cleanly on SIGINT' '
	"$C/echo_server" >server &
	pid=$!
	for i in $(seq 200); do grep -q listening server && break; sleep 0.1; done
	kill -INT $pid && wait $pid; rc=$?; cat server; echo "exit $rc";
	[ $rc = 0 ] &&
	tail -n 1 server >last && echo "echo_server: stopped by signal 2" >want &&
	cmp want last
'

test_expect_code 1 'echo_client without a server fails' '
	"$C/echo_server" -c 1 >server &
	pid=$!
	for i in $(seq 50); do grep -q listening server && break; sleep 0.1; done
	port=$(sed -n "s/.*127.0.0.1:\([0-9]*\)$/\1/p" server)
	kill -TERM $pid; wait $pid
	"$C/echo_client" $port hi
'

test_expect_success 'file_handoff: the reader gets the whole file' '
	"$C/file_handoff" >out &&
	printf "%s\n" "writer: wrote 16 bytes" \
		"reader: got 16 bytes: The answer is 42" >want &&
	cmp want out &&
	"$C/file_handoff" "a b  c" >out &&
	printf "%s\n" "writer: wrote 6 bytes" "reader: got 6 bytes: a b  c" >want &&
	cmp want out &&
	test -z "$(ls -A "$TMPDIR")"
'

test_expect_success 'bad arguments exit 2 with a usage line' '
	for cmd in "pipe_hello a b" "msgq_send" "msgq_send -k 0 x" "msgq_send -k x y" \
		   "msgq_recv -k" "msgq_recv extra" "shm_write" "shm_write -k -1 x" \
		   "shm_read -k 99999999999" "signal_handler x" "sem_mutex -p 0" \
		   "sem_mutex -r 65" "sem_mutex -x" "echo_server 70000" \
		   "echo_server -c 0" "echo_client" "echo_client 0 x" \
		   "echo_client port x" "file_handoff a b"; do
		$C/$cmd >out 2>err
		rc=$?
		test $rc -eq 2 && grep -q "^usage: ${cmd%% *}" err || {
			echo "$cmd: exit $rc"; cat out err; exit 1; }
	done
'

test_expect_success 'no IPC object with our keys is left' '
	for k in 0 1 2 3; do
		! ipcs | grep -qi "$(printf "0x%08x" $((KEY + k)))" || exit 1
	done
'

test_done
