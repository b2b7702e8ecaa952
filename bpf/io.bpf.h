/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io.bpf.h - data-moving calls (read/write and friends, the send and recv
 * calls, splice, tee) on pipes, FIFOs, regular files and sockets; open of
 * FIFOs and files; pipe()/pipe2().  Each handler runs at sys_exit, where the
 * arguments are still in pt_regs and the result is known.
 */
#ifndef IPCTRACE_IO_BPF_H
#define IPCTRACE_IO_BPF_H

#include "common.bpf.h"
#include "stat.bpf.h"
#include "fd_class.bpf.h"
#include "unix_names.bpf.h"

/* One data-moving call, as the syscall handlers describe it. */
struct io_call {
	__s64 offset;       /* pread/pwrite position, or -1: use the file position */
	__u64 requested;    /* count argument (iovec sum for *v calls) */
	const void *buf;    /* user address of the data, or NULL */
	const struct iovec *iov;  /* user iovec array (first entry gives the payload) */
	const void *addr;   /* sendto destination / recvfrom source sockaddr */
	const struct user_msghdr *msg; /* sendmsg/recvmsg: the user msghdr */
	__u64 addrlen;      /* its length in bytes */
	__u32 flags;        /* IPCT_IO_* | send/recv flags << 16 */
	int fd;
	__u8 dir;
};

#include "fdpass.bpf.h"	/* takes struct io_call */

#define MAX_IOVECS 8

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

/* trace stat: the endpoints of the inet socket behind FILE for the counter
 * of KEY, just made (ipct_stat_endpoint_event).  An unconnected UDP send
 * takes its remote endpoint from the call's address. */
static __noinline int stat_endpoints(struct call *k, struct ipct_stat_key *key,
				     struct file *file, const void *uaddr)
{
	struct ipct_stat_endpoint_event *e;
	struct sock *sk = file_sock(file);

	e = reserve(sizeof(*e), IPCT_EV_STAT_ENDPOINT, key->kind, k->task, k->now);
	if (!e)
		return 0;
	__builtin_memcpy(&e->key, key, sizeof(e->key));
	__builtin_memset(&e->local, 0, sizeof(e->local));
	__builtin_memset(&e->remote, 0, sizeof(e->remote));
	if (sk)
		inet_endpoints(sk, &e->local, &e->remote);
	if (uaddr && e->remote.port == 0)
		user_inet_addr(uaddr, &e->remote);
	submit(e);
	return 0;
}

/* trace stat: where a UDP send on FILE goes, as a key's peer: the
 * connected address, else the call's (0 when neither is known). */
static __always_inline __u64 udp_dest_id(struct file *file, const void *uaddr)
{
	struct ipct_inet_addr a = {}, local;
	struct sock *sk = file_sock(file);
	__u32 v4;

	if (!sk)
		return 0;
	inet_endpoints(sk, &local, &a);
	if (a.port == 0 && uaddr)
		user_inet_addr(uaddr, &a);
	if (!a.family || !a.port)
		return 0;
	__builtin_memcpy(&v4, a.addr, 4);
	if (a.family == AF_INET6) {
		__u64 h[2];

		__builtin_memcpy(h, a.addr, 16);
		v4 = (__u32)mix_id(h[0] ^ (h[1] * 0x9e3779b97f4a7c15ull));
	}
	return (__u64)a.family << 48 | (__u64)a.port << 32 | v4;
}

/* trace stat: count the call in the counter of (process, object, direction)
 * whose slot FC keeps; a unix send to a name or a UDP send (PEER not the
 * socket's own peer) finds its counter each time. */
static __always_inline int stat_io(struct call *k, struct io_call *c, struct fd_class *fc,
				   struct file *file, __u64 bytes, __u64 peer)
{
	__u32 i = c->dir == IPCT_DIR_SEND ? 0 : 1;
	__u32 slot1 = fc->stat_slot[i];

