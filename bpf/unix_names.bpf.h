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
 * taken as written, so a bind and a send from different working
 * directories do not meet; a name bound before tracing is unknown.
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

#endif
