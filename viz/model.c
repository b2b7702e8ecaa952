/*
 * model - build the viz model (model.h) from a trace file in one pass.
 *
 * viz_model_build() streams the events once: lifecycle events (fork, exec,
 * exit) fill the process table, pipe() and I/O events create objects and
 * operations, the other IPC events go to model_ipc.c (message queues,
 * semaphores, signals, opens), model_sock.c (socket channels) and model_shm.c
 * (shared-memory attachments).  Then, with all events in hand, it merges the
 * trace's own process table (events win where both know a field), sorts
 * operations and forks by time (stable: file order breaks ties), and hands
 * the model to match_model() (match.c), which derives object byte counts, op
 * offsets, transfers and flows.  docs/matching.md describes the rule.
 *
 * Processes and objects are found by pid / object id ("pipe:DEV:INO",
 * "unix:I1-I2", ...) through small open-addressing hash tables that live
 * only while building (model_objects.c, model_process.c).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include "model_build.h"
#include "match.h"
#include "stream.h"
#include "search.h"

#define SYS_IO_URING_ENTER 426

const char *viz_kind_name(enum ipct_kind kind)
{
	static const char *const names[IPCT_KIND_MAX] = {
		[IPCT_KIND_NONE] = "none",  [IPCT_KIND_PIPE] = "pipe",
		[IPCT_KIND_FIFO] = "fifo",  [IPCT_KIND_FILE] = "file",
		[IPCT_KIND_MSGQ] = "msgq",  [IPCT_KIND_SHM] = "shm",
		[IPCT_KIND_SEM] = "sem",    [IPCT_KIND_SIGNAL] = "signal",
		[IPCT_KIND_UNIX] = "unix",  [IPCT_KIND_TCP] = "tcp",
		[IPCT_KIND_UDP] = "udp",    [IPCT_KIND_EVENTFD] = "eventfd",
	};

	if ((unsigned)kind >= IPCT_KIND_MAX)
		return "unknown";
	return names[kind];
}

static int on_pipe_event(struct builder *b, const struct ipct_pipe_event *ev)
{
	long p = model_process_get(b, ev->hdr.pid);

	if (p < 0)
		return p;
	if (ev->ret < 0)
		return 0;       /* pipe() failed: no object */
	long o = model_object_get_dev(b, IPCT_KIND_PIPE, ev->dev, ev->ino);
	if (o < 0)
		return o;
	return model_object_user_add(b, o, ev->hdr.pid);
}

static int on_io_event(struct builder *b, const struct ipct_io_event *ev)
{
	const uint8_t *payload = ev->payload_len ? ev->payload : NULL;
	size_t plen = ev->payload_len;	/* fits: trace_event_check() */
	uint8_t stream = 0;
	long o;

	long p = model_process_get(b, ev->hdr.pid);
	if (p < 0)
		return p;
	if (ev->kind == IPCT_KIND_NONE || ev->kind >= IPCT_KIND_MAX ||
	    (ev->dir != IPCT_DIR_SEND && ev->dir != IPCT_DIR_RECV))
		return 0;       /* not something we can place: skip */

	if (ev->kind == IPCT_KIND_UNIX || ev->kind == IPCT_KIND_TCP ||
	    ev->kind == IPCT_KIND_UDP)
		o = model_socket_object(b, ev, &stream);
	else if (ev->kind == IPCT_KIND_EVENTFD)
		o = model_eventfd_object(b, ev->ino);
	else
		o = model_object_get_inode(b, ev->kind, ev->dev, ev->ino);
	if (o < 0)
		return o;
	if (ev->flags & IPCT_IO_HOSTS_ONE_SIDED)
		b->m->objects[o].one_sided = true;
	if (ev->kind == IPCT_KIND_UNIX) {
		int own = model_unix_own(b, ev->ino);
		if (own)
			return own;
		b->last_unix_tid = ev->hdr.tid;
		b->last_unix_ts = ev->hdr.ts_ns;
		b->last_unix_object = o;
	}
	int err = model_object_user_add(b, o, ev->hdr.pid);
	if (!err)
		err = model_wait_note_io(b, ev, o);
	if (err)
		return err;
	struct viz_op op = {
		MODEL_CALL_FIELDS(b->m, ev),
		.object = o,
		.dir = ev->dir,
		.ret = ev->ret,
		.requested = ev->requested,
		.syscall = ev->syscall,
		.offset = ev->kind == IPCT_KIND_FILE ? ev->offset : 0,
		.type = VIZ_OP_IO,
		.stream = stream,
		.flags = ev->flags,
	};
	return model_op_take(b, &op, payload, plen);
}

