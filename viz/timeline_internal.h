/*
 * timeline_internal - what timeline.c (lanes, calls, forks, exits),
 * timeline_marks.c (legend, shared-memory bands, payload samples) and
 * timeline_arrows.c (transfer arrows, exact or aggregated) share: the
 * page geometry, the size limits and the lane layout.  Not a public API.
 */
#ifndef IPCTRACE_VIZ_TIMELINE_INTERNAL_H
#define IPCTRACE_VIZ_TIMELINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"

#define WIDTH              1200.0
#define LABEL_W            200.0   /* left margin for lane labels */
#define RIGHT_MARGIN       30.0
#define TOP                84.0    /* title, summary and time axis */
#define LANE_H             30.0
#define TRACK_H            9.0     /* height of a write or read block */
#define LEGEND_H           64.0    /* legend without the kinds row */
#define LEGEND_KINDS_H     22.0    /* the row of arrow colours by kind */
#define TOOLTIP_PAYLOAD    32      /* payload bytes shown in a tooltip */

#define MAX_EXACT_TRANSFERS   2000
#define MAX_ARROWS            4000
#define TIME_BUCKETS          200     /* aggregation windows across the span */
#define MAX_EXACT_CALLS       2000
#define MAX_EXACT_CALLS_TOTAL 20000
#define MAX_MERGED_BLOCKS     60000   /* all lanes, both directions */

struct pid_row {
	uint32_t pid;
	uint32_t row;
};

struct timeline {
	const struct viz_model *m;
	FILE *out;
	uint64_t t0;                     /* model time at the plot's left edge: the
					    command's exec, or the --window start */
	uint64_t span;                   /* ns shown across the plot, from t0 */
	double plot_w;
	size_t nrows;
	const struct viz_process **procs; /* by row */
	struct pid_row *rows;            /* sorted by pid */
};

/* X of model time NS (clamped to [t0, t0 + span]). */
double timeline_x(const struct timeline *t, uint64_t ns);
/* Y of the middle of lane ROW. */
double timeline_lane_y(size_t row);
/* Row of PID, or -1 when the process is not in the model. */
long timeline_row(const struct timeline *t, uint32_t pid);
/* Object OBJECT as a tooltip names it: its id and, when it has one, its
 * name ("fifo:2049:77 (/tmp/f)"); "?" if out of range.  Raw bytes: the
 * tooltip is escaped when written.  The result lasts two calls. */
const char *timeline_object_label(const struct viz_model *m, uint32_t object);

/* "850 ns", "12.3 µs"... into BUF (timeline.c). */
void timeline_format_duration(char *buf, size_t size, uint64_t ns);

/* timeline_marks.c: the legend and its height, the shared-memory bands,
 * and a payload sample for a tooltip: `"GET /\x00..."` (printable ASCII
 * as is, other bytes \xNN, at most TOOLTIP_PAYLOAD bytes; "" if none;
 * SIZE >= 4 * TOOLTIP_PAYLOAD + 8). */
void timeline_draw_legend(struct timeline *t);
double timeline_legend_height(const struct timeline *t);
void timeline_draw_attachments(struct timeline *t);
void timeline_format_payload(char *buf, size_t size, const struct viz_model *m,
			     const struct viz_op *op);

/* Is transfer X drawn: communication (model.h), or everything with --all? */
bool timeline_transfer_drawn(const struct timeline *t, const struct viz_transfer *x);

/* timeline_arrows.c: one arrow per transfer, or aggregated ones when there
 * are more than MAX_EXACT_TRANSFERS.  0 or -ENOMEM. */
int timeline_draw_transfers(struct timeline *t);

/* timeline_path.c: the critical path over the lanes.  0 or -ENOMEM. */
int timeline_draw_critical_path(struct timeline *t);

#endif /* IPCTRACE_VIZ_TIMELINE_INTERNAL_H */
