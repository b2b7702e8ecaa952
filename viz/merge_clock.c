/*
 * merge_clock - the socket side of `trace merge` (viz/merge.h): every
 * (host, local, remote) view of TCP and UDP traffic, which views are the
 * two ends of one connection, and the clock offsets they bound.
 *
 * A TCP view on host X joins the view on host Y whose 4-tuple is its
 * mirror.  Its streams are matched byte by byte: a receive that ended at
 * byte offset e holds byte e-1, written by the send whose bytes end at or
 * past e, so that receive returned no earlier than that send began.  UDP
 * views join when the sender's destination is the receiver's address (a
 * wildcard address matches any) and back; datagrams pair in order when
 * their lengths agree (a length that differs means a lost datagram: the
 * send is skipped).
 *
 * With c_H the correction added to host H's wall clock, a pair sent on X
 * at s and received on Y at r says r + c_Y >= s + c_X.  The smallest
 * r - s each way gives c_Y - c_X >= -d(X->Y) and c_Y - c_X <= d(Y->X);
 * the middle of that interval is the estimate and half its width the
 * uncertainty.  Host 0 is the reference; a host reached through another
 * adds that host's uncertainty.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "merge_views.h"
#include "slots.h"

static void endpoint_from(struct endpoint *e, const struct ipct_inet_addr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(e, 0, sizeof(*e));
	e->port = a->port;
	e->family = a->family;
	if (a->family == AF_INET6 && !memcmp(a->addr, mapped, sizeof(mapped))) {
		e->family = AF_INET;    /* ::ffff:a.b.c.d is the IPv4 peer */
		memcpy(e->addr, a->addr + 12, 4);
	} else {
		memcpy(e->addr, a->addr, a->family == AF_INET ? 4 : 16);
	}
}

static bool endpoint_wild(const struct endpoint *e)
{
	static const uint8_t zero[16];

	return !memcmp(e->addr, zero, sizeof(zero));
}

/* Same port and family, and the same address or a wildcard on either side. */
static bool endpoint_match(const struct endpoint *a, const struct endpoint *b)
{
	return a->port == b->port && a->family == b->family &&
	       (!memcmp(a->addr, b->addr, 16) || endpoint_wild(a) || endpoint_wild(b));
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t key_hash(uint32_t host, uint8_t kind, const struct endpoint *l,
			 const struct endpoint *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_bytes(h, &host, sizeof(host));
	h = hash_bytes(h, &kind, 1);
	h = hash_bytes(h, l, sizeof(*l));
	return hash_bytes(h, r, sizeof(*r));
}

static uint64_t port_hash(uint8_t kind, uint16_t lport, uint16_t rport)
{
	return ((uint64_t)kind << 32 | (uint64_t)lport << 16 | rport) * 0x9e3779b97f4a7c15ULL;
}

int merge_views_new(struct merge_views **out, uint32_t nhosts)
{
	size_t pairs = (size_t)nhosts * nhosts;
	struct merge_views *v = calloc(1, sizeof(*v) + pairs * (sizeof(*v->delay) +
							     sizeof(*v->pairs)));

	if (!v)
		return -ENOMEM;
	v->nhosts = nhosts;
	v->delay = (int64_t *)(v + 1);
	v->pairs = (uint64_t *)(v->delay + pairs);
	for (size_t i = 0; i < pairs; i++)
		v->delay[i] = INT64_MAX;
	*out = v;
	return 0;
}

void merge_views_free(struct merge_views *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].sends);
		free(v->v[i].recvs);
	}
	free(v->v);
	free(v->slots);
	free(v->port_heads);
	free(v->ino_slots);
	free(v);
}

bool merge_is_inet_io(const struct ipct_event_header *hdr)
{
	const struct ipct_io_event *ev = (const void *)hdr;

	return hdr->type == IPCT_EV_IO && hdr->size >= offsetof(struct ipct_io_event, payload) &&
	       (ev->kind == IPCT_KIND_TCP || ev->kind == IPCT_KIND_UDP) && ev->local.family;
}

