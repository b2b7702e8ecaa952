/*
 * waits - who waits for whom (viz/hot.h).
 *
 * A trace records each call's entry-to-return time, not the scheduler, so
 * a receive-side call counts as a wait only when the trace shows why it
 * had to wait:
 *
 * - WAIT_DATA: the send that fed its first byte or message (first
 *   transfer) began after the receive did: the channel was empty when it
 *   came in.  For a semaphore P, the V that released it (the matcher only
 *   pairs a V that began during the P).  The peer is the sender; the wait
 *   was released when that send returned (or when the receive did, if
 *   that came first).
 * - WAIT_EOF: a read of a pipe, FIFO or stream socket that returned 0
 *   while another user of the channel exited: the last writer's exit
 *   closed it.  The peer is the latest such process, released at its exit.
 * - WAIT_INTERRUPTED: a receive that failed with EINTR: a signal ended it;
 *   peer unknown.
 *
 * A wait for descriptors (poll, select, epoll_wait and kin:
 * m->wait_calls) that returned with a channel ready is a wait on that
 * channel.  Its peer is found the same way, through the first receive the
 * process made on the channel after the wait returned: the send that fed
 * it, when that send returned after the wait began (WAIT_DATA); the
 * writer whose exit closed it, when that receive read end-of-file
 * (WAIT_EOF).  That receive counts only if it returned within
 * QSIM_HORIZON_NS of the wait, and its send only if that returned within
 * QSIM_HORIZON_NS of the receive, so that a streamed load decides the
 * same (stream_polls.c).  A wait whose ready channel nothing in the trace
 * explains (data from outside the trace) is a wait on the channel with no
 * peer.  A
 * wait that a listening socket's new connection ended is none: that
 * socket is no channel of the trace (waits_unseen() names it).
 *
 * A wait lasts the whole call (entry to return): that is the time the
 * process could not go on.  Receives that found data waiting, sends that
 * blocked on a full channel, and calls the tracer does not record (see
 * waits_unseen()) are not waits here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"
#include "queue_sim.h"
#include "search.h"

static bool kind_stream_eof(const struct viz_object *o)
{
	return o->kind == IPCT_KIND_PIPE || o->kind == IPCT_KIND_FIFO ||
	       o->kind == IPCT_KIND_TCP || o->kind == IPCT_KIND_UNIX;
}

/* The user of O other than PID that exited last within [FROM, TO], or 0. */
static uint32_t closer_of(const struct viz_model *m, const struct viz_object *o,
			  uint32_t pid, uint64_t from, uint64_t to, uint64_t *when)
{
	uint32_t best = 0;

	for (size_t u = 0; u < o->nusers; u++) {
		const struct viz_process *p = viz_model_process(m, o->users[u]);
		if (!p || p->pid == pid || !p->exited || p->end_ns < from || p->end_ns > to)
			continue;
		if (!best || p->end_ns > *when) {
			best = p->pid;
			*when = p->end_ns;
		}
	}
	return best;
}

/* Fill W (set to the op) when receive op I waited; false if it did not. */
static bool classify(const struct viz_model *m, size_t i, uint32_t first_send,
		     struct wait *w)
{
	const struct viz_op *r = &m->ops[i];
	const struct viz_object *o = &m->objects[r->object];
	uint64_t begin = viz_op_begin(r);

	if (r->dir != IPCT_DIR_RECV || !viz_kind_waits(o->kind))
		return false;
	if (r->type != VIZ_OP_IO && r->type != VIZ_OP_MSG && r->type != VIZ_OP_SEM &&
	    !viz_op_sigwait(r))
		return false;
	if (r->type == VIZ_OP_IO && (r->flags & IPCT_IO_PEEK))
		return false;
	*w = (struct wait){ .op = (uint32_t)i, .call = UINT32_MAX, .syscall = r->syscall,
			    .pid = r->pid, .object = r->object,
			    .send = UINT32_MAX, .begin_ns = begin, .end_ns = r->ts_ns,
			    .wake_ns = begin };
	if (first_send != UINT32_MAX) {
		const struct viz_op *s = &m->ops[first_send];
		if (viz_op_begin(s) <= begin && r->type != VIZ_OP_SEM)
			return false;   /* the data was there (or on its way) already */
		w->why = WAIT_DATA;
		w->peer = s->pid;
		w->send = first_send;
		w->wake_ns = s->ts_ns < r->ts_ns ? s->ts_ns : r->ts_ns;
		if (w->wake_ns < begin)
			w->wake_ns = begin;
		return true;
	}
	if (r->ret == -EINTR) {
		w->why = WAIT_INTERRUPTED;
		return true;
	}
	if (r->ret == 0 && r->type == VIZ_OP_IO && kind_stream_eof(o)) {
		uint64_t when = 0;
		w->peer = closer_of(m, o, r->pid, begin, r->ts_ns, &when);
		if (!w->peer)
			return false;
		w->why = WAIT_EOF;
		w->wake_ns = when;
		return true;
	}
	return false;
}

