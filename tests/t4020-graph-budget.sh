#!/bin/sh
# t4020-graph-budget: the graph's layout is bounded by folding before
# layout, whatever the trace's size: the prefork web server under
# webload -K (a new TCP connection per request) and a shell that starts
# 3000 processes.  Each graph renders in seconds, with the connections
# as one edge per pair of nodes and the 3000 processes as one node.
. "$(dirname "$0")/lib.sh"
require_recording jq
N=2000

cat >"$TEST_TMP/webrun.sh" <<'SH'
#!/bin/sh
# the server, N new connections to it, then stop it
"$1" -p 0 -w 4 >"$4.ws" 2>&1 &
ws=$!
i=0
while ! grep -q '^listening on ' "$4.ws" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$4.ws")
"$2" -K -c 4 -n "$3" "http://127.0.0.1:$port/" >"$4.wl" 2>&1
kill -TERM $ws
wait $ws
SH
chmod +x "$TEST_TMP/webrun.sh"
"$T" -q -o "$TEST_TMP/web" "$TEST_TMP/webrun.sh" "$ROOT/demos/webserver" "$ROOT/demos/webload" $N "$TEST_TMP/w" >/dev/null 2>&1

# cpu_seconds CMD...: user+sys CPU seconds CMD took (Graphviz runs in-process).
cpu_seconds() {
	/usr/bin/time -f "%U %S" -o "$TEST_TMP/time" "$@" >/dev/null 2>&1 &&
	awk '{ printf "%d\n", $1 + $2 + 0.999 }' "$TEST_TMP/time"
}

test_expect_success "web run: $N connections served and recorded" '
	grep -q "^requests: $N ok, 0 failed" "$TEST_TMP/w.wl" || { cat "$TEST_TMP/w.wl" "$TEST_TMP/w.ws"; exit 1; }
	# a 4-tuple that the kernel reuses later may be one channel (docs/matching.md)
	n=$(jq "[.channels[] | select(.kind == \"tcp\")] | length" "$TEST_TMP/web/report.json") &&
	echo "$n tcp channels" && [ "$n" -ge $((N / 2)) ]
'

test_expect_success "web run: the graph draws the $N connections as edges between few nodes" '
	"$T" graph -o g.svg "$TEST_TMP/web" &&
	[ "$(grep -c "class=\"node\"" g.svg)" -le 16 ] &&
	grep -q "× webserver</text>" g.svg &&
	grep -q ">tcp × [0-9]*</text>" g.svg &&
	! grep -q "summary:" g.svg
'

test_expect_success "web run: the graph takes at most 5 s of CPU" '
	s=$(cpu_seconds "$T" graph -o g.svg "$TEST_TMP/web") && echo "cpu $s s" &&
	[ "$s" -le 5 ]
'

"$T" -q -o "$TEST_TMP/many" sh -c 'i=0; while [ $i -lt 3000 ]; do echo $i | cat >/dev/null; i=$((i + 1)); done' >/dev/null 2>&1

test_expect_success '3000 processes: one node "3000 × cat" and its pipes, in at most 5 s of CPU' '
	[ "$(jq "[.processes[] | select(.comm == \"cat\")] | length" "$TEST_TMP/many/report.json")" = 3000 ] &&
	s=$(cpu_seconds "$T" graph -o g.svg "$TEST_TMP/many") && echo "cpu $s s" &&
	[ "$s" -le 5 ] &&
	grep -q ">3000 × cat</text>" g.svg &&
	grep -q ">3000 × pipe</text>" g.svg &&
	[ "$(grep -c "class=\"node\"" g.svg)" -le 4 ]
'

test_expect_success '3000 processes with --all: still folded before layout, in at most 5 s of CPU' '
	s=$(cpu_seconds "$T" graph --all -o all.svg "$TEST_TMP/many") && echo "cpu $s s" &&
	[ "$s" -le 5 ] && grep -q "<svg" all.svg
'

test_done
