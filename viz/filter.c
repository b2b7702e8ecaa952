/*
 * filter - cut a model down to what the reading commands' filter options
 * select (filter.h, docs/filters.md; the options are parsed in
 * filter_parse.c).
 *
 * viz_model_filter() marks what stays (processes, ops, transfers,
 * attachments, forks, objects), then compacts each table in place,
 * renumbering the indexes that point into it, and sums the flows again
 * from the transfers that stayed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "match.h"
#include "model_build.h"

/* ---- resolving against a model ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool pid_listed(const uint32_t *v, size_t n, uint32_t pid)
{
	return n && bsearch(&pid, v, n, sizeof(*v), cmp_u32);
}

static bool process_named(const struct viz_filter *f, const struct viz_process *p)
{
	bool pid_ok = !f->npids, comm_ok = !f->ncomms;

	for (size_t i = 0; i < f->npids && !pid_ok; i++)
		pid_ok = f->pids[i] == p->pid;
	for (size_t i = 0; i < f->ncomms && !comm_ok; i++)
		comm_ok = !strncmp(f->comms[i], p->comm, sizeof(p->comm));
	return pid_ok && comm_ok;
}

int viz_filter_resolve(struct viz_filter *f, const struct viz_model *m)
{
	size_t n = m->nprocesses;
	uint8_t *mark;

	free(f->selected);
	f->selected = NULL;
	f->nselected = 0;
	f->by_process = f->npids || f->ncomms;
	f->window_from = m->command_start_ns + f->from_ns;
	if (f->window_from < m->command_start_ns)
		f->window_from = UINT64_MAX;
	f->window_to = f->to_ns == UINT64_MAX ? UINT64_MAX : m->command_start_ns + f->to_ns;
	if (f->window_to < m->command_start_ns)
		f->window_to = UINT64_MAX;
	if (!f->by_process)
		return 0;
	mark = calloc(n ? n : 1, 1);
	f->selected = malloc((n ? n : 1) * sizeof(*f->selected));
	if (!mark || !f->selected) {
		free(mark);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		mark[i] = process_named(f, &m->processes[i]);
	/* --children: a process whose ancestor is marked is marked; walk each
	 * parent chain, at most n steps (a corrupt table may hold a cycle). */
	for (size_t i = 0; f->children && i < n; i++) {
		const struct viz_process *p = &m->processes[i];

		for (size_t steps = 0; !mark[i] && p && p->ppid && steps < n; steps++) {
			p = viz_model_process(m, p->ppid);
			if (p && mark[p - m->processes])
				mark[i] = 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (mark[i])
			f->selected[f->nselected++] = m->processes[i].pid;
	qsort(f->selected, f->nselected, sizeof(*f->selected), cmp_u32);
	free(mark);
	return 0;
}

static bool pid_selected(const struct viz_filter *f, uint32_t pid)
{
	return !f->by_process || pid_listed(f->selected, f->nselected, pid);
}

static bool object_passes(const struct viz_filter *f, const struct viz_object *o)
{
	bool ok = !f->nchannels;

	if (f->kinds && !(f->kinds & (1u << o->kind)))
		return false;
	for (size_t i = 0; i < f->nchannels && !ok; i++)
		ok = !strcmp(f->channels[i], o->id);
	return ok;
}

static bool span_in_window(const struct viz_filter *f, uint64_t begin, uint64_t end)
{
	return !f->window || (end >= f->window_from && begin <= f->window_to);
}

/* Kind, channel and window: what an op must pass whoever made it. */
static bool op_passes(const struct viz_filter *f, const struct viz_model *m,
		      const struct viz_op *op)
{
	return object_passes(f, &m->objects[op->object]) &&
	       span_in_window(f, viz_op_begin(op), op->ts_ns);
}

/* ---- cutting the model ---- */

/* What the cut keeps, as flags by op, process and object, and where the
 * kept ops and objects go: five arrays in one allocation, at op_map. */
struct keep {
	uint32_t *op_map, *object_map;
	uint8_t *op, *process, *object;
};

static void keep_free(struct keep *k)
{
	free(k->op_map);
}

static int keep_alloc(struct keep *k, const struct viz_model *m)
{
	size_t nops = m->nops + 1, nobjects = m->nobjects + 1;

	k->op_map = calloc(1, (nops + nobjects) * sizeof(uint32_t) + nops + m->nprocesses + 1 +
			   nobjects);
	if (!k->op_map)
		return -ENOMEM;
	k->object_map = k->op_map + nops;
	k->op = (uint8_t *)(k->object_map + nobjects);
	k->process = k->op + nops;
	k->object = k->process + m->nprocesses + 1;
	return 0;
}

static void keep_process(struct keep *k, const struct viz_model *m, uint32_t pid)
{
	const struct viz_process *p = viz_model_process(m, pid);

	if (p)
		k->process[p - m->processes] = 1;
}

/* Decide what stays: ops, transfers (compacted at once), processes, objects. */
static void mark_kept(struct viz_model *m, const struct viz_filter *f, struct keep *k)
{
	size_t nt = 0;

	for (size_t i = 0; i < m->nops; i++)
		k->op[i] = op_passes(f, m, &m->ops[i]) && pid_selected(f, m->ops[i].pid);
	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *t = &m->transfers[i];
		const struct viz_op *s = &m->ops[t->send], *r = &m->ops[t->recv];

		if (!op_passes(f, m, s) || !op_passes(f, m, r) || !(k->op[t->send] || k->op[t->recv]))
			continue;
		k->op[t->send] = k->op[t->recv] = 1;
		m->transfers[nt++] = *t;
	}
	m->ntransfers = nt;
	for (size_t i = 0; i < m->nprocesses; i++)
		k->process[i] = f->by_process ? pid_selected(f, m->processes[i].pid) : 1;
	for (size_t i = 0; i < m->nops; i++) {
		if (!k->op[i])
			continue;
		keep_process(k, m, m->ops[i].pid);
		k->object[m->ops[i].object] = 1;
	}
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];

		if (pid_selected(f, a->pid) && object_passes(f, &m->objects[a->object]) &&
		    span_in_window(f, a->start_ns, a->end_ns))
			k->object[a->object] = 1;
	}
	for (size_t i = 0; i < m->ntouches; i++) {
		const struct viz_touch *t = &m->touches[i];

		if (pid_selected(f, t->pid) && object_passes(f, &m->objects[t->object]) &&
		    span_in_window(f, t->ts_ns, t->ts_ns)) {
			k->object[t->object] = 1;
			keep_process(k, m, t->pid);
		}
	}
	/* flows summed without ops (they have no time: a window keeps them) */
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *fl = &m->flows[i];

		if (!viz_flow_summed(fl) ||
		    !object_passes(f, &m->objects[fl->object]) ||
		    !(pid_selected(f, fl->from) || pid_selected(f, fl->to)))
			continue;
		k->object[fl->object] = 1;
		keep_process(k, m, fl->from);
		keep_process(k, m, fl->to);
	}
	for (size_t i = 0; i < m->nop_sums; i++) {
		const struct viz_op_sum *a = &m->op_sums[i];

		if (pid_selected(f, a->pid) && object_passes(f, &m->objects[a->object])) {
			k->object[a->object] = 1;
			keep_process(k, m, a->pid);
		}
	}
	for (size_t i = 0; i < m->ncounted; i++) {
		const struct viz_counted *c = &m->counted[i];

		if (pid_selected(f, c->pid) && object_passes(f, &m->objects[c->object])) {
			k->object[c->object] = 1;
			keep_process(k, m, c->pid);
		}
	}
}

