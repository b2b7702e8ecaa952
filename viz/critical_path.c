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
 * For a poll, select or epoll_wait that a peer's send made ready, the
 * wake-ups below are looked for from that send on, not from the call's
 * return: the call only reported readiness there since.
 * Two more kinds of wake-up are inferred, for waits the trace does not record
 * (wait4, accept...): if after that wait ended (and by T) a child of P
 * exited, or a traced process's signal was delivered to P, the latest of
 * these is taken to have ended a wait of P: BLOCKED for that process (from
 * the child's exit up to P's first call after it; from the signal's
 * generation to its delivery), and the walk goes on in it (in the child at
 * its exit, in the sender at the generation).  This is how a parent that
 * reaps its workers hands the path to the worker that finished last, and how
 * a server stopped by a signal hands it to whoever sent it.  Likewise a
 * receive that found its data ready, sent by another process after the
 * receiver's previous call (or recorded poll) returned: the receiver was
 * probably in a wait the trace does not record (collect_ready).  When P has no earlier wait, it was
 * running since its fork, and the walk goes on in its parent at the fork; a
 * process with no traced parent ran from time 0.  Every wait and every exit
 * is used at most once, so the walk ends; each step starts where the last one
 * ended, so the segments tile [0, end] exactly and add up to the wall time.
 *
 * "Running" means "not in a recorded wait": time in calls the tracer does
 * not see (waits_unseen()) counts as running.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"
#include "model_build.h"
#include "search.h"

/* An inferred wake-up of process PI by process PEER: a child's exit or a
 * signal's delivery. */
struct wake_edge {
	uint32_t pi, peer;              /* process indexes */
	uint64_t at;                    /* exit, or delivery */
	uint64_t from;                  /* exit, or generation */
	uint32_t object;                /* signal channel, or UINT32_MAX */
	uint8_t why;                    /* WAIT_CHILD, WAIT_SIGNAL */
};

struct walk {
	const struct viz_model *m;
	const struct wait_table *w;
	size_t *limit;                  /* per process: waits usable are < limit */
	size_t *exit_limit;             /* per process: edges usable are < exit_limit */
	size_t *exit_first;             /* per process: its first edge (all three at limit) */
	struct wake_edge *exits;        /* sorted by pi, at */
	size_t nexits, cap_exits;
	uint32_t *ops;                  /* op indexes grouped by process, time order */
	size_t *ops_first;              /* per process + 1: where its ops start (holds ops) */
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
	if (model_grow((void **)&k->segs, &k->cap, k->nsegs + 1, sizeof(*k->segs)))
		return -ENOMEM;
	k->segs[k->nsegs++] = seg;
	return 0;
}

/* First index in the waits (sorted by pid, end) with pid >= PID. */
static size_t first_wait(const struct wait_table *w, uint32_t pid)
{
	return VIZ_PARTITION(0, w->nwaits, i, w->waits[i].pid < pid);
}

/* Last wait of process index PI usable at time T, or -1. */
static long last_wait(struct walk *k, size_t pi, uint64_t t, uint64_t start)
{
	const struct wait_table *w = k->w;
	uint32_t pid = k->m->processes[pi].pid;
	size_t first = first_wait(w, pid);
	/* one past the last index with end_ns <= t */
	size_t lo = VIZ_PARTITION(first, k->limit[pi], i, w->waits[i].end_ns <= t);

	if (lo == first || w->waits[lo - 1].end_ns < start)
		return -1;
	return (long)(lo - 1);
}

/* Candidates looked at for one inferred wake-up (bounds the walk's cost
 * on a process with many). */
#define EDGE_SCAN 64

/* The inferred wake-up of process PI that ended its wait before T: among
 * those at a time in (AFTER, T], the one whose cause came last (a process
 * goes on when the last thing it waited for happened); -1 if none. */
static long last_wake_edge(struct walk *k, size_t pi, uint64_t after, uint64_t t)
{
	size_t lo = VIZ_PARTITION(k->exit_first[pi], k->exit_limit[pi], i, k->exits[i].at <= t);
	long best = -1;

	for (size_t i = lo, n = 0; i > k->exit_first[pi] && n < EDGE_SCAN; i--, n++) {
		const struct wake_edge *e = &k->exits[i - 1];
		if (e->at <= after)
			break;
		if (best < 0 || e->from > k->exits[best].from)
			best = (long)(i - 1);
	}
	return best;
}

/* When process PI went on after time E: the start of its first call that
 * returned after E, at most T. */
static uint64_t resumed_at(const struct walk *k, size_t pi, uint64_t e, uint64_t t)
{
	size_t lo = VIZ_PARTITION(k->ops_first[pi], k->ops_first[pi + 1], i,
				  k->m->ops[k->ops[i]].ts_ns < e);

	if (lo == k->ops_first[pi + 1])
		return t;
	uint64_t begin = viz_op_begin(&k->m->ops[k->ops[lo]]);
	return begin < e ? e : begin > t ? t : begin;
}

