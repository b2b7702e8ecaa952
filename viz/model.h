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
 * Matching (see docs/matching.md): byte streams (pipe, fifo, stream
 * sockets, one stream per direction) are matched exactly by byte offset;
 * message queues and datagrams in queue order (msgrcv type rules, POSIX
 * priorities); files by the last write that covered each byte; signals
 * from generation to delivery; semaphores from the V that released a
 * waiting P.  Shared memory gets attachments, not transfers.
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
	bool shown;                    /* on a path of communication, or connects two
					  such processes (viz_model_decide_shown) */
};

/* Payload bytes kept per operation (the rest of a record's payload is cut). */
#define VIZ_PAYLOAD_KEEP 64

struct viz_object {
	char id[128];                  /* "pipe:DEV:INO", "tcp:A:P-B:Q"... unique, stable */
	enum ipct_kind kind;
	uint32_t dev;
	uint64_t ino;                  /* (dev, ino) kinds; unix: the smaller inode */
	uint64_t ino2;                 /* unix pair: the other inode, else 0 */
	char name[IPCT_PATH_LEN];      /* path, mq name, "key 0x..."; "" if none */
	uint32_t *users;               /* pids that operated on it, ascending */
	size_t nusers;
	uint64_t sent_bytes;           /* total bytes written into it */
	uint64_t received_bytes;       /* total bytes read out of it */
	uint64_t unmatched_bytes;      /* bytes read that no traced write explains */
	uint64_t unmatched_msgs;       /* receives (messages, deliveries) with no traced send */
	uint32_t sock_type;            /* sockets: SOCK_STREAM, SOCK_DGRAM... (0 unknown) */
	uint64_t size;                 /* shm: segment size when seen, else 0 */
	uint32_t flags;                /* VIZ_OBJ_* */
	bool one_sided;                /* merged trace: a socket whose peer no host recorded */
	uint32_t incarnation;          /* (dev, ino) kinds: 2, 3... for a file that reused
					  the inode number of an earlier one (id "...#N"), else 0 */
};

/* What an object is to the pictures (struct viz_object.flags).  NOT_COMM
 * is decided while the model is built (a file no traced process wrote, a
 * mapping nobody could write through); SHOWN by viz_model_decide_shown(). */
#define VIZ_OBJ_NOT_COMM 1u   /* not communication, whoever used it */
#define VIZ_OBJ_SHOWN    2u   /* data or a synchronisation passed between two processes */
#define VIZ_OBJ_STREAMED 4u   /* a streamed load matched its ops as they came (stream.h) */
/* An eventfd whose creation was recorded (its mode is known), and made
 * with EFD_SEMAPHORE (each read takes 1). */
#define VIZ_OBJ_EFD_CREATED   8u
#define VIZ_OBJ_EFD_SEMAPHORE 16u
/* A unix channel with an end no traced process had: the receiving socket
 * of datagrams, or one end of a pair (a daemon outside the trace). */
#define VIZ_OBJ_UNTRACED_END  32u
#define VIZ_OBJ_WRITTEN       64u /* shm: a traced process wrote into a page (a write
				      touch) or may have (a read that mapped it writable) */

/* What an op is, beyond its direction. */
enum viz_op_type {
	VIZ_OP_IO = 0,                 /* read/write-like call (IPCT_EV_IO) */
	VIZ_OP_MSG,                    /* msgsnd/msgrcv, mq_timedsend/receive */
	VIZ_OP_SEM,                    /* semop: SEND if it only adds, else RECV */
	VIZ_OP_SIG_SEND,               /* kill-like syscall (matched through its GENERATE) */
	VIZ_OP_SIG_GENERATE,           /* a signal generated for the target (send side) */
	VIZ_OP_SIG_DELIVER,            /* the target acting on it (receive side) */
};

/* Why the kernel generated a signal on its own (from si_code, the signal
 * and whether a siginfo was passed); VIZ_CAUSE_NONE when a process sent
 * it.  viz_signal_cause_text() says it in words. */