static long view_find(const struct merge_views *v, uint32_t host, uint8_t kind,
		      const struct endpoint *l, const struct endpoint *r)
{
	if (!v->nslots)
		return -1;
	size_t h = key_hash(host, kind, l, r) & (v->nslots - 1);
	while (v->slots[h]) {
		const struct view *x = &v->v[v->slots[h] - 1];
		if (x->host == host && x->kind == kind && !memcmp(&x->local, l, sizeof(*l)) &&
		    !memcmp(&x->remote, r, sizeof(*r)))
			return v->slots[h] - 1;
		h = (h + 1) & (v->nslots - 1);
	}
	return -1;
}

static uint64_t view_hash_at(const void *arg, size_t i)
{
	const struct view *x = &((const struct merge_views *)arg)->v[i];

	return key_hash(x->host, x->kind, &x->local, &x->remote);
}

static int rehash(struct merge_views *v)
{
	return slots_rebuild(&v->slots, &v->nslots, 1024, v->n, view_hash_at, v);
}

static long view_get(struct merge_views *v, uint32_t host, uint8_t kind,
		     const struct endpoint *l, const struct endpoint *r)
{
	long i = view_find(v, host, kind, l, r);

	if (i >= 0)
		return i;
	if ((v->n + 1) * 2 > v->nslots && rehash(v))
		return -ENOMEM;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		struct view *p = realloc(v->v, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		v->v = p;
		v->cap = cap;
	}
	struct view *x = &v->v[v->n];
	memset(x, 0, sizeof(*x));
	x->host = host;
	x->kind = kind;
	x->local = *l;
	x->remote = *r;
	x->peer = -1;
	v->slots[slots_free(v->slots, v->nslots, key_hash(host, kind, l, r))] = v->n + 1;
	return v->n++;
}

/* ---- TCP socket inode -> its view ----
 * Once a connection is closed on both sides the kernel clears the local
 * port (inet_put_port), so the last reads on a socket show local port 0:
 * their socket inode names the view the earlier calls established. */

static uint64_t ino_key(uint32_t host, uint64_t ino)
{
	return (ino ^ (uint64_t)host << 48) | 1ull << 63;
}

static int ino_set(struct merge_views *v, uint32_t host, uint64_t ino, long view)
{
	uint64_t key = ino_key(host, ino);

	if ((v->ninos + 1) * 2 > v->nino_slots) {
		size_t n = v->nino_slots ? v->nino_slots * 2 : 1024;
		uint64_t *s = calloc(2 * n, sizeof(*s));
		if (!s)
			return -ENOMEM;
		for (size_t i = 0; i < v->nino_slots; i++) {
			if (!v->ino_slots[2 * i])
				continue;
			size_t h = (v->ino_slots[2 * i] * 0x9e3779b97f4a7c15ULL) >> 20 & (n - 1);
			while (s[2 * h])
				h = (h + 1) & (n - 1);
			s[2 * h] = v->ino_slots[2 * i];
			s[2 * h + 1] = v->ino_slots[2 * i + 1];
		}
		free(v->ino_slots);
		v->ino_slots = s;
		v->nino_slots = n;
	}
	size_t h = (key * 0x9e3779b97f4a7c15ULL) >> 20 & (v->nino_slots - 1);
	while (v->ino_slots[2 * h] && v->ino_slots[2 * h] != key)
		h = (h + 1) & (v->nino_slots - 1);
	if (!v->ino_slots[2 * h])
		v->ninos++;
	v->ino_slots[2 * h] = key;
	v->ino_slots[2 * h + 1] = (uint64_t)view + 1;
	return 0;
}

static long ino_find(const struct merge_views *v, uint32_t host, uint64_t ino)
{
	uint64_t key = ino_key(host, ino);

	if (!v->nino_slots)
		return -1;
	size_t h = (key * 0x9e3779b97f4a7c15ULL) >> 20 & (v->nino_slots - 1);
	while (v->ino_slots[2 * h]) {
		if (v->ino_slots[2 * h] == key)
			return (long)v->ino_slots[2 * h + 1] - 1;
		h = (h + 1) & (v->nino_slots - 1);
	}
	return -1;
}

static bool closed_tcp(const struct ipct_io_event *ev)
{
	return ev->kind == IPCT_KIND_TCP && ev->local.port == 0 && ev->ino;
}

