/*
 * model_stat - the channels and flows of a `trace stat` recording, drawn
 * from its counters (IPCT_EV_STAT records: calls, errors and bytes per
 * process, object and direction) since it has no per-call records.
 *
 * Each counter makes its process a user of the object it names, with the
 * ids the per-call model gives the same objects (pipe:DEV:INO, msgq:ID,
 * unix:A-B, tcp:A:P-B:Q, udp:ADDR:PORT...), so the opens and socket
 * records of the trace still name them.  An inet socket's counter is
 * joined to its connection by the endpoints recorded when it was made
 * (IPCT_EV_STAT_ENDPOINT), as the per-call model joins the two ends by
 * the 4-tuple.  Flows come from the per-channel totals (per object and
 * direction: a connection's two streams apart): what each sender put in
 * and what each receiver took out.  A flow is exact when the channel has
 * one sender and one receiver, or one of them alone and every byte sent
 * was received; otherwise the bytes are shared out in proportion (each
 * sender's share of what went in times each receiver's share of what came
 * out) and the flow is marked estimated.
 *
 * Signals are counted per (sender, target, signo): one flow each, exact.
 * Ignored signals make none (the per-call model drops them too), and a
 * SIGCHLD that reports a child's exit is a flow that is not
 * communication.  Semaphores: the Ps (and futex waits) that slept were
 * released by the Vs (wakes) of other processes on the same set; with
 * one such V-er the flow is exact, with several each gets a share in
 * proportion to its Vs, estimated.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"
#include "search.h"

struct stat_counter {
	struct ipct_stat_key key;
	uint64_t calls, errors, bytes, ns;
	long object;                    /* index in model->objects, -1 none */
	uint8_t dir;                    /* IPCT_DIR_SEND, RECV; 0: no flow */
	uint8_t stream;                 /* a two-way object's direction (model_sock.c) */
};

/* The endpoints of an inet socket's counter. */
struct stat_ends {
	struct ipct_stat_key key;
	struct ipct_inet_addr local, remote;
};

struct stat_state {
	struct stat_counter *v;
	size_t n, cap;
	struct stat_ends *ends;
	size_t nends, cap_ends;
};

/* The signal counters' peer: the signal was ignored (0x100), a SIGCHLD's
 * si_code (low byte). */
#define STAT_SIG_IGNORED 0x100u
#define STAT_SIG_CODE(peer) ((peer) & 0xffu)

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
	c->ns = ev->value.ns;
	c->object = -1;
	c->dir = ev->key.dir == IPCT_DIR_SEND || ev->key.dir == IPCT_DIR_RECV ? ev->key.dir : 0;
	return 0;
}

int model_on_stat_endpoint(struct builder *b, const struct ipct_stat_endpoint_event *ev)
{
	struct stat_state *s = b->stat;
	int err;

	if (!s && !(s = b->stat = calloc(1, sizeof(*s))))
		return -ENOMEM;
	if ((err = model_grow((void **)&s->ends, &s->cap_ends, s->nends + 1, sizeof(*s->ends))))
		return err;
	s->ends[s->nends++] = (struct stat_ends){ ev->key, ev->local, ev->remote };
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct ipct_stat_key));
}

/* The endpoints recorded for KEY (s->ends sorted), or NULL. */
static const struct stat_ends *ends_of(const struct stat_state *s, const struct ipct_stat_key *key)
{
	return s->nends ? bsearch(key, s->ends, s->nends, sizeof(*s->ends), cmp_key) : NULL;
}

/* A TCP socket used only once closed on both sides shows local port 0
 * (the kernel clears it): the endpoints another counter of the same
 * socket recorded while it was open, else E itself. */
static const struct stat_ends *tcp_ends_open(const struct stat_state *s, const struct stat_ends *e)
{
	for (size_t i = 0; i < s->nends && !e->local.port; i++) {
		const struct stat_ends *x = &s->ends[i];

		if (x->key.kind == IPCT_KIND_TCP && x->key.dev == e->key.dev &&
		    x->key.obj == e->key.obj && x->local.port)
			return x;
	}
	return e;
}

/* The connection or UDP endpoint of inet counter C, by its endpoints, as
 * the per-call model names it; with none recorded (an older trace), the
 * socket alone and no flows. */
static long inet_object(struct builder *b, struct stat_counter *c)
{
	const struct stat_ends *e = ends_of(b->stat, &c->key);
	struct ipct_io_event ev = {
		.kind = c->key.kind, .dir = c->key.dir, .ino = c->key.obj, .dev = c->key.dev,
	};

	if (e && c->key.kind == IPCT_KIND_TCP)
		e = tcp_ends_open(b->stat, e);
	if (e) {
		ev.local = e->local;
		ev.remote = e->remote;
	} else {
		c->dir = 0;
	}
	return model_socket_object(b, &ev, &c->stream);
}

