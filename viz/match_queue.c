/*
 * match_queue - message objects matched by simulating their queue
 * (docs/matching.md): datagram sockets (Unix datagram and seqpacket, UDP),
 * SysV message queues with msgrcv's type rules, POSIX queues by priority.
 *
 * Sends enter the queue in the order they returned.  A receive, at its
 * return, may take any queued send that had *begun* by then (a sender
 * that woke the receiver may return after it); among those it takes the
 * one the kernel would give:
 *   datagrams   the first, but a later one among the next QUEUE_LOOKAHEAD
 *               whose length (and payload sample) equals what the receive
 *               got wins, so a datagram dropped by the kernel (no receiver,
 *               full buffer) does not shift every later match;
 *   SysV msgq   match_msg_select()'s rules: msgtyp 0, > 0, < 0, MSG_EXCEPT,
 *               with the received type (rtype) preferred when the trace
 *               has it, found through per-type groups (below) in
 *               O(n log n) for n calls, not by scanning the queue;
 *   POSIX mq    the highest priority, first in queue order within it (the
 *               same groups, by priority);
 *   eventfd     a counter: each write adds its 8-byte value, a read takes
 *               the counter (or 1 of it, EFD_SEMAPHORE): the writes, in
 *               order, whose values make up what the read returned (from
 *               the payload; without one, every write pending).
 * bytes = what the receive returned; a receive nothing explains counts in
 * unmatched_msgs and unmatched_bytes.  A peek (MSG_PEEK) takes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include "match_internal.h"

#define QUEUE_LOOKAHEAD 8

#ifndef MSG_EXCEPT
#define MSG_EXCEPT 020000
#endif

long match_msg_select(const struct match_msg *queue, size_t n, int64_t msgtyp,
		      uint32_t flags, int64_t rtype)
{
	long best = -1;

	if (rtype > 0)
		for (size_t i = 0; i < n; i++)
			if (!queue[i].taken && queue[i].mtype == rtype)
				return i;
	for (size_t i = 0; i < n; i++) {
		const struct match_msg *q = &queue[i];
		if (q->taken)
			continue;
		if (msgtyp == 0)
			return i;
		if (msgtyp > 0) {
			if ((flags & MSG_EXCEPT) ? q->mtype != msgtyp : q->mtype == msgtyp)
				return i;
		} else if (q->mtype <= -msgtyp &&
			   (best < 0 || q->mtype < queue[best].mtype)) {
			best = i;
		}
	}
	return best;
}

/* The queue of one object: its sends in queue order. */
struct queue {
	uint32_t *send;         /* op indexes */
	bool *taken;
	size_t n, head;         /* head: first not taken */
};

static int queue_init(struct queue *q, const struct viz_model *m, const uint32_t *ops,
		      size_t n, int stream)
{
	q->send = malloc((n ? n : 1) * sizeof(*q->send));
	q->taken = calloc(n ? n : 1, sizeof(*q->taken));
	q->n = q->head = 0;
	if (!q->send || !q->taken) {
		free(q->send);
		free(q->taken);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		if (op->dir == IPCT_DIR_SEND && op->ret >= 0 &&
		    (stream < 0 || op->stream == stream))
			q->send[q->n++] = ops[k];
	}
	return 0;
}

static void queue_release(struct queue *q)
{
	free(q->send);
	free(q->taken);
}

static void queue_take(struct queue *q, size_t i)
{
	q->taken[i] = true;
	while (q->head < q->n && q->taken[q->head])
		q->head++;
}

/* True when the payload samples of ops A and B agree on their common part. */
static bool same_sample(const struct viz_model *m, const struct viz_op *a,
			const struct viz_op *b)
{
	size_t n = a->payload_len < b->payload_len ? a->payload_len : b->payload_len;

	return !n || !memcmp(m->payload + a->payload, m->payload + b->payload, n);
}

/* Count a receive that nothing traced explains. */
static void unexplained(struct viz_object *obj, const struct viz_op *r)
{
	obj->unmatched_msgs++;
	if (r->ret > 0)
		obj->unmatched_bytes += (uint64_t)r->ret;
}

static bool is_receive(const struct viz_op *op, int stream)
{
	return op->dir == IPCT_DIR_RECV && op->ret >= 0 &&
	       !(op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK)) &&
	       (stream < 0 || op->stream == stream);
}

