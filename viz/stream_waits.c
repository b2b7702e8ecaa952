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
 * A wait for descriptors (poll, select, epoll_wait) is classified by the
 * first receive its process made on the ready channel after it returned
 * (waits.c); the ready channel is known only once the whole file is read
 * (model_wait.c).  So each process's latest such wait is remembered, and
 * a streamed receive made after one (since the process's previous
 * receive on that channel) is noted in m->recv_notes with what waits.c
 * needs: whether it read end-of-file, and the send that fed its first
 * byte.  Notes are as many as those waits (which the model keeps anyway).
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
	if (r->fed)
		return 0;
	r->fed = true;
	if (r->note) {
		struct viz_recv_note *n = &b->m->recv_notes[r->note - 1];
		n->state = VIZ_NOTE_FED;
		n->send_ts_ns = send->ts_ns;
		n->send_pid = send->pid;
	}
	if (viz_op_begin(send) <= r->begin_ns)
		return 0;       /* the data was there (or on its way) already */
	struct wait_group k = { .pid = r->pid, .object = object, .peer = send->pid,
				.syscall = r->syscall };
	return stream_wait_add(b, &k, r->ts_ns - r->begin_ns);
}

/* Is OP a read that returned end-of-file (of a channel that has one)? */
static bool eof_read(const struct viz_model *m, const struct viz_op *op)
{
	enum ipct_kind kind = m->objects[op->object].kind;

	return op->ret == 0 && op->type == VIZ_OP_IO &&
	       (kind == IPCT_KIND_PIPE || kind == IPCT_KIND_FIFO || kind == IPCT_KIND_TCP ||
		kind == IPCT_KIND_UNIX);
}

int stream_wait_empty(struct builder *b, const struct viz_op *op)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;

	if (op->dir != IPCT_DIR_RECV || (op->type != VIZ_OP_IO && op->type != VIZ_OP_MSG) ||
	    (op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK)))
		return 0;
	if (op->ret == -EINTR) {
		struct wait_group k = { .pid = op->pid, .object = op->object, .syscall = op->syscall };
		return stream_wait_add(b, &k, op->ts_ns - viz_op_begin(op));
	}
	if (!eof_read(m, op))
		return 0;
	if (m->nstream_eofs >= EOF_READS_MAX) {
		m->stream_dropped++;
		return 0;
	}
	if (model_grow((void **)&m->stream_eofs, &s->cap_eofs, m->nstream_eofs + 1,
		       sizeof(*m->stream_eofs)))
		return -ENOMEM;
	m->stream_eofs[m->nstream_eofs++] = (struct viz_eof_read){
		op->pid, op->object, op->syscall, viz_op_begin(op), op->ts_ns };
	return 0;
}

/* ---- the receives after a wait for descriptors ---- */

static bool last_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct last_ts *a = &((const struct stream_state *)ctx)->lasts[i], *k = key;

	return a->pid == k->pid && a->object == k->object;
}

static uint64_t last_hash(const struct last_ts *k)
{
	return model_hash64((uint64_t)k->object << 32 | k->pid);
}

static uint64_t last_hash_at(const void *arg, size_t i)
{
	return last_hash(&((const struct stream_state *)arg)->lasts[i]);
}

/* The entry of (PID, OBJECT): made (ts_ns 0: none yet) when MAKE, else
 * NULL when there is none; NULL with *ERR set when out of memory. */
static struct last_ts *last_get(struct stream_state *s, uint32_t pid, uint32_t object,
				bool make, int *err)
{
	struct last_ts k = { pid, object, 0 };

	if (!s->nlast_slots && !make)
		return NULL;
	if ((s->nlasts + 1) * 2 > s->nlast_slots &&
	    (*err = slots_rebuild(&s->last_slots, &s->nlast_slots, 64, s->nlasts,
				  last_hash_at, s)))
		return NULL;
	uint32_t *slot = slots_find(s->last_slots, s->nlast_slots, last_hash(&k), last_eq, s, &k);
	if (*slot)
		return &s->lasts[*slot - 1];
	if (!make)
		return NULL;
	if (model_grow((void **)&s->lasts, &s->cap_lasts, s->nlasts + 1, sizeof(*s->lasts))) {
		*err = -ENOMEM;
		return NULL;
	}
	s->lasts[s->nlasts] = k;
	*slot = (uint32_t)++s->nlasts;
	return &s->lasts[s->nlasts - 1];
}

/* Times are stored + 1, so that 0 says "none yet". */
int stream_wait_call(struct builder *b, uint32_t pid, uint64_t ts)
{
	int err = 0;
	struct last_ts *w;

	if (!b->stream)
		return 0;
	w = last_get(b->stream, pid, UINT32_MAX, true, &err);
	if (!w)
		return err;
	if (ts + 1 > w->ts_ns)
		w->ts_ns = ts + 1;
	return 0;
}

int stream_recv_note(struct builder *b, const struct viz_op *op, struct pend_recv *r)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	int err = 0;
	const struct last_ts *w = last_get(s, op->pid, UINT32_MAX, false, &err);
	struct last_ts *p;
	uint64_t wait_ts;

	if (!w)
		return err;     /* no wait by this process yet */
	wait_ts = w->ts_ns;     /* the next lookup may move the table */
	p = last_get(s, op->pid, op->object, true, &err);
	if (!p)
		return err;
	/* a wait since its previous receive here (or one read out of order:
	 * a note too many is harmless, waits.c looks up the first after) */
	bool after_wait = !p->ts_ns || wait_ts > p->ts_ns;
	p->ts_ns = op->ts_ns + 1;
	if (!after_wait)
		return 0;
	if (model_grow((void **)&m->recv_notes, &s->cap_notes, m->nrecv_notes + 1,
		       sizeof(*m->recv_notes)))
		return -ENOMEM;
	m->recv_notes[m->nrecv_notes] = (struct viz_recv_note){
		.pid = op->pid, .object = op->object, .ts_ns = op->ts_ns,
		.state = eof_read(m, op) ? VIZ_NOTE_EOF : VIZ_NOTE_NONE };
	if (r)
		r->note = (uint32_t)++m->nrecv_notes;
	else
		m->nrecv_notes++;
	return 0;
}

static int cmp_note(const void *a, const void *b)
{
	const struct viz_recv_note *x = a, *y = b;

	return VIZ_ORDER(x->object, y->object) ?: VIZ_ORDER(x->pid, y->pid) ?:
	       VIZ_ORDER(x->ts_ns, y->ts_ns);
}

void stream_notes_sort(struct viz_model *m)
{
	if (m->nrecv_notes)
		qsort(m->recv_notes, m->nrecv_notes, sizeof(*m->recv_notes), cmp_note);
}