enum viz_signal_cause {
	VIZ_CAUSE_NONE = 0,
	VIZ_CAUSE_KERNEL,              /* SI_KERNEL, no more known */
	VIZ_CAUSE_PIPE,                /* SIGPIPE: write to a closed pipe or socket */
	VIZ_CAUSE_TIMER,               /* alarm/setitimer expired */
	VIZ_CAUSE_POSIX_TIMER,         /* SI_TIMER */
	VIZ_CAUSE_FAULT,               /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	VIZ_CAUSE_LIMIT,               /* SIGXCPU, SIGXFSZ */
	VIZ_CAUSE_TERMINAL,            /* SIGHUP, SIGINT, SIGQUIT, SIGTSTP... */
	VIZ_CAUSE_IO,                  /* SIGIO/SIGPOLL, SIGURG */
	VIZ_CAUSE_MQ,                  /* SI_MESGQ: mq_notify */
	VIZ_CAUSE_AIO,                 /* SI_ASYNCIO */
	VIZ_CAUSE_CHILD_EXITED,        /* SIGCHLD, CLD_EXITED ... CLD_CONTINUED */
	VIZ_CAUSE_CHILD_KILLED,
	VIZ_CAUSE_CHILD_DUMPED,
	VIZ_CAUSE_CHILD_TRAPPED,
	VIZ_CAUSE_CHILD_STOPPED,
	VIZ_CAUSE_CHILD_CONTINUED,
	VIZ_CAUSE_SECCOMP,             /* SIGSYS, SYS_SECCOMP */
	VIZ_CAUSE_MAX
};

/* One sembuf of a semop (model->semops). */
struct viz_semop {
	uint16_t num;
	int16_t op;
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
	uint64_t offset;               /* byte-stream offset of the first byte moved;
					  files: the file position given by the trace */
	uint8_t type;                  /* enum viz_op_type */
	uint8_t stream;                /* two-way channels: which direction (0, 1) */
	uint16_t payload_len;          /* bytes at model->payload + payload (<= KEEP) */
	uint32_t payload;
	uint32_t flags;                /* IO: IPCT_IO_* and send/recv flags; MSG: msgflg;
					  signals: enum ipct_signal_action | IPCT_SIG_* << 8 */
	union {
		struct { int64_t mtype, rtype; uint32_t prio; bool posix; } msg;
		struct { uint32_t sig, target, sender; int32_t code;
			 uint8_t cause; } sig;      /* cause: enum viz_signal_cause */
		struct { uint32_t first, n; } sem;   /* model->semops[first..first+n) */
	} u;
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
	uint32_t first_send;           /* op index of the earliest delivering send */
	uint64_t signals;              /* signals: bit (sig - 1) for each signo seen */
	uint8_t kernel_sig[VIZ_CAUSE_MAX]; /* signals the kernel generated: per enum
					  viz_signal_cause, the first signal seen (0: none) */
	bool shown;                    /* carried communication (viz_transfer_communicates)
					  through a shown channel */
	/* Streamed flows (viz_flow_streamed()): the delivery latency of its
	 * transfers, summed here since the transfers are not kept. */
	uint64_t lat_sum_ns, lat_n, lat_max_ns;
	/* Streamed signals: of `messages`, the SIGCHLD exit reports (no
	 * communication, viz_op_exit_report()) with their latency, which
	 * lat_* leave out, and the signals of the other deliveries. */
	uint64_t reports, report_lat_sum_ns, report_lat_n, report_lat_max_ns;
	uint64_t comm_signals;
	bool counted;                  /* from a trace stat recording's counters
					  (model_stat.c): no sends, no sample */
	bool estimated;                /* from a trace stat recording's per-object
					  totals, shared out among several senders
					  or receivers (model_stat.c), or from page
					  touches (`touched`) */
	bool exit_report;              /* counted: SIGCHLD exit reports alone, which
					  are not communication (show.c) */
	bool touched;                  /* shm: `messages` pages that `from` wrote and
					  `to` touched later (model_touch.c): no ops */
};

/* A streaming load (VIZ_LOAD_STREAM) keeps the first delivering send of
 * a flow in model->samples; first_send then holds this bit. */
#define VIZ_FLOW_SAMPLE 0x80000000u

/* The calls of one direction on one streamed object (model->calls). */
struct viz_call_summary {
	uint64_t calls, errors, bytes, total_ns;
	uint64_t min_ns, max_ns;        /* valid when calls > 0 */
	uint64_t *exact;                /* the durations while calls <= VIZ_CALLS_EXACT */
	uint32_t *hist;                 /* past it: log-linear buckets (viz_calls_percentile) */
};
/* The depth of a streamed byte stream (hot.h, series.c), summed in time order. */
struct viz_depth {
	int64_t now;                    /* bytes sent and not yet received: below 0
					   while receives that drain a send return
					   before it does (series.c) */
	uint64_t messages, bytes;       /* sends that moved bytes, and their bytes */
	uint64_t max_depth, max_depth_ns;
	bool seen;                      /* some op changed it */
};