/* A datagram received without asking whence (recv, or recvfrom with no
 * address): taken to come from where the socket last sent to, as a
 * client's answer does. */
static bool anonymous_udp(const struct ipct_io_event *ev)
{
	return ev->kind == IPCT_KIND_UDP && ev->dir == IPCT_DIR_RECV && ev->remote.port == 0 &&
	       ev->ino;
}

/* The view of EV: its own 4-tuple, or its socket's for the two cases above. */
static long view_of(const struct merge_views *v, uint32_t host, const struct ipct_io_event *ev)
{
	struct endpoint l, r;

	if (closed_tcp(ev) || anonymous_udp(ev))
		return ino_find(v, host, ev->ino);
	endpoint_from(&l, &ev->local);
	endpoint_from(&r, &ev->remote);
	return view_find(v, host, ev->kind, &l, &r);
}

int merge_views_repair(const struct merge_views *v, uint32_t host, struct ipct_io_event *ev)
{
	long i;

	if (!closed_tcp(ev) || (i = ino_find(v, host, ev->ino)) < 0)
		return 0;
	const struct view *x = &v->v[i];
	ev->local.port = x->local.port;
	ev->local.family = x->local.family;
	memcpy(ev->local.addr, x->local.addr, sizeof(ev->local.addr));
	ev->remote.port = x->remote.port;
	ev->remote.family = x->remote.family;
	memcpy(ev->remote.addr, x->remote.addr, sizeof(ev->remote.addr));
	return 1;
}

static int mark_push(struct mark **m, size_t *n, size_t *cap, uint64_t val, int64_t t)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct mark *p = realloc(*m, c * sizeof(*p));
		if (!p)
			return -ENOMEM;
		*m = p;
		*cap = c;
	}
	(*m)[(*n)++] = (struct mark){ val, t };
	return 0;
}

int merge_views_add(struct merge_views *v, uint32_t host,
		    const struct ipct_io_event *ev, int64_t t_wall)
{
	struct endpoint l, r;
	long i;

	if (closed_tcp(ev) || anonymous_udp(ev)) {
		if ((i = ino_find(v, host, ev->ino)) < 0)
			return 0;
	} else {
		endpoint_from(&l, &ev->local);
		endpoint_from(&r, &ev->remote);
		if ((i = view_get(v, host, ev->kind, &l, &r)) < 0)
			return (int)i;
		if (ev->ino && (ev->kind == IPCT_KIND_TCP || ev->dir == IPCT_DIR_SEND) &&
		    ino_set(v, host, ev->ino, i))
			return -ENOMEM;
	}
	if (ev->ret <= 0 || (ev->flags & IPCT_IO_PEEK))
		return 0;
	struct view *x = &v->v[i];
	bool tcp = ev->kind == IPCT_KIND_TCP;
	if (ev->dir == IPCT_DIR_SEND) {
		x->sent += (uint64_t)ev->ret;
		return mark_push(&x->sends, &x->nsends, &x->cap_sends,
				 tcp ? x->sent : (uint64_t)ev->ret,
				 t_wall - (int64_t)ev->duration_ns);
	}
	if (ev->dir == IPCT_DIR_RECV) {
		x->received += (uint64_t)ev->ret;
		return mark_push(&x->recvs, &x->nrecvs, &x->cap_recvs,
				 tcp ? x->received : (uint64_t)ev->ret, t_wall);
	}
	return 0;
}

static long view_of(const struct merge_views *v, uint32_t host, const struct ipct_io_event *ev);

uint32_t merge_views_flags(const struct merge_views *v, uint32_t host,
			   const struct ipct_io_event *ev)
{
	long i = view_of(v, host, ev);

	if (i < 0)
		return 0;
	switch (v->v[i].state) {
	case VIEW_JOINED:
		return IPCT_IO_HOSTS_JOINED;
	case VIEW_ONE_SIDED:
		return IPCT_IO_HOSTS_ONE_SIDED;
	}
	return 0;
}

/* ---- joining ---- */

