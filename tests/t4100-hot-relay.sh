#!/bin/sh
# Hot paths on a relay: a token handed down a chain of N processes through
# pipes, each holding it HOLD ms (tests/workloads/relay.c).  Exact counts
# (flows, waits, critical-path segments and who they name); times within
# a tolerance for the machine's noise: never below what the workload
# sleeps, at most TIME_TOL_NS above it.
. "$(dirname "$0")/lib.sh"
require_recording cc jq
N=4
HOLD=20000000           # ns

build_workload relay
record_workload pipe relay $N $((HOLD / 1000000))
read -r _ P0 P1 P2 P3 <"$TEST_TMP/out"
"$T" report --json "$TEST_TMP/d/trace.ipct" >"$TEST_TMP/r.json"
R="$TEST_TMP/r.json"

test_expect_success 'one 8-byte delivery per link of the chain, with its latency' '
	jq -e "[.flows[] | select(.kind == \"pipe\")] | length == 3" $R &&
	for pair in "$P0 $P1" "$P1 $P2" "$P2 $P3"; do
		set -- $pair
		jq -e ".flows[] | select(.from == $1 and .to == $2) | .latency_ns as \$l |
			.messages == 1 and .bytes == 8 and \$l.count == 1 and
			\$l.min == \$l.max and \$l.p50 == \$l.min and \$l.max < $TIME_TOL_NS and
			(\$l.histogram | length == 1 and .[0].count == 1 and
			 .[0].from <= \$l.min and \$l.min <= .[0].to)" $R || return 1
	done
'

# Child i began to read before the token left process 0 (within one hold
# after its fork), so it waited at least through the holds of processes
# 1..i-1.
test_expect_success 'each child waited once, for its predecessor, through the holds before it' '
	jq -e ".processes[] | select(.pid == $P0) | .blocked_ns == 0 and .waits == []" $R &&
	i=0 &&
	for pair in "$P0 $P1" "$P1 $P2" "$P2 $P3"; do
		set -- $pair
		jq -e --argjson min $((i * HOLD)) ".processes[] | select(.pid == $2) |
			(.waits | length == 1) and .waits[0].peer == $1 and .waits[0].count == 1 and
			.waits[0].ns == .blocked_ns and .blocked_ns > 0 and .blocked_ns >= \$min" $R ||
			{ jq -c ".processes[] | {pid, blocked_ns, waits}" $R; return 1; }
		ch=$(jq -r ".flows[] | select(.from == $1 and .to == $2) | .channel" $R) &&
		jq -e ".processes[] | select(.pid == $2) | .waits[0].channel == \"$ch\"" $R || return 1
		i=$((i + 1))
	done
'

