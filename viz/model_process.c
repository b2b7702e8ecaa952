/*
 * model_process - the process side of building a model (see model.h and
 * model_build.h): the pid table, fork/exec/exit events, the merge with
 * the trace's own process table, the lane order and viz_model_process().
 *
 * Rules (docs/matching.md and docs/report-json.md rely on them): a FORK
 * without IPCT_FORK_THREAD creates the child (ppid = the forking process,
 * start = fork time, comm inherited); EXEC sets comm and exec path; only an
 * EXIT with IPCT_EXIT_GROUP_DEAD ends a process.  The table from the end
 * of the file fills what no event said; events win where both know.
 * Fork, exec and exit also carry shared-memory attachments over or end
 * them (model_shm.c).
 */
#include "model_build.h"
#include "search.h"

static uint64_t pid_hash_at(const void *m, size_t i)
{
	return model_hash64(((const struct viz_model *)m)->processes[i].pid);
}

static bool pid_eq(const void *m, uint32_t i, const void *pid)
{
	return ((const struct viz_model *)m)->processes[i].pid == *(const uint32_t *)pid;
}

long model_process_find(const struct builder *b, uint32_t pid)
{
	const uint32_t *slot;

	if (!b->npid_slots)
		return -1;
	slot = slots_find(b->pid_slots, b->npid_slots, model_hash64(pid), pid_eq, b->m, &pid);
	return *slot ? (long)*slot - 1 : -1;
}

/* Index of PID's process, creating it (in order of appearance) if new.
 * Returns the index or -errno. */
long model_process_get(struct builder *b, uint32_t pid)
{
	struct viz_model *m = b->m;
	long i = model_process_find(b, pid);

	if (i >= 0) {
		if (!b->in_table && b->now < b->info[i].first_ts)
			b->info[i].first_ts = b->now;
		return i;
	}
	size_t cap = b->cap_processes;
	if (model_grow((void **)&m->processes, &b->cap_processes, m->nprocesses + 1,
		 sizeof(*m->processes)))
		return -ENOMEM;
	if (model_grow((void **)&b->info, &cap, m->nprocesses + 1, sizeof(*b->info)))
		return -ENOMEM;

	struct viz_process *p = &m->processes[m->nprocesses];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->exit_status = -1;
	p->lane = m->nprocesses;
	b->info[m->nprocesses].seen = b->in_table ? 0 : SEEN_EVENT;
	b->info[m->nprocesses].first_ts = b->now;
	if (slots_add(&b->pid_slots, &b->npid_slots, 256, m->nprocesses, pid_hash_at, m))
		return -ENOMEM;
	return m->nprocesses++;
}

int model_on_fork(struct builder *b, const struct ipct_fork_event *ev)
{
	long parent = model_process_get(b, ev->hdr.pid);

	if (parent < 0)
		return parent;
	if (ev->flags & IPCT_FORK_THREAD || ev->child_pid == 0 ||
	    ev->child_pid == ev->hdr.pid)
		return 0;

	long child = model_process_get(b, ev->child_pid);
	if (child < 0)
		return child;
	struct viz_process *p = &b->m->processes[child];
	p->ppid = ev->hdr.pid;
	p->start_ns = model_relative(b->m, ev->hdr.ts_ns);
	if (!(b->info[child].seen & (SEEN_EXEC | SEEN_COMM)))
		model_copy_string(p->comm, sizeof(p->comm), ev->comm, sizeof(ev->comm));
	b->info[child].seen |= SEEN_FORK | SEEN_COMM;

	struct viz_model *m = b->m;
	if (model_grow((void **)&m->forks, &b->cap_forks, m->nforks + 1, sizeof(*m->forks)))
		return -ENOMEM;
	m->forks[m->nforks++] = (struct viz_fork){
		.ts_ns = model_relative(m, ev->hdr.ts_ns),
		.parent = ev->hdr.pid,
		.child = ev->child_pid,
	};
	return model_shm_fork(b, ev->hdr.pid, ev->child_pid,
			      model_relative(m, ev->hdr.ts_ns));
}

int model_on_exec(struct builder *b, const struct ipct_exec_event *ev)
{
	long i = model_process_get(b, ev->hdr.pid);

	if (i < 0)
		return i;
	struct viz_process *p = &b->m->processes[i];
	if (ev->hdr.pid == b->m->meta.root_pid && !(b->info[i].seen & SEEN_EXEC))
		b->m->command_start_ns = model_relative(b->m, ev->hdr.ts_ns);
	model_copy_string(p->comm, sizeof(p->comm), ev->comm, sizeof(ev->comm));
	model_copy_string(p->exec_path, sizeof(p->exec_path), ev->filename,
		    sizeof(ev->filename));
	b->info[i].seen |= SEEN_EXEC | SEEN_COMM;
	model_shm_end(b, ev->hdr.pid, model_relative(b->m, ev->hdr.ts_ns));
	return 0;
}

