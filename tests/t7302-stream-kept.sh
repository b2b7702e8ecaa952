#!/bin/sh
# What a streamed load still keeps whole (signals, the waits for
# descriptors) beside what it streams (the pipes, sockets and files of
# the same traces): every output equals the full load's
# (tests/stream_same.sh), and the signals' fates and the waits are the
# ones the workloads made.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
build_workload waits
. "$ROOT/tests/stream_same.sh"

test_expect_success 'signal_mix: one signal of each fate' '
	record mix perl "$ROOT/tests/workloads/signal_mix.pl" && compare mix &&
	grep -q "^child status 15$" mix.out &&
	same "signal flows" "$(jq -c "[.flows[] | select(.kind == \"signal\") |
		[.messages, .signals]]" stream.json)" "[[3,[\"SIGUSR1\",\"SIGUSR2\",\"SIGTERM\"]]]" &&
	same "undelivered" "$(jq -c "[.undelivered_signals[] | .signal]" stream.json)" "[\"SIGHUP\"]"
'

test_expect_success 'signal_sum: 4 workers signal the parent' '
	record sum "$D/signal_sum" -n 2000 -p 4 && compare sum &&
	grep -q "ok$" sum.out
'

test_expect_success 'waits: poll, select and epoll_wait, each for its writer' '
	record w "$TEST_TMP/waits" && compare w &&
	for call in poll select epoll_wait; do
		peer=$(sed -n "s/^$call fd=[0-9]* peer=\([0-9]*\).*/\1/p" w.out) &&
		jq -e --argjson p "$peer" --arg c "$call" "[.processes[0].waits[] |
			select(.peer == \$p and (.call | contains(\$c)) and .count == 1)] |
			length == 1" stream.json >/dev/null || return 1
	done
'

test_done
