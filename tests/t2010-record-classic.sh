#!/bin/sh
# End to end, the classic two-party examples (demos/classic/): trace each
# and check the JSON report against what the programs did, message by
# message.  The unrelated pairs (message queue, shared memory, TCP echo)
# run under one `sh -c` so that both are descendants; the shell's own
# SIGCHLD signals (one per child, fewer when two exits coalesce) are left
# out of the flow comparisons there.
. "$(dirname "$0")/lib.sh"
require_recording jq
C="$ROOT/demos/classic"
KEY=$((100000 + $$))		# SysV keys private to this run

# free_port: a TCP port below the ephemeral range that nothing listens on.
free_port() {
	_p=$((20000 + $$ % 10000))
	while cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -qi ":$(printf %04X $_p) "; do
		_p=$((_p + 1))
	done
	echo $_p
}
PORT=$(free_port)

# comms REPORT: a JSON map pid -> comm (the wrappers' programs are unique).
comms() {
	jq -c '[.processes[] | {key: (.pid | tostring), value: .comm}] | from_entries' "$1"
}

# procs REPORT LIST: the sorted comms of the processes (sleep left out).
procs() {
	jq -r '[.processes[].comm | select(. != "sleep")] | sort | join(" ")' "$1"
}

# record_pair OUT SCRIPT SAYS PROCS: record_clean `sh -c SCRIPT` into OUT;
# its output has a line matching SAYS and its processes are PROCS (procs).
record_pair() {
	record_clean "$1" sh -c "$2" &&
	{ grep -q "$3" "$1.stdout" || { echo "no '$3' in:"; cat "$1.stdout"; return 1; }; } &&
	same processes "$(procs "$r")" "$4"
}

# pair_flows REPORT: report_flows but the wrapper shell's signals, pids
# named by comm.
pair_flows() {
	report_flows "$1" "$(comms "$1")" 'select(.kind != "signal")'
}

test_expect_success 'pipe_hello: 2 processes, the parent sends 20 bytes to the child' '
	record_clean ph "$C/pipe_hello" &&
	grep -q "child: received 20 bytes" ph.stdout &&
	[ "$(json_get ph/report.json ".processes | length")" = 2 ] &&
	same flows "$(report_flows ph/report.json)" "pipe root w0 1 20" &&
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")] | length" ph/report.json)" = 1 ]
'
test_expect_success 'pipe_hello MSG: the byte count follows the message' '
	record_clean ph2 "$C/pipe_hello" "a message of 30 bytes, exactly" &&
	same flows "$(report_flows ph2/report.json)" "pipe root w0 1 30"
'
test_expect_success 'signal_handler: one SIGUSR1 from the child to the parent' '
	record_clean sig "$C/signal_handler" &&
	grep -q "caught SIGUSR1 from pid" sig.stdout &&
	[ "$(json_get sig/report.json ".processes | length")" = 2 ] &&
	same flows "$(report_flows sig/report.json)" "signal w0 root 1 0"
'
test_expect_success 'file_handoff: the parent writes 16 bytes, the child reads them' '
	record_clean fh "$C/file_handoff" &&
	grep -q "reader: got 16 bytes" fh.stdout &&
	[ "$(json_get fh/report.json ".processes | length")" = 2 ] &&
	same flows "$(report_flows fh/report.json)" "file root w0 1 16"
