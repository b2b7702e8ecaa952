/*
 * hot - hot-path analyses of a loaded model (viz/model.h): where IPC
 * costs time.  All computed from the trace alone (docs/hot-paths.md):
 *
 * - latency.c: delivery latency, the time from a send's return to the
 *   return of the receive that consumed its first byte (or its message; a
 *   semaphore V to the P it released; a signal's generation to its
 *   delivery), per flow and per channel: exact min/p50/p90/p99/max over
 *   the sorted samples and a log2 histogram in the style of bcc's
 *   print_log2_hist.
 * - waits.c: who waits for whom.  Every receive-side call that had to wait
 *   (the send that fed it began after it did, a P released by a V, a read
 *   that waited for end-of-file) is a wait, charged to the channel and to
 *   the peer whose send (or close) ended it.
 * - critical_path.c: from the root process's exit backwards, running and
 *   blocked segments that tile [0, end].
 * - series.c: per-channel depth (bytes or messages sent and not yet
 *   received) and throughput over time.
 *
 * Each *_compute() returns 0 or a negative errno and never prints; each
 * result has its *_release().  Outputs: report_hot.c (text and JSON),
 * perfetto.c (counter tracks), the timeline (critical-path highlight).
 */
#ifndef IPCTRACE_VIZ_HOT_H
#define IPCTRACE_VIZ_HOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"

/* ---- latency.c ---- */

/* Buckets of a log2 histogram: bucket 0 holds 0 and 1 ns, bucket k >= 1
 * holds [2^k, 2^(k+1)) ns, as bcc's print_log2_hist shows them. */
#define LATENCY_BUCKETS 64

struct latency_dist {
	uint64_t count;                 /* samples; the rest is valid when > 0 */
	uint64_t min_ns, p50_ns, p90_ns, p99_ns, max_ns;
	uint64_t total_ns;
	uint64_t hist[LATENCY_BUCKETS];
};

struct latency_table {
	struct latency_dist *flows;     /* parallel to m->flows */
	struct latency_dist *channels;  /* parallel to m->objects, in flows' allocation */
};

/* The bucket of a latency of NS nanoseconds; the lowest and highest
 * values of bucket K. */
unsigned latency_bucket(uint64_t ns);
uint64_t latency_bucket_low(unsigned k);
uint64_t latency_bucket_high(unsigned k);
/* The delivery latency of transfer T of M, in ns (0 when the receive
 * returned before the send did). */
uint64_t latency_of_transfer(const struct viz_model *m, const struct viz_transfer *t);
int latency_compute(const struct viz_model *m, struct latency_table *t);
void latency_release(struct latency_table *t);
/* Nearest-rank percentile P (0..100) of N sorted values (N > 0). */
uint64_t latency_percentile(const uint64_t *sorted, size_t n, unsigned p);

/* ---- waits.c ---- */

/* One receive-side call that waited, or a poll, select or epoll_wait
 * that a channel's readiness ended. */
struct wait {
	uint32_t op;                    /* the waiting call, index in m->ops, or UINT32_MAX */
	uint32_t call;                  /* the wait call, index in m->wait_calls, or UINT32_MAX */
	uint16_t syscall;               /* the call it waited in (read, poll, semop...) */
	uint32_t pid;
	uint32_t object;
	uint32_t peer;                  /* pid whose send/close ended it; 0 unknown */
	uint32_t send;                  /* op that ended it, or UINT32_MAX */
	uint64_t begin_ns, end_ns;      /* the call */
	uint64_t wake_ns;               /* when it was released (<= end_ns) */
	uint8_t why;                    /* enum wait_cause */
};

enum wait_cause {
	WAIT_DATA = 0,                  /* a send (or V, or signal) that began later fed it */
	WAIT_EOF,                       /* read that returned end-of-file: last writer closed */
	WAIT_INTERRUPTED,               /* -EINTR: a signal ended it */
	WAIT_CHILD,                     /* critical path only: a child's exit (wait4,
					   which the trace does not record, inferred) */
	WAIT_SIGNAL,                    /* critical path only: a signal ended a wait
					   the trace does not record (inferred) */
	WAIT_READY,                     /* critical path only: data arrived while the
					   process made no recorded call (a poll,
					   select or epoll_wait, inferred) */
};

/* struct wait_group: model.h (a streamed load sums its own). */

struct wait_table {
	struct wait *waits;             /* sorted by pid, then end_ns */
	size_t nwaits;
	struct wait_group *groups;      /* sorted by pid, then ns descending */
	size_t ngroups;
	uint64_t *blocked_ns;           /* parallel to m->processes */
	uint64_t *channel_ns;           /* parallel to m->objects: waits on it */
};