int match_datagrams(struct transfer_sink *t, struct viz_object *obj,
		    const uint32_t *ops, size_t n, uint8_t stream)
{
	const struct viz_model *m = t->m;
	struct queue q;
	int err = queue_init(&q, m, ops, n, stream);

	if (err)
		return err;
	for (size_t k = 0; !err && k < n; k++) {
		const struct viz_op *r = &m->ops[ops[k]];
		long pick = -1;
		size_t seen = 0;

		if (!is_receive(r, stream))
			continue;
		for (size_t i = q.head; i < q.n && seen < QUEUE_LOOKAHEAD; i++) {
			const struct viz_op *s = &m->ops[q.send[i]];
			if (q.taken[i])
				continue;
			if (viz_op_begin(s) > r->ts_ns)
				break;          /* not sent yet */
			if (s->ret == r->ret && same_sample(m, s, r)) {
				pick = i;
				break;
			}
			if (seen++ == 0 && r->ret > 0)
				pick = i;       /* the head, if nothing fits better */
		}
		if (pick < 0) {
			if (r->ret > 0)
				unexplained(obj, r);
			continue;       /* a 0-byte read with no empty datagram: EOF */
		}
		queue_take(&q, pick);
		err = match_add_transfer(t, q.send[pick], ops[k], (uint64_t)r->ret);
	}
	queue_release(&q);
	return err;
}

/* ---- message queues: sends grouped by type (SysV) or priority (POSIX) ----
 *
 * Each group holds its sends in queue order with a cursor on the first
 * one not taken, so a receive finds its message by looking at group
 * heads, not at the whole queue: a group is found by binary search, and a
 * selection looks at most at every group once (msgtyp < 0, MSG_EXCEPT,
 * POSIX without a recorded priority) plus the entries it skips, each
 * skipped once for good when taken.  Sends that had not begun by the
 * receive's return are passed over, as before. */
struct groups {
	int64_t *key;           /* distinct keys, ascending */
	size_t *start;          /* group g is order[start[g] .. start[g + 1]) */
	size_t *cursor;         /* its first entry not taken */
	size_t *order;          /* queue positions, by (key, position) */
	size_t n;
	uint64_t steps;         /* entries and groups looked at */
};

static int64_t send_key(const struct viz_model *m, const struct queue *q, size_t i)
{
	const struct viz_op *s = &m->ops[q->send[i]];

	return s->u.msg.posix ? (int64_t)s->u.msg.prio : s->u.msg.mtype;
}

static const struct viz_model *sort_m;
static const struct queue *sort_q;

