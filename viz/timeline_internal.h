/*
 * timeline_internal - what timeline.c (lanes, calls, forks, exits),
 * timeline_marks.c (legend, shared-memory bands, payload samples) and
 * timeline_arrows.c (transfer arrows, bundled by pixel density) share: the
 * page geometry, the size limits and the lane layout.  Not a public API.
 */
#ifndef IPCTRACE_VIZ_TIMELINE_INTERNAL_H
#define IPCTRACE_VIZ_TIMELINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"
#include "search.h"

#define MIN_WIDTH          1200.0  /* the page grows past it for labels and legend */
#define MAX_LEGEND_WIDTH   2000.0  /* a legend row wider than this wraps */
#define MIN_PLOT_W         800.0
#define MIN_LABEL_W        120.0   /* left margin for lane labels, at least */
#define RIGHT_MARGIN       30.0
#define TITLE_LINE_H       20.0
#define MAX_TITLE_LINES    3       /* then elided, the whole in a tooltip */
#define HEADER_H           84.0    /* title's first line, summary and time axis */
#define LANE_H             30.0
#define TRACK_H            9.0     /* height of a write or read block */
#define LEGEND_ROW_H       22.0
#define TOOLTIP_PAYLOAD    32      /* payload bytes shown in a tooltip */
#define MAX_LEGEND_ITEMS   40

#define MAX_ARROWS            4000    /* bundles widen past this (timeline_arrows.c) */
#define MAX_EXACT_CALLS       2000
#define MAX_EXACT_CALLS_TOTAL 20000
#define MAX_MERGED_BLOCKS     60000   /* all lanes, both directions */
#define BUNDLE_PX             10.0    /* arrows bundle in cells this wide... */
#define BUNDLE_MIN_W          1.3     /* ...drawn this wide and more by the log of the count */
#define BUNDLE_MAX_W          5.0

#define TIMELINE_MAX_DEPTH_STRIPS 8  /* --depth: the busiest channels */

struct depth_strips;

/* A thread with a sub-lane of its own (timeline_lanes.c). */
struct thread_row {
	uint32_t pid, tid;
	uint32_t row;
	uint64_t from, to;               /* its first call's entry, last call's return */
};

enum legend_row { LEGEND_MARKS, LEGEND_CALLS, LEGEND_ARROWS, LEGEND_ROWS };
enum legend_mark { MARK_LIFE, MARK_FORK, MARK_EXIT, MARK_EXITBAD, MARK_CALL,
		   MARK_ARROW, MARK_SHM, MARK_TOUCH, MARK_NOTE, MARK_COUNTED };

/* One entry of the legend (timeline_marks.c). */
struct legend_item {
	uint8_t row;                     /* enum legend_row */
	uint8_t mark;                    /* enum legend_mark */
	int8_t kind;                     /* a channel kind, -1: several */
	uint8_t dir;                     /* calls: IPCT_DIR_SEND or RECV */
	uint16_t syscall;                /* calls: the key with type and flags */
	uint8_t type;
	uint32_t flags;
	char label[128];
};

/* A socket call drawn as blocked without moving data: accept, connect
 * (m->blocked; waits for descriptors are timeline_waits.c's). */
struct timeline_wait {
	uint64_t ts_ns, duration_ns;
	uint32_t pid, tid;
	int64_t ret;
	uint16_t syscall;
	uint8_t kind;                    /* the socket's */
};

/* A streamed wait for descriptors to draw, with the ones after it on its
 * lane that it stands for (timeline_waits.c). */
struct timeline_poll {
	struct viz_wait_call c;
	uint64_t more_ns;
	size_t more;
};

struct timeline_agg;