int waits_compute(const struct viz_model *m, struct wait_table *w);
void waits_release(struct wait_table *w);
/* The kinds of wait the trace cannot show, as a NULL-terminated list of
 * names ("poll", "accept"...): blocking that is not in any recorded call. */
const char *const *waits_unseen(const struct viz_model *m);

/* ---- critical_path.c ---- */

enum path_state { PATH_RUNNING = 0, PATH_BLOCKED };

struct path_segment {
	uint32_t pid;
	uint8_t state;                  /* enum path_state */
	uint8_t why;                    /* blocked: enum wait_cause */
	uint32_t object;                /* blocked: the channel, else UINT32_MAX */
	uint32_t peer;                  /* blocked: who it waited for (0 unknown) */
	uint64_t from_ns, to_ns;
	uint64_t wait_begin_ns;         /* blocked: when that call began */
};

struct critical_path {
	struct path_segment *segs;      /* in time order, tiling [0, end_ns] */
	size_t nsegs;
	uint64_t end_ns;                /* the root process's exit (or trace end) */
};

int critical_path_compute(const struct viz_model *m, const struct wait_table *w,
			  struct critical_path *p);
/* Time of P per process index and state: ON[2 * process + state], an
 * array of 2 * m->nprocesses entries (zeroed by the caller). */
void critical_path_by_process(const struct viz_model *m, const struct critical_path *p,
			      uint64_t *on);
void critical_path_release(struct critical_path *p);

/* ---- series.c ---- */

/* How a channel's depth is counted. */
enum depth_unit { DEPTH_NONE = 0, DEPTH_BYTES, DEPTH_MESSAGES };

/* One change of a channel's depth, at an op's return. */
struct depth_point {
	uint64_t ts_ns;
	uint64_t depth;
};

struct channel_series {
	uint8_t unit;                   /* enum depth_unit */
	uint64_t messages;              /* successful sends */
	uint64_t bytes;                 /* bytes sent */
	uint64_t max_depth;
	uint64_t max_depth_ns;          /* when it was first reached */
	struct depth_point *points;     /* every change, time order */
	size_t npoints;
};

struct series_table {
	struct channel_series *channels; /* parallel to m->objects */
	size_t nchannels;
};

/* What unit OBJECT counts its depth in. */
enum depth_unit series_unit(const struct viz_model *m, uint32_t object);
/* How much op OP adds to (> 0) or takes from (< 0) its channel, in UNIT. */
int64_t series_depth_delta(const struct viz_op *op, enum depth_unit unit);
/* KEEP_POINTS: also store every depth change (for pictures). */
int series_compute(const struct viz_model *m, bool keep_points, struct series_table *s);
void series_release(struct series_table *s);
/* Throughput: for every channel OBJECT and every bucket [FROM, TO) of
 * BUCKET_NS (buckets start at ORIGIN_NS; what was sent before it is left
 * out) in which something was sent, FN gets
 * the bytes and messages sent in it.  Calls for one object come in time
 * order; different objects interleave.  One pass over the ops. */
typedef void (*series_fn)(void *ctx, uint32_t object, uint64_t from_ns, uint64_t to_ns,
			  uint64_t bytes, uint64_t messages);
int series_throughput(const struct viz_model *m, uint64_t origin_ns, uint64_t bucket_ns,
		      series_fn fn, void *ctx);

/* ---- report_hot.c: all of the above, for the reports ---- */

struct hot_report {
	struct latency_table latency;
	struct wait_table waits;
	struct critical_path path;
	struct series_table series;    /* without points */
};

int hot_compute(const struct viz_model *m, struct hot_report *h);
/* The same of a streamed model (VIZ_LOAD_STREAM): the latencies, waits and
 * depths, no critical path (it needs every op). */
int hot_compute_streamed(const struct viz_model *m, struct hot_report *h);
void hot_release(struct hot_report *h);

/* JSON pieces of report.json (docs/report-json.md): each writes fields
 * that follow others in an object (", \"blocked_ns\": ..."), or, for the
 * tail, the last top-level fields. */
void hot_json_process(FILE *out, const struct viz_model *m, const struct hot_report *h,
		      size_t process);
void hot_json_channel(FILE *out, const struct viz_model *m, const struct hot_report *h,
		      size_t object);
void hot_json_flow(FILE *out, const struct viz_model *m, const struct hot_report *h,
		   size_t flow);
void hot_json_tail(FILE *out, const struct viz_model *m, const struct hot_report *h);

#endif /* IPCTRACE_VIZ_HOT_H */