static int cmp_position(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int64_t ka = send_key(sort_m, sort_q, a), kb = send_key(sort_m, sort_q, b);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void groups_release(struct groups *g)
{
	free(g->key);
	free(g->start);
	free(g->cursor);
	free(g->order);
}

static int groups_init(struct groups *g, const struct viz_model *m, const struct queue *q)
{
	size_t n = q->n ? q->n : 1;

	*g = (struct groups){ 0 };
	g->order = malloc(n * sizeof(*g->order));
	g->key = malloc(n * sizeof(*g->key));
	g->start = malloc((n + 1) * sizeof(*g->start));
	g->cursor = malloc(n * sizeof(*g->cursor));
	if (!g->order || !g->key || !g->start || !g->cursor) {
		groups_release(g);
		return -ENOMEM;
	}
	for (size_t i = 0; i < q->n; i++)
		g->order[i] = i;
	sort_m = m;
	sort_q = q;
	qsort(g->order, q->n, sizeof(*g->order), cmp_position);
	for (size_t i = 0; i < q->n; i++) {
		int64_t k = send_key(m, q, g->order[i]);
		if (g->n && g->key[g->n - 1] == k)
			continue;
		g->key[g->n] = k;
		g->start[g->n] = g->cursor[g->n] = i;
		g->n++;
	}
	g->start[g->n] = q->n;
	return 0;
}

/* The group of KEY, or -1. */
static long group_find(struct groups *g, int64_t key)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		g->steps++;
		if (g->key[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->key[lo] == key ? (long)lo : -1;
}

/* The first send of group GI in queue order that is not taken and had
 * begun by END (a queue position), or -1. */
static long group_first(struct groups *g, const struct viz_model *m, const struct queue *q,
			long gi, uint64_t end)
{
	if (gi < 0)
		return -1;
	size_t *c = &g->cursor[gi], stop = g->start[gi + 1];

	while (*c < stop && q->taken[g->order[*c]]) {
		g->steps++;
		(*c)++;
	}
	for (size_t i = *c; i < stop; i++) {
		size_t pos = g->order[i];
		g->steps++;
		if (!q->taken[pos] && viz_op_begin(&m->ops[q->send[pos]]) <= end)
			return pos;
	}
	return -1;
}

/* The earliest in queue order of the group heads of groups [FROM, TO)
 * except the group of key SKIP (when SKIP_ON), or -1. */
static long groups_earliest(struct groups *g, const struct viz_model *m, const struct queue *q,
			    size_t from, size_t to, bool skip_on, int64_t skip, uint64_t end)
{
	long best = -1;

	for (size_t gi = from; gi < to; gi++) {
		if (skip_on && g->key[gi] == skip)
			continue;
		long p = group_first(g, m, q, gi, end);
		if (p >= 0 && (best < 0 || p < best))
			best = p;
	}
	return best;
}

/* The send a SysV msgrcv R takes (match_msg_select's rules), or -1. */
static long sysv_select(struct groups *g, const struct viz_model *m, const struct queue *q,
			const struct viz_op *r)
{
	int64_t msgtyp = r->u.msg.mtype;
	uint64_t end = r->ts_ns;
	long p;

	if (r->u.msg.rtype > 0 && (p = group_first(g, m, q, group_find(g, r->u.msg.rtype), end)) >= 0)
		return p;
	if (msgtyp == 0) {
		for (size_t i = q->head; i < q->n; i++) {
			g->steps++;
			if (!q->taken[i] && viz_op_begin(&m->ops[q->send[i]]) <= end)
				return i;
		}
		return -1;
	}
	if (msgtyp > 0)
		return (r->flags & MSG_EXCEPT) ? groups_earliest(g, m, q, 0, g->n, true, msgtyp, end) :
		       group_first(g, m, q, group_find(g, msgtyp), end);
	for (size_t gi = 0; gi < g->n && g->key[gi] <= -msgtyp; gi++)
		if ((p = group_first(g, m, q, gi, end)) >= 0)
			return p;
	return -1;
}

/* The send a POSIX mq_timedreceive R takes: the received priority when
 * recorded (not 0), else the highest priority; first in queue order
 * within it.  -1 if none. */
static long posix_select(struct groups *g, const struct viz_model *m, const struct queue *q,
			 const struct viz_op *r)
{
	long p;

	if (r->u.msg.prio && (p = group_first(g, m, q, group_find(g, r->u.msg.prio), r->ts_ns)) >= 0)
		return p;
	for (size_t gi = g->n; gi-- > 0;)
		if ((p = group_first(g, m, q, gi, r->ts_ns)) >= 0)
			return p;
	return -1;
}

int match_msgq(struct transfer_sink *t, struct viz_object *obj,
	       const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct queue q;
	struct groups g;
	int err = queue_init(&q, m, ops, n, -1);

	if (err)
		return err;
	if ((err = groups_init(&g, m, &q))) {
		queue_release(&q);
		return err;
	}
	for (size_t k = 0; !err && k < n; k++) {
		const struct viz_op *r = &m->ops[ops[k]];
		long pick;

		if (!is_receive(r, -1))
			continue;
		g.steps++;
		pick = r->u.msg.posix ? posix_select(&g, m, &q, r) : sysv_select(&g, m, &q, r);
		if (pick < 0) {
			unexplained(obj, r);
			continue;
		}
		queue_take(&q, pick);
		err = match_add_transfer(t, q.send[pick], ops[k],
					 r->ret > 0 ? (uint64_t)r->ret : 0);
	}
	t->m->queue_steps += g.steps;
	groups_release(&g);
	queue_release(&q);
	return err;
}

/* The 8-byte counter value of eventfd op OP (its payload), or 0 when the
 * trace did not keep it (-s below 8). */
static uint64_t counter_value(const struct viz_model *m, const struct viz_op *op)
{
	uint64_t v = 0;

	if (op->payload_len < sizeof(v) || op->ret != sizeof(v))
		return 0;
	memcpy(&v, m->payload + op->payload, sizeof(v));
	return v;
}

int match_eventfd(struct transfer_sink *t, struct viz_object *obj,
		  const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct queue q;
	uint64_t head_left = 0;         /* what is left of the head write's value */
	int err = queue_init(&q, m, ops, n, -1);

	if (err)
		return err;
	for (size_t k = 0; !err && k < n; k++) {
		const struct viz_op *r = &m->ops[ops[k]];
		uint64_t want;
		bool any = false;

		if (!is_receive(r, -1) || r->ret <= 0)
			continue;
		/* what the read took from the counter: 1 with EFD_SEMAPHORE,
		 * else everything pending (0); without the creation recorded,
		 * the value read says (0 when not kept: take all) */
		if (obj->flags & VIZ_OBJ_EFD_CREATED)
			want = obj->flags & VIZ_OBJ_EFD_SEMAPHORE ? 1 : 0;
		else
			want = counter_value(m, r);
		while (q.head < q.n && !err) {
			const struct viz_op *s = &m->ops[q.send[q.head]];

			if (viz_op_begin(s) > r->ts_ns)
				break;          /* not written yet */
			if (!head_left)
				head_left = counter_value(m, s);
			if (!head_left && (obj->flags & VIZ_OBJ_EFD_SEMAPHORE))
				head_left = 1;  /* value not kept: one read's worth */
			err = match_add_transfer(t, q.send[q.head], ops[k], (uint64_t)r->ret);
			any = true;
			if (want && head_left > want) {
				head_left -= want;      /* the rest stays in the counter */
				break;
			}
			want -= want ? head_left : 0;
			head_left = 0;
			queue_take(&q, q.head);
			if (!want && (obj->flags & VIZ_OBJ_EFD_SEMAPHORE ||
				      (!(obj->flags & VIZ_OBJ_EFD_CREATED) && counter_value(m, r))))
				break;
		}
		if (!any)
			unexplained(obj, r);
	}
	queue_release(&q);
	return err;
}
