#!/bin/sh
# t1030-perfetto: record demos/pipe_sum and check DIR/perfetto.json, the
# Chrome trace-event export: one flow start and end per child's 8-byte
# write, every process named, `trace perfetto` gives the same bytes and
# needs no root.
. "$(dirname "$0")/lib.sh"
require_recording
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

test_expect_success 'recording writes a valid perfetto.json' '
	"$T" -q -o d "$ROOT/demos/pipe_sum" -n 100 -p 4 >/dev/null &&
	test -s d/perfetto.json &&
	jq -e ".traceEvents | length > 0" d/perfetto.json >/dev/null &&
	jq -e ".displayTimeUnit == \"ns\"" d/perfetto.json >/dev/null
'

test_expect_success '4 flow starts at the children, 4 flow ends at the parent, ids paired' '
	p=d/perfetto.json r=d/report.json &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"s\")] | length" $p)" = 4 ] &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"f\" and .bp == \"e\")] | length" $p)" = 4 ] &&
	[ "$(jq -c "[.traceEvents[] | select(.ph == \"s\") | .id] | sort" $p)" = \
	  "$(jq -c "[.traceEvents[] | select(.ph == \"f\") | .id] | sort" $p)" ] &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"s\" and .args.bytes == 8)] | length" $p)" = 4 ] &&
	root=$(jq .metadata.root_pid $p) &&
	[ "$(jq -c "[.traceEvents[] | select(.ph == \"s\") | .pid] | sort" $p)" = \
	  "$(jq -c "[.processes[] | select(.pid != $root) | .pid] | sort" $r)" ] &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"f\" and .pid != $root)] | length" $p)" = 0 ]
'

test_expect_success 'every process has a process_name, each write a slice' '
	p=d/perfetto.json &&
	for pid in $(jq ".processes[].pid" d/report.json); do
		[ "$(jq "[.traceEvents[] | select(.ph == \"M\" and .name == \"process_name\" and .pid == $pid)] | length" $p)" = 1 ] ||
			{ echo "no name for $pid"; exit 1; }
	done &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"X\" and .name == \"write pipe\" and .args.bytes == 8)] | length" $p)" = 4 ]
'

test_expect_success 'trace perfetto FILE -o OUT gives the same file' '
	"$T" perfetto d/trace.ipct -o p.json &&
	cmp p.json d/perfetto.json
'

test_expect_success 'trace perfetto needs no root' '
	chmod 755 . &&
	nobody "$T" perfetto d/trace.ipct >p2.json &&
	cmp p2.json d/perfetto.json
'

test_expect_code 2 'a usage error exits 2' '"$T" perfetto'

test_done
