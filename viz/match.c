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
 * match_model() applies it to a built model: it buckets the (time-sorted)
 * ops by object, matches every pipe and fifo, and turns the overlaps into
 * model->transfers and, summed per (object, from, to), model->flows.
 */
#include <errno.h>
#include <stdlib.h>
#include "match.h"
#include "model.h"

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

/* Make room for NEED elements of SIZE bytes in *P (capacity *CAP). */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}


static bool is_byte_stream(enum ipct_kind kind)
{
	return kind == IPCT_KIND_PIPE || kind == IPCT_KIND_FIFO;
}

struct transfer_sink {
	struct viz_model *m;
	size_t cap;
};

static int add_transfer(void *ctx, uint32_t send, uint32_t recv, uint64_t bytes)
{
	struct transfer_sink *t = ctx;
	struct viz_model *m = t->m;

	if (grow((void **)&m->transfers, &t->cap, m->ntransfers + 1,
		 sizeof(*m->transfers)))
		return -ENOMEM;
	m->transfers[m->ntransfers++] = (struct viz_transfer){ send, recv, bytes };
	return 0;
}

static int cmp_transfer(const void *a, const void *b)
{
	const struct viz_transfer *x = a, *y = b;

	if (x->send != y->send)
		return x->send < y->send ? -1 : 1;
	return x->recv < y->recv ? -1 : x->recv > y->recv;
}

/* Run the matcher on each object's ops (already in time order), set op
 * offsets and object byte counts, and collect the transfers. */
static int match_objects(struct viz_model *m)
{
	size_t *start = calloc(m->nobjects + 1, sizeof(*start));
	size_t *fill = calloc(m->nobjects + 1, sizeof(*fill));
	struct match_item *items = malloc((m->nops ? m->nops : 1) * sizeof(*items));
	struct match_item *recvs = malloc((m->nops ? m->nops : 1) * sizeof(*recvs));
	struct transfer_sink sink = { m, 0 };
	int err = -ENOMEM;

	if (!start || !fill || !items || !recvs)
		goto out;
	/* Bucket op indexes by object, keeping time order inside a bucket. */
	for (size_t i = 0; i < m->nops; i++)
		start[m->ops[i].object + 1]++;
	for (size_t o = 0; o < m->nobjects; o++)
		start[o + 1] += start[o];
	uint32_t *bucket = malloc((m->nops ? m->nops : 1) * sizeof(*bucket));
	if (!bucket)
		goto out;
	for (size_t i = 0; i < m->nops; i++) {
		uint32_t o = m->ops[i].object;
		bucket[start[o] + fill[o]++] = i;
	}

	err = 0;
	for (size_t o = 0; o < m->nobjects && !err; o++) {
		struct viz_object *obj = &m->objects[o];
		size_t ns = 0, nr = 0;

		for (size_t k = start[o]; k < start[o + 1]; k++) {
			const struct viz_op *op = &m->ops[bucket[k]];
			struct match_item it = {
				.len = op->ret > 0 ? (uint64_t)op->ret : 0,
				.op = bucket[k],
				.begin_ns = op->ts_ns > op->duration_ns ?
					    op->ts_ns - op->duration_ns : 0,
				.end_ns = op->ts_ns,
			};
			if (op->dir == IPCT_DIR_SEND) {
				items[ns++] = it;
				obj->sent_bytes += it.len;
			} else {
				recvs[nr++] = it;
				obj->received_bytes += it.len;
			}
		}
		if (is_byte_stream(obj->kind))
			err = match_byte_stream(items, ns, recvs, nr, add_transfer,
						&sink, &obj->unmatched_bytes);
		else    /* offsets only: no byte-stream matching for this kind */
			match_byte_stream(items, ns, recvs, nr, NULL, NULL, NULL);
		for (size_t k = 0; k < ns; k++)
			m->ops[items[k].op].offset = items[k].offset;
		for (size_t k = 0; k < nr; k++)
			m->ops[recvs[k].op].offset = recvs[k].offset;
	}
	free(bucket);
	if (!err && m->ntransfers)
		qsort(m->transfers, m->ntransfers, sizeof(*m->transfers), cmp_transfer);
out:
	free(start);
	free(fill);
	free(items);
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

	if (x->object != y->object)
		return x->object < y->object ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return x->send < y->send ? -1 : x->send > y->send;
}

/* Sum the transfers per (object, from pid, to pid): bytes delivered and
 * the number of distinct send ops that delivered at least one byte. */
static int build_flows(struct viz_model *m)
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
		struct viz_flow *f = m->nflows ? &m->flows[m->nflows - 1] : NULL;

		if (!f || f->object != p->object || f->from != p->from || f->to != p->to) {
			if (grow((void **)&m->flows, &cap, m->nflows + 1, sizeof(*m->flows))) {
				free(parts);
				return -ENOMEM;
			}
			f = &m->flows[m->nflows++];
			*f = (struct viz_flow){ p->object, p->from, p->to, 0, 0 };
		}
		if (i == 0 || cmp_flow_part(&parts[i - 1], p) != 0)
			f->messages++;  /* a new send op for this (object, from, to) */
		f->bytes += p->bytes;
	}
	free(parts);
	return 0;
}

int match_model(struct viz_model *m)
{
	int err = match_objects(m);

	if (err)
		return err;
	return build_flows(m);
}
