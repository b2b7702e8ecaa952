/*
 * stream - the streaming load of a model (model.h, VIZ_LOAD_STREAM),
 * internal to viz/: model.c hands it the ops of the kinds stream_takes()
 * takes instead of keeping them, and it matches them as they come,
 * keeping per channel only what is still in flight.
 */
#ifndef IPCTRACE_VIZ_STREAM_H
#define IPCTRACE_VIZ_STREAM_H

#include "model_build.h"

struct stream_state;

/* Who sees the streamed ops as they are matched (a second pass that
 * writes them out, perfetto_pb_stream.c).  Each returns 0 or -errno. */
struct stream_sink {
	void *ctx;
	/* an op of a streamed object, in time order, once the model knows
	 * it; SEQ numbers the streamed ops in file order from 0 */
	int (*op)(void *ctx, const struct viz_model *m, const struct viz_op *op, uint64_t seq);
	/* SEND (number SEND_SEQ) delivered BYTES to RECV (of which the sink
	 * gets ts_ns, pid and tid; number RECV_SEQ), in the order the
	 * matcher finds them */
	int (*transfer)(void *ctx, const struct viz_model *m, const struct viz_op *send,
			uint64_t send_seq, const struct viz_op *recv, uint64_t recv_seq,
			uint64_t bytes);
	/* a wait for descriptors, in file order, once decided (its
	 * ready_object UINT32_MAX when it is kept in m->wait_calls and
	 * its channel was not known then: stream_polls.c); may be NULL */
	int (*wait)(void *ctx, const struct viz_model *m, const struct viz_wait_call *c);
};

/* Load PATH as VIZ_LOAD_STREAM does, handing every streamed op and
 * transfer to SINK.  0 or -errno; M as viz_model_load_with() leaves it. */
int stream_load(struct viz_model *m, const char *path, const struct stream_sink *sink);

/* Start streaming into B's model, SINK (NULL: none) seeing it. 0 or -ENOMEM. */
int stream_begin(struct builder *b, const struct stream_sink *sink);
/* Does OBJECT's ops go to the stream (decided at its first op, by kind)? */
bool stream_takes(struct builder *b, uint32_t object);
/* One op of a streamed object (PAYLOAD: LEN bytes, cut to VIZ_PAYLOAD_KEEP). */
int stream_op(struct builder *b, const struct viz_op *op, const uint8_t *payload, size_t len);
/* All events read: match what is held, count what stayed unmatched, fill
 * m->calls and m->op_sums.  Before match_model(). */
int stream_finish(struct builder *b);
/* After match_model(): add the streamed flows to m->flows (kept sorted). */
int stream_add_flows(struct builder *b);
void stream_free(struct stream_state *s);
/* stream_polls.c: wait C for descriptors, KEY its ready one (model_wait.c),
 * to be summed into the waits once decided.  0 or -ENOMEM. */
int stream_poll_add(struct builder *b, const struct viz_wait_call *c, const struct wait_key *key);

/* call_summary.c: one more value D (a duration, a latency) into C; one
 * more call OP (its duration, bytes or error); the exact values sorted,
 * once all are in (viz_calls_percentile() reads them sorted).  The adds
 * return 0 or -ENOMEM. */
int summary_add_value(struct viz_call_summary *c, uint64_t d);
int summary_add_call(struct viz_call_summary *c, const struct viz_op *op);
void summary_sort_exact(struct viz_call_summary *c);

#endif /* IPCTRACE_VIZ_STREAM_H */