/* Can a receive on an object of KIND block for a sender (waits.c)? */
static inline bool viz_kind_waits(enum ipct_kind kind)
{
	return kind != IPCT_KIND_FILE && kind != IPCT_KIND_SHM && kind != IPCT_KIND_NONE;
}

/* All waits of one process on one channel ended by one peer (0: none
 * known), in one system call (hot.h, waits.c). */
struct wait_group {
	uint32_t pid, object, peer;
	uint16_t syscall;
	uint64_t count;
	uint64_t ns;
};

/* A streamed read that returned end-of-file: a wait if another user of
 * the channel exited during it (waits.c decides, once exits are known).
 * For a wait for descriptors whose receive after it read end-of-file
 * (from_wait), the times are the wait's and it is a wait either way, on
 * the channel with no peer when nobody exited. */
struct viz_eof_read {
	uint32_t pid, object;
	uint16_t syscall;
	bool from_wait;
	uint64_t begin_ns, end_ns;
};

/* A thread other than its process's main one that made streamed calls on
 * one object: its first call's entry, its last call's return. */
struct viz_stream_thread {
	uint32_t pid, tid, object;
	uint64_t from, to;
};

/* Durations kept exactly per (object, direction) before the histogram. */
#define VIZ_CALLS_EXACT 1024

/* What one process did on one streamed object in one direction, for the
 * graph's edges (model->op_sums). */
struct viz_op_sum {
	uint32_t pid, object;
	uint8_t dir;                    /* enum ipct_dir */
	uint64_t msgs;                  /* sends that moved bytes */
	uint64_t bytes;                 /* bytes sent, or read */
};

/* A `trace stat` recording's counter (model_stat.c): what one process
 * did on one object in one direction, counted in the kernel, not
 * recorded call by call (model->counted). */
struct viz_counted {
	uint32_t pid, object;
	uint8_t dir;                    /* enum ipct_dir as counted: semaphores'
					   V (send) and P (recv), signals send */
	bool slept;                     /* semaphores: Ps or futex waits that slept */
	uint64_t calls, errors, bytes, ns;
};

/* Why a generated signal never reached its target. */
enum viz_undelivered_reason {
	VIZ_UNDELIVERED_PENDING = 1,   /* queued, still pending when the recording ended */
	VIZ_UNDELIVERED_AT_EXIT,       /* queued (or blocked), still pending when the target exited */
	VIZ_UNDELIVERED_MERGED,        /* the same standard signal was already pending */
	VIZ_UNDELIVERED_OVERFLOW,      /* the real-time signal queue was full */
	VIZ_UNDELIVERED_EXITING,       /* dropped: the target was already exiting */
};

/* A signal generated for a traced process that it never took. */
struct viz_undelivered {
	struct viz_op gen;             /* a copy of the generation (VIZ_OP_SIG_GENERATE) */
	uint64_t order;                /* its place among its object's ops */
	uint8_t reason;                /* enum viz_undelivered_reason */
};

/* A process had shared memory OBJECT mapped from start_ns to end_ns. */
struct viz_attachment {
	uint32_t object;
	uint32_t pid;
	uint64_t start_ns, end_ns;     /* end: detach, exec, exit or end of trace */
	uint64_t addr, size;
	bool inherited;                /* came with fork, not from the process's own call */
	bool writable;                 /* mapped with PROT_WRITE (shmat without SHM_RDONLY) */
	bool open;                     /* (while building) not yet detached */
};

/* A process's first touch of a page of a shared mapping (IPCT_EV_TOUCH),
 * read or write: one per (object, page, pid, access). */
struct viz_touch {
	uint64_t ts_ns;
	uint64_t page;                 /* page index in the object */
	uint32_t object;
	uint32_t pid;
	bool write;                    /* a write fault */
	bool writable;                 /* a read fault that mapped the page writable:
					  later stores of `pid` to it are not seen */
};

struct viz_fork {
	uint64_t ts_ns;
	uint32_t parent, child;        /* pids */
};

/* Calls that move data the tracer does not follow: counted. */
struct viz_unfollowed {
	uint64_t calls;
	uint64_t items;                /* io_uring submissions, or messages */
};

