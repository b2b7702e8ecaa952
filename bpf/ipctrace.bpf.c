// SPDX-License-Identifier: GPL-2.0
/*
 * ipctrace.bpf.c - the kernel side of ipctrace.
 *
 * Follows one process tree and records its IPC operations into a BPF ring
 * buffer as the records of events.h.
 *
 * Who is traced: a task is traced when it has an entry in the `traced` task
 * storage map.  User space creates the entry for the command it starts
 * (through a pidfd, before letting it exec); sched_process_fork copies it to
 * every child and thread.  Every other task on the machine costs one task
 * storage lookup in sys_enter/sys_exit and nothing more.
 *
 * System calls: sys_enter stamps the entry time and the syscall number of
 * the few calls we follow into the task's storage; sys_exit, which on x86_64
 * still sees the arguments in pt_regs, classifies the file descriptor
 * (pipe or FIFO, by inode mode and superblock) and emits one record with
 * the result and the time spent in the call.
 *
 * Ring buffer: records are submitted without waking the reader, unless
 * `wakeup_bytes` or more are waiting; user space also drains on a short
 * timer.  A failed reservation is counted per kind in `lost`, so a loss is
 * never silent.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "events.h"

char LICENSE[] SEC("license") = "GPL";

/* Turns a pointer read with bpf_probe_read_kernel back into a BTF pointer
 * whose fields can be loaded directly (kernel 6.2+). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define PIPEFS_MAGIC 0x50495045
#define S_IFMT 00170000
#define S_IFIFO 0010000

/* x86_64 system call numbers of the calls followed. */
#define NR_read 0
#define NR_write 1
#define NR_readv 19
#define NR_writev 20
#define NR_pipe 22
#define NR_pipe2 293

#define MAX_IOVECS 8

/* Set by user space before load. */
const volatile __u64 wakeup_bytes = 256 * 1024;

/* Per traced task: the system call in flight. */
struct task_state {
	__u64 enter_ns;     /* 0 when no followed call is in flight */
	__u32 nr;           /* its syscall number */
	__u32 flags;        /* TASK_* */
};
/* Set by user space on the command's process until it execs: the tracer's
 * own start-up code (waiting for the go byte) is not the command's. */
#define TASK_BEFORE_EXEC 1u

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);	/* user space may resize */
} events SEC(".maps");

/* Events dropped because the ring buffer was full, per enum ipct_kind. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IPCT_KIND_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline void count_lost(__u32 kind)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &kind);

	if (n)
		*n += 1;	/* per-CPU slot: no other writer */
}

/* Reserve SIZE bytes, filling the header; NULL (and a counted loss) when full. */
static __always_inline void *reserve(__u32 size, __u16 type, __u32 kind,
				     struct task_struct *task, __u64 now)
{
	struct ipct_event_header *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_lost(kind);
		return NULL;
	}
	h->ts_ns = now;
	h->pid = task->tgid;
	h->tid = task->pid;
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	return h;
}

static __always_inline void submit(void *rec)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(rec, flags);
}

static __always_inline bool followed_syscall(long nr)
{
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_readv:
	case NR_writev:
	case NR_pipe:
	case NR_pipe2:
		return true;
	}
	return false;
}

/* The inode behind descriptor FD of TASK, or NULL.  TASK is a trusted BTF
 * pointer, so the walk uses direct (faulting-safe) loads; only the step
 * through the fd array, a pointer to pointers, needs a probe read. */
static __always_inline struct inode *fd_inode(struct task_struct *task, int fd)
{
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file *file = NULL;

	if (!files || fd < 0)
		return NULL;
	fdt = files->fdt;
	if (!fdt || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]) || !file)
		return NULL;
	file = bpf_rdonly_cast(file, bpf_core_type_id_kernel(struct file));
	return file->f_inode;
}

/* Pipe or FIFO kind of INODE, IPCT_KIND_NONE for anything else. */
static __always_inline __u32 inode_kind(struct inode *inode)
{
	if (!inode)
		return IPCT_KIND_NONE;
	if ((inode->i_mode & S_IFMT) != S_IFIFO)
		return IPCT_KIND_NONE;
	if (inode->i_sb->s_magic == PIPEFS_MAGIC)
		return IPCT_KIND_PIPE;
	return IPCT_KIND_FIFO;
}

/* Sum of the iov_len of the first MAX_IOVECS entries of a user iovec array. */
static __always_inline __u64 iovec_bytes(const struct iovec *iov, unsigned long cnt)
{
	__u64 total = 0;
	struct iovec v;

	for (int i = 0; i < MAX_IOVECS; i++) {
		if (i >= cnt)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		total += v.iov_len;
	}
	return total;
}

