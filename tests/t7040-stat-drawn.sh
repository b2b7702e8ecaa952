#!/bin/sh
# A `trace stat` recording drawn: report and graph take the channels and
# flows from its counters (viz/model_stat.c).  Where each object has one
# receiver and every byte sent was read, the flows are exact and equal
# those of a full recording of the same demo (P workers, one 8-byte
# message or one signal each, to the parent); tests/workloads/
# pipe_shared.pl has two writers and two readers on one pipe, so its flows
# are shared out in proportion and marked estimated.
. "$(dirname "$0")/lib.sh"
require_recording jq perl
P=4

# flows NAME: "kind messages bytes estimated" of each shown flow of NAME's
# report, sorted.
flows() {
	"$T" report --json "$1.out" >"$1.json" &&
	jq -r '.flows[] | select(.folded == false) |
		"\(.kind) \(.messages) \(.bytes) \(.estimated // false)"' "$1.json" | sort
}

# shape NAME: the shown flows go from P distinct children of the demo
# (the first process) to the demo itself.
shape() {
	root=$(jq '.processes[0].pid' "$1.json") &&
	[ "$(jq "[.flows[] | select(.folded == false and .to == $root)] | length" "$1.json")" = $P ] &&
	[ "$(jq "[.flows[] | select(.folded == false) | .from] | unique | length" "$1.json")" = $P ] &&
	[ "$(jq "[.flows[] | select(.folded == false) | .from] -
		[.processes[] | select(.ppid == $root) | .pid] | length" "$1.json")" = 0 ]
}

for demo in pipe_sum msgq_sum posix_mq_sum socket_sum signal_sum; do
	test_expect_success "$demo: the stat recording's flows are the full recording's" '
		"$T" stat -q -o stat-'$demo'.out "$D/'$demo'" -n 1000 -p $P >/dev/null 2>&1 &&
		"$T" -q -o full-'$demo'.out "$D/'$demo'" -n 1000 -p $P >/dev/null &&
		s=$(flows stat-'$demo') && f=$(flows full-'$demo') &&
		same flows "$s" "$f" && [ "$(echo "$s" | wc -l)" = $P ] &&
		shape stat-'$demo'
	'
done

test_expect_success 'pipe_sum: the graph of the stat recording has the full one'"'"'s edges' '
	"$T" graph --format dot -o stat.dot stat-pipe_sum.out &&
	"$T" graph --format dot -o full.dot full-pipe_sum.out &&
	edges() { grep -A3 -- "->" "$1" | grep -v tooltip | sed "s/[0-9]\{3,\}/N/g"; } &&
	same edges "$(edges stat.dot)" "$(edges full.dot)" &&
	grep -q "label=\"$P msgs..32 bytes\"" stat.dot
'

test_expect_success 'two writers, two readers: flows shared out in proportion, estimated' '
	"$T" stat -q -o shared.out perl "$ROOT/tests/workloads/pipe_shared.pl" >pids 2>/dev/null &&
	set -- $(cat pids) && [ $# = 4 ] &&
	"$T" report --json shared.out >shared.json &&
	got=$(jq -r ".flows[] | select(.kind == \"pipe\") |
		\"\(.from) \(.to) \(.messages) \(.bytes) \(.estimated)\"" shared.json | sort) &&
	want=$(printf "%s\n" "$1 $3 1 4 true" "$1 $4 1 6 true" "$2 $3 1 12 true" "$2 $4 1 18 true" | sort) &&
	same flows "$got" "$want" &&
	"$T" report shared.out | grep -q "18 bytes (estimated from the counters)"
'

test_expect_success 'filters keep counted flows: --pid of one writer, --kind pipe in the graph' '
	set -- $(cat pids) &&
	"$T" report --json --pid $1 shared.out >w1.json &&
	# (its SIGCHLD to the parent is a flow too when the parent had it
	# blocked as it exited, and not ignored: only the pipe flows here)
	got=$(jq -r ".flows[] | select(.kind == \"pipe\") | \"\(.from) \(.to) \(.bytes)\"" w1.json | sort) &&
	same flows "$got" "$(printf "%s\n" "$1 $3 4" "$1 $4 6" | sort)" &&
	"$T" graph --format dot --kind pipe -o kind.dot stat-pipe_sum.out &&
	grep -q "label=\"$P msgs..32 bytes\"" kind.dot
'

test_done