static int cmp_wait(const void *a, const void *b)
{
	const struct wait *x = a, *y = b;

	return VIZ_ORDER(x->pid, y->pid) ?: VIZ_ORDER(x->end_ns, y->end_ns) ?:
	       VIZ_ORDER(x->op, y->op) ?: VIZ_ORDER(x->call, y->call);
}

/* Receive ops sorted by (object, pid, return time): the first receive a
 * process made on a channel after a wait returned. */
struct recv_index {
	uint32_t *ops;
	size_t n;
};

static int cmp_recv(const void *a, const void *b, void *arg)
{
	const struct viz_model *m = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	const struct viz_op *x = &m->ops[ia], *y = &m->ops[ib];

	return VIZ_ORDER(x->object, y->object) ?: VIZ_ORDER(x->pid, y->pid) ?:
	       VIZ_ORDER(x->ts_ns, y->ts_ns) ?: VIZ_ORDER(ia, ib);
}

static int recv_index_build(const struct viz_model *m, struct recv_index *ri)
{
	ri->n = 0;
	ri->ops = malloc((m->nops ? m->nops : 1) * sizeof(*ri->ops));
	if (!ri->ops)
		return -ENOMEM;
	for (size_t i = 0; i < m->nops && m->nwait_calls; i++)
		if (m->ops[i].dir == IPCT_DIR_RECV &&
		    (m->ops[i].type == VIZ_OP_IO || m->ops[i].type == VIZ_OP_MSG))
			ri->ops[ri->n++] = (uint32_t)i;
	qsort_r(ri->ops, ri->n, sizeof(*ri->ops), cmp_recv, (void *)m);
	return 0;
}

/* The first receive of PID on OBJECT that returned at TS or later, or
 * UINT32_MAX. */
static uint32_t recv_after(const struct viz_model *m, const struct recv_index *ri,
			   uint32_t object, uint32_t pid, uint64_t ts)
{
	size_t lo = 0, hi = ri->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct viz_op *x = &m->ops[ri->ops[mid]];

		if (x->object < object || (x->object == object && (x->pid < pid ||
		    (x->pid == pid && x->ts_ns < ts))))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ri->n && m->ops[ri->ops[lo]].object == object && m->ops[ri->ops[lo]].pid == pid)
		return ri->ops[lo];
	return UINT32_MAX;
}

/* Fill W when wait call CI returned with a channel ready; false if not. */
static bool classify_call(const struct viz_model *m, size_t ci, const struct recv_index *ri,
			  const uint32_t *first, struct wait *w)
{
	const struct viz_wait_call *c = &m->wait_calls[ci];
	uint64_t begin = c->ts_ns > c->duration_ns ? c->ts_ns - c->duration_ns : 0;
	const struct viz_object *o;
	uint32_t r;

	if (c->ret <= 0 || c->ready_object >= m->nobjects || !c->duration_ns)
		return false;
	o = &m->objects[c->ready_object];
	if (!viz_kind_waits(o->kind))
		return false;
	*w = (struct wait){ .op = UINT32_MAX, .call = (uint32_t)ci, .syscall = c->syscall,
			    .pid = c->pid, .object = c->ready_object, .send = UINT32_MAX,
			    .begin_ns = begin, .end_ns = c->ts_ns, .wake_ns = begin,
			    .why = WAIT_DATA };
	if (o->flags & VIZ_OBJ_STREAMED)
		return true;    /* kept by the stream: no receive came within the horizon */
	r = recv_after(m, ri, c->ready_object, c->pid, c->ts_ns);
	if (r == UINT32_MAX || m->ops[r].ts_ns - c->ts_ns > QSIM_HORIZON_NS)
		return true;
	if (first[r] != UINT32_MAX &&
	    m->ops[first[r]].ts_ns <= m->ops[r].ts_ns + QSIM_HORIZON_NS) {
		const struct viz_op *s = &m->ops[first[r]];

		if (s->ts_ns <= begin)
			return false;   /* the data was there when the wait began */
		w->peer = s->pid;
		w->send = first[r];
		w->wake_ns = s->ts_ns < c->ts_ns ? s->ts_ns : c->ts_ns;
		return true;
	}
	if (m->ops[r].ret == 0 && m->ops[r].type == VIZ_OP_IO && kind_stream_eof(o)) {
		uint64_t when = 0;

		w->peer = closer_of(m, o, c->pid, begin, c->ts_ns, &when);
		if (w->peer) {
			w->why = WAIT_EOF;
			w->wake_ns = when;
		}
	}
	return true;
}

static int cmp_group_key(const void *a, const void *b)
{
	const struct wait_group *x = a, *y = b;

	return VIZ_ORDER(x->pid, y->pid) ?: VIZ_ORDER(x->object, y->object) ?:
	       VIZ_ORDER(x->peer, y->peer) ?: VIZ_ORDER(x->syscall, y->syscall);
}

