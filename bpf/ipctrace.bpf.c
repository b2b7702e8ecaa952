// SPDX-License-Identifier: GPL-2.0
/*
 * ipctrace.bpf.c - the kernel side of ipctrace.
 *
 * Follows one process tree and records its IPC operations into a BPF ring
 * buffer as the records of events.h.
 *
 * Who is traced: a task is traced when it has an entry in the `traced` task
 * storage map.  User space creates the entry for the command it starts
 * (through a pidfd, before letting it exec) or for a running process (-p);
 * sched_process_fork gives one to every child and thread.  Every other
 * task on the machine costs one task storage lookup in sys_enter/sys_exit.
 *
 * System calls: the table of syscalls.h says which calls are followed, for
 * which kinds, and which handler reads each.  sys_enter stamps the entry
 * time and the number of a followed call (only for the kinds selected with
 * -e) into the task's storage; sys_exit, which still sees the arguments in
 * the user registers, hands the call to its handler:
 *   io.bpf.h      read/write/readv/writev/pread/pwrite, send and recv calls
 *                 (sendmmsg/recvmmsg per message), splice, tee, open, pipe
 *   sock.bpf.h    socket lifecycle
 *   sysv.bpf.h    message queues, semaphores, shared memory
 *   signal.bpf.h  signal sending calls, signal_generate, signal_deliver
 *   wait.bpf.h    poll, select, epoll_wait and their kin, epoll_ctl
 *   fds.bpf.h     the descriptors open when tracing begins (an iterator)
 *   touch.bpf.h   first touches of shared pages (the user page-fault tracepoint)
 *
 * Ring buffer: records are submitted without waking the reader, but for
 * one wake-up per `wakeup_bytes` submitted on a CPU; user space also
 * drains on a short timer.  A failed reservation is counted per kind in `lost`, so a loss is
 * never silent.
 */

/* The system call numbers and the registers that hold the arguments are
 * x86_64's; another target needs its own table in syscalls.h. */
#ifndef __TARGET_ARCH_x86
#error "ipctrace: the BPF side supports x86_64 only (-D__TARGET_ARCH_x86); bpf/syscalls.h has no table for this target"
#endif

#include "common.bpf.h"
#include "io.bpf.h"
#include "sock.bpf.h"
#include "touch.bpf.h"
#include "sysv.bpf.h"
#include "signal.bpf.h"
#include "wait.bpf.h"
#include "fds.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Is NR a call of a kind that was selected? */
static __always_inline bool followed_syscall(long nr)
{
	switch (nr) {
#define FOLLOWED(name, number, handler, call_kinds) \
	case number: return kinds & (call_kinds);
	IPCT_SYSCALLS(FOLLOWED)
#undef FOLLOWED
	}
	return false;
}

/* The handler that reads a followed call at sys_exit. */
enum call_handler {
	CALL_NONE, CALL_io, CALL_splice, CALL_pipe, CALL_open, CALL_sock,
	CALL_msg, CALL_sem, CALL_shm, CALL_signal_send, CALL_signal_wait, CALL_unfollowed,
	CALL_wait, CALL_epoll_ctl, CALL_mmsg, CALL_eventfd,
};

static __always_inline enum call_handler call_handler(long nr)
{
	switch (nr) {
#define HANDLER(name, number, handler, call_kinds) \
	case number: return CALL_##handler;
	IPCT_SYSCALLS(HANDLER)
#undef HANDLER
	}
	return CALL_NONE;
}

/* Argument checks cheap enough for entry, so that calls which cannot be
 * IPC are not even timed: private futexes (every pthread mutex), private
 * mappings (every malloc and library load), and the close of anything but
 * a socket.  Shared anonymous mappings are followed: a child inherits them
 * over fork. */
