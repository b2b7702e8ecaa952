#!/bin/sh
# The Perfetto protobuf export (trace perfetto --format proto): protoc
# parses it, and a decoder of the test's own (tests/workloads/pftrace.py)
# finds what the workload knows: one process track per process, a slice
# per call, one flow per transfer with every arrow forward in time, and a
# counter track for the channel.  After a recording, traces of more calls
# than the JSON threshold get perfetto.pftrace instead of perfetto.json.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
PF="$ROOT/tests/workloads/pftrace.py"
P=5

# fact FILE NAME: the value pftrace.py prints for NAME.
fact() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

test_expect_success 'record pipe_sum and export it as protobuf' '
	"$T" -q -o run "$D/pipe_sum" -n 10000 -p $P >/dev/null &&
	"$T" perfetto --format proto -o run/t.pftrace run &&
	python3 "$PF" run/t.pftrace >facts && cat facts
'

if command -v protoc >/dev/null 2>&1; then
	test_expect_success 'protoc parses every packet' '
		protoc --decode_raw <run/t.pftrace >raw &&
		[ $(grep -c "^1 {" raw) = $(fact facts packets) ]
	'
else
	test_skip 'protoc parses every packet' 'needs protoc (protobuf-compiler)'
fi

test_expect_success 'a process track per process, a thread track per caller' '
	[ $(grep -c "^process " facts) = $(jq ".processes | length" run/report.json) ] &&
	[ $(grep -c "^process [0-9]* pipe_sum$" facts) = $((P + 1)) ]
'

test_expect_success 'every call is a slice that ends' '
	[ "$(fact facts slices)" -gt 0 ] && [ "$(fact facts slices)" = "$(fact facts slice_ends)" ]
'

test_expect_success 'one flow per transfer, all forward in time' '
	[ "$(fact facts flows)" = $P ] && [ "$(fact facts flow_ends)" = $P ] &&
	[ "$(fact facts backward)" = 0 ] && [ "$(fact facts unmatched)" = 0 ]
'

test_expect_success 'the pipe has a bytes-in-flight counter track' '
	ch=$(jq -r ".flows[] | select(.kind == \"pipe\") | .channel" run/report.json | sort -u) &&
	grep -q "^counter_track in flight: $ch$" facts &&
	[ "$(fact facts counters)" = $((2 * P)) ]
'

test_expect_code 2 'an unknown format is a usage error' '"$T" perfetto --format xml run'

# 4 calls per round trip: 30000 round trips pass the 100000-call threshold.
test_expect_success 'a large recording gets perfetto.pftrace, not perfetto.json' '
	"$T" -q -s 0 -o big "$ROOT/bench/pingpong" -n 30000 >/dev/null &&
	[ -s big/perfetto.pftrace ] && [ ! -e big/perfetto.json ] &&
	python3 "$PF" big/perfetto.pftrace >bigfacts &&
	[ "$(fact bigfacts backward)" = 0 ] && [ "$(fact bigfacts unmatched)" = 0 ]
'

test_expect_success 'the protobuf is smaller than the JSON of the same trace' '
	"$T" perfetto -o big.json big &&
	js=$(stat -c %s big.json) && pb=$(stat -c %s big/perfetto.pftrace) &&
	echo "json $js bytes, protobuf $pb bytes" && [ "$pb" -lt "$js" ]
'

test_done