static void compact_attachments(struct viz_model *m, const struct viz_filter *f,
				const struct keep *k)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nattachments; i++) {
		struct viz_attachment a = m->attachments[i];

		if (!k->object[a.object] || !pid_selected(f, a.pid) ||
		    !span_in_window(f, a.start_ns, a.end_ns))
			continue;
		a.object = k->object_map[a.object];
		m->attachments[n++] = a;
	}
	m->nattachments = n;
}

static void compact_touches(struct viz_model *m, const struct viz_filter *f,
			    const struct keep *k)
{
	size_t n = 0;

	for (size_t i = 0; i < m->ntouches; i++) {
		struct viz_touch t = m->touches[i];

		if (!k->object[t.object] || !pid_selected(f, t.pid) ||
		    !span_in_window(f, t.ts_ns, t.ts_ns))
			continue;
		t.object = k->object_map[t.object];
		m->touches[n++] = t;
	}
	m->ntouches = n;
}

/* Drop unkept objects, keeping only kept processes among the users. */
static void compact_objects(struct viz_model *m, struct keep *k)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nobjects; i++) {
		struct viz_object o = m->objects[i];

		if (!k->object[i]) {
			free(o.users);
			continue;
		}
		size_t nu = 0;
		for (size_t u = 0; u < o.nusers; u++) {
			const struct viz_process *p = viz_model_process(m, o.users[u]);
			if (p && k->process[p - m->processes])
				o.users[nu++] = o.users[u];
		}
		o.nusers = nu;
		k->object_map[i] = n;
		m->objects[n++] = o;
	}
	m->nobjects = n;
}

