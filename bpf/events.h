/*
 * events.h - the event ABI shared by bpf/ipctrace.bpf.c and user space.
 *
 * Every record that the BPF side puts in the ring buffer starts with
 * struct ipct_event_header; `type` says which struct follows and `size` is
 * the length of the whole record in bytes (always a multiple of 8, so the
 * trace file can encode records as 64-bit words).  Timestamps are
 * bpf_ktime_get_ns() (CLOCK_MONOTONIC).  For a system call, ts_ns is the
 * time the call returned and duration_ns the time spent inside it.
 *
 * This header has no includes: the BPF side gets __u64 and friends from
 * vmlinux.h, user space from <linux/types.h>.  Never reorder or resize a
 * field: trace files store these records as they are (new fields go at the
 * end of a record, new records get new type numbers).
 */
#ifndef IPCTRACE_EVENTS_H
#define IPCTRACE_EVENTS_H

#define IPCT_COMM_LEN 16
#define IPCT_PATH_LEN 256

/* What a record is. */
enum ipct_event_type {
	IPCT_EV_FORK = 1,        /* struct ipct_fork_event */
	IPCT_EV_EXEC = 2,        /* struct ipct_exec_event */
	IPCT_EV_EXIT = 3,        /* struct ipct_exit_event */
	IPCT_EV_PIPE = 4,        /* struct ipct_pipe_event: pipe()/pipe2() */
	IPCT_EV_IO = 5,          /* struct ipct_io_event: read/write-like call */
	IPCT_EV_TYPE_MAX
};

/* What kind of object a call worked on (also indexes loss counters). */
enum ipct_kind {
	IPCT_KIND_NONE = 0,      /* process lifecycle, not an IPC object */
	IPCT_KIND_PIPE = 1,
	IPCT_KIND_FIFO = 2,
	IPCT_KIND_FILE = 3,
	IPCT_KIND_MSGQ = 4,
	IPCT_KIND_SHM = 5,
	IPCT_KIND_SEM = 6,
	IPCT_KIND_SIGNAL = 7,
	IPCT_KIND_UNIX = 8,
	IPCT_KIND_TCP = 9,
	IPCT_KIND_UDP = 10,
	IPCT_KIND_MAX
};

/* Direction of an I/O call relative to the object. */
enum ipct_dir {
	IPCT_DIR_SEND = 1,       /* write, writev, send... : data into the object */
	IPCT_DIR_RECV = 2,       /* read, readv, recv...  : data out of it */
};

struct ipct_event_header {
	__u64 ts_ns;             /* monotonic time of the event (call return) */
	__u32 pid;               /* thread group id of the acting task */
	__u32 tid;               /* its thread id */
	__u16 type;              /* enum ipct_event_type */
	__u16 size;              /* bytes in the whole record, multiple of 8 */
	__u32 cpu;               /* CPU it ran on */
};

/* A task was created.  The header names the parent (the forking task). */
struct ipct_fork_event {
	struct ipct_event_header hdr;
	__u32 child_pid;         /* tgid of the new task */
	__u32 child_tid;         /* its tid (== child_pid for a new process) */
	__u32 flags;             /* IPCT_FORK_THREAD when it is a thread */
	__u32 pad;
	char comm[IPCT_COMM_LEN];/* child's comm at fork (inherited) */
};
#define IPCT_FORK_THREAD 1u

/* A process exec'd: the header pid is the process after exec. */
struct ipct_exec_event {
	struct ipct_event_header hdr;
	__u32 old_tid;           /* tid that called execve (differs if a thread exec'd) */
	__u32 pad;
	char comm[IPCT_COMM_LEN];
	char filename[IPCT_PATH_LEN]; /* as passed to exec, NUL-terminated, may be cut */
};

/* A task exited. */
struct ipct_exit_event {
	struct ipct_event_header hdr;
	__s32 exit_code;         /* wait(2)-style status: code << 8, or signal number */
	__u32 flags;             /* IPCT_EXIT_GROUP_DEAD when the whole process ended */
};
#define IPCT_EXIT_GROUP_DEAD 1u

/* pipe()/pipe2() returned two descriptors on a new pipe. */
struct ipct_pipe_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__u64 ino;               /* pipe inode (both ends share it) */
	__u32 dev;               /* st_dev of the inode (kernel dev_t encoding) */
	__s32 ret;               /* 0 or -errno */
	__s32 read_fd;
	__s32 write_fd;
	__u32 flags;             /* pipe2 flags */
	__u32 pad;
};

/* One read/write-like call on an IPC object. */
struct ipct_io_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;       /* entry to return */
	__s64 ret;               /* bytes moved, or -errno */
	__u64 ino;               /* object identity: (dev, ino) */
	__u64 requested;         /* byte count asked for (sum of iovecs for *v) */
	__u32 dev;
	__s32 fd;
	__u16 syscall;           /* x86_64 syscall number */
	__u8 kind;               /* enum ipct_kind */
	__u8 dir;                /* enum ipct_dir */
	__u32 pad;
};

#endif /* IPCTRACE_EVENTS_H */
