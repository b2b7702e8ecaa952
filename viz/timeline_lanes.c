/*
 * timeline_lanes - which lanes the timeline has and in what order: one per
 * shown process (every process with --all), in the model's lane order,
 * and under a process whose threads other than the main one made IPC
 * calls, one sub-lane per such thread, by tid.  A thread's calls and the
 * arrows to and from them are drawn on its sub-lane; the process's
 * lifetime, forks, exit, mappings and critical path on its own lane.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "timeline_internal.h"

static int cmp_thread_row(const void *a, const void *b)
{
	const struct thread_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static int cmp_proc_lane(const void *a, const void *b)
{
	const struct viz_process *x = *(const struct viz_process *const *)a;
	const struct viz_process *y = *(const struct viz_process *const *)b;

	if (x->lane != y->lane)
		return x->lane < y->lane ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

long timeline_row(const struct timeline *t, uint32_t pid)
{
	const struct viz_pid_index *hit = viz_pid_index_find(t->rows, t->nprocs, pid);

	return hit ? (long)hit->index : -1;
}

long timeline_thread_row(const struct timeline *t, uint32_t pid, uint32_t tid)
{
	struct thread_row key = { .pid = pid, .tid = tid }, *hit;

	if (t->nthreads && tid != pid) {
		hit = bsearch(&key, t->threads, t->nthreads, sizeof(key), cmp_thread_row);
		if (hit)
			return hit->row;
	}
	return timeline_row(t, pid);
}

long timeline_op_row(const struct timeline *t, const struct viz_op *op)
{
	return timeline_thread_row(t, op->pid, op->tid);
}

/* Append (PID, TID) with one call from FROM to TO to t->threads; a run of
 * one thread's calls is kept as one entry. */
static int thread_add(struct timeline *t, size_t *n, size_t *cap, uint32_t pid, uint32_t tid,
		      uint64_t from, uint64_t to)
{
	struct thread_row *last = *n ? &t->threads[*n - 1] : NULL;

	if (last && last->pid == pid && last->tid == tid) {
		last->from = from < last->from ? from : last->from;
		last->to = to > last->to ? to : last->to;
		return 0;
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct thread_row *grown = realloc(t->threads, ncap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		t->threads = grown;
		*cap = ncap;
	}
	t->threads[(*n)++] = (struct thread_row){ pid, tid, 0, from, to };
	return 0;
}

/* The threads other than the main one that made a drawn call (kept, or
 * streamed: m->stream_threads) or a call that blocked, sorted by (pid,
 * tid), unique; their first and last call times in from/to. */
static int collect_threads(struct timeline *t)
{
	const struct viz_model *m = t->m;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];

		if (op->tid == op->pid || !op->tid || !timeline_call_drawn(t, op))
			continue;
		if (thread_add(t, &n, &cap, op->pid, op->tid, viz_op_begin(op), op->ts_ns))
			return -ENOMEM;
	}
	for (i = 0; i < m->nstream_threads; i++) {
		const struct viz_stream_thread *st = &m->stream_threads[i];
		struct viz_op op = { .pid = st->pid, .tid = st->tid, .object = st->object,
				     .dir = IPCT_DIR_RECV, .type = VIZ_OP_IO };

		if (!timeline_call_drawn(t, &op))
			continue;
		if (thread_add(t, &n, &cap, st->pid, st->tid, st->from, st->to))
			return -ENOMEM;
	}
	for (i = 0; i < t->nwaits; i++) {
		const struct timeline_wait *bl = &t->waits[i];

		if (bl->tid == bl->pid || !bl->tid || timeline_row(t, bl->pid) < 0)
			continue;
		if (thread_add(t, &n, &cap, bl->pid, bl->tid, bl->ts_ns > bl->duration_ns ?
			       bl->ts_ns - bl->duration_ns : 0, bl->ts_ns))
			return -ENOMEM;
	}
	if (n)		/* threads is NULL when no thread called */
		qsort(t->threads, n, sizeof(*t->threads), cmp_thread_row);
	for (i = 0, j = 0; i < n; i++) {
		if (j && !cmp_thread_row(&t->threads[j - 1], &t->threads[i])) {
			if (t->threads[i].from < t->threads[j - 1].from)
				t->threads[j - 1].from = t->threads[i].from;
			if (t->threads[i].to > t->threads[j - 1].to)
				t->threads[j - 1].to = t->threads[i].to;
			continue;
		}
		t->threads[j++] = t->threads[i];
	}
	t->nthreads = j;
	return 0;
}

int timeline_lanes_build(struct timeline *t)
{
	const struct viz_model *m = t->m;
	const struct viz_process **procs;
	size_t i, n = 0, row = 0, th;
	int err;

	procs = calloc(m->nprocesses ? m->nprocesses : 1, sizeof(*procs));
	t->rows = calloc(m->nprocesses ? m->nprocesses : 1, sizeof(*t->rows));
	if (!procs || !t->rows) {
		free(procs);
		return -ENOMEM;
	}
	for (i = 0; i < m->nprocesses; i++)
		if (m->show_all || m->processes[i].shown)
			procs[n++] = &m->processes[i];
	qsort(procs, n, sizeof(*procs), cmp_proc_lane);
	/* the pid map first: which calls are drawn depends on it */
	for (i = 0; i < n; i++)
		t->rows[i] = (struct viz_pid_index){ procs[i]->pid, (uint32_t)i };
	t->nprocs = n;
	qsort(t->rows, n, sizeof(*t->rows), viz_pid_index_compare);
	err = timeline_waits_collect(t);
	if (!err)
		err = collect_threads(t);
	if (!err) {
		t->procs = calloc(n + t->nthreads ? n + t->nthreads : 1, sizeof(*t->procs));
		t->row_thread = calloc(n + t->nthreads ? n + t->nthreads : 1, sizeof(*t->row_thread));
		if (!t->procs || !t->row_thread)
			err = -ENOMEM;
	}
	if (err) {
		free(procs);
		return err;
	}
	/* each process's lane, then its threads' (threads are by pid) */
	for (i = 0; i < n; i++) {
		uint32_t pid = procs[i]->pid;

		viz_pid_index_find(t->rows, n, pid)->index = (uint32_t)row;
		t->row_thread[row] = NULL;
		t->procs[row++] = procs[i];
		/* the first thread of this pid: threads are sorted by (pid, tid) */
		for (th = 0; th < t->nthreads && t->threads[th].pid < pid; th++)
			;
		for (; th < t->nthreads && t->threads[th].pid == pid; th++) {
			t->threads[th].row = (uint32_t)row;
			t->row_thread[row] = &t->threads[th];
			t->procs[row++] = procs[i];
		}
	}
	t->nrows = row;
	free(procs);
	return 0;
}

void timeline_lanes_release(struct timeline *t)
{
	free(t->procs);
	free(t->rows);
	free(t->row_thread);
	free(t->threads);
}
