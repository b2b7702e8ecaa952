/*
 * series - channels over time (viz/hot.h): depth and throughput.
 *
 * A channel's depth is what was sent into it and not yet received: bytes
 * for byte streams (pipe, FIFO, stream sockets), messages for message
 * kinds (message queues, datagram sockets, signals pending delivery).
 * Files keep their data, shared memory and semaphores carry none: they
 * have no depth.  It changes when a send or a receive returns: + what a
 * send moved, - what a receive consumed (peeks take nothing).
 *
 * A receive may return before the send it drains: a write larger than a
 * pipe returns only after readers took most of it.  The balance then goes
 * below 0 until that send returns, and the depth is 0 meanwhile; so a pipe
 * never shows more than it held.  Bytes read that no traced write
 * explains (written before tracing began, with -p) lower the balance the
 * same way, for the rest of the run: the depth may then read low.
 *
 * Throughput is what was sent per time bucket.  Both are one pass over
 * the time-sorted ops (a streaming load, model.h, summed its byte
 * streams' depth while reading: the totals and maximum, not the points).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "hot.h"

enum depth_unit series_unit(const struct viz_model *m, uint32_t object)
{
	const struct viz_object *o = &m->objects[object];

	switch (o->kind) {
	case IPCT_KIND_PIPE:
	case IPCT_KIND_FIFO:
	case IPCT_KIND_TCP:
		return DEPTH_BYTES;
	case IPCT_KIND_UNIX:
	case IPCT_KIND_UDP:
		/* the same test as the matcher's choice of byte offsets */
		if (o->kind == IPCT_KIND_UNIX &&
		    (o->sock_type == SOCK_STREAM || (o->sock_type == 0 && o->ino2)))
			return DEPTH_BYTES;
		return DEPTH_MESSAGES;
	case IPCT_KIND_MSGQ:
	case IPCT_KIND_SIGNAL:
		return DEPTH_MESSAGES;
	default:
		return DEPTH_NONE;
	}
}

int64_t series_depth_delta(const struct viz_op *op, enum depth_unit unit)
{
	switch (op->type) {
	case VIZ_OP_IO:
		if (op->ret <= 0 || (op->dir == IPCT_DIR_RECV && (op->flags & IPCT_IO_PEEK)))
			return 0;
		break;
	case VIZ_OP_MSG:
		if (op->ret < 0)
			return 0;
		break;
	case VIZ_OP_SIG_GENERATE:
		return op->ret == 0 ? 1 : 0;    /* queued for the target */
	case VIZ_OP_SIG_DELIVER:
		return -1;
	default:
		return 0;
	}
	int64_t amount = unit == DEPTH_BYTES ? op->ret : 1;
	return op->dir == IPCT_DIR_SEND ? amount : -amount;
}

/* Append (TS, DEPTH) to C's points, or replace the last one at the same time. */
static int add_point(struct channel_series *c, size_t *cap, uint64_t ts, uint64_t depth)
{
	if (c->npoints && c->points[c->npoints - 1].ts_ns == ts) {
		c->points[c->npoints - 1].depth = depth;
		return 0;
	}
	if (c->npoints == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		void *p = realloc(c->points, ncap * sizeof(*c->points));
		if (!p)
			return -ENOMEM;
		c->points = p;
		*cap = ncap;
	}
	c->points[c->npoints++] = (struct depth_point){ ts, depth };
	return 0;
}

int series_compute(const struct viz_model *m, bool keep_points, struct series_table *s)
{
	size_t n = m->nobjects ? m->nobjects : 1;
	size_t *cap = calloc(n, sizeof(*cap));
	int64_t *depth = calloc(n, sizeof(*depth));
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->channels = calloc(n, sizeof(*s->channels));
	if (!s->channels || !cap || !depth) {
		err = -ENOMEM;
		goto out;
	}
	s->nchannels = m->nobjects;
	for (size_t o = 0; o < m->nobjects; o++)
		s->channels[o].unit = series_unit(m, o);
	for (size_t i = 0; i < m->nops && !err; i++) {
		const struct viz_op *op = &m->ops[i];
		struct channel_series *c = &s->channels[op->object];
		int64_t *now = &depth[op->object];
		int64_t d;

		if (c->unit == DEPTH_NONE || !(d = series_depth_delta(op, c->unit)))
			continue;
		*now += d;
		if (d > 0) {
			c->messages++;
			if (op->type == VIZ_OP_IO || op->type == VIZ_OP_MSG)
				c->bytes += (uint64_t)op->ret;
			if (*now > 0 && (uint64_t)*now > c->max_depth) {
				c->max_depth = (uint64_t)*now;
				c->max_depth_ns = op->ts_ns;
			}
		}
		if (keep_points)
			err = add_point(c, &cap[op->object], op->ts_ns, *now > 0 ? (uint64_t)*now : 0);
	}
	/* a streaming load summed the byte streams' depth as it went (no points) */
	for (size_t o = 0; !err && o < m->nobjects && o < m->ncalls / 2; o++) {
		const struct viz_depth *d = &m->depth[o];
		struct channel_series *c = &s->channels[o];
		if (!d->seen)
			continue;
		c->messages = d->messages;
		c->bytes = d->bytes;
		c->max_depth = d->max_depth;
		c->max_depth_ns = d->max_depth_ns;
	}
out:
	free(cap);
	free(depth);
	if (err)
		series_release(s);
	return err;
}

void series_release(struct series_table *s)
{
	for (size_t o = 0; s->channels && o < s->nchannels; o++)
		free(s->channels[o].points);
	free(s->channels);
	memset(s, 0, sizeof(*s));
}

/* Per-object throughput accumulator of series_throughput(). */
struct bucket_acc {
	uint64_t bucket;
	uint64_t bytes, messages;
};

int series_throughput(const struct viz_model *m, uint64_t origin_ns, uint64_t bucket_ns,
		      series_fn fn, void *ctx)
{
	struct bucket_acc *acc = calloc(m->nobjects ? m->nobjects : 1, sizeof(*acc));

	if (!acc)
		return -ENOMEM;
	if (!bucket_ns)
		bucket_ns = 1;
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		enum depth_unit unit = series_unit(m, op->object);
		struct bucket_acc *a = &acc[op->object];
		uint64_t b = (op->ts_ns - origin_ns) / bucket_ns;

		if (op->ts_ns < origin_ns || unit == DEPTH_NONE || series_depth_delta(op, unit) <= 0)
			continue;
		if (a->messages && a->bucket != b) {
			fn(ctx, op->object, origin_ns + a->bucket * bucket_ns,
			   origin_ns + (a->bucket + 1) * bucket_ns, a->bytes, a->messages);
			a->bytes = a->messages = 0;
		}
		a->bucket = b;
		a->messages++;
		if (op->type == VIZ_OP_IO || op->type == VIZ_OP_MSG)
			a->bytes += (uint64_t)op->ret;
	}
	for (size_t o = 0; o < m->nobjects; o++)
		if (acc[o].messages)
			fn(ctx, o, origin_ns + acc[o].bucket * bucket_ns,
			   origin_ns + (acc[o].bucket + 1) * bucket_ns, acc[o].bytes, acc[o].messages);
	free(acc);
	return 0;
}
