#!/bin/sh
# Two sibling processes alike in all but one V that released nobody
# (tests/workloads/sem_chain.pl): the streamed graph draws them apart, as
# the full one does (a V op is no send of the process that made it), and
# every other output of both loads is the same (tests/stream_same.sh).
. "$(dirname "$0")/lib.sh"
require_recording jq python3 perl
. "$ROOT/tests/stream_same.sh"

test_expect_success 'sem_chain: parent releases the first child, the first the second' '
	record chain perl "$ROOT/tests/workloads/sem_chain.pl" &&
	{ read -r parent; read -r c1; read -r c2; } <chain.out &&
	"$T" dump chain/trace.ipct >chain.dump &&
	[ "$(grep -c "semtimedop(.*sem_op=1, .*= 0 <" chain.dump)" = 3 ] &&
	compare chain &&
	same "releases" "$(jq -c "[.flows[] | select(.kind == \"sem\") | [.from, .to, .messages]]" stream.json)" \
		"[[$parent,$c1,1],[$c1,$c2,1]]"
'

test_expect_success 'both loads draw the second child apart, with its V op' '
	{ read -r parent; read -r c1; read -r c2; } <chain.out &&
	for load in full stream; do
		"$T" graph -f dot --$load chain/trace.ipct >$load.dot &&
		grep -q "label=\"perl.npid $c2\"" $load.dot &&
		grep -q "pid $c2 → sem: 1 V op" $load.dot &&
		grep -q "pid $c1 → sem: 1 release\"" $load.dot &&
		! grep -q "identical sibling" $load.dot || return 1
	done
'

test_done
