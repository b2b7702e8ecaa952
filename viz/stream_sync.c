/*
 * stream_sync - semaphores (SysV sets, process-shared futexes) matched
 * while the trace is read (stream.c), by the rule of match_semaphores()
 * (match_sync.c) and with its code: the Vs not used up are kept per
 * object, sorted by begin (struct sem_vs), and each P takes the last V
 * that began during its call.
 *
 * A V may return after the P it released (it wakes the P, then leaves its
 * call), so a P is matched only once the stream's time is SEM_HORIZON_NS
 * past its return: by then every V that began during the P has come.  A
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

#define SEM_HORIZON_NS 100000000ull     /* 100 ms */
#define SEM_KEEP_NS 10000000000ull      /* 10 s */

/* A V op: what the flow, its sample and the sink see of it. */
struct v_slot {
	struct pend_send send;
	uint32_t entries;              /* its entries still in a sem_vs; 0: free */
};

/* A P waiting for SEM_HORIZON_NS of stream time to be matched. */
struct pend_p {
	struct pend_recv r;
	uint32_t object;
	uint16_t n;
	struct viz_semop e[IPCT_SEMOPS_MAX];
};

struct sem_obj {
	struct sem_vs vs;
	uint64_t resolved_upto;        /* the latest return of a matched P */
	uint64_t given_up;             /* the latest begin of a V given up with releases left, + 1 */
};

struct stream_sync {
	struct sem_obj *objs;          /* per object */
	size_t cap_objs;
	struct v_slot *slots;
	size_t nslots, cap_slots;
	uint32_t *free_slots;
	size_t nfree, cap_free;
	struct pend_p *ps;             /* a ring, in time order */
	size_t phead, np, cap_ps;
	uint64_t order;                /* semaphore ops taken */
};

static struct stream_sync *sync_get(struct stream_state *s)
{
	if (!s->sync)
		s->sync = calloc(1, sizeof(*s->sync));
	return s->sync;
}

static struct sem_obj *obj_get(struct stream_sync *y, uint32_t object)
{
	if (stream_grow_zero((void **)&y->objs, &y->cap_objs, (size_t)object + 1,
			     sizeof(*y->objs)))
		return NULL;
	return &y->objs[object];
}

/* A free slot for V op H, or UINT32_MAX when out of memory. */
static uint32_t slot_take(struct stream_sync *y, const struct held *h)
{
	uint32_t i;

	if (y->nfree) {
		i = y->free_slots[--y->nfree];
	} else {
		if (y->nslots >= UINT32_MAX - 1 ||
		    model_grow((void **)&y->slots, &y->cap_slots, y->nslots + 1, sizeof(*y->slots)))
			return UINT32_MAX;
		i = (uint32_t)y->nslots++;
	}
	y->slots[i].send = (struct pend_send){ .op = h->op, .seq = h->seq };
	y->slots[i].entries = 0;
	return i;
}

static int slot_put(struct stream_sync *y, uint32_t i)
{
	if (--y->slots[i].entries)
		return 0;
	if (model_grow((void **)&y->free_slots, &y->cap_free, y->nfree + 1,
		       sizeof(*y->free_slots)))
		return -ENOMEM;
	y->free_slots[y->nfree++] = i;
	return 0;
}

/* Give up the oldest Vs: used up, older than SEM_KEEP_NS, or past
 * PENDING_MAX.  0 or -ENOMEM. */
