/*
 * timeline_calls - the time each process spent inside its IPC calls, as
 * blocks on its lane (timeline.c draws the rest): sends in the upper half,
 * receives in the lower half, from the call's entry to its return, filled
 * with the channel kind's colour (palette.h), tooltip naming the call as
 * every picture does (viz_op_call_name).  Past MAX_EXACT_CALLS calls on a
 * lane (or MAX_EXACT_CALLS_TOTAL in all), blocks of one direction closer
 * than a pixel column merge into one with a summary tooltip, as opaque as
 * the share of its time spent inside calls (at least 25%).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "palette.h"
#include "svg.h"
#include "timeline_internal.h"

/* One merged (or single) block of calls on a lane. */
struct block {
	double x0, x1;
	uint64_t calls, bytes, busy_ns;
	const struct viz_op *op;         /* the op when calls == 1 */
	int kind;                        /* the calls' channel kind, -1 if several */
	double true_w;                   /* one call: its width before the 1-px minimum */
	int open;
};

bool timeline_call_drawn(const struct timeline *t, const struct viz_op *op)
{
	const struct viz_model *m = t->m;

	if ((op->dir != IPCT_DIR_SEND && op->dir != IPCT_DIR_RECV) ||
	    op->type == VIZ_OP_SIG_GENERATE ||
	    (op->type == VIZ_OP_SIG_DELIVER && !viz_op_sigwait(op)))
		return false;   /* not calls: shown by their arrows */
	if (!m->show_all && (op->object >= m->nobjects ||
			     !(m->objects[op->object].flags & VIZ_OBJ_SHOWN)))
		return false;   /* a channel that is not communication: folded */
	return timeline_row(t, op->pid) >= 0;
}

static void flush_block(struct timeline *t, struct block *b, size_t row, int dir)
{
	const struct viz_model *m = t->m;
	char tip[512], busy[32], sample[4 * TOOLTIP_PAYLOAD + 8], call[64], cls[32];
	double y = timeline_lane_y(t, row) + (dir == IPCT_DIR_SEND ? -TRACK_H - 1 : 1);
	const char *what = dir == IPCT_DIR_SEND ? "write" : "read";

	if (!b->open)
		return;
	timeline_format_duration(busy, sizeof(busy), b->busy_ns);
	if (b->calls == 1) {
		const struct viz_op *op = b->op;

		what = viz_op_call_name(m, op, call, sizeof(call));
		timeline_format_payload(sample, sizeof(sample), m, op);
		if (op->ret < 0)
			snprintf(tip, sizeof(tip), "%s on %s failed: %s, %s in the call",
				 what, timeline_object_label(m, op->object), strerror((int)-op->ret), busy);
		else if (!viz_op_moves_bytes(op))
			snprintf(tip, sizeof(tip), "%s on %s, %s in the call", what,
				 timeline_object_label(m, op->object), busy);
		else
			snprintf(tip, sizeof(tip), "%s of %lld bytes %s %s, %s in the call%s%s",
				 what, (long long)op->ret,
				 dir == IPCT_DIR_SEND ? "into" : "from",
				 timeline_object_label(m, op->object), busy,
				 sample[0] ? "\n" : "", sample);
	} else {
		snprintf(tip, sizeof(tip), "%llu %ss, %llu bytes, %s inside calls",
			 (unsigned long long)b->calls, what,
			 (unsigned long long)b->bytes, busy);
	}
	snprintf(cls, sizeof(cls), "%s c-%s p%u", dir == IPCT_DIR_SEND ? "send" : "recv",
		 b->kind > 0 ? viz_kind_name(b->kind) : "none", t->procs[row]->pid);
	if (b->calls == 1) {
		svg_rect_min(t->out, b->x0, y, b->true_w, TRACK_H, 1, cls, 1, tip);
	} else {
		/* Merged calls: as opaque as the share of the block's time
		 * spent inside them, so sparse calls do not look like one
		 * long wait. */
		double covered = (b->x1 - b->x0) * t->span / t->plot_w;
		double share = covered > 0 ? b->busy_ns / covered : 1;

		svg_rect_faded(t->out, b->x0, y, b->x1 - b->x0, TRACK_H, cls,
			       share < 0.25 ? 0.25 : share > 1 ? 1 : share, tip);
	}
	b->open = 0;
}

int timeline_waits_collect(struct timeline *t)
{
	const struct viz_model *m = t->m;

	t->waits = calloc(m->nblocked ? m->nblocked : 1, sizeof(*t->waits));
	if (!t->waits)
		return -ENOMEM;
	for (size_t i = 0; i < m->nblocked; i++) {
		const struct viz_blocked *bl = &m->blocked[i];

		t->waits[i] = (struct timeline_wait){ bl->ts_ns, bl->duration_ns, bl->pid, bl->tid,
						      bl->ret, bl->syscall, bl->kind };
	}
	t->nwaits = m->nblocked;
	return 0;
}

