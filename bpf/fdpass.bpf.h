/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpass.bpf.h - descriptors passed over a unix socket (SCM_RIGHTS).
 *
 * A sendmsg or recvmsg on a unix socket whose control data holds an
 * SCM_RIGHTS message gets an IPCT_EV_FDPASS record after its io record:
 * the sender's descriptors, or the ones the receiver got (the kernel has
 * written them into msg_control by sys_exit, and msg_controllen says how
 * much it wrote), each classified as the stream handler classifies
 * descriptors.  The first IPCT_FDPASS_MAX descriptors of a message are
 * recorded, the rest counted (npassed).  Up to FDPASS_CMSGS control
 * messages are looked at per call.
 */
#ifndef IPCTRACE_FDPASS_BPF_H
#define IPCTRACE_FDPASS_BPF_H

#include "common.bpf.h"
#include "fd_class.bpf.h"

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define MSG_CTRUNC 8
#define FDPASS_CMSGS 4
#define CMSG_HDR_LEN 16     /* struct cmsghdr: len (8), level (4), type (4) */

/* The bpf_loop walk over the descriptors of one message. */
struct fdpass_walk {
	struct task_struct *task;
	struct ipct_fdpass_event *e;
	int fds[IPCT_FDPASS_MAX];
};

/* bpf_loop body: classify descriptor I of the message into E->fds[I]. */
static int fdpass_one(__u32 i, void *data)
{
	struct fdpass_walk *w = data;
	struct ipct_passed_fd *p;
	struct fd_class fc = {};
	struct file *file;
	__u64 addr;

	if (i >= IPCT_FDPASS_MAX || i >= w->e->nrecorded)
		return 1;
	p = &w->e->fds[i];
	p->fd = w->fds[i];
	addr = fd_file_addr(w->task, p->fd);
	if (!addr)
		return 0;
	file = file_at(addr);
	fd_class_fill(&fc, file, addr);
	p->kind = fc.kind;
	p->generation = fc.i_generation;
	if (fc.kind == IPCT_KIND_NONE) {
		/* no IPC object: still say what it was by its inode */
		p->ino = fc.i_ino;
		if (file->f_inode)
			p->dev = file->f_inode->i_sb->s_dev;
		return 0;
	}
	p->ino = fc.ino;
	p->dev = fc.dev;
	p->peer_ino = fc.peer;
	p->sock_type = fc.sock_type;
	return 0;
}

/* The SCM_RIGHTS message in the CONTROLLEN bytes at CONTROL: the user
 * address of its descriptors and how many it holds (0 if none). */
static __always_inline __u32 scm_rights_find(const __u8 *control, __u64 controllen,
					     const int **fds)
{
	__u64 off = 0;

	for (int k = 0; k < FDPASS_CMSGS; k++) {
		struct { __u64 len; __s32 level, type; } h;

		if (off + CMSG_HDR_LEN > controllen ||
		    bpf_probe_read_user(&h, sizeof(h), control + off))
			return 0;
		if (h.len < CMSG_HDR_LEN || off + h.len > controllen)
			return 0;
		if (h.level == SOL_SOCKET && h.type == SCM_RIGHTS) {
			*fds = (const int *)(control + off + CMSG_HDR_LEN);
			return (h.len - CMSG_HDR_LEN) / sizeof(int);
		}
		off += (h.len + 7) & ~7ull;
	}
	return 0;
}

/* The sendmsg/recvmsg K (or one message of a sendmmsg/recvmmsg), as C
 * describes it: record the descriptors its SCM_RIGHTS data carried.  SELF
 * and PEER: the unix socket's id and the id of the socket the message
 * went to (or came from). */
static __noinline int emit_fdpass(struct call *k, struct io_call *c, __u64 self, __u64 peer)
{
	const struct user_msghdr *um = c->msg;
	__u8 dir = c->dir;
	struct fdpass_walk w = { .task = k->task };
	struct user_msghdr m = {};
	const int *ufds = NULL;
	__u32 n, rec;
	__u64 size;

	if (k->ret < 0 || !um || bpf_probe_read_user(&m, sizeof(m), um))
		return 0;
	if (!m.msg_control || m.msg_controllen < CMSG_HDR_LEN + sizeof(int))
		return 0;
	n = scm_rights_find(m.msg_control, m.msg_controllen, &ufds);
	if (!n || !ufds)
		return 0;
	rec = n < IPCT_FDPASS_MAX ? n : IPCT_FDPASS_MAX;
	size = rec * sizeof(int);
	asm volatile("%0 &= 63" : "+r"(size));	/* a bound the verifier keeps */
	if (size > sizeof(w.fds) || bpf_probe_read_user(w.fds, size, ufds))
		return 0;
	w.e = reserve_call(k, sizeof(*w.e), 0, IPCT_EV_FDPASS, IPCT_KIND_UNIX);
	if (!w.e)
		return 0;
	w.e->ino = self;
	w.e->peer_ino = peer;
	w.e->sock_fd = c->fd;
	w.e->syscall = k->nr;
	w.e->dir = dir;
	w.e->nrecorded = rec;
	w.e->npassed = n;
	if (dir == IPCT_DIR_RECV && (m.msg_flags & MSG_CTRUNC))
		w.e->flags = IPCT_FDPASS_CTRUNC;
	bpf_loop(IPCT_FDPASS_MAX, fdpass_one, &w, 0);
	submit(w.e);
	return 0;
}

#endif