static void compact_ops(struct viz_model *m, struct keep *k)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nops; i++) {
		if (!k->op[i])
			continue;
		k->op_map[i] = n;
		m->ops[n] = m->ops[i];
		m->ops[n].object = k->object_map[m->ops[i].object];
		n++;
	}
	m->nops = n;
	for (size_t i = 0; i < m->ntransfers; i++) {
		m->transfers[i].send = k->op_map[m->transfers[i].send];
		m->transfers[i].recv = k->op_map[m->transfers[i].recv];
	}
}

/* Object index O (UINT32_MAX: none) after compact_objects: UINT32_MAX
 * when it was dropped. */
static uint32_t kept_object(const struct keep *k, uint32_t o, size_t old_nobjects)
{
	return o < old_nobjects && k->object[o] ? k->object_map[o] : UINT32_MAX;
}

/* Keep the waits of kept, selected processes in the window; their ready
 * channel follows the objects (none when it was dropped). */
static void compact_wait_calls(struct viz_model *m, const struct viz_filter *f,
			       const struct keep *k, size_t old_nobjects)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nwait_calls; i++) {
		struct viz_wait_call c = m->wait_calls[i];
		const struct viz_process *p = viz_model_process(m, c.pid);
		uint64_t begin = c.ts_ns > c.duration_ns ? c.ts_ns - c.duration_ns : 0;

		if (!p || !k->process[p - m->processes] || !pid_selected(f, c.pid) ||
		    !span_in_window(f, begin, c.ts_ns))
			continue;
		c.ready_object = kept_object(k, c.ready_object, old_nobjects);
		m->wait_calls[n++] = c;
	}
	m->nwait_calls = n;
}

/* Keep the descriptors passed between selected processes (an untraced
 * end, pid 0, stays) in the window; their objects follow the objects
 * (none when dropped). */
static void compact_fd_passes(struct viz_model *m, const struct viz_filter *f,
			      const struct keep *k, size_t old_nobjects)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nfd_passes; i++) {
		struct viz_fd_pass p = m->fd_passes[i];
		const struct viz_process *a = viz_model_process(m, p.from);
		const struct viz_process *b = viz_model_process(m, p.to);

		if ((p.from && (!a || !k->process[a - m->processes])) ||
		    (p.to && (!b || !k->process[b - m->processes])) ||
		    !(pid_selected(f, p.from) || pid_selected(f, p.to)) ||
		    !span_in_window(f, p.ts_ns, p.recv_ts_ns > p.ts_ns ? p.recv_ts_ns : p.ts_ns))
			continue;
		p.object = kept_object(k, p.object, old_nobjects);
		p.via = kept_object(k, p.via, old_nobjects);
		m->fd_passes[n++] = p;
	}
	m->nfd_passes = n;
}

/* Keep the marked processes (lanes renumbered in order) and their forks. */
static void compact_processes(struct viz_model *m, const struct keep *k)
{
	size_t n = 0, nf = 0;

	for (size_t i = 0; i < m->nforks; i++) {
		const struct viz_process *p = viz_model_process(m, m->forks[i].parent);
		const struct viz_process *c = viz_model_process(m, m->forks[i].child);

		if (p && c && k->process[p - m->processes] && k->process[c - m->processes])
			m->forks[nf++] = m->forks[i];
	}
	m->nforks = nf;
	for (size_t i = 0; i < m->nprocesses; i++)
		if (k->process[i])
			m->processes[n++] = m->processes[i];
	m->nprocesses = n;
}

