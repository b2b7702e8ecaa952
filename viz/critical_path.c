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
 * When P has no earlier wait, it was running since its fork, and the walk
 * goes on in its parent at the fork; a process with no traced parent ran
 * from time 0.  Every wait is used at most once, so the walk ends; each
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

struct walk {
	const struct viz_model *m;
	const struct wait_table *w;
	size_t *limit;                  /* per process: waits usable are < limit */
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

int critical_path_compute(const struct viz_model *m, const struct wait_table *w,
			  struct critical_path *p)
{
	const struct viz_process *root = viz_model_process(m, m->meta.root_pid);
	struct walk k = { m, w, NULL, NULL, 0, 0 };
	int err;

	memset(p, 0, sizeof(*p));
	if (!root && m->nprocesses)
		root = &m->processes[0];
	p->end_ns = root && root->exited ? root->end_ns : m->duration_ns;
	if (!root)
		return 0;
	k.limit = malloc((m->nprocesses ? m->nprocesses : 1) * sizeof(*k.limit));
	if (!k.limit)
		return -ENOMEM;
	for (size_t i = 0; i < m->nprocesses; i++)
		k.limit[i] = m->processes[i].pid == UINT32_MAX ? w->nwaits :
			     first_wait(w, m->processes[i].pid + 1);
	err = walk(&k, root, p->end_ns);
	free(k.limit);
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
