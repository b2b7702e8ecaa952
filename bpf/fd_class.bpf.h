/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fd_class.bpf.h - what object a descriptor of the calling task stands
 * for (kind, identity), remembered per task by the struct file it was
 * found on (struct fd_class in task_state.h).
 *
 * A stream call still reads the descriptor's struct file from the task's
 * fd table (fd_file_addr), so dup2, close and fd reuse are seen: a
 * different file misses.  On a hit, the file's inode number
 * and generation are compared with the entry's, so the memory of a freed
 * file reused by the next open cannot pass for the old one; the walk
 * from the inode to its superblock, socket and unix ids is skipped.  A
 * unix socket's peer can change (connect of a datagram socket), so its
 * peer pointer is read on every call and the ids are taken again when it
 * moved.
 */
#ifndef IPCTRACE_FD_CLASS_BPF_H
#define IPCTRACE_FD_CLASS_BPF_H

#include "common.bpf.h"

/* Address of the peer sock of the unix socket behind FILE (0 if none). */
static __always_inline __u64 unix_peer_addr(struct file *file)
{
	struct socket *sock = bpf_rdonly_cast(file->private_data, bpf_core_type_id_kernel(struct socket));
	struct unix_sock *u;
	__u64 peer = 0;

	if (!sock || !sock->sk)
		return 0;
	u = bpf_rdonly_cast(sock->sk, bpf_core_type_id_kernel(struct unix_sock));
	bpf_probe_read_kernel(&peer, sizeof(peer), &u->peer);
	return peer;
}

/* Fill FC for FILE at ADDR from scratch.  Its kind is IPCT_KIND_NONE when
 * the file is no object of ours. */
static __always_inline void fd_class_fill(struct fd_class *fc, struct file *file, __u64 addr)
{
	struct inode *inode = file->f_inode;
	__u32 kind = file_kind(file);

	fc->file = addr;
	fc->kind = kind;
	fc->stat_slot[0] = fc->stat_slot[1] = 0;
	fc->sock_type = 0;
	fc->peer = fc->peer_sk = 0;
	fc->i_ino = inode ? inode->i_ino : 0;
	fc->i_generation = inode ? inode->i_generation : 0;
	if (kind == IPCT_KIND_NONE)
		return;
	fc->ino = inode->i_ino;
	fc->dev = inode->i_sb->s_dev;
	if (kind == IPCT_KIND_EVENTFD) {
		fc->ino = eventfd_id(file);     /* an id like unix sockets' */
		fc->dev = 0;
	}
	if (IPCT_KIND_BIT(kind) & IPCT_KINDS_SOCKET) {
		struct sock *sk = file_sock(file);

		fc->sock_type = sk ? sk->sk_type : 0;
		if (kind == IPCT_KIND_UNIX) {
			__u64 self;

			unix_addrs(file, &self, &fc->peer_sk);
			fc->ino = unix_id_of(self);
			fc->peer = unix_id_of(fc->peer_sk);
			fc->dev = 0;
		}
	}
}

/* The classification of descriptor FD of the task of K, from its cache
 * entry when that still holds; *FILEP is set to the file (NULL when FD is
 * not open, and then the result is NULL too). */
static __always_inline struct fd_class *fd_class_get(struct call *k, int fd, struct file **filep)
{
	__u64 addr = fd_file_addr(k->task, fd);
	struct fd_class *fc;
	struct file *file;
	struct inode *inode;

	*filep = NULL;
	if (!addr)
		return NULL;
	file = file_at(addr);
	*filep = file;
	fc = &k->st->fd_class[fd & (TASK_FD_CLASSES - 1)];
	inode = file->f_inode;
	if (fc->file != addr || !inode || fc->i_ino != inode->i_ino ||
	    fc->i_generation != inode->i_generation) {
		fd_class_fill(fc, file, addr);
		return fc;
	}
	if (fc->kind == IPCT_KIND_UNIX) {
		__u64 peer = unix_peer_addr(file);

		if (peer != fc->peer_sk) {
			fc->peer_sk = peer;
			fc->peer = unix_id_of(peer);
			fc->stat_slot[0] = fc->stat_slot[1] = 0;
		}
	}
	return fc;
}

#endif
