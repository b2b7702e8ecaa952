/*
 * timeline_marks - the timeline's legend, its shared-memory bands and the
 * payload samples shown in tooltips (timeline.c draws the rest).
 *
 * The legend has up to three rows, each wrapped at the page's width: the
 * marks every timeline has; one block per call kind drawn ("in read
 * (pipe)", "waiting in semop P", upper half for sends, lower for
 * receives); the arrow colour of each kind that has a shown flow (signal
 * arrows dotted: generation -> delivery; semaphore arrows dashed: the V ->
 * the P it released) and the shared-memory band.  A band is a thin
 * translucent bar under a lane for as long as the process had a shared
 * memory object mapped; its tooltip names the object, address, size and
 * whether the mapping came with fork.  On the band, a small tick marks
 * the process's first touch of a page (filled: a write fault; hollow: a
 * read), one per lane, pixel and access.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "palette.h"
#include "svg.h"
#include "timeline_internal.h"

bool timeline_legend_add(struct timeline *t, enum legend_row row, enum legend_mark mark,
			 int kind, const char *label)
{
	struct legend_item *it;

	if (t->nlegend >= MAX_LEGEND_ITEMS)
		return false;
	it = &t->legend[t->nlegend++];
	memset(it, 0, sizeof(*it));
	it->row = row;
	it->mark = mark;
	it->kind = kind;
	snprintf(it->label, sizeof(it->label), "%s", label);
	return true;
}

/* OP's legend entry, unless one of those from FIRST on has its
 * direction, kind and call. */
static void legend_call(struct timeline *t, size_t first, const struct viz_op *op)
{
	const struct viz_model *m = t->m;
	int kind = viz_op_kind(m, op);
	char label[64];
	size_t j;

	for (j = first; j < t->nlegend; j++) {
		const struct legend_item *it = &t->legend[j];
		if (it->dir == op->dir && it->kind == kind && it->syscall == op->syscall &&
		    it->type == op->type)
			return;
	}
	if (t->nlegend >= MAX_LEGEND_ITEMS - 12) {
		t->legend_more = 1;  /* room kept for the arrows row */
		return;
	}
	viz_op_block_label(m, op, label, sizeof(label));
	if (op->type == VIZ_OP_IO) {
		size_t len = strlen(label);
		snprintf(label + len, sizeof(label) - len, " (%s)", viz_kind_name(kind));
	}
	timeline_legend_add(t, LEGEND_CALLS, MARK_CALL, kind, label);
	t->legend[t->nlegend - 1].dir = op->dir;
	t->legend[t->nlegend - 1].syscall = op->syscall;
	t->legend[t->nlegend - 1].type = op->type;
}

/* One legend entry per call kind drawn: "in read (pipe)", "waiting in
 * semop P"; sends first; the kept ops' and the streamed ones'
 * (timeline_stream.c) in the order of their first call.  Kinds past the
 * legend's room are counted. */
static void collect_calls(struct timeline *t)
{
	const struct viz_model *m = t->m;
	size_t first = t->nlegend, nagg;
	const struct viz_op *agg = timeline_agg_legend_ops(t, &nagg);

	for (int dir = IPCT_DIR_SEND; dir <= IPCT_DIR_RECV; dir++) {
		/* both in time order: merged, entries come in the order of
		 * their first call, as in a whole load */
		for (size_t i = 0, j = 0; i < m->nops || j < nagg;) {
			bool kept = j == nagg || (i < m->nops && m->ops[i].ts_ns <= agg[j].ts_ns);
			const struct viz_op *op = kept ? &m->ops[i++] : &agg[j++];

			if ((int)op->dir == dir && (!kept || timeline_call_drawn(t, op)))
				legend_call(t, first, op);
		}
	}
}

/* One legend entry per accept or connect call and kind drawn: "in
 * accept4 (tcp)". */
