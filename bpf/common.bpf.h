/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.bpf.h - maps, settings and helpers shared by the handlers of
 * ipctrace.bpf.c (io.bpf.h, sock.bpf.h, sysv.bpf.h, signal.bpf.h).  One
 * compilation unit: these headers are included once, by ipctrace.bpf.c.
 */
#ifndef IPCTRACE_COMMON_BPF_H
#define IPCTRACE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "events.h"
#include "syscalls.h"
#include "task_state.h"

#define PIPEFS_MAGIC 0x50495045
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFIFO 0010000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_SEQPACKET 5
#define MSG_PEEK 2
#define MAP_SHARED 0x01
#define MAP_SHARED_VALIDATE 0x03
#define MAP_ANONYMOUS 0x20
#define FMODE_CREATED (1u << 20)   /* file->f_mode: this open created the file */

/* Settings written by user space before load (frozen: the verifier sees
 * them as constants). */
const volatile __u64 wakeup_bytes = 256 * 1024;
const volatile __u32 kinds = ~0u;          /* bit (1 << enum ipct_kind) per kind followed */
const volatile __u32 payload_bytes = 32;   /* room reserved: -s N rounded up to 8 */
const volatile __u32 payload_limit = 32;   /* -s N: bytes captured, <= payload_bytes */
const volatile __u64 id_key = 0;            /* random per trace: hides kernel addresses */

static __always_inline bool kind_on(__u32 kind)
{
	return kinds & IPCT_KIND_BIT(kind);
}

/* Argument N (1 to 5) of the system call whose user registers are REGS,
 * where the architecture's syscall convention puts it.  REGS is a BTF
 * pointer in tp_btf programs, so these are direct loads; the _CORE_SYSCALL
 * variants read the same through a probe-read call per argument, about
 * 12% more BPF time per traced call (docs/architecture.md,
 * scripts/bench-syscall-args.sh). */
#define SYSCALL_ARG(regs, n) PT_REGS_PARM##n##_SYSCALL(regs)

/* A system call at sys_exit, as handed to the handlers (BPF functions take
 * at most five arguments, so they take this). */
struct call {
	struct task_struct *task;
	struct pt_regs *regs;
	struct task_state *st;
	__s64 ret;
	__u64 enter;        /* entry time */
	__u64 now;          /* return time */
	__u32 nr;
};

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

/* Turns a pointer read with bpf_probe_read_kernel back into a BTF pointer
 * whose fields can be loaded directly (kernel 6.2+). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

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

/* The start every system-call record but the pipe one shares. */
struct call_record_head {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
};

/* Reserve a system-call record: BASE bytes of struct plus ROOM more (for a
 * payload); zero the struct past the header and fill the header, the time
 * spent in the call and its result.  NULL (and a counted loss) when full. */
static __always_inline void *reserve_call(struct call *c, __u32 base, __u32 room,
					  __u16 type, __u32 kind)
{
	struct call_record_head *e = reserve(base + room, type, kind, c->task, c->now);

	if (!e)
		return NULL;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, base - sizeof(e->hdr));
	e->duration_ns = c->now - c->enter;
	e->ret = c->ret;
	return e;
}

/* Bytes submitted on each CPU since its last wake-up of the reader. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} since_wakeup SEC(".maps");

/* Commit a record.  The reader is woken once per wakeup_bytes of records
 * submitted on a CPU, never once per record, even when it falls behind (it
 * also drains on a timer, so a record never waits long).  The count is
 * per CPU, so no call asks the ring buffer how much is waiting: that read
 * of the reader's position is a cache miss whenever the reader moved it. */
static __always_inline void submit(void *rec)
{
	__u32 zero = 0;
	__u64 *since = bpf_map_lookup_elem(&since_wakeup, &zero);
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (since) {
		*since += ((struct ipct_event_header *)rec)->size + 8;	/* + ring header */
		if (*since >= wakeup_bytes) {
			*since = 0;
			flags = BPF_RB_FORCE_WAKEUP;
		}
	}
	bpf_ringbuf_submit(rec, flags);
}

/* The struct file behind descriptor FD of TASK as a number (0 for none).
 * TASK is a trusted BTF pointer, so the walk is direct loads; the fd
 * array's entry, a pointer to a pointer, is loaded through a cast of its
 * address to struct fd (one word), which the verifier turns into a
 * faulting-safe load, cheaper than a bpf_probe_read_kernel call. */
