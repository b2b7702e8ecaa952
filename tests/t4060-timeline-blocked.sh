#!/bin/sh
# t4060-timeline-blocked: time blocked in calls that move no data shows on
# the timeline as what it was: a process in accept while its client sleeps
# 60 ms, then waiting in select on a pipe while the writer sleeps 40 ms;
# the legend names each call ("in accept4 (unix)", "waiting in pselect6
# (pipe ready)"), and a select that watches nothing (a sleep) is not drawn.
. "$(dirname "$0")/lib.sh"
require_recording perl
cd "$TEST_TMP" || exit 1

"$T" -q -o o perl "$ROOT/tests/workloads/accept_wait.pl" "$TEST_TMP" >out.txt 2>&1
parent=$(sed -n "s/^parent \([0-9]*\) child \([0-9]*\)$/\1/p" out.txt)
child=$(sed -n "s/^parent \([0-9]*\) child \([0-9]*\)$/\2/p" out.txt)

# blocked PID CALL-REGEX: the tooltips of PID's accept/connect blocks
# that start with CALL; waited PID CALL-REGEX: of its waits.
blocked() {
	sed -n "s/.*class=\"recv c-[a-z]* p$1 blocked\"><title>\($2[^<]*\)<\/title>.*/\1/p" o/timeline.svg
}
waited() {
	sed -n "s/.*class=\"recv wait c-[a-z]* p$1\"><title>\($2[^<]*\)<\/title>.*/\1/p" o/timeline.svg
}
# ms TOOLTIP: the time in the call ("..., 41.2 ms in the call", "waiting
# in X, 41.2 ms, until ..."), in ms.
ms() { echo "$1" | sed -n 's/^[^,]*, \([0-9.]*\) \(ms\|µs\|ns\|s\)\( in the call$\|, until\).*/\1 \2/p' |
	awk '{ print $2 == "ms" ? $1 : $2 == "s" ? $1 * 1000 : $2 == "µs" ? $1 / 1000 : 0 }'; }

test_expect_success 'the workload ran' '
	cat out.txt && [ -n "$parent" ] && [ -n "$child" ]
'

test_expect_success 'the parent: one block in accept on the unix socket, for most of the 60 ms' '
	a=$(blocked $parent "accept4\{0,1\} on unix") && echo "$a" &&
	[ "$(echo "$a" | wc -l)" = 1 ] &&
	awk -v t="$(ms "$a")" "BEGIN { exit !(t >= 30) }"
'

test_expect_success 'the parent: one block waiting in select until the pipe was ready, most of the 40 ms' '
	s=$(waited $parent "waiting in p\{0,1\}select6\{0,1\}, .*, until pipe:[0-9:]* (fd [0-9]*) was ready") &&
	echo "$s" &&
	[ "$(echo "$s" | wc -l)" = 1 ] &&
	awk -v t="$(ms "$s")" "BEGIN { exit !(t >= 20) }"
'

test_expect_success 'the child: its connect drawn, its sleeping select not' '
	[ "$(blocked $child "connect on unix" | wc -l)" = 1 ] &&
	[ -z "$(waited $child "waiting in p\{0,1\}select")" ]
'

test_expect_success 'the legend names each call and kind' '
	grep -q ">in accept4\{0,1\} (unix)</text>" o/timeline.svg &&
	grep -q ">waiting in p\{0,1\}select6\{0,1\} (pipe ready)</text>" o/timeline.svg &&
	grep -q ">in connect (unix)</text>" o/timeline.svg
'

test_done
