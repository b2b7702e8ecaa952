/*
 * timeline_arrows - the transfer arrows of the timeline (timeline.c draws
 * the rest).  Each transfer is an arrow from the return of the send on the
 * sender's lane to the return of the receive that consumed it on the
 * receiver's lane, classed "xfer k-KIND" (colour by kind), with a tooltip
 * "pid → pid: B bytes via ID" and the send's payload sample, "pid → pid:
 * SIGUSR1 via signal:PID" or "pid → pid: V released a waiting P on ID".
 *
 * Above MAX_EXACT_TRANSFERS transfers they are aggregated: one arrow per
 * (writer lane, reader lane, time window of span / TIME_BUCKETS), from the
 * window's mean write time to its mean read time, 0.8 to 3 px wide by the
 * log of its count relative to the biggest window, tooltip with the count
 * and bytes.  Windows are widened (halved in number) until at most
 * MAX_ARROWS arrows remain; the bound left is then the number of distinct
 * lane pairs.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include "svg.h"
#include "timeline_internal.h"

/* One transfer, placed in its arrow of the aggregated view. */
struct xfer_key {
	uint32_t from_row, to_row, bucket, xfer;
};

/* "xfer k-KIND" for the arrows of OBJECT into CLS. */
static const char *arrow_class(char *cls, size_t size, const struct viz_model *m,
			       uint32_t object, const char *extra)
{
	enum ipct_kind kind = object < m->nobjects ? m->objects[object].kind : IPCT_KIND_NONE;

	snprintf(cls, size, "xfer k-%s%s", viz_kind_name(kind), extra);
	return cls;
}

/* The tooltip of transfer X from op S to op R. */
static void exact_tooltip(char *tip, size_t size, const struct viz_model *m,
			  const struct viz_transfer *x, const struct viz_op *s,
			  const struct viz_op *r)
{
	char sample[4 * TOOLTIP_PAYLOAD + 8], sig[32];
	const char *id = timeline_object_label(m, s->object);

	switch (s->type) {
	case VIZ_OP_SIG_GENERATE:
		snprintf(tip, size, "%u \xe2\x86\x92 %u: %s via %s", s->pid, r->pid,
			 viz_signal_name(s->u.sig.sig, sig, sizeof(sig)), id);
		break;
	case VIZ_OP_SEM:
		snprintf(tip, size, "%u \xe2\x86\x92 %u: V released a waiting P on %s",
			 s->pid, r->pid, id);
		break;
	default:
		timeline_format_payload(sample, sizeof(sample), m, s);
		snprintf(tip, size, "%u \xe2\x86\x92 %u: %llu bytes via %s%s%s", s->pid, r->pid,
			 (unsigned long long)x->bytes, id, sample[0] ? "\n" : "", sample);
	}
}

static void draw_exact(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char tip[400], cls[48];
	size_t i;

	for (i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *x = &m->transfers[i];
		const struct viz_op *s, *r;
		long from, to;

		if (x->send >= m->nops || x->recv >= m->nops)
			continue;
		if (!timeline_transfer_drawn(t, x))
			continue;
		s = &m->ops[x->send];
		r = &m->ops[x->recv];
		to = timeline_row(t, r->pid);
		if (to >= 0 && s->pid == 0 && s->type == VIZ_OP_SIG_GENERATE) {
			/* the kernel has no lane: a short arrow from above the target's */
			char cause[96], sig[32];

			viz_signal_cause_text(s->u.sig.cause, s->u.sig.sig, cause, sizeof(cause));
			snprintf(tip, sizeof(tip), "kernel \xe2\x86\x92 %u: %s", r->pid, cause[0] ? cause :
				 viz_signal_name(s->u.sig.sig, sig, sizeof(sig)));
			svg_arrow(t->out, timeline_x(t, s->ts_ns), timeline_lane_y(t, to) - LANE_H / 2,
				  timeline_x(t, r->ts_ns), timeline_lane_y(t, to),
				  arrow_class(cls, sizeof(cls), m, s->object, " from-kernel"), 0, tip);
			continue;
		}
		from = timeline_row(t, s->pid);
		if (from < 0 || to < 0)
			continue;
		exact_tooltip(tip, sizeof(tip), m, x, s, r);
		svg_arrow(t->out, timeline_x(t, s->ts_ns), timeline_lane_y(t, from),
			  timeline_x(t, r->ts_ns), timeline_lane_y(t, to),
			  arrow_class(cls, sizeof(cls), m, s->object, ""), 0, tip);
	}
}

static int cmp_xfer_key(const void *a, const void *b)
{
	const struct xfer_key *x = a, *y = b;

	if (x->from_row != y->from_row)
		return x->from_row < y->from_row ? -1 : 1;
	if (x->to_row != y->to_row)
		return x->to_row < y->to_row ? -1 : 1;
	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->xfer < y->xfer ? -1 : x->xfer > y->xfer;
}