static int index_ports(struct merge_views *v)
{
	size_t n = 1024;

	while (n < v->n * 2)
		n *= 2;
	v->port_heads = calloc(n, sizeof(*v->port_heads));
	if (!v->port_heads)
		return -ENOMEM;
	v->nport_heads = n;
	for (size_t i = 0; i < v->n; i++) {
		struct view *x = &v->v[i];
		size_t h = port_hash(x->kind, x->local.port, x->remote.port) & (n - 1);
		x->next_port = v->port_heads[h] - 1;
		v->port_heads[h] = (long)i + 1;
	}
	return 0;
}

/* The views whose ports mirror X's: the chain to walk (then check ports). */
static long mirror_chain(const struct merge_views *v, const struct view *x)
{
	size_t h = port_hash(x->kind, x->remote.port, x->local.port) & (v->nport_heads - 1);

	return v->port_heads[h] - 1;
}

/* X's peer is view OTHER on another host, or none was found (-1). */
static void settle(struct view *x, long other)
{
	if (other < 0) {
		x->state = VIEW_ONE_SIDED;
		return;
	}
	x->state = VIEW_JOINED;
	x->peer = other;
}

/* A TCP view's peer: the exact mirror on another host. */
static void join_tcp(struct merge_views *v, size_t i)
{
	struct view *x = &v->v[i];
	long other = -1;

	for (long j = mirror_chain(v, x); j >= 0; j = v->v[j].next_port) {
		const struct view *y = &v->v[j];
		if (y->kind != x->kind || memcmp(&y->local, &x->remote, sizeof(y->local)) ||
		    memcmp(&y->remote, &x->local, sizeof(y->remote)))
			continue;
		if (y->host == x->host) {
			x->state = VIEW_LOCAL;     /* both ends on this host */
			return;
		}
		if (other < 0 || y->host < v->v[other].host)
			other = j;      /* the lowest host wins a tie */
	}
	settle(x, other);
}

/* A UDP view's peer: the view whose address pair matches X's reversed. */
static void join_udp(struct merge_views *v, size_t i)
{
	struct view *x = &v->v[i];
	long other = -1;

	for (long j = mirror_chain(v, x); j >= 0; j = v->v[j].next_port) {
		const struct view *y = &v->v[j];
		if ((size_t)j == i || y->kind != x->kind ||
		    !endpoint_match(&y->local, &x->remote) ||
		    !endpoint_match(&y->remote, &x->local))
			continue;
		if (y->host == x->host) {
			x->state = VIEW_LOCAL;
			return;
		}
		if (other < 0 || y->host < v->v[other].host)
			other = j;      /* the lowest host wins a tie */
	}
	settle(x, other);
}

int merge_views_solve(struct merge_views *v, struct trace_host *hosts,
		      int64_t *correction, struct merge_result *res)
{
	int err = index_ports(v);

	if (err)
		return err;
	for (size_t i = 0; i < v->n; i++) {
		if (v->v[i].kind == IPCT_KIND_TCP)
			join_tcp(v, i);
		else
			join_udp(v, i);
	}
	/* A join holds only both ways: a view that found a peer which
	 * chose another (the same 4-tuple on a third host) is left alone,
	 * so no stream is counted twice. */
	for (size_t i = 0; i < v->n; i++) {
		struct view *x = &v->v[i];
		if (x->state == VIEW_JOINED && v->v[x->peer].peer != (long)i) {
			x->state = VIEW_ONE_SIDED;
			x->peer = -1;
		}
	}
	for (size_t i = 0; i < v->n; i++) {
		struct view *x = &v->v[i];
		bool tcp = x->kind == IPCT_KIND_TCP;
		switch (x->state) {
		case VIEW_LOCAL:
			(*(tcp ? &res->tcp_local : &res->udp_local))++;
			break;
		case VIEW_ONE_SIDED:
			(*(tcp ? &res->tcp_one_sided : &res->udp_one_sided))++;
			break;
		case VIEW_JOINED:
			(*(tcp ? &res->tcp_joined : &res->udp_joined))++;
			if ((size_t)x->peer > i)    /* each pair once */
				merge_pair_bounds(v, x, &v->v[x->peer], res);
			break;
		}
	}
	merge_solve_clocks(v, hosts, correction);
	return 0;
}

