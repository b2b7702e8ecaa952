/*
 * stream_sync - semaphores (SysV sets, process-shared futexes) matched
 * while the trace is read (stream.c), by the rule of match_semaphores()
 * (match_sync.c) and with its code: the Vs not used up are kept per
 * object, sorted by begin (struct sem_vs), and each P takes the last V
 * that began during its call.
 *
 * A V may return after the P it released (it wakes the P, then leaves its
 * call), so a P is matched only once the stream's time is QSIM_HORIZON_NS
 * (queue_sim.h, the horizon of the message kinds too) past its return: by
 * then every V that began during the P has come.  A
 * V that comes later and began before a matched P returned counts in
 * m->stream_late (the match may differ from the whole-history one).
 *
 * The Vs not used up are kept for SEM_KEEP_NS of stream time, and at most
 * PENDING_MAX per object; a P that began before one of the Vs given up
 * this way counts in m->stream_dropped (it might have been released by
 * it).  Each release feeds the flow, its latency and the sink as a
 * byte-stream transfer does (stream_transfer()), and its P waited for the
 * V's process, as waits.c says.
 */
#include <errno.h>
#include <stdlib.h>
#include "match_internal.h"
#include "stream_internal.h"

#define SEM_KEEP_NS 10000000000ull      /* 10 s */

/* Give up the oldest Vs: used up, older than SEM_KEEP_NS, or past
 * PENDING_MAX.  0 or -ENOMEM. */
static int vs_trim(struct send_pool *kept, struct kept_object *o, uint64_t now)
{
	struct sem_vs *q = &o->vs;

	while (q->n) {
		const struct sem_v *v = &q->v[q->head];
		if (v->left > 0 && v->begin + SEM_KEEP_NS >= now && q->n <= PENDING_MAX)
			break;
		if (v->left > 0 && v->begin + 1 > o->given_up)
			o->given_up = v->begin + 1;
		int err = send_pool_put(kept, v->ref);
		if (err)
			return err;
		q->head++;
		q->n--;
	}
	if (!q->n)
		q->head = 0;
	return 0;
}

/* ---- a P's releases ---- */

struct release {
	struct builder *b;
	struct chan *c;
	struct pend_p *p;
	const struct sem_v *first;     /* the first in time order: its wait's peer */
};

static int on_release(void *ctx, const struct sem_v *v)
{
	struct release *x = ctx;
	const struct sem_vs *q = &x->b->stream->objs[x->p->object].vs;
	struct pooled *kept = x->b->stream->kept.v;

	if (!x->first || v->order < x->first->order)
		x->first = v;
	/* the next Ps take the next Vs, kept since their own ops came by
	 * (a horizon ago, out of the cache): fetch those meanwhile */
	for (const struct sem_v *n = v + 1; n < v + 3 && n < q->v + q->head + q->n; n++) {
		__builtin_prefetch(&kept[n->ref]);
		__builtin_prefetch((const char *)&kept[n->ref] + 128);
	}
	return stream_transfer(x->b, x->c, &kept[v->ref].send, &x->p->r, 0);
}

/* Match P, the oldest pending one. */
static int resolve(struct builder *b, struct pend_p *p)
{
	struct kept_object *o = &b->stream->objs[p->object];
	struct chan *c = stream_chan_get(b->stream, 2 * (size_t)p->object);
	struct viz_op op = { .ts_ns = p->r.ts_ns, .duration_ns = p->r.ts_ns - p->r.begin_ns,
			     .pid = p->r.pid, .type = VIZ_OP_SEM, .u.sem = { 0, p->n } };
	struct release x = { b, c, p, NULL };
	int err;

	if (!c)
		return -ENOMEM;
	if (p->r.begin_ns < o->given_up)
		b->m->stream_dropped++;         /* a V it may have needed was given up */
	if (p->r.ts_ns > o->done_upto)
		o->done_upto = p->r.ts_ns;
	p->r.fed = true;                        /* its wait is told below */
	if ((err = sem_release_op(&o->vs, &op, p->e, on_release, &x)) || !x.first)
		return err;
	struct wait_group k = { .pid = p->r.pid, .object = p->object,
				.peer = b->stream->kept.v[x.first->ref].send.op.pid,
				.syscall = p->r.syscall };
	return stream_wait_add(b, &k, p->r.ts_ns - p->r.begin_ns);
}

int stream_sync_advance(struct builder *b, uint64_t now, bool all)
{
	struct ring *ps = &b->stream->sem_ps;
	int err;

	while (ps->n) {
		struct pend_p *p = ring_at(ps, 0);
		if (!all && p->r.ts_ns + QSIM_HORIZON_NS >= now && ps->n <= PENDING_MAX)
			break;
		if ((err = resolve(b, p)))
			return err;
		ring_pop(ps);
	}
	return 0;
}

/* ---- the ops ---- */

/* A semop that failed with EINTR waited for a signal (waits.c). */
static int interrupted(struct builder *b, const struct viz_op *op)
{
	struct wait_group k = { .pid = op->pid, .object = op->object, .syscall = op->syscall };

	if (op->dir != IPCT_DIR_RECV || op->ret != -EINTR)
		return 0;
	return stream_wait_add(b, &k, op->ts_ns - viz_op_begin(op));
}

int stream_sem_op(struct builder *b, const struct held *h)
{
	const struct viz_op *op = &h->op;
	const struct viz_semop *e = (const struct viz_semop *)h->data;
	struct stream_state *s = b->stream;
	struct kept_object *o = stream_kept_object(s, op->object);
	bool gives = false, takes = false;
	int err;

	if (!o)
		return -ENOMEM;
	if (op->ret != 0)
		return interrupted(b, op);
	s->sem_order++;
	for (uint32_t j = 0; j < op->u.sem.n; j++) {
		gives |= e[j].op > 0;
		takes |= e[j].op < 0;
	}
	if (gives && viz_op_begin(op) <= o->done_upto)
		b->m->stream_late++;    /* a P it may have released is matched */
	struct send_pool *kept = &s->kept;
	uint32_t slot = send_pool_take(kept, h, 1);
	if (slot == UINT32_MAX)
		return -ENOMEM;
	err = sem_vs_add_op(&o->vs, op, e, slot, s->sem_order);
	if (err < 0)
		return err;
	kept->v[slot].refs += (uint32_t)err;
	if ((err = send_pool_put(kept, slot)) || (err = vs_trim(kept, o, op->ts_ns)))
		return err;
	if (!takes)
		return 0;
	struct pend_p *p = ring_push(&s->sem_ps);
	if (!p)
		return -ENOMEM;
	*p = (struct pend_p){ .object = op->object, .n = (uint16_t)op->u.sem.n };
	p->r = (struct pend_recv){ .ts_ns = op->ts_ns, .seq = h->seq, .begin_ns = viz_op_begin(op),
				   .pid = op->pid, .tid = op->tid, .syscall = op->syscall };
	memcpy(p->e, e, op->u.sem.n * sizeof(*e));
	return 0;
}
