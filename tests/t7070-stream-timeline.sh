#!/bin/sh
# The streamed timeline (`trace timeline --stream`, the default past 1M
# events) sums the byte streams' calls per lane and pixel column and their
# transfers per bundle of arrows: on recorded workloads that know their
# traffic, the calls, bytes and transfers its blocks and arrows say
# (tooltips) add up to what the workload did and to what the full load's
# timeline says, with the same header, lanes (a thread's sub-lane too) and
# legend.  Signals are bundled arrows too, one per delivery; the message
# kinds are in t7200.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording python3

ROUNDS=20000

# header and legend texts of SVG, one a line
texts() {
	grep -o 'class="\(summary\|lanelabel\)"[^>]*>[^<]*' "$1" | sed 's/.*>//'
	grep -o '<text[^>]*>in [^<]*' "$1" | sed 's/.*>//'
}

test_expect_success 'ping-pong: every call and transfer counted once' '
	"$T" -q -s 0 -o pp "$ROOT/bench/pingpong" -n $ROUNDS >pp.out 2>pp.err ||
		{ cat pp.err; exit 1; }
	"$T" timeline --stream -o s.svg pp/trace.ipct &&
	"$T" timeline --full -o f.svg pp/trace.ipct &&
	same "streamed sums" "$(sums s.svg)" \
		"$((2 * ROUNDS)) $((2 * ROUNDS)) $((2 * ROUNDS)) $((2 * ROUNDS)) $((2 * ROUNDS)) $((2 * ROUNDS))" &&
	same "full sums" "$(sums f.svg)" "$(sums s.svg)" &&
	same "header, lanes, legend" "$(texts s.svg)" "$(texts f.svg)" &&
	grep -q "in write (pipe)" s.svg && grep -q "in read (pipe)" s.svg &&
	grep -q " calls, $((2 * ROUNDS)) transfers" s.svg
'

# both W CMD...: record CMD into W/, draw W-s.svg streamed and W-f.svg whole.
both() {
	_w=$1
	shift
	"$T" -q -o $_w "$@" >/dev/null 2>&1 &&
	"$T" timeline --stream -o $_w-s.svg $_w/trace.ipct &&
	"$T" timeline --full -o $_w-f.svg $_w/trace.ipct
}

test_expect_success 'pipe_sum, socket_sum: several writers, sums as the full load' '
	both pipe "$D/pipe_sum" -n 300000 -p 6 && both sock "$D/socket_sum" -n 300000 -p 4 &&
	for w in pipe sock; do
		same "$w sums" "$(sums $w-s.svg)" "$(sums $w-f.svg)" &&
		same "$w texts" "$(texts $w-s.svg)" "$(texts $w-f.svg)" || return 1
	done
'

test_expect_success '--all: the folded channels (files) too, as the full load' '
	for w in pipe sock; do
		"$T" timeline --all --stream -o $w-as.svg $w/trace.ipct &&
		"$T" timeline --all --full -o $w-af.svg $w/trace.ipct &&
		same "$w --all sums" "$(sums $w-as.svg)" "$(sums $w-af.svg)" &&
		same "$w --all texts" "$(texts $w-as.svg)" "$(texts $w-af.svg)" &&
		grep -q "in read (file)" $w-as.svg || return 1
	done
'

build_workload thread_writers -lpthread

test_expect_success 'threads that wrote get their sub-lanes, as in the full load' '
	both tw "$TEST_TMP/thread_writers" 3 6 &&
	same "thread sums" "$(sums tw-s.svg)" "$(sums tw-f.svg)" &&
	same "thread texts" "$(texts tw-s.svg)" "$(texts tw-f.svg)" &&
	[ "$(grep -c "lanelabel[^>]*>↳ thread" tw-s.svg)" = 3 ]
'

test_expect_success 'signals: one arrow per delivery, as the full load draws them' '
	both sig "$D/signal_sum" -n 3000 -p 3 &&
	same "signal texts" "$(texts sig-s.svg)" "$(texts sig-f.svg)" &&
	grep -o "<title>[0-9]* → [0-9]*: SIGRTMIN via[^<]*" sig-f.svg | sort >sig-f.arrows &&
	grep -o "<title>[0-9]* → [0-9]*: SIGRTMIN via[^<]*" sig-s.svg | sort >sig-s.arrows &&
	same "signal arrows" "$(cat sig-s.arrows)" "$(cat sig-f.arrows)" &&
	same "3 arrows" "$(wc -l <sig-s.arrows)" 3
'

test_expect_success 'usage: --critical-path loads every event' '
	{ "$T" timeline --stream --critical-path pp/trace.ipct 2>err; [ $? -eq 2 ]; } &&
	grep -q "cannot draw --critical-path" err &&
	"$T" timeline --critical-path -o cp.svg pp/trace.ipct && [ -s cp.svg ]
'

test_expect_success 'a file that is no trace: the reading error, not a writing one' '
	: >empty.ipct &&
	{ "$T" timeline --stream -o e.svg empty.ipct 2>err; [ $? -eq 1 ]; } &&
	same error "$(cat err)" "error: cannot read '\''empty.ipct'\'': not an ipctrace trace file (bad magic)" &&
	[ ! -e e.svg ]
'

test_done