/* Dispatch one event.  A record shorter than its type is refused (the
 * reader already refuses them; this guards other sources of records). */
static int on_event(struct builder *b, const struct ipct_event_header *ev)
{
	uint64_t ts = model_relative(b->m, ev->ts_ns);
	uint32_t who = ev->pid;

	if (trace_event_check(ev))
		return -EBADMSG;
	if (!who && ev->type == IPCT_EV_SIGNAL)
		who = ((const struct ipct_signal_event *)ev)->target_pid;
	b->scope = b->m->meta.nhosts ? viz_model_host(b->m, who)->name : NULL;
	b->now = ts;
	if (ts > b->last_ts)
		b->last_ts = ts;
	/* A signal may be generated from interrupt context (pid 0). */
	if (ev->type == IPCT_EV_SIGNAL)
		return model_on_signal(b, (const void *)ev);
	if (ev->pid == 0)
		return 0;
	switch (ev->type) {
	case IPCT_EV_FORK:
		return model_on_fork(b, (const void *)ev);
	case IPCT_EV_EXEC:
		return model_on_exec(b, (const void *)ev);
	case IPCT_EV_EXIT:
		return model_on_exit(b, (const void *)ev);
	case IPCT_EV_PIPE:
		return on_pipe_event(b, (const void *)ev);
	case IPCT_EV_IO:
		return on_io_event(b, (const void *)ev);
	case IPCT_EV_OPEN:
		return model_on_open(b, (const void *)ev);
	case IPCT_EV_MSG:
		return model_on_msg(b, (const void *)ev);
	case IPCT_EV_SEM:
		return model_on_sem(b, (const void *)ev);
	case IPCT_EV_SHM:
		return model_on_shm(b, (const void *)ev);
	case IPCT_EV_TOUCH:
		return model_on_touch(b, (const void *)ev);
	case IPCT_EV_SOCK: {
		int err = model_on_sock(b, (const void *)ev);
		return err ? err : model_on_blocked_sock(b, (const void *)ev);
	}
	case IPCT_EV_FD:
		return model_on_fd(b, (const void *)ev);
	case IPCT_EV_FDPASS:
		return model_on_fdpass(b, (const void *)ev);
	case IPCT_EV_EVENTFD:
		return model_on_eventfd(b, (const void *)ev);
	case IPCT_EV_UNIX_NAME:
		return model_on_unix_name(b, (const void *)ev);
	case IPCT_EV_STAT:
		return model_on_stat(b, (const void *)ev);
	case IPCT_EV_STAT_ENDPOINT:
		return model_on_stat_endpoint(b, (const void *)ev);
	case IPCT_EV_WAIT:
		return model_on_wait(b, (const void *)ev);
	case IPCT_EV_EPOLL_CTL:
		return model_on_epoll_ctl(b, (const void *)ev);
	case IPCT_EV_UNFOLLOWED: {
		const struct ipct_unfollowed_event *u = (const void *)ev;
		struct viz_unfollowed *n = u->syscall == SYS_IO_URING_ENTER ? &b->m->io_uring :
					    &b->m->mmsg;
		n->calls++;
		n->items += u->ret > 0 ? (uint64_t)u->ret : 0;
		return 0;
	}
	}
	return 0;
}

/* ---- sorting ---- */

struct ts_sort {
	const char *base;
	size_t size;
};

/* Compare two element indexes by their leading uint64_t ts_ns, then index. */
static int cmp_ts_index(const void *a, const void *b, void *arg)
{
	const struct ts_sort *s = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	uint64_t ta, tb;

	memcpy(&ta, s->base + (size_t)ia * s->size, sizeof(ta));
	memcpy(&tb, s->base + (size_t)ib * s->size, sizeof(tb));
	return VIZ_ORDER(ta, tb) ?: VIZ_ORDER(ia, ib);
}