static __always_inline __u64 fd_file_addr(struct task_struct *task, int fd)
{
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct fd *slot;

	if (!files || fd < 0)
		return 0;
	fdt = files->fdt;
	if (!fdt || (unsigned int)fd >= fdt->max_fds)
		return 0;
	slot = bpf_rdonly_cast((void *)((__u64)fdt->fd + (__u64)fd * sizeof(__u64)),
			       bpf_core_type_id_kernel(struct fd));
	return slot->word;
}

static __always_inline struct file *file_at(__u64 addr)
{
	return bpf_rdonly_cast((void *)addr, bpf_core_type_id_kernel(struct file));
}

/* The open file behind descriptor FD of TASK, or NULL. */
static __always_inline struct file *fd_file(struct task_struct *task, int fd)
{
	__u64 addr = fd_file_addr(task, fd);

	return addr ? file_at(addr) : NULL;
}

static __always_inline struct inode *fd_inode(struct task_struct *task, int fd)
{
	struct file *file = fd_file(task, fd);

	return file ? file->f_inode : NULL;
}

/* The socket of FILE (an S_IFSOCK inode), as a BTF pointer, or NULL. */
static __always_inline struct sock *file_sock(struct file *file)
{
	struct socket *sock = bpf_rdonly_cast(file->private_data, bpf_core_type_id_kernel(struct socket));

	return sock ? sock->sk : NULL;
}

/* Kind of a socket: unix, tcp (inet stream) or udp (inet datagram). */
static __always_inline __u32 sock_kind(struct sock *sk)
{
	__u16 family;
	__u16 type;

	if (!sk)
		return IPCT_KIND_NONE;
	family = sk->__sk_common.skc_family;
	type = sk->sk_type;
	if (family == AF_UNIX)
		return IPCT_KIND_UNIX;
	if (family == AF_INET || family == AF_INET6) {
		if (type == SOCK_STREAM)
			return IPCT_KIND_TCP;
		if (type == SOCK_DGRAM)
			return IPCT_KIND_UDP;
	}
	return IPCT_KIND_NONE;
}

/* Is FILE an eventfd?  Its inode is the one anonymous inode every
 * eventfd, timerfd, signalfd... shares; the dentry name tells them apart. */
static __always_inline bool is_eventfd(struct file *file)
{
	char name[10] = {};

	if (bpf_probe_read_kernel(name, sizeof(name), file->f_path.dentry->d_name.name))
		return false;
	return name[0] == '[' && name[1] == 'e' && name[2] == 'v' && name[3] == 'e' &&
	       name[4] == 'n' && name[5] == 't' && name[6] == 'f' && name[7] == 'd' &&
	       name[8] == ']' && name[9] == 0;
}

/* Kind of the object behind FILE: pipe, fifo, file, eventfd or a socket kind. */
static __always_inline __u32 file_kind(struct file *file)
{
	struct inode *inode;
	umode_t mode;

	if (!file)
		return IPCT_KIND_NONE;
	inode = file->f_inode;
	if (!inode)
		return IPCT_KIND_NONE;
	mode = inode->i_mode & S_IFMT;
	if (mode == S_IFIFO)
		return inode->i_sb->s_magic == PIPEFS_MAGIC ? IPCT_KIND_PIPE : IPCT_KIND_FIFO;
	if (mode == S_IFREG)
		return IPCT_KIND_FILE;
	if (mode == S_IFSOCK)
		return sock_kind(file_sock(file));
	if (mode == 0 && is_eventfd(file))
		return IPCT_KIND_EVENTFD;
	return IPCT_KIND_NONE;
}

/* Unix sockets are named by an id of their struct sock: the server end of
 * a connection has no inode until accept() gives it a file, while the
 * client may already have sent (and closed).  The kernel reuses a freed
 * sock's memory for the next one, so the id is drawn afresh whenever a
 * sock is born where we can see it (socket, socketpair, and the server
 * end that connect() creates) and kept here by address; a sock born
 * before tracing falls back to a hash of its address.  Ids mix in a
 * random per-trace key, so no kernel address reaches the trace. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);		/* struct sock address */
	__type(value, __u64);		/* its id */
} unix_sock_ids SEC(".maps");

static __always_inline __u64 mix_id(__u64 x)
{
	if (!x)
		return 0;
	x = (x >> 4) ^ id_key;
	x *= 0x9e3779b97f4a7c15ull;
	return (x >> 32) | 1;	/* 32 bits, never 0 */
}

/* The id of the eventfd FILE is (its counter, the file's private data,
 * hidden by mix_id): every eventfd shares one inode. */
