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
#include <stdlib.h>
#include "match_internal.h"

/* One V: a positive sem_op of a semop call. */
struct sem_v {
	uint64_t begin;
	uint32_t op;            /* op index */
	uint32_t pid;
	uint16_t num;
	int32_t left;           /* releases it may still explain */
};

static int cmp_sem_v(const void *a, const void *b)
{
	const struct sem_v *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	return x->op < y->op ? -1 : x->op > y->op;
}

/* First V in V[0..N) (sorted by num, begin) with (num, begin) >= (NUM, BEGIN). */
static size_t sem_lower_bound(const struct sem_v *v, size_t n, uint16_t num, uint64_t begin)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].num < num || (v[mid].num == num && v[mid].begin < begin))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int match_semaphores(struct transfer_sink *t, struct viz_object *obj,
		     const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct sem_v *v;
	size_t nv = 0, cap = 0;
	int err = 0;

	for (size_t k = 0; k < n; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		if (op->type == VIZ_OP_SEM && op->ret == 0)
			for (uint32_t j = 0; j < op->u.sem.n; j++)
				cap += m->semops[op->u.sem.first + j].op > 0;
	}
	v = malloc((cap ? cap : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		if (op->type != VIZ_OP_SEM || op->ret != 0)
			continue;
		for (uint32_t j = 0; j < op->u.sem.n; j++) {
			const struct viz_semop *s = &m->semops[op->u.sem.first + j];
			if (s->op > 0)
				v[nv++] = (struct sem_v){ viz_op_begin(op), ops[k], op->pid,
							  s->num, s->op };
		}
	}
	qsort(v, nv, sizeof(*v), cmp_sem_v);

	for (size_t k = 0; k < n && !err; k++) {
		const struct viz_op *p = &m->ops[ops[k]];
		if (p->type != VIZ_OP_SEM || p->ret != 0)
			continue;
		for (uint32_t j = 0; j < p->u.sem.n && !err; j++) {
			const struct viz_semop *s = &m->semops[p->u.sem.first + j];
			if (s->op >= 0)
				continue;
			size_t lo = sem_lower_bound(v, nv, s->num, viz_op_begin(p));
			size_t hi = sem_lower_bound(v, nv, s->num, p->ts_ns + 1);
			for (size_t i = hi; i-- > lo;) {
				if (v[i].pid == p->pid || v[i].left <= 0)
					continue;
				v[i].left--;
				err = match_add_transfer(t, v[i].op, ops[k], 0);
				break;
			}
		}
	}
	(void)obj;
	free(v);
	return err;
}

int match_signals(struct transfer_sink *t, struct viz_object *obj,
		  const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	size_t next[65] = { 0 };   /* per signal: first generation not matched */
	int err = 0;

	for (size_t k = 0; k < n && !err; k++) {
		const struct viz_op *d = &m->ops[ops[k]];
		uint32_t sig = d->u.sig.sig;

		if (d->type != VIZ_OP_SIG_DELIVER)
			continue;
		if (sig > 64) {
			obj->unmatched_msgs++;
			continue;
		}
		/* Generations come before their delivery: scan from the last
		 * match of this signal up to the delivery itself. */
		size_t i = next[sig];
		for (; i < k; i++) {
			const struct viz_op *g = &m->ops[ops[i]];
			if (g->type == VIZ_OP_SIG_GENERATE && g->u.sig.sig == sig &&
			    g->ret == 0)
				break;
		}
		if (i >= k) {
			/* [next, k) holds no candidate: later deliveries start at k */
			next[sig] = k;
			obj->unmatched_msgs++;
			continue;
		}
		next[sig] = i + 1;
		err = match_add_transfer(t, ops[i], ops[k], 0);
	}
	return err;
}