static __always_inline void emit_io(struct task_struct *task, struct pt_regs *regs,
				    long nr, long ret, __u64 enter, __u64 now)
{
	int fd = (int)regs->di;
	struct inode *inode = fd_inode(task, fd);
	__u32 kind = inode_kind(inode);
	struct ipct_io_event *e;

	if (kind == IPCT_KIND_NONE)
		return;
	e = reserve(sizeof(*e), IPCT_EV_IO, kind, task, now);
	if (!e)
		return;
	e->duration_ns = now - enter;
	e->ret = ret;
	e->ino = inode->i_ino;
	e->dev = inode->i_sb->s_dev;
	e->fd = fd;
	e->syscall = nr;
	e->kind = kind;
	e->dir = (nr == NR_write || nr == NR_writev) ? IPCT_DIR_SEND : IPCT_DIR_RECV;
	e->pad = 0;
	if (nr == NR_readv || nr == NR_writev)
		e->requested = iovec_bytes((const struct iovec *)regs->si, regs->dx);
	else
		e->requested = regs->dx;
	submit(e);
}

static __always_inline void emit_pipe(struct task_struct *task, struct pt_regs *regs,
				      long nr, long ret, __u64 enter, __u64 now)
{
	struct ipct_pipe_event *e;
	struct inode *inode = NULL;
	int fds[2] = { -1, -1 };

	if (ret == 0 &&
	    bpf_probe_read_user(fds, sizeof(fds), (void *)regs->di) == 0)
		inode = fd_inode(task, fds[0]);
	e = reserve(sizeof(*e), IPCT_EV_PIPE, IPCT_KIND_PIPE, task, now);
	if (!e)
		return;
	e->duration_ns = now - enter;
	e->ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
	e->dev = inode ? BPF_CORE_READ(inode, i_sb, s_dev) : 0;
	e->ret = ret;
	e->read_fd = fds[0];
	e->write_fd = fds[1];
	e->flags = nr == NR_pipe2 ? (__u32)regs->si : 0;
	e->pad = 0;
	submit(e);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ipct_sys_enter, struct pt_regs *regs, long id)
{
	struct task_state *st;

	st = bpf_task_storage_get(&traced, bpf_get_current_task_btf(), 0, 0);
	if (!st || !followed_syscall(id) || st->flags)
		return 0;
	st->nr = id;
	st->enter_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ipct_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	__u64 enter, now;
	long nr;

	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st || !st->enter_ns)
		return 0;
	enter = st->enter_ns;
	st->enter_ns = 0;
	nr = regs->orig_ax;
	if (nr != st->nr)
		return 0;
	now = bpf_ktime_get_ns();
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_readv:
	case NR_writev:
		emit_io(task, regs, nr, ret, enter, now);
		break;
	case NR_pipe:
	case NR_pipe2:
		emit_pipe(task, regs, nr, ret, enter, now);
		break;
	}
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ipct_fork, struct task_struct *parent, struct task_struct *child)
{
	struct ipct_fork_event *e;

	if (!bpf_task_storage_get(&traced, parent, 0, 0))
		return 0;
	/* Follow the child from its first instruction on. */
	bpf_task_storage_get(&traced, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	e = reserve(sizeof(*e), IPCT_EV_FORK, IPCT_KIND_NONE, parent, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->child_pid = BPF_CORE_READ(child, tgid);
	e->child_tid = BPF_CORE_READ(child, pid);
	e->flags = e->child_pid == e->hdr.pid ? IPCT_FORK_THREAD : 0;
	e->pad = 0;
	BPF_CORE_READ_STR_INTO(&e->comm, child, comm);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ipct_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ipct_exec_event *e;
	struct task_state *st;

	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st)
		return 0;
	st->flags &= ~TASK_BEFORE_EXEC;
	e = reserve(sizeof(*e), IPCT_EV_EXEC, IPCT_KIND_NONE, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->old_tid = old_pid;
	e->pad = 0;
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	if (bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
				      BPF_CORE_READ(bprm, filename)) < 0)
		e->filename[0] = 0;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ipct_exit, struct task_struct *task)
{
	struct ipct_exit_event *e;

	if (!bpf_task_storage_get(&traced, task, 0, 0))
		return 0;
	e = reserve(sizeof(*e), IPCT_EV_EXIT, IPCT_KIND_NONE, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(task, exit_code);
	/* signal->live reached 0 in do_exit() before this tracepoint when the
	 * last thread of the process is leaving. */
	e->flags = BPF_CORE_READ(task, signal, live.counter) == 0 ? IPCT_EXIT_GROUP_DEAD : 0;
	submit(e);
	return 0;
}
