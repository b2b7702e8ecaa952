/*
 * timeline_arrows - the transfer arrows of the timeline (timeline.c draws
 * the rest).  Each transfer is an arrow from the return of the send on the
 * sender's lane to the return of the receive that consumed it on the
 * receiver's lane, classed "xfer k-KIND" (colour by kind) and, for the
 * embedded script, "pPID" for both ends' pids and "oINDEX" for the
 * channel.  Tooltip: "pid → pid: B bytes via ID" and the send's payload
 * sample, "pid → pid: SIGUSR1 via signal:PID" or "pid → pid: V released a
 * waiting P on ID".
 *
 * Bundling by pixel density: transfers between the same two lanes whose
 * arrows would start within BUNDLE_PX pixels of each other and end within
 * BUNDLE_PX of each other (a grid of BUNDLE_PX cells over both ends) are
 * drawn as one arrow from their mean start to their mean end, classed
 * "bundle", BUNDLE_MIN_W to BUNDLE_MAX_W pixels wide by the log of the
 * count, with a tooltip of the count, bytes, channel(s) and latency range
 * (send's return to receive's return).  A lone transfer keeps its own
 * arrow and tooltip.  If that leaves more than MAX_ARROWS arrows, the
 * cells are widened (doubled) until it does not: the picture of a
 * million transfers stays a few hundred kilobytes.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include "svg.h"
#include "timeline_internal.h"

/* One transfer placed on the page. */
struct xfer_key {
	uint32_t from_row, to_row;
	uint32_t cell1, cell2;  /* the cells of x1 and x2 */
	uint32_t xfer;
	float x1, x2;           /* send's and receive's return */
};

/* `xfer k-KIND pFROM pTO oOBJECT EXTRA` into CLS (no oOBJECT unless
 * ONE_OBJECT). */
static const char *xfer_class(char *cls, size_t size, const struct viz_model *m,
			      uint32_t object, uint32_t from, uint32_t to, bool one_object,
			      const char *extra)
{
	enum ipct_kind kind = object < m->nobjects ? m->objects[object].kind : IPCT_KIND_NONE;
	int used = snprintf(cls, size, "xfer k-%s p%u p%u", kind ? viz_kind_name(kind) : "none",
			    from, to);

	if (one_object && used > 0 && (size_t)used < size)
		used += snprintf(cls + used, size - used, " o%u", object);
	if (used > 0 && (size_t)used < size)
		snprintf(cls + used, size - used, "%s", extra);
	return cls;
}

/* The same for the transfer from op S to op R. */
static const char *arrow_class(char *cls, size_t size, const struct viz_model *m,
			       const struct viz_op *s, const struct viz_op *r,
			       bool one_object, const char *extra)
{
	return xfer_class(cls, size, m, s->object, s->pid, r->pid, one_object, extra);
}

void timeline_draw_bundle(struct timeline *t, const struct timeline_bundle *b,
			  double x1, double y1, double x2, double y2)
{
	const struct viz_model *m = t->m;
	bool one = !b->several && b->object < m->nobjects;
	char tip[400], cls[96], lo[32], hi[32];
	double width = BUNDLE_MIN_W + 0.6 * log2((double)b->n);

	timeline_format_duration(lo, sizeof(lo), b->lat_min);
	timeline_format_duration(hi, sizeof(hi), b->lat_max);
	snprintf(tip, sizeof(tip), "%u \xe2\x86\x92 %u: %llu transfer%s, %llu bytes via %s\n"
		 "latency %s%s%s (send's return to receive's return)",
		 b->from_pid, b->to_pid, (unsigned long long)b->n, b->n == 1 ? "" : "s",
		 (unsigned long long)b->bytes,
		 one ? timeline_object_label(m, b->object) : "several channels",
		 lo, b->lat_min == b->lat_max ? "" : " to ", b->lat_min == b->lat_max ? "" : hi);
	xfer_class(cls, sizeof(cls), m, b->object, b->from_pid, b->to_pid, one,
		   b->n > 1 || !one ? " bundle" : "");
	svg_arrow(t->out, x1, y1, x2, y2, cls,
		  b->n > 1 ? (width > BUNDLE_MAX_W ? BUNDLE_MAX_W : width) : 0, tip);
}

/* The tooltip of the transfer of BYTES from op S to op R. */
static void exact_tooltip(char *tip, size_t size, const struct viz_model *m, uint64_t bytes,
			  const struct viz_op *s, const struct viz_op *r)
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
			 (unsigned long long)bytes, id, sample[0] ? "\n" : "", sample);
	}
}

void timeline_draw_exact(struct timeline *t, const struct viz_op *s, const struct viz_op *r,
			 uint64_t bytes, double x1, double y1, double x2, double y2)
{
	char tip[400], cls[96];

	exact_tooltip(tip, sizeof(tip), t->m, bytes, s, r);
	svg_arrow(t->out, x1, y1, x2, y2, arrow_class(cls, sizeof(cls), t->m, s, r, true, ""), 0,
		  tip);
}