test_expect_success 'critical path: 2N segments through every hold, adding up to the wall time' '
	jq -c ".critical_path[] | [.pid, .state, .to_ns - .from_ns]" $R &&
	jq -e ".critical_path | length == $((2 * N))" $R &&
	jq -e "[.critical_path[] | .to_ns - .from_ns] | add == $(jq .critical_path_end_ns $R)" $R &&
	jq -e ".critical_path[0].from_ns == 0 and
	       ([.critical_path as \$p | range(1; \$p | length) | \$p[.].from_ns == \$p[. - 1].to_ns] | all)" $R &&
	jq -e "[.critical_path[] | [.pid, .state, .peer]] ==
	       [[$P0, \"running\", null],
	        [$P1, \"blocked\", $P0], [$P1, \"running\", null],
	        [$P2, \"blocked\", $P1], [$P2, \"running\", null],
	        [$P3, \"blocked\", $P2], [$P3, \"running\", null],
	        [$P0, \"blocked\", $P3]]" $R &&
	jq -e "[.critical_path[] | select(.state == \"running\") | .to_ns - .from_ns] |
	       all(. >= $HOLD and . <= $HOLD + $TIME_TOL_NS)" $R &&
	jq -e "[.critical_path[] | select(.state == \"blocked\") | .to_ns - .from_ns] |
	       all(. < $TIME_TOL_NS)" $R
'

test_expect_success 'text: --critical-path names the segments, --waits the top waits' '
	"$T" report --critical-path d/trace.ipct >cp &&
	grep -q "^critical path (8 segments" cp &&
	[ "$(grep -c " relay ran " cp)" = 4 ] &&
	grep -q " $P1 relay waited .* on pipe:[0-9]*:[0-9]* for $P0 relay" cp &&
	grep -q " $P0 relay waited .* for the exit of $P3 relay (wait4: inferred)" cp &&
	"$T" report --waits d/trace.ipct >w &&
	sed -n "/^top waits/,\$p" w | sed -n 2p | grep -q "^  $P3 relay waited 1 time, .* for $P2 relay$" &&
	grep -q "not seen by the trace, so not counted: poll" w
'

test_expect_success 'text: --latency draws a log2 histogram per channel' '
	"$T" report --latency d/trace.ipct >lat &&
	[ "$(grep -c "^pipe:[0-9]*:[0-9]* (pipe): n=1 " lat)" = 3 ] &&
	[ "$(grep -c " -> .* : 1 *|\*\{40\}|$" lat)" = 3 ] &&
	grep -q "^  flow $P0 relay $(printf "\342\206\222") $P1 relay: n=1 " lat
'

test_expect_success 'reading needs no root, the sections go to -o, JSON stays valid' '
	cp d/trace.ipct /tmp/ipct-hot-$$.ipct && chmod 644 /tmp/ipct-hot-$$.ipct &&
	su nobody -s /bin/sh -c "\"$T\" report --waits --top 2 /tmp/ipct-hot-$$.ipct" >nobody;
	rc=$?; rm -f /tmp/ipct-hot-$$.ipct; [ $rc = 0 ] &&
	grep -q "^top 2 channels by time blocked on it:" nobody &&
	"$T" report --latency -o sect.txt d/trace.ipct && grep -q "nsecs" sect.txt &&
	jq -e . $R >/dev/null
'

test_expect_success 'timeline --critical-path: a band per segment, a link per hand-off' '
	"$T" timeline --critical-path -o tl.svg d/trace.ipct &&
	xmllint --noout tl.svg &&
	[ "$(grep -o "class=\"cpath\"" tl.svg | wc -l)" = $N ] &&
	[ "$(grep -o "class=\"cpathwait\"" tl.svg | wc -l)" = $N ] &&
	[ "$(grep -o "class=\"cpathlink\"" tl.svg | wc -l)" = $N ] &&
	"$T" timeline -o plain.svg d/trace.ipct && ! grep -q cpath plain.svg
'

test_expect_success 'pipe_sum: the path ends with the parent reaping its last worker' '
	"$T" -q -e pipe -o ps "$ROOT/demos/pipe_sum" -n 1000 -p 4 >/dev/null &&
	jq -e "([.critical_path[] | .to_ns - .from_ns] | add) == .critical_path_end_ns and
	       .critical_path_end_ns == (.processes[0].end_ns)" ps/report.json &&
	last=$(jq "[.processes[1:][] | {pid, end_ns}] | max_by(.end_ns) | .pid" ps/report.json) &&
	jq -e --argjson root "$(jq .processes[0].pid ps/report.json)" \
	       "[.critical_path[] | select(.state == \"blocked\")][-1] |
	        .pid == \$root and .channel == null and .peer == $last" ps/report.json &&
	jq -e "[.critical_path[] | select(.pid == $last and .state == \"running\")] | length >= 1" ps/report.json ||
	{ jq -c "[.processes[] | [.pid, .end_ns]], [.critical_path[] | [.pid, .state, .channel, .peer, .from_ns, .to_ns]]" ps/report.json; false; }
'

test_expect_code 2 '--top needs a count' '"$T" report --top x d/trace.ipct'
test_expect_code 2 'graph has no --waits' '"$T" graph --waits d/trace.ipct'
test_done
