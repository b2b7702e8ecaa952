/*
 * match_queue - message objects matched by simulating their queue
 * (docs/matching.md): datagram sockets (Unix datagram and seqpacket, UDP),
 * SysV message queues with msgrcv's type rules, POSIX queues by priority,
 * eventfd counters.  The rules are queue_sim.c's, which the streaming load
 * (stream_queue.c) runs too: here each object's ops are fed to it in time
 * order and every decision becomes a transfer of the model.
 * bytes = what the receive returned; a receive nothing explains counts in
 * unmatched_msgs and unmatched_bytes.  A peek (MSG_PEEK) takes nothing.
 */
#include <string.h>
#include <sys/msg.h>
#include "match_internal.h"
#include "queue_sim.h"

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

/* A queued send and a pending receive: the op they are. */
struct held_send {
	struct qsim_send h;
	uint32_t op;
};

struct held_recv {
	struct qsim_recv h;
	uint32_t op;
};

struct walk {
	struct transfer_sink *t;
	struct viz_object *obj;
};

static int on_transfer(void *ctx, void *send, void *recv, uint64_t bytes)
{
	struct walk *w = ctx;

	return match_add_transfer(w->t, ((struct held_send *)send)->op,
				  ((struct held_recv *)recv)->op, bytes);
}

static int on_none(void *ctx, void *recv, bool counts)
{
	struct walk *w = ctx;
	const struct held_recv *r = recv;

	if (counts) {
		w->obj->unmatched_msgs++;
		if (r->h.ret > 0)
			w->obj->unmatched_bytes += (uint64_t)r->h.ret;
	}
	return 0;
}

/* True when the payload samples of ops A and B agree on their common part. */
static bool same_sample(const struct viz_model *m, const struct viz_op *a,
			const struct viz_op *b)
{
	size_t n = a->payload_len < b->payload_len ? a->payload_len : b->payload_len;

	return !n || !memcmp(m->payload + a->payload, m->payload + b->payload, n);
}

static bool on_same(void *ctx, const void *send, const void *recv)
{
	const struct viz_model *m = ((struct walk *)ctx)->t->m;

	return same_sample(m, &m->ops[((const struct held_send *)send)->op],
			   &m->ops[((const struct held_recv *)recv)->op]);
}

static const struct qsim_calls calls = { on_transfer, on_none, on_same };

int match_queue(struct transfer_sink *t, struct viz_object *obj, const uint32_t *ops,
		size_t n, int stream)
{
	struct viz_model *m = t->m;
	struct walk w = { t, obj };
	struct qsim q;
	int err = 0;

	qsim_init(&q, obj->kind == IPCT_KIND_MSGQ ? QSIM_MSGQ :
		      obj->kind == IPCT_KIND_EVENTFD ? QSIM_EVENTFD : QSIM_DGRAM,
		  sizeof(struct held_send), sizeof(struct held_recv), &calls, &w);
	q.efd_flags = obj->flags;
	for (size_t k = 0; k < n && !err; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		/* one of the two layouts: qsim_op copies the one it queues */
		union { struct held_send s; struct held_recv r; } e;

		if (stream >= 0 && op->stream != stream)
			continue;
		if (op->dir == IPCT_DIR_SEND)
			e.s.op = ops[k];
		else
			e.r.op = ops[k];
		err = qsim_op(&q, op, op->payload_len ? m->payload + op->payload : NULL, &e);
	}
	if (!err)
		err = qsim_finish(&q);
	m->queue_steps += q.steps;
	qsim_release(&q);
	return err;
}
