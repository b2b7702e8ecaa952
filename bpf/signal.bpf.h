/* SPDX-License-Identifier: GPL-2.0 */
/*
 * signal.bpf.h - signals: the sending system calls (kill, tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal) at sys_exit, and
 * the signal_generate / signal_deliver tracepoints, which also see the
 * signals the kernel sends itself (SIGCHLD, SIGPIPE, SIGALRM).
 */
#ifndef IPCTRACE_SIGNAL_BPF_H
#define IPCTRACE_SIGNAL_BPF_H

#include "common.bpf.h"
#include "stat.bpf.h"

/* Offsets in a user siginfo_t (x86_64): si_code at 8, si_pid at 16,
 * si_value at 24 for SI_QUEUE. */
static __noinline int handle_signal_send(struct call *c)
{
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	struct ipct_signal_event *e;
	const void *info = NULL;

	if (stat_mode)
		return 0;	/* counted where the signal is generated */
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_SIGNAL, IPCT_KIND_SIGNAL);
	if (!e)
		return 0;
	e->syscall = nr;
	e->op = IPCT_SIG_SEND;
	switch (nr) {
	case NR_kill:
		e->target_pid = SYSCALL_ARG(regs, 1);
		e->sig = SYSCALL_ARG(regs, 2);
		break;
	case NR_tkill:
		e->target_tid = SYSCALL_ARG(regs, 1);
		e->sig = SYSCALL_ARG(regs, 2);
		break;
	case NR_tgkill:
		e->target_pid = SYSCALL_ARG(regs, 1);
		e->target_tid = SYSCALL_ARG(regs, 2);
		e->sig = SYSCALL_ARG(regs, 3);
		break;
	case NR_rt_sigqueueinfo:
		e->target_pid = SYSCALL_ARG(regs, 1);
		e->sig = SYSCALL_ARG(regs, 2);
		info = (const void *)SYSCALL_ARG(regs, 3);
		break;
	case NR_rt_tgsigqueueinfo:
		e->target_pid = SYSCALL_ARG(regs, 1);
		e->target_tid = SYSCALL_ARG(regs, 2);
		e->sig = SYSCALL_ARG(regs, 3);
		info = (const void *)SYSCALL_ARG(regs, 4);
		break;
	case NR_pidfd_send_signal:
		e->sig = SYSCALL_ARG(regs, 2);	/* target known from signal_generate */
		info = (const void *)SYSCALL_ARG(regs, 3);
		break;
	}
	if (info) {
		bpf_probe_read_user(&e->code, sizeof(e->code), info + 8);
		bpf_probe_read_user(&e->value, sizeof(e->value), info + 24);
	}
	submit(e);
	return 0;
}

/* rt_sigtimedwait (sigwaitinfo, sigtimedwait, sigwait) takes a pending
 * signal without delivering it: signal_deliver does not fire, so its
 * return is the receive.  ret is the signal number; the user siginfo
 * holds si_code, si_pid and si_value. */
static __noinline int handle_signal_wait(struct call *c)
{
	struct task_struct *task = c->task;
	struct pt_regs *regs = c->regs;
	struct ipct_signal_event *e;
	const void *info = (const void *)SYSCALL_ARG(regs, 2);

	if (stat_mode)
		return 0;

	if (c->ret <= 0)
		return 0;
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_SIGNAL, IPCT_KIND_SIGNAL);
	if (!e)
		return 0;
	e->syscall = c->nr;
	e->op = IPCT_SIG_DELIVER;
	e->action = IPCT_SIGACT_WAITED;
	e->sig = c->ret;
	e->target_pid = task->tgid;
	e->target_tid = task->pid;
	if (info) {
		bpf_probe_read_user(&e->code, sizeof(e->code), info + 8);
		bpf_probe_read_user(&e->sender_pid, sizeof(e->sender_pid), info + 16);
		bpf_probe_read_user(&e->value, sizeof(e->value), info + 24);
	}
	submit(e);
	return 0;
}