struct timeline {
	const struct viz_model *m;
	FILE *out;
	uint64_t t0;                     /* model time at the plot's left edge: the
					    command's exec, or the --window start */
	uint64_t span;                   /* ns shown across the plot, from t0 */
	double plot_w;
	double width;                    /* of the page: grows with labels and legend */
	double label_w;                  /* left margin: the widest lane label */
	double min_label_w;              /* at least this (the depth strips' labels) */
	double top;                      /* y of the first lane */
	char title[1024];                /* the whole title, raw */
	size_t title_lines;
	size_t title_cut[MAX_TITLE_LINES + 1]; /* line i is title[cut[i]..cut[i+1]) */
	bool title_elided;
	struct legend_item legend[MAX_LEGEND_ITEMS];
	size_t nlegend;
	bool legend_more;                /* call kinds were left out of a full legend */
	double legend_h;
	size_t nrows;
	const struct viz_process **procs; /* by row (a thread's sub-lane: its process) */
	struct thread_row **row_thread;  /* by row: the thread of a sub-lane, else NULL */
	struct viz_pid_index *rows;      /* sorted by pid: each process's own lane */
	size_t nprocs;                   /* entries in rows */
	struct thread_row *threads;      /* sorted by (pid, tid) */
	size_t nthreads;
	struct timeline_wait *waits;     /* accept/connect calls to draw (timeline_calls.c) */
	size_t nwaits;
	struct timeline_agg *agg;        /* a streamed load's calls and arrows, or NULL */
	struct timeline_poll *polls;     /* a streamed load's waits for descriptors, */
	size_t npolls, cap_polls;        /* merged within a pixel per lane */
	uint32_t *poll_last;             /* by row: its latest in polls + 1 */
	double polls_plot_w;             /* the plot's width they were merged at */
	struct depth_strips *depth;      /* --depth: channel strips (timeline_depth.c) */
};

/* X of model time NS (clamped to [t0, t0 + span]). */
double timeline_x(const struct timeline *t, uint64_t ns);
/* Y of the middle of lane ROW. */
double timeline_lane_y(const struct timeline *t, size_t row);
/* Pixels that LEN bytes of S take at FONT_PX (an upper estimate: the
 * text as escaped, in a sans-serif font). */
double timeline_text_width(const char *s, size_t len, double font_px);
/* timeline_lanes.c: the rows, processes' and threads' (0 or -ENOMEM),
 * and their release; the row of PID's own lane, or -1 when it has none;
 * the row of OP's thread (its process's when the thread has no sub-lane). */
int timeline_lanes_build(struct timeline *t);
void timeline_lanes_release(struct timeline *t);
long timeline_row(const struct timeline *t, uint32_t pid);
long timeline_op_row(const struct timeline *t, const struct viz_op *op);
long timeline_thread_row(const struct timeline *t, uint32_t pid, uint32_t tid);
/* Object OBJECT as a tooltip names it: its id and, when it has one, its
 * name ("fifo:2049:77 (/tmp/f)"); "?" if out of range.  Raw bytes: the
 * tooltip is escaped when written.  The result lasts two calls. */
const char *timeline_object_label(const struct viz_model *m, uint32_t object);

/* "850 ns", "12.3 µs"... into BUF (timeline.c). */
void timeline_format_duration(char *buf, size_t size, uint64_t ns);

/* timeline_marks.c: the legend (collected from the model, laid out in
 * rows no wider than the page, which it may widen), the shared-memory bands,
 * and a payload sample for a tooltip: `"GET /\x00..."` (printable ASCII
 * as is, other bytes \xNN, at most TOOLTIP_PAYLOAD bytes; "" if none;
 * SIZE >= 4 * TOOLTIP_PAYLOAD + 8). */
void timeline_legend_collect(struct timeline *t);
/* The width the legend's widest row wants (at most MAX_LEGEND_WIDTH). */
double timeline_legend_width(const struct timeline *t);
/* Height once laid out in t->width; sets t->legend_h. */
double timeline_legend_layout(struct timeline *t);
void timeline_draw_legend(struct timeline *t);
void timeline_draw_attachments(struct timeline *t);
void timeline_format_payload(char *buf, size_t size, const struct viz_model *m,
			     const struct viz_op *op);

/* Is transfer X drawn: communication (model.h), or everything with --all? */
bool timeline_transfer_drawn(const struct timeline *t, const struct viz_transfer *x);

/* timeline_script.c: the embedded script, after everything it acts on. */
void timeline_write_script(struct timeline *t);

/* timeline_calls.c: the call blocks.  0 or -ENOMEM. */
int timeline_draw_calls(struct timeline *t);
/* timeline_waits.c: waits in poll, select and epoll_wait as blocks (0 or
 * -ENOMEM), and their legend entries ("waiting in poll (pipe ready)"). */
int timeline_draw_waits(struct timeline *t);
void timeline_waits_legend(struct timeline *t);
/* A streamed load's wait C (its ready_object set) to draw: merged into
 * its lane's latest when both are within a pixel.  0 or -ENOMEM. */
