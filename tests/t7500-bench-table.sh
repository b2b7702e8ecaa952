#!/bin/sh
# The ping-pong table of `make bench` (scripts/bench-table.awk): medians
# over the rounds, the spread of the runs, the ratios of the medians, the
# ratio to the floor paired round by round, the targets' verdicts and
# failed variants, from runs whose figures are worked out by hand here;
# and the split of perf samples by scripts/bench-breakdown.awk.
. "$(dirname "$0")/lib.sh"

test_expect_success 'three rounds: medians, spread, paired ratios, a target met' '
	cat >runs <<-\EOT &&
	plain|untraced|1|1000
	floor|probes|1|1100
	traced|./trace|1|1210
	bad|broken|1|
	traced|./trace|2|1100
	floor|probes|2|1000
	plain|untraced|2|1200
	bad|broken|2|
	plain|untraced|3|1100
	floor|probes|3|1200
	traced|./trace|3|1500
	bad|broken|3|
	EOT
	awk -f "$ROOT/scripts/bench-table.awk" runs >out &&
	cat out &&
	# untraced: 1000 1100 1200; per round 1000/1100 1200/1000 1100/1200
	grep -qx "   untraced                         1100       -9% +9%     1.00x     1.00x    0.92x \[0.91-1.20\]" out &&
	grep -qx "   probes                           1100       -9% +9%     1.00x     1.00x" out &&
	# ./trace: 1100 1210 1500, per round 1.10 1.10 1.25
	grep -qx "   ./trace                          1210      -9% +24%     1.10x     1.10x    1.10x \[1.10-1.25\]  target <= 1.15x: met" out &&
	grep -qx "   broken                       failed" out &&
	[ "$(wc -l <out)" = 5 ]
'

test_expect_success 'two rounds: the median of an even count, a target missed, no untraced run' '
	printf "%s\n" "floor|probes|1|1000" "stat|./trace stat|1|1300" \
		"stat|./trace stat|2|1400" "floor|probes|2|1100" >runs2 &&
	awk -f "$ROOT/scripts/bench-table.awk" runs2 >out2 &&
	cat out2 &&
	# stat: median 1350 of 1300 1400, floor 1050; per round 1.30 and 1.27
	grep -qx "   ./trace stat                     1350       -4% +4%         -     1.29x    1.29x \[1.27-1.30\]  target <= 1.05x: missed" out2
'

# perf script -F comm,period,ip,sym: a sample's comm and period, then its
# call chain, leaf first
sample() {
	printf "%s %s\n" "$1" "$2"
	shift 2
	for sym in "$@"; do printf "\t    ffffffff81000000 %s\n" "$sym"; done
	echo
}

test_expect_success 'breakdown: the ping-pong samples split by their call chains' '
	{
		sample pingpong 100000 read_tsc ktime_get_mono_fast_ns bpf_prog_1_ipct_sys_enter bpf_trace_run2 __bpf_trace_sys_enter do_syscall_64 &&
		sample pingpong 100000 __check_object_size copy_from_user_nofault bpf_probe_read_user bpf_prog_2_emit_io bpf_trace_run2 __bpf_trace_sys_exit &&
		sample pingpong 300000 _raw_spin_unlock_irqrestore __bpf_ringbuf_reserve bpf_prog_2_ipct_sys_exit __bpf_trace_sys_exit &&
		sample pingpong 200000 bpf_prog_2_ipct_sys_exit bpf_trace_run2 __bpf_trace_sys_exit &&
		sample pingpong 500000 anon_pipe_write vfs_write do_syscall_64 &&
		sample trace 900000 bpf_probe_read_user bpf_prog_2_emit_io __bpf_trace_sys_exit
	} >s0.txt &&
	sample pingpong 400000 anon_pipe_read vfs_read >untraced.txt &&
	awk -v calls=100 -f "$ROOT/scripts/bench-breakdown.awk" untraced.txt s0.txt >bd &&
	cat bd &&
	grep -qx "   ns per call                           untraced        s0" bd &&
	grep -qx "   enter: clock                                 0      1000" bd &&
	grep -qx "   exit: payload copy (-s)                      0      1000" bd &&
	grep -qx "   exit: ring buffer reserve, submit            0      3000" bd &&
	grep -qx "   exit: the rest of the program                0      2000" bd &&
	grep -qx "   outside the programs                      4000      5000" bd &&
	grep -qx "   all of the ping-pong.s CPU time           4000     12000" bd
'

test_done
