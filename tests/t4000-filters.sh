#!/bin/sh
# t4000-filters: the filter options every reading subcommand shares
# (docs/filters.md), on a recording of pipe_sum -p 4: four children each
# write 8 bytes into one pipe the parent reads.  Also: a run's output
# directory is accepted wherever a trace file is.
. "$(dirname "$0")/lib.sh"
require_recording jq

"$T" -q -o "$TEST_TMP/d" "$ROOT/demos/pipe_sum" -n 100 -p 4 >/dev/null 2>&1
D="$TEST_TMP/d"
R="$D/report.json"
root=$(jq .processes[0].pid "$R" 2>/dev/null)
child=$(jq .processes[1].pid "$R" 2>/dev/null)
pipe=$(jq -r '.channels[] | select(.kind == "pipe") | .id' "$R" 2>/dev/null)

test_expect_success 'the recording has 5 processes and 4 flows of 8 bytes' '
	[ "$(jq ".processes | length" $R)" = 5 ] &&
	[ "$(jq "[.flows[] | select(.kind == \"pipe\" and .bytes == 8)] | length" $R)" = 4 ]
'

test_expect_success 'every reading subcommand accepts the output directory' '
	"$T" report --json "$D" >a.json && "$T" report --json "$D/trace.ipct" >b.json &&
	cmp a.json b.json &&
	"$T" graph --format dot "$D" >g.dot && grep -q "^digraph" g.dot &&
	"$T" timeline "$D" >t.svg && grep -q "<svg" t.svg &&
	"$T" perfetto "$D" >p.json && jq -e .traceEvents p.json >/dev/null &&
	"$T" dump "$D" >dump.txt && [ "$(wc -l <dump.txt)" -gt 10 ]
'

test_expect_success '--pid CHILD keeps the child, its peer and its one flow' '
	"$T" report --json --pid $child "$D" >r.json &&
	[ "$(jq -c "[.processes[].pid] | sort" r.json)" = "$(echo "[$root,$child]" | jq -c sort)" ] &&
	[ "$(jq -c "[.flows[] | [.from, .to, .messages, .bytes]]" r.json)" = "[[$child,$root,1,8]]" ]
'

test_expect_success '--comm with --children keeps all, without the children only the named' '
	"$T" report --json --comm pipe_sum "$D" >r.json &&
	[ "$(jq ".flows | length" r.json)" = 4 ] &&
	"$T" report --json --pid $root "$D" >r2.json &&
	[ "$(jq ".flows | length" r2.json)" = 4 ] &&
	"$T" report --json --pid $root --children --kind pipe "$D" >r3.json &&
	[ "$(jq ".processes | length" r3.json)" = 5 ]
'

test_expect_success '--kind pipe keeps the pipe, --kind !pipe drops its flows' '
	"$T" report --json --kind pipe "$D" >r.json &&
	[ "$(jq -c "[.channels[].kind] | unique" r.json)" = "[\"pipe\"]" ] &&
	[ "$(jq ".flows | length" r.json)" = 4 ] &&
	"$T" report --json --kind "!pipe" "$D" >r2.json &&
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")] | length" r2.json)" = 0 ] &&
	[ "$(jq ".flows | length" r2.json)" = 0 ]
'

test_expect_success '--channel ID keeps that channel alone' '
	"$T" report --json --channel "$pipe" "$D" >r.json &&
	[ "$(jq -c "[.channels[].id]" r.json)" = "[\"$pipe\"]" ] &&
	[ "$(jq "[.flows[].bytes] | add" r.json)" = 32 ]
'

test_expect_success '--window: all of it keeps 4 flows, the first nanosecond none' '
	"$T" report --json --window 0,1000s "$D" >r.json &&
	[ "$(jq ".flows | length" r.json)" = 4 ] &&
	"$T" report --json --window 0,1ns "$D" >r2.json &&
	[ "$(jq ".flows | length" r2.json)" = 0 ]
'

test_expect_success 'dump --pid CHILD --kind pipe prints its one 8-byte write' '
	"$T" dump --pid $child --kind pipe "$D" >out &&
	[ "$(grep -c " write([0-9]*<pipe:" out)" = 1 ] && grep -q ") = 8 <" out &&
	! grep -v " $child/$child " out &&
	"$T" dump --channel "$pipe" "$D" >out2 &&
	[ "$(grep -c " write([0-9]*<pipe:" out2)" = 4 ] && [ "$(grep -c " read([0-9]*<pipe:" out2)" -ge 1 ] &&
	! grep -E " (fork\(|execve\(|\+\+\+ )" out2
'

test_expect_code 2 'a reversed window is a usage error' '"$T" report --window 2s,1s "$D"'
test_expect_code 2 'an unknown kind is a usage error' '"$T" graph --kind pipes "$D"'
test_expect_code 2 'pid 0 is a usage error' '"$T" dump --pid 0 "$D"'
test_expect_code 2 'a unitless junk window is a usage error' '"$T" timeline --window 1x,2 "$D"'
test_expect_code 1 'a directory without a trace is an error' '"$T" report "$TEST_TMP"'

test_expect_success 'report --all lists every object, the text report the shown ones and a count' '
	n=$(jq ".channels | length" $R) && shown=$(jq "[.channels[] | select(.folded | not)] | length" $R) &&
	"$T" report --all "$D" >all.txt && "$T" report "$D" >def.txt &&
	grep -q "^channels ($n with --all: every object the trace saw):" all.txt &&
	grep -q "^channels ($shown that carried" def.txt &&
	grep -q "(+$((n - shown)) objects that were not communication" def.txt &&
	! grep -q "objects that were not communication" all.txt &&
	sed -n "/^channels/,/^flows/p" all.txt >all-ch.txt &&
	sed -n "/^channels/,/^flows/p" def.txt >def-ch.txt &&
	for id in $(jq -r ".channels[] | select(.folded) | .id" $R); do
		grep -q "^  $id " all-ch.txt && ! grep -q "^  $id " def-ch.txt || exit 1
	done
'

test_done
