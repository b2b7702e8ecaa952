/*
 * match_internal - what match.c (byte streams, dispatch, flows) shares with
 * the per-kind matchers match_queue.c, match_sync.c and match_file.c.  Not
 * a public API.
 *
 * Every matcher gets one object and the indexes of its ops in time order
 * (struct viz_op sorted by ts_ns, ties in file order), reports each
 * transfer through match_add_transfer() and counts what it could not
 * explain in the object's unmatched_bytes / unmatched_msgs.
 */
#ifndef IPCTRACE_VIZ_MATCH_INTERNAL_H
#define IPCTRACE_VIZ_MATCH_INTERNAL_H

#include "match.h"
#include "model.h"

struct transfer_sink {
	struct viz_model *m;
	size_t cap;
	size_t cap_undelivered;        /* of m->undelivered */
};

/* A match_fn: append transfer (SEND, RECV, BYTES) to the model. */
int match_add_transfer(void *sink, uint32_t send, uint32_t recv, uint64_t bytes);


/* match_queue.c: the datagrams of one stream (STREAM; -1: all ops),
 * message queues and eventfd counters, by their simulated queue. */
int match_queue(struct transfer_sink *t, struct viz_object *obj, const uint32_t *ops,
		size_t n, int stream);
/* match_sync.c: semaphores.  The whole-history matcher and the streamed
 * one (stream_sync.c) share the Vs not used up, kept sorted by (begin,
 * order): each V entry of a semop, its releases left, and REF, the
 * caller's name for its op. */
struct sem_v {
	uint64_t begin, order;         /* order: its op's place in time order */
	uint32_t ref, pid;
	uint16_t num;
	int32_t left;                  /* releases it may still explain */
};
struct sem_vs {
	struct sem_v *v;               /* v[head..head + n) */
	size_t head, n, cap;
	size_t hint;                   /* where the last P's search ended */
};
/* Add the V entries of semop OP (entries E[0..op->u.sem.n)).  How many,
 * or -ENOMEM. */
int sem_vs_add_op(struct sem_vs *q, const struct viz_op *op, const struct viz_semop *e,
		  uint32_t ref, uint64_t order);
/* For each P entry of semop P (entries E), the V that released it, if
 * any, used once more and handed to FN.  0 or FN's error. */
int sem_release_op(struct sem_vs *q, const struct viz_op *p, const struct viz_semop *e,
		   int (*fn)(void *ctx, const struct sem_v *v), void *ctx);
int match_semaphores(struct transfer_sink *t, struct viz_object *obj,
		     const uint32_t *ops, size_t n);
/* Signals: the whole-history matcher and the streamed one
 * (stream_signal.c) share these rules.  Is D the SIGKILL without siginfo
 * that each thread of a dying group takes (a fatal signal turned into a
 * group exit, SIGKILL itself, another thread's exit_group or exec)? */
bool signal_group_exit(const struct viz_op *d);
/* Can generation G explain delivery D of SIG?  A receipt of an ignored
 * signal pairs with an ignored generation, any other delivery with one
 * the kernel queued. */
bool signal_explains(const struct viz_op *g, const struct viz_op *d, uint32_t sig);
/* Why generation G, which no delivery took, was not delivered to its
 * target (EXITED: the target exited), or 0: it is not listed. */
uint8_t signal_undelivered_reason(const struct viz_op *g, bool exited);
/* List a copy of G (ORDER: its place among its object's ops) as
 * undelivered for REASON; CAP: of m->undelivered.  0 or -ENOMEM. */
int signal_undelivered_add(struct viz_model *m, size_t *cap, const struct viz_op *g,
			   uint64_t order, uint8_t reason);
int match_signals(struct transfer_sink *t, struct viz_object *obj,
		  const uint32_t *ops, size_t n);
/* match_file.c: a file's content as sorted, disjoint byte ranges
 * [start, end), each naming (REF, the caller's name) the write that last
 * stored it; the whole-history matcher and the streamed one
 * (stream_file.c) share it. */
struct file_segment {
	uint64_t start, end;
	uint32_t ref;
};
struct file_map {
	struct file_segment *seg;
	size_t n, cap;
};
/* Make [A, B) belong to write REF.  0 or -ENOMEM. */
int file_map_store(struct file_map *f, uint64_t a, uint64_t b, uint32_t ref);
/* Hand each segment that overlaps [A, B) to FN with the bytes of the
 * overlap; *COVERED: their sum.  0 or FN's error. */
int file_map_read(const struct file_map *f, uint64_t a, uint64_t b,
		  int (*fn)(void *ctx, const struct file_segment *s, uint64_t bytes), void *ctx,
		  uint64_t *covered);
int match_file(struct transfer_sink *t, struct viz_object *obj,
	       const uint32_t *ops, size_t n);

#endif /* IPCTRACE_VIZ_MATCH_INTERNAL_H */