/* The action the target has for SIG: its sa_handler (SIG_DFL 0, SIG_IGN 1). */
static __always_inline __u64 target_handler(struct task_struct *target, int sig)
{
	struct sighand_struct *sh = target->sighand;
	__u64 handler = 0;
	__u32 i = (__u32)(sig - 1) & 63;

	if (sh && sig >= 1 && sig <= 64)
		bpf_probe_read_kernel(&handler, sizeof(handler), &sh->action[i].sa.sa_handler);
	return handler;
}

static __always_inline __u8 action_of(__u64 handler)
{
	return handler == 0 ? IPCT_SIGACT_DEFAULT :
	       handler == 1 ? IPCT_SIGACT_IGNORE : IPCT_SIGACT_HANDLER;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(ipct_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *target, int group, int result)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ipct_signal_event *e;

	/* The sender, or the target, must be traced. */
	if (!bpf_task_storage_get(&traced, cur, 0, 0) &&
	    !bpf_task_storage_get(&traced, target, 0, 0))
		return 0;
	if (stat_mode) {
		/* per (sender, target, signal); one merged into a pending
		 * one or refused for a full queue counts as an error
		 * (TRACE_SIGNAL_ALREADY_PENDING, _OVERFLOW_FAIL) */
		struct ipct_stat_key key = { .kind = IPCT_KIND_SIGNAL, .dir = IPCT_DIR_SEND,
					     .dev = sig, .obj = target->tgid };
		struct call sc = { .task = cur, .ret = result == 2 || result == 3 ? -1 : 0 };

		/* apart: a signal the target ignored (TRACE_SIGNAL_IGNORED),
		 * and a SIGCHLD's code, which tells an exit report
		 * (CLD_EXITED...) from a stop or a continue */
		if (result == 1)
			key.peer = 0x100;
		if (sig == 17 && (unsigned long)info > 1)
			key.peer |= (__u8)BPF_CORE_READ(info, si_code);
		return stat_add(&sc, &key, 0);
	}
	e = reserve(sizeof(*e), IPCT_EV_SIGNAL, IPCT_KIND_SIGNAL, cur, bpf_ktime_get_ns());
	if (!e)
		return 0;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->op = IPCT_SIG_GENERATE;
	e->sig = sig;
	e->ret = result;
	e->target_pid = target->tgid;
	e->target_tid = target->pid;
	e->group = group;
	/* the target's disposition: an ignored signal still reached it */
	e->handler = target_handler(target, sig);
	e->action = action_of(e->handler);
	/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers */
	if ((unsigned long)info > 1) {
		e->code = BPF_CORE_READ(info, si_code);
		e->sender_pid = BPF_CORE_READ(info, _sifields._kill._pid);
		e->value = (__u64)BPF_CORE_READ(info, _sifields._rt._sigval.sival_ptr);
	} else if (info) {
		e->flags = IPCT_SIG_PRIV;
		e->code = 0x80;	/* SI_KERNEL */
	} else {
		e->flags = IPCT_SIG_NOINFO;
	}
	submit(e);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(ipct_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ipct_signal_event *e;
	__u64 handler;

	if (stat_mode || !bpf_task_storage_get(&traced, cur, 0, 0))
		return 0;
	e = reserve(sizeof(*e), IPCT_EV_SIGNAL, IPCT_KIND_SIGNAL, cur, bpf_ktime_get_ns());
	if (!e)
		return 0;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->op = IPCT_SIG_DELIVER;
	e->sig = sig;
	e->target_pid = cur->tgid;
	e->target_tid = cur->pid;
	if ((unsigned long)info > 1) {
		e->code = BPF_CORE_READ(info, si_code);
		e->sender_pid = BPF_CORE_READ(info, _sifields._kill._pid);
		e->value = (__u64)BPF_CORE_READ(info, _sifields._rt._sigval.sival_ptr);
	} else {
		e->flags = info ? IPCT_SIG_PRIV : IPCT_SIG_NOINFO;
	}
	handler = (__u64)BPF_CORE_READ(ka, sa.sa_handler);
	e->handler = handler;
	e->action = action_of(handler);
	submit(e);
	return 0;
}

#endif