	if (!slot1 || peer != fc->peer) {
		struct ipct_stat_key key = {
			.pid = k->task->tgid, .kind = fc->kind, .dir = c->dir,
			.dev = fc->dev, .obj = fc->ino, .peer = peer,
		};
		bool fresh = false;

		slot1 = stat_slot(&key, &fresh);
		if (fresh && (IPCT_KIND_BIT(fc->kind) & IPCT_KINDS_INET))
			stat_endpoints(k, &key, file, c->dir == IPCT_DIR_SEND ? c->addr : NULL);
		if (peer == fc->peer)
			fc->stat_slot[i] = slot1;
	}
	return stat_count(k, slot1, fc->kind, bytes);
}

/* The receiver of a unix send K with an address: the sock the kernel
 * woke, else the socket a traced bind gave that name, else the connected
 * PEER (0 if none). */
static __always_inline __u64 unix_send_peer(struct call *k, struct io_call *c, __u64 peer)
{
	__u64 bound = unix_ready_peer(k);

	if (!bound)
		bound = unix_name_lookup(c->addr, c->addrlen);

	return bound ? bound : peer;
}

/* Fill the fields that the stream and the io record share (the same
 * offsets, events.h) of REC. */
static __always_inline void fill_io_head(struct ipct_stream_event *e, struct call *k,
					 struct io_call *c, struct fd_class *fc,
					 struct file *file, __u64 avail)
{
	e->duration_ns = k->now - k->enter;
	e->ret = k->ret;
	e->ino = fc->ino;
	e->dev = fc->dev;
	e->requested = c->requested;
	e->fd = c->fd;
	e->syscall = k->nr;
	e->kind = fc->kind;
	e->dir = c->dir;
	e->flags = c->flags;
	e->offset = 0;
	if (fc->kind == IPCT_KIND_FILE)
		e->offset = c->offset >= 0 ? c->offset : file->f_pos - avail;
}

/* Copy the first bytes the call moved (up to -s N) into DST; returns how
 * many. */
static __always_inline __u32 io_payload(struct io_call *c, __u8 *dst, __u64 avail)
{
	const void *src = c->buf;

	if (!src && c->iov) {
		struct iovec v = {};

		if (bpf_probe_read_user(&v, sizeof(v), c->iov) == 0) {
			src = v.iov_base;
			if (avail > v.iov_len)
				avail = v.iov_len;
		}
	}
	return copy_payload(dst, src, avail);
}

/* A pipe, FIFO or file call: the compact record. */
static __always_inline void emit_stream(struct call *k, struct io_call *c, struct fd_class *fc,
					struct file *file, __u64 avail)
{
	struct ipct_stream_event *e;
	__u32 n;

	e = reserve(sizeof(*e) + payload_bytes, IPCT_EV_STREAM, fc->kind, k->task, k->now);
	if (!e)
		return;
	fill_io_head(e, k, c, fc, file, avail);
	e->pad = 0;
	n = io_payload(c, e->payload, avail);
	e->payload_len = n;
	e->hdr.size = padded_size(sizeof(*e), n);
	submit(e);
}

/* A socket call: the io record, with the peer and the endpoints. */
static __always_inline void emit_sock_io(struct call *k, struct io_call *c, struct fd_class *fc,
					 struct file *file, __u64 avail, __u64 peer)
{
	struct ipct_io_event *e;
	__u32 n;

	e = reserve(sizeof(*e) + payload_bytes, IPCT_EV_IO, fc->kind, k->task, k->now);
	if (!e)
		return;
	fill_io_head((struct ipct_stream_event *)e, k, c, fc, file, avail);
	e->peer_ino = peer;
	e->sock_type = fc->sock_type;
	__builtin_memset(&e->local, 0, sizeof(e->local));
	__builtin_memset(&e->remote, 0, sizeof(e->remote));
	if (IPCT_KIND_BIT(fc->kind) & IPCT_KINDS_INET) {
		struct sock *sk = file_sock(file);

		if (sk) {
			inet_endpoints(sk, &e->local, &e->remote);
			/* unconnected UDP: the address of this datagram */
			if (c->addr && e->remote.port == 0)
				user_inet_addr(c->addr, &e->remote);
		}
	}
	n = io_payload(c, e->payload, avail);
	e->payload_len = n;
	e->hdr.size = padded_size(sizeof(*e), n);
	submit(e);
}

