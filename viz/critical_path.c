/*
 * critical_path - the chain of running and waiting that decided when the
 * traced command ended (viz/hot.h).
 *
 * The walk starts in the root process at its exit (the end of the trace
 * if it never exited) and goes backwards in time.  At time T in process
 * P: take P's last wait (waits.c) that ended at or before T.  From its end
 * to T, P was running: a RUNNING segment.  The wait itself:
 * - ended by a traced peer: P was BLOCKED from the moment the peer's send
 *   (or exit, for end-of-file) released it to the wait's end, and the walk
 *   goes on in the peer at that moment: before it, the peer's work was
 *   what P waited for;
 * - with no known peer: P was BLOCKED for the whole call, and the walk
 *   goes on in P before the call.
 * One more kind of wait is inferred, because wait4 is not recorded: if a
 * child of P exited after that wait ended (and before T), P is taken to
 * have waited for that exit, up to its first call after it: BLOCKED for
 * the child, and the walk goes on in the child at its exit.  This is how
 * a parent that forks workers and reaps them hands the path to the
 * worker that finished last.
 * When P has no earlier wait, it was running since its fork, and the walk
 * goes on in its parent at the fork; a process with no traced parent ran
 * from time 0.  Every wait and every exit is used at most once, so the walk ends; each
 * step starts where the last one ended, so the segments tile [0, end]
 * exactly and add up to the wall time.
 *
 * "Running" means "not in a recorded wait": time in calls the tracer does
 * not see (waits_unseen()) counts as running.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"

/* A child's exit, for the wait4 inference. */
struct child_exit {
	uint32_t parent, child;         /* process indexes */
	uint64_t at;
};

struct walk {
	const struct viz_model *m;
	const struct wait_table *w;
	size_t *limit;                  /* per process: waits usable are < limit */
	struct child_exit *exits;       /* sorted by parent, at */
	size_t nexits;
	size_t *exit_limit;             /* per process: exits usable are < exit_limit */
	size_t *exit_first;             /* per process: its first exit */
	uint32_t *ops;                  /* op indexes grouped by process, time order */
	size_t *ops_first;              /* per process + 1: where its ops start */
	struct path_segment *segs;
	size_t nsegs, cap;
};

static int push(struct walk *k, struct path_segment seg)
{
	if (seg.from_ns >= seg.to_ns)
		return 0;
	/* merge with the (later) neighbour pushed last */
	if (k->nsegs) {
		struct path_segment *last = &k->segs[k->nsegs - 1];
		if (last->state == PATH_RUNNING && seg.state == PATH_RUNNING &&
		    last->pid == seg.pid && last->from_ns == seg.to_ns) {
			last->from_ns = seg.from_ns;
			return 0;
		}
	}
	if (k->nsegs == k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 64;
		void *p = realloc(k->segs, ncap * sizeof(*k->segs));
		if (!p)
			return -ENOMEM;
		k->segs = p;
		k->cap = ncap;
	}
	k->segs[k->nsegs++] = seg;
	return 0;
}

