#!/bin/sh
# Readers refuse records shorter than their type: `trace dump` and the
# model-based commands print the records before the short one, then one
# error line naming the record, and exit 1; nothing past a record's end is
# ever read (the filler bytes 'A' would show).  The files are made by
# tests/workloads/mktrace.py, which writes the format on its own.
. "$(dirname "$0")/lib.sh"
require_cmd python3
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3	# skip the pyenv shim
MK="$PY $ROOT/tests/workloads/mktrace.py --end"
# type:minimum size of the records bpf/events.h defines today
SIZES="1:56 2:304 3:32 4:64 5:144 6:320 7:184 8:136 9:104 10:88 11:256"

test_expect_success 'whole records of every type dump, one line each' '
	recs= && for ts in $SIZES; do recs="$recs $ts:00"; done &&
	$MK t.ipct $recs && "$T" dump t.ipct >out 2>err &&
	[ $(wc -l <out) = 11 ] && ! [ -s err ] && ! grep -q A out
'
for ts in $SIZES; do
	type=${ts%:*} size=${ts#*:}
	test_expect_success "type $type: a bare header and one word short are refused by dump" '
		# io: one word short of its older form (longer ones are widened)
		for short in 24 $(('$type' == 5 ? 64 : '$size' - 8)); do
			[ $short -lt 24 ] && continue
			$MK s.ipct 1:56:00 '$type':$short 3:32:00 || exit 1
			"$T" dump s.ipct >out 2>err; rc=$?
			cat out err
			[ $rc = 1 ] && [ $(wc -l <out) = 1 ] && grep -q "^ *0.000000 *100/100 *fork" out &&
			grep -qx "error: cannot read .s.ipct.: trace file is corrupt (a type '$type' record of $short bytes is too short for its type)" err &&
			[ $(wc -l <err) = 1 ] || exit 1
		done
	'
done
# An io record of the older, shorter form is widened, so it is the one
# exception: 72 bytes (before offset, peers and payload) read as a whole one.
test_expect_success 'io: the older 72-byte form is read, its later fields zero' '
	$MK o.ipct 5:72:00 && "$T" dump o.ipct >out && cat out && grep -q "read(0, \"\", 0) = 0 <" out
'
test_expect_success 'io: a payload_len past the record end is refused' '
	$MK p.ipct 5:152:00:140=09000000 && ! "$T" dump p.ipct 2>err && cat err &&
	grep -q "type 5 record of 152 bytes is too short" err &&
	$MK p.ipct 5:152:00:140=08000000 && "$T" dump p.ipct >out && grep -q "read(0, \"\\\\x00" out
'
for cmd in report graph timeline perfetto; do
	test_expect_code 1 "$cmd refuses a short exec record with one error line" '
		$MK s.ipct 1:56:00 2:40 && "$T" '$cmd' -o out.x s.ipct 2>err; rc=$?; cat err;
		grep -q "too short for its type" err && [ $(wc -l <err) = 1 ] && exit $rc
	'
done
test_done