static __noinline int emit_io(struct call *k, struct io_call *c)
{
	__u64 avail = k->ret > 0 ? k->ret : 0;
	struct fd_class *fc;
	struct file *file;
	__u64 peer;
	__u32 kind;

	fc = fd_class_get(k, c->fd, &file);
	if (!fc || !file)
		return 0;
	kind = fc->kind;
	if (kind == IPCT_KIND_NONE || !kind_on(kind))
		return 0;
	peer = fc->peer;
	if (kind == IPCT_KIND_UNIX && c->addr && c->dir == IPCT_DIR_SEND)
		peer = unix_send_peer(k, c, peer);
	if (stat_mode) {
		if (kind == IPCT_KIND_UDP && c->dir == IPCT_DIR_SEND)
			peer = udp_dest_id(file, c->addr);
		return stat_io(k, c, fc, file, avail, peer);
	}
	if (IPCT_KIND_BIT(kind) & IPCT_KINDS_SOCKET)
		emit_sock_io(k, c, fc, file, avail, peer);
	else
		emit_stream(k, c, fc, file, avail);
	if (kind == IPCT_KIND_UNIX && c->msg)
		emit_fdpass(k, c, fc->ino, peer);
	return 0;
}

/* sendmsg/recvmsg: the iovec array and the address are in a user msghdr. */
static __always_inline void msghdr_io(struct io_call *c, const struct user_msghdr *um)
{
	struct user_msghdr m = {};

	if (!um || bpf_probe_read_user(&m, sizeof(m), um))
		return;
	if (m.msg_control)
		c->msg = um;
	c->iov = m.msg_iov;
	c->addr = m.msg_name;
	c->addrlen = m.msg_namelen;
	c->requested = iovec_bytes(m.msg_iov, m.msg_iovlen);
}

static __always_inline void handle_io(struct call *k)
{
	struct pt_regs *regs = k->regs;
	__u32 nr = k->nr;
	struct io_call c = { .offset = -1, .fd = SYSCALL_ARG(regs, 1) };

	switch (nr) {
	case NR_read:
	case NR_write:
		c.buf = (const void *)SYSCALL_ARG(regs, 2);
		c.requested = SYSCALL_ARG(regs, 3);
		c.dir = nr == NR_write ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		break;
	case NR_pread64:
	case NR_pwrite64:
		c.buf = (const void *)SYSCALL_ARG(regs, 2);
		c.requested = SYSCALL_ARG(regs, 3);
		c.offset = SYSCALL_ARG(regs, 4);
		c.dir = nr == NR_pwrite64 ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		break;
	case NR_readv:
	case NR_writev:
		c.iov = (const struct iovec *)SYSCALL_ARG(regs, 2);
		c.requested = iovec_bytes(c.iov, SYSCALL_ARG(regs, 3));
		c.dir = nr == NR_writev ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		break;
	case NR_sendto:
	case NR_recvfrom:
		c.buf = (const void *)SYSCALL_ARG(regs, 2);
		c.requested = SYSCALL_ARG(regs, 3);
		c.flags = (__u32)SYSCALL_ARG(regs, 4) << 16;
		c.addr = (const void *)SYSCALL_ARG(regs, 5);
		c.addrlen = regs->r9;	/* the sixth argument (x86_64) */
		c.dir = nr == NR_sendto ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		if (nr == NR_recvfrom && (SYSCALL_ARG(regs, 4) & MSG_PEEK))
			c.flags |= IPCT_IO_PEEK;
		break;
	case NR_sendmsg:
	case NR_recvmsg:
		msghdr_io(&c, (const struct user_msghdr *)SYSCALL_ARG(regs, 2));
		c.flags = (__u32)SYSCALL_ARG(regs, 3) << 16;
		c.dir = nr == NR_sendmsg ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		if (nr == NR_recvmsg && (SYSCALL_ARG(regs, 3) & MSG_PEEK))
			c.flags |= IPCT_IO_PEEK;
		break;
	}
	emit_io(k, &c);
}

/* splice(in, off_in, out, off_out, len, flags) consumes from IN and feeds
 * OUT; tee(in, out, len, flags) feeds OUT without consuming IN. */
