/*
 * model_build - what viz/model.c and viz/model_process.c share while a
 * model is being built (internal to viz/, not an API): the builder state
 * and a few small helpers.  model.c reads the events and owns objects and
 * operations; model_process.c owns the process table and lane order.
 */
#ifndef IPCTRACE_VIZ_MODEL_BUILD_H
#define IPCTRACE_VIZ_MODEL_BUILD_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "slots.h"

/* What the events told us about a process, so the table fills the rest. */
#define SEEN_FORK 1u
#define SEEN_EXEC 2u
#define SEEN_EXIT 4u
#define SEEN_COMM 8u
#define SEEN_EVENT 16u  /* appeared in an event, not only in the table */

/* What the builder keeps per process, parallel to model->processes. */
struct process_info {
	uint8_t seen;                   /* SEEN_* */
	uint64_t first_ts;              /* time of the first event naming it */
};

/* A name learnt from an event for an object found by (dev, ino) or by a
 * socket inode (dev ignored), applied when all events are read. */
struct name_hint {
	uint32_t dev;
	uint64_t ino;
	char *name;                     /* malloc'd */
	uint32_t incarnation;           /* of (dev, ino): model_inode.c; 0 for sockets */
	size_t seq;                     /* order of arrival: the first hint wins */
};

/* One (object, pid) use, collected while reading to build the users lists. */
struct object_user {
	uint32_t object;
	uint32_t pid;
};

/* Per (dev, ino): the incarnation current now (model_inode.c). */
struct inode_life {
	uint32_t dev;
	uint64_t ino;
	uint32_t generation;             /* i_generation last seen, 0 unknown */
	uint32_t incarnation;            /* 1 for the first file with this number */
};

/* A recent (scope, form, kind, dev, ino, off, incarnation) -> object
 * lookup (model_object_memo()).  FORM says how the other fields make the
 * object's id, so that a key names one id. */
enum memo_form { MEMO_INODE = 1, MEMO_FUTEX, MEMO_SYSV, MEMO_UNIX, MEMO_UNIX_PAIR, MEMO_UDP,
		 MEMO_UDP_INO, MEMO_SIGNAL };
struct object_memo {
	const char *scope;
	uint64_t ino, off;
	uint32_t dev, incarnation;
	uint8_t kind, form;
	uint32_t object;                /* index + 1, 0 = empty */
};
#define MODEL_MEMO 64

struct builder {
	struct viz_model *m;
	size_t cap_processes, cap_objects, cap_ops, cap_forks, cap_users;
	struct process_info *info;      /* per process */
	uint64_t now;                   /* relative time of the current event */
	bool in_table;                  /* merging the process table */
	uint32_t *pid_slots;            /* hash: process index + 1, 0 = empty */
	size_t npid_slots;
	uint32_t *object_slots;         /* hash: object index + 1, 0 = empty */
	size_t nobject_slots;
	uint32_t *object_last_pid;      /* last user pushed, to skip repeats */
	struct object_user *users;
	size_t nusers;
	uint64_t last_ts;               /* latest event time, relative */
	size_t cap_attachments, cap_semops, cap_payload, cap_blocked, cap_touches;
	struct name_hint *paths;        /* OPEN: (dev, ino) -> path */
	size_t npaths, cap_paths;
	struct name_hint *sock_paths;   /* SOCK bind/connect: socket ino -> path */
	size_t nsock_paths, cap_sock_paths;
	uint64_t *peer_slots;           /* unix peers: pairs (ino, peer ino), hashed */
	size_t npeer_slots, npeers;
	uint64_t udp_any_key;           /* last wildcard UDP receiver resolved: */
	long udp_any_object;            /* (family << 16 | port) -> object */
	struct ipct_inet_addr *tcp_tuples; /* (local, remote) pairs, by socket inode */
	size_t ntcp_tuples, cap_tcp_tuples;
	const char *scope;              /* merged trace: the current event's host
					   label, prefixed to object ids; else NULL */
	struct inode_life *inodes;      /* model_inode.c */
	size_t ninodes, cap_inodes;
	uint32_t *inode_slots;          /* hash: index + 1, 0 = empty */
	size_t ninode_slots;
	uint32_t *user_slots;           /* hash: users index + 1, 0 = empty */
	size_t nuser_slots;
	struct stream_state *stream;    /* streaming load (stream.c), else NULL */
	struct stat_state *stat;        /* trace stat counters (model_stat.c), else NULL */
	struct object_memo memo[MODEL_MEMO]; /* model_objects.c */
	struct wait_build *waits;       /* model_wait.c, NULL until a wait or epoll_ctl */
	struct fdpass_build *fdpass;    /* model_fdpass.c, NULL until an SCM_RIGHTS record */
	uint32_t last_unix_tid;         /* the latest unix io record: its task, */
	uint64_t last_unix_ts;          /* time */
	uint32_t last_unix_object;      /* and object */
};

