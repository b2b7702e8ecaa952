#!/bin/sh
# Unix datagrams sent to a name without connect(): sendto() to a path,
# sendmsg() to an abstract name, sendmmsg()/recvmmsg() per message (up to
# 16 per call, the rest counted as not followed).  The workload
# (tests/workloads/dgram_to.c) prints each child's pid and what it sent;
# every datagram must land in a flow from that child to the parent on the
# channel named by the bound name.
. "$(dirname "$0")/lib.sh"
require_recording jq
build_workload dgram_to

# flows REPORT: "CHANNEL-NAME FROM TO MESSAGES BYTES" of the unix flows.
flows() {
	jq -r '. as $r | .flows[] | select(.kind == "unix") | .channel as $c
		| "\($r.channels[] | select(.id == $c) | .name) \(.from) \(.to) \(.messages) \(.bytes)"' "$1" | sort
}

test_expect_success 'datagrams to a path and an abstract name reach the binder' '
	mkdir d && "$T" -q -o dg "$TEST_TMP/dgram_to" "$PWD/d" >dg.out &&
	[ "$(json_get dg/report.json .lost_events)" = 0 ] &&
	parent=$(json_get dg/report.json ".processes[0].pid") &&
	c1=$(sed -n "s/^sent \([0-9]*\) sendto 5 500$/\1/p" dg.out) &&
	c2=$(sed -n "s/^sent \([0-9]*\) sendmsg 3 21$/\1/p" dg.out) &&
	c3=$(sed -n "s/^sent \([0-9]*\) sendmmsg 12 600$/\1/p" dg.out) &&
	c4=$(sed -n "s/^sent \([0-9]*\) sendmmsg 20 1000$/\1/p" dg.out) &&
	grep -qx "received recvmmsg 20 1000" dg.out &&
	flows dg/report.json >got &&
	sort >want <<-EOF &&
	$PWD/d/sink $c1 $parent 5 500
	$PWD/d/sink $c3 $parent 12 600
	@ipct-dgram-$parent $c2 $parent 3 21
	@ipct-dgram-$parent $c4 $parent 16 800
	EOF
	diff -u want got
'

test_expect_success 'no datagram is left unmatched or on the sender' '
	[ "$(jq "[.channels[] | select(.kind == \"unix\") | .messages_unmatched] | add" dg/report.json)" = 0 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"unix\")] | length" dg/report.json)" = 2 ]
'

test_expect_success 'sendmmsg/recvmmsg: one record per message, the rest counted' '
	"$T" dump dg/trace.ipct >dg.dump &&
	[ "$(grep -c " sendmmsg(.*= 50 " dg.dump)" = $((12 + 16)) ] &&
	[ "$(grep -c " recvmmsg(.*= 50 " dg.dump)" = $((12 + 16)) ] &&
	[ "$(jq -c .not_followed dg/report.json)" = \
	  "{\"io_uring_enter_calls\":0,\"io_uring_submissions\":0,\"mmsg_calls\":2,\"mmsg_messages\":8,\"passed_fds\":0}" ] &&
	"$T" report dg/trace.ipct >dg.txt &&
	grep -q "note: 8 messages of 2 sendmmsg/recvmmsg calls not followed" dg.txt
'

test_expect_success 'trace stat counts every message of an mmsg call' '
	"$T" stat -q --json -o st sh -c "\"$TEST_TMP/dgram_to\" \"$PWD/d\" 12 >/dev/null" >st.json &&
	jq -r ".counters[] | select(.kind == \"unix\") | \"\(.dir) \(.calls) \(.bytes)\"" st.json | sort >got &&
	sort >want <<-EOF &&
	recv 15 621
	recv 17 1100
	send 12 600
	send 12 600
	send 3 21
	send 5 500
	EOF
	diff -u want got
'

test_done
