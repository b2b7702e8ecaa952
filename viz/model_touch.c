/*
 * model_touch - first touches of shared pages (IPCT_EV_TOUCH) and the
 * flows they suggest (model.h struct viz_touch).
 *
 * A touch names the page by the mapping's inode and the page index in it;
 * the object is the one the process had mapped at that address (its open
 * attachment: a SysV segment, a mapped file or shm object, shared
 * anonymous memory), else the shm object of that inode.
 *
 * A page written by one process and touched later by another is a flow
 * from the writer to the toucher, counted in pages and marked estimated:
 * the tracer sees the first fault of each process on each page, never
 * the stores after it, so it cannot tell that the later toucher read what
 * the writer stored, only that it could have.  A writer is a process that
 * took a write fault on the page, or a read fault that mapped the page
 * writable (shmem: its later stores fault no more, so they may have
 * happened unseen).  Each earlier writer of the page (at most
 * TOUCH_WRITERS_MAX of them) counts.
 */
#include <stdlib.h>
#include "model_build.h"
#include "search.h"

#define TOUCH_WRITERS_MAX 64   /* earlier writers of one page joined to a touch */

int model_on_touch(struct builder *b, const struct ipct_touch_event *ev)
{
	struct viz_model *m = b->m;
	const struct viz_attachment *a = model_shm_find(b, ev->hdr.pid, ev->addr);
	long p = model_process_get(b, ev->hdr.pid), o;

	if (p < 0)
		return p;
	o = a ? (long)a->object : model_object_get_inode(b, IPCT_KIND_SHM, ev->dev, ev->ino);
	if (o < 0)
		return o;
	if (model_grow((void **)&m->touches, &b->cap_touches, m->ntouches + 1,
		       sizeof(*m->touches)))
		return -ENOMEM;
	m->touches[m->ntouches++] = (struct viz_touch){
		.ts_ns = model_relative(m, ev->hdr.ts_ns), .page = ev->page,
		.object = (uint32_t)o, .pid = ev->hdr.pid,
		.write = ev->flags & IPCT_TOUCH_WRITE,
		.writable = !(ev->flags & IPCT_TOUCH_WRITE) && (ev->flags & IPCT_TOUCH_WRITABLE),
	};
	if (ev->flags & (IPCT_TOUCH_WRITE | IPCT_TOUCH_WRITABLE))
		m->objects[o].flags |= VIZ_OBJ_WRITTEN;
	return model_object_user_add(b, (uint32_t)o, ev->hdr.pid);
}

static int cmp_touch_key(const struct viz_touch *a, const struct viz_touch *b)
{
	return VIZ_ORDER(a->object, b->object) ?: VIZ_ORDER(a->page, b->page);
}

/* By object, page, pid, access, then time: repeats sit together. */
static int cmp_touch_who(const void *x, const void *y)
{
	const struct viz_touch *a = x, *b = y;

	return cmp_touch_key(a, b) ?: VIZ_ORDER(a->pid, b->pid) ?:
	       VIZ_ORDER(a->write, b->write) ?: VIZ_ORDER(a->ts_ns, b->ts_ns);
}

/* By object, page, then time (then pid and access, for a stable order). */
static int cmp_touch_time(const void *x, const void *y)
{
	const struct viz_touch *a = x, *b = y;

	return cmp_touch_key(a, b) ?: VIZ_ORDER(a->ts_ns, b->ts_ns) ?:
	       VIZ_ORDER(a->pid, b->pid) ?: VIZ_ORDER(a->write, b->write);
}

/* Sort the touches by object, page and time, keeping the first of each
 * (object, page, pid, access). */
void model_touch_finish(struct builder *b)
{
	struct viz_model *m = b->m;
	size_t n = 0;

	if (!m->ntouches)
		return;
	qsort(m->touches, m->ntouches, sizeof(*m->touches), cmp_touch_who);
	for (size_t i = 0; i < m->ntouches; i++) {
		const struct viz_touch *t = &m->touches[i], *u = n ? &m->touches[n - 1] : NULL;

		if (!u || cmp_touch_key(u, t) || u->pid != t->pid || u->write != t->write)
			m->touches[n++] = *t;
	}
	m->ntouches = n;
	qsort(m->touches, m->ntouches, sizeof(*m->touches), cmp_touch_time);
}

/* A page passed from -> to on object. */
struct page_pass {
	uint32_t object, from, to;
	uint64_t page;
};

static int cmp_pass(const void *x, const void *y)
{
	const struct page_pass *a = x, *b = y;

	return VIZ_ORDER(a->object, b->object) ?: VIZ_ORDER(a->from, b->from) ?:
	       VIZ_ORDER(a->to, b->to) ?: VIZ_ORDER(a->page, b->page);
}

/* The passes of the page whose touches are T[0..N) (in time order) into
 * *PASSES; the same (from, to) may repeat (made unique later). */
static int page_passes(const struct viz_touch *t, size_t n, struct page_pass **passes,
		       size_t *npasses, size_t *cap)
{
	uint32_t writers[TOUCH_WRITERS_MAX];
	size_t nwriters = 0;

	for (size_t i = 0; i < n; i++) {
		bool known = false;

		for (size_t w = 0; w < nwriters; w++) {
			if (writers[w] == t[i].pid) {
				known = true;
				continue;
			}
			if (model_grow((void **)passes, cap, *npasses + 1, sizeof(**passes)))
				return -ENOMEM;
			(*passes)[(*npasses)++] = (struct page_pass){
				.object = t[i].object, .from = writers[w], .to = t[i].pid,
				.page = t[i].page,
			};
		}
		if ((t[i].write || t[i].writable) && !known && nwriters < TOUCH_WRITERS_MAX)
			writers[nwriters++] = t[i].pid;
	}
	return 0;
}

int model_touch_flows(struct viz_model *m)
{
	struct page_pass *passes = NULL;
	struct viz_flow *flows = NULL;
	size_t npasses = 0, cap = 0, nflows = 0;
	int err = 0;

	for (size_t i = 0, j; i < m->ntouches; i = j) {
		for (j = i + 1; j < m->ntouches && m->touches[j].object == m->touches[i].object &&
		     m->touches[j].page == m->touches[i].page; j++)
			;
		if ((err = page_passes(&m->touches[i], j - i, &passes, &npasses, &cap)))
			goto out;
	}
	if (!npasses)
		goto out;
	qsort(passes, npasses, sizeof(*passes), cmp_pass);
	flows = calloc(npasses, sizeof(*flows));
	if (!flows) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < npasses; i++) {
		const struct page_pass *p = &passes[i];
		struct viz_flow *f = nflows ? &flows[nflows - 1] : NULL;

		if (!f || f->object != p->object || f->from != p->from || f->to != p->to) {
			f = &flows[nflows++];
			/* no send op: first_send past every op, as a counted flow's */
			*f = (struct viz_flow){ .object = p->object, .from = p->from, .to = p->to,
						.first_send = UINT32_MAX >> 1, .estimated = true,
						.touched = true };
		} else if (passes[i - 1].page == p->page) {
			continue;	/* the same page, touched for reading and writing */
		}
		f->messages++;
	}
	err = model_append_flows(m, flows, nflows);
out:
	free(passes);
	free(flows);
	return err;
}
