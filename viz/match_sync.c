/*
 * match_sync - the kinds that carry no bytes (docs/matching.md).
 *
 * Semaphores: for each semaphore (set, num), a successful semop with a
 * negative sem_op on it (a P) was released by a V (a positive sem_op on
 * the same num, by another process) that *began* while the P was inside
 * its call: between the P's entry and its return.  A P with no such V did
 * not wait for anyone (it found the value high enough) and is not a
 * transfer.  With several candidates the last one to begin wins (the one
 * that made the value sufficient); a V of +k releases at most k Ps.
 *
 * Signals: every delivery of signal S to process T is matched to the
 * earliest generation of S for T not matched yet that happened before it,
 * among those the kernel queued (result 0: not ignored, not already
 * pending, not dropped).  A delivery nothing explains counts in
 * unmatched_msgs.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "match_internal.h"
#include "model_build.h"
#include "search.h"

/* TRACE_SIGNAL_* results of signal_generate. */
#define SIGNAL_RESULT_QUEUED 0
#define SIGNAL_RESULT_IGNORED 1
#define SIGNAL_RESULT_ALREADY_PENDING 2
#define SIGNAL_RESULT_OVERFLOW 3
#define SIGNAL_RESULT_LOSE_INFO 4

/* ---- semaphores: the Vs not used up, sorted by (begin, order) ---- */

int sem_vs_add_op(struct sem_vs *q, const struct viz_op *op, const struct viz_semop *e,
		  uint32_t ref, uint64_t order)
{
	int added = 0;

	if (op->type != VIZ_OP_SEM || op->ret != 0)
		return 0;
	for (uint32_t j = 0; j < op->u.sem.n; j++) {
		if (e[j].op <= 0)
			continue;
		if (q->head && q->head + q->n == q->cap) {
			memmove(q->v, q->v + q->head, q->n * sizeof(*q->v));
			q->head = 0;
		}
		if (model_grow((void **)&q->v, &q->cap, q->head + q->n + 1, sizeof(*q->v)))
			return -ENOMEM;
		struct sem_v v = { viz_op_begin(op), order, ref, op->pid, e[j].num, e[j].op };
		/* ops come in time order, their begins nearly so: insert from the back */
		size_t i = q->head + q->n++;
		for (; i > q->head && (q->v[i - 1].begin > v.begin ||
				       (q->v[i - 1].begin == v.begin && q->v[i - 1].order > order)); i--)
			q->v[i] = q->v[i - 1];
		q->v[i] = v;
		added++;
	}
	return added;
}

/* The V releasing P's entry on NUM: of those that began while P was in its
 * call, the last to begin, from another process, with releases left. */
static struct sem_v *sem_release(struct sem_vs *q, const struct viz_op *p, uint16_t num)
{
	if (!q->n)
		return NULL;    /* no V yet: q->v may be NULL */
	const struct sem_v *v = q->v;
	uint64_t begin = viz_op_begin(p);
	size_t end = q->head + q->n, lo = q->head;

	/* Ps come in time order: the Vs before the last one's end began
	 * before this one's return too, unless the deque moved */
	if (q->hint > lo && q->hint <= end && v[q->hint - 1].begin <= p->ts_ns)
		lo = q->hint;
	size_t hi = VIZ_GALLOP(lo, end, i, v[i].begin <= p->ts_ns);

	q->hint = hi;
	for (size_t i = hi; i-- > q->head && q->v[i].begin >= begin;) {
		struct sem_v *c = &q->v[i];
		if (c->num != num || c->pid == p->pid || c->left <= 0)
			continue;
		c->left--;
		return c;
	}
	return NULL;
}

int sem_release_op(struct sem_vs *q, const struct viz_op *p, const struct viz_semop *e,
		   int (*fn)(void *ctx, const struct sem_v *v), void *ctx)
{
	int err = 0;

	if (p->type != VIZ_OP_SEM || p->ret != 0)
		return 0;
	for (uint32_t j = 0; j < p->u.sem.n && !err; j++) {
		struct sem_v *v = e[j].op < 0 ? sem_release(q, p, e[j].num) : NULL;
		if (v)
			err = fn(ctx, v);
	}
	return err;
}

struct sem_full {
	struct transfer_sink *t;
	uint32_t recv;
};

static int full_transfer(void *ctx, const struct sem_v *v)
{
	struct sem_full *f = ctx;

	return match_add_transfer(f->t, v->ref, f->recv, 0);
}

int match_semaphores(struct transfer_sink *t, struct viz_object *obj,
		     const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct sem_vs q = { 0 };
	int err = 0;

	for (size_t k = 0; k < n && err >= 0; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		if (op->type == VIZ_OP_SEM)
			err = sem_vs_add_op(&q, op, m->semops + op->u.sem.first, ops[k], k);
	}
	err = err < 0 ? err : 0;
	for (size_t k = 0; k < n && !err; k++) {
		const struct viz_op *p = &m->ops[ops[k]];
		struct sem_full f = { t, ops[k] };
		if (p->type == VIZ_OP_SEM)
			err = sem_release_op(&q, p, m->semops + p->u.sem.first, full_transfer, &f);
	}
	(void)obj;
	free(q.v);
	return err;
}

bool signal_group_exit(const struct viz_op *d)
{
	return d->type == VIZ_OP_SIG_DELIVER && d->u.sig.sig == SIGKILL && d->u.sig.code == 0 &&
	       d->u.sig.sender == 0;
}