/* First index in the waits (sorted by pid, end) with pid >= PID. */
static size_t first_wait(const struct wait_table *w, uint32_t pid)
{
	size_t lo = 0, hi = w->nwaits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->waits[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Last wait of process index PI usable at time T, or -1. */
static long last_wait(struct walk *k, size_t pi, uint64_t t, uint64_t start)
{
	const struct wait_table *w = k->w;
	uint32_t pid = k->m->processes[pi].pid;
	size_t lo = first_wait(w, pid), hi = k->limit[pi];

	/* last index in [lo, hi) with end_ns <= t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->waits[mid].end_ns <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == first_wait(w, pid) || w->waits[lo - 1].end_ns < start)
		return -1;
	return (long)(lo - 1);
}

/* The last exit of a child of process PI in (AFTER, T], or -1. */
static long last_child_exit(struct walk *k, size_t pi, uint64_t after, uint64_t t)
{
	size_t lo = k->exit_first[pi], hi = k->exit_limit[pi];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->exits[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == k->exit_first[pi] || k->exits[lo - 1].at <= after)
		return -1;
	return (long)(lo - 1);
}

/* When process PI went on after time E: the start of its first call that
 * returned after E, at most T. */
static uint64_t resumed_at(const struct walk *k, size_t pi, uint64_t e, uint64_t t)
{
	size_t lo = k->ops_first[pi], hi = k->ops_first[pi + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->m->ops[k->ops[mid]].ts_ns < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == k->ops_first[pi + 1])
		return t;
	uint64_t begin = viz_op_begin(&k->m->ops[k->ops[lo]]);
	return begin < e ? e : begin > t ? t : begin;
}

/* A child of P exited in (AFTER, *T]: push P's running and blocked
 * segments, move to the child.  False when there is none. */
static bool follow_child(struct walk *k, const struct viz_process **p, uint64_t after,
			 uint64_t *t, int *err)
{
	size_t pi = (size_t)(*p - k->m->processes);
	long c = last_child_exit(k, pi, after, *t);

	if (c < 0)
		return false;
	const struct child_exit *x = &k->exits[c];
	uint64_t resume = resumed_at(k, pi, x->at, *t);
	const struct viz_process *child = &k->m->processes[x->child];

	k->exit_limit[pi] = (size_t)c;
	*err = push(k, (struct path_segment){ (*p)->pid, PATH_RUNNING, 0, UINT32_MAX, 0,
					      resume, *t, 0 });
	if (!*err)
		*err = push(k, (struct path_segment){ (*p)->pid, PATH_BLOCKED, WAIT_CHILD,
						      UINT32_MAX, child->pid, x->at, resume,
						      x->at });
	*t = x->at;
	*p = child;
	return true;
}

static int walk(struct walk *k, const struct viz_process *p, uint64_t t)
{
	const struct viz_model *m = k->m;
	int err = 0;

	/* each step uses a wait or climbs to a parent; a hostile trace may
	 * make parents a cycle, so climbs are bounded too */
	size_t climbs = m->nprocesses + 1;

	while (!err && p) {
		size_t pi = (size_t)(p - m->processes);
		uint64_t start = p->start_ns < t ? p->start_ns : t;
		long j = last_wait(k, pi, t, start);

		if (follow_child(k, &p, j < 0 ? start : k->w->waits[j].end_ns, &t, &err))
			continue;
		if (j < 0) {
			const struct viz_process *parent = p->ppid && start > 0 && climbs ?
				viz_model_process(m, p->ppid) : NULL;
			if (parent == p)
				parent = NULL;
			if (climbs)
				climbs--;
			err = push(k, (struct path_segment){ p->pid, PATH_RUNNING, 0,
					UINT32_MAX, 0, parent ? start : 0, t, 0 });
			t = start;
			p = parent;
			continue;
		}
		const struct wait *w = &k->w->waits[j];
		const struct viz_process *peer = w->peer && w->peer != p->pid ?
			viz_model_process(m, w->peer) : NULL;

		k->limit[pi] = (size_t)j;
		err = push(k, (struct path_segment){ p->pid, PATH_RUNNING, 0, UINT32_MAX,
						     0, w->end_ns, t, 0 });
		if (err)
			break;
		uint64_t from = peer ? w->wake_ns : w->begin_ns;
		err = push(k, (struct path_segment){ p->pid, PATH_BLOCKED, w->why, w->object,
						     w->peer, from, w->end_ns, w->begin_ns });
		t = from;
		if (peer)
			p = peer;
	}
	return err;
}

static int cmp_child_exit(const void *a, const void *b)
{
	const struct child_exit *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->child < y->child ? -1 : x->child > y->child;
}

static void walk_free(struct walk *k)
{
	free(k->limit);
	free(k->exits);
	free(k->exit_limit);
	free(k->exit_first);
	free(k->ops);
	free(k->ops_first);
}

/* The per-process tables of the walk: usable waits, children's exits
 * (each once), ops by process.  0 or -ENOMEM. */
static int walk_init(struct walk *k)
{
	const struct viz_model *m = k->m;
	size_t np = m->nprocesses, *fill;

	k->limit = malloc((np + 1) * sizeof(*k->limit));
	k->exits = malloc((np + 1) * sizeof(*k->exits));
	k->exit_limit = malloc((np + 1) * sizeof(*k->exit_limit));
	k->exit_first = malloc((np + 1) * sizeof(*k->exit_first));
	k->ops = malloc((m->nops + 1) * sizeof(*k->ops));
	k->ops_first = calloc(np + 2, sizeof(*k->ops_first));
	fill = calloc(np + 1, sizeof(*fill));
	if (!k->limit || !k->exits || !k->exit_limit || !k->exit_first || !k->ops ||
	    !k->ops_first || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (size_t i = 0; i < np; i++) {
		const struct viz_process *p = &m->processes[i];
		const struct viz_process *parent = p->ppid ? viz_model_process(m, p->ppid) : NULL;

		k->limit[i] = p->pid == UINT32_MAX ? k->w->nwaits : first_wait(k->w, p->pid + 1);
		if (p->exited && parent && parent != p)
			k->exits[k->nexits++] = (struct child_exit){
				(uint32_t)(parent - m->processes), (uint32_t)i, p->end_ns };
	}
	qsort(k->exits, k->nexits, sizeof(*k->exits), cmp_child_exit);
	for (size_t i = 0, x = 0; i < np; i++) {
		k->exit_first[i] = x;
		while (x < k->nexits && k->exits[x].parent == i)
			x++;
		k->exit_limit[i] = x;
	}
	/* ops grouped by process, each group in time order */
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_process *p = viz_model_process(m, m->ops[i].pid);
		if (p)
			k->ops_first[p - m->processes + 1]++;
	}
	for (size_t i = 0; i < np; i++)
		k->ops_first[i + 1] += k->ops_first[i];
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_process *p = viz_model_process(m, m->ops[i].pid);
		if (p) {
			size_t pi = (size_t)(p - m->processes);
			k->ops[k->ops_first[pi] + fill[pi]++] = (uint32_t)i;
		}
	}
	free(fill);
	return 0;
}

int critical_path_compute(const struct viz_model *m, const struct wait_table *w,
			  struct critical_path *p)
{
	const struct viz_process *root = viz_model_process(m, m->meta.root_pid);
	struct walk k = { .m = m, .w = w };
	int err;

	memset(p, 0, sizeof(*p));
	if (!root && m->nprocesses)
		root = &m->processes[0];
	p->end_ns = root && root->exited ? root->end_ns : m->duration_ns;
	if (!root)
		return 0;
	err = walk_init(&k);
	if (!err)
		err = walk(&k, root, p->end_ns);
	walk_free(&k);
	if (err) {
		free(k.segs);
		return err;
	}
	/* pushed from the end backwards: put them in time order */
	for (size_t i = 0; i < k.nsegs / 2; i++) {
		struct path_segment tmp = k.segs[i];
		k.segs[i] = k.segs[k.nsegs - 1 - i];
		k.segs[k.nsegs - 1 - i] = tmp;
	}
	p->segs = k.segs;
	p->nsegs = k.nsegs;
	return 0;
}

void critical_path_release(struct critical_path *p)
{
	free(p->segs);
	memset(p, 0, sizeof(*p));
}
