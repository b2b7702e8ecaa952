#!/bin/sh
# Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) inherited over fork
# is a shm channel: the mapping's own shmem inode names it, the child
# shares it from its fork on, and a process-shared semaphore in it is
# matched like one in /dev/shm (tests/workloads/anon_shared.c hands it
# K times from parent to child).
. "$(dirname "$0")/lib.sh"
require_recording jq

build_workload anon_shared -lpthread

test_expect_success 'the mapping is a channel of parent and child' '
	"$T" -q -e sem,shm -o d "$TEST_TMP/anon_shared" 3 >out &&
	read -r _ parent _ child _ posts <out && [ "$posts" = 3 ] &&
	[ "$(json_get d/report.json .lost_events)" = 0 ] &&
	jq -c "[.channels[] | select(.kind == \"shm\") | {name, users, size,
		a: [.attachments[] | [.pid, .inherited, .writable, .size]]}]" d/report.json >got &&
	echo "[{\"name\":\"anonymous, mapped by $parent\",\"users\":[$parent,$child],\"size\":4096,\"a\":[[$parent,false,true,4096],[$child,true,true,4096]]}]" >want &&
	diff -u want got
'

test_expect_success 'the futex in it: three releases from parent to child' '
	read -r _ parent _ child _ posts <out &&
	jq -c "[.flows[] | select(.kind == \"sem\") | [.from, .to, .messages]]" d/report.json >got &&
	echo "[[$parent,$child,3]]" >want && diff -u want got &&
	[ "$(jq -r "[.channels[] | select(.kind == \"sem\")][0].name" d/report.json)" = \
	  "futex in anonymous, mapped by $parent" ]
'

test_expect_success 'the dump shows the anonymous mapping with its object' '
	"$T" dump d/trace.ipct >dump &&
	grep -q " mmap(4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1<shm:\[[0-9]*:[0-9]*\]>) = 0x" dump
'

test_expect_success 'a private anonymous mapping is still not recorded' '
	"$T" -q -e shm -o p sh -c "true" &&
	! "$T" dump p/trace.ipct | grep -q "MAP_PRIVATE|MAP_ANONYMOUS"
'
test_done
