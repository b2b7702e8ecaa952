/*
 * match - the byte-offset matcher (see match.h and docs/matching.md).
 *
 * Two cursors walk the send list and the receive list.  Each step takes
 * the smaller of what is left of the current send and of the current
 * receive, reports that overlap and advances whichever of the two is used
 * up.  Zero-length items are skipped (they still get an offset).  When the
 * sends run out, or the current send began after the current receive had
 * returned, what is left of that receive is unmatched.
 *
 * match_model() applies the matchers to a built model: it buckets the
 * (time-sorted) ops by object, runs the one for the object's kind (byte
 * offsets for pipes, FIFOs and stream sockets, per direction; the others
 * in match_queue.c, match_sync.c, match_file.c), and turns the transfers
 * into model->flows, summed per (object, from, to).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include "match_internal.h"
#include "model_build.h"
#include "search.h"

/* Set the offsets of ITEMS[0..N) as a running sum of their lengths. */
static void set_offsets(struct match_item *items, size_t n)
{
	uint64_t offset = 0;

	for (size_t i = 0; i < n; i++) {
		items[i].offset = offset;
		offset += items[i].len;
	}
}

int match_byte_stream(struct match_item *sends, size_t nsends,
		      struct match_item *recvs, size_t nrecvs,
		      match_fn fn, void *ctx, uint64_t *unmatched)
{
	size_t s = 0, r = 0;
	uint64_t send_left = 0, recv_left = 0, lost = 0;
	int err = 0;

	set_offsets(sends, nsends);
	set_offsets(recvs, nrecvs);
	if (nsends)
		send_left = sends[0].len;
	if (nrecvs)
		recv_left = recvs[0].len;

	while (r < nrecvs) {
		if (recv_left == 0) {
			if (++r < nrecvs)
				recv_left = recvs[r].len;
			continue;
		}
		if (s < nsends && send_left == 0) {
			if (++s < nsends)
				send_left = sends[s].len;
			continue;
		}
		if (s >= nsends || sends[s].begin_ns > recvs[r].end_ns) {
			/* Nothing traced was written for these bytes. */
			lost += recv_left;
			recv_left = 0;
			continue;
		}
		uint64_t bytes = send_left < recv_left ? send_left : recv_left;

		if (fn) {
			err = fn(ctx, sends[s].op, recvs[r].op, bytes);
			if (err)
				break;
		}
		send_left -= bytes;
		recv_left -= bytes;
	}
	if (unmatched)
		*unmatched = lost;
	return err;
}

/* ---- applied to the model ---- */

int match_add_transfer(void *ctx, uint32_t send, uint32_t recv, uint64_t bytes)
{
	struct transfer_sink *t = ctx;
	struct viz_model *m = t->m;

	if (model_grow((void **)&m->transfers, &t->cap, m->ntransfers + 1,
		 sizeof(*m->transfers)))
		return -ENOMEM;
	m->transfers[m->ntransfers++] = (struct viz_transfer){ send, recv, bytes };
	return 0;
}

static int cmp_transfer(const void *a, const void *b)
{
	const struct viz_transfer *x = a, *y = b;

	return VIZ_ORDER(x->send, y->send) ?: VIZ_ORDER(x->recv, y->recv);
}

/* Sort the transfers and merge repeated (send, recv) pairs (a file read
 * may meet the same write twice, around a later overwrite). */
static void sort_transfers(struct viz_model *m)
{
	size_t n = 0;

	if (!m->ntransfers)
		return;
	qsort(m->transfers, m->ntransfers, sizeof(*m->transfers), cmp_transfer);
	for (size_t i = 0; i < m->ntransfers; i++) {
		if (n && cmp_transfer(&m->transfers[n - 1], &m->transfers[i]) == 0)
			m->transfers[n - 1].bytes += m->transfers[i].bytes;
		else
			m->transfers[n++] = m->transfers[i];
	}
	m->ntransfers = n;
}

