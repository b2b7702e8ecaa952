/*
 * model_blocked - socket calls that blocked without moving data, kept for
 * the timeline's blocks (struct viz_blocked in model.h): accept and
 * connect.  (Waits in poll, select and epoll are model_wait.c's.)
 */
#include <errno.h>
#include <stdlib.h>
#include "model_build.h"

static int blocked_add(struct builder *b, const struct ipct_event_header *hdr,
		       const struct viz_blocked *call)
{
	struct viz_model *m = b->m;
	int err = model_grow((void **)&m->blocked, &b->cap_blocked, m->nblocked + 1,
			     sizeof(*m->blocked));

	if (err)
		return err;
	if (model_process_get(b, hdr->pid) < 0)
		return -ENOMEM;
	m->blocked[m->nblocked] = *call;
	m->blocked[m->nblocked].ts_ns = model_relative(m, hdr->ts_ns);
	m->blocked[m->nblocked].pid = hdr->pid;
	m->blocked[m->nblocked].tid = hdr->tid;
	m->nblocked++;
	return 0;
}

int model_on_blocked_sock(struct builder *b, const struct ipct_sock_event *ev)
{
	struct viz_blocked call = {
		.duration_ns = ev->duration_ns,
		.ret = ev->ret,
		.syscall = ev->syscall,
		.kind = ev->kind < IPCT_KIND_MAX ? ev->kind : IPCT_KIND_NONE,
	};

	if (ev->op != IPCT_SOCK_ACCEPT && ev->op != IPCT_SOCK_CONNECT)
		return 0;
	return blocked_add(b, &ev->hdr, &call);
}
