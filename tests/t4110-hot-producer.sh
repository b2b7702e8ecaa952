#!/bin/sh
# Channels over time: a producer faster than its consumer
# (tests/workloads/producer.c) fills a pipe, which drains after it
# stopped.  The depth must rise, then fall to 0: exact numbers of rises
# and falls in the Perfetto counter track, the peak in the report; the
# delivery latency grows with the backlog.
. "$(dirname "$0")/lib.sh"
require_recording cc jq
COUNT=10
SIZE=1000

build_workload producer
record_workload pipe producer $COUNT $SIZE 1 20
read -r _ PROD _ CONS <"$TEST_TMP/out"
R="$TEST_TMP/d/report.json"
P="$TEST_TMP/d/perfetto.json"

test_expect_success 'the flow: COUNT messages, COUNT*SIZE bytes' '
	jq -e "[.flows[] | select(.kind == \"pipe\")] | length == 1" $R &&
	jq -e ".flows[] | select(.kind == \"pipe\") | .from == $PROD and .to == $CONS and
	       .messages == $COUNT and .bytes == $((COUNT * SIZE)) and
	       .latency_ns.count == $COUNT" $R
'

test_expect_success 'the pipe fills while the producer writes: max depth and when' '
	jq -e ".flows[] | select(.kind == \"pipe\") | .channel" $R >ch &&
	jq -e --argjson ch "$(cat ch)" ".channels[] | select(.id == \$ch) |
	       .depth_unit == \"bytes\" and .messages == $COUNT and
	       .max_depth >= $((3 * SIZE)) and .max_depth <= $((COUNT * SIZE)) and
	       .max_depth % $SIZE == 0" $R
'

test_expect_success 'perfetto depth track: COUNT rises, then COUNT falls to 0' '
	jq -e . $P >/dev/null &&
	jq -r "[.traceEvents[] | select(.ph == \"C\" and (.name | startswith(\"depth pipe:\")))] |
	       .[].args.bytes" $P >depth &&
	[ "$(head -n 1 depth)" = 0 ] && [ "$(tail -n 1 depth)" = 0 ] &&
	[ "$(wc -l <depth)" = $((2 * COUNT + 1)) ] &&
	awk -v size=$SIZE "NR > 1 { d = \$1 - prev; if (d == size) up++; else if (d == -size) down++; else bad++ }
	     { prev = \$1 } END { exit !(up == $COUNT && down == $COUNT && bad == 0) }" depth &&
	max=$(sort -n depth | tail -n 1) &&
	jq -e ".channels[] | select(.id == $(cat ch)) | .max_depth == $max" $R
'

test_expect_success 'perfetto throughput track: COUNT*SIZE bytes in all' '
	jq -e "[.traceEvents[] | select(.ph == \"C\" and (.name | startswith(\"throughput pipe:\")))] |
	       length >= 2 and (.[-1].args[\"bytes/s\"] == 0)" $P &&
	jq -e ".traceEvents[] | select(.ph == \"M\" and .pid == 0) | .args.name == \"IPC channels\"" $P
'

test_expect_success 'latency grows with the backlog: the last message waited longest' '
	jq -e ".flows[] | select(.kind == \"pipe\") | .latency_ns |
	       .max >= 100000000 and .min < .max and .p50 <= .p90 and .p90 <= .p99 and
	       .p99 == .max and ([.histogram[].count] | add == $COUNT)" $R
'

test_expect_success 'the consumer never waited after its first read; --top ranks the pipe' '
	jq -e ".processes[] | select(.pid == $CONS) | [.waits[].count] | add // 0 | . <= 1" $R &&
	"$T" report --top 1 d/trace.ipct >top &&
	grep -A1 "^top 1 channels by bytes sent:" top | grep -q "^  $(jq -r . ch) *pipe *$((COUNT * SIZE))$"
'
test_done