int timeline_waits_add(struct timeline *t, const struct viz_wait_call *c);
void timeline_waits_free(struct timeline *t);
/* timeline_counted.c: a trace stat recording's counters, a band per
 * process (and their legend entry). */
void timeline_counted_legend(struct timeline *t);
void timeline_draw_counted(struct timeline *t);
/* timeline_marks.c: add an item to the legend; false when it is full. */
bool timeline_legend_add(struct timeline *t, enum legend_row row, enum legend_mark mark,
			 int kind, const char *label);
/* The accept and connect calls to draw, into t->waits.  0 or -ENOMEM. */
int timeline_waits_collect(struct timeline *t);
/* Is OP drawn as a block: a call on a lane, on a channel that is shown
 * (everything with --all)? */
bool timeline_call_drawn(const struct timeline *t, const struct viz_op *op);

/* timeline_arrows.c: one arrow per transfer, or one per bundle of those
 * that would fall within a few pixels.  0 or -ENOMEM. */
int timeline_draw_transfers(struct timeline *t);

/* N transfers from FROM_PID to TO_PID drawn as one arrow, with their
 * bytes and latency range: through OBJECT (its kind colours the arrow),
 * or through SEVERAL channels, OBJECT the first's. */
struct timeline_bundle {
	uint32_t from_pid, to_pid, object;
	bool several;
	uint64_t n, bytes, lat_min, lat_max;
};
/* The arrow of bundle B from (X1, Y1) to (X2, Y2): its width grows with
 * log(n), its tooltip sums it (timeline_stream.c draws its own so). */
void timeline_draw_bundle(struct timeline *t, const struct timeline_bundle *b,
			  double x1, double y1, double x2, double y2);
/* The arrow of one transfer of BYTES from op S to op R, from (X1, Y1) to
 * (X2, Y2), its tooltip naming it (a signal, a release, the bytes and
 * their sample). */
void timeline_draw_exact(struct timeline *t, const struct viz_op *s, const struct viz_op *r,
			 uint64_t bytes, double x1, double y1, double x2, double y2);
/* A signal S the kernel generated, taken by R in lane TO: the kernel has
 * no lane, so a short arrow from above the target's.  Never bundled. */
void timeline_draw_from_kernel(struct timeline *t, const struct viz_op *s,
			       const struct viz_op *r, long to);

/* timeline_stream.c: the streamed ops of the trace file PATH summed per
 * lane, direction and column, and the transfers per bundle of arrows, into
 * t->agg (0 or -errno); their calls and transfers; drawn after the kept
 * ops' blocks and arrows; freed. */
int timeline_agg_collect(struct timeline *t, const char *path);
void timeline_agg_counts(const struct timeline *t, uint64_t *calls, uint64_t *transfers);
/* One streamed op drawn per (direction, kind, call), for the legend: *N of them. */
const struct viz_op *timeline_agg_legend_ops(const struct timeline *t, size_t *n);
void timeline_agg_draw_calls(struct timeline *t);
int timeline_agg_draw_arrows(struct timeline *t);
void timeline_agg_free(struct timeline *t);
/* The waits collected again when the plot's width is no longer the one
 * they were merged at (a third pass of PATH).  0 or -errno. */
int timeline_waits_recollect(struct timeline *t, const char *path);

/* timeline_path.c: the critical path over the lanes.  0 or -ENOMEM. */
int timeline_draw_critical_path(struct timeline *t);

/* timeline_depth.c: --depth, a strip per busy channel under the lanes:
 * prepare (the channels, 0 or -ENOMEM), the margin their labels want,
 * the buckets once the plot's width is known (0 or -ENOMEM), the height
 * it adds, the frames and labels (outside #plot), the data (inside it,
 * 0 or -ENOMEM). */
int timeline_depth_prepare(struct timeline *t);
double timeline_depth_label_width(const struct timeline *t);
int timeline_depth_buckets(struct timeline *t);
double timeline_depth_height(const struct timeline *t);
void timeline_depth_frames(struct timeline *t);
int timeline_depth_draw(struct timeline *t);
void timeline_depth_release(struct timeline *t);

#endif /* IPCTRACE_VIZ_TIMELINE_INTERNAL_H */
