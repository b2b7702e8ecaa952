/*
 * timeline_waits - the time processes spent in poll, select and
 * epoll_wait (m->wait_calls) as blocks on their lanes, where receives go
 * (the lower half): a wait is a receive that has not picked its channel
 * yet.  A block has the colour of the channel whose readiness ended the
 * wait and a tooltip naming the call, the channel, its descriptor and
 * the time waited.  By default only waits that a shown channel ended are
 * drawn (the rest is not communication); --all draws every wait,
 * timeouts too.  On one lane, a wait narrower than a pixel that starts
 * within a pixel of the last one drawn is left out (its time is in that
 * block's tooltip), so the blocks stay bounded by the plot's width.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "palette.h"
#include "svg.h"
#include "timeline_internal.h"
#include "../lib/syscall_names.h"

/* The lane row of wait C (its thread's sub-lane when it has one), or -1. */
static long wait_row(const struct timeline *t, const struct viz_wait_call *c)
{
	struct viz_op key = { .pid = c->pid, .tid = c->tid };

	return timeline_op_row(t, &key);
}

/* The kind of the channel that ended C, IPCT_KIND_NONE when none is known. */
static int wait_kind(const struct viz_model *m, const struct viz_wait_call *c)
{
	return c->ready_object < m->nobjects ? (int)m->objects[c->ready_object].kind : IPCT_KIND_NONE;
}

static bool wait_drawn(const struct timeline *t, const struct viz_wait_call *c)
{
	const struct viz_model *m = t->m;

	if (!c->duration_ns)
		return false;
	if (!m->show_all && (c->ready_object >= m->nobjects ||
			     !(m->objects[c->ready_object].flags & VIZ_OBJ_SHOWN)))
		return false;
	return wait_row(t, c) >= 0;
}

static const char *call_name(const struct viz_wait_call *c)
{
	const char *name = ipct_syscall_name(c->syscall);

	return name ? name : "poll";
}

void timeline_waits_legend(struct timeline *t)
{
	const struct viz_model *m = t->m;
	size_t first = t->nlegend;

	for (size_t i = 0; i < m->nwait_calls; i++) {
		const struct viz_wait_call *c = &m->wait_calls[i];
		int kind = wait_kind(m, c);
		char label[64];
		size_t j;

		if (!wait_drawn(t, c))
			continue;
		for (j = first; j < t->nlegend; j++)
			if (t->legend[j].kind == kind && t->legend[j].syscall == c->syscall)
				break;
		if (j < t->nlegend)
			continue;
		if (kind == IPCT_KIND_NONE)
			snprintf(label, sizeof(label), "waiting in %s", call_name(c));
		else
			snprintf(label, sizeof(label), "waiting in %s (%s ready)", call_name(c),
				 viz_kind_name(kind));
		if (!timeline_legend_add(t, LEGEND_CALLS, MARK_CALL, kind, label)) {
			t->legend_more = 1;
			return;
		}
		t->legend[t->nlegend - 1].dir = IPCT_DIR_RECV;
		t->legend[t->nlegend - 1].syscall = c->syscall;
	}
}

static void draw_wait(struct timeline *t, const struct viz_wait_call *c, long row,
		      uint64_t more_ns, size_t more)
{
	const struct viz_model *m = t->m;
	uint64_t begin = c->ts_ns > c->duration_ns ? c->ts_ns - c->duration_ns : 0;
	double x0 = timeline_x(t, begin), x1 = timeline_x(t, c->ts_ns);
	double y = timeline_lane_y(t, (size_t)row) + 1;
	int kind = wait_kind(m, c);
	char tip[512], dur[32], extra[96] = "", cls[48];

	timeline_format_duration(dur, sizeof(dur), c->duration_ns);
	if (more) {
		char md[32];

		timeline_format_duration(md, sizeof(md), more_ns);
		snprintf(extra, sizeof(extra), "\n(and %zu more waits within a pixel, %s)", more, md);
	}
	if (c->ret > 0 && c->ready_object < m->nobjects)
		snprintf(tip, sizeof(tip), "waiting in %s, %s, until %s (fd %d) was ready%s",
			 call_name(c), dur, timeline_object_label(m, c->ready_object), c->ready_fd,
			 extra);
	else if (c->ret > 0)
		snprintf(tip, sizeof(tip), "waiting in %s, %s, until fd %d was ready%s", call_name(c),
			 dur, c->ready_fd, extra);
	else if (c->ret == 0)
		snprintf(tip, sizeof(tip), "waiting in %s, %s: timed out%s", call_name(c), dur, extra);
	else
		snprintf(tip, sizeof(tip), "waiting in %s, %s: failed, %s%s", call_name(c), dur,
			 strerror((int)-c->ret), extra);
	snprintf(cls, sizeof(cls), "recv wait c-%s p%u",
		 kind != IPCT_KIND_NONE ? viz_kind_name(kind) : "none", c->pid);
	svg_rect_min(t->out, x0, y, x1 - x0, TRACK_H, 1, cls, 1, tip);
}

/* The wait a row holds back, to be drawn with the ones that follow it
 * within a pixel: their time and number, and where the last one ended. */
struct held_wait {
	const struct viz_wait_call *call;
	uint64_t ns;
	size_t n;
	double last_x;
};

int timeline_draw_waits(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct held_wait *held;

	if (!m->nwait_calls)
		return 0;
	held = calloc(t->nrows ? t->nrows : 1, sizeof(*held));
	if (!held)
		return -ENOMEM;
	for (size_t r = 0; r < t->nrows; r++)
		held[r].last_x = -1e9;
	svg_group_begin(t->out, "waits", NULL);
	for (size_t i = 0; i < m->nwait_calls; i++) {
		const struct viz_wait_call *c = &m->wait_calls[i];
		uint64_t begin = c->ts_ns > c->duration_ns ? c->ts_ns - c->duration_ns : 0;
		struct held_wait *h;
		double x0;

		if (!wait_drawn(t, c))
			continue;
		h = &held[wait_row(t, c)];
		x0 = timeline_x(t, begin);
		if (h->call && x0 < h->last_x + 1 && timeline_x(t, c->ts_ns) - x0 < 1) {
			h->ns += c->duration_ns;
			h->n++;
			continue;
		}
		if (h->call)
			draw_wait(t, h->call, h - held, h->ns, h->n);
		*h = (struct held_wait){ c, 0, 0, timeline_x(t, c->ts_ns) };
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (held[r].call)
			draw_wait(t, held[r].call, (long)r, held[r].ns, held[r].n);
	svg_group_end(t->out);
	free(held);
	return 0;
}
