#!/bin/sh
# Signals (streamed, viz/stream_signal.c) beside the pipes, sockets and
# files of the same traces: every output equals the full load's
# (tests/stream_same.sh), and the signals' fates are the ones the
# workloads made.  The waits for descriptors are t7750's.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
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

test_done
