#!/bin/sh
# eventfd is a kind: reads and writes of its 8-byte counter between
# processes are flows (tests/workloads/eventfd_pass.c: three writes taken
# by one read of a counting eventfd; one write of 3 taken by three reads
# of an EFD_SEMAPHORE one), named by the counter, not the shared inode;
# eventfd/eventfd2 are recorded: the creator names the channel, the mode
# comes from the flags, an initial value is the creator's first write.
. "$(dirname "$0")/lib.sh"
require_recording jq

build_workload eventfd_pass

test_expect_success 'two eventfds, two channels, one flow each' '
	"$T" -q -o e "$TEST_TMP/eventfd_pass" >out &&
	read -r _ parent _ c1 _ c2 <out &&
	[ "$(json_get e/report.json .lost_events)" = 0 ] &&
	jq -r ".flows[] | select(.kind == \"eventfd\") | \"\(.from) \(.to) \(.messages) \(.bytes)\"" \
		e/report.json | sort >got &&
	printf "%s\n" "$c1 $parent 3 24" "$c2 $parent 1 24" | sort >want &&
	diff -u want got &&
	[ "$(jq "[.channels[] | select(.kind == \"eventfd\") | select(.id | test(\"^eventfd:[0-9]+$\"))] | length" e/report.json)" = 2 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"eventfd\") | .messages_unmatched] | add" e/report.json)" = 0 ]
'

test_expect_success 'the creator names each eventfd and its mode comes from the record' '
	read -r _ parent _ <out &&
	jq -r ".channels[] | select(.kind == \"eventfd\") | \"\(.name) \(.eventfd_mode)\"" e/report.json |
		sort >got &&
	printf "%s\n" "created by $parent counter" "created by $parent semaphore" >want &&
	diff -u want got
'

test_expect_success 'an initial value is the creator'"'"'s: two semaphore reads of eventfd(2)' '
	"$T" -q -o init "$TEST_TMP/eventfd_pass" init >init.out &&
	read -r _ parent _ child <init.out &&
	[ "$(jq -r ".flows[] | select(.kind == \"eventfd\") | \"\(.from) \(.to) \(.messages) \(.bytes)\"" init/report.json)" = \
	  "$parent $child 1 16" ] &&
	[ "$(jq "[.channels[] | select(.kind == \"eventfd\") | .messages_unmatched] | add" init/report.json)" = 0 ] &&
	"$T" dump init/trace.ipct >init.dump &&
	grep -q " eventfd2(2, EFD_SEMAPHORE) = [0-9]*<eventfd:\[0:[0-9]*\]>" init.dump
'

test_expect_success 'the dump shows the counters written and read' '
	"$T" dump e/trace.ipct >dump &&
	[ "$(grep -c " write([0-9]*<eventfd:\[0:[0-9]*\]>, \"\\\\x0[123]\\\\x00" dump)" = 4 ] &&
	[ "$(grep -c " read([0-9]*<eventfd:\[0:[0-9]*\]>, \"\\\\x06\\\\x00" dump)" = 1 ] &&
	[ "$(grep -c " read([0-9]*<eventfd:\[0:[0-9]*\]>, \"\\\\x01\\\\x00" dump)" = 3 ]
'

test_expect_success '-e eventfd alone records them; -e pipe does not' '
	"$T" -q -e eventfd -o only "$TEST_TMP/eventfd_pass" >/dev/null &&
	[ "$(jq "[.flows[] | select(.kind == \"eventfd\")] | length" only/report.json)" = 2 ] &&
	"$T" -q -e pipe -o none "$TEST_TMP/eventfd_pass" >/dev/null &&
	[ "$(jq "[.channels[] | select(.kind == \"eventfd\")] | length" none/report.json)" = 0 ]
'

test_expect_success 'trace stat counts the calls per eventfd' '
	"$T" stat -q --json -o st sh -c "\"$TEST_TMP/eventfd_pass\" >/dev/null" >st.json &&
	jq -r ".counters[] | select(.kind == \"eventfd\") | \"\(.dir) \(.calls) \(.bytes)\"" st.json | sort >got &&
	printf "%s\n" "recv 1 8" "recv 3 24" "send 1 8" "send 3 24" >want &&
	diff -u want got
'
test_done
