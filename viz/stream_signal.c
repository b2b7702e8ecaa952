/*
 * stream_signal - signals matched while the trace is read (stream.c), by
 * the rules of match_signals() (match_sync.c: signal_explains(),
 * signal_group_exit(), signal_undelivered_reason()).
 *
 * Per target (object signal:PID) the stream keeps the generations no
 * delivery took yet, in time order; a delivery takes the earliest one
 * that explains it, as the whole-history matcher does, and feeds the flow
 * through stream_transfer().  A generation that can never be delivered
 * (merged with a pending one, real-time queue full) is listed as
 * undelivered at once, as a copy; those still waiting at the end are
 * listed then, with the reason the target's exit gives.  Past
 * SIG_PENDING_MAX waiting for one target, the oldest is given up
 * (m->stream_dropped).
 *
 * A group-exit delivery (SIGKILL without siginfo) stands for the fatal
 * signal only if it is the target's last one before its exit and no
 * delivery of that signal as itself came after it.  So such a delivery is
 * held back, with every later op of its target behind it (the sink, the
 * depth and the pairing see them in time order), until the stream is past
 * the target's exit, another group-exit delivery comes while the target
 * lives (the held one is then no death), or the trace ends.  Past
 * SIG_BEHIND_MAX ops behind it, it is taken as no death, counted in
 * m->stream_dropped.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "stream_internal.h"

#define SIG_PENDING_MAX 4096u
#define SIG_BEHIND_MAX 4096u

struct sig_gen {
	struct pend_send send;
	bool used;
};

struct sig_target {
	struct sig_gen *gens;          /* not taken yet, in time order (some used) */
	size_t ngens, cap_gens, nused;
	struct ring behind;            /* struct held: a group-exit delivery held
					  back, then the later ops of its target */
	bool listed;                   /* in s->sig_held */
};

static struct sig_target *target_of(struct stream_state *s, uint32_t object)
{
	struct kept_object *k = stream_kept_object(s, object);

	if (!k)
		return NULL;
	if (!k->sig) {
		k->sig = calloc(1, sizeof(*k->sig));
		if (k->sig)
			k->sig->behind.size = sizeof(struct held);
	}
	return k->sig;
}

/* The traced process PID, or NULL. */
static const struct viz_process *process_of(struct builder *b, uint32_t pid)
{
	long i = model_process_find(b, pid);

	return i < 0 ? NULL : &b->m->processes[i];
}

/* Drop the used generations of T, keeping the order of the others. */
static void gens_compact(struct sig_target *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->ngens; i++)
		if (!t->gens[i].used)
			t->gens[n++] = t->gens[i];
	t->ngens = n;
	t->nused = 0;
}

static int gen_add(struct builder *b, struct sig_target *t, const struct held *h)
{
	struct viz_model *m = b->m;

	if (t->ngens - t->nused >= SIG_PENDING_MAX) {
		for (size_t i = 0; i < t->ngens; i++) {
			if (!t->gens[i].used) {
				t->gens[i].used = true;   /* the oldest, given up */
				t->nused++;
				m->stream_dropped++;
				break;
			}
		}
	}
	if (t->nused * 2 > t->ngens)
		gens_compact(t);
	if (model_grow((void **)&t->gens, &t->cap_gens, t->ngens + 1, sizeof(*t->gens)))
		return -ENOMEM;
	struct sig_gen *g = &t->gens[t->ngens++];
	g->send = (struct pend_send){ .op = h->op, .seq = h->seq };
	g->used = false;
	return 0;
}

/* Delivery H (of signal SIG) of C's target takes the earliest generation
 * that explains it. */
