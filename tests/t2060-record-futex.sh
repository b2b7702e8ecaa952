#!/bin/sh
# POSIX named semaphores: sem_wait that sleeps and sem_post that wakes it
# are process-shared futex calls on a word in a MAP_SHARED mapping of
# /dev/shm/sem.*; the model names the word by (object, offset) and matches
# each wake to the wait it released.
. "$(dirname "$0")/lib.sh"
require_recording cc

build_workload futex_handoff -lpthread

test_expect_success 'three hand-offs: three futex releases from parent to child' '
	"$T" -q -e sem,shm -o d "$TEST_TMP/futex_handoff" 3 >out &&
	read -r _ parent _ child _ posts <out &&
	[ "$posts" = 3 ] &&
	jq -e "[.flows[] | select(.kind == \"sem\")] | length == 1" d/report.json &&
	jq -e "[.flows[] | select(.kind == \"sem\")][0] | .from == $parent and .to == $child and .messages == 3 and .bytes == 0" d/report.json &&
	jq -e "[.channels[] | select(.kind == \"sem\")][0] | (.id | startswith(\"sem:\")) and (.name | startswith(\"futex in /dev/shm/sem.\"))" d/report.json &&
	jq -e ".lost_events == 0" d/report.json
'

test_expect_success 'the semaphore'"'"'s mapping is not a channel of its own: its sem channel is' '
	jq -e "[.channels[] | select(.kind == \"shm\" and (.name | startswith(\"/dev/shm/sem.\")))] |
	       length == 1 and (.[0].communication == false)" d/report.json &&
	jq -e "[.channels[] | select(.kind == \"sem\")][0].communication == true" d/report.json &&
	"$T" graph --format dot d >g.dot &&
	! grep -q "label=\"shm" g.dot && grep -q "label=\"sem.nfutex in /dev/shm/sem\." g.dot
'

test_expect_success 'the dump shows the sleeping waits and the waking posts' '
	"$T" dump d/trace.ipct >dump &&
	[ "$(grep -c " futex(0x[0-9a-f]*, FUTEX_WAIT[_A-Z|]*, [0-9-]*) = 0 <" dump)" = 3 ] &&
	[ "$(grep -c " futex(0x[0-9a-f]*, FUTEX_WAKE[_A-Z|]*, [0-9-]*) = 1 <" dump)" = 3 ]
'

test_expect_success 'without the sem kind, no futex is recorded' '
	"$T" -q -e shm -o d2 "$TEST_TMP/futex_handoff" 2 >/dev/null &&
	! "$T" dump d2/trace.ipct | grep -q " futex("
'
test_done