static void collect_blocked(struct timeline *t)
{
	size_t first = t->nlegend;

	for (size_t i = 0; i < t->nwaits; i++) {
		const struct timeline_wait *bl = &t->waits[i];
		char label[64];
		size_t j;

		if (timeline_row(t, bl->pid) < 0)
			continue;
		for (j = first; j < t->nlegend; j++)
			if (t->legend[j].syscall == bl->syscall && t->legend[j].kind == bl->kind)
				break;
		if (j < t->nlegend)
			continue;
		if (t->nlegend >= MAX_LEGEND_ITEMS - 12) {
			t->legend_more = true;
			continue;
		}
		timeline_legend_add(t, LEGEND_CALLS, MARK_CALL, bl->kind,
			   viz_blocked_label(bl->syscall, bl->kind, label, sizeof(label)));
		t->legend[t->nlegend - 1].dir = IPCT_DIR_RECV;
		t->legend[t->nlegend - 1].syscall = bl->syscall;
	}
}

void timeline_legend_collect(struct timeline *t)
{
	static const char *const arrow_label[IPCT_KIND_MAX] = {
		[IPCT_KIND_PIPE] = "pipe", [IPCT_KIND_FIFO] = "fifo",
		[IPCT_KIND_FILE] = "file", [IPCT_KIND_MSGQ] = "msgq",
		[IPCT_KIND_SEM] = "sem: V \xe2\x86\x92 the P it released",
		[IPCT_KIND_SIGNAL] = "signal: sent \xe2\x86\x92 delivered",
		[IPCT_KIND_UNIX] = "unix", [IPCT_KIND_TCP] = "tcp",
		[IPCT_KIND_UDP] = "udp",
	};
	const struct viz_model *m = t->m;
	uint32_t kinds = 0;
	bool touches = false;

	t->nlegend = t->legend_more = 0;
	timeline_legend_add(t, LEGEND_MARKS, MARK_LIFE, -1, "lifetime");
	timeline_legend_add(t, LEGEND_MARKS, MARK_FORK, -1, "fork");
	timeline_legend_add(t, LEGEND_MARKS, MARK_EXIT, -1, "exit 0");
	timeline_legend_add(t, LEGEND_MARKS, MARK_EXITBAD, -1, "failed");
	timeline_legend_add(t, LEGEND_MARKS, MARK_NOTE, -1,
		   "Hover a mark for details (pids, bytes, channels, payload, times).");
	collect_calls(t);
	timeline_waits_legend(t);
	collect_blocked(t);
	timeline_counted_legend(t);
	if (t->legend_more)
		timeline_legend_add(t, LEGEND_CALLS, MARK_NOTE, -1, "and other calls (hover a block)");
	for (size_t i = 0; i < m->nflows; i++)
		if ((m->show_all || m->flows[i].shown) && m->flows[i].object < m->nobjects &&
		    !m->flows[i].counted)	/* counted flows have no arrows */
			kinds |= 1u << m->objects[m->flows[i].object].kind;
	for (size_t i = 0; i < m->nattachments; i++)
		if (m->show_all || (m->objects[m->attachments[i].object].flags & VIZ_OBJ_SHOWN))
			kinds |= 1u << IPCT_KIND_SHM;
	for (size_t i = 0; i < m->ntouches && !touches; i++)
		touches = m->show_all || (m->objects[m->touches[i].object].flags & VIZ_OBJ_SHOWN);
	for (int k = IPCT_KIND_PIPE; k < IPCT_KIND_MAX; k++) {
		if (!(kinds & (1u << k)))
			continue;
		if (k == IPCT_KIND_SHM) {
			timeline_legend_add(t, LEGEND_ARROWS, MARK_SHM, k, "shared memory mapped");
			if (touches)
				timeline_legend_add(t, LEGEND_ARROWS, MARK_TOUCH, k,
						    "first touch of a page (filled: write, "
						    "hollow: read; later stores unseen)");
			continue;
		}
		timeline_legend_add(t, LEGEND_ARROWS, MARK_ARROW, k,
				    arrow_label[k] ? arrow_label[k] : viz_kind_name(k));
	}
	if (kinds & ~(1u << IPCT_KIND_SHM))
		timeline_legend_add(t, LEGEND_ARROWS, MARK_NOTE, -1, "a thick arrow is a bundle of "
			   "arrows a few pixels apart (width: how many; hover: bytes, latency)");
}

static const char *const row_title[LEGEND_ROWS] = {
	[LEGEND_MARKS] = "Legend:",
	[LEGEND_CALLS] = "In a call:",
	[LEGEND_ARROWS] = "Arrows:",
};

