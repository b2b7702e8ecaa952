#!/bin/sh
# End to end, every parallel-sum demo: trace it and check the JSON report
# against what the demo did.  Each worker hands its partial sum to the
# parent once over the demo's method, so the flows are known exactly:
# P+1 processes, one flow per worker (kind, messages, bytes from the
# source), nothing lost.  Plus a pipe with several writers of different
# sizes read in chunks that cut across writes: the byte-offset matcher
# must attribute every byte to its writer (tests/workloads/pipe_writers.c
# counts them from the data itself).
. "$(dirname "$0")/lib.sh"
require_recording jq cc

# each_worker P FORMAT: FORMAT (with %d for the worker index) for 0..P-1, sorted.
each_worker() {
	i=0
	while [ $i -lt "$1" ]; do printf "$2\n" $i; i=$((i + 1)); done | sort
}

# record OUT DEMO ARGS...: record_clean the demo, which must also say it
# ended " ok".  A sanitized demo runs without LeakSanitizer: its check at
# exit would be one more process.
record() {
	out=$1; shift
	record_clean "$out" ${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} "$@" || return 1
	grep -q " ok$" "$out.stdout" || { echo "demo: $(cat "$out.stdout")"; return 1; }
}

# nprocs REPORT N: the trace has exactly N processes: the root and its
# children.
nprocs() {
	[ "$(json_get "$1" '.processes | length')" = "$2" ] &&
	[ "$(report_roles "$1" | jq length)" = "$2" ] ||
		{ echo "processes: want $2"; jq -c '.processes[] | [.pid, .ppid, .comm]' "$1"; return 1; }
}

# channels REPORT KIND COUNT USERS: exactly COUNT channels of KIND that
# two or more processes used, each used by exactly USERS processes.  (An
# object one process used alone is no channel: e.g. the SIGCHLD the root
# sends to the tracer when it exits.)
channels() {
	sel="select(.kind == \"$2\" and (.users | length) >= 2)"
	n=$(jq "[.channels[] | $sel] | length" "$1")
	[ "$n" = "$3" ] || { echo "$2 channels: $n, want $3"; jq -c ".channels[] | $sel" "$1"; return 1; }
	bad=$(jq "[.channels[] | $sel | select(.users | length != $4)] | length" "$1")
	[ "$bad" = 0 ] || { echo "$2 channel users, want $4 each"; jq -c ".channels[] | $sel" "$1"; return 1; }
}

# check_sum DEMO KIND MSGS BYTES N P [--MODE]: every worker sent MSGS
# messages of BYTES bytes in all to the root through KIND, and that is all.
check_sum() {
	demo=$1 kind=$2 msgs=$3 bytes=$4 n=$5 p=$6; shift 6
	out=$demo$(echo "$*" | tr -d ' -')
	record "$out" "$D/$demo" -n "$n" -p "$p" "$@" || return 1
	r=$out/report.json
	nprocs "$r" $((p + 1)) || return 1
	same flows "$(report_flows "$r")" "$(each_worker "$p" "$kind w%d root $msgs $bytes")"
}

# sum_case TITLE CHANNELS DEMO KIND BYTES N P [--MODE]: case TITLE:
# check_sum with one message of BYTES from each worker, and CHANNELS "one":
# the root and all P workers share one channel of KIND, or "each": every
# worker has a channel of KIND of its own with the root.
sum_case() {
	title=$1 sharing=$2 demo=$3 kind=$4 bytes=$5 n=$6 p=$7; shift 7
	case $sharing in
	one) users="channels \"\$r\" $kind 1 $((p + 1))" ;;
	each) users="channels \"\$r\" $kind $p 2 &&
		[ \"\$(jq \"[.flows[].channel] | unique | length\" \"\$r\")\" = $p ]" ;;
	esac
	test_expect_success "$title" "check_sum $demo $kind 1 $bytes $n $p $* && $users"
}

