/*
 * queue_sim - the simulated message queue (queue_sim.h), with the rules of
 * docs/matching.md.  A receive, at its return, may take any queued send
 * that had *begun* by then; among those it takes the one the kernel
 * would give:
 *   datagrams   the first, but a later one among the next QSIM_LOOKAHEAD
 *               whose length (and payload sample) equals what the receive
 *               got wins, so a datagram dropped by the kernel does not
 *               shift every later match;
 *   SysV msgq   match_msg_select()'s rules: msgtyp 0, > 0, < 0, MSG_EXCEPT,
 *               the received type (rtype) first when the trace has it,
 *               found through per-type groups, not by scanning the queue;
 *   POSIX mq    the received priority when recorded, else the highest,
 *               first in queue order within it (the same groups);
 *   eventfd     a counter: each write adds its 8-byte value, a read takes
 *               the counter (or 1 of it, EFD_SEMAPHORE): the writes, in
 *               order, whose values make up what the read returned.
 * Each rule also says when its choice is final (a later send cannot
 * change it), so a receive is decided as soon as that holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"
#include "queue_sim.h"

#ifndef MSG_EXCEPT
#define MSG_EXCEPT 020000
#endif

/* ---- the ring ---- */

/* The capacity is a power of two: the index wraps by a mask. */
void *ring_at(const struct ring *q, size_t i)
{
	return q->v + ((q->head + i) & (q->cap - 1)) * q->size;
}

void *ring_push(struct ring *q)
{
	if (q->n == q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 16;
		char *nv = malloc(ncap * q->size);
		if (!nv)
			return NULL;
		for (size_t i = 0; i < q->n; i++)
			memcpy(nv + i * q->size, ring_at(q, i), q->size);
		free(q->v);
		q->v = nv;
		q->head = 0;
		q->cap = ncap;
	}
	q->n++;
	return ring_at(q, q->n - 1);
}

void ring_pop(struct ring *q)
{
	q->head = (q->head + 1) & (q->cap - 1);
	q->n--;
}

/* ---- the sends, by queue position ---- */

/* The sends of one key in queue order; [cur, n) may still be queued. */
struct qsim_group {
	int64_t key;
	uint64_t *pos;
	size_t cur, n, cap;
};

static struct qsim_send *send_at(const struct qsim *q, uint64_t pos)
{
	return ring_at(&q->sends, pos - q->base);
}

static bool gone(const struct qsim *q, uint64_t pos)
{
	return pos < q->base || send_at(q, pos)->taken;
}