static int cmp_lane(const void *a, const void *b, void *arg)
{
	const struct viz_process *p = arg;
	uint32_t x = p[*(const uint32_t *)a].lane, y = p[*(const uint32_t *)b].lane;

	return x < y ? -1 : x > y;
}

/* Number the lanes 0.. in their old order. */
static int renumber_lanes(struct viz_model *m)
{
	uint32_t *order = malloc((m->nprocesses + 1) * sizeof(*order));

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < m->nprocesses; i++)
		order[i] = i;
	qsort_r(order, m->nprocesses, sizeof(*order), cmp_lane, m->processes);
	for (size_t i = 0; i < m->nprocesses; i++)
		m->processes[order[i]].lane = i;
	free(order);
	return 0;
}

/* Is PID a process that the filter keeps?  (Before compact_processes.) */
static bool pid_kept(const struct viz_model *m, const struct keep *k, uint32_t pid)
{
	const struct viz_process *p = viz_model_process(m, pid);

	return p && k->process[p - m->processes];
}

/* What was summed without ops (streamed and counted flows, op_sums,
 * counters):
 * keep what lies between kept processes on kept objects, renumbered by
 * compact_objects; the flows are moved to *SUMMED (*NSUMMED). */
static int keep_summed(struct viz_model *m, const struct keep *k,
		       struct viz_flow **summed, size_t *nsummed)
{
	size_t n = 0;

	*summed = malloc((m->nflows + 1) * sizeof(**summed));
	if (!*summed)
		return -ENOMEM;
	for (size_t i = 0; i < m->nflows; i++) {
		struct viz_flow fl = m->flows[i];

		if (!viz_flow_summed(&fl) || !k->object[fl.object] ||
		    !pid_kept(m, k, fl.from) || !pid_kept(m, k, fl.to))
			continue;
		fl.object = k->object_map[fl.object];
		(*summed)[n++] = fl;
	}
	*nsummed = n;
	n = 0;
	for (size_t i = 0; i < m->nop_sums; i++) {
		struct viz_op_sum a = m->op_sums[i];

		if (!k->object[a.object] || !pid_kept(m, k, a.pid))
			continue;
		a.object = k->object_map[a.object];
		m->op_sums[n++] = a;
	}
	m->nop_sums = n;
	n = 0;
	for (size_t i = 0; i < m->ncounted; i++) {
		struct viz_counted c = m->counted[i];

		if (!k->object[c.object] || !pid_kept(m, k, c.pid))
			continue;
		c.object = k->object_map[c.object];
		m->counted[n++] = c;
	}
	m->ncounted = n;
	return 0;
}

int viz_model_filter(struct viz_model *m, struct viz_filter *f)
{
	struct viz_flow *summed = NULL;
	size_t nsummed = 0;
	struct keep k = { 0 };
	size_t old_nobjects;
	int err;

	if ((err = viz_filter_resolve(f, m)) || (err = keep_alloc(&k, m)))
		goto out;
	if (f->window) {
		m->windowed = true;
		m->window_from_ns = f->window_from;
		m->window_to_ns = f->window_to < m->duration_ns ? f->window_to : m->duration_ns;
	}
	mark_kept(m, f, &k);
	old_nobjects = m->nobjects;
	compact_objects(m, &k);
	compact_wait_calls(m, f, &k, old_nobjects);
	compact_fd_passes(m, f, &k, old_nobjects);
	if ((err = keep_summed(m, &k, &summed, &nsummed)))
		goto out;
	compact_attachments(m, f, &k);
	compact_touches(m, f, &k);
	compact_ops(m, &k);
	compact_processes(m, &k);
	free(m->pid_order);
	m->pid_order = NULL;
	free(m->flows);
	m->flows = NULL;
	m->nflows = 0;
	if ((err = renumber_lanes(m)) || (err = model_build_pid_order(m)) ||
	    (err = match_build_flows(m)) || (err = viz_model_add_flows(m, summed, nsummed)) ||
	    (err = viz_model_decide_shown(m)))
		goto out;
out:
	free(summed);
	keep_free(&k);
	return err;
}