/* Append N flows to M's, unsorted: the build sorts them once, after the
 * last source (match, stream, touches, stat) added its own.  0 or -ENOMEM. */
int model_append_flows(struct viz_model *m, const struct viz_flow *flows, size_t n);

/* Make room for NEED elements of SIZE bytes in *P (capacity *CAP). */
static inline int model_grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static inline uint64_t model_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Monotonic TS as nanoseconds since the trace started, clamped at 0. */
static inline uint64_t model_relative(const struct viz_model *m, uint64_t ts)
{
	return ts > m->meta.start_monotonic_ns ? ts - m->meta.start_monotonic_ns : 0;
}

/* The designated initializers that call record EV (with hdr and
 * duration_ns) of model M gives an op or a wait call: when the call
 * returned (model_relative), how long it took, which process and thread. */
#define MODEL_CALL_FIELDS(m, ev)					\
	.ts_ns = model_relative((m), (ev)->hdr.ts_ns),			\
	.duration_ns = (ev)->duration_ns,				\
	.pid = (ev)->hdr.pid,						\
	.tid = (ev)->hdr.tid

/* Copy a fixed-size, maybe unterminated string into DST (always terminated). */
static inline void model_copy_string(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = 0;

	while (n < srclen && n + 1 < dstlen && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- model.c: objects and operations ---- */

/* Index of the object with id ID (of KIND, DEV, INO), created if new. */
long model_object_get(struct builder *b, enum ipct_kind kind, const char *id,
		      uint32_t dev, uint64_t ino);
/* Index of the object with id ID, or -1 (creates nothing). */
long model_object_find(const struct builder *b, const char *id);
/* Index of the object KEY names (its scope set here): remembered from a
 * recent call, else got with model_object_get(KEY's kind, the id FMT
 * formats, KEY's dev and ino), the id a function of KEY. */
long model_object_memo(struct builder *b, struct object_memo *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The memo's slot for KEY (its scope set here) and the object it names
 * there, or -1: model_memo_keep() remembers another. */
long model_memo_find(struct builder *b, struct object_memo *key, struct object_memo **slot);
static inline void model_memo_keep(struct object_memo *slot, const struct object_memo *key,
				   long object)
{
	*slot = *key;
	slot->object = (uint32_t)object + 1;
}
/* Index of the (KIND, DEV, INO) object, id "KIND:DEV:INO", created if new. */
long model_object_get_dev(struct builder *b, enum ipct_kind kind, uint32_t dev,
			  uint64_t ino);
/* Remember that PID used OBJECT. */
int model_object_user_add(struct builder *b, uint32_t object, uint32_t pid);
/* OP to the stream when its object streams (stream_takes()), else kept
 * as model_op_add() keeps it.  0 or -errno. */
int model_op_take(struct builder *b, const struct viz_op *op, const uint8_t *payload,
		  size_t len);
/* Append OP (its payload taken from PAYLOAD, LEN bytes, cut to
 * VIZ_PAYLOAD_KEEP); the op index or -errno. */
long model_op_add(struct builder *b, const struct viz_op *op,
		  const uint8_t *payload, size_t len);
/* Remember NAME (LEN bytes max) for key (DEV, INO, INCARNATION) in *HINTS. */
int model_name_hint(struct name_hint **hints, size_t *n, size_t *cap,
		    uint32_t dev, uint64_t ino, uint32_t incarnation, const char *name, size_t len);

/* ---- model_inode.c: identity over inode reuse ---- */

/* The incarnation of (DEV, INO) current now (1 when never seen). */
uint32_t model_inode_incarnation(const struct builder *b, uint32_t dev, uint64_t ino);
/* An open (CREATED: it made the file) or mmap saw (DEV, INO) with
 * GENERATION (0 unknown): start its next incarnation if it is a new file.
 * The incarnation current after it in *INCARNATION; 0 or -ENOMEM. */
int model_inode_seen(struct builder *b, uint32_t dev, uint64_t ino, uint32_t generation,
		     bool created, uint32_t *incarnation);
/* Index of the (KIND, DEV, INO) object of the current incarnation, created
 * if new: "KIND:DEV:INO", or "KIND:DEV:INO#N" from the second on. */
long model_object_get_inode(struct builder *b, enum ipct_kind kind, uint32_t dev, uint64_t ino);
/* The eventfd with id ID ("eventfd:ID"; ids as the tracer draws them). */
long model_eventfd_object(struct builder *b, uint64_t id);
/* eventfd()/eventfd2(): the eventfd is named by its creator, its mode
 * known; a non-zero initial value is the creator's first write. */
int model_on_eventfd(struct builder *b, const struct ipct_eventfd_event *ev);

/* ---- model_ipc.c: message queues, semaphores, signals, opens ---- */

int model_on_open(struct builder *b, const struct ipct_open_event *ev);
int model_on_msg(struct builder *b, const struct ipct_msg_event *ev);
int model_on_sem(struct builder *b, const struct ipct_sem_event *ev);
int model_on_signal(struct builder *b, const struct ipct_signal_event *ev);
/* Give objects the names learnt from OPEN, MQ_OPEN and SOCK events. */
void model_apply_names(struct builder *b);

/* ---- model_wait.c: poll, select and epoll waits ---- */

int model_on_wait(struct builder *b, const struct ipct_wait_event *ev);
int model_on_epoll_ctl(struct builder *b, const struct ipct_epoll_ctl_event *ev);
/* An io record EV was placed in OBJECT (kept once a wait was seen). */
int model_wait_note_io(struct builder *b, const struct ipct_io_event *ev, uint32_t object);
/* The descriptor whose readiness ended a wait, as the records name it:
 * kind IPCT_KIND_NONE when none leads to an IPC object. */
struct wait_key {
	uint64_t ino;
	uint32_t dev;
	uint8_t kind;
};
/* The object io records placed KEY in (a receive's, else a send's), as
 * far as they were read, or UINT32_MAX. */
uint32_t model_wait_object(const struct builder *b, const struct wait_key *key);
/* Keep wait C, whose descriptor is KEY, in m->wait_calls.  0 or -ENOMEM. */
int model_wait_keep(struct builder *b, const struct viz_wait_call *c, const struct wait_key *key);
/* Resolve the waits' objects, hand m->wait_calls over, free the rest. */
void model_wait_finish(struct builder *b);
/* Free what model_wait.c holds (after an error). */
void model_wait_release(struct builder *b);

/* ---- model_fdpass.c: descriptors passed over unix sockets ---- */

int model_on_fdpass(struct builder *b, const struct ipct_fdpass_event *ev);
/* Pair the sends with the receives into m->fd_passes. */
int model_fdpass_finish(struct builder *b);
void model_fdpass_release(struct builder *b);

/* ---- model_fds.c: descriptors open when tracing began ---- */

int model_on_fd(struct builder *b, const struct ipct_fd_event *ev);

/* ---- model_stat.c: a trace stat recording's counters ---- */

/* Keep the counter EV for the end of the load. */
int model_on_stat(struct builder *b, const struct ipct_stat_event *ev);
int model_on_stat_endpoint(struct builder *b, const struct ipct_stat_endpoint_event *ev);
/* After the events: each counter's object, with its process as a user
 * and its bytes in the object's totals. */
int model_stat_objects(struct builder *b);
/* After matching: the flows the counters give (exact or estimated). */
int model_stat_flows(struct builder *b);
void model_stat_free(struct stat_state *s);

/* ---- model_sock.c: socket channels ---- */

/* The object of a socket I/O event and the direction (*STREAM) its bytes
 * take inside it; -errno. */
long model_socket_object(struct builder *b, const struct ipct_io_event *ev,
			 uint8_t *stream);
int model_on_sock(struct builder *b, const struct ipct_sock_event *ev);
/* The channel of the TCP socket with inode INO, from the 4-tuple its
 * calls showed; UINT32_MAX when none did. */
long model_tcp_object_of(struct builder *b, uint64_t ino);
/* ID is a unix socket of a traced process (its own end in a record). */
int model_unix_own(struct builder *b, uint64_t id);
/* The name a receiving socket was bound to (IPCT_EV_UNIX_NAME). */
int model_on_unix_name(struct builder *b, const struct ipct_unix_name_event *ev);
/* Flag the unix channels with an end no traced process had
 * (VIZ_OBJ_UNTRACED_END). */
void model_unix_mark_untraced(struct builder *b);
/* model_blocked.c: accept and connect, as calls that blocked (struct
 * viz_blocked). */
int model_on_blocked_sock(struct builder *b, const struct ipct_sock_event *ev);
/* "127.0.0.1:80" or "[::1]:80" into BUF. */
void model_format_endpoint(char *buf, size_t size, const struct ipct_inet_addr *a);

/* ---- model_shm.c: shared memory attachments ---- */

int model_on_shm(struct builder *b, const struct ipct_shm_event *ev);
/* The child of a fork inherits PARENT's open attachments at time TS. */
int model_shm_fork(struct builder *b, uint32_t parent, uint32_t child, uint64_t ts);
/* PID's open attachment covering user address ADDR, or NULL. */
const struct viz_attachment *model_shm_find(const struct builder *b, uint32_t pid, uint64_t addr);
/* PID's open attachments end at TS (exec or exit). */
void model_shm_end(struct builder *b, uint32_t pid, uint64_t ts);
/* Close what is still open at the end and sort the attachments. */
void model_shm_finish(struct builder *b);

/* ---- model_touch.c: first touches of shared pages ---- */

int model_on_touch(struct builder *b, const struct ipct_touch_event *ev);
/* Sort the touches (object, page, time) and drop repeats. */
void model_touch_finish(struct builder *b);
/* Add the flows the sorted touches suggest (estimated, in pages). */
int model_touch_flows(struct viz_model *m);

/* ---- model_process.c ---- */

/* Index of PID's process, created (in order of appearance) if new; -errno. */
long model_process_get(struct builder *b, uint32_t pid);
/* Index of PID's process if it is known already, else -1 (creates nothing). */
long model_process_find(const struct builder *b, uint32_t pid);
int model_on_fork(struct builder *b, const struct ipct_fork_event *ev);
int model_on_exec(struct builder *b, const struct ipct_exec_event *ev);
int model_on_exit(struct builder *b, const struct ipct_exit_event *ev);
/* Fill what the events did not say from the trace's process table. */
int model_merge_process_table(struct builder *b, const struct trace_process *t,
			      size_t n);
/* Put the processes in lane order and number the lanes. */
int model_order_lanes(struct builder *b);
/* Build m->pid_order for viz_model_process(). */
int model_build_pid_order(struct viz_model *m);

#endif /* IPCTRACE_VIZ_MODEL_BUILD_H */