/* A wait for descriptors: poll, ppoll, select, pselect6, epoll_wait,
 * epoll_pwait, epoll_pwait2 (m->wait_calls), and the channel whose
 * readiness ended it, where the trace tells. */
struct viz_wait_call {
	uint64_t ts_ns;                /* when it returned */
	uint64_t duration_ns;          /* time inside it */
	uint32_t pid, tid;
	int64_t ret;                   /* ready descriptors (epoll: events), 0 on timeout, -errno */
	uint16_t syscall;
	uint8_t op;                    /* enum ipct_wait_op */
	uint32_t nfds;                 /* descriptors watched (epoll: maxevents) */
	int32_t ready_fd;              /* the ready descriptor kept (one that leads to an IPC
					  object first), -1 if none is known */
	uint32_t ready_object;         /* its object, UINT32_MAX if none is known */
};

/* A socket call that blocked without moving data (model_blocked.c):
 * accept and connect.  The timeline draws it as the time the process
 * spent waiting there (waits for descriptors are m->wait_calls). */
struct viz_blocked {
	uint64_t ts_ns;                /* when the call returned */
	uint64_t duration_ns;
	uint32_t pid, tid;
	int64_t ret;                   /* the call's result */
	uint16_t syscall;
	uint8_t kind;                  /* the socket's kind */
};

/* A descriptor one process handed to another over a unix socket
 * (SCM_RIGHTS), matched send to receive in the socket's order
 * (model_fdpass.c). */
struct viz_fd_pass {
	uint64_t ts_ns;                /* when the sending call returned */
	uint64_t recv_ts_ns;           /* when the receiving call returned; 0: not received */
	uint32_t from, to;             /* pids; to 0 when no traced process received it */
	uint32_t via;                  /* the unix channel it went through, UINT32_MAX unknown */
	uint32_t object;               /* the object handed over, UINT32_MAX: no IPC object
					  (a terminal, a directory...) or unknown */
	int32_t from_fd, to_fd;        /* descriptor numbers; to_fd -1 when not received */
	uint32_t pos;                  /* its place among the message's descriptors */
	uint8_t kind;                  /* enum ipct_kind of the object (NONE: no IPC object) */
};

struct viz_model {
	struct trace_meta meta;        /* argv owned by the model */
	bool truncated;                /* file cut short: no end marker */
	bool has_stats;
	struct trace_stats stats;      /* valid when has_stats */
	uint64_t lost_total;
	uint64_t duration_ns;          /* start to end of recording */
	uint64_t command_start_ns;     /* the traced command's exec (0: not seen) */
	bool show_all;                 /* draw what is not communication too (--all) */
	size_t nfolded;                /* processes not shown (folded into +N) */
	bool windowed;                 /* a --window cut the model: */
	uint64_t window_from_ns, window_to_ns; /* its bounds, model time */
	uint64_t events;               /* events read */
	struct viz_unfollowed io_uring; /* io_uring_enter: calls, submissions */
	struct viz_unfollowed mmsg;     /* sendmmsg/recvmmsg: calls, messages */
	uint64_t queue_steps;          /* work of the message-queue matcher (entries
					  and groups looked at), for tests of its cost */

	struct viz_process *processes; size_t nprocesses; /* by first appearance */
	struct viz_object *objects;    size_t nobjects;
	struct viz_op *ops;            size_t nops;       /* sorted by ts_ns */
	struct viz_transfer *transfers; size_t ntransfers; /* sorted by send, then recv */
	struct viz_flow *flows;        size_t nflows;     /* sorted by object, from, to */
	struct viz_undelivered *undelivered; size_t nundelivered; /* by object, then time */
	struct viz_fork *forks;        size_t nforks;     /* sorted by ts_ns */
	uint32_t *pid_order;           /* process indexes sorted by pid (viz_model_process) */
	struct viz_attachment *attachments; size_t nattachments; /* by object, pid, start */
	struct viz_touch *touches;     size_t ntouches;   /* by object, page, time */
	bool shm_touches;              /* the trace recorded page touches
					  (TRACE_META_SHM_TOUCHES) */
	struct viz_semop *semops;      size_t nsemops;
	uint8_t *payload;              size_t payload_size;      /* ops' payload bytes */
	struct viz_wait_call *wait_calls; size_t nwait_calls;    /* sorted by ts_ns */
	struct viz_blocked *blocked;   size_t nblocked;   /* accept, connect: as recorded */
	struct viz_fd_pass *fd_passes; size_t nfd_passes; /* sorted by ts_ns */
	uint64_t fd_passes_unfollowed; /* descriptors past the first IPCT_FDPASS_MAX of a message */