#define LEGEND_X0      90.0    /* items start right of the row titles */
#define LEGEND_SWATCH  30.0
#define LEGEND_GAP     22.0

static double item_width(const struct legend_item *it)
{
	double swatch = it->mark == MARK_NOTE ? 0 : LEGEND_SWATCH + 6;

	return swatch + timeline_text_width(it->label, strlen(it->label), 12) + LEGEND_GAP;
}

double timeline_legend_width(const struct timeline *t)
{
	double row_w[LEGEND_ROWS] = { 0 }, w = 0;

	/* notes wrap; they do not widen the page */
	for (size_t i = 0; i < t->nlegend; i++)
		if (t->legend[i].mark != MARK_NOTE)
			row_w[t->legend[i].row] += item_width(&t->legend[i]);
	for (int r = 0; r < LEGEND_ROWS; r++)
		if (LEGEND_X0 + row_w[r] + 12 > w)
			w = LEGEND_X0 + row_w[r] + 12;
	return w < MAX_LEGEND_WIDTH ? w : MAX_LEGEND_WIDTH;
}

static void draw_item(struct timeline *t, const struct legend_item *it, double x, double y)
{
	FILE *out = t->out;
	const char *kind = it->kind > 0 ? viz_kind_name(it->kind) : "none";
	char cls[48];

	switch (it->mark) {
	case MARK_LIFE:
		svg_rect(out, x, y - 6, LEGEND_SWATCH, 4, "life", NULL);
		break;
	case MARK_FORK:
		svg_line(out, x + 15, y - 10, x + 15, y + 6, "fork");
		svg_circle(out, x + 15, y + 6, 3, "forkdot");
		break;
	case MARK_EXIT:
	case MARK_EXITBAD:
		svg_group_begin(out, it->mark == MARK_EXIT ? "exit" : "exitbad", NULL);
		svg_line(out, x + 10, y - 6, x + 20, y + 4, NULL);
		svg_line(out, x + 10, y + 4, x + 20, y - 6, NULL);
		svg_group_end(out);
		break;
	case MARK_CALL:
		snprintf(cls, sizeof(cls), "%s c-%s", it->dir == IPCT_DIR_SEND ? "send" : "recv", kind);
		svg_rect(out, x, y - TRACK_H / 2 - 1, LEGEND_SWATCH, TRACK_H, cls, NULL);
		break;
	case MARK_ARROW:
		snprintf(cls, sizeof(cls), "xfer k-%s", kind);
		svg_arrow(out, x, y - 1, x + LEGEND_SWATCH, y - 1, cls, 0, NULL);
		break;
	case MARK_SHM:
		svg_rect(out, x, y - 3, LEGEND_SWATCH, 3, "shm", NULL);
		break;
	case MARK_COUNTED:
		svg_rect(out, x, y - TRACK_H / 2 - 1, LEGEND_SWATCH, TRACK_H, "counted", NULL);
		break;
	case MARK_TOUCH:
		svg_rect(out, x + 9, y - 6, 3, 8, "touchw", NULL);
		svg_rect(out, x + 18, y - 6, 3, 8, "touchr", NULL);
		break;
	case MARK_NOTE:
		svg_textz(out, x, y + 4, "summary", "start", it->label);
		return;
	}
	svg_textz(out, x + LEGEND_SWATCH + 6, y + 4, NULL, "start", it->label);
}

/* Lay the legend out in rows no wider than the page; draw it when DRAW.
 * Returns its height. */
static double legend_pass(struct timeline *t, bool draw)
{
	double y0 = t->top + t->nrows * LANE_H + timeline_depth_height(t) + 30, y = y0;

	for (int r = 0; r < LEGEND_ROWS; r++) {
		double x = LEGEND_X0;
		bool any = false;

		for (size_t i = 0; i < t->nlegend; i++) {
			const struct legend_item *it = &t->legend[i];
			double w = item_width(it);

			if (it->row != r)
				continue;
			if (!any && draw)
				svg_textz(t->out, 12, y + 4, NULL, "start", row_title[r]);
			if (any && x + w > t->width - 12) {
				x = LEGEND_X0;
				y += LEGEND_ROW_H;
			}
			if (draw)
				draw_item(t, it, x, y);
			x += w;
			any = true;
		}
		if (any)
			y += LEGEND_ROW_H;
	}
	return y - y0 + 30;
}

