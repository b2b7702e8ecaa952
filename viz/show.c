/*
 * show - what the pictures and the text report show by default, decided
 * once on the model (model.h, docs/pictures.md "What is shown").
 *
 *   a channel is shown when data or a synchronisation passed between two
 *     different processes through it: a transfer from one process to
 *     another (not a SIGCHLD that only reports a child's exit), or shared
 *     memory that two processes had mapped and one could write through;
 *   a file no traced process wrote into, a mapping nobody could write
 *     through, and (when page touches were recorded) a mapping nobody
 *     wrote into, are not communication (VIZ_OBJ_NOT_COMM); nor is the
 *     mapping of a named POSIX semaphore (glibc's /dev/shm/sem.NAME): its
 *     one word is the semaphore, whose hand-offs its sem channel ("futex
 *     in /dev/shm/sem.NAME") shows;
 *   a process is shown when it used a shown channel, is the traced
 *     command, or is an ancestor of a shown process (it connects them).
 * The rest folds: the pictures draw `+N processes` under the nearest
 * shown ancestor, unless --all (m->show_all).  report.json keeps all of it
 * and marks what is folded.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* Does summed flow F (streamed, counted or from page touches, which
 * stand for their transfers) carry communication? */
static bool summed_communicates(const struct viz_flow *f)
{
	return viz_flow_summed(f) && f->from != f->to && !f->exit_report;
}

/* Is O the mapping of a named POSIX semaphore (sem_open)? */
static bool named_semaphore(const struct viz_object *o)
{
	static const char prefix[] = "/dev/shm/sem.";

	return !strncmp(o->name, prefix, sizeof(prefix) - 1);
}

bool viz_op_exit_report(const struct viz_op *s)
{
	return s->type == VIZ_OP_SIG_GENERATE && s->u.sig.sig == SIGCHLD &&
	       s->u.sig.code >= 1 && s->u.sig.code <= 3;
}

bool viz_transfer_communicates(const struct viz_model *m, const struct viz_transfer *t)
{
	const struct viz_op *s = &m->ops[t->send], *r = &m->ops[t->recv];

	return s->pid != r->pid && !viz_op_exit_report(s);
}

/* Objects: NOT_COMM and SHOWN. */
static void decide_objects(struct viz_model *m)
{
	for (size_t i = 0; i < m->nobjects; i++) {
		struct viz_object *o = &m->objects[i];

		o->flags &= ~VIZ_OBJ_SHOWN;
		if (o->kind == IPCT_KIND_FILE && o->sent_bytes == 0)
			o->flags |= VIZ_OBJ_NOT_COMM;
	}
	for (size_t i = 0; i < m->ntransfers; i++) {
		struct viz_object *o = &m->objects[m->ops[m->transfers[i].send].object];

		if (!(o->flags & VIZ_OBJ_SHOWN) && viz_transfer_communicates(m, &m->transfers[i]))
			o->flags |= VIZ_OBJ_SHOWN;
	}
	/* Streamed and counted flows stand for their transfers. */
	for (size_t i = 0; i < m->nflows; i++)
		if (summed_communicates(&m->flows[i]))
			m->objects[m->flows[i].object].flags |= VIZ_OBJ_SHOWN;
	/* Shared memory: attachments are sorted by object, then pid. */
	for (size_t i = 0; i < m->nattachments;) {
		uint32_t object = m->attachments[i].object, pids = 0, last = 0;
		bool writable = false;

		for (; i < m->nattachments && m->attachments[i].object == object; i++) {
			writable |= m->attachments[i].writable;
			if (!pids || m->attachments[i].pid != last)
				pids++;
			last = m->attachments[i].pid;
		}
		if (!writable || named_semaphore(&m->objects[object]) ||
		    (m->shm_touches && !(m->objects[object].flags & VIZ_OBJ_WRITTEN)))
			m->objects[object].flags |= VIZ_OBJ_NOT_COMM;
		else if (pids >= 2)
			m->objects[object].flags |= VIZ_OBJ_SHOWN;
	}
	for (size_t i = 0; i < m->nobjects; i++)
		if (m->objects[i].flags & VIZ_OBJ_NOT_COMM)
			m->objects[i].flags &= ~VIZ_OBJ_SHOWN;
}

int viz_model_decide_shown(struct viz_model *m)
{
	decide_objects(m);
	for (size_t i = 0; i < m->nflows; i++)
		m->flows[i].shown = false;
	for (size_t i = 0; i < m->ntransfers; i++) {
		struct viz_flow *f = viz_flow_of(m, &m->transfers[i]);

		if (f && !f->shown && viz_transfer_communicates(m, &m->transfers[i]) &&
		    (m->objects[f->object].flags & VIZ_OBJ_SHOWN))
			f->shown = true;
	}
	for (size_t i = 0; i < m->nflows; i++) {
		struct viz_flow *f = &m->flows[i];
		if (summed_communicates(f) && (m->objects[f->object].flags & VIZ_OBJ_SHOWN))
			f->shown = true;
	}
	for (size_t i = 0; i < m->nprocesses; i++)
		m->processes[i].shown = m->processes[i].pid == m->meta.root_pid;
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];

		if (!(o->flags & VIZ_OBJ_SHOWN))
			continue;
		for (size_t u = 0; u < o->nusers; u++) {
			const struct viz_process *p = viz_model_process(m, o->users[u]);
			if (p)
				m->processes[p - m->processes].shown = true;
		}
	}
	/* Ancestors connect: walk up from each shown process (at most n steps,
	 * a corrupt table may hold a cycle). */
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];

		if (!p->shown)
			continue;
		for (size_t steps = 0; p->ppid && steps < m->nprocesses; steps++) {
			struct viz_process *q = (struct viz_process *)viz_model_process(m, p->ppid);
			if (!q || q->shown)
				break;
			q->shown = true;
			p = q;
		}
	}
	m->nfolded = 0;
	for (size_t i = 0; i < m->nprocesses; i++)
		m->nfolded += !m->processes[i].shown;
	return 0;
}