static __always_inline void handle_splice(struct call *k)
{
	struct pt_regs *regs = k->regs;
	__u32 nr = k->nr;
	struct io_call c = { .offset = -1, .fd = SYSCALL_ARG(regs, 1), .dir = IPCT_DIR_RECV };

	c.requested = nr == NR_splice ? SYSCALL_ARG(regs, 5) : SYSCALL_ARG(regs, 3);
	if (nr == NR_tee)
		c.flags = IPCT_IO_PEEK;
	emit_io(k, &c);
	c.fd = nr == NR_splice ? SYSCALL_ARG(regs, 3) : SYSCALL_ARG(regs, 2);
	c.dir = IPCT_DIR_SEND;
	c.flags = 0;
	emit_io(k, &c);
}

static __always_inline void handle_pipe(struct call *c)
{
	struct task_struct *task = c->task;
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	__u64 enter = c->enter, now = c->now;
	struct ipct_pipe_event *e;
	struct inode *inode = NULL;
	int fds[2] = { -1, -1 };

	if (!kind_on(IPCT_KIND_PIPE))
		return;
	if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)SYSCALL_ARG(regs, 1)) == 0)
		inode = fd_inode(task, fds[0]);
	e = reserve(sizeof(*e), IPCT_EV_PIPE, IPCT_KIND_PIPE, task, now);
	if (!e)
		return;
	e->duration_ns = now - enter;
	e->ino = inode ? inode->i_ino : 0;
	e->dev = inode ? inode->i_sb->s_dev : 0;
	e->ret = ret;
	e->read_fd = fds[0];
	e->write_fd = fds[1];
	e->flags = nr == NR_pipe2 ? (__u32)SYSCALL_ARG(regs, 2) : 0;
	e->pad = 0;
	submit(e);
}

static __always_inline bool is_dev_shm(const char *p)
{
	return p[0] == '/' && p[1] == 'd' && p[2] == 'e' && p[3] == 'v' && p[4] == '/' &&
	       p[5] == 's' && p[6] == 'h' && p[7] == 'm' && p[8] == '/';
}

/* open/openat/openat2/creat that returned a descriptor on a FIFO or a
 * regular file (shm_open's files in /dev/shm are kind shm). */
static __noinline int handle_open(struct call *c)
{
	struct task_struct *task = c->task;
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	__u64 enter = c->enter, now = c->now;
	struct ipct_open_event *e;
	const char *upath;
	struct inode *inode;
	__u32 mode, kind;

	if (ret < 0)
		return 0;
	inode = fd_inode(task, ret);
	if (!inode)
		return 0;
	mode = inode->i_mode & S_IFMT;
	if (mode == S_IFIFO && inode->i_sb->s_magic != PIPEFS_MAGIC)
		kind = IPCT_KIND_FIFO;
	else if (mode == S_IFREG)
		kind = IPCT_KIND_FILE;
	else
		return 0;
	upath = (nr == NR_open || nr == NR_creat) ? (const char *)SYSCALL_ARG(regs, 1) : (const char *)SYSCALL_ARG(regs, 2);
	e = reserve(sizeof(*e), IPCT_EV_OPEN, kind, task, now);
	if (!e)
		return 0;
	__builtin_memset(e->path, 0, sizeof(e->path));	/* no stale bytes after the NUL */
	if (bpf_probe_read_user_str(e->path, sizeof(e->path), upath) < 0)
		e->path[0] = 0;
	if (kind == IPCT_KIND_FILE && is_dev_shm(e->path))
		kind = IPCT_KIND_SHM;
	if (!kind_on(kind)) {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		return 0;
	}
	e->duration_ns = now - enter;
	e->ret = ret;
	e->ino = inode->i_ino;
	e->dev = inode->i_sb->s_dev;
	e->mode = inode->i_mode;
	e->generation = inode->i_generation;
	e->created = BPF_CORE_READ(fd_file(task, ret), f_mode) & FMODE_CREATED ? IPCT_OPEN_CREATED : 0;
	e->syscall = nr;
	e->kind = kind;
	e->pad = 0;
	if (nr == NR_open)
		e->flags = SYSCALL_ARG(regs, 2);
	else if (nr == NR_creat)
		e->flags = 01 | 0100 | 01000;	/* O_WRONLY|O_CREAT|O_TRUNC */
	else if (nr == NR_openat2) {
		__u64 f = 0;

		bpf_probe_read_user(&f, sizeof(f), (void *)SYSCALL_ARG(regs, 3));
		e->flags = f;
	} else
		e->flags = SYSCALL_ARG(regs, 3);
	submit(e);
	return 0;
}

