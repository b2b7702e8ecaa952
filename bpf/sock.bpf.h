/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sock.bpf.h - socket lifecycle: socket, socketpair, bind, listen,
 * connect, accept/accept4, shutdown and close, each with the socket's
 * identity (inode, family, type, unix peer, inet endpoints, unix path).
 */
#ifndef IPCTRACE_SOCK_BPF_H
#define IPCTRACE_SOCK_BPF_H

#include "common.bpf.h"
#include "unix_names.bpf.h"

/* Copy the AF_UNIX address of a user sockaddr_un (ADDRLEN bytes in all)
 * into E; an abstract name (leading NUL) is written with a leading '@'.
 * A bind also makes the name known to senders (unix_names.bpf.h). */
static __always_inline void user_unix_path(struct ipct_sock_event *e, const void *uaddr, __u64 addrlen)
{
	struct unix_name n;

	if (unix_name_read(&n, uaddr, addrlen))
		return;
	__builtin_memcpy(e->path, n.path, sizeof(e->path));	/* zero past n.len */
	if (n.path[0] == 0)
		e->path[0] = '@';
	e->path_len = n.len;
	if (e->op == IPCT_SOCK_BIND && e->ret == 0 && e->ino)
		unix_name_bind(&n, e->ino);
}

/* The open file of descriptor FD of TASK when it is a socket of a kind we
 * follow (its kind in *KIND), else NULL. */
static __always_inline struct file *sock_file(struct task_struct *task, int fd, __u32 *kind)
{
	struct file *file = fd_file(task, fd);

	if (!file || (file->f_inode->i_mode & S_IFMT) != S_IFSOCK)
		return NULL;
	*kind = sock_kind(file_sock(file));
	return *kind != IPCT_KIND_NONE && kind_on(*kind) ? file : NULL;
}

/* The id of socket FILE of KIND as records name it: (dev, inode), or for a
 * unix socket (0, its id) and its peer's id. */
static __always_inline void sock_object(struct file *file, __u32 kind, __u32 *dev,
					__u64 *ino, __u64 *peer)
{
	if (kind == IPCT_KIND_UNIX) {
		unix_ids(file, ino, peer);
		*dev = 0;
	} else {
		*ino = file->f_inode->i_ino;
		*dev = file->f_inode->i_sb->s_dev;
	}
}

/* Fill the identity of socket FILE of KIND into E. */
static __always_inline void sock_identity(struct file *file, __u32 kind,
					  struct ipct_sock_event *e)
{
	struct sock *sk = file_sock(file);

	sock_object(file, kind, &e->dev, &e->ino, &e->peer_ino);
	if (!sk)
		return;
	e->family = sk->__sk_common.skc_family;
	e->sock_type = sk->sk_type;
	if (kind != IPCT_KIND_UNIX)
		inet_endpoints(sk, &e->local, &e->remote);
}

/* Unix socks born by this call get fresh ids (see unix_sock_ids):
 * socket() and socketpair() make new socks; a stream connect() makes the
 * server's end of the connection (our peer), which accept() later hands
 * over as is. */
static __always_inline void unix_births(struct file *file, __u8 op, __u64 now)
{
	__u64 self, peer;

	unix_addrs(file, &self, &peer);
	switch (op) {
	case IPCT_SOCK_SOCKET:
		unix_id_new(self, now);
		break;
	case IPCT_SOCK_SOCKETPAIR:
		unix_id_new(self, now);
		unix_id_new(peer, now);
		break;
	case IPCT_SOCK_CONNECT: {
		struct socket *sock = bpf_rdonly_cast(file->private_data,
						      bpf_core_type_id_kernel(struct socket));

		/* a datagram connect names an existing sock: no birth */
		if (sock && sock->type != SOCK_DGRAM)
			unix_id_new(peer, now);
		break;
	}
	case IPCT_SOCK_ACCEPT: {
		__u64 *known = bpf_map_lookup_elem(&unix_sock_ids, &self);

		if (!known)	/* the client was not traced when it connected */
			unix_id_new(self, now);
		break;
	}
	}
}

static __noinline int handle_sock(struct call *c)
{
	struct task_struct *task = c->task;
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	__u64 now = c->now;
	struct task_state *st = c->st;
	struct ipct_sock_event *e;
	struct file *file = NULL;
	int fd = SYSCALL_ARG(regs, 1), fd2 = -1;
	__u32 kind = IPCT_KIND_NONE;
	__u8 op;

	switch (nr) {
	case NR_socket: op = IPCT_SOCK_SOCKET; fd = ret; break;
	case NR_socketpair: op = IPCT_SOCK_SOCKETPAIR; fd = -1; break;
	case NR_bind: op = IPCT_SOCK_BIND; break;
	case NR_listen: op = IPCT_SOCK_LISTEN; break;
	case NR_connect: op = IPCT_SOCK_CONNECT; break;
	case NR_accept:
	case NR_accept4: op = IPCT_SOCK_ACCEPT; fd = ret; fd2 = SYSCALL_ARG(regs, 1); break;
	case NR_shutdown: op = IPCT_SOCK_SHUTDOWN; break;
	case NR_close: op = IPCT_SOCK_CLOSE; break;
	default: return 0;
	}
	if (op == IPCT_SOCK_CLOSE) {
		if (!st->saved_ino)
			return 0;
		kind = st->saved_kind;
	} else {
		if (op == IPCT_SOCK_SOCKETPAIR) {
			int fds[2] = { -1, -1 };

			if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)SYSCALL_ARG(regs, 4)) == 0) {
				fd = fds[0];
				fd2 = fds[1];
			}
		}
		file = fd < 0 ? NULL : sock_file(task, fd, &kind);
		if (!file)
			return 0;
	}
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_SOCK, kind);
	if (!e)
		return 0;
	e->fd = fd;
	e->fd2 = fd2;
	e->syscall = nr;
	e->op = op;
	e->kind = kind;
	if (op == IPCT_SOCK_CLOSE) {
		/* the descriptor is gone now: sys_enter kept its identity */
		e->ino = st->saved_ino;
		e->dev = st->saved_dev;
		st->saved_ino = 0;
		submit(e);
		return 0;
	}
	if (kind == IPCT_KIND_UNIX && ret >= 0)
		unix_births(file, op, now);
	sock_identity(file, kind, e);

	if (op == IPCT_SOCK_LISTEN || op == IPCT_SOCK_SHUTDOWN)
		e->arg = SYSCALL_ARG(regs, 2);
	if ((op == IPCT_SOCK_BIND || op == IPCT_SOCK_CONNECT) && kind == IPCT_KIND_UNIX)
		user_unix_path(e, (const void *)SYSCALL_ARG(regs, 2), SYSCALL_ARG(regs, 3));
	submit(e);
	return 0;
}

/* At sys_enter of close(fd): remember the socket being closed (the
 * descriptor is gone at sys_exit).  False when FD is not one. */
static __always_inline bool close_enter(struct task_struct *task, struct task_state *st, int fd)
{
	struct file *file;
	__u64 peer;
	__u32 kind;

	st->saved_ino = 0;
	file = sock_file(task, fd, &kind);
	if (!file)
		return false;
	sock_object(file, kind, &st->saved_dev, &st->saved_ino, &peer);
	st->saved_kind = kind;
	return true;
}

#endif