static __always_inline bool followed_call(struct task_struct *task, struct task_state *st,
					  long nr, struct pt_regs *regs)
{
	switch (nr) {
	case NR_futex:
		return futex_followed(SYSCALL_ARG(regs, 2));
	case NR_mmap:
		return (SYSCALL_ARG(regs, 4) & MAP_SHARED) &&
		       ((SYSCALL_ARG(regs, 4) & MAP_ANONYMOUS) || (int)SYSCALL_ARG(regs, 5) >= 0);
	case NR_close:
		return close_enter(task, st, SYSCALL_ARG(regs, 1));
	case NR_select:
	case NR_pselect6:
	case NR_ppoll:
	case NR_epoll_pwait2:
		wait_enter(st, nr, regs);
		return true;
	}
	return true;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ipct_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;

	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st || st->flags || !followed_syscall(id) || !followed_call(task, st, id, regs))
		return 0;
	st->nr = id;
	st->enter_ns = bpf_ktime_get_ns();
	/* trace stat: did a semaphore wait sleep? (stat_sem) */
	if (stat_mode && (id == NR_futex || id == NR_semop || id == NR_semtimedop))
		st->enter_nvcsw = task->nvcsw;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ipct_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	struct call c;
	long nr;

	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st || !st->enter_ns)
		return 0;
	c.enter = st->enter_ns;
	st->enter_ns = 0;
	nr = regs->orig_ax;	/* the number sys_enter saw (x86_64) */
	if (nr != st->nr)
		return 0;
	c.now = bpf_ktime_get_ns();
	c.task = task;
	c.regs = regs;
	c.st = st;
	c.ret = ret;
	c.nr = nr;
	switch (call_handler(nr)) {
	case CALL_io: handle_io(&c); break;
	case CALL_splice: handle_splice(&c); break;
	case CALL_pipe: handle_pipe(&c); break;
	case CALL_open: handle_open(&c); break;
	case CALL_sock: handle_sock(&c); break;
	case CALL_msg: handle_msg(&c); break;
	case CALL_sem: handle_sem(&c); break;
	case CALL_shm: handle_shm(&c); break;
	case CALL_signal_send: handle_signal_send(&c); break;
	case CALL_signal_wait: handle_signal_wait(&c); break;
	case CALL_unfollowed: handle_unfollowed(&c); break;
	case CALL_wait: handle_wait(&c); break;
	case CALL_epoll_ctl: handle_epoll_ctl(&c); break;
	case CALL_mmsg: handle_mmsg(&c); break;
	case CALL_eventfd: handle_eventfd(&c); break;
	case CALL_NONE: break;
	}
	return 0;
}

/* A sock has data to read: during a traced unix send, the receiver the
 * kernel just queued a datagram at (unix_names.bpf.h). */
SEC("tp_btf/sk_data_ready")
int BPF_PROG(ipct_sk_data_ready, const struct sock *sk)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;

	if (!kind_on(IPCT_KIND_UNIX) || stat_mode)
		return 0;
	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st || !st->enter_ns || (st->nr != NR_sendto && st->nr != NR_sendmsg) ||
	    sk->__sk_common.skc_family != AF_UNIX)
		return 0;
	st->ready_sk = (__u64)sk;
	st->ready_enter = st->enter_ns;
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
	if (touches_on() && child->tgid != parent->tgid)
		shared_range_fork(parent->tgid, child->tgid);
	e = reserve(sizeof(*e), IPCT_EV_FORK, IPCT_KIND_NONE, parent, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->child_pid = BPF_CORE_READ(child, tgid);
	e->child_tid = BPF_CORE_READ(child, pid);
	e->flags = e->child_pid == e->hdr.pid ? IPCT_FORK_THREAD : 0;
	e->pad = 0;
	__builtin_memset(e->comm, 0, sizeof(e->comm));	/* no stale bytes after the NUL */
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
	if (touches_on()) {	/* exec drops the mappings */
		__u32 tgid = task->tgid;
		bpf_map_delete_elem(&shared_ranges, &tgid);
	}
	e = reserve(sizeof(*e), IPCT_EV_EXEC, IPCT_KIND_NONE, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->old_tid = old_pid;
	e->pad = 0;
	/* the strings are read up to their NUL: zero what follows it */
	__builtin_memset(e->comm, 0, sizeof(e->comm));
	__builtin_memset(e->filename, 0, sizeof(e->filename));
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

	bool group_dead;

	if (!bpf_task_storage_get(&traced, task, 0, 0))
		return 0;
	/* signal->live reached 0 in do_exit() before this tracepoint when the
	 * last thread of the process is leaving. */
	group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	if (touches_on() && group_dead) {
		__u32 tgid = task->tgid;
		bpf_map_delete_elem(&shared_ranges, &tgid);
	}
	e = reserve(sizeof(*e), IPCT_EV_EXIT, IPCT_KIND_NONE, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(task, exit_code);
	e->flags = group_dead ? IPCT_EXIT_GROUP_DEAD : 0;
	submit(e);
	return 0;
}
