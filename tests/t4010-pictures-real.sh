#!/bin/sh
# t4010-pictures-real: what a reader sees in the pictures of ordinary
# programs (docs/pictures.md): a find | xargs -P4 wc | sort | tail
# pipeline, a Python multiprocessing pool, make -j4 of a small C project
# and pipe_sum -p 64.  Element counts of the graph (nodes, the folded
# sibling node, no read-only mapping, no SIGCHLD edge), its width, the
# Perfetto flows' directions (jq), and a headless-Chromium screenshot that
# is not blank and within the picture's width.
. "$(dirname "$0")/lib.sh"
require_recording jq python3 make cc

# svg_width FILE: the width in pt Graphviz wrote.
svg_width() { sed -n 's/^<svg width="\([0-9]*\)pt".*/\1/p' "$1"; }
nodes() { grep -c 'class="node"' "$1"; }

# The files the pipeline reads, a fixed set: 23 files, 5 a wc.
mkdir -p "$TEST_TMP/tree"
for i in $(seq 1 23); do printf 'line\n%.0s' $(seq 1 $i) >"$TEST_TMP/tree/f$i.txt"; done
"$T" -q -o "$TEST_TMP/find" sh -c "find '$TEST_TMP/tree' -name '*.txt' | xargs -P4 -n 5 wc -l | sort -n | tail -3" >/dev/null 2>&1

