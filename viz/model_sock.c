/*
 * model_sock - socket channels: which object a socket I/O call belongs to,
 * and in which direction its bytes go (see model.h, docs/matching.md).
 *
 *   unix:I1-I2       a connected Unix stream or seqpacket pair (the two
 *                    socket inodes, smaller first); stream 0 carries the
 *                    bytes I1 sends to I2, stream 1 the other way
 *   unix:I           a Unix datagram socket I and everything sent to it
 *                    (the sender's peer inode names the receiver)
 *   tcp:A:P-B:Q      a TCP connection: its two endpoints, smaller first
 *                    (family, address bytes, port); stream 0 is A -> B
 *   udp:ADDR:PORT    everything sent to the UDP endpoint ADDR:PORT
 *
 * A send on socket S goes into stream S -> peer(S), a receive on R reads
 * peer(R) -> R.  For TCP the peer is the other end of the 4-tuple (the two
 * ends of a loopback connection show mirrored tuples).  When a Unix event
 * lacks its peer inode, the peer learnt from an earlier event or from
 * socketpair/connect/accept is used; without one the channel is
 * "unix:INO" of the caller's own socket.  A UDP receiver bound to the
 * wildcard address (0.0.0.0 or ::) gets the datagrams sent to any address
 * at its port.  Socket lifecycle events give Unix channels their names
 * (the path given to bind or connect) and peers.  Once a TCP connection is
 * closed on both sides the kernel clears the local port, so later calls on
 * that socket show port 0: the 4-tuple its inode had before is used.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include "model_build.h"
#include "search.h"

/* ---- unix peers: an open-addressing table of (ino, peer) ---- */

static int peer_rehash(struct builder *b)
{
	size_t n = b->npeer_slots ? b->npeer_slots * 2 : 256;
	uint64_t *slots = calloc(2 * n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < b->npeer_slots; i++) {
		uint64_t key = b->peer_slots[2 * i];
		if (!key)
			continue;
		size_t h = model_hash64(key) & (n - 1);
		while (slots[2 * h])
			h = (h + 1) & (n - 1);
		slots[2 * h] = key;
		slots[2 * h + 1] = b->peer_slots[2 * i + 1];
	}
	free(b->peer_slots);
	b->peer_slots = slots;
	b->npeer_slots = n;
	return 0;
}

static uint64_t peer_find(const struct builder *b, uint64_t ino)
{
	if (!b->npeer_slots || !ino)
		return 0;
	size_t h = model_hash64(ino) & (b->npeer_slots - 1);
	while (b->peer_slots[2 * h]) {
		if (b->peer_slots[2 * h] == ino)
			return b->peer_slots[2 * h + 1];
		h = (h + 1) & (b->npeer_slots - 1);
	}
	return 0;
}

static int peer_set(struct builder *b, uint64_t ino, uint64_t peer)
{
	if (!ino || !peer)
		return 0;
	if ((b->npeers + 1) * 2 > b->npeer_slots) {
		int err = peer_rehash(b);
		if (err)
			return err;
	}
	size_t h = model_hash64(ino) & (b->npeer_slots - 1);
	while (b->peer_slots[2 * h] && b->peer_slots[2 * h] != ino)
		h = (h + 1) & (b->npeer_slots - 1);
	if (!b->peer_slots[2 * h])
		b->npeers++;
	b->peer_slots[2 * h] = ino;
	b->peer_slots[2 * h + 1] = peer;
	return 0;
}

/* ---- unix sockets of traced processes ---- */

/* Unix ids a traced process used as its own socket, kept in the peer
 * table under a key with bit 62 set (unix ids are 32 bits). */
#define UNIX_OWN_KEY(id) ((id) | 1ull << 62)

int model_unix_own(struct builder *b, uint64_t id)
{
	if (!id || peer_find(b, UNIX_OWN_KEY(id)))
		return 0;
	return peer_set(b, UNIX_OWN_KEY(id), 1);
}