double timeline_legend_layout(struct timeline *t)
{
	t->legend_h = legend_pass(t, false);
	return t->legend_h;
}

void timeline_draw_legend(struct timeline *t)
{
	svg_group_begin(t->out, "legend", NULL);
	legend_pass(t, true);
	svg_group_end(t->out);
}

/* The first touches of shared pages: a tick on the lane's band, at most
 * one per lane, pixel and access (the first in the model's order). */
static void draw_touches(struct timeline *t)
{
	const struct viz_model *m = t->m;
	size_t cols = (size_t)t->plot_w + 2;
	uint8_t *seen = t->nrows && m->ntouches ? calloc(t->nrows * cols, 1) : NULL;
	char tip[256], when[32];

	if (!seen)
		return;
	svg_group_begin(t->out, "touches", NULL);
	for (size_t i = 0; i < m->ntouches; i++) {
		const struct viz_touch *tc = &m->touches[i];
		long row = timeline_row(t, tc->pid);
		double x = timeline_x(t, tc->ts_ns);
		size_t col = x > t->label_w ? (size_t)(x - t->label_w) : 0;
		uint8_t bit = tc->write ? 1 : 2;

		if (row < 0 || (!m->show_all && !(m->objects[tc->object].flags & VIZ_OBJ_SHOWN)))
			continue;
		if (col >= cols || (seen[row * cols + col] & bit))
			continue;
		seen[row * cols + col] |= bit;
		timeline_format_duration(when, sizeof(when), tc->ts_ns);
		snprintf(tip, sizeof(tip), "%u first %s page %llu of %s at %s%s", tc->pid,
			 tc->write ? "wrote" : "read", (unsigned long long)tc->page,
			 timeline_object_label(m, tc->object), when,
			 tc->writable ? " (mapped writable: its later stores are not seen)" :
			 " (later stores are not seen)");
		svg_rect(t->out, x - 1.5, timeline_lane_y(t, row) + TRACK_H - 1, 3, 8,
			 tc->write ? "touchw" : "touchr", tip);
	}
	svg_group_end(t->out);
	free(seen);
}

void timeline_draw_attachments(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char tip[256], start[32], end[32];

	svg_group_begin(t->out, "attachments", NULL);
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];
		long row = timeline_row(t, a->pid);
		double x0, x1;

		if (row < 0 || (!m->show_all && !(m->objects[a->object].flags & VIZ_OBJ_SHOWN)))
			continue;
		x0 = timeline_x(t, a->start_ns);
		x1 = timeline_x(t, a->end_ns);
		timeline_format_duration(start, sizeof(start), a->start_ns);
		timeline_format_duration(end, sizeof(end), a->end_ns);
		snprintf(tip, sizeof(tip), "%u had %s mapped%s: %llu bytes at 0x%llx, from %s to %s",
			 a->pid, timeline_object_label(m, a->object),
			 a->inherited ? " (inherited at fork)" : "",
			 (unsigned long long)a->size, (unsigned long long)a->addr, start, end);
		svg_rect(t->out, x0, timeline_lane_y(t, row) + TRACK_H + 2,
			 x1 - x0 < 1 ? 1 : x1 - x0, 3, "shm", tip);
	}
	svg_group_end(t->out);
	draw_touches(t);
}

void timeline_format_payload(char *buf, size_t size, const struct viz_model *m,
			     const struct viz_op *op)
{
	size_t n = op->payload_len < TOOLTIP_PAYLOAD ? op->payload_len : TOOLTIP_PAYLOAD;
	size_t used = 0;

	buf[0] = '\0';
	if (!n || !m->payload || size < 4 * TOOLTIP_PAYLOAD + 8)
		return;
	buf[used++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = m->payload[op->payload + i];
		if (c == '\\' || c == '"')
			used += snprintf(buf + used, size - used, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[used++] = c;
		else
			used += snprintf(buf + used, size - used, "\\x%02x", c);
	}
	buf[used++] = '"';
	if (op->payload_len > n)
		used += snprintf(buf + used, size - used, "...");
	buf[used] = '\0';
}