/* True when A and B fall in one arrow with the TIME_BUCKETS buckets
 * merged into NB. */
static bool same_group(const struct xfer_key *a, const struct xfer_key *b, uint32_t nb)
{
	return a->from_row == b->from_row && a->to_row == b->to_row &&
	       a->bucket * nb / TIME_BUCKETS == b->bucket * nb / TIME_BUCKETS;
}

/* Number of arrows when the TIME_BUCKETS buckets are merged into NB. */
static size_t count_groups(const struct xfer_key *k, size_t n, uint32_t nb)
{
	size_t i, groups = 0;

	for (i = 0; i < n; i++)
		if (i == 0 || !same_group(&k[i], &k[i - 1], nb))
			groups++;
	return groups;
}

static void draw_group(struct timeline *t, const struct xfer_key *k, size_t n,
		       size_t max_count)
{
	const struct viz_model *m = t->m;
	double send_sum = 0, recv_sum = 0, width;
	uint64_t bytes = 0;
	uint32_t object = UINT32_MAX;
	bool many_objects = false;
	const struct viz_op *s0 = &m->ops[m->transfers[k[0].xfer].send];
	const struct viz_op *r0 = &m->ops[m->transfers[k[0].xfer].recv];
	char tip[256], cls[48];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct viz_transfer *x = &m->transfers[k[i].xfer];
		const struct viz_op *s = &m->ops[x->send];

		send_sum += s->ts_ns;
		recv_sum += m->ops[x->recv].ts_ns;
		bytes += x->bytes;
		if (object == UINT32_MAX)
			object = s->object;
		else if (object != s->object)
			many_objects = true;
	}
	/* 0.8 px for one transfer up to 3 px for the busiest window. */
	width = 0.8 + 2.2 * log1p((double)n) / log1p((double)max_count);
	if (many_objects)
		snprintf(tip, sizeof(tip), "%u → %u: %zu transfers, %llu bytes via several objects",
			 s0->pid, r0->pid, n, (unsigned long long)bytes);
	else
		snprintf(tip, sizeof(tip), "%u → %u: %zu transfers, %llu bytes via %s",
			 s0->pid, r0->pid, n, (unsigned long long)bytes,
			 timeline_object_label(m, object));
	svg_arrow(t->out, timeline_x(t, (uint64_t)(send_sum / n)), timeline_lane_y(t, k[0].from_row),
		  timeline_x(t, (uint64_t)(recv_sum / n)), timeline_lane_y(t, k[0].to_row),
		  arrow_class(cls, sizeof(cls), m, many_objects ? UINT32_MAX : object, " agg"),
		  width, tip);
}

static int draw_aggregated(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct xfer_key *keys;
	size_t i, n = 0, start, max_count = 1;
	uint32_t nb = TIME_BUCKETS;
	int pass;

	keys = malloc(m->ntransfers * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *x = &m->transfers[i];
		long from, to;
		uint64_t ts;

		if (x->send >= m->nops || x->recv >= m->nops)
			continue;
		if (!timeline_transfer_drawn(t, x))
			continue;
		from = timeline_row(t, m->ops[x->send].pid);
		to = timeline_row(t, m->ops[x->recv].pid);
		if (from < 0 || to < 0)
			continue;
		ts = m->ops[x->send].ts_ns;
		ts = ts > t->t0 ? ts - t->t0 : 0;
		if (ts > t->span)
			ts = t->span;
		keys[n].from_row = from;
		keys[n].to_row = to;
		/* ts <= span < 2^64 / 200 for any trace shorter than 2 years. */
		keys[n].bucket = ts >= t->span ? TIME_BUCKETS - 1 :
				 (uint32_t)(ts * TIME_BUCKETS / t->span);
		keys[n].xfer = i;
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_xfer_key);
	/* Coarser time windows until the arrows fit; the bound left is the
	 * number of distinct (writer, reader) lane pairs. */
	while (nb > 1 && count_groups(keys, n, nb) > MAX_ARROWS)
		nb /= 2;
	for (pass = 0; pass < 2; pass++) {
		/* Pass 0 finds the biggest group, pass 1 draws. */
		for (start = 0, i = 1; i <= n; i++) {
			if (i < n && same_group(&keys[i], &keys[start], nb))
				continue;
			if (pass == 0 && i - start > max_count)
				max_count = i - start;
			if (pass == 1)
				draw_group(t, keys + start, i - start, max_count);
			start = i;
		}
	}
	free(keys);
	return 0;
}

int timeline_draw_transfers(struct timeline *t)
{
	if (t->m->ntransfers > MAX_EXACT_TRANSFERS)
		return draw_aggregated(t);
	draw_exact(t);
	return 0;
}
