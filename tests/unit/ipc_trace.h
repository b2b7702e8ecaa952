/*
 * ipc_trace - helpers for the unit tests of viz/ on every IPC kind: write
 * synthetic events with the real trace writer (lib/trace_file.h) into a
 * temporary file, load it with viz_model_load(), and find objects and
 * flows in the result.  Header-only (static functions), included by one
 * test program each; times are nanoseconds after IT_T0.
 */
#ifndef IPCTRACE_TESTS_IPC_TRACE_H
#define IPCTRACE_TESTS_IPC_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lib/trace_file.h"
#include "viz/model.h"
#include "viz/viz.h"
#include "viz/match.h"
#include "test_util.h"

#define IT_T0 1000000ull

static char it_path[512];

static inline void it_header(struct ipct_event_header *h, uint16_t type, size_t size,
			     uint64_t ts, uint32_t pid)
{
	unit_event_header(h, type, size, IT_T0 + ts, pid);
}

static inline struct trace_writer *it_open(uint32_t root)
{
	static char *argv[] = { "ipc-test", NULL };

	return unit_trace_open(it_path, sizeof(it_path), "test_ipc", argv, root, IT_T0);
}

/* Close W (no process table) and load the trace into M. */
static inline void it_load(struct trace_writer *w, struct viz_model *m)
{
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(viz_model_load(m, it_path), 0);
	unlink(it_path);
}

/* The trace of a run of ROOT whose events WRITE appends, loaded into M. */
static inline void it_write_load(struct viz_model *m, uint32_t root,
				 void (*write)(struct trace_writer *w))
{
	struct trace_writer *w = it_open(root);

	write(w);
	it_load(w, m);
}

static inline void it_fork(struct trace_writer *w, uint64_t ts, uint32_t parent, uint32_t child)
{
	struct ipct_fork_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_FORK, sizeof(ev), ts, parent);
	ev.child_pid = ev.child_tid = child;
	strcpy(ev.comm, "kid");
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* it_open(ROOT), whose first events are ROOT forking NCHILD children
 * ROOT + 1... at 10, 11... ns. */
static inline struct trace_writer *it_open_forks(uint32_t root, uint32_t nchild)
{
	struct trace_writer *w = it_open(root);

	for (uint32_t i = 0; i < nchild; i++)
		it_fork(w, 10 + i, root, root + 1 + i);
	return w;
}

static inline void it_exit(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	struct ipct_exit_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_EXIT, sizeof(ev), ts, pid);
	ev.flags = IPCT_EXIT_GROUP_DEAD;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* Everything an I/O event may say; unset fields are 0. */
struct it_io {
	uint64_t ts, dur;
	uint32_t pid;
	enum ipct_kind kind;
	enum ipct_dir dir;
	int64_t ret;
	uint32_t dev;
	uint64_t ino, peer, offset;
	uint32_t sock_type, flags;
	struct ipct_inet_addr local, remote;
	const char *payload;            /* ret bytes of it are the payload (max 32) */
	uint64_t requested;             /* 0: ret when positive, else 1 */
	int32_t fd;
	uint16_t syscall;
};

static inline void it_io(struct trace_writer *w, const struct it_io *io)
{
	uint64_t buf[64] = { 0 };
	struct ipct_io_event *ev = (void *)buf;
	size_t plen = io->payload && io->ret > 0 ? (size_t)io->ret : 0;

	if (plen > 32)
		plen = 32;
	it_header(&ev->hdr, IPCT_EV_IO, (sizeof(*ev) + plen + 7) & ~7ul, io->ts, io->pid);
	ev->duration_ns = io->dur;
	ev->ret = io->ret;
	ev->ino = io->ino;
	ev->dev = io->dev;
	ev->requested = io->requested ? io->requested : io->ret > 0 ? (uint64_t)io->ret : 1;
	ev->fd = io->fd;
	ev->syscall = io->syscall;
	ev->kind = io->kind;
	ev->dir = io->dir;
	ev->flags = io->flags;
	ev->offset = io->offset;
	ev->peer_ino = io->peer;
	ev->local = io->local;
	ev->remote = io->remote;
	ev->sock_type = io->sock_type;
	ev->payload_len = plen;
	memcpy(ev->payload, io->payload ? io->payload : "", plen);
	assert_int_equal(trace_writer_append(w, &ev->hdr), 0);
}

static inline struct ipct_inet_addr it_inet4(const char *addr, uint16_t port)
{
	struct ipct_inet_addr a = { .port = port, .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, addr, a.addr), 1);
	return a;
}

static inline void it_open_event(struct trace_writer *w, uint64_t ts, uint32_t pid,
			  enum ipct_kind kind, uint32_t dev, uint64_t ino, const char *path)
{
	struct ipct_open_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_OPEN, sizeof(ev), ts, pid);
	ev.ret = 3;
	ev.dev = dev;
	ev.ino = ino;
	ev.kind = kind;
	strncpy(ev.path, path, sizeof(ev.path) - 1);
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* A message-queue event; the payload is the first min(size, 32) bytes of
 * PAYLOAD when given. */
struct it_msg {
	uint64_t ts, dur;
	uint32_t pid;
	enum ipct_msg_op op;
	int64_t id, key, mtype, rtype, ret;
	uint64_t size, ino;
	uint32_t dev, flags, prio, queue_flags;
	uint16_t syscall;
	const char *name, *payload;
};

