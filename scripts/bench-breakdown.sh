#!/bin/sh
# bench-breakdown.sh - where the time of a traced call goes: perf samples
# the processes it starts (cpu-clock every 100 us of their CPU time, with
# call chains) while the pinned ping-pong runs untraced, under the floor
# (-e sem), ./trace -s 0, ./trace and ./trace stat (REPEAT rounds of the
# five, default 3, their samples added up), and the ping-pong's own
# samples are split by scripts/bench-breakdown.awk into the clock, the
# payload copy, the ring buffer, the task-storage lookups, the rest of
# the programs, and everything outside them.  Figures are ns per call
# (4 calls per round trip).  Only the ping-pong's own CPU time counts
# (not the tracer's, nor another task's time on CPU 0), which makes this
# steadier than wall-clock round trips on a loaded machine; the sampling
# itself costs the ping-pong a little in every variant alike.  Every
# ipctrace attached at the time (another user's recording) runs its
# programs on each of these calls too, and counts in every column.
# Needs root and perf.
#
#   ROUNDS=100000 REPEAT=3 sh scripts/bench-breakdown.sh
set -e
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-100000}
REPEAT=${REPEAT:-3}
OUT=$(mktemp -d /tmp/ipctrace-breakdown.XXXXXX)
trap '[ -n "$KEEP" ] || rm -rf "$OUT"' EXIT
PP="bench/pingpong -n $ROUNDS"

sample() {
	name=$1
	shift
	perf record -q -e cpu-clock -c 100000 -g -o "$OUT/$name.data" -- "$@" >/dev/null 2>"$OUT/$name.err" ||
		{ echo "error: $name: $(tail -n 1 "$OUT/$name.err")" >&2; exit 1; }
	perf script -i "$OUT/$name.data" -F comm,period,ip,sym >>"$OUT/$name.txt" 2>/dev/null
	rm -f "$OUT/$name.data"
}

for i in $(seq "$REPEAT"); do
	sample untraced $PP
	sample floor ./trace -q --force -e sem -o "$OUT/f" $PP
	sample s0 ./trace -q --force -s 0 -o "$OUT/s0" $PP
	sample trace ./trace -q --force -o "$OUT/t" $PP
	sample stat ./trace stat -q --force -o "$OUT/st" $PP
done
awk -v calls=$((4 * ROUNDS * REPEAT)) -f scripts/bench-breakdown.awk \
	"$OUT/untraced.txt" "$OUT/floor.txt" "$OUT/s0.txt" "$OUT/trace.txt" "$OUT/stat.txt"
