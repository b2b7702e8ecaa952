/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wait.bpf.h - the calls that wait for descriptors to become ready: poll,
 * ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_pwait2, and the
 * epoll_ctl calls that say what an epoll instance watches.  Each wait is
 * one IPCT_EV_WAIT record with its first IPCT_WAIT_FDS_MAX descriptors and
 * the object behind each, so readers can tell which channel's readiness
 * ended it.
 *
 * The kernel rewrites what select's sets and the ppoll/pselect6 timeouts
 * held, so sys_enter keeps the sets and the timeout asked for in the task
 * state (wait_enter); sys_exit reads the rest.
 */
#ifndef IPCTRACE_WAIT_BPF_H
#define IPCTRACE_WAIT_BPF_H

#include "common.bpf.h"
#include "stat.bpf.h"

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define EPOLL_EVENT_SIZE 12      /* struct epoll_event is packed on x86_64 */

/* A struct timespec (or timeval, USEC) at user address U in ns, -1 for NULL. */
static __always_inline __s64 user_timeout_ns(const void *u, bool usec)
{
	__s64 t[2];

	if (!u)
		return -1;
	if (bpf_probe_read_user(t, sizeof(t), u))
		return -1;
	return t[0] * 1000000000ll + (usec ? t[1] * 1000 : t[1]);
}

/* poll/epoll_wait's int milliseconds in ns, -1 for "forever". */
static __always_inline __s64 ms_timeout_ns(__u64 arg)
{
	int ms = (int)arg;

	return ms < 0 ? -1 : (__s64)ms * 1000000;
}

static __always_inline __u64 user_word(__u64 uaddr)
{
	__u64 w = 0;

	if (uaddr)
		bpf_probe_read_user(&w, sizeof(w), (const void *)uaddr);
	return w;
}

/* sys_enter of a wait whose arguments the kernel rewrites. */
static __always_inline void wait_enter(struct task_state *st, long nr, struct pt_regs *regs)
{
	switch (nr) {
	case NR_select:
	case NR_pselect6:
		st->wait_sets[0] = user_word(SYSCALL_ARG(regs, 2));
		st->wait_sets[1] = user_word(SYSCALL_ARG(regs, 3));
		st->wait_sets[2] = user_word(SYSCALL_ARG(regs, 4));
		st->wait_timeout_ns = user_timeout_ns((const void *)SYSCALL_ARG(regs, 5), nr == NR_select);
		break;
	case NR_ppoll:
		st->wait_timeout_ns = user_timeout_ns((const void *)SYSCALL_ARG(regs, 3), false);
		break;
	case NR_epoll_pwait2:
		st->wait_timeout_ns = user_timeout_ns((const void *)SYSCALL_ARG(regs, 4), false);
		break;
	}
}

/* The object behind W->fd of the current task into W (kind NONE, dev/ino
 * of the inode, for what is no IPC object).  A global function: the
 * verifier checks it once, not once per descriptor of every wait. */
__noinline int wait_fd_object(struct ipct_wait_fd *w)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *file;
	struct inode *inode;
	__u64 peer;

	if (!w)
		return 0;
	file = fd_file(task, w->fd);
	w->kind = file_kind(file);
	w->dev = 0;
	w->ino = 0;
	if (!file)
		return 0;
	if (w->kind == IPCT_KIND_UNIX) {
		unix_ids(file, &w->ino, &peer);
		return 0;
	}
	inode = file->f_inode;
	if (inode) {
		w->ino = inode->i_ino;
		w->dev = inode->i_sb->s_dev;
	}
	return 0;
}

/* An id of the epoll instance behind EPFD (its struct eventpoll), 0 if none. */
static __always_inline __u64 epoll_id(struct task_struct *task, int epfd)
{
	struct file *file = fd_file(task, epfd);
	__u64 addr = 0;

	if (!file)
		return 0;
	bpf_probe_read_kernel(&addr, sizeof(addr), &file->private_data);
	return mix_id(addr);
}

static __always_inline void wait_fd_clear(struct ipct_wait_fd *w, int fd)
{
	w->fd = fd;
	w->events = w->revents = 0;
	w->data = 0;
	w->pad[0] = w->pad[1] = w->pad[2] = 0;
}

/* poll/ppoll: the first pollfds, in order. */
static __always_inline __u32 wait_poll_fds(struct call *k, struct ipct_wait_event *e,
					   const struct pollfd *ufds)
{
	__u32 n = 0;

	for (int i = 0; i < IPCT_WAIT_FDS_MAX; i++) {
		struct pollfd p;
		struct ipct_wait_fd w;

		if (i >= e->nfds || bpf_probe_read_user(&p, sizeof(p), &ufds[i]))
			break;
		wait_fd_clear(&w, p.fd);
		w.events = p.events;
		w.revents = k->ret > 0 ? p.revents : 0;
		wait_fd_object(&w);
		e->fds[i] = w;
		n++;
	}
	return n;
}

/* The number of the one bit set in B. */
static __always_inline int bit_index(__u64 b)
{
	int i = 0;

	if (b & 0xffffffff00000000ull)
		i += 32;
	if (b & 0xffff0000ffff0000ull)
		i += 16;
	if (b & 0xff00ff00ff00ff00ull)
		i += 8;
	if (b & 0xf0f0f0f0f0f0f0f0ull)
		i += 4;
	if (b & 0xccccccccccccccccull)
		i += 2;
	if (b & 0xaaaaaaaaaaaaaaaaull)
		i += 1;
	return i;
}

/* select/pselect6: the descriptors below IPCT_SELECT_FDS of the sets
 * asked for, with the sets returned when some were ready. */