	/* Streaming load (VIZ_LOAD_STREAM): the ops of byte streams (pipes,
	 * FIFOs, stream sockets) were matched as they were read and summed
	 * below instead of kept in ops[]; the others are in ops[] as usual. */
	bool streamed;
	uint64_t stream_late;          /* ops past the reorder window (order may differ) */
	uint64_t stream_dropped;       /* pending sends/receives past the in-flight bound */
	struct viz_call_summary *calls; size_t ncalls;   /* 2 * object + (dir == RECV) */
	struct viz_op *samples;        size_t nsamples;   /* flows' first sends */
	struct viz_op_sum *op_sums;    size_t nop_sums;   /* sorted by pid, object, dir */
	struct viz_counted *counted;   size_t ncounted;   /* trace stat: sorted by pid, object */
	/* Delivery latency (hot.h, latency.c) of the streamed flows, parallel
	 * to samples[], and of the streamed objects (ncalls / 2 of them). */
	struct viz_call_summary *flow_lat, *chan_lat;
	struct viz_depth *depth;       /* streamed objects' depth (series.c), ncalls / 2 */
	/* the streamed receives that waited (waits.c): in no order */
	struct wait_group *stream_waits; size_t nstream_waits;
	struct viz_eof_read *stream_eofs; size_t nstream_eofs;
	uint64_t stream_wait_calls;    /* waits for descriptors read; those kept whole are
					  in wait_calls (stream_polls.c) */
	struct viz_stream_thread *stream_threads; size_t nstream_threads; /* in no order */
};

/* The direction of counter C as the pictures name it: send, recv, or for
 * semaphores V, P, "P slept" (model_stat.c). */
const char *viz_counted_dir(const struct viz_model *m, const struct viz_counted *c);

/* How viz_model_load_with() reads the trace. */
#define VIZ_LOAD_STREAM 1u             /* stream the byte-stream ops (model->streamed) */
#define VIZ_LOAD_FULL   2u             /* keep every op, however many */
/* Traces of more events than this are streamed unless VIZ_LOAD_FULL. */
#define VIZ_STREAM_AUTO_EVENTS 1000000u

/* When op OP began: its return time minus its duration (0 at the latest). */
static inline uint64_t viz_op_begin(const struct viz_op *op)
{
	return op->ts_ns > op->duration_ns ? op->ts_ns - op->duration_ns : 0;
}

/* Does OP move bytes (its result a byte count): a read/write-like call or
 * a message, not a semop or a signal (whose result is a signal number)? */
static inline bool viz_op_moves_bytes(const struct viz_op *op)
{
	return op->type == VIZ_OP_IO || op->type == VIZ_OP_MSG;
}

/* Is OP a signal taken by sigwaitinfo/sigtimedwait (a call that waited),
 * rather than one delivered to a handler or a default action? */
static inline bool viz_op_sigwait(const struct viz_op *op)
{
	return op->type == VIZ_OP_SIG_DELIVER && (op->flags & 0xff) == IPCT_SIGACT_WAITED;
}

/* Is OP a send or receive of a whole message (a message queue or a
 * datagram socket), so that one of 0 bytes still counts? */
bool viz_op_is_message(const struct viz_model *m, const struct viz_op *op);

/* Load PATH into M (zeroed by the call), every op kept. -errno on failure
 * (trace_file_strerror). */
int viz_model_load(struct viz_model *m, const char *path);
/* The same with VIZ_LOAD_* FLAGS (0: stream past VIZ_STREAM_AUTO_EVENTS). */
int viz_model_load_with(struct viz_model *m, const char *path, unsigned flags);
/* Build from an already open reader (used by tests); keeps every op. */
int viz_model_build(struct viz_model *m, struct trace_reader *r);
int viz_model_build_with(struct viz_model *m, struct trace_reader *r, unsigned flags);

/* Was flow F summed while streaming (its transfers not kept)? */
static inline bool viz_flow_streamed(const struct viz_flow *f)
{
	return (f->first_send & VIZ_FLOW_SAMPLE) != 0;
}
/* Does flow F stand without transfers (streamed, counted, or shm pages)? */
static inline bool viz_flow_summed(const struct viz_flow *f)
{
	return viz_flow_streamed(f) || f->counted || f->touched;
}
/* The earliest send of flow F that delivered something, or NULL. */
const struct viz_op *viz_flow_first(const struct viz_model *m, const struct viz_flow *f);
/* Nearest-rank percentile P of the durations summed in C (calls > 0):
 * exact up to VIZ_CALLS_EXACT calls, past it the middle of the
 * log-linear bucket holding it (within 1.6%), clamped to [min, max]. */
