/*
 * perfetto_pb - what perfetto_pb.c (the model as Perfetto's protobuf
 * trace) shares with perfetto_pb_stream.c (the same written while the
 * trace is streamed): the packet writer and the packets.  Internal to viz/.
 */
#ifndef IPCTRACE_VIZ_PERFETTO_PB_H
#define IPCTRACE_VIZ_PERFETTO_PB_H

#include <stdio.h>
#include "model.h"
#include "pbuf.h"

#define UUID_PROCESS(pid) ((1ull << 40) | (pid))
#define UUID_THREAD(tid) ((2ull << 40) | (tid))
#define UUID_CHANNEL(obj) ((3ull << 40) | (obj))
#define UUID_COUNTED(i) ((4ull << 40) | (i))   /* 2 per trace stat counter: calls, bytes */

struct pb_writer {
	FILE *out;
	struct pbuf pkt;        /* the packet being built */
	struct pbuf frame;      /* its Trace.packet framing */
	bool first;
	int err;
	uint64_t flow_base;     /* added to the flow ids written */
};

struct pb_thread {
	uint32_t tid, pid;
};

/* The distinct threads that made M's calls, sorted by tid; NULL on ENOMEM. */
struct pb_thread *pb_list_threads(const struct viz_model *m, size_t *n);
/* The tracks of M's processes, of THREADS[0..N) and of the channels
 * CHANNEL marks. */
void pb_write_tracks(struct pb_writer *w, const struct viz_model *m, const uint8_t *channel,
		     const struct pb_thread *threads, size_t nthreads);
/* A track descriptor: a process (PID), a thread (TID of PID) or a
 * counter (NAME; pid 0). */
void pb_write_track(struct pb_writer *w, uint64_t uuid, uint64_t parent, uint32_t pid,
		    uint32_t tid, const char *name, bool counter);
/* S (MAX bytes at most) cut at its NUL, non-ASCII as '?', into BUF. */
const char *pb_clean(char *buf, size_t size, const char *s, size_t max);
/* The slice of call OP on its thread's track. */
void pb_write_call(struct pb_writer *w, const struct viz_model *m, const struct viz_op *op);
/* An instant at OP's return on its thread starting (END: ending) the
 * flows IDS[0..N) (0-based; written + 1 + flow_base). */
void pb_write_flow_point(struct pb_writer *w, const struct viz_op *op, const uint32_t *ids,
			 size_t n, bool end);
/* Channel OBJECT's in-flight counter at TS. */
void pb_write_counter(struct pb_writer *w, uint32_t object, uint64_t ts, int64_t value);
/* What OP adds to (> 0) or takes from its channel's backlog. */
int64_t pb_backlog_step(const struct viz_model *m, const struct viz_op *op);
/* M's ops in time order: slices, flows of M's transfers, counters of the
 * channels CHANNEL marks.  0 or -errno. */
int pb_write_events(struct pb_writer *w, const struct viz_model *m, const uint8_t *channel);
/* The channels (objects) that get a counter track: those a flow went
 * through (a new array of M's nobjects, to free), or NULL on ENOMEM. */
uint8_t *pb_channels(const struct viz_model *m);

#endif
