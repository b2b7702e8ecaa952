#!/bin/sh
# End to end, the limits of a long recording:
#   --duration S   the command gets SIGTERM at the deadline (SIGKILL 2 s
#                  later if it is still there), the recording ends when it
#                  has exited, and the trace says why it stopped;
#   --max-size M   the trace stays within M MiB; events past the limit are
#                  counted, not stored, and the count is in the report;
#   on a terminal, a status line is redrawn every second.
. "$(dirname "$0")/lib.sh"
require_recording jq
ROUNDS=100000

test_expect_code 143 '--duration stops a long command with SIGTERM' '
	start=$(date +%s)
	"$T" -q --duration 0.5 -o d sleep 30
	rc=$?
	[ $(( $(date +%s) - start )) -lt 10 ] || { echo "took too long"; exit 1; }
	exit $rc
'

test_expect_success '--duration is in the report' '
	[ "$(json_get d/report.json .duration_limit_reached)" = true ] &&
	[ "$(json_get d/report.json .size_limit_reached)" = false ] &&
	[ "$(json_get d/report.json .exit_status)" = 143 ] &&
	"$T" report d/trace.ipct | grep -q "stopped by its duration limit"
'

test_expect_code 137 '--duration kills a command that ignores SIGTERM, 2 s later' '
	start=$(date +%s)
	"$T" -q --duration 0.5 -o k sh -c "trap \"\" TERM; while :; do sleep 0.1; done"
	rc=$?
	el=$(( $(date +%s) - start ))
	[ $el -ge 2 ] && [ $el -lt 10 ] || { echo "took $el s"; exit 1; }
	exit $rc
'

test_expect_success '--duration longer than the command changes nothing' '
	"$T" -q --duration 30 -o short sh -c "exit 3"
	[ $? = 3 ] && [ "$(json_get short/report.json .duration_limit_reached)" = false ]
'

# A ping-pong makes exactly 4 pipe calls per round trip; with the size
# limit, stored + counted-but-not-stored + lost covers every one of them
# (plus the few lifecycle and start-up events around them: with -e pipe,
# not the reads of files a runtime makes at start, as ASan's does).
test_expect_success '--max-size keeps the trace within the limit and counts the rest' '
	"$T" -q -e pipe --max-size 1 -o m "$ROOT/bench/pingpong" -n $ROUNDS >/dev/null 2>err || { cat err; exit 1; }
	size=$(stat -c %s m/trace.ipct)
	[ "$size" -le 1048576 ] || { echo "trace is $size bytes"; exit 1; }
	[ "$(json_get m/report.json .size_limit_reached)" = true ] || exit 1
	ev=$(json_get m/report.json .events)
	un=$(json_get m/report.json .unrecorded_events)
	lo=$(json_get m/report.json .lost_events)
	total=$((ev + un + lo))
	echo "stored $ev, not stored $un, lost $lo: $total"
	[ "$un" -gt 0 ] && [ $total -ge $((4 * ROUNDS)) ] && [ $total -le $((4 * ROUNDS + 40)) ]
'

test_expect_success '--max-size: the stored part reads back whole, with a warning' '
	"$T" report m/trace.ipct >rep &&
	grep -q "size limit (--max-size) was reached" rep &&
	! grep -q "cut short" rep
'

test_expect_code 2 'a bad --duration is a usage error' '"$T" --duration 0 true'
test_expect_code 2 'a bad --duration is a usage error (text)' '"$T" --duration soon true'
test_expect_code 2 'a bad --max-size is a usage error' '"$T" --max-size 0 true'

if command -v script >/dev/null 2>&1; then
	test_expect_success 'a status line is shown on a terminal' '
		script -qec "\"$T\" --duration 1.6 -o tty sleep 30" /dev/null >typescript 2>&1
		grep -a -q "ipctrace: [0-9]* s, [0-9]* events" typescript ||
			{ cat -v typescript; exit 1; }
	'
else
	test_skip 'a status line is shown on a terminal' 'needs script(1)'
fi

test_expect_success 'no status line when stderr is not a terminal' '
	"$T" --duration 1.6 -o notty sleep 30 2>err
	! grep -q "events (" err
'

test_done
