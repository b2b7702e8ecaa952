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
 * block's tooltip), so the blocks stay bounded by the plot's width.  A
 * streamed load's waits come from its second pass (timeline_stream.c) in
 * file order, merged the same way as they come (timeline_waits_add());
 * those it kept whole are taken from m->wait_calls, where their channel
 * was resolved at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"
#include "palette.h"
#include "search.h"
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

/* The waits to draw in time order: the kept ones (m->wait_calls) and the
 * streamed ones (t->polls, sorted once collected). */
struct wait_walk {
	size_t i, j;
};

/* The next wait of W, and in *MORE_NS, *MORE what it stands for; NULL at the end. */
static const struct viz_wait_call *walk_next(const struct timeline *t, struct wait_walk *w,
					     uint64_t *more_ns, size_t *more)
{
	const struct viz_model *m = t->m;
	bool kept = !t->agg && w->i < m->nwait_calls &&
		    (w->j == t->npolls || m->wait_calls[w->i].ts_ns <= t->polls[w->j].c.ts_ns);

	*more_ns = 0;
	*more = 0;
	if (kept)
		return &m->wait_calls[w->i++];
	if (w->j == t->npolls)
		return NULL;
	*more_ns = t->polls[w->j].more_ns;
	*more = t->polls[w->j].more;
	return &t->polls[w->j++].c;
}

void timeline_waits_legend(struct timeline *t)
{
	const struct viz_model *m = t->m;
	size_t first = t->nlegend;
	struct wait_walk walk = { 0, 0 };
	const struct viz_wait_call *c;
	uint64_t more_ns;
	size_t more;

	while ((c = walk_next(t, &walk, &more_ns, &more))) {
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

static int cmp_poll(const void *a, const void *b)
{
	const struct timeline_poll *x = a, *y = b;

	return x->c.ts_ns != y->c.ts_ns ? (x->c.ts_ns < y->c.ts_ns ? -1 : 1) :
	       (x->c.tid > y->c.tid) - (x->c.tid < y->c.tid);
}

int timeline_waits_add(struct timeline *t, const struct viz_wait_call *c)
{
	uint64_t begin = c->ts_ns > c->duration_ns ? c->ts_ns - c->duration_ns : 0;
	long row;

	const struct viz_wait_call *k = t->m->wait_calls;
	size_t i = VIZ_PARTITION(0, t->m->nwait_calls, j, k[j].ts_ns < c->ts_ns ||
				 (k[j].ts_ns == c->ts_ns && k[j].tid < c->tid));

	if (i < t->m->nwait_calls && k[i].ts_ns == c->ts_ns && k[i].tid == c->tid)
		c = &k[i];      /* kept whole: its channel resolved at the end */
	if (!wait_drawn(t, c))
		return 0;
	row = wait_row(t, c);
	if (!t->poll_last && !(t->poll_last = calloc(t->nrows, sizeof(*t->poll_last))))
		return -ENOMEM;
	if (t->poll_last[row]) {
		struct timeline_poll *h = &t->polls[t->poll_last[row] - 1];
		double x0 = timeline_x(t, begin), hx = timeline_x(t, h->c.ts_ns);

		if (x0 < hx + 1 && timeline_x(t, c->ts_ns) - x0 < 1) {
			h->more_ns += c->duration_ns;
			h->more++;
			return 0;
		}
	}
	if (model_grow((void **)&t->polls, &t->cap_polls, t->npolls + 1, sizeof(*t->polls)))
		return -ENOMEM;
	t->polls[t->npolls] = (struct timeline_poll){ *c, 0, 0 };
	t->poll_last[row] = (uint32_t)++t->npolls;
	return 0;
}

void timeline_waits_free(struct timeline *t)
{
	free(t->polls);
	free(t->poll_last);
	t->polls = NULL;
	t->poll_last = NULL;
	t->npolls = t->cap_polls = 0;
}

int timeline_draw_waits(struct timeline *t)
{
	struct held_wait *held;
	struct wait_walk walk = { 0, 0 };
	const struct viz_wait_call *c;
	uint64_t more_ns;
	size_t more;

	if (!t->m->nwait_calls && !t->npolls)
		return 0;
	if (t->npolls)
		qsort(t->polls, t->npolls, sizeof(*t->polls), cmp_poll);
	held = calloc(t->nrows ? t->nrows : 1, sizeof(*held));
	if (!held)
		return -ENOMEM;
	for (size_t r = 0; r < t->nrows; r++)
		held[r].last_x = -1e9;
	svg_group_begin(t->out, "waits", NULL);
	while ((c = walk_next(t, &walk, &more_ns, &more))) {
		uint64_t begin = c->ts_ns > c->duration_ns ? c->ts_ns - c->duration_ns : 0;
		struct held_wait *h;
		double x0;

		if (!wait_drawn(t, c))
			continue;
		h = &held[wait_row(t, c)];
		x0 = timeline_x(t, begin);
		if (h->call && x0 < h->last_x + 1 && timeline_x(t, c->ts_ns) - x0 < 1) {
			h->ns += c->duration_ns + more_ns;
			h->n += 1 + more;
			continue;
		}
		if (h->call)
			draw_wait(t, h->call, h - held, h->ns, h->n);
		*h = (struct held_wait){ c, more_ns, more, timeline_x(t, c->ts_ns) };
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (held[r].call)
			draw_wait(t, held[r].call, (long)r, held[r].ns, held[r].n);
	svg_group_end(t->out);
	free(held);
	return 0;
}