/* The unix socket counter C's data goes into (send: the peer) or comes
 * out of (receive: itself). */
static uint64_t unix_sink(const struct stat_counter *c)
{
	return c->dir == IPCT_DIR_SEND ? c->key.peer : c->key.obj;
}

/* The id of the unix channel into SINK: "unix:A-B" when a receiver on it
 * is connected to a peer (a stream pair or a connected datagram socket),
 * else "unix:SINK", as the per-call model names them; *STREAM is 0 for
 * the bytes that go from A to B. */
static long unix_object(struct builder *b, uint64_t sink, uint8_t *stream)
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
	*stream = sink == lo;
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
		/* the Vs (send) and the Ps that slept (receive, dev 1) */
		if (k->dir == IPCT_DIR_RECV && k->dev != 1)
			c->dir = 0;
		if (k->peer)	/* a process-shared futex, by its address */
			snprintf(id, sizeof(id), "sem:0x%llx", (unsigned long long)k->obj);
		else
			snprintf(id, sizeof(id), "sem:%lld", (long long)k->obj);
		return model_object_get(b, IPCT_KIND_SEM, id, 0, k->obj);
	case IPCT_KIND_SIGNAL:
		if (k->peer & STAT_SIG_IGNORED)
			c->dir = 0;
		snprintf(id, sizeof(id), "signal:%llu", (unsigned long long)k->obj);
		return model_object_get(b, IPCT_KIND_SIGNAL, id, 0, k->obj);
	case IPCT_KIND_EVENTFD:
		return model_eventfd_object(b, k->obj);
	case IPCT_KIND_UNIX:
		if (!unix_sink(c))
			return -1;
		return unix_object(b, unix_sink(c), &c->stream);
	case IPCT_KIND_TCP:
	case IPCT_KIND_UDP:
		return inet_object(b, c);
	}
	return -1;
}

/* Receivers first: a UDP receiver bound to the wildcard address must be
 * known before the sends to its port look for it (model_sock.c). */
static int cmp_recv_first(const void *pa, const void *pb)
{
	const struct stat_counter *a = pa, *b = pb;
	int x = a->key.dir == IPCT_DIR_RECV, y = b->key.dir == IPCT_DIR_RECV;

	return x != y ? y - x : cmp_key(&a->key, &b->key);
}

