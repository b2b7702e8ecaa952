#!/bin/sh
# The waits for descriptors (poll, select, epoll_wait and kin) in a
# streamed load (--stream, the default past 1M events) are decided as the
# trace is read (viz/stream_polls.c) and summed into the waits: every
# output equals the full load's (tests/stream_same.sh), the timeline
# draws the same waits both ways, and the counts are the ones the
# workloads know: each of their waits, its fate and its peer.  Python's
# selectors and asyncio loops are t7851's.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq python3 node curl
build_workload waits
build_workload epoll_pingpong
PY=$(python3 -c 'import sys; print(sys.executable)')

# polls SVG: the waits a timeline draws ("waiting in ..." tooltips, a
# block standing for N more within a pixel counting N + 1), summed per
# call and what ended it: "CALL, until CHANNEL (fd N) was ready COUNT",
# "CALL: timed out COUNT"...
polls() {
	python3 - "$1" <<'EOF'
import re, sys, html, collections
svg = open(sys.argv[1], encoding="utf-8").read()
n = collections.Counter()
for t in re.findall(r"<title>(waiting in [^<]*)</title>", svg):
    t = html.unescape(t)
    m = re.search(r"\n\(and (\d+) more waits", t)
    t = re.sub(r"^waiting in (\S+), [^,:]*", r"\1", re.sub(r"\n.*", "", t, flags=re.S))
    n[t] += 1 + (int(m.group(1)) if m else 0)
for t, k in sorted(n.items()):
    print(t, k)
EOF
}

# timelines NAME [OPTION]: both timelines of NAME draw the same wait
# blocks (place, size, tooltip), so the same waits.
timelines() {
	"$T" timeline $2 --full -o tf.svg "$1/trace.ipct" &&
	"$T" timeline $2 --stream -o ts.svg "$1/trace.ipct" &&
	polls tf.svg | sort >tf.polls && polls ts.svg | sort >ts.polls &&
	same "$1: timeline waits" "$(cat ts.polls)" "$(cat tf.polls)" &&
	same "$1: wait blocks" "$(grep -o "<rect[^>]*class=\"recv wait[^<]*<title>[^<]*" ts.svg |
		sort)" "$(grep -o "<rect[^>]*class=\"recv wait[^<]*<title>[^<]*" tf.svg | sort)"
}

# drawn: how many waits the last timelines drew.
drawn() {
	awk '{ n += $NF } END { print n + 0 }' ts.polls
}

test_expect_success 'waits: poll, select and epoll_wait, each once for its writer' '
	record w "$TEST_TMP/waits" && compare w && timelines w &&
	for call in poll select epoll_wait; do
		peer=$(sed -n "s/^$call fd=[0-9]* peer=\([0-9]*\).*/\1/p" w.out) &&
		jq -e --argjson p "$peer" --arg c "$call" "[.processes[0].waits[] |
			select(.peer == \$p and (.call | contains(\$c)) and .count == 1)] |
			length == 1" stream.json >/dev/null || return 1
	done
'

test_expect_success 'epoll ping-pong: 2 x 400 waits, each with its pipe ready' '
	record pp "$TEST_TMP/epoll_pingpong" -n 400 -e && compare pp && timelines pp &&
	grep -q "rounds 400 waits 400$" pp.out && grep -q "^child waits 400$" pp.out &&
	same "waits drawn" "$(drawn)" 800 &&
	same "ready pipes" "$(sed -n "s/.*until \(pipe:[^ ]*\) .*/\1/p" ts.polls |
		sort -u | wc -l)" 2 &&
	same "waits on the pipes" "$(jq "[.processes[].waits[] |
		select(.call == \"epoll_wait\" and (.channel | startswith(\"pipe:\"))) | .count] |
		add <= 800" stream.json)" true
'

test_expect_success 'poll_fates: 3 timeouts, 2 interrupted, 1 ended by a child' '
	record pf "$PY" "$ROOT/tests/workloads/poll_fates.py" && compare pf &&
	timelines pf --all &&
	child=$(sed -n "s/^child //p" pf.out) &&
	same "timeouts" "$(sed -n "s/^poll: timed out //p" ts.polls)" 3 &&
	same "interrupted" "$(sed -n "s/^poll: failed, .* //p" ts.polls)" 2 &&
	same "waits" "$(jq -c --argjson c "$child" "[.processes[].waits[] |
		select(.call == \"poll\") | [.peer == \$c, .count]]" stream.json)" "[[true,1]]"
'

test_expect_success 'node: a net server and client in one event loop, 2 x 200 lines' '
	record nd node "$ROOT/tests/workloads/node_echo.js" 200 && compare nd &&
	timelines nd &&
	grep -q "^server got 200 client got 200$" nd.out &&
	same "tcp" "$(jq -c "[.flows[] | select(.kind == \"tcp\") | [.messages, .bytes]] |
		[(map(.[0]) | add), (map(.[1]) | add)]" stream.json)" "[400,3200]"
'

test_expect_success 'curl: 3 fetches of 300000 bytes from a local web server' '
	head -c 300000 /dev/urandom >blob &&
	record web sh "$ROOT/tests/workloads/web_fetch.sh" "$PY" 3 && compare web &&
	timelines web &&
	same "fetched" "$(cat web.out)" "300000
300000
300000" &&
	jq -e "[.processes[].waits[] | select(.call == \"poll\")] | length > 0" \
		stream.json >/dev/null
'

test_done