static __always_inline __u64 eventfd_id(struct file *file)
{
	return mix_id((__u64)file->private_data);
}

/* The id of the sock at ADDR (0 for none). */
static __always_inline __u64 unix_id_of(__u64 addr)
{
	__u64 *id;

	if (!addr)
		return 0;
	id = bpf_map_lookup_elem(&unix_sock_ids, &addr);
	return id ? *id : mix_id(addr);
}

/* A sock was just born at ADDR: give it a fresh id. */
static __always_inline __u64 unix_id_new(__u64 addr, __u64 now)
{
	__u64 id;

	if (!addr)
		return 0;
	id = mix_id(addr ^ (now << 8) ^ bpf_get_prandom_u32());
	bpf_map_update_elem(&unix_sock_ids, &addr, &id, BPF_ANY);
	return id;
}

/* Addresses of the sock of the unix socket behind FILE and of its peer
 * (0 if none).  The verifier does not let a pointer be used as a number,
 * so the values are read back from the fields that hold them. */
static __always_inline void unix_addrs(struct file *file, __u64 *self, __u64 *peer)
{
	struct socket *sock = bpf_rdonly_cast(file->private_data, bpf_core_type_id_kernel(struct socket));
	struct unix_sock *u;

	*self = *peer = 0;
	if (!sock || !sock->sk)
		return;
	bpf_probe_read_kernel(self, sizeof(*self), &sock->sk);
	u = bpf_rdonly_cast(sock->sk, bpf_core_type_id_kernel(struct unix_sock));
	bpf_probe_read_kernel(peer, sizeof(*peer), &u->peer);
}

/* The ids of the unix socket behind FILE and of its peer (0 if none). */
static __always_inline void unix_ids(struct file *file, __u64 *self, __u64 *peer)
{
	__u64 a, b;

	unix_addrs(file, &a, &b);
	*self = unix_id_of(a);
	*peer = unix_id_of(b);
}

/* Fill LOCAL and REMOTE from an inet socket's common part. */
static __always_inline void inet_endpoints(struct sock *sk, struct ipct_inet_addr *local,
					   struct ipct_inet_addr *remote)
{
	__u16 family = sk->__sk_common.skc_family;

	local->family = remote->family = family;
	local->port = sk->__sk_common.skc_num;
	remote->port = bpf_ntohs(sk->__sk_common.skc_dport);
	if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&local->addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&remote->addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		__u32 a = sk->__sk_common.skc_rcv_saddr, b = sk->__sk_common.skc_daddr;

		__builtin_memcpy(local->addr, &a, 4);
		__builtin_memcpy(remote->addr, &b, 4);
	}
}

/* Read a user sockaddr_in/in6 at UADDR into OUT (family 0 when it is not
 * inet or cannot be read). */
static __always_inline void user_inet_addr(const void *uaddr, struct ipct_inet_addr *out)
{
	__u16 family = 0;
	__u16 port;

	if (!uaddr || bpf_probe_read_user(&family, sizeof(family), uaddr))
		return;
	if (family != AF_INET && family != AF_INET6)
		return;
	if (bpf_probe_read_user(&port, sizeof(port), uaddr + 2))
		return;
	out->family = family;
	out->port = bpf_ntohs(port);
	if (family == AF_INET)
		bpf_probe_read_user(out->addr, 4, uaddr + 4);
	else
		bpf_probe_read_user(out->addr, 16, uaddr + 8);
}

/* Copy up to LEN (at most -s N) bytes of user memory SRC into DST, which
 * has payload_bytes of room.  Returns the bytes copied.  The record ends
 * at the copy rounded up to 8 (padded_size), and those padding bytes are
 * zeroed, not left as the ring buffer held them. */
static __always_inline __u32 copy_payload(__u8 *dst, const void *src, __u64 len)
{
	__u32 n = len < payload_limit ? len : payload_limit;
	__u32 last_word;

	if (n > payload_bytes)
		n = payload_bytes;

	if (!src || n == 0 || n > IPCT_PAYLOAD_MAX)
		return 0;
	last_word = n & ~7u;
	if (last_word <= payload_bytes - 8)
		*(__u64 *)(dst + last_word) = 0;
	if (bpf_probe_read_user(dst, n, src))
		return 0;
	return n;
}

/* Record size for a base struct of BASE bytes and N payload bytes. */
static __always_inline __u16 padded_size(__u32 base, __u32 n)
{
	return base + ((n + 7) & ~7u);
}

#endif
