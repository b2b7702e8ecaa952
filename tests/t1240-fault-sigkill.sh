#!/bin/sh
# Fault: the tracer SIGKILLed in the middle of a recording.  The kernel
# must drop its BPF programs and links with its file descriptors (nothing
# stays attached: checked by the ids bpftool showed for this tracer's pid,
# since other tracers may run at the same time), and the trace written so
# far (a chunk at least every second) must read back as a partial trace.
# Which programs and links are this tracer's comes from the kernel's
# fdinfo of its descriptors (this bpftool has no pids column), and that
# they are gone after the kill from `bpftool prog show` / `link show`.
. "$(dirname "$0")/lib.sh"
require_recording jq cc bpftool
build_workload flood

# ids prog|link PID: the ids of the BPF programs or links PID holds
# descriptors of (a link's fdinfo names its program too: links only).
ids() {
	for f in /proc/"$2"/fdinfo/*; do
		if [ "$1" = link ]; then sed -n "s/^link_id:[[:space:]]*//p" "$f"
		elif ! grep -q "^link_id:" "$f"; then sed -n "s/^prog_id:[[:space:]]*//p" "$f"
		fi
	done 2>/dev/null | sort -n
}
# alive prog|link IDS: those of IDS that still exist.
alive() {
	bpftool -j "$1" show 2>/dev/null | jq -r '.[].id' | sort -n >all.ids
	echo "$2" | grep -v '^$' | sort -n | comm -12 - all.ids
}

test_expect_success 'SIGKILL mid-run: no program or link of the tracer stays, the trace reads back' '
	"$T" -q -e unix -o k "$TEST_TMP/flood" unix 1000000000 >k.stdout 2>k.stderr &
	tp=$!
	progs= links= i=0
	while [ $i -lt 100 ] && [ -z "$links" ]; do
		sleep 0.1; i=$((i + 1))
		progs=$(ids prog $tp) links=$(ids link $tp)
	done
	echo "tracer $tp: programs $(echo $progs), links $(echo $links)" >&2
	[ -n "$progs" ] && [ -n "$links" ] || { kill -9 $tp; exit 1; }
	sleep 2.5	# at least two chunks written (one per second)
	workload=$(pgrep -P $tp)
	kill -9 $tp; wait $tp; rc=$?
	[ -n "$workload" ] && kill -9 $workload
	[ $rc = 137 ] || { echo "tracer exit $rc"; exit 1; }
	left= i=0
	while [ $i -lt 50 ]; do	# the kernel releases them asynchronously
		left="$(alive prog "$progs")$(alive link "$links")"
		[ -z "$left" ] && break
		sleep 0.1; i=$((i + 1))
	done
	[ -z "$left" ] || { echo "still attached: $left"; exit 1; }
	echo "all gone after the kill" >&2
	"$T" dump k/trace.ipct >dump 2>err && cat err &&
	grep -q "cut short" err && [ $(wc -l <dump) -gt 1000 ] &&
	"$T" report --json k/trace.ipct >r.json 2>rerr &&
	jq -e --argjson n $(wc -l <dump) ".truncated and .events == \$n and .command[0] == \"$TEST_TMP/flood\"" r.json
'
test_expect_success 'the ids were real: while a tracer runs, bpftool lists them' '
	"$T" -q -e unix -o live "$TEST_TMP/flood" unix 1000000000 >/dev/null 2>&1 &
	tp=$! links= i=0
	while [ $i -lt 100 ] && [ -z "$links" ]; do sleep 0.1; i=$((i + 1)); links=$(ids link $tp); done
	progs=$(ids prog $tp)
	a=$(alive prog "$progs") b=$(alive link "$links")
	workload=$(pgrep -P $tp); kill -9 $tp; wait $tp; [ -n "$workload" ] && kill -9 $workload
	[ -n "$progs" ] && [ "$a" = "$progs" ] && [ -n "$links" ] && [ "$b" = "$links" ]
'
test_done
