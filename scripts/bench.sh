#!/bin/sh
# bench.sh - `make bench`: the tracer's cost, as ratios measured side by
# side in one run (runs alternate, medians compared), because these
# machines are noisy.  Needs root for the traced runs.
#
#   1. pinned 1-byte pipe ping-pong (both processes on CPU 0): untraced,
#      under ./trace, and under strace -f; mean round trip in ns.
#   2. demos/pipe_sum -n 100000000 -p 10: untraced and traced wall time.
#   3. events recorded per second and trace bytes per event, from 1.
set -e
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200000}
REPEAT=${REPEAT:-5}
OUT=$(mktemp -d /tmp/ipctrace-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now_ns() { date +%s%N; }

echo "ipctrace benchmarks on $(uname -r), $(nproc) CPUs; $REPEAT alternating runs, medians"
echo
echo "1. pipe ping-pong, 1 byte, $ROUNDS round trips, both processes pinned to CPU 0"
: >"$OUT/plain"; : >"$OUT/traced"; : >"$OUT/strace"
for i in $(seq "$REPEAT"); do
	bench/pingpong -n "$ROUNDS" >>"$OUT/plain"
	./trace -q -o "$OUT/pp" bench/pingpong -n "$ROUNDS" >>"$OUT/traced"
	if command -v strace >/dev/null; then
		strace -f -qq -o /dev/null bench/pingpong -n "$ROUNDS" >>"$OUT/strace"
	fi
done
plain=$(median <"$OUT/plain"); traced=$(median <"$OUT/traced")
printf '   untraced        %8s ns/round trip\n' "$plain"
printf '   ./trace         %8s ns/round trip   ratio %.2fx (target <= 1.2x)\n' "$traced" \
	"$(echo "$traced / $plain" | bc -l)"
if [ -s "$OUT/strace" ]; then
	st=$(median <"$OUT/strace")
	printf '   strace -f       %8s ns/round trip   ratio %.2fx\n' "$st" "$(echo "$st / $plain" | bc -l)"
fi
events=$(jq .events "$OUT/pp/report.json")
lost=$(jq .lost_events "$OUT/pp/report.json")
dur=$(jq .duration_ns "$OUT/pp/report.json")
size=$(stat -c %s "$OUT/pp/trace.ipct")
printf '   last traced run: %s events, %s lost, %.0f events/s, trace %s bytes = %.2f bytes/event (target <= 12)\n' \
	"$events" "$lost" "$(echo "$events * 1000000000 / $dur" | bc -l)" "$size" "$(echo "$size / $events" | bc -l)"

echo
echo "2. demos/pipe_sum -n 100000000 -p 10, wall time"
: >"$OUT/sp"; : >"$OUT/st"
for i in $(seq "$REPEAT"); do
	t0=$(now_ns); demos/pipe_sum -n 100000000 -p 10 >/dev/null; t1=$(now_ns)
	echo $(( (t1 - t0) / 1000 )) >>"$OUT/sp"
	t0=$(now_ns); ./trace -q -o "$OUT/ps" demos/pipe_sum -n 100000000 -p 10 >/dev/null; t1=$(now_ns)
	echo $(( (t1 - t0) / 1000 )) >>"$OUT/st"
done
sp=$(median <"$OUT/sp"); stt=$(median <"$OUT/st")
printf '   untraced        %8s us\n' "$sp"
printf '   ./trace         %8s us   ratio %.2fx (target <= 1.05x; includes drawing the outputs)\n' "$stt" \
	"$(echo "$stt / $sp" | bc -l)"
printf '   traced run: %s events, %s bytes in trace\n' "$(jq .events "$OUT/ps/report.json")" "$(stat -c %s "$OUT/ps/trace.ipct")"
