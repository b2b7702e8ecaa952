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

/* Track uuids: the number, then 3 bits of what it numbers (small
 * varints in every event). */
#define UUID_PROCESS(pid) ((uint64_t)(pid) << 3 | 1)
#define UUID_THREAD(tid) ((uint64_t)(tid) << 3 | 2)
#define UUID_CHANNEL(obj) ((uint64_t)(obj) << 3 | 3)
#define UUID_COUNTED(i) ((uint64_t)(i) << 3 | 4)   /* 2 per trace stat counter: calls, bytes */

/* Interned strings (InternedData), each table's iids from 1. */
#define PB_SEEN 64

struct pb_strings {
	char **s;               /* s[iid - 1] */
	size_t n, cap;
	uint32_t *slots;        /* slots.h index of s */
	size_t nslots;
	struct {                /* fixed strings by address (pb_intern_name) */
		const char *at;
		uint32_t iid;
	} seen[PB_SEEN];
};

struct pb_intern {
	struct pb_strings names, categories;
	uint32_t *channel;      /* per object: the iid of its id, 0 until sent */
	size_t nchannel;
	uint32_t nchannels;     /* channel iids given */
	bool debug_names;       /* the debug annotation names sent */
	size_t open;            /* mark of the packet's InternedData, 0: none */
};

/* The debug annotation names' iids. */
#define DEBUG_NAME_CHANNEL 1
#define DEBUG_NAME_RET 2

struct pb_writer {
	FILE *out;
	struct pbuf buf;        /* packets not yet written out */
	size_t packet;          /* mark of the packet being built */
	bool first;
	int err;
	uint64_t flow_base;     /* added to the flow ids written */
	struct pb_intern in;
};

/* End W: the packets left written out, the buffers freed; ERR, or the
 * write's error. */
int pb_writer_finish(struct pb_writer *w, int err);

/* perfetto_pb_intern.c: the iid of a value, interned into the packet
 * being built the first time (before its TrackEvent: pb_intern_close()
 * ends the packet's InternedData).  0 and w->err set on ENOMEM. */
/* FIXED: NAME never changes while W lives (a literal, a name table's
 * entry), so its address finds it; otherwise it is hashed. */
uint32_t pb_intern_name(struct pb_writer *w, const char *name, bool fixed);
/* CATEGORY is fixed. */
uint32_t pb_intern_category(struct pb_writer *w, const char *category);
uint32_t pb_intern_channel(struct pb_writer *w, const struct viz_model *m, uint32_t object);
/* DEBUG_NAME_CHANNEL and DEBUG_NAME_RET, the first time. */
void pb_intern_debug_names(struct pb_writer *w);
void pb_intern_close(struct pb_writer *w);
void pb_intern_release(struct pb_intern *in);

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