int model_stat_objects(struct builder *b)
{
	struct stat_state *s = b->stat;
	int err;

	if (!s)
		return 0;
	if (s->nends)
		qsort(s->ends, s->nends, sizeof(*s->ends), cmp_key);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_recv_first);
	for (size_t i = 0; i < s->n; i++) {
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

static int add_flow(struct viz_flow **out, size_t *n, size_t *cap, struct viz_flow f)
{
	int err = model_grow((void **)out, cap, *n + 1, sizeof(**out));

	if (!err)
		(*out)[(*n)++] = f;
	return err;
}

/* A counted flow has no send op: first_send is past every op (without the
 * top bit, which would mark a streamed flow). */
#define COUNTED_FLOW(w, to_pid) \
	.object = (uint32_t)(w)->object, .from = (w)->key.pid, .to = (to_pid), \
	.first_send = UINT32_MAX >> 1, .counted = true

/* A signal counter names its target: one flow, exact. */
static int signal_flow(const struct viz_model *m, const struct stat_counter *w,
		       struct viz_flow **out, size_t *n, size_t *cap)
{
	uint32_t sig = w->key.dev;
	uint32_t code = STAT_SIG_CODE(w->key.peer);

	/* none to itself, nor to a process outside the trace (the
	 * command's SIGCHLD to the tracer) */
	if (w->key.obj == w->key.pid || w->key.obj > UINT32_MAX || w->calls <= w->errors ||
	    !viz_model_process(m, (uint32_t)w->key.obj))
		return 0;
	return add_flow(out, n, cap, (struct viz_flow){
		COUNTED_FLOW(w, (uint32_t)w->key.obj), .messages = w->calls - w->errors,
		.signals = sig >= 1 && sig <= 64 ? 1ull << (sig - 1) : 0,
		/* CLD_EXITED, CLD_KILLED, CLD_DUMPED: the kernel's exit report */
		.exit_report = sig == SIGCHLD && code >= 1 && code <= 3,
	});
}

/* The Ps that slept on one set, released by the Vs of other processes:
 * each V-er's share of them in proportion to its Vs, exact when it is
 * the only one. */
static int sem_flows(const struct stat_state *s, size_t from, size_t to,
		     struct viz_flow **out, size_t *n, size_t *cap)
{
	int err = 0;

	for (size_t j = from; j < to && !err; j++) {
		const struct stat_counter *r = &s->v[j];
		uint64_t vs = 0, waited = r->calls - r->errors;
		size_t vers = 0;

		if (r->dir != IPCT_DIR_RECV || !waited)
			continue;
		for (size_t i = from; i < to; i++)
			if (s->v[i].dir == IPCT_DIR_SEND && s->v[i].key.pid != r->key.pid) {
				vs += s->v[i].calls - s->v[i].errors;
				vers++;
			}
		for (size_t i = from; i < to && !err; i++) {
			const struct stat_counter *w = &s->v[i];
			uint64_t msgs;

			if (w->dir != IPCT_DIR_SEND || w->key.pid == r->key.pid)
				continue;
			msgs = vers == 1 ? waited : share(waited, w->calls - w->errors, vs);
			if (msgs)
				err = add_flow(out, n, cap, (struct viz_flow){
					COUNTED_FLOW(w, r->key.pid), .messages = msgs,
					.estimated = vers > 1,
				});
		}
	}
	return err;
}

/* The flows of the counters [FROM, TO) of one channel (one object, one
 * direction; sorted by object and stream). */
static int object_flows(struct viz_model *m, const struct stat_state *s, size_t from, size_t to,
			struct viz_flow **out, size_t *n, size_t *cap)
{
	struct side in, outs;
	const struct viz_object *o = &m->objects[s->v[from].object];
	bool message = o->kind == IPCT_KIND_MSGQ;
	int err;

	if (o->kind == IPCT_KIND_SEM)
		return sem_flows(s, from, to, out, n, cap);
	totals(s, from, to, IPCT_DIR_SEND, &in);
	totals(s, from, to, IPCT_DIR_RECV, &outs);
	for (size_t i = from; i < to; i++) {
		const struct stat_counter *w = &s->v[i];

		if (w->dir != IPCT_DIR_SEND)
			continue;
		if (o->kind == IPCT_KIND_SIGNAL) {
			if ((err = signal_flow(m, w, out, n, cap)))
				return err;
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
			if ((err = add_flow(out, n, cap, (struct viz_flow){
				     COUNTED_FLOW(w, r->key.pid), .messages = msgs, .bytes = bytes,
				     .estimated = !exact })))
				return err;
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

const char *viz_counted_dir(const struct viz_model *m, const struct viz_counted *c)
{
	if (c->object < m->nobjects && m->objects[c->object].kind == IPCT_KIND_SEM)
		return c->dir == IPCT_DIR_SEND ? "V" : c->slept ? "P slept" : "P";
	return c->dir == IPCT_DIR_SEND ? "send" : c->dir == IPCT_DIR_RECV ? "recv" : "-";
}

static int cmp_counted(const void *pa, const void *pb)
{
	const struct viz_counted *a = pa, *b = pb;

	return VIZ_ORDER(a->pid, b->pid) ?: VIZ_ORDER(a->object, b->object) ?:
	       VIZ_ORDER(a->dir, b->dir);
}

/* The counters of the objects drawn, for the timeline and the Perfetto
 * export (model->counted). */
static int stat_counted(struct viz_model *m, const struct stat_state *s)
{
	size_t n = 0;

	m->counted = calloc(s->n ? s->n : 1, sizeof(*m->counted));
	if (!m->counted)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		const struct stat_counter *c = &s->v[i];

		if (c->object < 0)
			continue;
		m->counted[n++] = (struct viz_counted){
			.pid = c->key.pid, .object = (uint32_t)c->object, .dir = c->key.dir,
			.slept = c->key.kind == IPCT_KIND_SEM && c->key.dev == 1,
			.calls = c->calls, .errors = c->errors, .bytes = c->bytes, .ns = c->ns,
		};
	}
	m->ncounted = n;
	if (n)
		qsort(m->counted, n, sizeof(*m->counted), cmp_counted);
	return 0;
}

static int cmp_counter(const void *pa, const void *pb)
{
	const struct stat_counter *a = pa, *b = pb;

	return VIZ_ORDER(a->object, b->object) ?: VIZ_ORDER(a->stream, b->stream) ?:
	       VIZ_ORDER(a->key.pid, b->key.pid);
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
		for (j = i + 1; j < s->n && s->v[j].object == s->v[i].object &&
			       s->v[j].stream == s->v[i].stream; j++)
			;
		if (s->v[i].object >= 0)
			err = object_flows(b->m, s, i, j, &f, &n, &cap);
	}
	if (!err)
		err = model_append_flows(b->m, f, n);
	free(f);
	if (!err)
		err = stat_op_sums(b->m, s);
	return err ? err : stat_counted(b->m, s);
}

void model_stat_free(struct stat_state *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->ends);
	free(s);
}