int model_on_unix_name(struct builder *b, const struct ipct_unix_name_event *ev)
{
	size_t len = ev->path_len < sizeof(ev->path) ? ev->path_len : sizeof(ev->path);
	long p = model_process_get(b, ev->hdr.pid);

	if (p < 0)
		return p;
	if (!ev->ino || !len)
		return 0;
	return model_name_hint(&b->sock_paths, &b->nsock_paths, &b->cap_sock_paths, 0,
			       ev->ino, 0, ev->path, len);
}

void model_unix_mark_untraced(struct builder *b)
{
	if (b->scope)
		return;
	for (size_t i = 0; i < b->m->nobjects; i++) {
		struct viz_object *o = &b->m->objects[i];

		if (o->kind != IPCT_KIND_UNIX)
			continue;
		if ((o->ino && !peer_find(b, UNIX_OWN_KEY(o->ino))) ||
		    (o->ino2 && !peer_find(b, UNIX_OWN_KEY(o->ino2))))
			o->flags |= VIZ_OBJ_UNTRACED_END;
	}
}

/* ---- endpoints ---- */

void model_format_endpoint(char *buf, size_t size, const struct ipct_inet_addr *a)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	if (a->family == AF_INET) {
		inet_ntop(AF_INET, a->addr, addr, sizeof(addr));
		snprintf(buf, size, "%s:%u", addr, a->port);
	} else if (a->family == AF_INET6) {
		inet_ntop(AF_INET6, a->addr, addr, sizeof(addr));
		snprintf(buf, size, "[%s]:%u", addr, a->port);
	} else {
		snprintf(buf, size, "?:%u", a->port);
	}
}

static int cmp_endpoint(const struct ipct_inet_addr *x, const struct ipct_inet_addr *y)
{
	return VIZ_ORDER(x->family, y->family) ?:
	       VIZ_ORDER(memcmp(x->addr, y->addr, x->family == AF_INET ? 4 : 16), 0) ?:
	       VIZ_ORDER(x->port, y->port);
}

static bool wildcard(const struct ipct_inet_addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->addr, zero, a->family == AF_INET ? 4 : 16);
}

/* ---- the object of a socket call ---- */

static long unix_object(struct builder *b, const struct ipct_io_event *ev,
			uint8_t *stream)
{
	uint64_t peer = ev->peer_ino ? ev->peer_ino : peer_find(b, ev->ino);
	struct object_memo key = { .dev = ev->dev, .kind = IPCT_KIND_UNIX, .form = MEMO_UNIX };
	long o;

	if (ev->peer_ino && peer_set(b, ev->ino, ev->peer_ino))
		return -ENOMEM;
	if (ev->sock_type == SOCK_DGRAM) {
		/* Datagrams queue at the receiving socket. */
		uint64_t receiver = ev->dir == IPCT_DIR_SEND ? ev->peer_ino : ev->ino;
		if (!receiver)
			receiver = ev->ino;     /* unconnected sendto: unknown */
		key.ino = receiver;
	} else if (peer) {
		uint64_t lo = ev->ino < peer ? ev->ino : peer;
		uint64_t hi = ev->ino < peer ? peer : ev->ino;
		uint64_t sender = ev->dir == IPCT_DIR_SEND ? ev->ino : peer;
		key = (struct object_memo){ .ino = lo, .off = hi, .dev = ev->dev,
					    .kind = IPCT_KIND_UNIX, .form = MEMO_UNIX_PAIR };
		o = model_object_memo(b, &key, "unix:%llu-%llu",
				      (unsigned long long)lo, (unsigned long long)hi);
		if (o >= 0)
			b->m->objects[o].ino2 = hi;
		*stream = sender == lo ? 0 : 1;
		return o;
	} else {
		key.ino = ev->ino;
	}
	return model_object_memo(b, &key, "unix:%llu",
				 (unsigned long long)key.ino);
}

/* Socket inode -> index in b->tcp_tuples, kept in the peer table under a
 * key with the top bit set (unix ids are 32 bits). */
#define TCP_TUPLE_KEY(ino) ((ino) | 1ull << 63)