int model_on_exit(struct builder *b, const struct ipct_exit_event *ev)
{
	long i = model_process_get(b, ev->hdr.pid);

	if (i < 0)
		return i;
	if (!(ev->flags & IPCT_EXIT_GROUP_DEAD))
		return 0;       /* one thread ended, the process lives on */
	struct viz_process *p = &b->m->processes[i];
	p->exited = true;
	p->exit_status = ev->exit_code;
	p->end_ns = model_relative(b->m, ev->hdr.ts_ns);
	b->info[i].seen |= SEEN_EXIT;
	model_shm_end(b, ev->hdr.pid, p->end_ns);
	return 0;
}

/* Fill what the events did not say from the trace's process table, and
 * add the processes that only the table knows (after the others). */
int model_merge_process_table(struct builder *b, const struct trace_process *t,
			       size_t n)
{
	struct viz_model *m = b->m;

	b->in_table = true;
	for (size_t k = 0; k < n; k++) {
		if (t[k].pid == 0)
			continue;
		long i = model_process_get(b, t[k].pid);
		if (i < 0)
			return i;
		struct viz_process *p = &m->processes[i];
		if (!(b->info[i].seen & SEEN_FORK)) {
			p->ppid = t[k].ppid;
			p->start_ns = t[k].start_ns ? model_relative(m, t[k].start_ns) : 0;
		}
		if (!(b->info[i].seen & SEEN_EXEC) && t[k].comm[0])
			model_copy_string(p->comm, sizeof(p->comm), t[k].comm,
				    sizeof(t[k].comm));
		if (!(b->info[i].seen & SEEN_EXIT) && (t[k].flags & TRACE_PROCESS_EXITED)) {
			p->exited = true;
			p->exit_status = t[k].exit_status;
			p->end_ns = t[k].end_ns ? model_relative(m, t[k].end_ns) : 0;
		}
	}
	return 0;
}

/* ---- lane order ---- */

struct lane_sort {
	const struct process_info *info;
	uint32_t root;
	const struct viz_process *processes;
};

/* Lane order (within each host of a merged trace): the root, then processes by the time of the first event
 * naming them (a child's fork comes after its parent's first event even
 * when the file has them out of order), then those only in the table;
 * ties keep order of appearance. */
static int cmp_lane(const void *a, const void *b, void *arg)
{
	const struct lane_sort *s = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct process_info *ix = &s->info[x], *iy = &s->info[y];
	bool rx = s->processes[x].pid == s->root, ry = s->processes[y].pid == s->root;
	bool ex = ix->seen & SEEN_EVENT, ey = iy->seen & SEEN_EVENT;
	uint32_t hx = trace_host_of_pid(s->processes[x].pid);
	uint32_t hy = trace_host_of_pid(s->processes[y].pid);

	/* merged trace: lanes grouped by host; then the root, then processes
	 * with events, each group by first event */
	return VIZ_ORDER(hx, hy) ?: VIZ_ORDER(ry, rx) ?: VIZ_ORDER(ey, ex) ?:
	       VIZ_ORDER(ix->first_ts, iy->first_ts) ?: VIZ_ORDER(x, y);
}

/* Put the processes in lane order and number the lanes. */
int model_order_lanes(struct builder *b)
{
	struct viz_model *m = b->m;
	size_t n = m->nprocesses;
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
	struct viz_process *sorted = malloc((n ? n : 1) * sizeof(*sorted));

	if (!order || !sorted) {
		free(order);
		free(sorted);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	struct lane_sort s = { b->info, m->meta.root_pid, m->processes };
	qsort_r(order, n, sizeof(*order), cmp_lane, &s);
	for (size_t i = 0; i < n; i++) {
		sorted[i] = m->processes[order[i]];
		sorted[i].lane = i;
	}
	if (n)
		memcpy(m->processes, sorted, n * sizeof(*sorted));
	free(order);
	free(sorted);
	return 0;
}

/* ---- lookup by pid ---- */

static int cmp_pid_index(const void *a, const void *b, void *arg)
{
	const struct viz_process *p = arg;
	uint32_t x = p[*(const uint32_t *)a].pid, y = p[*(const uint32_t *)b].pid;

	return x < y ? -1 : x > y;
}

int model_build_pid_order(struct viz_model *m)
{
	m->pid_order = malloc((m->nprocesses ? m->nprocesses : 1) * sizeof(*m->pid_order));
	if (!m->pid_order)
		return -ENOMEM;
	for (size_t i = 0; i < m->nprocesses; i++)
		m->pid_order[i] = i;
	qsort_r(m->pid_order, m->nprocesses, sizeof(*m->pid_order),
		cmp_pid_index, m->processes);
	return 0;
}

const struct viz_process *viz_model_process(const struct viz_model *m, uint32_t pid)
{
	size_t lo = 0, hi = m->nprocesses;

	if (!m->pid_order)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct viz_process *p = &m->processes[m->pid_order[mid]];
		if (p->pid == pid)
			return p;
		if (p->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
