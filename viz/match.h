/*
 * match - matching sends to receives, for every kind (docs/matching.md).
 *
 * Byte streams (pipe, fifo, Unix and TCP stream sockets, one stream per
 * direction) use the byte-offset matcher below; message queues and
 * datagrams are simulated queues (match_queue.c, with msgrcv's type rules:
 * match_msg_select()); files keep the last write of every byte range
 * (match_file.c); semaphores and signals pair a V with the P it released
 * and a generation with its delivery (match_sync.c).
 *
 * The byte-offset matcher:
 *
 * The k-th byte written into a byte stream is the k-th byte read out of it.
 * Given the sends of one object in stream order and its receives in stream
 * order, match_byte_stream() walks both lists once (two pointers, O(S+R))
 * and reports every overlap (send, receive, bytes) through a callback: a
 * send consumed by three reads gives three overlaps, a read that spans
 * several writes one overlap per write.  Bytes received beyond everything
 * that was sent (data written before tracing started, or lost send events)
 * are counted as unmatched.  When the items carry times, one causality
 * guard applies: a receive that returned before the current send even
 * began cannot hold its bytes, so what is left of that receive is
 * unmatched too (it was written before tracing started).
 * docs/matching.md explains the rule and its limits.
 *
 * match_byte_stream() knows nothing of the model: items carry a length,
 * times and an opaque op number, so it is unit-tested on plain arrays.
 * match_model() runs it over a built model (viz/model.h).
 */
#ifndef IPCTRACE_VIZ_MATCH_H
#define IPCTRACE_VIZ_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One send or receive call on the stream. */
struct match_item {
	uint64_t len;       /* bytes moved (0 for a failed or empty call) */
	uint32_t op;        /* caller's identifier, passed back to the callback */
	uint64_t begin_ns;  /* when the call started (0 with end_ns 0: unknown) */
	uint64_t end_ns;    /* when it returned */
	uint64_t offset;    /* out: stream offset of the item's first byte */
};

/* Called for each overlap, in stream order; a non-zero return stops the
 * walk and is returned by match_byte_stream(). */
typedef int (*match_fn)(void *ctx, uint32_t send_op, uint32_t recv_op,
			uint64_t bytes);

/* Match SENDS against RECVS (each in stream order), calling FN for every
 * overlap and setting each item's offset.  *UNMATCHED (if not NULL) gets
 * the bytes received beyond all sends.  Returns 0, or FN's non-zero value. */
int match_byte_stream(struct match_item *sends, size_t nsends,
		      struct match_item *recvs, size_t nrecvs,
		      match_fn fn, void *ctx, uint64_t *unmatched);

/* One queued SysV message, for match_msg_select(). */
struct match_msg {
	int64_t mtype;
	bool taken;         /* already received: skipped */
};

/* The index in QUEUE[0..N) (queue order) of the message msgrcv(msgtyp =
 * MSGTYP, msgflg = FLAGS) takes, or -1 if none: 0 the first; > 0 the first
 * of that type (with MSG_EXCEPT the first of another type); < 0 the first
 * of the lowest type <= |MSGTYP|.  RTYPE > 0 (the type the receiver got,
 * when the trace has it) wins: the first message of that type. */
long match_msg_select(const struct match_msg *queue, size_t n, int64_t msgtyp,
		      uint32_t flags, int64_t rtype);

struct viz_model;

/* Match every object of M (ops sorted by time): set each stream op's
 * offset and each object's sent/received/unmatched counts, fill
 * M->transfers (sorted by send, then recv) and M->flows (by object, from,
 * to).  0 or -ENOMEM. */
int match_model(struct viz_model *m);
/* Sum M->transfers into M->flows (which must be empty). 0 or -ENOMEM. */
int match_build_flows(struct viz_model *m);

#endif /* IPCTRACE_VIZ_MATCH_H */
