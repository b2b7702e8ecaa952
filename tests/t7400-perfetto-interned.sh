#!/bin/sh
# The protobuf export interns its strings (docs/perfetto.md): every slice's
# category, name and channel, read back through the interned data by the
# test's own decoder (tests/workloads/pftrace.py), are the workload's own
# calls: ping-pong's N round trips are N writes and N reads on each of its
# two pipes, and 2N transfers.  No iid is used before its interned data or
# in a packet that does not ask for the sequence's state; the first packet
# starts that state.  The streamed and the whole-model writers agree.
. "$(dirname "$0")/lib.sh"
require_recording jq python3 protoc
PF="$ROOT/tests/workloads/pftrace.py"
N=1500

fact() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

test_expect_success 'record the ping-pong and write the protobuf both ways' '
	"$T" -q -s 0 -o run "$ROOT/bench/pingpong" -n $N >/dev/null &&
	"$T" perfetto --format proto --full -o full.pb run &&
	"$T" perfetto --format proto --stream -o stream.pb run &&
	python3 "$PF" full.pb >full.facts && python3 "$PF" stream.pb >stream.facts &&
	grep -v "^packets" full.facts | sort >a && grep -v "^packets" stream.facts | sort >b &&
	same "streamed against whole" "$(cat b)" "$(cat a)"
'

test_expect_success 'protoc parses every packet' '
	protoc --decode_raw <stream.pb >raw &&
	[ $(grep -c "^1 {" raw) = $(fact stream.facts packets) ]
'

test_expect_success 'each pipe: N writes and N reads, named through the interned data' '
	jq -r ".flows[] | select(.kind == \"pipe\") | .channel" run/report.json | sort -u >pipes &&
	[ $(wc -l <pipes) = 2 ] &&
	for ch in $(cat pipes); do
		grep -qx "slice pipe write $ch $N" stream.facts &&
		grep -qx "slice pipe read $ch $N" stream.facts || return 1
	done &&
	[ $(grep -c "^slice pipe " stream.facts) = 4 ] &&
	[ "$(fact stream.facts flows)" = $((2 * N)) ] &&
	[ "$(fact stream.facts flow_ends)" = $((2 * N)) ] &&
	[ "$(fact stream.facts unmatched)" = 0 ]
'

test_expect_success 'every iid is defined first, in a packet that needs the state' '
	[ "$(fact stream.facts bad_iids)" = 0 ] && [ "$(fact full.facts bad_iids)" = 0 ] &&
	[ "$(fact stream.facts cleared_first)" = 1 ]
'

test_expect_success 'each string is interned once: the names are not in every packet' '
	[ $(grep -c "^ *2: \"write\"$" raw) = 1 ] && [ $(grep -c "^ *2: \"sent\"$" raw) = 1 ] &&
	for ch in $(cat pipes); do
		[ $(grep -c "^ *2: \"$ch\"$" raw) = 1 ] || return 1
	done
'

# a slice, its end, a flow point and a counter per call: about 100 bytes
test_expect_success 'the protobuf stays under 120 bytes per call' '
	calls=$(fact stream.facts slices) &&
	size=$(stat -c %s stream.pb) && echo "$size bytes, $calls calls" &&
	[ "$calls" -ge $((4 * N)) ] && [ "$size" -lt $((120 * calls)) ]
'

test_done