sum_case 'pipe_sum -n 100000 -p 4: one pipe, 4 flows of 1 message, 8 bytes' one pipe_sum pipe 8 100000 4
sum_case 'fifo_sum -n 100000 -p 4: one FIFO, 4 flows of 8 bytes' one fifo_sum fifo 8 100000 4
test_expect_success 'file_sum -n 100000 -p 4: a file per worker, written then read by the parent' '
	check_sum file_sum file 1 8 100000 4 &&
	[ "$(jq "[.flows[].channel] | unique | length" file_sum/report.json)" = 4 ] &&
	for c in $(jq -r ".flows[].channel" file_sum/report.json); do
		jq -e --arg c "$c" ".channels[] | select(.id == \$c) | (.users | length) == 2" file_sum/report.json >/dev/null || exit 1
	done
'
sum_case 'msgq_sum -n 100000 -p 4: one SysV queue, one 8-byte message per worker' one msgq_sum msgq 8 100000 4
sum_case 'posix_mq_sum -n 100000 -p 4: one POSIX queue, one 8-byte message per worker' one posix_mq_sum msgq 8 100000 4
sum_case 'posix_mq_sum -p 20: more senders than the queue holds (senders block)' one posix_mq_sum msgq 8 1000 20
# -n 90000 -p 4: the largest partial, 67501..90000, is 1771886250 <= INT_MAX.
sum_case 'signal_sum -n 90000 -p 4: each partial fits an int, one signal each' one signal_sum signal 0 90000 4
# -n 100000 -p 2: worker 0 adds 1..50000 = 1250025000 <= INT_MAX (one
# signal), worker 1 adds 50001..100000 = 3750025000 (two: low and high half).
test_expect_success 'signal_sum -n 100000 -p 2: a partial too big for an int takes two signals' '
	record sig2 "$D/signal_sum" -n 100000 -p 2 &&
	nprocs sig2/report.json 3 &&
	same flows "$(report_flows sig2/report.json)" "signal w0 root 1 0
signal w1 root 2 0"
'
# Ten connections one after the other: the kernel reuses the socket memory
# of a closed connection for the next one, which must still be a channel
# of its own.
sum_case 'socket_sum -n 100000 -p 10: a Unix connection per worker, 8 bytes each' each socket_sum unix 8 100000 10
sum_case 'socket_sum --tcp -n 100000 -p 4: a TCP connection per worker' each socket_sum tcp 8 100000 4 --tcp
sum_case 'socket_sum --udp -n 100000 -p 4: one datagram per worker to one port' one socket_sum udp 8 100000 4 --udp
# Shared memory: a flow is a page one process touched first for writing
# and another touched after (first page faults), estimated, in pages.
test_expect_success 'shm_sum -n 100000 -p 4: one segment used by all, each slot page from its worker to the root' '
	record shm_sum "$D/shm_sum" -n 100000 -p 4 &&
	r=shm_sum/report.json &&
	nprocs $r 5 &&
	same flows "$(report_flows $r)" "$(each_worker 4 "shm w%d root 1 0")" &&
	[ "$(jq "[.flows[] | select(.estimated and .pages == 1)] | length" $r)" = 4 ] &&
	channels $r shm 1 5 &&
	# the root attached it, the workers inherited it over fork
	sel="select(.kind == \"shm\" and (.users | length) >= 2)" &&
	[ "$(jq -c "[.channels[] | $sel | .attachments[] | .pid] | sort" $r)" = \
	  "$(jq -c "[.processes[].pid] | sort" $r)" ] &&
	[ "$(jq "[.channels[] | $sel | .attachments[] | select(.inherited | not)] | length" $r)" = 1 ]
