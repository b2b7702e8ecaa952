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

/* What the stream I/O handler learned about the object behind one
 * descriptor, kept so that the next call on the same open file skips the
 * walk from the file to its inode and socket.  An entry belongs to the
 * struct file at `file` and is trusted only while that file still has the
 * same inode number and generation (a freed file's memory may hold the
 * next open file). */
struct fd_class {
	__u64 file;         /* address of the struct file; 0: empty entry */
	__u64 i_ino;        /* its inode's number, checked on every use */
	__u64 ino;          /* the object's identity as records carry it
			       (a unix socket: its id) */
	__u64 peer;         /* unix: the peer's id */
	__u64 peer_sk;      /* unix: the peer sock's address the id belongs to */
	__u32 i_generation; /* its inode's generation, checked on every use */
	__u32 dev;
	__u32 sock_type;
	__u32 kind;         /* enum ipct_kind */
	__u32 stat_slot[2]; /* trace stat: counter slot + 1 for send, for recv
			       (0: not looked up yet) */
};
#define TASK_FD_CLASSES 4   /* entries, chosen by fd % TASK_FD_CLASSES */

/* Per traced task: the system call in flight. */
struct task_state {
	__u64 enter_ns;     /* 0 when no followed call is in flight */
	__u32 nr;           /* its syscall number */
	__u32 flags;        /* TASK_* */
	__u64 saved_ino;    /* close: the socket being closed */
	__u32 saved_dev;
	__u32 saved_kind;
	struct fd_class fd_class[TASK_FD_CLASSES];
	__s64 wait_timeout_ns;  /* ppoll, select, pselect6, epoll_pwait2: the timeout
				   asked for (the kernel rewrites it), -1 none */
	__u64 wait_sets[3];     /* select, pselect6: the first 64 bits of the read,
				   write and except sets asked for */
	__u64 enter_nvcsw;      /* trace stat, semop and futex: the task's voluntary
				   context switches at entry (a P that slept) */
	__u64 ready_sk;         /* a unix sock the call in flight woke (sk_data_ready) */
	__u64 ready_enter;      /* enter_ns of that call */
};

/* Set by user space on the command's process until it execs: the tracer's
 * own start-up code (waiting for the go byte) is not the command's. */
#define TASK_BEFORE_EXEC 1u

/* The shared mappings a traced process made (bpf/touch.bpf.h, map
 * `shared_ranges`, by tgid): a page fault outside them costs no mapping
 * lookup.  `all`: every fault of the process is looked at (user space sets
 * it for a process attached with -p, whose mappings predate the trace; the
 * BPF side when the ranges are full).  A range is [start, end), end 0 when
 * the slot is free. */
#define SHARED_RANGES 16
struct shared_ranges {
	__u64 start[SHARED_RANGES];
	__u64 end[SHARED_RANGES];
	__u32 all;
	__u32 pad;
};
#define SHARED_RANGES_PROCS 16384   /* processes with shared mappings kept */

#endif /* IPCTRACE_TASK_STATE_H */
