#!/bin/sh
# timeline --depth: under the lanes, a strip per busy channel with its
# depth (sent and not yet received) and what was sent over time.
# - a producer faster than its consumer (tests/workloads/producer.c):
#   the strip names both ends, its peak is the report's max_depth, and
#   its tooltip the bytes the workload sent;
# - dd's one write of 256 KiB into a pipe returns only after cat took
#   most of it: the depth never shows more than the pipe holds.
. "$(dirname "$0")/lib.sh"
require_recording cc jq
build_workload producer
COUNT=10 SIZE=1000

test_expect_success 'one strip, named by its two ends, with the peak of the report' '
	"$T" -q -e pipe -o p ./producer $COUNT $SIZE 1 20 >ends &&
	read -r _ PROD _ CONS <ends &&
	"$T" timeline --depth -o p.svg p &&
	[ "$(grep -c "class=\"striplabel\"" p.svg)" = 1 ] &&
	grep -q ">producer $PROD → producer $CONS</text>" p.svg &&
	max=$(jq -r "[.channels[] | select(.kind == \"pipe\")][0].max_depth" p/report.json) &&
	[ "$max" -ge $SIZE ] &&
	grep -q ">depth, max $max B</text>" p.svg
'

test_expect_success 'the depth area and the sent line, with what was sent' '
	grep -q "<path d=\"M[0-9.,L ]*z\" class=\"depth c-pipe\"><title>pipe:" p.svg &&
	grep -q "class=\"sent\"><title>pipe:[^<]*: $((COUNT * SIZE)) B sent; at most" p.svg
'

test_expect_success 'without --depth, no strip; the same lanes' '
	"$T" timeline -o plain.svg p &&
	! grep -q striplabel plain.svg &&
	[ "$(grep -c "class=\"lane " plain.svg)" = "$(grep -c "class=\"lane " p.svg)" ]
'

"$T" -q -e pipe -o "$TEST_TMP/dd" sh -c \
	'dd if=/dev/zero bs=262144 count=1 status=none | (sleep 0.3; cat >/dev/null)' ||
	{ echo "Bail out! dd | cat failed under the tracer"; exit 1; }

test_expect_success 'a 256 KiB write: every byte delivered, never more than the pipe held' '
	jq -e "[.flows[] | select(.kind == \"pipe\")] | length == 1 and .[0].bytes == 262144" \
		dd/report.json &&
	jq -e "[.channels[] | select(.kind == \"pipe\")][0].max_depth <= 65536" dd/report.json &&
	"$T" timeline --depth -o dd.svg dd &&
	grep -q ">dd [0-9]* → cat [0-9]*</text>" dd.svg
'

test_expect_success 'a trace with no channel: no strip, still a picture' '
	"$T" -q -e pipe -o none true &&
	"$T" timeline --depth -o none.svg none &&
	grep -q "</svg>" none.svg && ! grep -q striplabel none.svg
'

test_expect_code 2 '--depth belongs to the timeline only' '
	"$T" report --depth p
'
test_done
