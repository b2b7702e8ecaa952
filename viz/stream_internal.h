/*
 * stream_internal - what stream.c (the reorder window, the channels'
 * queues and their walk) and stream_flows.c (the flows, their samples and
 * the per-process sums they feed) share.  Not a public API.
 */
#ifndef IPCTRACE_VIZ_STREAM_INTERNAL_H
#define IPCTRACE_VIZ_STREAM_INTERNAL_H

#include "match_internal.h"
#include "queue_sim.h"
#include "stream.h"

#define REORDER_WINDOW 4096u
#define PENDING_MAX (1u << 16)
#define SEND_TO_MAX 4              /* receiving pids remembered per send */

struct held {
	struct viz_op op;
	uint64_t seq;                  /* file order */
	uint8_t data[VIZ_PAYLOAD_KEEP];
};

struct pend_send {
	struct viz_op op;
	uint64_t seq, left;
	uint32_t to[SEND_TO_MAX];      /* pids it delivered to (a message each) */
	uint8_t nto;                   /* 0: nothing delivered yet */
	uint8_t data[VIZ_PAYLOAD_KEEP];
};

struct pend_recv {
	uint64_t left, ts_ns, seq;
	uint64_t begin_ns;             /* the call's entry */
	uint32_t pid, tid;
	uint16_t syscall;
	bool fed;                      /* its first transfer was seen */
	uint32_t note;                 /* the latest wait for descriptors it is the receive
					  after (stream_polls.c), or 0 */
};

/* Sends kept while something may still name them (a semaphore's Vs, the
 * writes a file's ranges point to), with how many names they have. */
struct send_pool {
	struct pooled {
		struct pend_send send;
		uint32_t refs;
	} *v;
	size_t n, cap;
	uint32_t *free;
	size_t nfree, cap_free;
};
/* Keep op H with REFS names: its index, or UINT32_MAX when out of memory. */
uint32_t send_pool_take(struct send_pool *p, const struct held *h, uint32_t refs);
/* One name of I less (freed at none).  0 or -ENOMEM. */
int send_pool_put(struct send_pool *p, uint32_t i);
void send_pool_release(struct send_pool *p);

struct chan {
	struct ring sends, recvs;
	struct stream_queue *queue;         /* message kinds: their simulated queue */
	uint32_t flow_from, flow_to, flow;  /* the last flow met: index + 1 */
	uint32_t sum_pid[2], sum[2];        /* per direction: the last op_sums entry + 1 */
};

/* A P waiting for QSIM_HORIZON_NS of stream time to be matched. */
struct pend_p {
	struct pend_recv r;
	uint32_t object;
	uint16_t n;
	struct viz_semop e[IPCT_SEMOPS_MAX];
};

/* Keys of the held ops in (time, file order), a ring over the pool. */
struct held_key {
	uint64_t ts_ns, seq;
	uint32_t slot;                 /* in s->pool */
};
enum stream_mode { STREAM_BYTES = 1, STREAM_KEPT, STREAM_QUEUE };

struct stream_state {
	struct held *pool;             /* REORDER_WINDOW ops held */
	uint32_t *free_slots;
	size_t nfree;
	struct held_key *keys;         /* their order: a ring */
	size_t khead, nheld;
	uint64_t seq, last_ts;
	bool popped;
	uint8_t *mode;                 /* per object: 0 undecided, or enum stream_mode */
	size_t cap_mode;
	struct chan **chans;           /* per 2 * object + stream */
	size_t cap_chans;
	struct viz_flow *flows;
	size_t nflows, cap_flows;
	uint32_t *flow_slots;          /* hash: flow index + 1 */
	size_t nflow_slots;
	uint32_t *sum_slots;           /* hash: op_sums index + 1 */
	size_t nsum_slots, cap_sums, cap_samples;
	uint64_t *sample_seq;          /* parallel to m->samples: the send's file order */
	const struct stream_sink *sink; /* or NULL */
	uint32_t *wait_slots;          /* hash: m->stream_waits index + 1 */
	size_t nwait_slots, cap_waits, cap_eofs;
	struct ring polls;             /* waits for descriptors not decided (stream_polls.c) */
	uint64_t poll_base;            /* the number of the first */
	struct poll_pid *poll_pids;    /* per pid: its open waits */
	size_t npoll_pids, cap_poll_pids;
	uint32_t *pid_slots;           /* hash: poll_pids index + 1 */
	size_t npid_slots;
	uint32_t *thread_slots;        /* hash: m->stream_threads index + 1 */
	size_t nthread_slots, cap_threads;
	struct kept_object *objs;      /* per object: semaphores' and files' state */
	size_t cap_objs;
	struct send_pool kept;         /* the Vs and writes they name */
	struct ring sem_ps;            /* the Ps waiting to be matched (stream_sync.c) */
	uint64_t sem_order;            /* semaphore ops taken */
	struct file_part *parts;       /* the file read being matched (stream_file.c) */
	size_t nparts, cap_parts;
	uint32_t *sig_held;            /* signal objects holding back a group-exit
					  delivery (stream_signal.c) */
	size_t nsig_held, cap_sig_held;
	bool sig_death;                /* the delivery being taken is the target's death */
	size_t cap_undelivered;        /* of m->undelivered */
};

/* A file read's bytes from one write (stream_file.c). */
struct file_part {
	uint32_t ref, first;           /* first: its place among the read's parts */
	uint64_t bytes;
};