static int deliver(struct builder *b, struct chan *c, struct sig_target *t,
		   const struct held *h, uint32_t sig)
{
	const struct viz_op *d = &h->op;
	struct viz_object *obj = &b->m->objects[d->object];
	size_t i = 0;

	while (i < t->ngens && (t->gens[i].used || !signal_explains(&t->gens[i].send.op, d, sig)))
		i++;
	if (sig > 64 || i >= t->ngens) {
		obj->unmatched_msgs++;
		return 0;
	}
	struct sig_gen *g = &t->gens[i];
	struct pend_recv r = { .ts_ns = d->ts_ns, .seq = h->seq, .begin_ns = viz_op_begin(d),
			       .pid = d->pid, .tid = d->tid, .syscall = d->syscall };
	int err = stream_poll_recv(b, d, &r);

	g->used = true;
	t->nused++;
	return err ? err : stream_transfer(b, c, &g->send, &r, 0);
}

int stream_signal_op(struct builder *b, struct chan *c, const struct held *h)
{
	struct stream_state *s = b->stream;
	const struct viz_op *op = &h->op;
	struct sig_target *t = target_of(s, op->object);
	uint8_t reason;

	if (!t)
		return -ENOMEM;
	if (op->type == VIZ_OP_SIG_GENERATE) {
		reason = signal_undelivered_reason(op, false);
		if (reason == VIZ_UNDELIVERED_MERGED || reason == VIZ_UNDELIVERED_OVERFLOW)
			return signal_undelivered_add(b->m, &s->cap_undelivered, op, h->seq, reason);
		return reason ? gen_add(b, t, h) : 0;
	}
	if (op->type != VIZ_OP_SIG_DELIVER)
		return 0;
	if (signal_group_exit(op) && !s->sig_death)
		return 0;       /* a thread leaving with its group */
	return deliver(b, c, t, h, op->u.sig.sig);
}

/* ---- group-exit deliveries held back ---- */

/* Is the stream at TS past P's exit (NULL: untraced, never)? */
static bool past_exit(const struct viz_process *p, uint64_t ts)
{
	return p && p->exited && p->end_ns && ts > p->end_ns;
}

/* Is H, the group-exit delivery held first in T->behind, the death of its
 * target P (NULL: untraced)?  *FATAL: the signal it stands for. */
static bool is_death(const struct sig_target *t, const struct viz_process *p,
		     uint32_t *fatal)
{
	if (!p || !p->exited || p->exit_status < 0 || !WIFSIGNALED(p->exit_status))
		return false;
	*fatal = WTERMSIG(p->exit_status);
	if (((const struct held *)ring_at(&t->behind, 0))->op.ts_ns > p->end_ns)
		return false;
	for (size_t i = 1; i < t->behind.n; i++) {
		const struct viz_op *d = &((const struct held *)ring_at(&t->behind, i))->op;

		if (d->type != VIZ_OP_SIG_DELIVER || d->ts_ns > p->end_ns)
			continue;
		if (signal_group_exit(d) ||
		    (d->u.sig.sig == *fatal && (d->flags & 0xff) == IPCT_SIGACT_DEFAULT))
			return false;   /* a later one, or the signal delivered as itself */
	}
	return true;
}

static int hold(struct builder *b, struct sig_target *t, const struct held *h);

/* Hold H back behind T's held delivery, or take it now.  0 or -errno. */
static int hold_or_take(struct builder *b, struct sig_target *t, const struct held *h)
{
	int held = hold(b, t, h);

	return held < 0 ? held : held ? 0 : stream_take(b, h);
}

/* Decide T's held delivery (DEATH_KNOWN: as its target's exit says, else
 * as no death), take it and replay the ops behind it. */
static int release(struct builder *b, struct sig_target *t, bool death_known)
{
	struct stream_state *s = b->stream;
	struct ring rest = t->behind;
	struct held d = *(const struct held *)ring_at(&rest, 0);
	uint32_t fatal = 0;
	int err;

	if (death_known && is_death(t, process_of(b, d.op.u.sig.target), &fatal)) {
		d.op.u.sig.sig = fatal;
		s->sig_death = true;
	}
	t->behind = (struct ring){ .size = sizeof(struct held) };
	err = stream_take(b, &d);
	s->sig_death = false;
	for (size_t i = 1; i < rest.n && !err; i++)
		err = hold_or_take(b, t, ring_at(&rest, i));
	free(rest.v);
	return err;
}