'
# posix_shm_sum: every worker reads the total first (a read fault that
# maps the shmem page writable: its later store is not seen), so each
# worker may have passed it to every later one, and all to the root; the
# semaphore's page the same, without the root.  The order is timing's:
# exactly one direction per pair.
test_expect_success 'posix_shm_sum -n 100000 -p 4: shared total and named semaphore, page flows in touch order' '
	record posix_shm_sum "$D/posix_shm_sum" -n 100000 -p 4 &&
	r=posix_shm_sum/report.json &&
	nprocs $r 5 &&
	channels $r shm 2 5 &&
	[ "$(report_flows $r | grep -c " root 1 0$")" = 4 ] &&
	! report_flows $r | grep -q "^shm root " &&
	[ "$(jq "[.flows[] | select(.kind == \"shm\" and .estimated and .pages == 1)] | length" $r)" = 16 ] &&
	[ "$(jq "[.flows[] | select(.kind != \"shm\" and .kind != \"sem\")] | length" $r)" = 0 ] &&
	# a worker that found the lock taken slept in it: a release between workers
	[ "$(jq "[.flows[] | select(.kind == \"sem\" and .bytes != 0)] | length" $r)" = 0 ] &&
	! report_flows $r | grep -q "^sem.* root" &&
	[ "$(jq -r "[.flows[] | select(.kind == \"shm\") | [.channel, ([.from, .to] | sort)] | tostring] | unique | length" $r)" = 16 ]
'
# Who waits for whom on the lock depends on timing: only a V that released
# a waiting P is a flow, so assert what is certain.
test_expect_success 'sem_sum -n 100000 -p 4: one semaphore used by all, flows only between workers' '
	record sem_sum "$D/sem_sum" -n 100000 -p 4 &&
	r=sem_sum/report.json &&
	nprocs $r 5 &&
	channels $r sem 1 5 && channels $r shm 1 5 &&
	[ "$(jq "[.flows[] | select(.kind == \"shm\" | not) | select(.kind != \"sem\" or .bytes != 0 or .from == .to)] | length" $r)" = 0 ] &&
	! report_flows $r | grep -q "^sem.* root" &&
	# the total: read first by each worker (mapped writable), then by the root
	[ "$(report_flows $r | grep -c "^shm w[0-3] root 1 0$")" = 4 ] &&
	[ "$(jq "[.flows[] | select(.kind == \"shm\")] | length" $r)" = 10 ] &&
	[ "$(jq "[.flows[] | select(.kind == \"sem\") | .messages] | add // 0" $r)" -le 3 ]
'

# ---- several writers on one pipe ----
build_workload pipe_writers

# check_writers W CHUNK: trace pipe_writers W CHUNK; compare each flow with
# what the reader counted from the bytes themselves.
check_writers() {
	out=pw-$1-$2
	rm -rf "$out"
	"$T" -q -o $out "$TEST_TMP/pipe_writers" "$1" "$2" >$out.stdout 2>$out.stderr ||
		{ echo "trace failed"; cat $out.stderr; return 1; }
	r=$out/report.json
	[ "$(json_get $r .lost_events)" = 0 ] && [ "$(json_get $r .exit_status)" = 0 ] || return 1
	[ "$(json_get $r ".processes | length")" = $(($1 + 2)) ] || return 1
	# "writer I pid PID writes N bytes B" from the parent,
	# "reader pid PID got B from writer I" from the reader
	reader=$(sed -n "s/^reader pid \([0-9]*\) .*/\1/p" $out.stdout | head -n1)
	[ -n "$reader" ] || { cat $out.stdout; return 1; }
	want=$(sed -n "s/^writer \([0-9]*\) pid \([0-9]*\) writes \([0-9]*\) bytes .*/\1 \2 \3/p" $out.stdout |
		while read i pid writes; do
			got=$(sed -n "s/^reader pid [0-9]* got \([0-9]*\) from writer $i\$/\1/p" $out.stdout)
			echo "pipe $pid $reader $writes $got"
		done | sort)
	[ "$(echo "$want" | wc -l)" = "$1" ] || { cat $out.stdout; return 1; }
	have=$(jq -r "[.flows[] | \"\(.kind) \(.from) \(.to) \(.messages) \(.bytes)\"] | sort | .[]" $r)
	same flows "$have" "$want" &&
	[ "$(jq "[.channels[] | select(.kind == \"pipe\")] | length" $r)" = 1 ]
}

test_expect_success '6 writers of different sizes, reads of 777 bytes across writes' '
	check_writers 6 777
'
test_expect_success '6 writers, reads of 64 KiB that gather many writes' '
	check_writers 6 65536
'
test_expect_success '3 writers, 1-byte reads' '
	check_writers 3 1
'
test_done
