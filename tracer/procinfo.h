/*
 * procinfo - what /proc tells about a running process, for `-p PID`:
 * its parent, name and whether it is a kernel thread, and its threads.
 * Functions return 0 (or a count) or -errno.
 */
#ifndef IPCTRACE_TRACER_PROCINFO_H
#define IPCTRACE_TRACER_PROCINFO_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bpf/events.h"

struct proc_info {
	pid_t ppid;
	char comm[IPCT_COMM_LEN];
	bool kernel_thread;
};

/* Read PID's /proc/PID/stat. */
int proc_read_info(pid_t pid, struct proc_info *info);
/* Call FN with a pidfd of each thread of PID (closed after the call); a
 * thread that ended meanwhile is skipped.  The number of threads FN was
 * called for, or FN's first error, or -errno. */
int proc_for_each_thread(pid_t pid, int (*fn)(int pidfd, pid_t tid, void *arg), void *arg);

#endif
