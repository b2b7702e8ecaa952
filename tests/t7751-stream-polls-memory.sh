#!/bin/sh
# The waits for descriptors of a streamed load take bounded memory: an
# epoll ping-pong (tests/workloads/epoll_pingpong.c, -e: each side also
# drains its pipe to EAGAIN) of N rounds and of 4N rounds (about 1M
# events) is analysed by every streamed subcommand within MAX_KB, and
# the peak at 4N is the peak at N give or take FLAT_KB.  On the smaller
# trace the streamed outputs equal the full load's (up to the estimated
# percentiles), and the timeline draws each of the 2N waits.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq /usr/bin/time
build_workload epoll_pingpong
N=31250
MAX_KB=$(peak_bound 24000)
FLAT_KB=$(peak_bound 4000)
# The JSON without what a streamed load estimates or leaves out.
EXACT='walk(if type == "object" then del(.p50_ns, .p90_ns, .p99_ns, .p50, .p90, .p99,
	.streamed) else . end)'

test_expect_success "record $N and $((4 * N)) rounds" '
	"$T" -q -s 0 -b 64 -o n1 "$TEST_TMP/epoll_pingpong" -n $N -e >n1.out &&
	"$T" -q -s 0 -b 64 -o n4 "$TEST_TMP/epoll_pingpong" -n $((4 * N)) -e >n4.out &&
	grep -q "rounds $N waits $N$" n1.out && grep -q "rounds $((4 * N)) waits" n4.out &&
	same lost "$(jq .lost_events n1/report.json)" 0 &&
	[ "$(jq .events n4/report.json)" -ge 1000000 ]
'

test_expect_success 'the smaller trace: streamed equals full' '
	"$T" report --json --full n1/trace.ipct | jq -S "$NOHOT | $EXACT" >full.json &&
	"$T" report --json --stream n1/trace.ipct >stream.json &&
	same streamed "$(jq -c .streamed stream.json)" \
		"{\"late_events\":0,\"dropped_in_flight\":0}" &&
	jq -S "del(.critical_path) | $EXACT" stream.json >stream-exact.json &&
	same JSON "$(cat stream-exact.json)" "$(cat full.json)" &&
	jq -e "[.processes[].waits[] | select(.call == \"epoll_wait\") | .count] | add > 0" \
		stream.json >/dev/null &&
	"$T" graph -f dot --full n1/trace.ipct >full.dot &&
	"$T" graph -f dot --stream n1/trace.ipct >stream.dot &&
	same graph "$(cat stream.dot)" "$(cat full.dot)" &&
	"$T" timeline --stream -o ts.svg n1/trace.ipct &&
	same "waits drawn" "$(grep -o "<title>waiting in epoll_wait[^<]*" ts.svg |
		sed -n "s/.*(and \([0-9]*\) more waits.*/\1/p; t; s/.*/0/p" |
		awk "{ n += \$1 + 1 } END { print n }")" $((2 * N))
'

for sub in "report --json" "graph -f dot" "timeline" "perfetto --format proto" "export"; do
	test_expect_success "$sub: within $MAX_KB KB at N and 4N, flat" '
		rm -rf o1 o4 &&
		kb1=$(peak "$T" $sub --stream -o o1 n1/trace.ipct) &&
		kb4=$(peak "$T" $sub -o o4 n4/trace.ipct) &&
		echo "$sub: $kb1 KB at N, $kb4 KB at 4N" &&
		[ "$kb1" -lt $MAX_KB ] && [ "$kb4" -lt $MAX_KB ] &&
		[ "$kb4" -lt $((kb1 + FLAT_KB)) ]
	'
done

test_done
