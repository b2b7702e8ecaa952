# bench-breakdown.awk - where the ping-pong's CPU time goes, from `perf
# script -F comm,period,ip,sym` of its run sampled with call chains
# (scripts/bench-breakdown.sh), one input file per variant.
#
# Only the samples of the ping-pong itself count (comm "pingpong"), not
# the tracer's.  Each sample is put in
# one part by its call chain: inside the sys_enter or sys_exit program
# (the clock, the payload copy, the ring buffer, the task-storage
# lookup, or the rest of the program and its call), or outside them (the
# workload and the kernel's own syscall path).  Printed per part: ns per
# call of the ping-pong (CALLS, the traced calls of one run), for each
# variant in the order of the files.
BEGIN {
	nparts = split("enter: clock|enter: task storage lookup|enter: the rest of the program|" \
		       "exit: clock|exit: task storage lookup|exit: payload copy (-s)|exit: ring buffer reserve, submit|" \
		       "exit: the rest of the program|outside the programs", part, "|")
}

FNR == 1 {
	if (nfiles)
		flush()
	files[++nfiles] = FILENAME
	comm = ""
}

# A sample's first line: its comm and period.
/^[^ \t]/ {
	flush()
	comm = $1
	period = $2
	chain = ""
	next
}

# A call chain line: address and symbol.
/^[ \t]+[0-9a-f]+ / {
	chain = chain " " $2
	next
}

function side_part(side) {
	if (chain ~ / (ktime_get_mono_fast_ns|read_tsc|bpf_ktime_get_ns)( |$)/)
		return side ": clock"
	if (chain ~ / bpf_task_storage_get/)
		return side ": task storage lookup"
	if (side == "exit" && chain ~ / (bpf_probe_read_user|copy_from_user_nofault)( |$)/)
		return "exit: payload copy (-s)"
	if (side == "exit" && chain ~ / (__)?bpf_ringbuf_(reserve|submit|commit)/)
		return "exit: ring buffer reserve, submit"
	return side ": the rest of the program"
}

function flush(    p) {
	if (comm != "pingpong" || chain == "")
		return
	if (chain ~ / __bpf_trace_sys_enter( |$)/)
		p = side_part("enter")
	else if (chain ~ / __bpf_trace_sys_exit( |$)/)
		p = side_part("exit")
	else
		p = "outside the programs"
	ns[nfiles, p] += period
	total[nfiles] += period
	comm = ""
}

END {
	flush()
	printf "   %-36s", "ns per call"
	for (f = 1; f <= nfiles; f++) {
		name = files[f]
		sub(/.*\//, "", name)
		sub(/\.txt$/, "", name)
		printf " %9s", name
	}
	printf "\n"
	for (i = 1; i <= nparts; i++) {
		printf "   %-36s", part[i]
		for (f = 1; f <= nfiles; f++)
			printf " %9.0f", ns[f, part[i]] / calls
		printf "\n"
	}
	printf "   %-36s", "all of the ping-pong's CPU time"
	for (f = 1; f <= nfiles; f++)
		printf " %9.0f", total[f] / calls
	printf "\n"
}
