#!/bin/sh
# Hostile field values in whole records: every reading command finishes
# in bounded time and exits 0.  Cases found by the fuzzers are kept here
# (fuzz/fuzz_model.c, fuzz/fuzz_dump.c); the files are made by
# tests/workloads/mktrace.py.
. "$(dirname "$0")/lib.sh"
require_cmd python3
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
MK="$PY $ROOT/tests/workloads/mktrace.py --end"

# Two forks, the second at ts 2^63, and a pipe write at ts 2^64-1: the
# timeline's axis once stepped past the end of time and wrapped forever.
FORK1=1:56:00:24=65000000:28=65000000
FORK2=1:56:00:0=ffffffffffffff7f:24=66000000:28=66000000
WRITE=5:144:00:0=ffffffffffffffff:32=01000000:56=0d000000:66=0100:67=01
for c in "report" "report --json" "graph" "timeline" "perfetto" "dump"; do
	test_expect_success "$c: timestamps up to 2^64-1 finish in bounded time" '
		$MK huge.ipct $FORK1 $FORK2 $WRITE &&
		timeout 20 "$T" '"$c"' huge.ipct >out 2>err; rc=$?; cat err; [ $rc = 0 ] && [ -s out ]
	'
done
test_expect_success 'timeline: the axis of a 2^64 ns span has at most a dozen ticks' '
	$MK huge.ipct $FORK1 $FORK2 $WRITE && "$T" timeline huge.ipct >t.svg &&
	n=$(grep -c "class=\"tick\"" t.svg) && echo "$n ticks" && [ $n -ge 2 ] && [ $n -le 12 ]
'
test_done