/* Does this op move bytes that count in the object's totals? */
static bool moves_bytes(const struct viz_op *op)
{
	if (op->type != VIZ_OP_IO && op->type != VIZ_OP_MSG)
		return false;   /* signals and semaphores carry no bytes */
	if (op->type == VIZ_OP_IO && op->dir == IPCT_DIR_RECV && (op->flags & IPCT_IO_PEEK))
		return false;   /* a peek consumes nothing */
	return op->ret > 0;
}

/* Byte-offset matching of the ops of one stream of an object (all ops
 * when STREAM is -1): set their offsets, report the transfers. */
static int match_stream(struct transfer_sink *t, struct viz_object *obj,
			const uint32_t *ops, size_t n, int stream,
			struct match_item *sends, struct match_item *recvs)
{
	struct viz_model *m = t->m;
	size_t ns = 0, nr = 0;
	uint64_t lost = 0;

	for (size_t k = 0; k < n; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		if (stream >= 0 && op->stream != stream)
			continue;
		if (op->dir == IPCT_DIR_RECV && (op->flags & IPCT_IO_PEEK))
			continue;
		struct match_item it = {
			.len = op->ret > 0 ? (uint64_t)op->ret : 0,
			.op = ops[k],
			.begin_ns = viz_op_begin(op),
			.end_ns = op->ts_ns,
		};
		if (op->dir == IPCT_DIR_SEND)
			sends[ns++] = it;
		else
			recvs[nr++] = it;
	}
	int err = match_byte_stream(sends, ns, recvs, nr, match_add_transfer, t, &lost);
	obj->unmatched_bytes += lost;
	for (size_t k = 0; k < ns; k++)
		m->ops[sends[k].op].offset = sends[k].offset;
	for (size_t k = 0; k < nr; k++)
		m->ops[recvs[k].op].offset = recvs[k].offset;
	return err;
}

/* Match the ops OPS[0..N) (time order) of object OBJ by its kind. */
static int match_object(struct transfer_sink *t, struct viz_object *obj,
			const uint32_t *ops, size_t n,
			struct match_item *sends, struct match_item *recvs)
{
	int err = 0;

	switch (obj->kind) {
	case IPCT_KIND_PIPE:
	case IPCT_KIND_FIFO:
		return match_stream(t, obj, ops, n, -1, sends, recvs);
	case IPCT_KIND_UNIX:
	case IPCT_KIND_TCP:
	case IPCT_KIND_UDP:
		for (int s = 0; s < 2 && !err; s++) {
			if (obj->kind == IPCT_KIND_TCP || obj->sock_type == SOCK_STREAM ||
			    (obj->kind == IPCT_KIND_UNIX && obj->sock_type == 0 && obj->ino2))
				err = match_stream(t, obj, ops, n, s, sends, recvs);
			else
				err = match_queue(t, obj, ops, n, s);
		}
		return err;
	case IPCT_KIND_MSGQ:
	case IPCT_KIND_EVENTFD:
		return match_queue(t, obj, ops, n, -1);
	case IPCT_KIND_FILE:
		return match_file(t, obj, ops, n);
	case IPCT_KIND_SEM:
		return match_semaphores(t, obj, ops, n);
	case IPCT_KIND_SIGNAL:
		return match_signals(t, obj, ops, n);
	default:
		return 0;       /* shm: attachments, no transfers */
	}
}

/* Bucket the (time-sorted) ops by object, count each object's bytes and
 * run its matcher. */