'
# Each holder sleeps 20 ms inside, so the other is always waiting: the
# entries alternate (first holder X: X Y X Y X Y) and every V releases the
# waiting P: X->Y three times, Y->X twice.  The shared anonymous page
# holding the lock and the counters: each worker writes it, the one that
# touched it first to the other, both to the root that reads it last
# (estimated page flows).
test_expect_success 'sem_mutex -p 2 -r 3: the lock passes 5 times between the 2 workers' '
	record_clean sm "$C/sem_mutex" -p 2 -r 3 &&
	grep -q "6 entries, 0 overlaps" sm.stdout &&
	r=sm/report.json &&
	[ "$(json_get $r ".processes | length")" = 3 ] &&
	got=$(report_flows $r "" "select(.kind == \"shm\")") &&
	{ same flows "$got" "shm w0 root 1 0
shm w0 w1 1 0
shm w1 root 1 0" || same flows "$got" "shm w0 root 1 0
shm w1 root 1 0
shm w1 w0 1 0"; } &&
	got=$(report_flows $r "" "select(.kind != \"shm\")") &&
	{ same flows "$got" "sem w0 w1 3 0
sem w1 w0 2 0" || same flows "$got" "sem w0 w1 2 0
sem w1 w0 3 0"; } &&
	[ "$(jq "[.channels[] | select(.kind == \"sem\")] | length" $r)" = 1 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"sem\")][0].users | length" $r)" = 3 ]
'
# Without the lock only the shared page carries anything: each of the 3
# workers writes it, so each passes it to the workers that touched it
# later (3 pairs) and to the root, which reads it last (3).
test_expect_success 'sem_mutex -p 3 -r 2 --no-lock: no semaphore, only page flows, overlaps reported' '
	"$T" -q -o nl "$C/sem_mutex" -p 3 -r 2 --no-lock >nl.stdout 2>nl.stderr
	[ $? = 1 ] && [ "$(json_get nl/report.json .exit_status)" = 1 ] &&
	[ "$(json_get nl/report.json ".processes | length")" = 4 ] &&
	[ "$(json_get nl/report.json "[.flows[] | select(.kind != \"shm\")] | length")" = 0 ] &&
	[ "$(json_get nl/report.json "[.flows[] | select(.estimated and .pages == 1)] | length")" = 6 ] &&
	[ "$(report_flows nl/report.json | grep -c " root 1 0$")" = 3 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"sem\")] | length" nl/report.json)" = 0 ]
'
test_expect_success 'msgq_send and msgq_recv: 3 messages (hello, world, end marker), 10 bytes' '
	record_pair mq "$C/msgq_recv -k $KEY & sleep 0.2; $C/msgq_send -k $KEY hello world; wait" \
		"msgq_recv: 2 messages, queue removed" "msgq_recv msgq_send sh" &&
	[ "$(json_get $r ".processes | length")" = 4 ] &&
	same flows "$(pair_flows $r)" "msgq msgq_send msgq_recv 3 10" &&
	[ "$(jq -c --argjson n "$(comms $r)" "[.channels[] | select(.kind == \"msgq\") | [.users[] | \$n[tostring]] | sort]" $r)" = \
	  "[[\"msgq_recv\",\"msgq_send\"]]" ]
'
test_expect_success 'msgq_send before msgq_recv: the messages wait in the kernel' '
	record_pair mq2 "$C/msgq_send -k $KEY one two three && $C/msgq_recv -k $KEY" \
		"msgq_recv: 3 messages, queue removed" "msgq_recv msgq_send sh" &&
	same flows "$(pair_flows $r)" "msgq msgq_send msgq_recv 4 11"
'
# shm_write stores the text into the segment (a write fault on its page),
# shm_read touches it after: one page from writer to reader, estimated.
test_expect_success 'shm_write then shm_read: one segment, both attached it, one page flow' '
	record_pair shm "$C/shm_write -k $KEY hello && $C/shm_read -k $KEY" \
		"shm_read: read .hello. (5 bytes)" "sh shm_read shm_write" &&
	[ "$(json_get $r ".processes | length")" = 3 ] &&
	same flows "$(pair_flows $r)" "shm shm_write shm_read 1 0" &&
	[ "$(jq "[.flows[] | select(.kind == \"shm\" and .estimated and .pages == 1)] | length" $r)" = 1 ] &&
	sel="select(.kind == \"shm\" and (.users | length) >= 2)" &&
	[ "$(jq "[.channels[] | $sel] | length" $r)" = 1 ] &&
	[ "$(jq -c --argjson n "$(comms $r)" "[.channels[] | $sel | .attachments[] | [\$n[.pid | tostring], .inherited]] | sort" $r)" = \
	  "[[\"shm_read\",false],[\"shm_write\",false]]" ]
'
test_expect_success 'echo_server and echo_client: 2 messages, 11 bytes each way over TCP' '
	record_pair echo "$C/echo_server -c 1 $PORT >srv.out &
		i=0; until [ -s srv.out ] || [ \$i = 250 ]; do sleep 0.02; i=\$((i + 1)); done
		$C/echo_client $PORT hello world! && wait" \
		"got back .world!." "echo_client echo_server sh" &&
	grep -q "echoed 11 bytes" srv.out &&
	same flows "$(pair_flows $r)" "tcp echo_client echo_server 2 11
tcp echo_server echo_client 2 11" &&
	[ "$(jq "[.channels[] | select(.kind == \"tcp\" and (.users | length) >= 2)] | length" $r)" = 1 ]
'
test_expect_success 'a wrapper shell SIGCHLD: at most one signal per child, to the shell only' '
	r=mq/report.json &&
	root=$(jq "[.processes[].pid] as \$all | .processes[] | select(.ppid as \$q | \$all | index(\$q) | not) | .pid" $r) &&
	[ "$(jq "[.flows[] | select(.kind == \"signal\") | select(.to != $root or .messages != 1)] | length" $r)" = 0 ]
'
test_done
