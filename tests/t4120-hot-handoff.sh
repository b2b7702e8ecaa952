#!/bin/sh
# Hot paths through a SysV semaphore and a SysV message queue handed back
# and forth (tests/workloads/handoff.c), and through a POSIX semaphore
# (tests/workloads/futex_handoff.c): exact releases, messages, waits and
# critical-path segments; times at least what the workload sleeps.
. "$(dirname "$0")/lib.sh"
require_recording cc jq
K=3
HOLD=20000000           # ns

build_workload handoff
build_workload futex_handoff -lpthread
record_workload sem,msgq handoff $K $((HOLD / 1000000))
read -r _ PARENT _ CHILD _ SEM _ MSGQ <"$TEST_TMP/out"
R="$TEST_TMP/d/report.json"

test_expect_success 'K+1 semaphore releases parent to child, K messages back' '
	jq -e ".flows[] | select(.channel == \"sem:$SEM\") |
	       .from == $PARENT and .to == $CHILD and .messages == $((K + 1)) and
	       .latency_ns.count == $((K + 1)) and .latency_ns.max < $TIME_TOL_NS" $R &&
	jq -e ".flows[] | select(.channel == \"msgq:$MSGQ\") |
	       .from == $CHILD and .to == $PARENT and .messages == $K and .bytes == $((16 * K)) and
	       .latency_ns.count == $K and .latency_ns.max < $TIME_TOL_NS" $R &&
	jq -e ".channels[] | select(.id == \"msgq:$MSGQ\") | .depth_unit == \"messages\" and
	       .max_depth == 1 and .messages == $K" $R
'

# Each wait spans the other side's hold (in the call that waited:
# semtimedop, msgrcv), less the scheduling delay before
# the call began: at least half a hold each, the child's first excepted.
# (glibc's semop() is the semtimedop system call on x86_64)
test_expect_success 'the child waits on the semaphore, the parent on the queue' '
	jq -e --argjson min $((K * HOLD / 2)) ".processes[] | select(.pid == $CHILD) |
	       .waits == [{channel: \"sem:$SEM\", peer: $PARENT, call: \"semtimedop\", count: $((K + 1)), ns: .blocked_ns}] and
	       .blocked_ns >= \$min" $R &&
	jq -e --argjson min $((K * HOLD / 2)) ".processes[] | select(.pid == $PARENT) |
	       .waits == [{channel: \"msgq:$MSGQ\", peer: $CHILD, call: \"msgrcv\", count: $K, ns: .blocked_ns}] and
	       .blocked_ns >= \$min" $R &&
	jq -e ".channels[] | select(.id == \"sem:$SEM\") | .blocked_ns ==
	       ($(jq ".processes[] | select(.pid == $CHILD) | .blocked_ns" $R))" $R
'

test_expect_success 'critical path alternates: 4K+4 segments, holds on it, sum = wall time' '
	jq -c ".critical_path[] | [.pid, .state, .to_ns - .from_ns]" $R &&
	jq -e ".critical_path | length == $((4 * K + 4))" $R &&
	jq -e "([.critical_path[] | .to_ns - .from_ns] | add) == .critical_path_end_ns" $R &&
	jq -e "[.critical_path[] | [.pid, .state, .channel]] ==
	       [[$PARENT, \"running\", null]] +
	       ([range($K)] | map([[$CHILD, \"blocked\", \"sem:$SEM\"], [$CHILD, \"running\", null],
	                          [$PARENT, \"blocked\", \"msgq:$MSGQ\"], [$PARENT, \"running\", null]]) | add) +
	       [[$CHILD, \"blocked\", \"sem:$SEM\"], [$CHILD, \"running\", null],
	        [$PARENT, \"blocked\", null]]" $R &&
	jq -e "[.critical_path[:-2][] | select(.state == \"running\") | .to_ns - .from_ns] |
	       all(. >= $HOLD and . <= $HOLD + $TIME_TOL_NS)" $R
'

test_expect_success 'POSIX semaphore (futex): three waits of the child for the parent' '
	"$T" -q -e sem,shm -o f "$TEST_TMP/futex_handoff" 3 >fout &&
	read -r _ parent _ child _ posts <fout &&
	jq -e --argjson min 30000000 ".processes[] | select(.pid == $child) |
	       (.waits | length == 1) and .waits[0].peer == $parent and .waits[0].count == 3 and
	       (.waits[0].channel | startswith(\"sem:\")) and .blocked_ns >= \$min" f/report.json &&
	jq -e "[.flows[] | select(.kind == \"sem\")][0].latency_ns.count == 3" f/report.json
'
test_done
