/*
 * stream_queue - the message kinds of a streamed load (stream.c):
 * datagram sockets, SysV and POSIX message queues and eventfd counters,
 * matched as the ops come by the simulated queue the whole-history
 * matcher runs (queue_sim.c), one per channel direction.  What it holds
 * is what is in flight: the queued sends not yet received and the
 * receives not yet decided.  Each decision feeds what a byte stream's
 * transfer feeds (stream_transfer(): the flow, its latency sample, the
 * wait, the sink); a receive that takes nothing counts as unmatched, or
 * is kept as an end-of-file read (stream_waits.c).
 */
#include "stream_internal.h"

struct stream_queue {
	struct qsim q;
	struct builder *b;
	struct chan *c;
};

struct queued_send {
	struct qsim_send h;
	struct pend_send s;
};

/* A receive waiting to be decided: what the transfer and an unmatched
 * receive need of its op, and its payload only where the datagram rule
 * compares it (on_same()): message queues and eventfd hold no payload. */
struct queued_recv {
	struct qsim_recv h;
	struct pend_recv r;
	uint32_t object, flags;
	uint16_t payload_len;
	uint8_t type;
	uint8_t data[];                 /* VIZ_PAYLOAD_KEEP for datagrams, else none */
};

static int on_transfer(void *ctx, void *send, void *recv, uint64_t bytes)
{
	struct stream_queue *sq = ctx;

	return stream_transfer(sq->b, sq->c, &((struct queued_send *)send)->s,
			       &((struct queued_recv *)recv)->r, bytes);
}

static int on_none(void *ctx, void *recv, bool counts)
{
	struct stream_queue *sq = ctx;
	const struct queued_recv *r = recv;
	struct viz_object *obj = &sq->b->m->objects[r->object];

	if (counts) {
		obj->unmatched_msgs++;
		if (r->h.ret > 0)
			obj->unmatched_bytes += (uint64_t)r->h.ret;
	}
	if (r->h.ret)
		return 0;
	struct viz_op op = { .ts_ns = r->r.ts_ns, .duration_ns = r->r.ts_ns - r->r.begin_ns,
			     .pid = r->r.pid, .tid = r->r.tid, .object = r->object,
			     .dir = IPCT_DIR_RECV, .syscall = r->r.syscall, .type = r->type,
			     .flags = r->flags };
	return stream_wait_empty(sq->b, &op);
}

static bool on_same(void *ctx, const void *send, const void *recv)
{
	const struct pend_send *s = &((const struct queued_send *)send)->s;
	const struct queued_recv *r = recv;
	size_t n = s->op.payload_len < r->payload_len ? s->op.payload_len : r->payload_len;

	(void)ctx;
	return !n || !memcmp(s->data, r->data, n);
}

static const struct qsim_calls calls = { on_transfer, on_none, on_same };

static struct stream_queue *queue_of(struct builder *b, struct chan *c, enum ipct_kind kind)
{
	if (c->queue)
		return c->queue;
	c->queue = malloc(sizeof(*c->queue));
	if (!c->queue)
		return NULL;
	c->queue->b = b;
	c->queue->c = c;
	enum qsim_kind k = kind == IPCT_KIND_MSGQ ? QSIM_MSGQ :
			   kind == IPCT_KIND_EVENTFD ? QSIM_EVENTFD : QSIM_DGRAM;
	qsim_init(&c->queue->q, k, sizeof(struct queued_send),
		  sizeof(struct queued_recv) + (k == QSIM_DGRAM ? VIZ_PAYLOAD_KEEP : 0), &calls,
		  c->queue);
	return c->queue;
}

int stream_queue_op(struct builder *b, struct chan *c, const struct held *h)
{
	const struct viz_op *op = &h->op;
	struct viz_object *obj = &b->m->objects[op->object];
	struct stream_queue *sq = queue_of(b, c, obj->kind);
	union {
		struct queued_send s;
		_Alignas(struct queued_recv) uint8_t r[sizeof(struct queued_recv) +
							VIZ_PAYLOAD_KEEP];
	} e;
	int err;

	if (!sq)
		return -ENOMEM;
	bool queued = qsim_takes(&sq->q, op);
	if (op->ret > 0 && !(op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK))) {
		if (op->dir == IPCT_DIR_SEND)
			obj->sent_bytes += (uint64_t)op->ret;
		else
			obj->received_bytes += (uint64_t)op->ret;
	}
	if (op->dir == IPCT_DIR_SEND) {
		e.s.s = (struct pend_send){ .op = *op, .seq = h->seq };
		memcpy(e.s.s.data, h->data, op->payload_len);
	} else if (queued) {
		struct queued_recv *r = (struct queued_recv *)e.r;
		r->r = (struct pend_recv){ .ts_ns = op->ts_ns, .seq = h->seq,
					   .begin_ns = viz_op_begin(op), .pid = op->pid,
					   .tid = op->tid, .syscall = op->syscall };
		r->object = op->object;
		r->flags = op->flags;
		r->payload_len = op->payload_len;
		r->type = op->type;
		if (sq->q.kind == QSIM_DGRAM)
			memcpy(r->data, h->data, op->payload_len);
		if ((err = stream_poll_recv(b, op, &r->r)))
			return err;
	} else if ((err = stream_poll_recv(b, op, NULL)) || (err = stream_wait_empty(b, op))) {
		return err;
	}
	uint64_t dropped = sq->q.dropped;
	sq->q.efd_flags = obj->flags;
	err = qsim_op(&sq->q, op, h->data, &e);
	b->m->stream_dropped += sq->q.dropped - dropped;
	return err;
}

int stream_queue_finish(struct builder *b, struct chan *c)
{
	(void)b;
	return qsim_finish(&c->queue->q);
}

void stream_queue_free(struct chan *c)
{
	if (!c->queue)
		return;
	qsim_release(&c->queue->q);
	free(c->queue);
	c->queue = NULL;
}