static int cmp_group_rank(const void *a, const void *b)
{
	const struct wait_group *x = a, *y = b;

	return VIZ_ORDER(x->pid, y->pid) ?: VIZ_ORDER(y->ns, x->ns) ?: cmp_group_key(a, b);
}

/* A streamed model's waits into G (stream_waits.c): its groups, and its
 * end-of-file reads during which another user of the channel exited (as
 * classify() decides them).  Returns how many. */
static size_t stream_groups(const struct viz_model *m, struct wait_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nstream_waits; i++)
		g[n++] = m->stream_waits[i];
	for (size_t i = 0; i < m->nstream_eofs; i++) {
		const struct viz_eof_read *e = &m->stream_eofs[i];
		uint64_t when = 0;
		uint32_t peer = closer_of(m, &m->objects[e->object], e->pid, e->begin_ns,
					  e->end_ns, &when);
		if (peer || e->from_wait)
			g[n++] = (struct wait_group){ e->pid, e->object, peer, e->syscall, 1,
						      e->end_ns - e->begin_ns };
	}
	return n;
}

/* Sum W->waits (and a streamed model's) into groups per (pid, channel,
 * peer) and the totals. */
static int group_waits(const struct viz_model *m, struct wait_table *w)
{
	size_t all = w->nwaits + m->nstream_waits + m->nstream_eofs;
	struct wait_group *g = malloc((all ? all : 1) * sizeof(*g));
	size_t n = 0;

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < w->nwaits; i++) {
		const struct wait *x = &w->waits[i];
		g[i] = (struct wait_group){ x->pid, x->object, x->peer, x->syscall, 1,
					    x->end_ns - x->begin_ns };
	}
	all = w->nwaits + stream_groups(m, g + w->nwaits);
	qsort(g, all, sizeof(*g), cmp_group_key);
	for (size_t i = 0; i < all; i++) {
		if (n && !cmp_group_key(&g[n - 1], &g[i])) {
			g[n - 1].count += g[i].count;
			g[n - 1].ns += g[i].ns;
		} else {
			g[n++] = g[i];
		}
	}
	qsort(g, n, sizeof(*g), cmp_group_rank);
	w->groups = g;
	w->ngroups = n;
	for (size_t i = 0; i < n; i++) {
		const struct viz_process *p = viz_model_process(m, g[i].pid);
		if (p)
			w->blocked_ns[p - m->processes] += g[i].ns;
		w->channel_ns[g[i].object] += g[i].ns;
	}
	return 0;
}

int waits_compute(const struct viz_model *m, struct wait_table *w)
{
	uint32_t *first = malloc((m->nops ? m->nops : 1) * sizeof(*first));
	struct recv_index ri = { NULL, 0 };
	int err = -ENOMEM;

	struct wait scratch;
	size_t n = 0;

	memset(w, 0, sizeof(*w));
	if (first && recv_index_build(m, &ri) == 0) {
		memset(first, 0xff, (m->nops ? m->nops : 1) * sizeof(*first));
		for (size_t i = 0; i < m->ntransfers; i++) {
			const struct viz_transfer *t = &m->transfers[i];
			if (t->send < first[t->recv])
				first[t->recv] = t->send;
		}
		for (size_t i = 0; i < m->nops; i++)
			n += classify(m, i, first[i], &scratch);
		for (size_t i = 0; i < m->nwait_calls; i++)
			n += classify_call(m, i, &ri, first, &scratch);
	}
	w->waits = malloc((n ? n : 1) * sizeof(*w->waits));
	w->blocked_ns = calloc(m->nprocesses ? m->nprocesses : 1, sizeof(*w->blocked_ns));
	w->channel_ns = calloc(m->nobjects ? m->nobjects : 1, sizeof(*w->channel_ns));
	if (!first || !ri.ops || !w->waits || !w->blocked_ns || !w->channel_ns)
		goto out;
	for (size_t i = 0; i < m->nops && w->nwaits < n; i++)
		if (classify(m, i, first[i], &w->waits[w->nwaits]))
			w->nwaits++;
	for (size_t i = 0; i < m->nwait_calls && w->nwaits < n; i++)
		if (classify_call(m, i, &ri, first, &w->waits[w->nwaits]))
			w->nwaits++;
	qsort(w->waits, w->nwaits, sizeof(*w->waits), cmp_wait);
	err = group_waits(m, w);
out:
	free(first);
	free(ri.ops);
	if (err)
		waits_release(w);
	return err;
}

void waits_release(struct wait_table *w)
{
	free(w->waits);
	free(w->groups);
	free(w->blocked_ns);
	free(w->channel_ns);
	memset(w, 0, sizeof(*w));
}

const char *const *waits_unseen(const struct viz_model *m)
{
	static const char *const unseen[] = {
		"poll", "select", "epoll_wait", "accept", "connect",
		"poll for a new connection", "wait4", "send on a full channel",
		"private futex", NULL,
	};

	/* a trace with waits recorded saw them all */
	return m->nwait_calls || m->stream_wait_calls ? unseen + 3 : unseen;
}