test_expect_success 'find pipeline: 9 nodes, "5 × wc" folded, 3 pipes, no SIGCHLD, narrow' '
	d="$TEST_TMP/find" &&
	[ "$(jq "[.processes[] | select(.comm == \"wc\")] | length" $d/report.json)" = 5 ] &&
	[ "$(nodes $d/graph.svg)" = 9 ] &&
	grep -q ">5 × wc</text>" $d/graph.svg &&
	[ "$(grep -c "^pipe$" $d/graph.dot)" = 0 ] &&
	[ "$(grep -c "label=\"pipe" $d/graph.dot)" = 3 ] &&
	! grep -q SIGCHLD $d/graph.dot &&
	[ "$(jq "[.flows[] | select(.kind == \"signal\" and .folded == false)] | length" $d/report.json)" = 0 ] &&
	[ "$(jq "[.flows[] | select(.kind == \"signal\")] | length" $d/report.json)" -ge 1 ] &&
	[ "$(svg_width $d/graph.svg)" -le 2000 ]
'

test_expect_success 'find pipeline: files nobody wrote and read-only mappings are folded, not drawn' '
	d="$TEST_TMP/find" &&
	[ "$(jq "[.channels[] | select(.kind == \"file\" and .bytes_sent == 0 and .folded == false)] | length" $d/report.json)" = 0 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"shm\" and ([.attachments[].writable] | any | not) and .folded == false)] | length" $d/report.json)" = 0 ] &&
	! grep -q "shape=folder" $d/graph.dot &&
	! grep -q "libc.so" $d/graph.dot
'

# The timeline: 1200 px or wider as its labels and legend need, never
# past 2000; blocks only on channels that communicate (no libc.so.6 read);
# the legend names the calls drawn.
tl_width() { sed -n 's/^<svg [^>]*width="\([0-9]*\)" height.*/\1/p' "$1"; }
test_expect_success 'find pipeline timeline: width, no folded channel, a legend entry per call' '
	d="$TEST_TMP/find" &&
	w=$(tl_width $d/timeline.svg) && echo "timeline width $w" &&
	[ "$w" -ge 1200 ] && [ "$w" -le 2000 ] &&
	! grep -q "libc.so" $d/timeline.svg &&
	grep -q ">in write (pipe)</text>" $d/timeline.svg &&
	grep -q ">in read (pipe)</text>" $d/timeline.svg &&
	! grep -q ">in read (file)</text>" $d/timeline.svg
'

test_expect_success 'find pipeline: --all draws the folded ones again' '
	"$T" graph --all --format dot "$TEST_TMP/find" >all.dot &&
	grep -q SIGCHLD all.dot &&
	[ "$(grep -c " -> " all.dot)" -gt "$(grep -c " -> " "$TEST_TMP/find/graph.dot")" ]
'

test_expect_success 'find pipeline: every Perfetto flow ends at or after its start' '
	p="$TEST_TMP/find/perfetto.json" &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"s\")] | length" $p)" -gt 20 ] &&
	jq -e "[.traceEvents[] | select(.ph == \"s\" or .ph == \"f\")] | group_by(.id) |
	       map((.[] | select(.ph == \"f\") | .ts) >= (.[] | select(.ph == \"s\") | .ts)) | all" $p >/dev/null &&
	jq -e "[.traceEvents[] | select(.ph == \"s\") | .name] | unique == [\"pipe\", \"signal SIGCHLD\"]" $p >/dev/null
'

cat >"$TEST_TMP/pool.py" <<'PY'
import multiprocessing as mp
def sq(x):
    return x * x
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(3) as p:
        print(sum(p.map(sq, range(300))))
PY
"$T" -q -o "$TEST_TMP/mp" /usr/bin/python3 "$TEST_TMP/pool.py" >"$TEST_TMP/mp.out" 2>&1

# Workers fold into "N × python3" only when they did the same (the pool
# hands out chunks as it likes), so that is not asserted here.
test_expect_success 'python multiprocessing: a few nodes, the pool pipes, no SIGCHLD, narrow' '
	d="$TEST_TMP/mp" &&
	grep -q "^8955050" "$TEST_TMP/mp.out" || { echo "pool output:"; cat "$TEST_TMP/mp.out"; exit 1; }
	n=$(jq "[.processes[] | select(.comm == \"python3\")] | length" $d/report.json) &&
	shown=$(grep -c ">\([0-9]* × \)\{0,1\}python3</text>" $d/graph.svg) &&
	echo "python3: $n processes, $shown nodes; $(nodes $d/graph.svg) nodes, $(svg_width $d/graph.svg) pt" &&
	[ "$n" -ge 4 ] && [ "$shown" -le "$n" ] &&
	grep -q ">pipe</text>" $d/graph.svg &&
	! grep -q SIGCHLD $d/graph.dot &&
	[ "$(nodes $d/graph.svg)" -le 10 ] &&
	[ "$(svg_width $d/graph.svg)" -le 2000 ]
'

mkdir -p "$TEST_TMP/cproj"
for i in 1 2 3 4 5 6 7 8; do printf "int f$i(int x) { return x * $i; }\n" >"$TEST_TMP/cproj/f$i.c"; done
printf 'int f1(int);\nint main(void) { return f1(0); }\n' >"$TEST_TMP/cproj/main.c"
printf 'OBJS = main.o f1.o f2.o f3.o f4.o f5.o f6.o f7.o f8.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n' >"$TEST_TMP/cproj/Makefile"
"$T" -q -o "$TEST_TMP/make" make -s -C "$TEST_TMP/cproj" -j4 >/dev/null 2>&1

test_expect_success 'make -j4: compilers folded ("N × cc"), the linker reads the objects, narrow' '
	d="$TEST_TMP/make" &&
	test -x "$TEST_TMP/cproj/prog" &&
	grep -q "× cc</text>" $d/graph.svg &&
	grep -q ">ld</text>" $d/graph.svg &&
	! grep -q SIGCHLD $d/graph.dot &&
	[ "$(nodes $d/graph.svg)" -lt "$(jq ".processes | length" $d/report.json)" ] &&
	[ "$(svg_width $d/graph.svg)" -le 2000 ]
'

"$T" -q -o "$TEST_TMP/ps" "$ROOT/demos/pipe_sum" -n 6400 -p 64 >/dev/null 2>&1

test_expect_success 'pipe_sum -p 64: 3 nodes, "64 × pipe_sum", 64 msgs of 8 bytes' '
	d="$TEST_TMP/ps" &&
	[ "$(nodes $d/graph.svg)" = 3 ] &&
	grep -q ">64 × pipe_sum</text>" $d/graph.svg &&
	grep -q ">512 bytes</text>" $d/graph.svg &&
	[ "$(svg_width $d/graph.svg)" -le 2000 ]
'

# Headless Chromium: the picture is drawn (not blank) and fits its width.
if command -v chromium >/dev/null 2>&1; then
	test_expect_success 'chromium screenshots of the graph and timeline are not blank and fit' '
		for f in "$TEST_TMP/find/graph.svg" "$TEST_TMP/mp/graph.svg" "$TEST_TMP/find/timeline.svg"; do
			w=$(sed -n "s/^<svg width=\"\([0-9.]*\)\(pt\|\)\".*/\1/p" "$f" | head -1 | cut -d. -f1)
			[ -n "$w" ] || w=$(grep -o "<svg[^>]*width=\"[0-9.]*\"" "$f" | head -1 | grep -o "[0-9.]*\"$" | tr -d "\"" | cut -d. -f1)
			px=$(( w * 4 / 3 + 40 )) &&
			timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
				--screenshot=shot.png --window-size=$px,900 "file://$f" >/dev/null 2>&1 &&
			python3 "$ROOT/tests/png_check.py" shot.png $px || { echo "bad screenshot of $f"; exit 1; }
		done
	'
else
	test_skip 'chromium screenshots of the graph and timeline' 'chromium is not installed'
fi

test_done
