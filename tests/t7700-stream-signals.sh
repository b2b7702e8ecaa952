#!/bin/sh
# Signals matched while the trace is read (viz/stream_signal.c): every
# output of a streamed load equals the full load's (tests/stream_same.sh)
# on signals of every fate (handled, ignored, blocked until the exit,
# killing through a group exit, sigqueue'd, sent to a process already
# gone), with the counts the workloads know; a signal ping-pong of 1.2M
# events streams in a memory that does not grow with its length.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
build_workload sig_pingpong
. "$ROOT/tests/stream_same.sh"

# sig_flows: the signal flows of stream.json as [messages, signals]
sig_flows() {
	jq -c '[.flows[] | select(.kind == "signal") | [.messages, .signals]]' stream.json
}

test_expect_success 'signal_mix and signal_sum: each fate, as the full load' '
	record mix perl "$ROOT/tests/workloads/signal_mix.pl" && compare mix &&
	grep -q "^child status 15$" mix.out &&
	same "mix flows" "$(sig_flows)" "[[3,[\"SIGUSR1\",\"SIGUSR2\",\"SIGTERM\"]]]" &&
	same "undelivered" "$(jq -c "[.undelivered_signals[] | [.signal, .reason]]" stream.json)" \
		"[[\"SIGHUP\",\"$(jq -r ".undelivered_signals[0].reason" full.json)\"]]" &&
	record sum "$D/signal_sum" -n 2000 -p 4 && compare sum && grep -q "ok$" sum.out &&
	same "sum flows" "$(sig_flows)" "[[1,[\"SIGRTMIN\"]],[1,[\"SIGRTMIN\"]],[1,[\"SIGRTMIN\"]],[1,[\"SIGRTMIN\"]]]"
'

test_expect_success 'deaths: SIGKILL, SIGTERM to a group, SIGPIPE' '
	record kill sh -c "sleep 5 & kill -9 \$!; wait" && compare kill &&
	same "SIGKILL" "$(jq -c "[.flows[] | select(.kind == \"signal\" and .from != .to) |
		.signals[]] | sort" stream.json)" "[\"SIGCHLD\",\"SIGKILL\"]" &&
	record term perl -e "my \$p = fork; if (!\$p) { setpgrp(0, 0); fork; fork; sleep 5; exit }
		select(undef, undef, undef, 0.3); kill \"TERM\", -\$p; 1 while wait != -1" &&
	compare term &&
	same "SIGTERM to a group of 4" "$(jq "[.flows[] | select(.kind == \"signal\" and
		(.signals | index(\"SIGTERM\")))] | length" stream.json)" 4 &&
	record pipe sh -c "yes | head -1" && compare pipe &&
	jq -e "[.flows[] | select(.from_kernel == \"SIGPIPE: write to a closed pipe or socket\")] |
		length == 1" stream.json >/dev/null
'

test_expect_success 'signals to itself, a signal to a process already gone' '
	record self python3 -c "
import os, signal
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
for i in range(5):
    os.kill(os.getpid(), signal.SIGUSR1)
print(len(got))" && compare self && grep -q "^5$" self.out &&
	same "self flows" "$(jq -c "[.flows[] | select(.kind == \"signal\" and .from == .to) |
		[.messages, .signals]]" stream.json)" "[[5,[\"SIGUSR1\"]]]" &&
	record gone sh -c "sleep 0.2 & p=\$!; wait \$p; kill -USR1 \$p 2>/dev/null; true" &&
	compare gone
'

# The JSON without the percentiles, which a streamed load estimates past
# 1024 values (docs/report-json.md).
NOPCT='walk(if type == "object" then del(.p50, .p90, .p99, .p50_ns, .p99_ns) else . end)'

test_expect_success 'ping-pong: N signals each way, counted, as the full load' '
	"$T" -q -s 0 -b 64 -o p5 "$TEST_TMP/sig_pingpong" 500 >p5.out 2>&1 &&
	grep -q "^sent 500 handled 500 child 500$" p5.out && compare p5 &&
	same "p5 flows" "$(sig_flows)" "[[500,[\"SIGUSR1\"]],[500,[\"SIGUSR2\"]]]" &&
	"$T" -q -s 0 -b 64 -o pp "$TEST_TMP/sig_pingpong" 50000 >pp.out 2>&1 &&
	grep -q "^sent 50000 handled 50000 child 50000$" pp.out &&
	"$T" report --json --full pp/trace.ipct | jq -S "$NOHOT | $NOPCT" >full.json &&
	"$T" report --json --stream pp/trace.ipct |
		jq -S "del(.streamed, .critical_path) | $NOPCT" >stream.json &&
	same "pp JSON" "$(cat stream.json)" "$(cat full.json)" &&
	same "pp flows" "$(sig_flows)" "[[50000,[\"SIGUSR1\"]],[50000,[\"SIGUSR2\"]]]" &&
	"$T" graph -f dot --full pp/trace.ipct >full.dot &&
	"$T" graph -f dot --stream pp/trace.ipct >stream.dot &&
	same "pp graph" "$(cat stream.dot)" "$(cat full.dot)" &&
	same "no loss" "$(jq .lost_events stream.json)" 0
'

test_expect_success 'ping-pong of 1.2M events: memory flat from N to 4N' '
	"$T" -q -s 0 -b 64 -o pp4 "$TEST_TMP/sig_pingpong" 200000 >pp4.out 2>&1 &&
	grep -q "^sent 200000 handled 200000 child 200000$" pp4.out &&
	[ "$("$T" dump pp4/trace.ipct | wc -l)" -ge 1000000 ] &&
	"$T" report --json -o pp4.json pp4/trace.ipct &&
	same "pp4 flows" "$(jq -c "[.flows[] | select(.kind == \"signal\") | .messages]" pp4.json)" \
		"[200000,200000]" &&
	same "pp4 streamed" "$(jq -c .streamed pp4.json)" "{\"late_events\":0,\"dropped_in_flight\":0}" &&
	bound=$(peak_bound 40000) &&
	for sub in "report --json" "graph" "timeline" "perfetto --format proto" "export"; do
		rm -rf o && p1=$(peak "$T" $sub --stream -o o pp/trace.ipct) &&
		rm -rf o && p4=$(peak "$T" $sub --stream -o o pp4/trace.ipct) &&
		echo "# $sub: peak $p1 KB at N, $p4 KB at 4N" &&
		[ "$p1" -lt "$bound" ] && [ "$p4" -lt "$bound" ] &&
		[ "$p4" -lt $((p1 + p1 / 2 + 2000)) ] || return 1
	done
'

test_done
