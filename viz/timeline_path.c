/*
 * timeline_path - the critical path (viz/hot.h) drawn over the timeline,
 * for `trace timeline --critical-path`: a band along the bottom of each
 * lane while that process is on the path, orange where it ran and red
 * where it waited, and a vertical link where the path moves from one
 * process to another.  Segments closer than half a pixel on one lane are
 * merged, and a link is drawn only LINK_GAP pixels or more after the
 * last one, so the drawing stays bounded by the picture, not the trace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include "hot.h"
#include "svg.h"
#include "timeline_internal.h"

#define LINK_GAP       3.0
#define PATH_BAND_H    4.0

static const char path_css[] =
	".cpath { fill: #f39c12; fill-opacity: 0.9; }\n"
	".cpathwait { fill: #e74c3c; fill-opacity: 0.7; }\n"
	".cpathlink { stroke: #d35400; stroke-width: 1; stroke-opacity: 0.7; }\n";

/* A band being drawn: merged segments of one lane and state. */
struct band {
	long row;
	uint8_t state;
	double x0, x1;
	size_t nsegs;
	uint64_t ns;
	const struct path_segment *seg;  /* the segment when nsegs == 1 */
};

static void flush_band(struct timeline *t, struct band *b)
{
	char tip[256], dur[32];

	if (b->row < 0 || !b->nsegs)
		return;
	timeline_format_duration(dur, sizeof(dur), b->ns);
	if (b->nsegs == 1 && b->seg->state == PATH_BLOCKED && b->seg->peer)
		snprintf(tip, sizeof(tip), "critical path: %" PRIu32 " waited %s for %" PRIu32,
			 b->seg->pid, dur, b->seg->peer);
	else if (b->nsegs == 1)
		snprintf(tip, sizeof(tip), "critical path: %" PRIu32 " %s %s", b->seg->pid,
			 b->state == PATH_RUNNING ? "ran" : "waited", dur);
	else
		snprintf(tip, sizeof(tip), "critical path: %zu segments, %s %s", b->nsegs,
			 b->state == PATH_RUNNING ? "ran" : "waited", dur);
	svg_rect(t->out, b->x0, timeline_lane_y(t, (size_t)b->row) + LANE_H / 2 - PATH_BAND_H - 1,
		 b->x1 - b->x0 < 1 ? 1 : b->x1 - b->x0, PATH_BAND_H,
		 b->state == PATH_RUNNING ? "cpath" : "cpathwait", tip);
	b->nsegs = 0;
}

int timeline_draw_critical_path(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct wait_table w;
	struct critical_path p;
	struct band b = { .row = -1 };
	double last_link = -LINK_GAP;
	int err = waits_compute(m, &w);

	if (err)
		return err;
	err = critical_path_compute(m, &w, &p);
	waits_release(&w);
	if (err)
		return err;
	svg_style(t->out, path_css);
	svg_group_begin(t->out, "critical-path", "the critical path");
	for (size_t i = 0; i < p.nsegs; i++) {
		const struct path_segment *s = &p.segs[i];
		long row = timeline_row(t, s->pid);
		double x0 = timeline_x(t, s->from_ns), x1 = timeline_x(t, s->to_ns);

		if (i && s->pid != p.segs[i - 1].pid && x0 - last_link >= LINK_GAP) {
			long prev = timeline_row(t, p.segs[i - 1].pid);
			last_link = x0;
			if (prev >= 0 && row >= 0)
				svg_line(t->out, x0, timeline_lane_y(t, (size_t)prev) + LANE_H / 2 - 3,
					 x0, timeline_lane_y(t, (size_t)row) + LANE_H / 2 - 3, "cpathlink");
		}
		if (row == b.row && s->state == b.state && x0 - b.x1 < 0.5) {
			b.x1 = x1;
			b.nsegs++;
			b.ns += s->to_ns - s->from_ns;
			continue;
		}
		flush_band(t, &b);
		b = (struct band){ row, s->state, x0, x1, 1, s->to_ns - s->from_ns, s };
	}
	flush_band(t, &b);
	svg_group_end(t->out);
	critical_path_release(&p);
	return 0;
}
