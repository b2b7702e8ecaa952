#!/bin/sh
# Regular files matched while the trace is read (viz/stream_file.c): a
# streamed load gives every output the full load gives
# (tests/stream_same.sh), and the bytes each reader got from each writer,
# around an overwrite, are the ones the workload wrote.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
. "$ROOT/tests/stream_same.sh"

test_expect_success 'file_sum: 6 workers, 8 bytes each to the parent' '
	record sum "$D/file_sum" -n 6000 -p 6 && compare sum &&
	grep -q "sum=18003000 expected=18003000 ok" sum.out &&
	parent=$(jq ".processes[0].pid" stream.json) &&
	jq -e --argjson p "$parent" "[.flows[] | select(.kind == \"file\")] |
		length == 6 and all(.to == \$p and .bytes == 8 and .messages == 1)" stream.json
'

# One write of 12288 bytes, an overwrite of the middle 4096 by another
# process, then two readers of the whole file: each reader gets 8192
# bytes of the first write and 4096 of the second, one message each.
test_expect_success 'an overwrite read by two readers' '
	record over sh -c "python3 -c \"open(\\\"f\\\", \\\"wb\\\").write(b\\\"a\\\" * 12288)\" &&
		python3 -c \"f = open(\\\"f\\\", \\\"r+b\\\"); f.seek(4096); f.write(b\\\"b\\\" * 4096)\" &&
		cat f >/dev/null && cat f >/dev/null" &&
	compare over &&
	id=$(jq -r "[.channels[] | select(.kind == \"file\" and .name == \"f\")][0].id" \
		stream.json) &&
	same "flows of f" "$(jq -c --arg id "$id" "[.flows[] | select(.channel == \$id) |
		[.bytes, .messages]] | sort" stream.json)" "[[4096,1],[4096,1],[8192,1],[8192,1]]"
'

test_expect_success 'a shell pipeline through temporary files' '
	record sh sh -c "seq 1 20000 >a; sort -r a >b; tail -n 5 b >c; wc -l a b c >d; cat d" &&
	compare sh &&
	grep -q "40005 total" sh.out
'

test_done
