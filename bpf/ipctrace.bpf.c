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
 * System calls: sys_enter stamps the entry time and the syscall number of
 * the calls followed (only those of the kinds selected with -e) into the
 * task's storage; sys_exit, which on x86_64 still sees the arguments in
 * pt_regs, hands the call to its family's handler:
 *   io.bpf.h      read/write/readv/writev/pread/pwrite, send and recv calls,
 *                 splice, tee, open, pipe
 *   sock.bpf.h    socket lifecycle
 *   sysv.bpf.h    message queues, semaphores, shared memory
 *   signal.bpf.h  signal sending calls, signal_generate, signal_deliver
 *
 * Ring buffer: records are submitted without waking the reader, unless
 * `wakeup_bytes` or more are waiting; user space also drains on a short
 * timer.  A failed reservation is counted per kind in `lost`, so a loss is
 * never silent.
 */

/* x86_64 system call numbers of the calls followed. */
#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_close 3
#define NR_mmap 9
#define NR_munmap 11
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_pipe 22
#define NR_shmget 29
#define NR_shmat 30
#define NR_shmctl 31
#define NR_socket 41
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_shutdown 48
#define NR_bind 49
#define NR_listen 50
#define NR_socketpair 53
#define NR_kill 62
#define NR_futex 202
#define NR_semget 64
#define NR_semop 65
#define NR_semctl 66
#define NR_shmdt 67
#define NR_msgget 68
#define NR_msgsnd 69
#define NR_msgrcv 70
#define NR_msgctl 71
#define NR_creat 85
#define NR_rt_sigtimedwait 128
#define NR_rt_sigqueueinfo 129
#define NR_tkill 200
#define NR_semtimedop 220
#define NR_tgkill 234
#define NR_mq_open 240
#define NR_mq_unlink 241
#define NR_mq_timedsend 242
#define NR_mq_timedreceive 243
#define NR_openat 257
#define NR_splice 275
#define NR_tee 276
#define NR_accept4 288
#define NR_pipe2 293
#define NR_rt_tgsigqueueinfo 297
#define NR_pidfd_send_signal 424
#define NR_openat2 437

#include "common.bpf.h"
#include "io.bpf.h"
#include "sock.bpf.h"
#include "sysv.bpf.h"
#include "signal.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Is NR a call of a kind that was selected? */
static __always_inline bool followed_syscall(long nr)
{
	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev:
	case NR_pread64: case NR_pwrite64: case NR_splice: case NR_tee:
		return kinds & STREAM_KINDS;
	case NR_pipe: case NR_pipe2:
		return kind_on(IPCT_KIND_PIPE);
	case NR_open: case NR_openat: case NR_openat2: case NR_creat:
		return kinds & (KIND_BIT(IPCT_KIND_FIFO) | KIND_BIT(IPCT_KIND_FILE) | KIND_BIT(IPCT_KIND_SHM));
	case NR_socket: case NR_socketpair: case NR_bind: case NR_listen: case NR_connect:
	case NR_accept: case NR_accept4: case NR_shutdown: case NR_close:
	case NR_sendto: case NR_recvfrom: case NR_sendmsg: case NR_recvmsg:
		return kinds & SOCKET_KINDS;
	case NR_msgget: case NR_msgsnd: case NR_msgrcv: case NR_msgctl:
	case NR_mq_open: case NR_mq_unlink: case NR_mq_timedsend: case NR_mq_timedreceive:
		return kind_on(IPCT_KIND_MSGQ);
	case NR_semget: case NR_semop: case NR_semtimedop: case NR_semctl: case NR_futex:
		return kind_on(IPCT_KIND_SEM);
	case NR_shmget: case NR_shmat: case NR_shmdt: case NR_shmctl: case NR_mmap: case NR_munmap:
		return kind_on(IPCT_KIND_SHM);
	case NR_kill: case NR_tkill: case NR_tgkill: case NR_rt_sigqueueinfo:
	case NR_rt_tgsigqueueinfo: case NR_pidfd_send_signal: case NR_rt_sigtimedwait:
		return kind_on(IPCT_KIND_SIGNAL);
	}
	return false;
}

/* Argument checks cheap enough for entry, so that calls which cannot be
 * IPC are not even timed: private futexes (every pthread mutex), private
 * or anonymous mappings (every malloc and library load), and the close of
 * anything but a socket. */
static __always_inline bool followed_call(struct task_struct *task, struct task_state *st,
					  long nr, struct pt_regs *regs)
{
	switch (nr) {
	case NR_futex:
		return futex_followed(regs->si);
	case NR_mmap:
		return (regs->r10 & MAP_SHARED) && !(regs->r10 & MAP_ANONYMOUS) && (int)regs->r8 >= 0;
	case NR_close:
		return close_enter(task, st, regs->di);
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
	nr = regs->orig_ax;
	if (nr != st->nr)
		return 0;
	c.now = bpf_ktime_get_ns();
	c.task = task;
	c.regs = regs;
	c.st = st;
	c.ret = ret;
	c.nr = nr;
	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev:
	case NR_pread64: case NR_pwrite64:
	case NR_sendto: case NR_recvfrom: case NR_sendmsg: case NR_recvmsg:
		handle_io(&c);
		break;
	case NR_splice: case NR_tee:
		handle_splice(&c);
		break;
	case NR_pipe: case NR_pipe2:
		handle_pipe(&c);
		break;
	case NR_open: case NR_openat: case NR_openat2: case NR_creat:
		handle_open(&c);
		break;
	case NR_socket: case NR_socketpair: case NR_bind: case NR_listen: case NR_connect:
	case NR_accept: case NR_accept4: case NR_shutdown: case NR_close:
		handle_sock(&c);
		break;
	case NR_msgget: case NR_msgsnd: case NR_msgrcv: case NR_msgctl:
	case NR_mq_open: case NR_mq_unlink: case NR_mq_timedsend: case NR_mq_timedreceive:
		handle_msg(&c);
		break;
	case NR_semget: case NR_semop: case NR_semtimedop: case NR_semctl: case NR_futex:
		handle_sem(&c);
		break;
	case NR_shmget: case NR_shmat: case NR_shmdt: case NR_shmctl: case NR_mmap: case NR_munmap:
		handle_shm(&c);
		break;
	case NR_kill: case NR_tkill: case NR_tgkill: case NR_rt_sigqueueinfo:
	case NR_rt_tgsigqueueinfo: case NR_pidfd_send_signal:
		handle_signal_send(&c);
		break;
	case NR_rt_sigtimedwait:
		handle_signal_wait(&c);
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
