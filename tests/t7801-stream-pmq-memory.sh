#!/bin/sh
# A POSIX queue whose receives record priority 0 (tests/workloads/
# pmq_flood.c): a streamed load decides each receive only once the stream
# is 100 ms past it (docs/matching.md), so it holds about 100 ms of
# messages, each as a compact entry (viz/stream_queue.c), however long
# the flood: the peak of 4N messages stays within twice that of N (how
# many messages 100 ms holds depends on the machine's speed, and the
# queue's ring grows by doubling), where holding them all would take four
# times.  Both loads give the same outputs (on a short flood: streamed
# percentiles are estimates past 1024 calls), and the flows the messages
# sent.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq python3 /usr/bin/time
build_workload pmq_flood -lrt
N=100000

# flows DIR: "MESSAGES BYTES UNMATCHED LATE DROPPED" of DIR's streamed report.
flows() {
	"$T" report --json --stream -o $1.json $1/trace.ipct &&
	jq -r '[([.flows[] | select(.kind == "msgq") | .messages] | add),
		([.flows[] | select(.kind == "msgq") | .bytes] | add),
		([.channels[] | select(.kind == "msgq") | .messages_unmatched] | add),
		.streamed.late_events, .streamed.dropped_in_flight] | map(tostring) | join(" ")' $1.json
}

test_expect_success 'a short flood: both loads alike, every message matched' '
	"$T" -q -o short "$TEST_TMP/pmq_flood" 300 >short.out &&
	same out "$(cat short.out)" "messages 300" &&
	compare short && same "flows" "$(flows short)" "300 2400 0 0 0"
'

test_expect_success 'N messages: every message matched' '
	"$T" -q -s 0 -o one "$TEST_TMP/pmq_flood" $N >one.out &&
	same "flows" "$(flows one)" "$N $((8 * N)) 0 0 0"
'

test_expect_success '4N messages: the same memory' '
	"$T" -q -s 0 -o four "$TEST_TMP/pmq_flood" $((4 * N)) >four.out &&
	same "flows" "$(flows four)" "$((4 * N)) $((32 * N)) 0 0 0" &&
	kb1=$(peak "$T" report --json --stream -o r1.json one/trace.ipct) &&
	kb4=$(peak "$T" report --json --stream -o r4.json four/trace.ipct) &&
	echo "peak: $kb1 KB at $N messages, $kb4 KB at $((4 * N))" &&
	[ "$kb4" -le $((kb1 * 2)) ] && [ "$kb4" -lt "$(peak_bound 60000)" ]
'

test_done
