#!/bin/sh
# bench.sh - `make bench`: the tracer's cost, as ratios measured side by
# side in one run (runs alternate, medians compared), because these
# machines are noisy.  Needs root for the traced runs.
#
#   1. pinned 1-byte pipe ping-pong (both processes on CPU 0): untraced,
#      under ./trace, and under strace -f; mean round trip in ns.
#   2. demos/pipe_sum -n 100000000 -p 10: untraced and traced wall time,
#      measured by bench/timeit inside the trace (so loading the probes and
#      drawing do not count).
#   3. events recorded per second and trace bytes per event, from 1.
#   4. BPF run time per traced syscall (kernel.bpf_stats_enabled), and the
#      floor: ping-pong with the probes attached but no kind selected that
#      the workload uses (-e sem), i.e. the price of the raw syscall
#      tracepoints alone.
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
: >"$OUT/plain"; : >"$OUT/traced"; : >"$OUT/strace"; : >"$OUT/floor"
for i in $(seq "$REPEAT"); do
	bench/pingpong -n "$ROUNDS" >>"$OUT/plain"
	./trace -q -o "$OUT/pp" bench/pingpong -n "$ROUNDS" >>"$OUT/traced"
	./trace -q -e sem -o "$OUT/pf" bench/pingpong -n "$ROUNDS" >>"$OUT/floor"
	if command -v strace >/dev/null; then
		strace -f -qq -o /dev/null bench/pingpong -n "$ROUNDS" >>"$OUT/strace"
	fi
done
plain=$(median <"$OUT/plain"); traced=$(median <"$OUT/traced"); floor=$(median <"$OUT/floor")
printf '   untraced        %8s ns/round trip\n' "$plain"
printf '   probes, no kind %8s ns/round trip   ratio %.2fx (the floor: tracepoints alone)\n' "$floor" \
	"$(echo "$floor / $plain" | bc -l)"
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
echo "2. demos/pipe_sum -n 100000000 -p 10, wall time of the command"
: >"$OUT/sp"; : >"$OUT/sc"
for i in $(seq "$REPEAT"); do
	bench/timeit demos/pipe_sum -n 100000000 -p 10 >>"$OUT/sp"
	./trace -q -o "$OUT/ps" bench/timeit demos/pipe_sum -n 100000000 -p 10 >>"$OUT/sc"
done
sp=$(median <"$OUT/sp"); sc=$(median <"$OUT/sc")
printf '   untraced        %8s us   (bench/timeit: fork, exec, run, wait)\n' "$sp"
printf '   traced          %8s us   ratio %.2fx (target <= 1.05x; the same, under ./trace)\n' "$sc" \
	"$(echo "$sc / $sp" | bc -l)"
printf '   traced run: %s events, %s bytes in trace\n' "$(jq .events "$OUT/ps/report.json")" "$(stat -c %s "$OUT/ps/trace.ipct")"

echo
echo "4. BPF cost per traced syscall (kernel.bpf_stats_enabled=1), ping-pong, $ROUNDS round trips"
old=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
./trace -q -o "$OUT/bs" bench/pingpong -n "$ROUNDS" >/dev/null &
tp=$!
# sample the programs' counters just before the tracer detaches
while kill -0 $tp 2>/dev/null; do
	bpftool prog show -j 2>/dev/null | jq -c '[.[] | select(.name == "ipct_sys_enter" or .name == "ipct_sys_exit") | {name, run_cnt, run_time_ns}]' >"$OUT/stats.tmp" &&
		[ "$(jq length "$OUT/stats.tmp")" = 2 ] && cp "$OUT/stats.tmp" "$OUT/stats"
	sleep 0.05
done
wait $tp || true
sysctl -qw kernel.bpf_stats_enabled="$old"
if [ -s "$OUT/stats" ]; then
	jq -r '.[] | "   \(.name): \(.run_cnt) runs, \(.run_time_ns / .run_cnt | floor) ns per run (all syscalls on the machine while attached)"' "$OUT/stats"
	total=$(jq '[.[].run_time_ns] | add' "$OUT/stats")
	calls=$((4 * ROUNDS))
	printf '   => %.0f ns of BPF per traced syscall (enter + exit, %s traced calls)\n' \
		"$(echo "$total / $calls" | bc -l)" "$calls"
fi
