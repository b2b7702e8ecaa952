/*
 * stream_file - regular files matched while the trace is read
 * (stream.c), by the rule and with the map of match_file() (match_file.c):
 * per file, the byte ranges each naming the write that last stored them.
 * Ops come in time order, so the walk is the whole-history one; what is
 * kept is the map and the writes it names (a pool with a count of the
 * ranges naming each), not the history.
 *
 * A map past PENDING_MAX ranges gives up its lowest quarter (a log that
 * only grows keeps its tail); a read that starts below what was given up
 * counts in m->stream_dropped (some of its bytes may be unmatched here
 * and matched by the whole-history load).  Each overlap feeds the flow,
 * its latency and the sink as a byte stream's transfer does
 * (stream_transfer()); files have no waits (waits.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "match_internal.h"
#include "search.h"
#include "stream_internal.h"

/* What a read or a write does to the ranges it meets. */
struct meet {
	struct builder *b;
	struct chan *c;
	struct pend_recv *r;           /* the read, or NULL for a write */
	uint64_t a, end;               /* the call's bytes [a, end) */
};

/* A write over [a, end): a range inside it is gone, one around it is cut
 * in two (the write named twice). */
static int on_overwrite(struct meet *x, const struct file_segment *g, uint64_t bytes)
{
	struct send_pool *kept = &x->b->stream->kept;

	if (bytes == g->end - g->start)
		return send_pool_put(kept, g->ref);
	if (g->start < x->a && g->end > x->end)
		kept->v[g->ref].refs++;
	return 0;
}

static int on_meet(void *ctx, const struct file_segment *g, uint64_t bytes)
{
	struct meet *x = ctx;
	struct stream_state *y = x->b->stream;

	if (!x->r)
		return on_overwrite(x, g, bytes);
	if (model_grow((void **)&y->parts, &y->cap_parts, y->nparts + 1, sizeof(*y->parts)))
		return -ENOMEM;
	y->parts[y->nparts] = (struct file_part){ g->ref, (uint32_t)y->nparts, bytes };
	y->nparts++;
	return 0;
}

static int cmp_part_ref(const void *a, const void *b)
{
	const struct file_part *x = a, *y = b;

	return VIZ_ORDER(x->ref, y->ref) ?: VIZ_ORDER(x->first, y->first);
}

static int cmp_part_first(const void *a, const void *b)
{
	const struct file_part *x = a, *y = b;

	return VIZ_ORDER(x->first, y->first);
}

/* The read's transfers: one per write it met (a write met twice, around
 * a later overwrite, is one transfer, as match.c merges them), in the
 * order of their first bytes. */
static int read_transfers(struct meet *x)
{
	struct stream_state *y = x->b->stream;
	size_t n = 0;
	int err = 0;

	if (y->nparts > 1) {
		qsort(y->parts, y->nparts, sizeof(*y->parts), cmp_part_ref);
		for (size_t i = 0; i < y->nparts; i++) {
			if (n && y->parts[n - 1].ref == y->parts[i].ref)
				y->parts[n - 1].bytes += y->parts[i].bytes;
			else
				y->parts[n++] = y->parts[i];
		}
		y->nparts = n;
		qsort(y->parts, y->nparts, sizeof(*y->parts), cmp_part_first);
	}
	for (size_t i = 0; i < y->nparts && !err; i++)
		err = stream_transfer(x->b, x->c, &x->b->stream->kept.v[y->parts[i].ref].send,
				      x->r, y->parts[i].bytes);
	y->nparts = 0;
	return err;
}

/* Give up the lowest quarter of F's ranges. */
static int give_up(struct send_pool *kept, struct kept_object *f)
{
	size_t n = f->map.n / 4;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++)
		err = send_pool_put(kept, f->map.seg[i].ref);
	if (n && f->map.seg[n - 1].end > f->given_up)
		f->given_up = f->map.seg[n - 1].end;
	memmove(f->map.seg, f->map.seg + n, (f->map.n - n) * sizeof(*f->map.seg));
	f->map.n -= n;
	return err;
}

int stream_file_op(struct builder *b, const struct held *h)
{
	const struct viz_op *op = &h->op;
	struct viz_object *obj = &b->m->objects[op->object];
	struct kept_object *f = stream_kept_object(b->stream, op->object);
	uint64_t len = op->ret > 0 ? (uint64_t)op->ret : 0, covered;
	struct meet x = { b, stream_chan_get(b->stream, 2 * (size_t)op->object), NULL,
			  op->offset, op->offset + len };
	int err;

	if (!f || !x.c)
		return -ENOMEM;
	if (!len)
		return 0;
	if (op->dir == IPCT_DIR_SEND) {
		struct send_pool *kept = &b->stream->kept;
		uint32_t w = send_pool_take(kept, h, 1);

		obj->sent_bytes += len;
		if (w == UINT32_MAX)
			return -ENOMEM;
		if ((err = file_map_read(&f->map, x.a, x.end, on_meet, &x, &covered)) ||
		    (err = file_map_store(&f->map, x.a, x.end, w)))
			return err;
		return f->map.n > PENDING_MAX ? give_up(kept, f) : 0;
	}
	struct pend_recv r = { .left = len, .ts_ns = op->ts_ns, .seq = h->seq,
			       .begin_ns = viz_op_begin(op), .pid = op->pid, .tid = op->tid,
			       .syscall = op->syscall, .fed = true };
	obj->received_bytes += len;
	if (x.a < f->given_up)
		b->m->stream_dropped++;
	x.r = &r;
	err = file_map_read(&f->map, x.a, x.end, on_meet, &x, &covered);
	obj->unmatched_bytes += len - covered;
	return err ? err : read_transfers(&x);
}