static int tcp_tuple_learn(struct builder *b, const struct ipct_io_event *ev)
{
	uint64_t known = peer_find(b, TCP_TUPLE_KEY(ev->ino));
	size_t n = b->ntcp_tuples;

	if (known && !memcmp(&b->tcp_tuples[2 * (known - 1)], &ev->local, sizeof(ev->local)) &&
	    !memcmp(&b->tcp_tuples[2 * (known - 1) + 1], &ev->remote, sizeof(ev->remote)))
		return 0;
	if (model_grow((void **)&b->tcp_tuples, &b->cap_tcp_tuples, 2 * (n + 1),
		       sizeof(*b->tcp_tuples)))
		return -ENOMEM;
	b->tcp_tuples[2 * n] = ev->local;
	b->tcp_tuples[2 * n + 1] = ev->remote;
	b->ntcp_tuples++;
	return peer_set(b, TCP_TUPLE_KEY(ev->ino), n + 1);
}

static long tcp_object(struct builder *b, const struct ipct_io_event *ev_in,
		       uint8_t *stream)
{
	struct ipct_io_event tuple;
	const struct ipct_io_event *ev = ev_in;

	if (ev->ino && ev->local.family && ev->remote.family) {
		uint64_t known;
		if (ev->local.port) {
			if (tcp_tuple_learn(b, ev))
				return -ENOMEM;
		} else if ((known = peer_find(b, TCP_TUPLE_KEY(ev->ino)))) {
			/* closed on both sides: the tuple it had */
			memcpy(&tuple, ev, sizeof(tuple));
			tuple.local = b->tcp_tuples[2 * (known - 1)];
			tuple.remote = b->tcp_tuples[2 * (known - 1) + 1];
			ev = &tuple;
		}
	}
	const struct ipct_inet_addr *from = ev->dir == IPCT_DIR_SEND ? &ev->local : &ev->remote;
	const struct ipct_inet_addr *to = ev->dir == IPCT_DIR_SEND ? &ev->remote : &ev->local;
	char a[64], c[64], id[160];

	if (!ev->local.family || !ev->remote.family) {
		snprintf(id, sizeof(id), "tcp:%llu", (unsigned long long)ev->ino);
		return model_object_get(b, IPCT_KIND_TCP, id, ev->dev, ev->ino);
	}
	bool ordered = cmp_endpoint(from, to) <= 0;
	model_format_endpoint(a, sizeof(a), ordered ? from : to);
	model_format_endpoint(c, sizeof(c), ordered ? to : from);
	snprintf(id, sizeof(id), "tcp:%s-%s", a, c);
	*stream = ordered ? 0 : 1;
	return model_object_get(b, IPCT_KIND_TCP, id, 0, 0);
}

static long udp_object(struct builder *b, const struct ipct_io_event *ev)
{
	const struct ipct_inet_addr *to = ev->dir == IPCT_DIR_SEND ? &ev->remote : &ev->local;
	struct object_memo key = { .ino = ev->ino, .dev = ev->dev, .kind = IPCT_KIND_UDP,
				   .form = MEMO_UDP_INO }, *slot;
	char a[64], id[96];
	long o;

	if (!to->family)
		return model_object_memo(b, &key, "udp:%llu",
					 (unsigned long long)ev->ino);
	/* the endpoint's own object, once it has one; not a wildcard's */
	key = (struct object_memo){ .dev = (uint32_t)to->family << 16 | to->port,
				    .kind = IPCT_KIND_UDP, .form = MEMO_UDP };
	memcpy(&key.ino, to->addr, sizeof(key.ino));
	memcpy(&key.off, to->addr + sizeof(key.ino), sizeof(key.off));
	if ((o = model_memo_find(b, &key, &slot)) >= 0)
		return o;
	model_format_endpoint(a, sizeof(a), to);
	snprintf(id, sizeof(id), "udp:%s", a);
	if ((o = model_object_find(b, id)) >= 0) {
		model_memo_keep(slot, &key, o);
		return o;
	}
	if (ev->dir == IPCT_DIR_SEND) {
		/* A receiver bound to the wildcard address at that port? */
		struct ipct_inet_addr any = *to;
		memset(any.addr, 0, sizeof(any.addr));
		model_format_endpoint(a, sizeof(a), &any);
		char wid[96];
		snprintf(wid, sizeof(wid), "udp:%s", a);
		if ((o = model_object_find(b, wid)) >= 0)
			return o;
	} else if (wildcard(to)) {
		/* Datagrams already seen to that port, any address. */
		uint64_t key = (uint64_t)to->family << 16 | to->port;
		if (b->udp_any_key == key && b->udp_any_object >= 0)
			return b->udp_any_object;
		for (size_t i = 0; i < b->m->nobjects; i++) {
			const struct viz_object *x = &b->m->objects[i];
			if (x->kind == IPCT_KIND_UDP && x->dev == 0 && x->ino == key) {
				b->udp_any_key = key;
				b->udp_any_object = i;
				return i;
			}
		}
	}
	/* ino keeps (family, port) for the wildcard search above. */
	if ((o = model_object_get(b, IPCT_KIND_UDP, id, 0,
				  (uint64_t)to->family << 16 | to->port)) >= 0)
		model_memo_keep(slot, &key, o);
	return o;
}

