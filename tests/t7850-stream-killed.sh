#!/bin/sh
# Programs that die of signals (tests/workloads/sig_kills.pl): a pipe
# writer killed by SIGPIPE once its reader is gone, and a process group
# killed by SIGKILL.  Every output of the streamed load equals the full
# load's (tests/stream_same.sh), both timelines draw the same signal
# arrows and exits, and the flows, signals and exits are the ones the
# workload made.
. "$(dirname "$0")/lib.sh"
require_recording jq python3 perl
. "$ROOT/tests/stream_same.sh"

# arrows SVG: the signal arrows and exits of a timeline, one a line, sorted
arrows() {
	grep -o "<title>[^<]*\(SIG[A-Z0-9]* via\|kernel → [0-9]*: SIG\|exited: \)[^<]*</title>" "$1" | sort
}

test_expect_success 'sig_kills: a SIGPIPE and a group SIGKILL, both loads alike' '
	record sk perl "$ROOT/tests/workloads/sig_kills.pl" && compare sk &&
	wr=$(sed -n "s/^writer \([0-9]*\) 13$/\1/p" sk.out) &&
	rd=$(sed -n "s/^reader \([0-9]*\) 0$/\1/p" sk.out) &&
	[ -n "$wr" ] && [ -n "$rd" ] &&
	[ "$(grep -c "^killed [0-9]* 9$" sk.out)" = 3 ] &&
	top=$(jq ".processes[0].pid" stream.json) &&
	same "pipe flow" "$(jq -c "[.flows[] | select(.kind == \"pipe\" and .from == $wr) |
		[.to, .messages, .bytes]]" stream.json)" "[[$rd,5,5000]]" &&
	same "SIGPIPE" "$(jq -c "[.flows[] | select(.kind == \"signal\" and .to == $wr) |
		[.from, .messages, .signals]]" stream.json)" "[[0,1,[\"SIGPIPE\"]]]" &&
	same "writer exit" "$(jq -r ".processes[] | select(.pid == $wr) | .exit_code" stream.json)" 141 &&
	for k in $(sed -n "s/^killed \([0-9]*\) 9$/\1/p" sk.out); do
		same "ready byte of $k" "$(jq -c "[.flows[] | select(.kind == \"pipe\" and .from == $k) |
			[.to, .messages, .bytes]]" stream.json)" "[[$top,1,1]]" &&
		same "SIGKILL to $k" "$(jq -c "[.flows[] | select(.kind == \"signal\" and .to == $k) |
			[.from, .messages, .signals]]" stream.json)" "[[$top,1,[\"SIGKILL\"]]]" &&
		same "exit of $k" "$(jq -r ".processes[] | select(.pid == $k) | .exit_code" stream.json)" 137 ||
		return 1
	done
'

test_expect_success 'sig_kills: both timelines draw the same signals, exits and transfers' '
	"$T" timeline --stream -o s.svg sk/trace.ipct &&
	"$T" timeline --full -o f.svg sk/trace.ipct &&
	wr=$(sed -n "s/^writer \([0-9]*\) 13$/\1/p" sk.out) &&
	arrows f.svg >f.arrows && arrows s.svg >s.arrows &&
	same "signal arrows and exits" "$(cat s.arrows)" "$(cat f.arrows)" &&
	grep -q "kernel → $wr: SIGPIPE" s.arrows &&
	grep -q "$wr exited: killed by SIGPIPE" s.arrows &&
	[ "$(grep -c "SIGKILL via" s.arrows)" = 3 ] &&
	[ "$(grep -c "exited: killed by SIGKILL" s.arrows)" = 3 ] &&
	same "transfers" "$(sums s.svg | cut -d" " -f5-)" "$(sums f.svg | cut -d" " -f5-)"
'

test_done