/* Stable sort of N elements of SIZE bytes whose first field is a uint64_t
 * timestamp (struct viz_op, struct viz_fork). */
static int stable_sort_by_ts(void *base, size_t n, size_t size)
{
	char *p = base;
	size_t i;

	for (i = 1; i < n; i++) {
		uint64_t prev, cur;
		memcpy(&prev, p + (i - 1) * size, sizeof(prev));
		memcpy(&cur, p + i * size, sizeof(cur));
		if (cur < prev)
			break;
	}
	if (i >= n)
		return 0;       /* already in order: the common case */

	uint32_t *order = malloc(n * sizeof(*order));
	char *sorted = malloc(n * size);
	if (!order || !sorted) {
		free(order);
		free(sorted);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	struct ts_sort s = { p, size };
	qsort_r(order, n, sizeof(*order), cmp_ts_index, &s);
	for (i = 0; i < n; i++)
		memcpy(sorted + i * size, p + (size_t)order[i] * size, size);
	memcpy(p, sorted, n * size);
	free(order);
	free(sorted);
	return 0;
}

static int cmp_user(const void *a, const void *b)
{
	const struct object_user *x = a, *y = b;

	return VIZ_ORDER(x->object, y->object) ?: VIZ_ORDER(x->pid, y->pid);
}

/* Turn the collected (object, pid) pairs into sorted, unique users lists. */
static int build_users(struct builder *b)
{
	struct viz_model *m = b->m;
	size_t i = 0;

	if (b->nusers)
		qsort(b->users, b->nusers, sizeof(*b->users), cmp_user);
	while (i < b->nusers) {
		size_t j = i;
		while (j < b->nusers && b->users[j].object == b->users[i].object)
			j++;
		struct viz_object *o = &m->objects[b->users[i].object];
		o->users = malloc((j - i) * sizeof(*o->users));
		if (!o->users)
			return -ENOMEM;
		for (size_t k = i; k < j; k++)
			if (!o->nusers || o->users[o->nusers - 1] != b->users[k].pid)
				o->users[o->nusers++] = b->users[k].pid;
		i = j;
	}
	return 0;
}

/* ---- load ---- */

static int copy_meta(struct trace_meta *dst, const struct trace_meta *src)
{
	*dst = *src;
	dst->argv = NULL;
	dst->argc = 0;
	dst->hosts = NULL;
	dst->nhosts = 0;
	if (src->nhosts && src->hosts) {
		dst->hosts = malloc(src->nhosts * sizeof(*dst->hosts));
		if (!dst->hosts)
			return -ENOMEM;
		memcpy(dst->hosts, src->hosts, src->nhosts * sizeof(*dst->hosts));
		dst->nhosts = src->nhosts;
	}
	if (src->argc <= 0 || !src->argv)
		return 0;
	dst->argv = calloc(src->argc + 1, sizeof(*dst->argv));
	if (!dst->argv)
		return -ENOMEM;
	for (int i = 0; i < src->argc; i++) {
		dst->argv[i] = strdup(src->argv[i] ? src->argv[i] : "");
		if (!dst->argv[i])
			return -ENOMEM;
		dst->argc = i + 1;
	}
	return 0;
}

/* Sort the flows into the model's order (viz_flow_compare): 0. */
static int sort_flows(struct viz_model *m)
{
	if (m->nflows)
		qsort(m->flows, m->nflows, sizeof(*m->flows), viz_flow_compare);
	return 0;
}

static int build(struct builder *b, struct trace_reader *r)
{
	struct viz_model *m = b->m;
	const struct ipct_event_header *ev;
	const struct trace_process *table;
	size_t ntable = 0;
	int err, rc;

	err = copy_meta(&m->meta, trace_reader_meta(r));
	m->shm_touches = m->meta.flags & TRACE_META_SHM_TOUCHES;
	if (err)
		return err;
	if (m->meta.root_pid) {
		long i = model_process_get(b, m->meta.root_pid);
		if (i < 0)
			return i;
	}
	while ((rc = trace_reader_next(r, &ev)) > 0) {
		m->events++;
		err = on_event(b, ev);
		if (err)
			return err;
	}
	if (rc < 0)
		return rc;

	m->truncated = trace_reader_truncated(r);
	const struct trace_stats *st = trace_reader_stats(r);
	if (st) {
		m->has_stats = true;
		m->stats = *st;
		for (int k = 0; k < IPCT_KIND_MAX; k++)
			m->lost_total += st->lost[k];
	}
	table = trace_reader_processes(r, &ntable);
	if (table) {
		err = model_merge_process_table(b, table, ntable);
		if (err)
			return err;
	}

	if ((err = model_stat_objects(b)))
		return err;
	model_apply_names(b);
	model_unix_mark_untraced(b);
	if ((err = model_fdpass_finish(b)))
		return err;
	m->duration_ns = b->last_ts;
	if (st && st->end_monotonic_ns && model_relative(m, st->end_monotonic_ns) > m->duration_ns)
		m->duration_ns = model_relative(m, st->end_monotonic_ns);
	for (size_t i = 0; i < m->nprocesses; i++) {
		struct viz_process *p = &m->processes[i];
		if (!p->exited || p->end_ns == 0)
			p->end_ns = m->duration_ns;
		if (p->end_ns < p->start_ns)
			p->end_ns = p->start_ns;
	}

	model_shm_finish(b);
	model_touch_finish(b);
	if (b->stream && (err = stream_finish(b)))
		return err;
	model_wait_finish(b);
	if ((err = stable_sort_by_ts(m->ops, m->nops, sizeof(*m->ops))) ||
	    (err = stable_sort_by_ts(m->forks, m->nforks, sizeof(*m->forks))) ||
	    (err = build_users(b)) || (err = model_order_lanes(b)) ||
	    (err = model_build_pid_order(m)) ||
	    (err = match_model(m)) || (b->stream && (err = stream_add_flows(b))) ||
	    (err = model_touch_flows(m)) ||
	    (err = model_stat_flows(b)) || (err = sort_flows(m)) ||
	    (err = viz_model_decide_shown(m)))
		return err;
	return 0;
}

/* Build M from R; streamed past the threshold or when asked, and then
 * SINK (NULL: none) sees the streamed ops. */
static int build_with(struct viz_model *m, struct trace_reader *r, unsigned flags,
		      const struct stream_sink *sink)
{
	struct builder b = { .m = m };
	int err = 0;

	memset(m, 0, sizeof(*m));
	if ((flags & VIZ_LOAD_STREAM) ||
	    (!(flags & VIZ_LOAD_FULL) && trace_reader_event_count(r) > VIZ_STREAM_AUTO_EVENTS))
		err = stream_begin(&b, sink);
	if (!err)
		err = build(&b, r);
	stream_free(b.stream);
	model_stat_free(b.stat);
	free(b.user_slots);
	free(b.info);
	free(b.pid_slots);
	free(b.object_slots);
	free(b.object_last_pid);
	free(b.users);
	for (size_t i = 0; i < b.npaths; i++)
		free(b.paths[i].name);
	for (size_t i = 0; i < b.nsock_paths; i++)
		free(b.sock_paths[i].name);
	free(b.paths);
	free(b.sock_paths);
	free(b.peer_slots);
	free(b.tcp_tuples);
	free(b.inodes);
	free(b.inode_slots);
	model_wait_release(&b);
	model_fdpass_release(&b);
	if (err)
		viz_model_release(m);
	return err;
}

int viz_model_build_with(struct viz_model *m, struct trace_reader *r, unsigned flags)
{
	return build_with(m, r, flags, NULL);
}

/* Load the trace file PATH into M by build_with(). */
static int load_path(struct viz_model *m, const char *path, unsigned flags,
		     const struct stream_sink *sink)
{
	struct trace_reader *r;
	int err;

	memset(m, 0, sizeof(*m));
	err = trace_reader_open(&r, path);
	if (err)
		return err;
	err = build_with(m, r, flags, sink);
	trace_reader_free(r);
	return err;
}

int stream_load(struct viz_model *m, const char *path, const struct stream_sink *sink)
{
	return load_path(m, path, VIZ_LOAD_STREAM, sink);
}

int viz_model_build(struct viz_model *m, struct trace_reader *r)
{
	return viz_model_build_with(m, r, VIZ_LOAD_FULL);
}

int viz_model_load(struct viz_model *m, const char *path)
{
	return viz_model_load_with(m, path, VIZ_LOAD_FULL);
}

int viz_model_load_with(struct viz_model *m, const char *path, unsigned flags)
{
	return load_path(m, path, flags, NULL);
}

int viz_flow_compare(const void *pa, const void *pb)
{
	const struct viz_flow *a = pa, *b = pb;

	return VIZ_ORDER(a->object, b->object) ?: VIZ_ORDER(a->from, b->from) ?:
	       VIZ_ORDER(a->to, b->to);
}

struct viz_flow *viz_flow_of(const struct viz_model *m, const struct viz_transfer *t)
{
	const struct viz_op *send = &m->ops[t->send];
	struct viz_flow key = {
		.object = send->object, .from = send->pid, .to = m->ops[t->recv].pid,
	};

	if (!m->nflows)
		return NULL;
	return bsearch(&key, m->flows, m->nflows, sizeof(*m->flows), viz_flow_compare);
}

int viz_op_sum_compare(const void *pa, const void *pb)
{
	const struct viz_op_sum *a = pa, *b = pb;

	return VIZ_ORDER(a->pid, b->pid) ?: VIZ_ORDER(a->object, b->object) ?:
	       VIZ_ORDER(a->dir, b->dir);
}

int model_append_flows(struct viz_model *m, const struct viz_flow *flows, size_t n)
{
	struct viz_flow *f;

	if (!n)
		return 0;
	f = realloc(m->flows, (m->nflows + n) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	memcpy(f + m->nflows, flows, n * sizeof(*f));
	m->flows = f;
	m->nflows += n;
	return 0;
}

int viz_model_add_flows(struct viz_model *m, const struct viz_flow *flows, size_t n)
{
	int err = model_append_flows(m, flows, n);

	return err ? err : sort_flows(m);
}

void viz_model_release(struct viz_model *m)
{
	if (!m)
		return;
	if (m->meta.argv) {
		for (int i = 0; i < m->meta.argc; i++)
			free(m->meta.argv[i]);
		free(m->meta.argv);
	}
	free(m->meta.hosts);
	for (size_t i = 0; i < m->nobjects; i++)
		free(m->objects[i].users);
	free(m->processes);
	free(m->objects);
	free(m->ops);
	free(m->transfers);
	free(m->flows);
	free(m->undelivered);
	free(m->forks);
	free(m->pid_order);
	free(m->attachments);
	free(m->touches);
	free(m->semops);
	free(m->blocked);
	free(m->payload);
	free(m->wait_calls);
	free(m->fd_passes);
	for (size_t i = 0; i < m->ncalls; i++) {
		free(m->calls[i].exact);
		free(m->calls[i].hist);
		if (i < m->ncalls / 2) {
			free(m->chan_lat[i].exact);
			free(m->chan_lat[i].hist);
		}
	}
	for (size_t i = 0; i < m->nsamples; i++) {
		free(m->flow_lat[i].exact);
		free(m->flow_lat[i].hist);
	}
	free(m->calls);
	free(m->depth);
	free(m->stream_waits);
	free(m->stream_eofs);
	free(m->stream_threads);
	free(m->chan_lat);
	free(m->flow_lat);
	free(m->samples);
	free(m->op_sums);
	free(m->counted);
	memset(m, 0, sizeof(*m));
}

bool viz_op_is_message(const struct viz_model *m, const struct viz_op *op)
{
	const struct viz_object *o;

	if (op->type == VIZ_OP_MSG)
		return true;
	if (op->type != VIZ_OP_IO || op->object >= m->nobjects)
		return false;
	o = &m->objects[op->object];
	return (o->kind == IPCT_KIND_UNIX || o->kind == IPCT_KIND_UDP) &&
	       (o->sock_type == SOCK_DGRAM || o->sock_type == SOCK_SEQPACKET);
}