static int match_objects(struct viz_model *m)
{
	size_t *start = calloc(m->nobjects + 1, sizeof(*start));
	size_t *fill = calloc(m->nobjects + 1, sizeof(*fill));
	uint32_t *bucket = malloc((m->nops ? m->nops : 1) * sizeof(*bucket));
	struct match_item *sends = malloc((m->nops ? m->nops : 1) * sizeof(*sends));
	struct match_item *recvs = malloc((m->nops ? m->nops : 1) * sizeof(*recvs));
	struct transfer_sink sink = { m, 0 };
	int err = -ENOMEM;

	if (!start || !fill || !bucket || !sends || !recvs)
		goto out;
	for (size_t i = 0; i < m->nops; i++)
		start[m->ops[i].object + 1]++;
	for (size_t o = 0; o < m->nobjects; o++)
		start[o + 1] += start[o];
	for (size_t i = 0; i < m->nops; i++) {
		uint32_t o = m->ops[i].object;
		bucket[start[o] + fill[o]++] = i;
		const struct viz_op *op = &m->ops[i];
		if (!moves_bytes(op))
			continue;
		if (op->dir == IPCT_DIR_SEND)
			m->objects[o].sent_bytes += (uint64_t)op->ret;
		else
			m->objects[o].received_bytes += (uint64_t)op->ret;
	}
	err = 0;
	for (size_t o = 0; o < m->nobjects && !err; o++)
		err = match_object(&sink, &m->objects[o], bucket + start[o],
				   start[o + 1] - start[o], sends, recvs);
	if (!err)
		sort_transfers(m);
out:
	free(start);
	free(fill);
	free(bucket);
	free(sends);
	free(recvs);
	return err;
}

/* One transfer seen as (object, from, to, send op, bytes), for flows. */
struct flow_part {
	uint32_t object, from, to, send;
	uint64_t bytes;
};

static int cmp_flow_part(const void *a, const void *b)
{
	const struct flow_part *x = a, *y = b;

	return VIZ_ORDER(x->object, y->object) ?: VIZ_ORDER(x->from, y->from) ?:
	       VIZ_ORDER(x->to, y->to) ?: VIZ_ORDER(x->send, y->send);
}

/* Sum the transfers per (object, from pid, to pid): bytes delivered and
 * the number of distinct send ops that delivered something (semaphores:
 * the number of releases). */
int match_build_flows(struct viz_model *m)
{
	struct flow_part *parts;
	size_t cap = 0;

	if (!m->ntransfers)
		return 0;
	parts = malloc(m->ntransfers * sizeof(*parts));
	if (!parts)
		return -ENOMEM;
	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *t = &m->transfers[i];
		parts[i] = (struct flow_part){
			.object = m->ops[t->send].object,
			.from = m->ops[t->send].pid,
			.to = m->ops[t->recv].pid,
			.send = t->send,
			.bytes = t->bytes,
		};
	}
	qsort(parts, m->ntransfers, sizeof(*parts), cmp_flow_part);
	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct flow_part *p = &parts[i];
		const struct viz_op *send = &m->ops[p->send];
		struct viz_flow *f = m->nflows ? &m->flows[m->nflows - 1] : NULL;

		if (!f || f->object != p->object || f->from != p->from || f->to != p->to) {
			if (model_grow((void **)&m->flows, &cap, m->nflows + 1, sizeof(*m->flows))) {
				free(parts);
				return -ENOMEM;
			}
			f = &m->flows[m->nflows++];
			*f = (struct viz_flow){ p->object, p->from, p->to, 0, 0, p->send, 0 };
		}
		if (i == 0 || cmp_flow_part(&parts[i - 1], p) != 0 ||
		    m->objects[p->object].kind == IPCT_KIND_SEM)
			f->messages++;  /* a new send op (or release) for this flow */
		f->bytes += p->bytes;
		viz_flow_add_signal(f, send);
	}
	free(parts);
	return 0;
}

void viz_flow_add_signal(struct viz_flow *f, const struct viz_op *send)
{
	if (send->type != VIZ_OP_SIG_GENERATE)
		return;
	if (send->u.sig.sig >= 1 && send->u.sig.sig <= 64)
		f->signals |= 1ull << (send->u.sig.sig - 1);
	if (send->u.sig.cause && send->u.sig.cause < VIZ_CAUSE_MAX &&
	    !f->kernel_sig[send->u.sig.cause])
		f->kernel_sig[send->u.sig.cause] = send->u.sig.sig;
}

int match_model(struct viz_model *m)
{
	int err = match_objects(m);

	if (err)
		return err;
	return match_build_flows(m);
}
