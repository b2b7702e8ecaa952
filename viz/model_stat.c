/*
 * model_stat - the channels and flows of a `trace stat` recording, drawn
 * from its counters (IPCT_EV_STAT records: calls, errors and bytes per
 * process, object and direction) since it has no per-call records.
 *
 * Each counter makes its process a user of the object it names, with the
 * ids the per-call model gives the same objects (pipe:DEV:INO, msgq:ID,
 * unix:A-B...), so the opens and socket records of the trace still name
 * them.  Flows come from the per-object totals: what each sender put in
 * and what each receiver took out.  A flow is exact when the object has
 * one sender and one receiver, or one of them alone and every byte sent
 * was received; otherwise the bytes are shared out in proportion (each
 * sender's share of what went in times each receiver's share of what came
 * out) and the flow is marked estimated.  Left out: inet sockets (a
 * counter names one end by its inode, not the 4-tuple that joins the two
 * ends), and SIGCHLD, which the kernel sends for every exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"

struct stat_counter {
	struct ipct_stat_key key;
	uint64_t calls, errors, bytes;
	long object;                    /* index in model->objects, -1 none */
	uint8_t dir;                    /* IPCT_DIR_SEND, RECV; 0: no flow */
};

struct stat_state {
	struct stat_counter *v;
	size_t n, cap;
};

int model_on_stat(struct builder *b, const struct ipct_stat_event *ev)
{
	struct stat_state *s = b->stat;
	struct stat_counter *c;
	long p;
	int err;

	if (!s && !(s = b->stat = calloc(1, sizeof(*s))))
		return -ENOMEM;
	if ((err = model_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v))))
		return err;
	p = model_process_get(b, ev->key.pid);
	if (p < 0)
		return p;
	c = &s->v[s->n++];
	c->key = ev->key;
	c->calls = ev->value.calls;
	c->errors = ev->value.errors;
	c->bytes = ev->value.bytes;
	c->object = -1;
	c->dir = ev->key.dir == IPCT_DIR_SEND || ev->key.dir == IPCT_DIR_RECV ? ev->key.dir : 0;
	return 0;
}

/* The unix socket counter C's data goes into (send: the peer) or comes
 * out of (receive: itself). */
static uint64_t unix_sink(const struct stat_counter *c)
{
	return c->dir == IPCT_DIR_SEND ? c->key.peer : c->key.obj;
}

/* The id of the unix channel into SINK: "unix:A-B" when a receiver on it
 * is connected to a peer (a stream pair or a connected datagram socket),
 * else "unix:SINK", as the per-call model names them. */
static long unix_object(struct builder *b, uint64_t sink)
{
	struct stat_state *s = b->stat;
	uint64_t peer = 0;
	char id[64];

	for (size_t i = 0; i < s->n && !peer; i++)
		if (s->v[i].key.kind == IPCT_KIND_UNIX && s->v[i].dir == IPCT_DIR_RECV &&
		    s->v[i].key.obj == sink)
			peer = s->v[i].key.peer;
	if (!peer) {
		snprintf(id, sizeof(id), "unix:%llu", (unsigned long long)sink);
		return model_object_get(b, IPCT_KIND_UNIX, id, 0, sink);
	}
	uint64_t lo = sink < peer ? sink : peer, hi = sink < peer ? peer : sink;
	snprintf(id, sizeof(id), "unix:%llu-%llu", (unsigned long long)lo, (unsigned long long)hi);
	long o = model_object_get(b, IPCT_KIND_UNIX, id, 0, lo);
	if (o >= 0)
		b->m->objects[o].ino2 = hi;
	return o;
}

/* The object counter C names, created if new; -1 when it is drawn from
 * nothing (an unconnected unix send, an unknown kind). */