/* The first group whose key is >= KEY. */
static size_t group_lower(struct qsim *q, int64_t key)
{
	size_t lo = 0, hi = q->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		q->steps++;
		if (q->groups[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long group_find(struct qsim *q, int64_t key)
{
	size_t g = group_lower(q, key);

	return g < q->ngroups && q->groups[g].key == key ? (long)g : -1;
}

/* Skip the gone sends at GI's cursor; drop the group when none is left. */
static void group_trim(struct qsim *q, size_t gi)
{
	struct qsim_group *g = &q->groups[gi];

	while (g->cur < g->n && gone(q, g->pos[g->cur])) {
		q->steps++;
		g->cur++;
	}
	if (g->cur == g->n) {
		free(g->pos);
		memmove(g, g + 1, (q->ngroups - gi - 1) * sizeof(*g));
		q->ngroups--;
	} else if (g->cur >= 32 && g->cur * 2 >= g->n) {
		memmove(g->pos, g->pos + g->cur, (g->n - g->cur) * sizeof(*g->pos));
		g->n -= g->cur;
		g->cur = 0;
	}
}

static int group_add(struct qsim *q, int64_t key, uint64_t pos)
{
	size_t gi = group_lower(q, key);

	if (gi == q->ngroups || q->groups[gi].key != key) {
		if (model_grow((void **)&q->groups, &q->cap_groups, q->ngroups + 1,
			       sizeof(*q->groups)))
			return -ENOMEM;
		memmove(q->groups + gi + 1, q->groups + gi,
			(q->ngroups - gi) * sizeof(*q->groups));
		q->groups[gi] = (struct qsim_group){ .key = key };
		q->ngroups++;
	}
	struct qsim_group *g = &q->groups[gi];
	if (model_grow((void **)&g->pos, &g->cap, g->n + 1, sizeof(*g->pos)))
		return -ENOMEM;
	g->pos[g->n++] = pos;
	return 0;
}

/* Take the send at POS out of the queue. */
static void take(struct qsim *q, uint64_t pos)
{
	struct qsim_send *s = send_at(q, pos);

	s->taken = true;
	if (q->kind == QSIM_MSGQ) {
		long gi = group_find(q, s->key);
		if (gi >= 0)
			group_trim(q, (size_t)gi);
	}
	while (q->sends.n && ((struct qsim_send *)ring_at(&q->sends, 0))->taken) {
		ring_pop(&q->sends);
		q->base++;
	}
}

/* ---- choosing a send ---- */

/* The first send of group GI not taken that had begun by END, or -1. */
static long group_first(struct qsim *q, long gi, uint64_t end)
{
	if (gi < 0)
		return -1;
	const struct qsim_group *g = &q->groups[gi];

	for (size_t i = g->cur; i < g->n; i++) {
		q->steps++;
		if (!gone(q, g->pos[i]) && send_at(q, g->pos[i])->begin_ns <= end)
			return (long)g->pos[i];
	}
	return -1;
}

/* The earliest in queue order of the groups' first sends, but for the
 * group of key SKIP (when SKIP_ON), or -1. */
static long groups_earliest(struct qsim *q, bool skip_on, int64_t skip, uint64_t end)
{
	long best = -1;

	for (size_t gi = 0; gi < q->ngroups; gi++) {
		if (skip_on && q->groups[gi].key == skip)
			continue;
		long p = group_first(q, (long)gi, end);
		if (p >= 0 && (best < 0 || p < best))
			best = p;
	}
	return best;
}

/* The send a SysV msgrcv R takes (match_msg_select's rules), or -1;
 * *FINAL when no later send can change that. */
static long sysv_select(struct qsim *q, const struct qsim_recv *r, bool *final)
{
	uint64_t end = r->ts_ns;
	long p = -1;

	if (r->rtype > 0 && (p = group_first(q, group_find(q, r->rtype), end)) >= 0) {
		*final = true;
		return p;
	}
	*final = r->rtype <= 0;         /* a later send of rtype would win */
	if (r->msgtyp == 0) {
		for (uint64_t i = q->base; i < q->base + q->sends.n; i++) {
			q->steps++;
			if (!gone(q, i) && send_at(q, i)->begin_ns <= end)
				return (long)i;
		}
		p = -1;
	} else if (r->msgtyp > 0) {
		p = (r->flags & MSG_EXCEPT) ? groups_earliest(q, true, r->msgtyp, end) :
		    group_first(q, group_find(q, r->msgtyp), end);
	} else {
		for (size_t gi = 0; gi < q->ngroups && q->groups[gi].key <= -r->msgtyp; gi++)
			if ((p = group_first(q, (long)gi, end)) >= 0) {
				/* a later send of a lower type would win */
				*final &= q->groups[gi].key <= 1;
				return p;
			}
	}
	if (p < 0)
		*final = false;
	return p;
}

/* The send a POSIX mq_timedreceive R takes: the received priority when
 * recorded (not 0), else the highest; first in queue order within it. */
static long posix_select(struct qsim *q, const struct qsim_recv *r, bool *final)
{
	long p;

	*final = false;         /* a later send of a higher priority would win */
	if (r->prio && (p = group_first(q, group_find(q, r->prio), r->ts_ns)) >= 0) {
		*final = true;
		return p;
	}
	for (size_t gi = q->ngroups; gi-- > 0;)
		if ((p = group_first(q, (long)gi, r->ts_ns)) >= 0)
			return p;
	return -1;
}

/* The datagram R takes: the first queued one, unless one of the next
 * QSIM_LOOKAHEAD has its length and sample. */
static long dgram_select(struct qsim *q, const struct qsim_recv *r, bool *final)
{
	long pick = -1;
	size_t seen = 0;

	*final = false;
	for (uint64_t i = q->base; i < q->base + q->sends.n; i++) {
		const struct qsim_send *s = send_at(q, i);
		if (s->taken)
			continue;
		if (s->begin_ns > r->ts_ns) {
			*final = true;          /* not sent yet: the look stops here */
			break;
		}
		if (s->ret == r->ret && q->calls->same(q->ctx, s, r)) {
			*final = true;
			return (long)i;
		}
		if (seen++ == 0 && r->ret > 0)
			pick = (long)i;         /* the head, if nothing fits better */
		if (seen == QSIM_LOOKAHEAD) {
			*final = true;
			break;
		}
	}
	return pick;
}

/* The eventfd read R: walk the writes it takes (only when COMMIT: the
 * transfers and the counter's state).  *FINAL when the walk ended before
 * the known writes did.  0 or -errno. */
static int eventfd_walk(struct qsim *q, void *r_elem, bool commit, bool *final)
{
	const struct qsim_recv *r = r_elem;
	bool created = q->efd_flags & VIZ_OBJ_EFD_CREATED;
	bool sem = q->efd_flags & VIZ_OBJ_EFD_SEMAPHORE;
	/* what the read took from the counter: 1 with EFD_SEMAPHORE, else
	 * everything pending (0); without the creation recorded, the value
	 * read says (0 when not kept: take all) */
	uint64_t want = created ? (sem ? 1 : 0) : r->value, left = q->head_left;
	bool any = false;
	int err = 0;

	*final = false;
	for (size_t i = 0; i < q->sends.n && !err; i++) {
		struct qsim_send *s = ring_at(&q->sends, commit ? 0 : i);

		if (s->begin_ns > r->ts_ns) {
			*final = true;          /* not written yet */
			break;
		}
		if (!left)
			left = s->value;
		if (!left && sem)
			left = 1;               /* value not kept: one read's worth */
		if (commit)
			err = q->calls->transfer(q->ctx, s, r_elem, (uint64_t)r->ret);
		any = true;
		if (want && left > want) {
			left -= want;           /* the rest stays in the counter */
			*final = true;
			break;
		}
		want -= want ? left : 0;
		left = 0;
		if (commit) {
			take(q, q->base);
			i--;
		}
		if (!want && (sem || (!created && r->value))) {
			*final = true;
			break;
		}
	}
	if (commit) {
		q->head_left = left;
		if (!any && !err)
			err = q->calls->none(q->ctx, r_elem, true);
	}
	return err;
}

/* Decide the first pending receive if its choice is final or FORCE:
 * *DONE says whether it was.  0 or -errno. */
static int decide(struct qsim *q, bool force, bool *done)
{
	void *elem = ring_at(&q->recvs, 0);
	const struct qsim_recv *r = elem;
	bool final = false;
	long pick;

	q->steps++;
	if (q->kind == QSIM_EVENTFD) {
		int err = eventfd_walk(q, elem, false, &final);
		*done = final || force;
		return err || !*done ? err : eventfd_walk(q, elem, true, &final);
	}
	if (q->kind == QSIM_DGRAM)
		pick = dgram_select(q, r, &final);
	else
		pick = r->posix ? posix_select(q, r, &final) : sysv_select(q, r, &final);
	*done = final || force;
	if (!*done)
		return 0;
	if (pick < 0)   /* a 0-byte datagram read that nothing sent: end-of-file */
		return q->calls->none(q->ctx, elem, q->kind == QSIM_MSGQ || r->ret > 0);
	int err = q->calls->transfer(q->ctx, send_at(q, (uint64_t)pick), elem,
				     r->ret > 0 ? (uint64_t)r->ret : 0);
	take(q, (uint64_t)pick);
	return err;
}

/* Decide the pending receives in order, as far as they are final, and
 * every one that returned more than the horizon before NOW (ALL: every
 * one).  0 or -errno. */
static int settle(struct qsim *q, uint64_t now, bool all)
{
	while (q->recvs.n) {
		const struct qsim_recv *r = ring_at(&q->recvs, 0);
		bool force = all || now > r->ts_ns + QSIM_HORIZON_NS ||
			     q->recvs.n > QSIM_PENDING_MAX;
		bool done;
		int err;

		if (!force && !q->fresh)
			return 0;
		if ((err = decide(q, force, &done)))
			return err;
		if (!done) {
			q->fresh = false;
			return 0;
		}
		ring_pop(&q->recvs);
		q->fresh = true;
	}
	return 0;
}

/* ---- the ops ---- */

void qsim_init(struct qsim *q, enum qsim_kind kind, size_t send_size, size_t recv_size,
	       const struct qsim_calls *calls, void *ctx)
{
	*q = (struct qsim){ .kind = kind, .calls = calls, .ctx = ctx };
	q->sends.size = send_size;
	q->recvs.size = recv_size;
}

bool qsim_takes(const struct qsim *q, const struct viz_op *op)
{
	if (op->ret < 0)
		return false;
	if (op->dir == IPCT_DIR_SEND)
		return true;
	if (op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK))
		return false;   /* a peek takes nothing */
	return q->kind != QSIM_EVENTFD || op->ret > 0;
}

/* The 8-byte counter value of eventfd op OP (payload DATA), or 0 when
 * the trace did not keep it (-s below 8). */
static uint64_t counter_value(const struct viz_op *op, const uint8_t *data)
{
	uint64_t v = 0;

	if (op->payload_len < sizeof(v) || op->ret != sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	return v;
}

static int push_send(struct qsim *q, const struct viz_op *op, const uint8_t *data,
		     const void *elem)
{
	struct qsim_send *s = ring_push(&q->sends);

	if (!s)
		return -ENOMEM;
	memcpy(s, elem, q->sends.size);
	*s = (struct qsim_send){
		.begin_ns = viz_op_begin(op), .ret = op->ret,
		.key = op->u.msg.posix ? (int64_t)op->u.msg.prio : op->u.msg.mtype,
		.value = q->kind == QSIM_EVENTFD ? counter_value(op, data) : 0,
	};
	if (q->kind == QSIM_MSGQ && group_add(q, s->key, q->base + q->sends.n - 1))
		return -ENOMEM;
	if (q->sends.n > QSIM_QUEUE_MAX) {
		take(q, q->base);       /* the oldest: never received */
		q->dropped++;
		q->head_left = 0;
	}
	q->fresh = true;
	return 0;
}

int qsim_op(struct qsim *q, const struct viz_op *op, const uint8_t *data, const void *elem)
{
	int err = settle(q, op->ts_ns, false);

	if (err || !qsim_takes(q, op))
		return err;
	if (op->dir == IPCT_DIR_SEND) {
		if ((err = push_send(q, op, data, elem)))
			return err;
	} else {
		struct qsim_recv *r = ring_push(&q->recvs);
		if (!r)
			return -ENOMEM;
		memcpy(r, elem, q->recvs.size);
		*r = (struct qsim_recv){
			.ts_ns = op->ts_ns, .ret = op->ret, .flags = op->flags,
			.msgtyp = op->u.msg.mtype, .rtype = op->u.msg.rtype,
			.prio = op->u.msg.prio, .posix = op->u.msg.posix,
			.value = q->kind == QSIM_EVENTFD ? counter_value(op, data) : 0,
		};
		if (q->recvs.n == 1)
			q->fresh = true;
	}
	return settle(q, op->ts_ns, false);
}

int qsim_finish(struct qsim *q)
{
	return settle(q, UINT64_MAX, true);
}

void qsim_release(struct qsim *q)
{
	for (size_t g = 0; g < q->ngroups; g++)
		free(q->groups[g].pos);
	free(q->groups);
	free(q->sends.v);
	free(q->recvs.v);
	q->groups = NULL;
	q->sends.v = q->recvs.v = NULL;
	q->ngroups = q->sends.n = q->recvs.n = 0;
}
