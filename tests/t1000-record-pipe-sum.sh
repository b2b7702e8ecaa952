#!/bin/sh
# End to end: record demos/pipe_sum and check the report against what the
# demo itself knows: P+1 processes, one pipe, each worker sends exactly one
# 8-byte partial sum to the parent, nothing lost.
. "$(dirname "$0")/lib.sh"
require_recording

# root_pid REPORT: the pid whose parent is not in the trace.
root_pid() {
	jq -r '[.processes[].pid] as $p | .processes[] | select(.ppid as $q | $p | index($q) | not) | .pid' "$1"
}

# check_sum N P: trace pipe_sum -n N -p P and verify everything exact.
check_sum() {
	n=$1 p=$2 d=out-$1-$2
	rm -rf "$d"
	"$T" -q -o "$d" "$ROOT/demos/pipe_sum" -n "$n" -p "$p" >stdout 2>stderr || { cat stderr; return 1; }
	expected=$(( n * (n + 1) / 2 ))
	grep -q "sum=$expected " stdout || { echo "demo output: $(cat stdout)"; return 1; }
	r=$d/report.json
	jq -e . "$r" >/dev/null || return 1
	root=$(root_pid "$r")
	[ "$(json_get "$r" '.processes | length')" = $((p + 1)) ] || { echo "processes"; return 1; }
	[ "$(json_get "$r" '.lost_events')" = 0 ] || { echo "lost"; return 1; }
	[ "$(json_get "$r" '.exit_status')" = 0 ] || { echo "exit_status"; return 1; }
	# every child is the root's child and exited 0
	[ "$(jq "[.processes[] | select(.pid != $root) | select(.ppid == $root and .exit_code == 0)] | length" "$r")" = "$p" ] ||
		{ echo "children"; return 1; }
	# exactly P pipe flows, one per child, each 1 message of 8 bytes to the root
	[ "$(json_get "$r" '.flows | length')" = "$p" ] || { echo "flow count"; jq .flows "$r"; return 1; }
	[ "$(jq "[.flows[] | select(.kind == \"pipe\" and .to == $root and .messages == 1 and .bytes == 8)] | length" "$r")" = "$p" ] ||
		{ echo "flow values"; jq .flows "$r"; return 1; }
	# the senders are exactly the children
	[ "$(jq -c '[.flows[].from] | sort' "$r")" = "$(jq -c "[.processes[] | select(.pid != $root) | .pid] | sort" "$r")" ] ||
		{ echo "flow senders"; return 1; }
	# one pipe, used by everyone
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")] | length" "$r")" = 1 ] || { echo "channels"; return 1; }
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")][0].users | length" "$r")" = $((p + 1)) ] || { echo "users"; return 1; }
	# both pictures are well-formed and name every pid
	xmllint --noout "$d/graph.svg" "$d/timeline.svg" || return 1
	for pid in $(jq '.processes[].pid' "$r"); do
		grep -qw "$pid" "$d/graph.svg" || { echo "graph misses $pid"; return 1; }
		grep -qw "$pid" "$d/timeline.svg" || { echo "timeline misses $pid"; return 1; }
	done
}

test_expect_success 'pipe_sum -n 10000 -p 10: 11 processes, 10 flows of 8 bytes, 0 lost' '
	check_sum 10000 10
'
test_expect_success 'pipe_sum -n 1 -p 1' 'check_sum 1 1'
test_expect_success 'pipe_sum -n 5 -p 10 (more workers than numbers)' 'check_sum 5 10'
test_expect_success 'pipe_sum -n 0 -p 3' 'check_sum 0 3'
test_expect_success 'pipe_sum -n 1000000 -p 37' 'check_sum 1000000 37'

test_expect_success 'outputs are all there and the trace reads back' '
	"$T" -q -o d "$ROOT/demos/pipe_sum" -n 100 -p 4 >/dev/null &&
	for f in trace.ipct report.json graph.dot graph.svg timeline.svg; do test -s d/$f || exit 1; done &&
	"$T" report d/trace.ipct >text && grep -q pipe_sum text &&
	"$T" report --json d/trace.ipct >j && cmp j d/report.json
'

test_expect_success 'report, graph and timeline need no root' '
	"$T" -q -o d2 "$ROOT/demos/pipe_sum" -n 100 -p 2 >/dev/null &&
	chmod 755 . &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$T" report --json d2/trace.ipct >j2 &&
	jq -e ".flows | length == 2" j2 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$T" graph --format dot d2/trace.ipct >g.dot &&
	grep -q digraph g.dot &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$T" timeline d2/trace.ipct >t.svg &&
	xmllint --noout t.svg
'

test_expect_success 'the default output directory is ipctrace-out/<command>-<time>' '
	"$T" -q "$ROOT/demos/pipe_sum" -n 10 -p 2 >/dev/null &&
	ls ipctrace-out | grep -Eqx "pipe_sum-[0-9]{8}-[0-9]{6}" &&
	test -s ipctrace-out/latest/trace.ipct && test -s ipctrace-out/latest/timeline.svg
'

test_expect_success 'the summary names the processes and the loss count' '
	"$T" -o d3 "$ROOT/demos/pipe_sum" -n 10 -p 3 >/dev/null 2>err &&
	grep -q "0 lost" err && grep -q "pipe_sum" err && grep -q "d3/" err
'

test_expect_success 'only the traced tree is recorded, not the machine' '
	( while :; do echo x; done | head -c 100000000 >/dev/null ) & bg=$! &&
	"$T" -q -o d4 "$ROOT/demos/pipe_sum" -n 10 -p 2 >/dev/null;
	rc=$?; kill $bg 2>/dev/null; wait $bg 2>/dev/null;
	[ $rc = 0 ] &&
	[ "$(json_get d4/report.json ".processes | length")" = 3 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")] | length" d4/report.json)" = 1 ] &&
	pids=$(jq -c "[.processes[].pid]" d4/report.json) &&
	[ "$(jq "[.channels[].users[] | select(. as \$u | $pids | index(\$u) | not)] | length" d4/report.json)" = 0 ]
'
test_done