/* ---- single events, for dump ---- */

/* The size below which this file reads no field of an event of TYPE. */
static size_t event_min_size(unsigned type)
{
	switch (type) {
	case IPCT_EV_PIPE: return sizeof(struct ipct_pipe_event);
	case IPCT_EV_IO: return offsetof(struct ipct_io_event, offset);
	case IPCT_EV_OPEN: return sizeof(struct ipct_open_event);
	case IPCT_EV_SHM: return sizeof(struct ipct_shm_event);
	case IPCT_EV_TOUCH: return sizeof(struct ipct_touch_event);
	case IPCT_EV_SOCK: return sizeof(struct ipct_sock_event);
	}
	return sizeof(struct ipct_event_header);
}

/* The kind of object an event is about; IPCT_KIND_NONE for lifecycle. */
static unsigned event_kind(const struct ipct_event_header *ev)
{
	if (ev->size < event_min_size(ev->type))
		return IPCT_KIND_MAX;
	switch (ev->type) {
	case IPCT_EV_PIPE: return IPCT_KIND_PIPE;
	case IPCT_EV_SIGNAL: return IPCT_KIND_SIGNAL;
	case IPCT_EV_IO: return ((const struct ipct_io_event *)ev)->kind;
	case IPCT_EV_OPEN: return ((const struct ipct_open_event *)ev)->kind;
	case IPCT_EV_MSG: return IPCT_KIND_MSGQ;
	case IPCT_EV_SEM: return IPCT_KIND_SEM;
	case IPCT_EV_SHM: return IPCT_KIND_SHM;
	case IPCT_EV_TOUCH: return IPCT_KIND_SHM;
	case IPCT_EV_SOCK: return ((const struct ipct_sock_event *)ev)->kind;
	}
	return IPCT_KIND_NONE;
}

/* The inode an event names, or 0. */
static uint64_t event_ino(const struct ipct_event_header *ev)
{
	if (ev->size < event_min_size(ev->type))
		return 0;
	switch (ev->type) {
	case IPCT_EV_PIPE: return ((const struct ipct_pipe_event *)ev)->ino;
	case IPCT_EV_IO: return ((const struct ipct_io_event *)ev)->ino;
	case IPCT_EV_OPEN: return ((const struct ipct_open_event *)ev)->ino;
	case IPCT_EV_SHM: return ((const struct ipct_shm_event *)ev)->ino;
	case IPCT_EV_TOUCH: return ((const struct ipct_touch_event *)ev)->ino;
	case IPCT_EV_SOCK: return ((const struct ipct_sock_event *)ev)->ino;
	}
	return 0;
}

/* Is EV (at model time TS) an op on, or the creation of, a channel of M,
 * a model already cut to F's channels? */
static bool event_on_channel(const struct viz_model *m, const struct ipct_event_header *ev,
			     uint64_t ts)
{
	uint64_t ino = event_ino(ev);
	size_t lo = 0, hi = m->nops;

	for (size_t i = 0; ino && i < m->nobjects; i++)
		if (ino == m->objects[i].ino || ino == m->objects[i].ino2)
			return true;
	while (lo < hi) {       /* ops are sorted by time: the first at TS */
		size_t mid = lo + (hi - lo) / 2;
		if (m->ops[mid].ts_ns < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->nops && m->ops[lo].ts_ns == ts; lo++)
		if (m->ops[lo].pid == ev->pid)
			return true;
	return false;
}

bool viz_filter_event(const struct viz_filter *f, const struct viz_model *m,
		      const struct ipct_event_header *ev)
{
	uint64_t ts = ev->ts_ns > m->meta.start_monotonic_ns ? ev->ts_ns - m->meta.start_monotonic_ns : 0;
	unsigned kind = event_kind(ev);

	if (!pid_selected(f, ev->pid) || !span_in_window(f, ts, ts))
		return false;
	if (kind == IPCT_KIND_NONE)
		return !f->nchannels;
	if (f->kinds && (kind >= IPCT_KIND_MAX || !(f->kinds & (1u << kind))))
		return false;
	return !f->nchannels || event_on_channel(m, ev, ts);
}
