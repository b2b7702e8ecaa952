/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unix_names.bpf.h - the names Unix sockets are bound to, so that a
 * datagram sent with sendto()/sendmsg() to a path or an abstract name
 * (no connect) names its receiver.
 *
 * bind() of a traced process records name -> the bound socket's id (as
 * unix_ids gives it) in `unix_bound`; a send with an address looks the
 * name up and takes the id found as the datagram's peer.  Names are the
 * bytes of sun_path as the caller passed them: a path up to its NUL, an
 * abstract name (leading NUL) all addrlen - 2 bytes.  A relative path is
 * taken as written, so in this map a bind and a send from different
 * working directories do not meet, and a name bound before tracing is
 * unknown.
 *
 * The kernel's own answer wins over the map: during a sendto or
 * sendmsg the receiving sock's sk_data_ready fires in the sender's
 * context (tp_btf/sk_data_ready, unix_dgram_sendmsg), and its address is
 * kept in the task state with the call's entry time.  A send with an
 * address takes that sock as its peer, and the first send to a sock
 * whose name no traced bind gave writes an IPCT_EV_UNIX_NAME record
 * with the address the sock is bound to (as given to bind, maybe
 * relative) and the inode of its socket file.
 */
#ifndef IPCTRACE_UNIX_NAMES_BPF_H
#define IPCTRACE_UNIX_NAMES_BPF_H

#include "common.bpf.h"

/* sun_path as a map key: LEN significant bytes, the rest zero (room for
 * a terminating NUL after the longest path). */
struct unix_name {
	__u32 len;
	__u8 path[IPCT_SOCK_PATH_LEN + 4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct unix_name);
	__type(value, __u64);		/* the bound socket's id */
} unix_bound SEC(".maps");

/* Read the AF_UNIX sockaddr of ADDRLEN bytes at UADDR into N (zeroed
 * first).  Returns 0, or -1 when it is not one or cannot be read. */
static __noinline int unix_name_read(struct unix_name *n, const void *uaddr, __u64 addrlen)
{
	__u16 family = 0;
	__u8 first = 0;
	__u64 len;
	long got;

	__builtin_memset(n, 0, sizeof(*n));
	if (!uaddr || addrlen <= 2 || bpf_probe_read_user(&family, sizeof(family), uaddr) ||
	    family != AF_UNIX || bpf_probe_read_user(&first, 1, uaddr + 2))
		return -1;
	len = addrlen - 2;
	if (len > IPCT_SOCK_PATH_LEN)
		len = IPCT_SOCK_PATH_LEN;
	asm volatile("%0 &= 127" : "+r"(len));	/* a bound the verifier keeps */
	if (len == 0)
		return -1;
	if (first == 0) {	/* abstract: every byte counts */
		if (bpf_probe_read_user(n->path, len, uaddr + 2))
			return -1;
		n->len = len;
		return 0;
	}
	/* a path: up to its NUL, or all LEN bytes when the caller left it out */
	got = bpf_probe_read_user_str(n->path, len + 1, uaddr + 2);
	if (got <= 0)
		return -1;
	n->len = got - 1;
	return 0;
}

/* The socket with id ID was bound to name N. */
static __always_inline void unix_name_bind(const struct unix_name *n, __u64 id)
{
	bpf_map_update_elem(&unix_bound, n, &id, BPF_ANY);
}

/* The id of the socket bound to the name at UADDR, or 0 if none is known. */
static __noinline __u64 unix_name_lookup(const void *uaddr, __u64 addrlen)
{
	struct unix_name n;
	__u64 *id;

	if (unix_name_read(&n, uaddr, addrlen))
		return 0;
	id = bpf_map_lookup_elem(&unix_bound, &n);
	return id ? *id : 0;
}

/* Receiving socks already named by a record (id -> 1). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} unix_named SEC(".maps");

/* The bound address of the unix sock at SK_ADDR into PATH (room for
 * IPCT_SOCK_PATH_LEN bytes), '@' first for an abstract one; its length, 0
 * if it has none. */
static __always_inline __u32 unix_bound_path(__u64 sk_addr, char *path)
{
	struct unix_sock *u = bpf_rdonly_cast((void *)sk_addr, bpf_core_type_id_kernel(struct unix_sock));
	struct unix_address *a;
	__u64 len;
	long n;

	if (!sk_addr)
		return 0;
	a = u->addr;
	if (!a)
		return 0;
	len = a->len;
	if (len <= 2)
		return 0;
	len -= 2;	/* minus sun_family */
	if (len > IPCT_SOCK_PATH_LEN)
		len = IPCT_SOCK_PATH_LEN;
	if (bpf_probe_read_kernel(path, len, a->name[0].sun_path))
		return 0;
	if (path[0] == 0) {
		path[0] = '@';	/* abstract: the name is all LEN bytes */
		return len;
	}
	__builtin_memset(path, 0, IPCT_SOCK_PATH_LEN);
	n = bpf_probe_read_kernel_str(path, IPCT_SOCK_PATH_LEN, a->name[0].sun_path);
	return n > 1 ? n - 1 : 0;
}

/* The receiving sock the kernel woke during the send K (a sendto or
 * sendmsg, not sendmmsg, which may wake several), as an id; 0 if none
 * was seen.  Names it with a record the first time. */
static __noinline __u64 unix_ready_peer(struct call *k)
{
	struct task_state *st = k->st;
	__u64 sk = st->ready_sk, id;
	struct ipct_unix_name_event *e;
	struct unix_sock *u;
	__u8 one = 1;

	if (!sk || st->ready_enter != k->enter || k->nr == NR_sendmmsg)
		return 0;
	id = unix_id_of(sk);
	if (bpf_map_lookup_elem(&unix_named, &id))
		return id;
	bpf_map_update_elem(&unix_named, &id, &one, BPF_ANY);
	e = reserve(sizeof(*e), IPCT_EV_UNIX_NAME, IPCT_KIND_UNIX, k->task, k->now);
	if (!e)
		return id;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->ino = id;
	e->path_len = unix_bound_path(sk, e->path);
	u = bpf_rdonly_cast((void *)sk, bpf_core_type_id_kernel(struct unix_sock));
	e->sock_type = u->sk.sk_type;
	if (e->path_len && e->path[0] != '@' && u->path.dentry && u->path.dentry->d_inode) {
		e->file_ino = u->path.dentry->d_inode->i_ino;
		e->file_dev = u->path.dentry->d_inode->i_sb->s_dev;
	}
	submit(e);
	return id;
}

#endif