static inline void it_msg(struct trace_writer *w, const struct it_msg *m)
{
	uint64_t buf[64] = { 0 };
	struct ipct_msg_event *ev = (void *)buf;
	size_t plen = m->payload ? strlen(m->payload) : 0;

	if (plen > 32)
		plen = 32;
	it_header(&ev->hdr, IPCT_EV_MSG, (sizeof(*ev) + plen + 7) & ~7ul, m->ts, m->pid);
	ev->duration_ns = m->dur;
	ev->ret = m->ret;
	ev->id = m->id;
	ev->key = m->key;
	ev->mtype = m->mtype;
	ev->rtype = m->rtype;
	ev->size = m->size;
	ev->ino = m->ino;
	ev->dev = m->dev;
	ev->flags = m->flags;
	ev->prio = m->prio;
	ev->queue_flags = m->queue_flags;
	ev->syscall = m->syscall;
	ev->op = m->op;
	ev->kind = IPCT_KIND_MSGQ;
	if (m->name)
		strncpy(ev->name, m->name, sizeof(ev->name) - 1);
	ev->payload_len = plen;
	memcpy(ev->payload, m->payload ? m->payload : "", plen);
	assert_int_equal(trace_writer_append(w, &ev->hdr), 0);
}

/* semop of one sembuf (NUM, OP) or semget (op IPCT_SEM_GET, ret = id). */
static inline void it_sem(struct trace_writer *w, uint64_t ts, uint64_t dur, uint32_t pid,
		   enum ipct_sem_op op, int64_t id, int64_t key, uint16_t num, int16_t semop)
{
	struct ipct_sem_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_SEM, sizeof(ev), ts, pid);
	ev.duration_ns = dur;
	ev.op = op;
	ev.kind = IPCT_KIND_SEM;
	ev.key = key;
	if (op == IPCT_SEM_GET) {
		ev.ret = id;
		ev.id = -1;
	} else {
		ev.id = id;
		ev.nsops = 1;
		ev.ops[0].num = num;
		ev.ops[0].op = semop;
	}
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static inline void it_shm(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_shm_op op,
		   int64_t id, int64_t key, uint64_t size, uint64_t addr, uint32_t dev,
		   uint64_t ino)
{
	struct ipct_shm_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_SHM, sizeof(ev), ts, pid);
	ev.op = op;
	ev.kind = IPCT_KIND_SHM;
	ev.id = op == IPCT_SHM_GET ? -1 : id;
	ev.ret = op == IPCT_SHM_GET ? id : 0;
	ev.key = key;
	ev.size = size;
	ev.addr = addr;
	ev.dev = dev;
	ev.ino = ino;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* A signal event whose handler's action (enum ipct_signal_action) is ACTION. */
static inline void it_signal_action(struct trace_writer *w, uint64_t ts, uint32_t pid,
				    enum ipct_signal_op op, uint32_t sig, uint32_t target,
				    int64_t ret, int32_t code, uint32_t sender, uint8_t action)
{
	struct ipct_signal_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_SIGNAL, sizeof(ev), ts, pid);
	ev.op = op;
	ev.sig = sig;
	ev.target_pid = ev.target_tid = target;
	ev.ret = ret;
	ev.code = code;
	ev.sender_pid = sender;
	ev.action = action;
	if (op == IPCT_SIG_SEND)
		ev.duration_ns = 100;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static inline void it_signal(struct trace_writer *w, uint64_t ts, uint32_t pid,
		      enum ipct_signal_op op, uint32_t sig, uint32_t target,
		      int64_t ret, int32_t code, uint32_t sender)
{
	it_signal_action(w, ts, pid, op, sig, target, ret, code, sender, IPCT_SIGACT_DEFAULT);
}

static inline void it_sock(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_sock_op op,
		    uint64_t ino, uint64_t peer, uint32_t type, const char *path)
{
	struct ipct_sock_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_SOCK, sizeof(ev), ts, pid);
	ev.op = op;
	ev.kind = IPCT_KIND_UNIX;
	ev.family = AF_UNIX;
	ev.sock_type = type;
	ev.ino = ino;
	ev.peer_ino = peer;
	if (path) {
		strncpy(ev.path, path, sizeof(ev.path) - 1);
		ev.path_len = strlen(path);
	}
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* ---- lookups in a loaded model ---- */

static inline const struct viz_object *it_object(const struct viz_model *m, const char *id,
					  uint32_t *index)
{
	for (size_t i = 0; i < m->nobjects; i++)
		if (strcmp(m->objects[i].id, id) == 0) {
			if (index)
				*index = i;
			return &m->objects[i];
		}
	return NULL;
}

/* Assert that object ID exists, named NAME unless NAME is NULL; it. */
static inline const struct viz_object *it_expect_object(const struct viz_model *m,
							const char *id, const char *name)
{
	const struct viz_object *o = it_object(m, id, NULL);

	if (!o)
		fail_msg("no object %s", id);
	if (name)
		assert_string_equal(o->name, name);
	return o;
}

/* Assert that flow (ID, FROM, TO) exists with MESSAGES and BYTES. */
static inline const struct viz_flow *it_expect_flow(const struct viz_model *m, const char *id,
					     uint32_t from, uint32_t to,
					     uint64_t messages, uint64_t bytes)
{
	uint32_t o = 0;

	if (!it_object(m, id, &o))
		fail_msg("no object %s", id);
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		if (f->object == o && f->from == from && f->to == to) {
			assert_int_equal(f->messages, messages);
			assert_int_equal(f->bytes, bytes);
			return f;
		}
	}
	fail_msg("no flow %s %u -> %u", id, from, to);
	return NULL;
}

/* Number of flows through object ID. */
static inline size_t it_nflows(const struct viz_model *m, const char *id)
{
	uint32_t o = 0;
	size_t n = 0;

	if (!it_object(m, id, &o))
		return 0;
	for (size_t i = 0; i < m->nflows; i++)
		n += m->flows[i].object == o;
	return n;
}

#endif /* IPCTRACE_TESTS_IPC_TRACE_H */
