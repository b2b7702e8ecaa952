#!/bin/sh
# Semaphores matched while the trace is read (viz/stream_sync.c): a
# streamed load of SysV semaphore and POSIX semaphore (futex) traces gives
# every output the full load gives (tests/stream_same.sh), and the
# releases, their latency samples and the waits the workloads themselves
# know.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
build_workload futex_handoff -lpthread
. "$ROOT/tests/stream_same.sh"

# released FILE FROM TO N: the streamed report says FROM released TO
# exactly N times through a semaphore, with N latency samples, and TO
# waited N times for FROM there.
released() {
	jq -e --argjson f "$2" --argjson t "$3" --argjson n "$4" '
		([.flows[] | select(.kind == "sem" and .from == $f and .to == $t)] |
		 length == 1 and .[0].messages == $n and .[0].latency_ns.count == $n) and
		([.processes[] | select(.pid == $t) | .waits[] |
		  select(.peer == $f and (.channel | startswith("sem:")))] |
		 map(.count) | add == $n)' "$1" >/dev/null ||
	{ echo "want $4 releases $2 -> $3; got:"; jq -c "[.flows[] | select(.kind == \"sem\")],
		[.processes[] | {pid, waits}]" "$1"; false; }
}

# A post that finds the child not yet asleep wakes nobody (on a loaded
# machine): the hand-offs are the wakes that woke it, as the raw records
# say (trace dump).
test_expect_success 'POSIX semaphore: 20 posts, each wake a hand-off from parent to child' '
	record fh "$TEST_TMP/futex_handoff" 20 && compare fh &&
	read -r _ parent _ child _ posts <fh.out && [ "$posts" = 20 ] &&
	"$T" dump fh/trace.ipct >fh.dump &&
	wakes=$(grep -Ec " $parent/$parent +futex\(.*FUTEX_WAKE, 1\) = 1 <" fh.dump) &&
	{ [ "$wakes" -ge 10 ] || { grep -E "futex|^[^ ]" fh.dump | head -20; false; }; } &&
	released stream.json "$parent" "$child" "$wakes" &&
	[ "$(jq "[.flows[] | select(.kind == \"sem\")] | length" stream.json)" = 1 ]
'

test_expect_success 'SysV semaphore: one child posts 4 times' '
	record one perl "$ROOT/tests/workloads/sem_wake.pl" one 4 && compare one &&
	{ read -r parent; read -r child; } <one.out &&
	released stream.json "$child" "$parent" 4
'

test_expect_success 'SysV semaphore: 4 children post once each' '
	record many perl "$ROOT/tests/workloads/sem_wake.pl" many 4 && compare many &&
	parent=$(head -n 1 many.out) &&
	for child in $(tail -n +2 many.out); do
		released stream.json "$child" "$parent" 1 || return 1
	done &&
	[ "$(jq "[.flows[] | select(.kind == \"sem\")] | length" stream.json)" = 4 ]
'

test_expect_success 'sem_sum: 6 workers behind one lock, and a pipeline beside it' '
	record sum sh -c "$D/sem_sum -n 20000 -p 6 && seq 1 2000 | wc -l" && compare sum &&
	grep -q "sum=200010000 expected=200010000 ok" sum.out
'

test_done