/* What the matcher of a semaphore or a file keeps of it. */
struct kept_object {
	struct sem_vs vs;              /* semaphores: the Vs not used up */
	struct file_map map;           /* files: the ranges and their writes */
	uint64_t done_upto;            /* semaphores: the latest return of a matched P */
	uint64_t given_up;             /* semaphores: the latest begin + 1, files: the
					  highest end, of what was given up for room */
	struct sig_target *sig;        /* signals: their state (stream_signal.c) */
};
/* OBJECT's, zeroed the first time; NULL when out of memory. */
struct kept_object *stream_kept_object(struct stream_state *s, uint32_t object);

/* A process's waits for descriptors whose receive has not come: the
 * first and last, numbered as in stream_polls.c (+ 1, 0: none). */
struct poll_pid {
	uint32_t pid, head, tail;
};

/* The channel of key K (2 * object + stream), made the first time; NULL
 * when out of memory. */
struct chan *stream_chan_get(struct stream_state *s, size_t k);
/* SEND delivered BYTES to R: the flow, its sample and latency, the sink
 * (a semaphore's release: every one is a message and a latency sample),
 * and R's wait unless R->fed.  0 or -errno. */
int stream_transfer(struct builder *b, struct chan *c, struct pend_send *send,
		    struct pend_recv *r, uint64_t bytes);

/* stream_sync.c: semaphore op H, in time order.  0 or -errno. */
int stream_sem_op(struct builder *b, const struct held *h);
/* Match the pending Ps that stream time NOW leaves behind (ALL: every
 * one).  0 or -errno. */
int stream_sync_advance(struct builder *b, uint64_t now, bool all);
/* Take op H of a streamed object, in time order (the reorder window's
 * or a held-back signal's turn).  0 or -errno. */
int stream_take(struct builder *b, const struct held *h);
/* stream_signal.c: signal op H, in time order, matched.  0 or -errno. */
int stream_signal_op(struct builder *b, struct chan *c, const struct held *h);
/* Take op H (stream_take()), unless it must wait behind its target's
 * group-exit delivery that may stand for its death, or is one: then it
 * is held back.  0 or -errno. */
int stream_signal_take(struct builder *b, const struct held *h);
/* Take the held-back deliveries whose target exited before stream time
 * NOW (ALL: every one).  0 or -errno. */
int stream_signal_settle(struct builder *b, uint64_t now, bool all);
/* The end: every held-back op taken, the generations no delivery took
 * listed in m->undelivered, sorted as the whole-history matcher lists
 * them.  0 or -errno. */
int stream_signal_finish(struct builder *b);
void stream_signal_free(struct kept_object *k);
/* stream_file.c: file op H, in time order.  0 or -errno. */
int stream_file_op(struct builder *b, const struct held *h);

/* stream_queue.c: one op H (time order) of a message object, matched
 * through C's simulated queue (made at the first); its pending receives
 * all decided at the end; the queue freed.  0 or -errno. */
int stream_queue_op(struct builder *b, struct chan *c, const struct held *h);
int stream_queue_finish(struct builder *b, struct chan *c);
void stream_queue_free(struct chan *c);

/* Grow *P to NEED entries of SIZE, zeroing the new ones.  0 or -ENOMEM. */
int stream_grow_zero(void **p, size_t *cap, size_t need, size_t size);
/* The flow SEND feeds into C's channel towards pid TO (made, with SEND as
 * its sample, the first time); NULL with *ERR set when out of memory. */
struct viz_flow *stream_flow_get(struct builder *b, struct chan *c,
				 const struct pend_send *send, uint32_t to, int *err);
/* Make SEND the sample of flow sample I.  0 or -errno. */
int stream_sample_set(struct builder *b, size_t i, const struct pend_send *send);
/* What the graph draws of OP: a send that moved bytes, or bytes read.  0 or -errno. */
int stream_sum_add(struct builder *b, struct chan *c, const struct viz_op *op);

/* stream_waits.c: one more wait of NS into the group of K.  0 or -errno. */
int stream_wait_add(struct builder *b, const struct wait_group *k, uint64_t ns);
/* Receive R's first transfer came from SEND: a wait
 * when SEND began after R did.  0 or -ENOMEM. */
int stream_wait_fed(struct builder *b, struct pend_recv *r, const struct viz_op *send,
		    uint32_t object);
/* A streamed receive OP that moved nothing: interrupted (a wait) or
 * end-of-file (kept for waits.c).  0 or -ENOMEM. */
int stream_wait_empty(struct builder *b, const struct viz_op *op);
/* Is OP a read that returned end-of-file (of a channel that has one)? */
bool stream_eof_read(const struct viz_model *m, const struct viz_op *op);
/* One more end-of-file read E for waits.c (past EOF_READS_MAX: counted
 * dropped).  0 or -ENOMEM. */
int stream_eof_add(struct builder *b, const struct viz_eof_read *e);

/* stream_polls.c: receive OP of a streamed object was taken: the receive
 * after its process's open waits for descriptors on its channel; R (NULL
 * when OP is not queued, so nothing will feed it) is told the latest.
 * 0 or -ENOMEM. */
int stream_poll_recv(struct builder *b, const struct viz_op *op, struct pend_recv *r);
/* SEND fed the receive after the wait numbered NOTE (and those before it
 * with the same receive).  0 or -errno. */
int stream_poll_fed(struct builder *b, uint32_t note, const struct viz_op *send);
/* The stream's time is NOW: decide the waits it leaves undecided no
 * longer (ALL: every one, at the end).  0 or -errno. */
int stream_polls_advance(struct builder *b, uint64_t now, bool all);

/* stream_threads.c: OP's thread, if not its process's main one, into
 * m->stream_threads.  0 or -ENOMEM. */
int stream_thread_add(struct builder *b, const struct viz_op *op);

#endif /* IPCTRACE_VIZ_STREAM_INTERNAL_H */
