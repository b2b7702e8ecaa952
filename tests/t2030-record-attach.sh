#!/bin/sh
# End to end, -p PID: attach to a running process.  The processes it
# forks after the attach and everything they do are recorded; the trace
# ends when PID exits; Ctrl-C detaches and leaves PID running.  Every wait
# here is bounded and every process a case starts is killed on its way out.
. "$(dirname "$0")/lib.sh"
require_recording jq timeout

# wait_for CONDITION: poll a shell condition for up to 10 s.
wait_for() {
	_i=0
	until eval "$1"; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || { echo "timed out waiting for: $1"; return 1; }
		sleep 0.05
	done
}

# wait_exit PID: wait (up to 30 s) for a background job to end; its status.
wait_exit() {
	_i=0
	while kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; do
		_i=$((_i + 1))
		[ $_i -le 600 ] || { echo "process $1 did not end"; return 124; }
		sleep 0.05
	done
	wait "$1"
}

# flows REPORT ROOT: "kind from to messages bytes" per flow, sorted, ROOT
# named "root" and its children "w0", "w1"...
flows() {
	report_flows "$1" "$(report_roles "$1" "$2")"
}

# attach_then_exec DEMO KIND MSGS BYTES ARGS...: a shell waits on a FIFO,
# we attach to it, let it go, and it execs DEMO ARGS (-p 4): the 4 workers
# are forked after the attach and each sends MSGS/BYTES to the shell's pid.
attach_then_exec() {
	demo=$1 kind=$2 msgs=$3 bytes=$4; shift 4
	rm -rf go d && mkfifo go || return 1
	sh -c 'read x <go && exec "$0" "$@"' "$D/$demo" "$@" >demo.out 2>&1 &
	S=$!
	trap 'kill $S $TP 2>/dev/null' EXIT
	"$T" -q -p $S -o d >trace.out 2>trace.err &
	TP=$!
	wait_for "[ -e d/trace.ipct ]" || { cat trace.err; return 1; }
	timeout 5 sh -c "echo go >go" || { echo "the shell did not open the FIFO"; return 1; }
	wait_exit $TP; rc=$?
	wait_exit $S || { echo "demo failed"; cat demo.out; return 1; }
	[ $rc = 0 ] || { echo "trace exit $rc"; cat trace.err; return 1; }
	grep -q " ok$" demo.out || { cat demo.out; return 1; }
	r=d/report.json
	[ "$(json_get $r .lost_events)" = 0 ] && [ "$(json_get $r .exit_status)" = 0 ] &&
	[ "$(json_get $r .interrupted)" = false ] || { echo "lost/exit/interrupted"; return 1; }
	# the shell (now the demo) and its 4 new workers, nothing else
	[ "$(json_get $r ".processes | length")" = 5 ] &&
	[ "$(report_roles $r $S | jq length)" = 5 ] ||
		{ echo "processes"; jq -c ".processes[] | [.pid, .ppid, .comm]" $r; return 1; }
	same root "$(jq -c ".processes[] | select(.pid == $S) | [.comm, .exit_code]" $r)" "[\"$demo\",0]" &&
	jq -r ".processes[] | select(.pid == $S) | .exec" $r | grep -q "/$demo\$" &&
	same flows "$(flows $r $S)" "$kind w0 root $msgs $bytes
$kind w1 root $msgs $bytes
$kind w2 root $msgs $bytes
$kind w3 root $msgs $bytes"
}

test_expect_success 'attach, then pipe_sum: 4 new workers, each 8 bytes to the attached pid' '
	attach_then_exec pipe_sum pipe 1 8 -n 100000 -p 4
'
test_expect_success 'attach, then signal_sum: 4 new workers, one signal each' '
	attach_then_exec signal_sum signal 1 0 -n 10000 -p 4
'
test_expect_success 'attach, then msgq_sum: 4 new workers, one message each' '
	attach_then_exec msgq_sum msgq 1 8 -n 10000 -p 4
'
# Workers forked before the attach are not followed (only new children
# are), but what the attached parent does from then on is recorded.
test_expect_success 'attach to pipe_sum whose workers already run: its 3 receives are recorded' '
	rm -rf d
	DEMO_WORKER_DELAY_MS=5000 "$D/pipe_sum" -n 1000 -p 3 >demo.out 2>&1 &
	S=$!
	trap "kill $S \$TP 2>/dev/null" EXIT
	wait_for "[ \$(wc -w </proc/$S/task/$S/children) = 3 ]" || exit 1
	"$T" -q -p $S -o d >trace.out 2>trace.err &
	TP=$!
	wait_exit $TP; rc=$?
	wait_exit $S && [ $rc = 0 ] && grep -q " ok$" demo.out &&
	r=d/report.json &&
	[ "$(json_get $r .lost_events)" = 0 ] && [ "$(json_get $r .exit_status)" = 0 ] &&
	same processes "$(jq -c "[.processes[] | [.pid, .comm]]" $r)" "[[$S,\"pipe_sum\"]]" &&
	"$T" dump d/trace.ipct >dump &&
	[ "$(grep -c "^ *[0-9.]* *$S/$S *read([0-9]*<pipe:.*) = 8 <" dump)" = 3 ]
'
test_expect_success 'Ctrl-C detaches: the trace is written, the process goes on' '
	rm -rf go after d
	mkfifo go || exit 1
	sh -c "read x <go; echo after >after" &
	S=$!
	trap "kill $S \$TP 2>/dev/null" EXIT
	"$T" -p $S -o d >trace.out 2>trace.err &
	TP=$!
	wait_for "[ -e d/trace.ipct ]" &&
	kill -INT $TP && wait_exit $TP && kill -0 $S &&
	[ "$(json_get d/report.json .interrupted)" = true ] &&
	[ "$(json_get d/report.json .exit_status)" = null ] &&
	[ "$(jq -c "[.processes[].pid]" d/report.json)" = "[$S]" ] &&
	grep -q "d/" trace.err &&
	timeout 5 sh -c "echo go >go" && wait_exit $S && [ "$(cat after)" = after ]
'
# 4194304 is PID_MAX_LIMIT: no process can have it.
test_expect_success 'attaching to a pid that does not exist fails with one error line' '
	rm -rf d
	"$T" -q -p 4194304 -o d >out 2>err
	rc=$?
	[ $rc != 0 ] && [ $rc != 2 ] &&
	grep -q "^error: cannot attach to process 4194304: no such process$" err &&
	[ "$(wc -l <err)" = 1 ] && ! test -e d
'
test_expect_code 2 '-p PID and a command together is a usage error' '
	"$T" -q -p $$ -o d true
'
test_expect_code 2 '-p with a bad pid is a usage error' '
	"$T" -q -p 12ab -o d
'
test_done