void timeline_draw_from_kernel(struct timeline *t, const struct viz_op *s,
			       const struct viz_op *r, long to)
{
	char tip[200], cause[96], sig[32], cls[96];
	double y = timeline_lane_y(t, to);

	viz_signal_cause_text(s->u.sig.cause, s->u.sig.sig, cause, sizeof(cause));
	snprintf(tip, sizeof(tip), "kernel \xe2\x86\x92 %u: %s", r->pid, cause[0] ? cause :
		 viz_signal_name(s->u.sig.sig, sig, sizeof(sig)));
	svg_arrow(t->out, timeline_x(t, s->ts_ns), y - LANE_H / 2, timeline_x(t, r->ts_ns), y,
		  arrow_class(cls, sizeof(cls), t->m, s, r, true, " from-kernel"), 0, tip);
}

static int cmp_xfer_key(const void *a, const void *b)
{
	const struct xfer_key *x = a, *y = b;

	if (x->from_row != y->from_row)
		return x->from_row < y->from_row ? -1 : 1;
	if (x->to_row != y->to_row)
		return x->to_row < y->to_row ? -1 : 1;
	if (x->cell1 != y->cell1)
		return x->cell1 < y->cell1 ? -1 : 1;
	if (x->cell2 != y->cell2)
		return x->cell2 < y->cell2 ? -1 : 1;
	return x->xfer < y->xfer ? -1 : x->xfer > y->xfer;
}

/* Do A and B fall in one bundle? */
static bool same_bundle(const struct xfer_key *a, const struct xfer_key *b)
{
	return a->from_row == b->from_row && a->to_row == b->to_row &&
	       a->cell1 == b->cell1 && a->cell2 == b->cell2;
}

/* Place the keys in cells of CELL pixels and sort them so that a bundle's
 * keys are adjacent; returns the number of bundles. */
static size_t group_bundles(struct xfer_key *k, size_t n, double cell)
{
	size_t bundles = 0;

	for (size_t i = 0; i < n; i++) {
		k[i].cell1 = (uint32_t)(k[i].x1 / cell);
		k[i].cell2 = (uint32_t)(k[i].x2 / cell);
	}
	qsort(k, n, sizeof(*k), cmp_xfer_key);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || !same_bundle(&k[i - 1], &k[i]))
			bundles++;
	return bundles;
}

static void draw_bundle(struct timeline *t, const struct xfer_key *k, size_t n)
{
	const struct viz_model *m = t->m;
	const struct viz_transfer *x0 = &m->transfers[k[0].xfer];
	const struct viz_op *s0 = &m->ops[x0->send], *r0 = &m->ops[x0->recv];
	struct timeline_bundle b = { .from_pid = s0->pid, .to_pid = r0->pid, .object = s0->object,
				     .n = n, .lat_min = UINT64_MAX };
	double sum1 = 0, sum2 = 0;

	if (n == 1) {
		timeline_draw_exact(t, s0, r0, x0->bytes, k[0].x1, timeline_lane_y(t, k[0].from_row),
				    k[0].x2, timeline_lane_y(t, k[0].to_row));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct viz_transfer *x = &m->transfers[k[i].xfer];
		const struct viz_op *s = &m->ops[x->send], *r = &m->ops[x->recv];
		uint64_t lat = r->ts_ns > s->ts_ns ? r->ts_ns - s->ts_ns : 0;

		sum1 += k[i].x1;
		sum2 += k[i].x2;
		b.bytes += x->bytes;
		b.lat_min = lat < b.lat_min ? lat : b.lat_min;
		b.lat_max = lat > b.lat_max ? lat : b.lat_max;
		if (s->object != s0->object)
			b.several = true;
	}
	timeline_draw_bundle(t, &b, sum1 / n, timeline_lane_y(t, k[0].from_row),
			     sum2 / n, timeline_lane_y(t, k[0].to_row));
}

int timeline_draw_transfers(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct xfer_key *keys;
	double cell = BUNDLE_PX;
	size_t i, n = 0, start;

	keys = malloc((m->ntransfers ? m->ntransfers : 1) * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *x = &m->transfers[i];
		const struct viz_op *s, *r;
		long from, to;

		if (x->send >= m->nops || x->recv >= m->nops || !timeline_transfer_drawn(t, x))
			continue;
		s = &m->ops[x->send];
		r = &m->ops[x->recv];
		to = timeline_op_row(t, r);
		if (to >= 0 && s->pid == 0 && s->type == VIZ_OP_SIG_GENERATE) {
			timeline_draw_from_kernel(t, s, r, to);
			continue;
		}
		from = timeline_op_row(t, s);
		if (from < 0 || to < 0)
			continue;
		keys[n++] = (struct xfer_key){ .from_row = (uint32_t)from, .to_row = (uint32_t)to,
					       .xfer = (uint32_t)i,
					       .x1 = (float)timeline_x(t, s->ts_ns),
					       .x2 = (float)timeline_x(t, r->ts_ns) };
	}
	/* Wider cells until the arrows fit; the bound left is the number of
	 * lane pairs. */
	while (group_bundles(keys, n, cell) > MAX_ARROWS && cell < t->plot_w)
		cell *= 2;
	for (start = 0, i = 1; i <= n; i++) {
		if (i < n && same_bundle(&keys[start], &keys[i]))
			continue;
		draw_bundle(t, keys + start, i - start);
		start = i;
	}
	free(keys);
	return 0;
}