static long counter_object(struct builder *b, struct stat_counter *c)
{
	const struct ipct_stat_key *k = &c->key;
	char id[64];

	switch (k->kind) {
	case IPCT_KIND_PIPE:
	case IPCT_KIND_FIFO:
	case IPCT_KIND_FILE:
		return model_object_get_inode(b, k->kind, k->dev, k->obj);
	case IPCT_KIND_MSGQ:
		if (k->dev)
			return model_object_get_dev(b, IPCT_KIND_MSGQ, k->dev, k->obj);
		snprintf(id, sizeof(id), "msgq:%lld", (long long)k->obj);
		return model_object_get(b, IPCT_KIND_MSGQ, id, 0, k->obj);
	case IPCT_KIND_SEM:
		/* semop calls are P or V, not send or receive: no flows */
		c->dir = 0;
		if (k->peer)	/* a process-shared futex, by its address */
			snprintf(id, sizeof(id), "sem:0x%llx", (unsigned long long)k->obj);
		else
			snprintf(id, sizeof(id), "sem:%lld", (long long)k->obj);
		return model_object_get(b, IPCT_KIND_SEM, id, 0, k->obj);
	case IPCT_KIND_SIGNAL:
		if (k->dev == SIGCHLD)
			c->dir = 0;
		snprintf(id, sizeof(id), "signal:%llu", (unsigned long long)k->obj);
		return model_object_get(b, IPCT_KIND_SIGNAL, id, 0, k->obj);
	case IPCT_KIND_EVENTFD:
		return model_eventfd_object(b, k->obj);
	case IPCT_KIND_UNIX:
		if (!unix_sink(c))
			return -1;
		return unix_object(b, unix_sink(c));
	case IPCT_KIND_TCP:
	case IPCT_KIND_UDP:
		c->dir = 0;
		snprintf(id, sizeof(id), "%s:%llu", k->kind == IPCT_KIND_TCP ? "tcp" : "udp",
			 (unsigned long long)k->obj);
		return model_object_get(b, k->kind, id, k->dev, k->obj);
	}
	return -1;
}

int model_stat_objects(struct builder *b)
{
	struct stat_state *s = b->stat;
	int err;

	for (size_t i = 0; s && i < s->n; i++) {
		struct stat_counter *c = &s->v[i];
		long o = counter_object(b, c);

		if (o < -1)
			return (int)o;
		c->object = o;
		if (o < 0)
			continue;
		if ((err = model_object_user_add(b, (uint32_t)o, c->key.pid)))
			return err;
		/* a signal's target is a user when it is traced */
		if (c->key.kind == IPCT_KIND_SIGNAL && c->key.obj <= UINT32_MAX &&
		    model_process_find(b, (uint32_t)c->key.obj) >= 0 &&
		    (err = model_object_user_add(b, (uint32_t)o, (uint32_t)c->key.obj)))
			return err;
		if (c->dir == IPCT_DIR_SEND)
			b->m->objects[o].sent_bytes += c->bytes;
		else if (c->dir == IPCT_DIR_RECV)
			b->m->objects[o].received_bytes += c->bytes;
	}
	return 0;
}

/* Sending and receiving totals of one object. */
struct side {
	uint64_t bytes, calls;
	size_t procs;
};

static void totals(const struct stat_state *s, size_t from, size_t to, uint8_t dir,
		   struct side *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = from; i < to; i++)
		if (s->v[i].dir == dir) {
			t->bytes += s->v[i].bytes;
			t->calls += s->v[i].calls - s->v[i].errors;
			t->procs++;
		}
}

/* X * NUM / DEN, rounded to the nearest, without overflow. */
static uint64_t share(uint64_t x, uint64_t num, uint64_t den)
{
	return den ? (uint64_t)(((unsigned __int128)x * num + den / 2) / den) : 0;
}

/* The flows of the counters [FROM, TO) of one object (sorted by object).
 * They have no send op: first_send is past every op (without the top bit,
 * which would mark a streamed flow). */
static int object_flows(struct viz_model *m, const struct stat_state *s, size_t from, size_t to,
			struct viz_flow **out, size_t *n, size_t *cap)
{
	struct side in, outs;
	const struct viz_object *o = &m->objects[s->v[from].object];
	bool signal = o->kind == IPCT_KIND_SIGNAL;
	bool message = o->kind == IPCT_KIND_MSGQ || signal;
	int err;

