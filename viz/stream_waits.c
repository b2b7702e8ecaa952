/*
 * stream_waits - the waits of a streamed load's receives (stream.c), by
 * the rules of waits.c as far as the calls alone decide them:
 *
 * - a receive whose first transfer came from a send that began after it
 *   did waited for that sender (WAIT_DATA);
 * - a receive that failed with EINTR waited for a signal (no peer);
 * - a read that returned end-of-file waited if another user of the
 *   channel exited during it: that needs the exits, which may come later
 *   in the file, so those reads are kept (m->stream_eofs, at most
 *   EOF_READS_MAX; past it they count in m->stream_dropped) and waits.c
 *   decides.
 *
 * The waits are summed per (process, channel, peer, call) in
 * m->stream_waits, as waits.c groups them: memory follows the groups, not
 * the calls.
 *
 * The waits for descriptors (poll, select, epoll_wait) are decided in
 * stream_polls.c, through the receive after each: this file tells it
 * which send fed that receive.
 */
#include <errno.h>
#include <stdlib.h>
#include "search.h"
#include "slots.h"
#include "stream_internal.h"

#define EOF_READS_MAX (1u << 16)

static bool wait_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct wait_group *a = &((const struct viz_model *)ctx)->stream_waits[i], *k = key;

	return a->pid == k->pid && a->object == k->object && a->peer == k->peer &&
	       a->syscall == k->syscall;
}

static uint64_t wait_hash(const struct wait_group *k)
{
	return model_hash64(((uint64_t)k->object << 32 | k->pid) ^
			    model_hash64((uint64_t)k->peer << 16 | k->syscall));
}

static uint64_t wait_hash_at(const void *arg, size_t i)
{
	return wait_hash(&((const struct viz_model *)arg)->stream_waits[i]);
}

int stream_wait_add(struct builder *b, const struct wait_group *k, uint64_t ns)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	int err;

	if ((m->nstream_waits + 1) * 2 > s->nwait_slots &&
	    (err = slots_rebuild(&s->wait_slots, &s->nwait_slots, 64, m->nstream_waits,
				 wait_hash_at, m)))
		return err;
	uint32_t *slot = slots_find(s->wait_slots, s->nwait_slots, wait_hash(k), wait_eq, m, k);
	if (!*slot) {
		if (model_grow((void **)&m->stream_waits, &s->cap_waits, m->nstream_waits + 1,
			       sizeof(*m->stream_waits)))
			return -ENOMEM;
		m->stream_waits[m->nstream_waits] = *k;
		m->stream_waits[m->nstream_waits].count = 0;
		m->stream_waits[m->nstream_waits].ns = 0;
		*slot = (uint32_t)++m->nstream_waits;
	}
	struct wait_group *g = &m->stream_waits[*slot - 1];
	g->count++;
	g->ns += ns;
	return 0;
}

int stream_wait_fed(struct builder *b, struct pend_recv *r, const struct viz_op *send,
		    uint32_t object)
{
	int err;

	if (r->fed)
		return 0;
	r->fed = true;
	if (r->note && (err = stream_poll_fed(b, r->note, send)))
		return err;
	if (viz_op_begin(send) <= r->begin_ns)
		return 0;       /* the data was there (or on its way) already */
	struct wait_group k = { .pid = r->pid, .object = object, .peer = send->pid,
				.syscall = r->syscall };
	return stream_wait_add(b, &k, r->ts_ns - r->begin_ns);
}

bool stream_eof_read(const struct viz_model *m, const struct viz_op *op)
{
	enum ipct_kind kind = m->objects[op->object].kind;

	return op->ret == 0 && op->type == VIZ_OP_IO &&
	       (kind == IPCT_KIND_PIPE || kind == IPCT_KIND_FIFO || kind == IPCT_KIND_TCP ||
		kind == IPCT_KIND_UNIX);
}

int stream_wait_empty(struct builder *b, const struct viz_op *op)
{
	struct viz_model *m = b->m;

	if (op->dir != IPCT_DIR_RECV || (op->type != VIZ_OP_IO && op->type != VIZ_OP_MSG) ||
	    (op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK)))
		return 0;
	if (op->ret == -EINTR) {
		struct wait_group k = { .pid = op->pid, .object = op->object, .syscall = op->syscall };
		return stream_wait_add(b, &k, op->ts_ns - viz_op_begin(op));
	}
	if (!stream_eof_read(m, op))
		return 0;
	struct viz_eof_read e = { op->pid, op->object, op->syscall, false, viz_op_begin(op),
				  op->ts_ns };
	return stream_eof_add(b, &e);
}

int stream_eof_add(struct builder *b, const struct viz_eof_read *e)
{
	struct viz_model *m = b->m;

	if (m->nstream_eofs >= EOF_READS_MAX) {
		m->stream_dropped++;
		return 0;
	}
	if (model_grow((void **)&m->stream_eofs, &b->stream->cap_eofs, m->nstream_eofs + 1,
		       sizeof(*m->stream_eofs)))
		return -ENOMEM;
	m->stream_eofs[m->nstream_eofs++] = *e;
	return 0;
}
