#!/bin/sh
# What the tracer does not follow it counts and says: io_uring submissions
# (tests/workloads/uring_nops.c submits 3 NOPs in one io_uring_enter).
. "$(dirname "$0")/lib.sh"
require_recording jq

build_workload uring_nops

test_expect_success 'io_uring: 3 submissions in 1 call, reported as not followed' '
	"$T" -q -o ur "$TEST_TMP/uring_nops" 3 >ur.out &&
	grep -qx "submitted 3" ur.out &&
	[ "$(jq -c .not_followed ur/report.json)" = \
	  "{\"io_uring_enter_calls\":1,\"io_uring_submissions\":3,\"mmsg_calls\":0,\"mmsg_messages\":0,\"passed_fds\":0}" ] &&
	"$T" report ur/trace.ipct >ur.txt &&
	grep -q "note: 3 io_uring submissions (1 io_uring_enter calls) not followed" ur.txt
'

test_expect_success 'a command without io_uring has no such note' '
	"$T" -q -o none true && [ "$(jq .not_followed.io_uring_enter_calls none/report.json)" = 0 ] &&
	"$T" report none/trace.ipct >none.txt && ! grep -q io_uring none.txt
'

test_done
