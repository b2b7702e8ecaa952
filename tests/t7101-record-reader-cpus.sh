#!/bin/sh
# The reader keeps off the CPUs the traced programs keep busy
# (tracer/record_cpus.c): bench/pingpong pins both its processes to CPU 0,
# so every record comes from CPU 0 and the tracer moves itself to the
# other CPUs; strace, watching the tracer, is the witness.  A workload
# spread over every CPU leaves it where it was.
. "$(dirname "$0")/lib.sh"
require_recording strace
[ "$(nproc)" -ge 2 ] || skip_all "needs two CPUs or more"

test_expect_success 'a program pinned to CPU 0: the reader moves off it' '
	${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} strace -e trace=sched_setaffinity -o st.txt "$T" -q -s 0 -o pp "$ROOT/bench/pingpong" -n 100000 >/dev/null &&
	cat st.txt &&
	# only the tracer is traced: its first move leaves CPU 0 out (it may
	# move back to every CPU once the traffic stops)
	grep "sched_setaffinity(0, [0-9]*, \[[0-9 ]*\]) *= 0" st.txt | head -1 >moved &&
	[ -s moved ] && ! grep -q "\[0 \|\[0\]" moved &&
	[ "$(jq .lost_events pp/report.json)" = 0 ]
'

test_expect_success 'little traffic: the reader stays where it was' '
	${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} strace -e trace=sched_setaffinity -o st2.txt "$T" -q -o sum "$D/pipe_sum" -n 1000 -p 2 >/dev/null &&
	! grep -q sched_setaffinity st2.txt
'

test_done