uint64_t viz_calls_percentile(const struct viz_call_summary *c, unsigned p);
/* C's values as a latency distribution (hot.h), percentiles as above. */
struct latency_dist;
void viz_summary_latency(const struct viz_call_summary *c, struct latency_dist *d);
void viz_model_release(struct viz_model *m);
/* Order of model->flows: by object, from, to; of model->op_sums: by pid,
 * object, direction (for qsort). */
int viz_flow_compare(const void *a, const void *b);
int viz_op_sum_compare(const void *a, const void *b);
/* The flow transfer T belongs to (its object, sender, receiver), or NULL. */
struct viz_flow *viz_flow_of(const struct viz_model *m, const struct viz_transfer *t);
/* Append the N FLOWS to model->flows, kept in viz_flow_compare order. */
int viz_model_add_flows(struct viz_model *m, const struct viz_flow *flows, size_t n);

/* Decide what the pictures and the text report show by default
 * (docs/pictures.md): sets VIZ_OBJ_SHOWN / VIZ_OBJ_NOT_COMM on objects and
 * `shown` on processes, and m->nfolded.  viz_model_build() and
 * viz_model_filter() call it.  0 or -ENOMEM. */
int viz_model_decide_shown(struct viz_model *m);
/* Does transfer T carry communication?  Not a SIGCHLD the kernel sent to
 * report a child's exit (that is the exit mark and the fork edge). */
/* Is send S a SIGCHLD that only reports a child's exit (CLD_EXITED,
 * CLD_KILLED, CLD_DUMPED), which the exit mark already shows? */
bool viz_op_exit_report(const struct viz_op *s);
/* Add signal generation SEND (if it is one) to flow F's signals. */
void viz_flow_add_signal(struct viz_flow *f, const struct viz_op *send);
bool viz_transfer_communicates(const struct viz_model *m, const struct viz_transfer *t);
/* Merged traces (meta.nhosts > 0): the host of PID, or NULL for a
 * single-host trace. */
const struct trace_host *viz_model_host(const struct viz_model *m, uint32_t pid);
/* PID as a person reads it: "web1:1234" in a merged trace, else "1234". */
const char *viz_pid_label(const struct viz_model *m, uint32_t pid, char *buf, size_t size);

/* Lookups; NULL when absent. */
const struct viz_process *viz_model_process(const struct viz_model *m, uint32_t pid);
const char *viz_kind_name(enum ipct_kind kind);   /* "pipe", "fifo", ... */
/* "SIGUSR1", "SIGRTMIN+2", or "signal 99" into BUF. */
const char *viz_signal_name(uint32_t sig, char *buf, size_t size);
/* A, B and C joined into BUF of SIZE > 0 bytes, cut to fit: BUF (names
 * built per call without the cost of a format). */
char *viz_concat3(char *buf, size_t size, const char *a, const char *b, const char *c);
/* The cause of a kernel-generated signal SIG ("SIGPIPE: write to a closed
 * pipe or socket") into BUF; "" for VIZ_CAUSE_NONE. */
const char *viz_signal_cause_text(unsigned cause, uint32_t sig, char *buf, size_t size);
/* The cause of a signal generated with si_code CODE and IPCT_SIG_* FLAGS;
 * SELF: the generating task was the target. */
enum viz_signal_cause viz_signal_cause_of(uint32_t sig, int32_t code, uint32_t flags, bool self);
/* What the kernel sent in flow F, ", "-joined "SIGPIPE: write to a closed
 * pipe or socket" into BUF; "" when F holds no kernel-generated signal. */
const char *viz_flow_from_kernel(const struct viz_flow *f, char *buf, size_t size);
/* "pending at exit", "merged with a pending one"... */
const char *viz_undelivered_text(unsigned reason);
/* How a process ended, worded the same in every output: "exit 0",
 * "exit 3", "killed by SIGPIPE", "unknown" for a wait(2) STATUS < 0. */
const char *viz_exit_describe(int32_t status, char *buf, size_t size);

#endif /* IPCTRACE_VIZ_MODEL_H */
