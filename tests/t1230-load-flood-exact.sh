#!/bin/sh
# Load: a flood of calls into a 1 MiB ring buffer whose reader is held back
# (test hook IPCTRACE_TEST_DRAIN_DELAY_MS) loses events, and every lost one
# is counted in its kind: recorded + lost = the exact number of calls the
# workload made (tests/workloads/flood.c prints it), for two kinds besides
# t2040's pipes: SysV message queues and Unix stream sockets.
. "$(dirname "$0")/lib.sh"
require_recording jq cc
build_workload flood

# kind_events DIR KIND: the events of KIND recorded: with -e KIND the trace
# holds those and the process lifecycle (one exec, one exit here), so all
# events less 2; `dump --kind KIND` (lifecycle included) must agree.
kind_events() {
	n=$(json_get "$1/report.json" .events)
	[ "$("$T" dump --kind "$2" "$1/trace.ipct" | wc -l)" = "$n" ] || { echo "dump --kind $2 disagrees"; return 1; }
	echo $((n - 2))
}

# flood KIND N DELAY_MS MIB: trace `flood KIND N` recording only KIND.
flood() {
	IPCTRACE_TEST_DRAIN_DELAY_MS=$3 "$T" -e "$1" -b "$4" -o "$1-$2-$4" "$TEST_TMP/flood" "$1" "$2" \
		>"$1-$2-$4.stdout" 2>"$1-$2-$4.stderr" || { echo "trace failed: $?"; cat "$1-$2-$4.stderr"; return 1; }
}

# check KIND N DELAY_MS MIB LOSS: recorded + lost(KIND) = calls, no other
# kind lost anything; LOSS "some" wants lost > 0, "none" lost = 0.
check() {
	flood "$1" "$2" "$3" "$4" || return 1
	d=$1-$2-$4 r=$1-$2-$4/report.json
	calls=$(sed -n 's/^calls //p' "$d.stdout")
	recorded=$(kind_events "$d" "$1") || return 1
	lost=$(json_get "$r" ".lost_by_kind.$1")
	echo "$1 N=$2 -b $4: calls $calls, recorded $recorded, lost $lost"
	[ -n "$calls" ] && [ $((recorded + lost)) = "$calls" ] || return 1
	# the loss is in KIND alone (the lifecycle, "none", lost nothing either)
	[ "$(json_get "$r" .lost_events)" = "$lost" ] || { jq -c .lost_by_kind "$r"; return 1; }
	[ "$(json_get "$r" .exit_status)" = 0 ] || return 1
	case $5 in
	some) [ "$lost" -gt 0 ] && grep -q "$lost lost" "$d.stderr" ;;
	none) [ "$lost" = 0 ] ;;
	esac
}

test_expect_success 'msgq: 10 rounds, nothing lost: recorded = calls = 22' '
	check msgq 10 0 1 none && [ "$calls" = 22 ]
'
test_expect_success 'unix: 10 rounds, nothing lost: recorded = calls = 23' '
	check unix 10 0 1 none && [ "$calls" = 23 ]
'
test_expect_success 'msgq flood: 20000 rounds, -b 1, drain held 500 ms: recorded + lost = 40002' '
	check msgq 20000 500 1 some && [ "$calls" = 40002 ]
'
test_expect_success 'unix flood: 20000 rounds, -b 1, drain held 500 ms: recorded + lost = 40003' '
	check unix 20000 500 1 some && [ "$calls" = 40003 ]
'
test_expect_success 'the same floods in a 16 MiB buffer lose nothing' '
	check msgq 20000 500 16 none && check unix 20000 500 16 none
'
test_done
