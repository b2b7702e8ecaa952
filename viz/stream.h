/*
 * stream - the streaming load of a model (model.h, VIZ_LOAD_STREAM),
 * internal to viz/: model.c hands it the ops of byte-stream objects
 * instead of keeping them, and it matches them as they come, keeping per
 * channel only the sends and receives still in flight.
 */
#ifndef IPCTRACE_VIZ_STREAM_H
#define IPCTRACE_VIZ_STREAM_H

#include "model_build.h"

struct stream_state;

/* Start streaming into B's model. 0 or -ENOMEM. */
int stream_begin(struct builder *b);
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

#endif /* IPCTRACE_VIZ_STREAM_H */
