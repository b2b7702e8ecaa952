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
 *   SysV msgq   match_msg_select(): msgtyp 0, > 0, < 0, MSG_EXCEPT, with
 *               the received type (rtype) preferred when the trace has it;
 *   POSIX mq    the highest priority, first in queue order within it.
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

/* POSIX: the highest priority among the sends begun by END, first in
 * queue order; RPRIO (the priority received, when not 0) wins. */
static long posix_select(const struct viz_model *m, const struct queue *q,
			 uint64_t end, uint32_t rprio)
{
	long best = -1;

	for (size_t i = q->head; i < q->n; i++) {
		const struct viz_op *s = &m->ops[q->send[i]];
		if (q->taken[i] || viz_op_begin(s) > end)
			continue;
		if (rprio && s->u.msg.prio == rprio)
			return i;
		if (best < 0 || s->u.msg.prio > m->ops[q->send[best]].u.msg.prio)
			best = i;
	}
	return best;
}

int match_msgq(struct transfer_sink *t, struct viz_object *obj,
	       const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct queue q;
	struct match_msg *view = malloc((n ? n : 1) * sizeof(*view));
	uint32_t *where = malloc((n ? n : 1) * sizeof(*where));
	int err = view && where ? queue_init(&q, m, ops, n, -1) : -ENOMEM;

	if (err) {
		free(view);
		free(where);
		return err;
	}
	for (size_t k = 0; !err && k < n; k++) {
		const struct viz_op *r = &m->ops[ops[k]];
		long pick = -1;

		if (!is_receive(r, -1))
			continue;
		if (r->u.msg.posix) {
			pick = posix_select(m, &q, r->ts_ns, r->u.msg.prio);
		} else {
			/* The queue as the kernel had it: what had begun by now. */
			size_t nv = 0;
			for (size_t i = q.head; i < q.n; i++) {
				const struct viz_op *s = &m->ops[q.send[i]];
				if (q.taken[i] || viz_op_begin(s) > r->ts_ns)
					continue;
				view[nv] = (struct match_msg){ s->u.msg.mtype, false };
				where[nv++] = i;
			}
			long v = match_msg_select(view, nv, r->u.msg.mtype, r->flags,
						  r->u.msg.rtype);
			pick = v < 0 ? -1 : (long)where[v];
		}
		if (pick < 0) {
			unexplained(obj, r);
			continue;
		}
		queue_take(&q, pick);
		err = match_add_transfer(t, q.send[pick], ops[k],
					 r->ret > 0 ? (uint64_t)r->ret : 0);
	}
	queue_release(&q);
	free(view);
	free(where);
	return err;
}