/* Accept and connect: lower-half blocks, classed "recv c-KIND pPID
 * blocked".  Past MAX_EXACT_CALLS_TOTAL of them only those half a pixel
 * wide or more. */
static void draw_blocked(struct timeline *t)
{
	char tip[256], busy[32], cls[64];

	for (size_t i = 0; i < t->nwaits; i++) {
		const struct timeline_wait *bl = &t->waits[i];
		uint64_t begin = bl->ts_ns > bl->duration_ns ? bl->ts_ns - bl->duration_ns : 0;
		long row = timeline_thread_row(t, bl->pid, bl->tid);
		double x0 = timeline_x(t, begin), x1 = timeline_x(t, bl->ts_ns);
		const char *kind = bl->kind && bl->kind < IPCT_KIND_MAX ? viz_kind_name(bl->kind) : "none";
		const char *call = viz_blocked_call_name(bl->syscall);

		if (row < 0 || bl->ts_ns < t->t0 || begin > t->t0 + t->span)
			continue;
		if (t->nwaits > MAX_EXACT_CALLS_TOTAL && x1 - x0 < 0.5)
			continue;
		timeline_format_duration(busy, sizeof(busy), bl->duration_ns);
		if (bl->ret < 0)
			snprintf(tip, sizeof(tip), "%s failed: %s, %s in the call",
				 call, strerror((int)-bl->ret), busy);
		else
			snprintf(tip, sizeof(tip), "%s on %s, %s in the call", call, kind, busy);
		snprintf(cls, sizeof(cls), "recv c-%s p%u blocked", kind, bl->pid);
		svg_rect_min(t->out, x0, timeline_lane_y(t, row) + 1, x1 - x0, TRACK_H, 1, cls, 1, tip);
	}
}

int timeline_draw_calls(struct timeline *t)
{
	const struct viz_model *m = t->m;
	uint64_t *per_row;
	struct block *blocks;  /* 2 per row: [row * 2 + (dir == RECV)] */
	double column = 1.0;   /* merge blocks closer than this (pixels) */
	size_t i;

	per_row = calloc(t->nrows ? t->nrows : 1, sizeof(*per_row));
	blocks = calloc(t->nrows ? t->nrows * 2 : 1, sizeof(*blocks));
	if (!per_row || !blocks) {
		free(per_row);
		free(blocks);
		return -ENOMEM;
	}
	for (i = 0; i < m->nops; i++) {
		long row = timeline_op_row(t, &m->ops[i]);

		if (row >= 0)
			per_row[row]++;
	}
	/* Merged blocks are at most one per column, per lane and direction. */
	if (t->nrows * 2 * t->plot_w > MAX_MERGED_BLOCKS)
		column = t->nrows * 2 * t->plot_w / MAX_MERGED_BLOCKS;

	svg_group_begin(t->out, "calls", NULL);
	for (i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		long row = timeline_op_row(t, op);
		uint64_t begin = viz_op_begin(op);
		double x0 = timeline_x(t, begin), x1 = timeline_x(t, op->ts_ns);
		bool merge;
		struct block *b;

		if (!timeline_call_drawn(t, op))
			continue;
		merge = per_row[row] > MAX_EXACT_CALLS || m->nops > MAX_EXACT_CALLS_TOTAL;
		double true_w = x1 - x0;

		if (x1 - x0 < 1)
			x1 = x0 + 1;  /* every call stays visible */
		b = &blocks[row * 2 + (op->dir == IPCT_DIR_RECV)];
		if (b->open && merge && x0 <= b->x1 + column) {
			if (x0 < b->x0)
				b->x0 = x0;
			if (x1 > b->x1)
				b->x1 = x1;
			if (b->kind != (int)viz_op_kind(m, op))
				b->kind = -1;
		} else {
			flush_block(t, b, row, op->dir);
			b->open = 1;
			b->x0 = x0;
			b->x1 = x1;
			b->calls = b->bytes = b->busy_ns = 0;
			b->op = op;
			b->kind = viz_op_kind(m, op);
			b->true_w = true_w;
		}
		b->calls++;
		b->busy_ns += op->duration_ns;
		if (op->ret > 0 && viz_op_moves_bytes(op))
			b->bytes += (uint64_t)op->ret;
	}
	for (i = 0; i < t->nrows; i++) {
		flush_block(t, &blocks[i * 2], i, IPCT_DIR_SEND);
		flush_block(t, &blocks[i * 2 + 1], i, IPCT_DIR_RECV);
	}
	draw_blocked(t);
	svg_group_end(t->out);
	free(per_row);
	free(blocks);
	return 0;
}

