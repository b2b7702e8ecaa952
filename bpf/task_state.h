/*
 * task_state.h - the value of the BPF `traced` task-storage map, shared by
 * bpf/ (which keeps the system call in flight in it) and tracer/ (which
 * creates it, through a pidfd, for the tasks it starts or attaches to).
 *
 * Like events.h, this header has no includes: __u64 and friends come from
 * vmlinux.h on the BPF side and from <linux/types.h> in user space.
 */
#ifndef IPCTRACE_TASK_STATE_H
#define IPCTRACE_TASK_STATE_H

/* Per traced task: the system call in flight. */
struct task_state {
	__u64 enter_ns;     /* 0 when no followed call is in flight */
	__u32 nr;           /* its syscall number */
	__u32 flags;        /* TASK_* */
	__u64 saved_ino;    /* close: the socket being closed */
	__u32 saved_dev;
	__u32 saved_kind;
};

/* Set by user space on the command's process until it execs: the tracer's
 * own start-up code (waiting for the go byte) is not the command's. */
#define TASK_BEFORE_EXEC 1u

#endif /* IPCTRACE_TASK_STATE_H */
