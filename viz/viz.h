/*
 * viz - the outputs drawn from a loaded model (viz/model.h).  Each returns
 * 0 or a negative errno and never prints to stderr; the command in cli/
 * reports errors.
 */
#ifndef IPCTRACE_VIZ_VIZ_H
#define IPCTRACE_VIZ_VIZ_H

#include <stdio.h>
#include "model.h"

/* report.c: human summary, and the JSON report of docs/report-json.md. */
int report_text(const struct viz_model *m, FILE *out);
int report_json(const struct viz_model *m, FILE *out);
/* report_count.c: time in IPC calls per process and per channel, sorted
 * by time, in the columns of `strace -c`. */
int report_counts(const struct viz_model *m, FILE *out);

/* report_hot.c: the hot-path sections of the text report (viz/hot.h). */
struct report_options {
	bool latency;                  /* histograms per channel, statistics per flow */
	bool waits;                    /* blocked time per process, top waits */
	bool critical_path;            /* the chain of running and blocked segments */
	unsigned top;                  /* rank channels, top N (0: no ranking) */
};
/* The header of the summary, then the sections O selects. */
int report_text_sections(const struct viz_model *m, const struct report_options *o,
			 FILE *out);

/* graph.c: process-communication graph through libgvc, in-process. */
enum graph_format { GRAPH_SVG, GRAPH_DOT };
int graph_render(const struct viz_model *m, FILE *out, enum graph_format format);

/* timeline.c: one lane per process, SVG. */
int timeline_render(const struct viz_model *m, FILE *out);
/* The same with options (NULL: none); timeline_path.c draws the path. */
struct timeline_options {
	bool critical_path;            /* highlight the critical path (viz/hot.h) */
	bool depth;                    /* strips of the busiest channels' depth and
					  throughput under the lanes (timeline_depth.c) */
};
int timeline_render_with(const struct viz_model *m, FILE *out,
			 const struct timeline_options *o);
/* The same of M, a streaming load (VIZ_LOAD_STREAM) of the trace file PATH,
 * whose streamed calls and transfers a second pass sums per lane and pixel
 * column (timeline_stream.c); PATH NULL: M alone. */
int timeline_render_from(const struct viz_model *m, FILE *out,
			 const struct timeline_options *o, const char *path);
/* timeline_stream.c: load PATH streamed and draw it so, in bounded memory;
 * ALL: every process and channel (--all, model->show_all). */
int timeline_render_file(const char *path, FILE *out, bool all);

/* perfetto.c: Chrome trace-event JSON for ui.perfetto.dev (docs/perfetto.md).
 * Transfers past PERFETTO_MAX_TRANSFERS get no arrow (the metadata says so). */
#define PERFETTO_MAX_TRANSFERS 100000
int perfetto_render(const struct viz_model *m, FILE *out);
/* perfetto_pb.c: the same as Perfetto's native protobuf trace (docs/perfetto.md). */
int perfetto_pb_render(const struct viz_model *m, FILE *out);
/* perfetto_pb_stream.c: the same of the trace file PATH, written in two
 * streaming passes (model.h, VIZ_LOAD_STREAM) in bounded memory. */
int perfetto_pb_render_file(const char *path, FILE *out);
/* perfetto_counters.c: the channels' depth and throughput counter tracks,
 * in the pseudo-process PERFETTO_CHANNELS_PID; *FIRST as in perfetto.c. */
#define PERFETTO_CHANNELS_PID 0u
int perfetto_write_counters(const struct viz_model *m, FILE *out, bool *first);

#endif /* IPCTRACE_VIZ_VIZ_H */