/* A child of P exited, or a signal reached it, in (AFTER, *T]: push P's
 * running and blocked segments, move to the child or the sender.  False
 * when there is none. */
static bool follow_edge(struct walk *k, const struct viz_process **p, uint64_t after,
			uint64_t *t, int *err)
{
	size_t pi = (size_t)(*p - k->m->processes);
	long c = last_wake_edge(k, pi, after, *t);

	if (c < 0)
		return false;
	const struct wake_edge *x = &k->exits[c];
	uint64_t resume = x->why == WAIT_CHILD ? resumed_at(k, pi, x->at, *t) : x->at;

	if (resume > *t)
		resume = *t;
	const struct viz_process *peer = &k->m->processes[x->peer];

	k->exit_limit[pi] = (size_t)c;
	*err = push(k, (struct path_segment){ (*p)->pid, PATH_RUNNING, 0, UINT32_MAX, 0,
					      resume, *t, 0 });
	if (!*err)
		*err = push(k, (struct path_segment){ (*p)->pid, PATH_BLOCKED, x->why,
						      x->object, peer->pid, x->from, resume,
						      x->from });
	*t = x->from;
	*p = peer;
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
		/* A poll-like wait reported readiness that was there since its
		 * wake: a child's exit or a signal after that wake (even before
		 * the call returned) may be what P went on for. */
		uint64_t after = j < 0 ? start : k->w->waits[j].call != UINT32_MAX &&
				 k->w->waits[j].peer ? k->w->waits[j].wake_ns : k->w->waits[j].end_ns;

		if (follow_edge(k, &p, after, &t, &err))
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

static int cmp_wake_edge(const void *a, const void *b)
{
	const struct wake_edge *x = a, *y = b;

	return VIZ_ORDER(x->pi, y->pi) ?: VIZ_ORDER(x->at, y->at) ?: VIZ_ORDER(x->peer, y->peer);
}

static int add_edge(struct walk *k, struct wake_edge e)
{
	if (model_grow((void **)&k->exits, &k->cap_exits, k->nexits + 1, sizeof(*k->exits)))
		return -ENOMEM;
	k->exits[k->nexits++] = e;
	return 0;
}

static uint32_t op_pid(const struct viz_model *m, size_t i)
{
	return m->ops[i].pid;
}

static uint32_t wait_call_pid(const struct viz_model *m, size_t i)
{
	return m->wait_calls[i].pid;
}

/* Items 0..N-1 (ops or wait calls, PID_OF says whose) grouped by process
 * index, each group in item order: (*IDX)[(*FIRST)[pi] .. (*FIRST)[pi + 1]).
 * *IDX lives in *FIRST's allocation: the caller frees *FIRST only.  A
 * counting sort; items of no known process are left out.  0 or -ENOMEM. */
static int group_by_process(const struct viz_model *m, size_t n,
			    uint32_t (*pid_of)(const struct viz_model *, size_t),
			    uint32_t **idx, size_t **first)
{
	size_t np = m->nprocesses, *fill = calloc(np + 1, sizeof(*fill));

	*first = calloc(1, (np + 2) * sizeof(**first) + (n + 1) * sizeof(**idx));
	if (!fill || !*first) {
		free(fill);
		return -ENOMEM;
	}
	*idx = (uint32_t *)(*first + np + 2);
	for (size_t i = 0; i < n; i++) {
		const struct viz_process *p = viz_model_process(m, pid_of(m, i));
		if (p)
			(*first)[p - m->processes + 1]++;
	}
	for (size_t i = 0; i < np; i++)
		(*first)[i + 1] += (*first)[i];
	for (size_t i = 0; i < n; i++) {
		const struct viz_process *p = viz_model_process(m, pid_of(m, i));
		if (p) {
			size_t pi = (size_t)(p - m->processes);
			(*idx)[(*first)[pi] + fill[pi]++] = (uint32_t)i;
		}
	}
	free(fill);
	return 0;
}

/* Receives that found their data ready, sent by another traced process
 * after the receiver's previous call returned (a recorded poll, select or
 * epoll wait counts: it is a wait of its own, waits.c's): it made no
 * recorded call in between, so it was most likely waiting for that data
 * in a call the trace does not see (a poll of a kind not recorded, or
 * one from before tracing).  An edge from the send's return to the
 * receive's start. */
static int collect_ready(struct walk *k)
{
	const struct viz_model *m = k->m;
	uint32_t *first = malloc((m->nops ? m->nops : 1) * sizeof(*first));
	uint32_t *polls = NULL;         /* wait calls grouped by process */
	size_t *poll_first = NULL;
	int err = 0;

	if (!first || group_by_process(m, m->nwait_calls, wait_call_pid, &polls, &poll_first)) {
		err = -ENOMEM;
		goto out;
	}
	memset(first, 0xff, (m->nops ? m->nops : 1) * sizeof(*first));
	for (size_t i = 0; i < m->ntransfers; i++)
		if (m->transfers[i].send < first[m->transfers[i].recv])
			first[m->transfers[i].recv] = m->transfers[i].send;
	for (size_t pi = 0; pi < m->nprocesses && !err; pi++) {
		uint64_t prev = m->processes[pi].start_ns;
		size_t w = poll_first[pi];
		for (size_t q = k->ops_first[pi]; q < k->ops_first[pi + 1] && !err; q++) {
			const struct viz_op *r = &m->ops[k->ops[q]];
			uint64_t begin = viz_op_begin(r);
			uint32_t s = first[k->ops[q]];
			const struct viz_process *from;

			for (; w < poll_first[pi + 1] && m->wait_calls[polls[w]].ts_ns <= begin; w++)
				if (m->wait_calls[polls[w]].ts_ns > prev)
					prev = m->wait_calls[polls[w]].ts_ns;

			if (s != UINT32_MAX && r->dir == IPCT_DIR_RECV && r->type != VIZ_OP_SIG_DELIVER &&
			    m->ops[s].pid != r->pid && m->ops[s].ts_ns > prev &&
			    m->ops[s].ts_ns <= begin && (from = viz_model_process(m, m->ops[s].pid)))
				err = add_edge(k, (struct wake_edge){ (uint32_t)pi,
					(uint32_t)(from - m->processes), begin, m->ops[s].ts_ns,
					r->object, WAIT_READY });
			prev = r->ts_ns > prev ? r->ts_ns : prev;
		}
	}
out:
	free(first);
	free(poll_first);
	return err;
}

/* The inferred wake-ups: children's exits, signals from one traced
 * process to another (transfers from a generation to a delivery), and
 * data that became ready while the receiver made no recorded call. */
static int collect_edges(struct walk *k)
{
	const struct viz_model *m = k->m;
	int err = 0;

	for (size_t i = 0; i < m->nprocesses && !err; i++) {
		const struct viz_process *p = &m->processes[i];
		const struct viz_process *parent = p->ppid ? viz_model_process(m, p->ppid) : NULL;

		if (p->exited && parent && parent != p)
			err = add_edge(k, (struct wake_edge){ (uint32_t)(parent - m->processes),
				(uint32_t)i, p->end_ns, p->end_ns, UINT32_MAX, WAIT_CHILD });
	}
	for (size_t i = 0; i < m->ntransfers && !err; i++) {
		const struct viz_op *g = &m->ops[m->transfers[i].send];
		const struct viz_op *d = &m->ops[m->transfers[i].recv];
		const struct viz_process *from, *to;

		if (d->type != VIZ_OP_SIG_DELIVER || g->pid == d->pid ||
		    !(from = viz_model_process(m, g->pid)) || !(to = viz_model_process(m, d->pid)))
			continue;
		err = add_edge(k, (struct wake_edge){ (uint32_t)(to - m->processes),
			(uint32_t)(from - m->processes), d->ts_ns,
			g->ts_ns < d->ts_ns ? g->ts_ns : d->ts_ns, d->object, WAIT_SIGNAL });
	}
	if (!err)
		err = collect_ready(k);
	if (!err && k->nexits)	/* qsort's base may not be NULL, even for 0 */
		qsort(k->exits, k->nexits, sizeof(*k->exits), cmp_wake_edge);
	return err;
}

static void walk_free(struct walk *k)
{
	free(k->limit);
	free(k->exits);
	free(k->ops_first);
}

/* The per-process tables of the walk: usable waits, children's exits
 * (each once), ops by process.  0 or -ENOMEM. */
static int walk_init(struct walk *k)
{
	const struct viz_model *m = k->m;
	size_t np = m->nprocesses;

	k->limit = malloc(3 * (np + 1) * sizeof(*k->limit));
	if (!k->limit || group_by_process(m, m->nops, op_pid, &k->ops, &k->ops_first))
		return -ENOMEM;
	k->exit_limit = k->limit + np + 1;
	k->exit_first = k->exit_limit + np + 1;
	for (size_t i = 0; i < np; i++) {
		const struct viz_process *p = &m->processes[i];
		k->limit[i] = p->pid == UINT32_MAX ? k->w->nwaits : first_wait(k->w, p->pid + 1);
	}
	if (collect_edges(k))
		return -ENOMEM;
	for (size_t i = 0, x = 0; i < np; i++) {
		k->exit_first[i] = x;
		while (x < k->nexits && k->exits[x].pi == i)
			x++;
		k->exit_limit[i] = x;
	}
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

void critical_path_by_process(const struct viz_model *m, const struct critical_path *p,
			      uint64_t *on)
{
	for (size_t i = 0; i < p->nsegs; i++) {
		const struct viz_process *proc = viz_model_process(m, p->segs[i].pid);
		if (proc)
			on[2 * (proc - m->processes) + p->segs[i].state] +=
				p->segs[i].to_ns - p->segs[i].from_ns;
	}
}

void critical_path_release(struct critical_path *p)
{
	free(p->segs);
	memset(p, 0, sizeof(*p));
}
