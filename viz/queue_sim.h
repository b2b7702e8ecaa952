/*
 * queue_sim - the simulated queue of one message object (datagram stream,
 * SysV or POSIX message queue, eventfd counter), fed its ops in time
 * order, that both the whole-history matcher (match_queue.c) and the
 * streaming load (stream_queue.c) run: one set of rules, two callers.
 *
 * Sends enter in the order they returned.  A receive waits in a pending
 * list until its choice is final: nothing a later send could bring may
 * change it (a later send has a later queue position; it may still have
 * begun before the receive returned, when the sender woke the receiver).
 * A receive is decided anyway once an op of the object returns more than
 * QSIM_HORIZON_NS after it, when QSIM_PENDING_MAX receives wait, or at
 * the end.  Past QSIM_QUEUE_MAX queued sends the oldest is dropped
 * (counted in dropped).  Not a public API.
 */
#ifndef IPCTRACE_VIZ_QUEUE_SIM_H
#define IPCTRACE_VIZ_QUEUE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct viz_op;

#define QSIM_HORIZON_NS 100000000ull   /* 100 ms */
#define QSIM_PENDING_MAX (1u << 16)
#define QSIM_QUEUE_MAX (1u << 16)
#define QSIM_LOOKAHEAD 8

/* A FIFO queue of fixed-size elements in a growing ring. */
struct ring {
	char *v;
	size_t size, head, n, cap;
};

void *ring_at(const struct ring *q, size_t i);
/* A new last element (uninitialised), or NULL when out of memory. */
void *ring_push(struct ring *q);
void ring_pop(struct ring *q);

enum qsim_kind { QSIM_DGRAM, QSIM_MSGQ, QSIM_EVENTFD };

/* The head of every queued send element; the caller's data follows. */
struct qsim_send {
	uint64_t begin_ns;
	int64_t ret;
	int64_t key;                   /* SysV: mtype; POSIX: priority */
	uint64_t value;                /* eventfd: the value written (0: not kept) */
	bool taken;
};

/* The head of every pending receive element; the caller's data follows. */
struct qsim_recv {
	uint64_t ts_ns;
	int64_t ret;
	int64_t msgtyp, rtype;
	uint64_t value;                /* eventfd: the value read (0: not kept) */
	uint32_t prio, flags;
	bool posix;
};

/* What the caller does with a decision; each returns 0 or -errno. */
struct qsim_calls {
	/* SEND delivered BYTES to RECV (elements, header first) */
	int (*transfer)(void *ctx, void *send, void *recv, uint64_t bytes);
	/* RECV took nothing; COUNTS: it is unmatched (unmatched_msgs/bytes) */
	int (*none)(void *ctx, void *recv, bool counts);
	/* do the payload samples of SEND and RECV agree (datagrams)? */
	bool (*same)(void *ctx, const void *send, const void *recv);
};

struct qsim_group;

struct qsim {
	enum qsim_kind kind;
	uint32_t efd_flags;            /* eventfd: the object's VIZ_OBJ_EFD_* now */
	const struct qsim_calls *calls;
	void *ctx;
	struct ring sends;             /* queue positions base .. base + n */
	uint64_t base;
	struct ring recvs;             /* pending, in time order */
	bool fresh;                    /* the first pending one is worth a look */
	struct qsim_group *groups;     /* message queues: by key, ascending */
	size_t ngroups, cap_groups;
	uint64_t head_left;            /* eventfd: what is left of the first write */
	uint64_t steps;                /* entries and groups looked at */
	uint64_t dropped;              /* sends dropped past QSIM_QUEUE_MAX */
};

/* Start Q for objects of KIND; elements of SEND_SIZE and RECV_SIZE bytes
 * (each at least its header); CALLS and CTX see the decisions. */
void qsim_init(struct qsim *q, enum qsim_kind kind, size_t send_size, size_t recv_size,
	       const struct qsim_calls *calls, void *ctx);
/* One op OP of the object (DATA: its payload sample, op->payload_len
 * bytes), in time order.  A send or a receive the queue takes is copied
 * from ELEM (SEND_SIZE or RECV_SIZE bytes; its header is filled here);
 * other ops only advance the time.  0 or -errno. */
int qsim_op(struct qsim *q, const struct viz_op *op, const uint8_t *data, const void *elem);
/* Does OP enter the queue (a send) or wait in it (a receive)? */
bool qsim_takes(const struct qsim *q, const struct viz_op *op);
/* Decide every pending receive.  0 or -errno. */
int qsim_finish(struct qsim *q);
void qsim_release(struct qsim *q);

#endif /* IPCTRACE_VIZ_QUEUE_SIM_H */