static int vs_trim(struct stream_sync *y, struct sem_obj *o, uint64_t now)
{
	struct sem_vs *q = &o->vs;

	while (q->n) {
		const struct sem_v *v = &q->v[q->head];
		if (v->left > 0 && v->begin + SEM_KEEP_NS >= now && q->n <= PENDING_MAX)
			break;
		if (v->left > 0 && v->begin + 1 > o->given_up)
			o->given_up = v->begin + 1;
		int err = slot_put(y, v->ref);
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
	struct stream_sync *y = x->b->stream->sync;

	if (!x->first || v->order < x->first->order)
		x->first = v;
	return stream_transfer(x->b, x->c, &y->slots[v->ref].send, &x->p->r, 0);
}

/* Match P, the oldest pending one. */
static int resolve(struct builder *b, struct pend_p *p)
{
	struct stream_sync *y = b->stream->sync;
	struct sem_obj *o = &y->objs[p->object];
	struct chan *c = stream_chan_get(b->stream, 2 * (size_t)p->object);
	struct viz_op op = { .ts_ns = p->r.ts_ns, .duration_ns = p->r.ts_ns - p->r.begin_ns,
			     .pid = p->r.pid, .type = VIZ_OP_SEM, .u.sem = { 0, p->n } };
	struct release x = { b, c, p, NULL };
	int err;

	if (!c)
		return -ENOMEM;
	if (p->r.begin_ns < o->given_up)
		b->m->stream_dropped++;         /* a V it may have needed was given up */
	if (p->r.ts_ns > o->resolved_upto)
		o->resolved_upto = p->r.ts_ns;
	p->r.fed = true;                        /* its wait is told below */
	if ((err = sem_release_op(&o->vs, &op, p->e, on_release, &x)) || !x.first)
		return err;
	struct wait_group k = { .pid = p->r.pid, .object = p->object,
				.peer = y->slots[x.first->ref].send.op.pid,
				.syscall = p->r.syscall };
	return stream_wait_add(b, &k, p->r.ts_ns - p->r.begin_ns);
}

int stream_sync_advance(struct builder *b, uint64_t now, bool all)
{
	struct stream_sync *y = b->stream->sync;
	int err;

	while (y && y->np) {
		struct pend_p *p = &y->ps[y->phead];
		if (!all && p->r.ts_ns + SEM_HORIZON_NS >= now && y->np <= PENDING_MAX)
			break;
		if ((err = resolve(b, p)))
			return err;
		y->phead = (y->phead + 1) % y->cap_ps;
		y->np--;
	}
	return 0;
}

static struct pend_p *p_push(struct stream_sync *y)
{
	if (y->np == y->cap_ps) {
		size_t ncap = y->cap_ps ? 2 * y->cap_ps : 64;
		struct pend_p *v = malloc(ncap * sizeof(*v));
		if (!v)
			return NULL;
		for (size_t i = 0; i < y->np; i++)
			v[i] = y->ps[(y->phead + i) % y->cap_ps];
		free(y->ps);
		y->ps = v;
		y->phead = 0;
		y->cap_ps = ncap;
	}
	return &y->ps[(y->phead + y->np++) % y->cap_ps];
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
	struct stream_sync *y = sync_get(b->stream);
	struct sem_obj *o = y ? obj_get(y, op->object) : NULL;
	bool takes = false;
	int err;



	if (!o)
		return -ENOMEM;
	if (op->ret != 0)
		return interrupted(b, op);
	y->order++;
	bool gives = false;
	for (uint32_t j = 0; j < op->u.sem.n; j++) {
		gives |= e[j].op > 0;
		takes |= e[j].op < 0;
	}
	if (gives && viz_op_begin(op) <= o->resolved_upto)
		b->m->stream_late++;    /* a P it may have released is matched */
	uint32_t slot = slot_take(y, h);
	if (slot == UINT32_MAX)
		return -ENOMEM;
	err = sem_vs_add_op(&o->vs, op, e, slot, y->order);
	if (err < 0)
		return err;
	y->slots[slot].entries = (uint32_t)err + 1;
	if ((err = slot_put(y, slot)) || (err = vs_trim(y, o, op->ts_ns)))
		return err;
	if (!takes)
		return 0;
	struct pend_p *p = p_push(y);
	if (!p)
		return -ENOMEM;
	*p = (struct pend_p){ .object = op->object, .n = (uint16_t)op->u.sem.n };
	p->r = (struct pend_recv){ .ts_ns = op->ts_ns, .seq = h->seq, .begin_ns = viz_op_begin(op),
				   .pid = op->pid, .tid = op->tid, .syscall = op->syscall };
	memcpy(p->e, e, op->u.sem.n * sizeof(*e));
	return 0;
}

void stream_sync_free(struct stream_sync *y)
{
	if (!y)
		return;
	for (size_t i = 0; i < y->cap_objs; i++)
		free(y->objs[i].vs.v);
	free(y->objs);
	free(y->slots);
	free(y->free_slots);
	free(y->ps);
	free(y);
}
