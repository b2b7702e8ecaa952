#!/bin/sh
# End to end, event loss: flood the ring buffer and check that every lost
# event is counted, per kind, exactly.  bench/pingpong -n N makes exactly
# 2 + 4N pipe events (its two pipe() calls, then per round the parent's
# write and read and the child's read and write); with -e pipe nothing
# else is recorded but the process lifecycle.  A 1 MiB buffer and a
# reader held back by the test hook IPCTRACE_TEST_DRAIN_DELAY_MS cannot
# keep them all: recorded + lost must still be 2 + 4N.
. "$(dirname "$0")/lib.sh"
require_recording jq
PINGPONG="$ROOT/bench/pingpong"
[ -x "$PINGPONG" ] || skip_all "needs bench/pingpong (make bench/pingpong)"

# pipe_events TRACE: the pipe events recorded: pipe creations and the
# reads and writes on pipes in `trace dump` (the calls; a pipe the command
# inherited open is an "open-at-start" record, not a call).
pipe_events() {
	"$T" dump --json "$1" | jq -c 'select(.kind == "pipe" and .event == "call")' | wc -l
}

# flood OUT N DELAY_MS [MIB]: trace pingpong -n N under -e pipe -b MIB
# (default 1).  stdout goes to a file (a pipe would add pipe events).  A
# sanitized pingpong runs without LeakSanitizer: its check at exit would
# be a third process.
flood() {
	rm -rf "$1"
	IPCTRACE_TEST_DRAIN_DELAY_MS=$3 "$T" -e pipe -b "${4:-1}" -o "$1" \
		${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} "$PINGPONG" -n "$2" \
		>"$1.stdout" 2>"$1.stderr" || { echo "trace failed: $?"; cat "$1.stderr"; return 1; }
}

test_expect_success 'pingpong -n 100000, 1 MiB, drain held 500 ms: recorded + lost = 2 + 4N' '
	flood d 100000 500 &&
	r=d/report.json &&
	recorded=$(pipe_events d/trace.ipct) &&
	lost=$(json_get $r .lost_by_kind.pipe) &&
	echo "recorded $recorded, lost $lost" &&
	[ "$lost" -gt 0 ] &&
	[ $((recorded + lost)) = $((2 + 4 * 100000)) ] &&
	[ "$(json_get $r .lost_events)" = "$lost" ] &&
	# no other kind lost anything (nor the process lifecycle, "none")
	[ "$(jq "[.lost_by_kind | to_entries[] | select(.key != \"pipe\" and .value != 0)] | length" $r)" = 0 ] &&
	[ "$(jq "[.lost_by_kind | keys[]] | sort" -c $r)" = \
	  "[\"eventfd\",\"fifo\",\"file\",\"msgq\",\"none\",\"pipe\",\"sem\",\"shm\",\"signal\",\"tcp\",\"udp\",\"unix\"]" ] &&
	# and the events count is what the trace holds
	[ "$(json_get $r .events)" = "$("$T" dump d/trace.ipct | wc -l)" ]
'
test_expect_success 'the run itself is complete: 2 processes, both exited 0' '
	r=d/report.json &&
	[ "$(json_get $r .exit_status)" = 0 ] &&
	[ "$(json_get $r ".processes | length")" = 2 ] &&
	[ "$(jq "[.processes[] | select(.exit_code != 0)] | length" $r)" = 0 ]
'
test_expect_success 'the summary warns about the loss with the exact count' '
	lost=$(json_get d/report.json .lost_events) &&
	grep "^warning: " d.stderr | grep -q "\b$lost\b" &&
	grep -q "$lost lost" d.stderr &&
	grep -q "pipe $lost" d.stderr
'
test_expect_success 'the text report states the loss too' '
	lost=$(json_get d/report.json .lost_events) &&
	"$T" report d/trace.ipct >text && grep -q "$lost lost" text
'
# 40002 events fit in 16 MiB even if the reader never ran before the end.
test_expect_success 'N = 10000 in a 16 MiB buffer, drain held 500 ms: nothing lost' '
	flood ok 10000 500 16 &&
	[ "$(json_get ok/report.json .lost_events)" = 0 ] &&
	[ "$(pipe_events ok/trace.ipct)" = $((2 + 4 * 10000)) ] &&
	! grep -q "^warning: " ok.stderr
'
test_expect_success 'a smaller flood, N = 30000: the sum holds again' '
	flood s 30000 500 &&
	lost=$(json_get s/report.json .lost_by_kind.pipe) &&
	[ "$lost" -gt 0 ] &&
	[ $(($(pipe_events s/trace.ipct) + lost)) = $((2 + 4 * 30000)) ]
'
test_done