/* The fatal signal of the target of OBJ, or 0, and in *DEATH the index in
 * OPS of the group-exit delivery that stands for it (the last one before
 * the exit), or -1 when the signal was delivered as itself (core dumps
 * are) or no such delivery was seen. */
static uint32_t fatal_signal(const struct viz_model *m, const struct viz_object *obj,
			     const uint32_t *ops, size_t n, long *death)
{
	const struct viz_process *p = viz_model_process(m, (uint32_t)obj->ino);
	uint32_t sig;

	*death = -1;
	if (!p || !p->exited || p->exit_status < 0 || !WIFSIGNALED(p->exit_status))
		return 0;
	sig = WTERMSIG(p->exit_status);
	for (size_t k = 0; k < n; k++) {
		const struct viz_op *d = &m->ops[ops[k]];

		if (d->type != VIZ_OP_SIG_DELIVER || d->ts_ns > p->end_ns)
			continue;
		if (signal_group_exit(d))
			*death = k;
		else if (d->u.sig.sig == sig && (d->flags & 0xff) == IPCT_SIGACT_DEFAULT)
			*death = -1;    /* delivered as itself, then the exit */
	}
	return sig;
}

bool signal_explains(const struct viz_op *g, const struct viz_op *d, uint32_t sig)
{
	if (g->type != VIZ_OP_SIG_GENERATE || g->u.sig.sig != sig)
		return false;
	if (d->ret == SIGNAL_RESULT_IGNORED)
		return g->ret == SIGNAL_RESULT_IGNORED;
	return g->ret == SIGNAL_RESULT_QUEUED || g->ret == SIGNAL_RESULT_LOSE_INFO;
}

uint8_t signal_undelivered_reason(const struct viz_op *g, bool exited)
{
	switch (g->ret) {
	case SIGNAL_RESULT_QUEUED:
	case SIGNAL_RESULT_LOSE_INFO:
		return exited ? VIZ_UNDELIVERED_AT_EXIT : VIZ_UNDELIVERED_PENDING;
	case SIGNAL_RESULT_ALREADY_PENDING:
		return VIZ_UNDELIVERED_MERGED;
	case SIGNAL_RESULT_OVERFLOW:
		return VIZ_UNDELIVERED_OVERFLOW;
	case SIGNAL_RESULT_IGNORED:     /* a receipt took it if the target ignores it */
		return VIZ_UNDELIVERED_EXITING;
	}
	return 0;
}

int signal_undelivered_add(struct viz_model *m, size_t *cap, const struct viz_op *g,
			   uint64_t order, uint8_t reason)
{
	if (model_grow((void **)&m->undelivered, cap, m->nundelivered + 1,
		       sizeof(*m->undelivered)))
		return -ENOMEM;
	m->undelivered[m->nundelivered++] = (struct viz_undelivered){ *g, order, reason };
	return 0;
}

/* List the generations of OBJ's signals that no delivery took. */
static int list_undelivered(struct transfer_sink *t, const struct viz_object *obj,
			    const uint32_t *ops, size_t n, const bool *used)
{
	struct viz_model *m = t->m;
	const struct viz_process *p = viz_model_process(m, (uint32_t)obj->ino);

	if (!p)
		return 0;       /* not a traced process: its deliveries are not seen */
	for (size_t k = 0; k < n; k++) {
		const struct viz_op *g = &m->ops[ops[k]];
		uint8_t reason = g->type == VIZ_OP_SIG_GENERATE && !used[k] ?
				 signal_undelivered_reason(g, p->exited) : 0;

		if (reason && signal_undelivered_add(m, &t->cap_undelivered, g, k, reason))
			return -ENOMEM;
	}
	return 0;
}

int match_signals(struct transfer_sink *t, struct viz_object *obj,
		  const uint32_t *ops, size_t n)
{
	struct viz_model *m = t->m;
	size_t next[65] = { 0 };   /* per signal: no candidate before this index */
	bool *used = calloc(n ? n : 1, sizeof(*used));
	long death;
	uint32_t fatal = fatal_signal(m, obj, ops, n, &death);
	int err = 0;

	if (!used)
		return -ENOMEM;
	for (size_t k = 0; k < n && !err; k++) {
		struct viz_op *d = &m->ops[ops[k]];
		uint32_t sig = d->u.sig.sig;

		if (d->type != VIZ_OP_SIG_DELIVER)
			continue;
		if (signal_group_exit(d)) {
			if ((long)k != death)
				continue;       /* a thread leaving with its group */
			d->u.sig.sig = sig = fatal;
		}
		if (sig > 64) {
			obj->unmatched_msgs++;
			continue;
		}
		/* Generations come before their delivery. */
		size_t i = next[sig];
		for (; i < k; i++)
			if (!used[i] && signal_explains(&m->ops[ops[i]], d, sig))
				break;
		if (i >= k) {
			obj->unmatched_msgs++;
			continue;
		}
		used[i] = true;
		/* past what is used or no generation of SIG */
		while (next[sig] < k && (used[next[sig]] ||
					 m->ops[ops[next[sig]]].type != VIZ_OP_SIG_GENERATE ||
					 m->ops[ops[next[sig]]].u.sig.sig != sig))
			next[sig]++;
		err = match_add_transfer(t, ops[i], ops[k], 0);
	}
	if (!err)
		err = list_undelivered(t, obj, ops, n, used);
	free(used);
	return err;
}