long model_tcp_object_of(struct builder *b, uint64_t ino)
{
	uint64_t known = ino ? peer_find(b, TCP_TUPLE_KEY(ino)) : 0;
	struct ipct_io_event ev = { .ino = ino, .kind = IPCT_KIND_TCP, .dir = IPCT_DIR_SEND };
	uint8_t stream;

	if (!known)
		return UINT32_MAX;
	ev.local = b->tcp_tuples[2 * (known - 1)];
	ev.remote = b->tcp_tuples[2 * (known - 1) + 1];
	return tcp_object(b, &ev, &stream);
}

long model_socket_object(struct builder *b, const struct ipct_io_event *ev,
			 uint8_t *stream)
{
	long o;

	const char *scope = b->scope;

	*stream = 0;
	/* Both hosts' ends of a joined connection make one channel. */
	if (ev->flags & IPCT_IO_HOSTS_JOINED)
		b->scope = NULL;
	switch (ev->kind) {
	case IPCT_KIND_UNIX:
		o = unix_object(b, ev, stream);
		break;
	case IPCT_KIND_TCP:
		o = tcp_object(b, ev, stream);
		break;
	default:
		o = udp_object(b, ev);
		break;
	}
	b->scope = scope;
	if (o >= 0 && !b->m->objects[o].sock_type)
		b->m->objects[o].sock_type = ev->kind == IPCT_KIND_TCP ? SOCK_STREAM :
					     ev->kind == IPCT_KIND_UDP ? SOCK_DGRAM :
					     ev->sock_type;
	return o;
}

int model_on_sock(struct builder *b, const struct ipct_sock_event *ev)
{
	long p = model_process_get(b, ev->hdr.pid);
	int err = 0;

	if (p < 0)
		return p;
	if (ev->ret < 0 || ev->kind != IPCT_KIND_UNIX)
		return 0;
	if ((err = model_unix_own(b, ev->ino)))
		return err;
	if (ev->op == IPCT_SOCK_SOCKETPAIR && (err = model_unix_own(b, ev->peer_ino)))
		return err;
	if (ev->ino && ev->peer_ino) {
		err = peer_set(b, ev->ino, ev->peer_ino);
		if (!err && ev->sock_type != SOCK_DGRAM)
			err = peer_set(b, ev->peer_ino, ev->ino);
	}
	if (!err && ev->path_len && ev->ino &&
	    (ev->op == IPCT_SOCK_BIND || ev->op == IPCT_SOCK_CONNECT)) {
		size_t len = ev->path_len < sizeof(ev->path) ? ev->path_len : sizeof(ev->path);
		err = model_name_hint(&b->sock_paths, &b->nsock_paths, &b->cap_sock_paths,
				      0, ev->ino, 0, ev->path, len);
		if (!err && ev->op == IPCT_SOCK_CONNECT && ev->peer_ino)
			err = model_name_hint(&b->sock_paths, &b->nsock_paths,
					      &b->cap_sock_paths, 0, ev->peer_ino, 0,
					      ev->path, len);
	}
	return err;
}
