/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fds.bpf.h - the descriptors a process already has open when tracing
 * begins, one IPCT_EV_FD record each, so that what a command inherited
 * (stdout redirected to a file, a pipe from the shell, a socket from its
 * supervisor) is named like what it opens itself.
 *
 * A task_file iterator: user space runs it once over the root process
 * (tracer/fdscan.c), with fds_skip_cloexec set for a command that is still
 * to exec (what it would close at exec is not its own) and fds_left as the
 * bound.  The records go into the ring buffer with the others, so socket
 * ids are those of the calls' records.
 */
#ifndef IPCTRACE_FDS_BPF_H
#define IPCTRACE_FDS_BPF_H

#include "common.bpf.h"

/* Where d_path builds a path (it leaves bytes behind the NUL). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[IPCT_PATH_LEN]);
} fd_path_scratch SEC(".maps");

/* Set by user space before each run of the iterator. */
__u32 fds_skip_cloexec;
__u32 fds_left;

static __always_inline bool fd_cloexec(struct task_struct *task, __u32 fd)
{
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	unsigned long word = 0;

	if (!files)
		return false;
	fdt = files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return false;
	if (bpf_probe_read_kernel(&word, sizeof(word), fdt->close_on_exec + fd / 64))
		return false;
	return (word >> (fd % 64)) & 1;
}

SEC("iter/task_file")
int ipct_open_fds(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct ipct_fd_event *e;
	struct inode *inode;
	__u32 kind;
	bool cloexec;
	long len;

	if (!task || !file || !fds_left)
		return 0;
	cloexec = fd_cloexec(task, ctx->fd);
	if (cloexec && fds_skip_cloexec)
		return 0;
	kind = file_kind(file);
	/* -e KINDS: only the descriptors of those kinds; a terminal or another
	 * descriptor of no kind only when every kind is followed. */
	if (kind != IPCT_KIND_NONE ? !kind_on(kind) : kinds != IPCT_KINDS_ALL)
		return 0;
	fds_left--;
	e = reserve(sizeof(*e), IPCT_EV_FD, IPCT_KIND_NONE, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->fd = ctx->fd;
	e->flags = cloexec ? IPCT_FD_CLOEXEC : 0;
	e->kind = kind;
	e->open_flags = file->f_flags;
	inode = file->f_inode;
	if (inode) {
		e->ino = inode->i_ino;
		e->dev = inode->i_sb->s_dev;
		e->mode = inode->i_mode;
		e->generation = inode->i_generation;
	}
	if ((e->mode & S_IFMT) == S_IFSOCK) {
		struct sock *sk = file_sock(file);

		if (sk)
			e->sock_type = sk->sk_type;
		if (e->kind == IPCT_KIND_UNIX) {
			__u64 self, peer;

			unix_addrs(file, &self, &peer);
			e->ino = unix_id_of(self);
			e->peer_ino = unix_id_of(peer);
			e->dev = 0;
			e->path_len = unix_bound_path(self, e->path);
			if (!e->path_len)
				e->path_len = unix_bound_path(peer, e->path);
		} else if (sk && e->kind != IPCT_KIND_NONE) {
			inet_endpoints(sk, &e->local, &e->remote);
		}
	} else {
		__u32 zero = 0;
		char *scratch = bpf_map_lookup_elem(&fd_path_scratch, &zero);

		__builtin_memset(e->path, 0, sizeof(e->path));
		if (scratch && bpf_d_path((struct path *)&file->f_path, scratch, IPCT_PATH_LEN) > 0) {
			len = bpf_probe_read_kernel_str(e->path, sizeof(e->path), scratch);
			e->path_len = len > 0 ? len - 1 : 0;
		}
	}
	submit(e);
	return 0;
}

#endif
