/*
 * timeline_counted - what a `trace stat` recording knows, on the timeline.
 * Its counters (model->counted) are totals over each process's life, not
 * calls with a time, so each process that has some gets one dashed band
 * over its lifetime in the lower half of its lane, labelled with its
 * totals; the band's tooltip lists each counter (channel, direction,
 * calls, errors, bytes, time in the calls), and the legend says these are
 * counts.  The flows drawn from them are in the report and the graph:
 * without times they have no place as arrows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "svg.h"
#include "timeline_internal.h"

#define COUNTED_TIP_LINES 16   /* counters listed in a tooltip, then "and N more" */

void timeline_counted_legend(struct timeline *t)
{
	if (t->m->ncounted)
		timeline_legend_add(t, LEGEND_CALLS, MARK_COUNTED, -1,
				    "counted by trace stat: totals over the lifetime, not calls");
}

/* The tooltip of the counters [FROM, TO) of one process into TIP, and
 * their sums. */
static void counted_tip(const struct timeline *t, size_t from, size_t to, char *tip, size_t size,
			uint64_t *calls, uint64_t *bytes)
{
	const struct viz_model *m = t->m;
	size_t len = 0;
	char dur[32];

	*calls = *bytes = 0;
	len += snprintf(tip + len, size - len, "pid %u, counted by trace stat (totals, not calls):",
			m->counted[from].pid);
	for (size_t i = from; i < to; i++) {
		const struct viz_counted *c = &m->counted[i];

		*calls += c->calls;
		*bytes += c->bytes;
		if (len >= size)
			continue;
		if (i - from == COUNTED_TIP_LINES) {
			len += snprintf(tip + len, size - len, "\nand %zu more", to - i);
			continue;
		}
		if (i - from > COUNTED_TIP_LINES)
			continue;
		timeline_format_duration(dur, sizeof(dur), c->ns);
		len += snprintf(tip + len, size - len,
				"\n%s %s: %" PRIu64 " calls (%" PRIu64 " failed), %" PRIu64
				" bytes, %s in the calls",
				timeline_object_label(m, c->object), viz_counted_dir(m, c),
				c->calls, c->errors, c->bytes, dur);
	}
}

void timeline_draw_counted(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char tip[4096], label[96];

	for (size_t i = 0, j; i < m->ncounted; i = j) {
		uint64_t calls, bytes;
		long row;

		for (j = i + 1; j < m->ncounted && m->counted[j].pid == m->counted[i].pid; j++)
			;
		row = timeline_row(t, m->counted[i].pid);
		if (row < 0)
			continue;
		const struct viz_process *p = t->procs[row];
		double x0 = timeline_x(t, p->start_ns), x1 = timeline_x(t, p->end_ns);
		double y = timeline_lane_y(t, row);

		counted_tip(t, i, j, tip, sizeof(tip), &calls, &bytes);
		snprintf(label, sizeof(label), "counted: %" PRIu64 " calls, %" PRIu64 " bytes",
			 calls, bytes);
		svg_group_begin(t->out, "countedset", tip);
		svg_rect(t->out, x0, y + 2, x1 - x0 > 1 ? x1 - x0 : 1, TRACK_H, "counted", NULL);
		/* above the lifetime bar, inside the plot */
		if (x0 < t->label_w + t->plot_w / 2)
			svg_textz(t->out, x0 + 3, y - 5, "countedlabel", "start", label);
		else
			svg_textz(t->out, x1 - 3, y - 5, "countedlabel", "end", label);
		svg_group_end(t->out);
	}
}
