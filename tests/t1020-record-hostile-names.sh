#!/bin/sh
# Everything the traced system names is hostile: a program called
# `<script>&"x'\N` reading a FIFO whose path holds markup, quotes, a
# backslash and a newline, sent a payload with markup, must come out
# escaped in every JSON, DOT and SVG file, which must stay well-formed.
. "$(dirname "$0")/lib.sh"
require_recording

# The workload, written out so its names need no shell quoting tricks.
cat >"$TEST_TMP/hostile.sh" <<'SCRIPT'
prog=$(printf '%s' "./<script>&\"x'\\N")
fifo=$(printf './f<b>&"\\\nq\\G')
cp /bin/cat "$prog" && mkfifo "$fifo" || exit 1
"$prog" <"$fifo" >copy &
echo 'payload-<i>' >"$fifo"
wait
SCRIPT

test_expect_success 'trace it: JSON parses, SVGs are well-formed, DOT renders' '
	"$T" -q -o out sh "$TEST_TMP/hostile.sh" &&
	grep -q "payload-<i>" copy &&
	jq -e . out/report.json >/dev/null &&
	xmllint --noout out/graph.svg out/timeline.svg &&
	dot -Tsvg out/graph.dot >/dev/null
'

test_expect_success 'the names reach the JSON exactly' '
	jq -r ".processes[].comm" out/report.json >comms &&
	grep -qxF "<script>&\"x'"'"'\\N" comms &&
	[ "$(jq -r "[.channels[] | select(.kind == \"fifo\")][0].name" out/report.json)" = "$(printf "./f<b>&\"\\\\\nq\\\\G")" ]
'

test_expect_success 'the FIFO carried one message of 12 bytes from sh to the reader' '
	jq -e "[.flows[] | select(.kind == \"fifo\" and .messages == 1 and .bytes == 12)] | length == 1" out/report.json
'

test_expect_success 'no raw markup from the traced system in the SVGs' '
	! grep -q "<script>" out/graph.svg && ! grep -q "<script>" out/timeline.svg &&
	! grep -q "<b>" out/graph.svg && ! grep -q "<b>" out/timeline.svg &&
	! grep -q "<i>" out/timeline.svg &&
	grep -q "&lt;script&gt;" out/graph.svg && grep -q "&lt;script&gt;" out/timeline.svg
'

test_expect_success 'the payload sample is in the JSON, escaped' '
	jq -e "[.flows[] | select(.kind == \"fifo\")][0].sample == \"payload-<i>\n\"" out/report.json &&
	grep -qF "\"payload-<i>\\u000a\"" out/report.json
'

test_expect_success 'text report and dump keep the terminal safe' '
	"$T" report out/trace.ipct >text && grep -qF "f<b>&\"\\\\\\x0aq\\\\G" text &&
	"$T" dump out/trace.ipct >dump && grep -qF "comm=\"<script>&\\\"x'"'"'\\\\N\"" dump &&
	! grep -q "$(printf "\033")" dump
'
test_done