/* Hold H back if it is a group-exit delivery that may stand for its
 * target's death, or comes behind one: 1 held, 0 to take now, -errno. */
static int hold(struct builder *b, struct sig_target *t, const struct held *h)
{
	struct stream_state *s = b->stream;
	const struct viz_op *op = &h->op;
	bool marker = signal_group_exit(op);
	int err;

	if (marker)     /* one after the target's exit is none */
		marker = !past_exit(process_of(b, op->u.sig.target), op->ts_ns);
	if (t->behind.n && marker && (err = release(b, t, false)))
		return err;     /* a later one before the exit: the held one was no death */
	if (!t->behind.n && !marker)
		return 0;
	struct held *slot = ring_push(&t->behind);
	if (!slot)
		return -ENOMEM;
	*slot = *h;
	if (t->behind.n == 1 && !t->listed) {
		t->listed = true;
		if (model_grow((void **)&s->sig_held, &s->cap_sig_held, s->nsig_held + 1,
			       sizeof(*s->sig_held)))
			return -ENOMEM;
		s->sig_held[s->nsig_held++] = op->object;
	} else if (t->behind.n > SIG_BEHIND_MAX) {
		b->m->stream_dropped++;
		return release(b, t, false);
	}
	return 1;
}

int stream_signal_take(struct builder *b, const struct held *h)
{
	if (b->m->objects[h->op.object].kind != IPCT_KIND_SIGNAL)
		return stream_take(b, h);
	struct sig_target *t = target_of(b->stream, h->op.object);

	return t ? hold_or_take(b, t, h) : -ENOMEM;
}

int stream_signal_settle(struct builder *b, uint64_t now, bool all)
{
	struct stream_state *s = b->stream;
	int err = 0;

	for (size_t i = 0; i < s->nsig_held && !err;) {
		uint32_t object = s->sig_held[i];
		struct sig_target *t = s->objs[object].sig;

		if (!t->behind.n) {
			t->listed = false;
			s->sig_held[i] = s->sig_held[--s->nsig_held];
		} else if (all || past_exit(process_of(b, (uint32_t)b->m->objects[object].ino), now)) {
			err = release(b, t, true);      /* it may hold again */
		} else {
			i++;
		}
	}
	return err;
}

/* ---- the end ---- */

static int cmp_undelivered(const void *a, const void *b)
{
	const struct viz_undelivered *x = a, *y = b;

	if (x->gen.object != y->gen.object)
		return x->gen.object < y->gen.object ? -1 : 1;
	if (x->gen.ts_ns != y->gen.ts_ns)
		return x->gen.ts_ns < y->gen.ts_ns ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

int stream_signal_finish(struct builder *b)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	size_t n = 0;
	int err = stream_signal_settle(b, 0, true);

	for (size_t o = 0; o < s->cap_objs && !err; o++) {
		struct sig_target *t = s->objs[o].sig;

		if (!t)         /* not a signal: O may be past m->nobjects */
			continue;
		const struct viz_process *p = process_of(b, (uint32_t)m->objects[o].ino);
		for (size_t i = 0; i < t->ngens && !err; i++) {
			const struct viz_op *g = &t->gens[i].send.op;
			if (!t->gens[i].used)
				err = signal_undelivered_add(m, &s->cap_undelivered, g,
							     t->gens[i].send.seq,
							     signal_undelivered_reason(g, p && p->exited));
		}
	}
	/* only a traced target's, as the whole-history matcher lists them */
	for (size_t i = 0; i < m->nundelivered && !err; i++)
		if (process_of(b, m->undelivered[i].gen.u.sig.target))
			m->undelivered[n++] = m->undelivered[i];
	m->nundelivered = n;
	if (n)
		qsort(m->undelivered, n, sizeof(*m->undelivered), cmp_undelivered);
	return err;
}

void stream_signal_free(struct kept_object *k)
{
	if (!k->sig)
		return;
	free(k->sig->gens);
	free(k->sig->behind.v);
	free(k->sig);
}
