/*
 * model - what viz/ knows about a trace: processes, objects (channels),
 * operations and the transfers that link each send to the receive(s) that
 * consumed it.
 *
 * viz_model_load() reads a trace file (lib/trace_file.h) once, builds the
 * tables below and runs the matchers (viz/match.h).  Report, graph and
 * timeline only read a loaded model.  Times in the model are nanoseconds
 * since the trace started (meta.start_monotonic_ns), so 0 is the start.
 *
 * Matching (see docs/matching.md): byte streams (pipe, fifo) are matched
 * exactly by byte offset: the k-th byte written to an object is the k-th
 * byte read from it, in the order calls returned.
 *
 * Library code: returns 0 or a negative errno, never prints.
 */
#ifndef IPCTRACE_VIZ_MODEL_H
#define IPCTRACE_VIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/trace_file.h"

struct viz_process {
	uint32_t pid;
	uint32_t ppid;                 /* 0 if unknown */
	char comm[IPCT_COMM_LEN];      /* last comm (after exec); raw, unescaped */
	char exec_path[IPCT_PATH_LEN]; /* last exec filename, "" if none seen */
	uint64_t start_ns;             /* fork time, 0 if before tracing */
	uint64_t end_ns;               /* exit time; trace end if never exited */
	int32_t exit_status;           /* wait(2) status, -1 if not seen */
	bool exited;
	uint32_t lane;                 /* row in the timeline: order of first appearance */
};

struct viz_object {
	char id[64];                   /* "pipe:DEV:INO", unique, stable */
	enum ipct_kind kind;
	uint32_t dev;
	uint64_t ino;
	char name[IPCT_PATH_LEN];      /* path for fifo/file, "" for a pipe */
	uint32_t *users;               /* pids that operated on it, ascending */
	size_t nusers;
	uint64_t sent_bytes;           /* total bytes written into it */
	uint64_t received_bytes;       /* total bytes read out of it */
	uint64_t unmatched_bytes;      /* bytes read that no traced write explains */
};

struct viz_op {
	uint64_t ts_ns;                /* when the call returned */
	uint64_t duration_ns;          /* time inside the call (blocked or copying) */
	uint32_t pid, tid;
	uint32_t object;               /* index in model->objects */
	enum ipct_dir dir;
	int64_t ret;                   /* bytes moved or -errno */
	uint64_t requested;
	uint16_t syscall;
	uint64_t offset;               /* byte-stream offset of the first byte moved */
};

/* `bytes` of send op `send` were consumed by receive op `recv`. */
struct viz_transfer {
	uint32_t send;                 /* index in model->ops */
	uint32_t recv;
	uint64_t bytes;
};

/* All that process `from` delivered to process `to` through one object. */
struct viz_flow {
	uint32_t object;
	uint32_t from, to;             /* pids */
	uint64_t messages;             /* send ops whose data reached `to` */
	uint64_t bytes;
};

struct viz_fork {
	uint64_t ts_ns;
	uint32_t parent, child;        /* pids */
};

struct viz_model {
	struct trace_meta meta;        /* argv owned by the model */
	bool truncated;                /* file cut short: no end marker */
	bool has_stats;
	struct trace_stats stats;      /* valid when has_stats */
	uint64_t lost_total;
	uint64_t duration_ns;          /* start to end of recording */
	uint64_t events;               /* events read */

	struct viz_process *processes; size_t nprocesses; /* by first appearance */
	struct viz_object *objects;    size_t nobjects;
	struct viz_op *ops;            size_t nops;       /* sorted by ts_ns */
	struct viz_transfer *transfers; size_t ntransfers; /* sorted by send, then recv */
	struct viz_flow *flows;        size_t nflows;     /* sorted by object, from, to */
	struct viz_fork *forks;        size_t nforks;     /* sorted by ts_ns */
	uint32_t *pid_order;           /* process indexes sorted by pid (viz_model_process) */
};

/* Load PATH into M (zeroed by the call). -errno on failure (trace_file_strerror). */
int viz_model_load(struct viz_model *m, const char *path);
/* Build from an already open reader (used by tests). */
int viz_model_build(struct viz_model *m, struct trace_reader *r);
void viz_model_release(struct viz_model *m);

/* Lookups; NULL when absent. */
const struct viz_process *viz_model_process(const struct viz_model *m, uint32_t pid);
const char *viz_kind_name(enum ipct_kind kind);   /* "pipe", "fifo", ... */

#endif /* IPCTRACE_VIZ_MODEL_H */
