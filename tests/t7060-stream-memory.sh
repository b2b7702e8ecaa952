#!/bin/sh
# A trace of 2 million events is analysed in bounded memory: the ping-pong
# (bench/pingpong) bounces one byte over two pipes ROUNDS times, so it
# knows its traffic exactly: per pipe ROUNDS 1-byte writes by one process
# and ROUNDS 1-byte reads by the other.  Past 1M events the recording
# itself draws the report, graph and timeline from the stream (no
# Perfetto file), and `trace report`, `trace graph` and `trace timeline`
# stay under MAX_KB of peak memory, where loading every event took about
# 400 MB.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq /usr/bin/time
ROUNDS=500000
MAX_KB=40000

test_expect_success 'record 2M events: report, graph, timeline drawn from the stream' '
	"$T" -s 0 -b 64 -o pp "$ROOT/bench/pingpong" -n $ROUNDS >pp.out 2>pp.err ||
		{ cat pp.err; exit 1; }
	[ "$(jq .lost_events pp/report.json)" = 0 ] &&
	[ "$(jq .events pp/report.json)" -ge $((4 * ROUNDS)) ] &&
	[ "$(jq -c .streamed pp/report.json)" = "{\"late_events\":0,\"dropped_in_flight\":0}" ] &&
	[ -s pp/graph.svg ] && [ -s pp/timeline.svg ] && [ ! -e pp/perfetto.pftrace ] &&
	[ ! -e pp/perfetto.json ] &&
	grep -q "report, graph and timeline drawn from the stream" pp.err
'

test_expect_success "report --json: exact counts in under $MAX_KB KB" '
	kb=$(peak "$T" report --json -o r.json pp/trace.ipct) &&
	echo "report --json: $kb KB" && [ "$kb" -lt $MAX_KB ] &&
	same flows "$(jq -c "[.flows[] | [.kind, .messages, .bytes]]" r.json)" \
		"[[\"pipe\",$ROUNDS,$ROUNDS],[\"pipe\",$ROUNDS,$ROUNDS]]" &&
	same "pipe stats" "$(jq -c "[.stats[] | select(.channel | startswith(\"pipe:\")) |
			[.send.calls, .send.bytes, .recv.calls, .recv.bytes]]" r.json)" \
		"[[$ROUNDS,$ROUNDS,$ROUNDS,$ROUNDS],[$ROUNDS,$ROUNDS,$ROUNDS,$ROUNDS]]" &&
	same unmatched "$(jq "[.channels[] | select(.kind == \"pipe\") | .bytes_unmatched] | add" r.json)" 0 &&
	cmp r.json pp/report.json
'

test_expect_success "graph: the same edges, in under $MAX_KB KB" '
	kb=$(peak "$T" graph -f dot -o g.dot pp/trace.ipct) &&
	echo "graph: $kb KB" && [ "$kb" -lt $MAX_KB ] &&
	cmp g.dot pp/graph.dot && grep -q "$ROUNDS" g.dot
'

test_expect_success "timeline: every transfer drawn, in under $MAX_KB KB" '
	kb=$(peak "$T" timeline -o t.svg pp/trace.ipct) &&
	echo "timeline: $kb KB" && [ "$kb" -lt $MAX_KB ] &&
	cmp t.svg pp/timeline.svg &&
	grep -q " calls, $((2 * ROUNDS)) transfers" t.svg &&
	[ "$(wc -c <t.svg)" -lt 2000000 ]
'

test_expect_success "perfetto: JSON refused with a pointer to proto" '
	{ "$T" perfetto -o p.json pp/trace.ipct 2>err; [ $? -eq 1 ]; } &&
	grep -q "use --format proto" err && [ ! -e p.json ]
'

test_done