	totals(s, from, to, IPCT_DIR_SEND, &in);
	totals(s, from, to, IPCT_DIR_RECV, &outs);
	for (size_t i = from; i < to; i++) {
		const struct stat_counter *w = &s->v[i];

		if (w->dir != IPCT_DIR_SEND)
			continue;
		if (signal) {
			/* a signal counter names its target: one flow, exact */
			if (w->key.obj == w->key.pid || !w->calls)
				continue;
			if ((err = model_grow((void **)out, cap, *n + 1, sizeof(**out))))
				return err;
			(*out)[(*n)++] = (struct viz_flow){
				.object = (uint32_t)w->object, .from = w->key.pid,
				.to = (uint32_t)w->key.obj, .messages = w->calls - w->errors,
				.signals = w->key.dev >= 1 && w->key.dev <= 64 ?
					   1ull << (w->key.dev - 1) : 0,
				.first_send = UINT32_MAX >> 1, .counted = true,
			};
			continue;
		}
		bool exact = (in.procs == 1 && outs.procs == 1) ||
			     ((in.procs == 1 || outs.procs == 1) && in.bytes == outs.bytes);
		for (size_t j = from; j < to; j++) {
			const struct stat_counter *r = &s->v[j];
			uint64_t bytes, msgs;

			if (r->dir != IPCT_DIR_RECV || r->key.pid == w->key.pid)
				continue;
			if (in.procs == 1 && outs.procs == 1) {
				bytes = r->bytes;
				msgs = message ? r->calls - r->errors : w->calls - w->errors;
			} else {
				/* this sender's part of the bytes that came out
				 * to this receiver */
				bytes = share(w->bytes, r->bytes, in.bytes);
				msgs = share(w->calls - w->errors, r->bytes, outs.bytes);
				if (message)
					msgs = share(w->calls - w->errors, r->calls - r->errors,
						     outs.calls);
			}
			if (!bytes && !msgs)
				continue;
			if (!exact && bytes && !msgs)
				msgs = 1;	/* some of its data reached this receiver */
			if ((err = model_grow((void **)out, cap, *n + 1, sizeof(**out))))
				return err;
			(*out)[(*n)++] = (struct viz_flow){
				.object = (uint32_t)w->object, .from = w->key.pid,
				.to = r->key.pid, .messages = msgs, .bytes = bytes,
				.first_send = UINT32_MAX >> 1, .counted = true,
				.estimated = !exact,
			};
		}
	}
	return 0;
}

/* What each process sent into and read out of each object, as a
 * streaming load sums it (model->op_sums), for the graph's edges. */
static int stat_op_sums(struct viz_model *m, const struct stat_state *s)
{
	size_t n = m->nop_sums, cap = m->nop_sums;
	struct viz_op_sum *v = m->op_sums;
	int err = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct stat_counter *c = &s->v[i];

		if (c->object < 0 || !c->dir || c->key.kind == IPCT_KIND_SIGNAL)
			continue;
		if ((err = model_grow((void **)&v, &cap, n + 1, sizeof(*v))))
			break;
		v[n++] = (struct viz_op_sum){
			.pid = c->key.pid, .object = (uint32_t)c->object, .dir = c->dir,
			.msgs = c->dir == IPCT_DIR_SEND ? c->calls - c->errors : 0,
			.bytes = c->bytes,
		};
	}
	m->op_sums = v;
	m->nop_sums = n;
	if (n)
		qsort(v, n, sizeof(*v), viz_op_sum_compare);
	return err;
}

static int cmp_counter(const void *pa, const void *pb)
{
	const struct stat_counter *a = pa, *b = pb;

	if (a->object != b->object)
		return a->object < b->object ? -1 : 1;
	return a->key.pid < b->key.pid ? -1 : a->key.pid > b->key.pid;
}

int model_stat_flows(struct builder *b)
{
	struct stat_state *s = b->stat;
	struct viz_flow *f = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!s || !s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_counter);
	for (size_t i = 0, j; i < s->n && !err; i = j) {
		for (j = i + 1; j < s->n && s->v[j].object == s->v[i].object; j++)
			;
		if (s->v[i].object >= 0)
			err = object_flows(b->m, s, i, j, &f, &n, &cap);
	}
	if (!err)
		err = viz_model_add_flows(b->m, f, n);
	free(f);
	return err ? err : stat_op_sums(b->m, s);
}

void model_stat_free(struct stat_state *s)
{
	if (!s)
		return;
	free(s->v);
	free(s);
}
