/*
 * proctable - see proctable.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "proctable.h"

void proctable_init(struct proctable *t)
{
	memset(t, 0, sizeof(*t));
}

void proctable_release(struct proctable *t)
{
	free(t->procs);
	free(t->index);
	memset(t, 0, sizeof(*t));
}

static size_t slot_of(const struct proctable *t, uint32_t pid)
{
	return (pid * 2654435761u) & (t->index_cap - 1);
}

/* Point PID's index slot at entry N (replacing an older entry of that pid). */
static void index_put(struct proctable *t, uint32_t pid, size_t n)
{
	size_t s = slot_of(t, pid);

	while (t->index[s] && t->procs[t->index[s] - 1].pid != pid)
		s = (s + 1) & (t->index_cap - 1);
	t->index[s] = n + 1;
}

static int index_grow(struct proctable *t)
{
	size_t cap = t->index_cap ? t->index_cap * 2 : 256;
	uint32_t *old = t->index;
	size_t old_cap = t->index_cap;

	t->index = calloc(cap, sizeof(*t->index));
	if (!t->index) {
		t->index = old;
		return -ENOMEM;
	}
	t->index_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			index_put(t, t->procs[old[i] - 1].pid, old[i] - 1);
	free(old);
	return 0;
}

struct trace_process *proctable_find(struct proctable *t, uint32_t pid)
{
	size_t s;

	if (!t->index_cap)
		return NULL;
	for (s = slot_of(t, pid); t->index[s]; s = (s + 1) & (t->index_cap - 1))
		if (t->procs[t->index[s] - 1].pid == pid)
			return &t->procs[t->index[s] - 1];
	return NULL;
}

static struct trace_process *add(struct proctable *t, uint32_t pid, uint32_t ppid,
				 const char *comm, uint64_t now)
{
	struct trace_process *p;

	if (t->nprocs == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void *n = realloc(t->procs, cap * sizeof(*t->procs));

		if (!n)
			return NULL;
		t->procs = n;
		t->cap = cap;
	}
	if ((t->nprocs + 1) * 2 > t->index_cap && index_grow(t))
		return NULL;
	p = &t->procs[t->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	if (comm)
		strncpy(p->comm, comm, sizeof(p->comm) - 1);
	p->start_ns = now;
	p->exit_status = -1;
	index_put(t, pid, t->nprocs);
	t->nprocs++;
	t->live++;
	return p;
}

int proctable_add_root(struct proctable *t, uint32_t pid, uint32_t ppid,
		       const char *comm, uint64_t now)
{
	return add(t, pid, ppid, comm, now) ? 0 : -ENOMEM;
}

/* The entry for PID, created (started before we saw it) when missing. */
static struct trace_process *get(struct proctable *t, uint32_t pid)
{
	struct trace_process *p = proctable_find(t, pid);

	return p ? p : add(t, pid, 0, NULL, 0);
}

int proctable_apply(struct proctable *t, const struct ipct_event_header *ev)
{
	struct trace_process *p;

	if (trace_event_check(ev))
		return 0;	/* too short for its type: never read past its end */
	switch (ev->type) {
	case IPCT_EV_FORK: {
		const struct ipct_fork_event *f = (const void *)ev;

		if (f->flags & IPCT_FORK_THREAD)
			return 0;
		if (!get(t, ev->pid))
			return -ENOMEM;
		p = proctable_find(t, f->child_pid);
		if (p && !(p->flags & TRACE_PROCESS_EXITED))
			return 0;	/* already known (event order) */
		return add(t, f->child_pid, ev->pid, f->comm, ev->ts_ns) ? 0 : -ENOMEM;
	}
	case IPCT_EV_EXEC: {
		const struct ipct_exec_event *x = (const void *)ev;

		p = get(t, ev->pid);
		if (!p)
			return -ENOMEM;
		memcpy(p->comm, x->comm, sizeof(p->comm));
		p->comm[sizeof(p->comm) - 1] = 0;
		p->flags |= TRACE_PROCESS_EXECED;
		return 0;
	}
	case IPCT_EV_EXIT: {
		const struct ipct_exit_event *x = (const void *)ev;

		if (!(x->flags & IPCT_EXIT_GROUP_DEAD))
			return 0;
		p = get(t, ev->pid);
		if (!p)
			return -ENOMEM;
		if (!(p->flags & TRACE_PROCESS_EXITED) && t->live)
			t->live--;
		p->end_ns = ev->ts_ns;
		p->exit_status = x->exit_code;
		p->flags |= TRACE_PROCESS_EXITED;
		return 0;
	}
	}
	return 0;
}