/* eventfd(initval) / eventfd2(initval, flags): the new eventfd with its
 * id (as fd_class names it), initial value and flags. */
static __noinline int handle_eventfd(struct call *c)
{
	struct ipct_eventfd_event *e;
	struct file *file = NULL;

	if (c->ret >= 0)
		file = fd_file(c->task, c->ret);
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_EVENTFD, IPCT_KIND_EVENTFD);
	if (!e)
		return 0;
	if (file)
		e->id = eventfd_id(file);
	e->initval = SYSCALL_ARG(c->regs, 1);
	e->flags = c->nr == NR_eventfd2 ? (__u32)SYSCALL_ARG(c->regs, 2) : 0;
	e->syscall = c->nr;
	submit(e);
	return 0;
}

/* io_uring_enter: not followed, counted (the report says how many
 * submissions went by unseen); so are the messages of a sendmmsg or
 * recvmmsg past the first MMSG_FOLLOWED. */
static __noinline int emit_unfollowed(struct call *c, __u64 arg, __s64 ret)
{
	struct ipct_unfollowed_event *e;

	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_UNFOLLOWED, IPCT_KIND_NONE);
	if (!e)
		return 0;
	e->ret = ret;
	e->arg = arg;
	e->syscall = c->nr;
	submit(e);
	return 0;
}

static __noinline int handle_unfollowed(struct call *c)
{
	if (c->ret < 0)
		return 0;
	return emit_unfollowed(c, SYSCALL_ARG(c->regs, 2), c->ret);
}

#define MMSG_FOLLOWED 16

/* sendmmsg/recvmmsg(fd, vec, vlen, flags): one I/O record per message
 * moved, as sendmsg/recvmsg would give, each with that message's msg_len
 * as its result, all at the call's return.  A sent message may have been
 * queued at any time in the call, so each carries the whole call's time
 * (its begin is the call's entry, what matching needs); of a receive's
 * records only the first does, so summed waits stay true. */
struct mmsg_walk {
	struct call one;                /* the call, with one message's result */
	const struct mmsghdr *vec;
	__s64 moved;                    /* messages the call moved */
	__u32 flags;
	__s32 fd;
};

/* bpf_loop body: message I of the vector, one I/O record; 1 stops. */
static int mmsg_one(__u32 i, void *data)
{
	struct mmsg_walk *w = data;
	struct io_call c = { .offset = -1, .fd = w->fd };
	__u32 len = 0;

	if (i >= w->moved || i >= MMSG_FOLLOWED)
		return 1;
	msghdr_io(&c, &w->vec[i].msg_hdr);
	c.flags = w->flags << 16;
	c.dir = w->one.nr == NR_sendmmsg ? IPCT_DIR_SEND : IPCT_DIR_RECV;
	if (w->one.nr == NR_recvmmsg && (w->flags & MSG_PEEK))
		c.flags |= IPCT_IO_PEEK;
	bpf_probe_read_user(&len, sizeof(len), &w->vec[i].msg_len);
	w->one.ret = len;
	emit_io(&w->one, &c);
	if (w->one.nr == NR_recvmmsg)
		w->one.enter = w->one.now;
	return 0;
}

/* The messages are walked by bpf_loop, so the verifier checks one
 * message's path, not MMSG_FOLLOWED copies of it. */
static __noinline int handle_mmsg(struct call *k)
{
	struct pt_regs *regs = k->regs;
	struct mmsg_walk w = {
		.one = *k,
		.vec = (const struct mmsghdr *)SYSCALL_ARG(regs, 2),
		.moved = k->ret,
		.flags = SYSCALL_ARG(regs, 4),
		.fd = SYSCALL_ARG(regs, 1),
	};

	if (w.moved <= 0)
		return 0;
	bpf_loop(MMSG_FOLLOWED, mmsg_one, &w, 0);
	if (w.moved > MMSG_FOLLOWED)
		emit_unfollowed(k, w.moved - MMSG_FOLLOWED, w.moved - MMSG_FOLLOWED);
	return 0;
}

#endif