static __always_inline __u32 wait_select_fds(struct call *k, struct ipct_wait_event *e)
{
	struct pt_regs *regs = k->regs;
	__u64 *asked = k->st->wait_sets;
	__u64 ready[3] = { 0, 0, 0 };
	__u64 any, mask = e->nfds >= 64 ? ~0ull : (1ull << e->nfds) - 1;
	__u32 n = 0;

	if (k->ret > 0) {
		ready[0] = user_word(SYSCALL_ARG(regs, 2));
		ready[1] = user_word(SYSCALL_ARG(regs, 3));
		ready[2] = user_word(SYSCALL_ARG(regs, 4));
	}
	any = (asked[0] | asked[1] | asked[2]) & mask;
	for (int i = 0; i < IPCT_WAIT_FDS_MAX; i++) {
		struct ipct_wait_fd w;
		__u64 bit = any & -any;

		if (!any)
			break;
		any &= any - 1;
		wait_fd_clear(&w, bit_index(bit));
		w.events = (asked[0] & bit ? POLLIN : 0) | (asked[1] & bit ? POLLOUT : 0) |
			   (asked[2] & bit ? POLLPRI : 0);
		w.revents = (ready[0] & bit ? POLLIN : 0) | (ready[1] & bit ? POLLOUT : 0) |
			    (ready[2] & bit ? POLLPRI : 0);
		wait_fd_object(&w);
		e->fds[i] = w;
		n++;
	}
	return n;
}

/* epoll_wait and kin: the first ready events (their data, not their fd). */
static __always_inline __u32 wait_epoll_fds(struct call *k, struct ipct_wait_event *e,
					    const __u8 *uevents)
{
	__u32 n = 0;

	for (int i = 0; i < IPCT_WAIT_FDS_MAX; i++) {
		struct ipct_wait_fd *w = &e->fds[i];
		__u8 raw[EPOLL_EVENT_SIZE];
		__u32 events;

		if (i >= k->ret || bpf_probe_read_user(raw, sizeof(raw), uevents + i * EPOLL_EVENT_SIZE))
			break;
		wait_fd_clear(w, -1);
		__builtin_memcpy(&events, raw, 4);
		__builtin_memcpy(&w->data, raw + 4, 8);
		w->revents = events;
		w->kind = IPCT_KIND_NONE;
		w->dev = 0;
		w->ino = 0;
		n++;
	}
	return n;
}

static __always_inline void handle_wait(struct call *k)
{
	struct pt_regs *regs = k->regs;
	struct ipct_wait_event *e;
	__u32 n;

	if (stat_mode)
		return;
	e = reserve_call(k, sizeof(*e), IPCT_WAIT_FDS_MAX * sizeof(struct ipct_wait_fd),
			 IPCT_EV_WAIT, IPCT_KIND_NONE);
	if (!e)
		return;
	e->syscall = k->nr;
	e->epfd = -1;
	switch (k->nr) {
	case NR_poll:
	case NR_ppoll:
		e->op = IPCT_WAIT_POLL;
		e->nfds = SYSCALL_ARG(regs, 2);
		e->timeout_ns = k->nr == NR_poll ? ms_timeout_ns(SYSCALL_ARG(regs, 3)) :
			        k->st->wait_timeout_ns;
		n = wait_poll_fds(k, e, (const struct pollfd *)SYSCALL_ARG(regs, 1));
		break;
	case NR_select:
	case NR_pselect6:
		e->op = IPCT_WAIT_SELECT;
		e->nfds = SYSCALL_ARG(regs, 1);
		e->timeout_ns = k->st->wait_timeout_ns;
		n = wait_select_fds(k, e);
		break;
	default:
		e->op = IPCT_WAIT_EPOLL;
		e->epfd = SYSCALL_ARG(regs, 1);
		e->nfds = SYSCALL_ARG(regs, 3);
		e->timeout_ns = k->nr == NR_epoll_pwait2 ? k->st->wait_timeout_ns :
			        ms_timeout_ns(SYSCALL_ARG(regs, 4));
		e->ep_id = epoll_id(k->task, e->epfd);
		n = wait_epoll_fds(k, e, (const __u8 *)SYSCALL_ARG(regs, 2));
		break;
	}
	e->nrecorded = n;
	e->hdr.size = sizeof(*e) + n * sizeof(struct ipct_wait_fd);
	submit(e);
}

/* epoll_ctl(epfd, op, fd, event). */
static __always_inline void handle_epoll_ctl(struct call *k)
{
	struct pt_regs *regs = k->regs;
	const void *uev = (const void *)SYSCALL_ARG(regs, 4);
	struct ipct_epoll_ctl_event *e;
	struct ipct_wait_fd w;
	__u8 raw[EPOLL_EVENT_SIZE];

	if (stat_mode)
		return;
	e = reserve_call(k, sizeof(*e), 0, IPCT_EV_EPOLL_CTL, IPCT_KIND_NONE);
	if (!e)
		return;
	e->syscall = k->nr;
	e->epfd = SYSCALL_ARG(regs, 1);
	e->op = SYSCALL_ARG(regs, 2);
	e->fd = SYSCALL_ARG(regs, 3);
	if (uev && bpf_probe_read_user(raw, sizeof(raw), uev) == 0) {
		__builtin_memcpy(&e->events, raw, 4);
		__builtin_memcpy(&e->data, raw + 4, 8);
	}
	e->ep_id = epoll_id(k->task, e->epfd);
	wait_fd_clear(&w, e->fd);
	wait_fd_object(&w);
	e->kind = w.kind;
	e->dev = w.dev;
	e->ino = w.ino;
	submit(e);
}

#endif
