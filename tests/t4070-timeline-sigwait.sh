#!/bin/sh
# t4070-timeline-sigwait: a process that waits for a signal in sigwaitinfo
# (tests/workloads/sigwait_wait.c: the parent blocks SIGUSR1 and takes it
# 3 times; its child sends it every 40 ms) is blocked in that call, as any
# receive that waited: report.json's waits name the call, the signal and
# the sender, the timeline draws a block per wait ("in sigwait"), and
# sigwait is no longer among the waits the trace cannot see.
. "$(dirname "$0")/lib.sh"
require_recording jq
build_workload sigwait_wait
cd "$TEST_TMP" || exit 1
N=3 HOLD=40

"$T" -q -o d ./sigwait_wait $N $HOLD >out.txt 2>&1
parent=$(sed -n "s/^parent \([0-9]*\) child \([0-9]*\)$/\1/p" out.txt)
child=$(sed -n "s/^parent \([0-9]*\) child \([0-9]*\)$/\2/p" out.txt)
R=d/report.json

test_expect_success 'the workload took its 3 signals from the child' '
	cat out.txt && [ -n "$parent" ] && grep -qx "got $N" out.txt &&
	jq -e "[.flows[] | [.from, .to, .kind, .messages]] == [[$child, $parent, \"signal\", $N]]" $R
'
test_expect_success 'the parent waited N times in rt_sigtimedwait for the child, each about a hold' '
	jq -c ".processes[] | select(.pid == $parent) | .waits" $R &&
	jq -e --argjson min $((N * HOLD * 1000000 / 2)) ".processes[] | select(.pid == $parent) |
	       .waits == [{channel: \"signal:$parent\", peer: $child, call: \"rt_sigtimedwait\",
	                   count: $N, ns: .blocked_ns}] and .blocked_ns >= \$min" $R
'
test_expect_success 'sigwait is not listed among the waits the trace cannot see' '
	jq -e "(.waits_unseen | index(\"sigwait\")) == null" $R
'
test_expect_success 'the timeline: one block per wait on the parent, named in the legend' '
	[ "$(grep -c "<title>sigwait SIGUSR1 on signal:$parent, [0-9.]* ms in the call</title>" d/timeline.svg)" = $N ] &&
	grep -q ">in sigwait<" d/timeline.svg
'
test_done
