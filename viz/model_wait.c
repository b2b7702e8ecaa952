/*
 * model_wait - the waits for descriptors (poll, select, epoll_wait and
 * kin: IPCT_EV_WAIT) as m->wait_calls, each with the channel whose
 * readiness ended it.
 *
 * A wait record names each ready descriptor's object as an io record
 * does (kind, dev, ino; a unix socket by its id), and an epoll wait names
 * its ready events by their data, which the epoll_ctl records
 * (IPCT_EV_EPOLL_CTL) registered with a descriptor and object.  The model
 * object of (kind, dev, ino) is the one the io records on it were given
 * (a stream socket's object joins both ends), so model.c tells this file
 * the object of each data call (model_wait_note_io) once a wait was seen,
 * and the objects are filled in when all events are read.  The ready
 * descriptor kept is the first that leads to an IPC object, else the
 * first ready one.
 */
#include "model_build.h"

/* An epoll registration: (instance, data) -> descriptor and object. */
struct epoll_reg {
	uint64_t ep_id, data;
	int32_t fd;
	uint8_t kind;
	uint32_t dev;
	uint64_t ino;
};

/* What io records on (kind, dev, ino) in direction dir were placed in. */
struct io_note {
	uint64_t ino;
	uint32_t dev;
	uint8_t kind, dir;
	uint32_t object;         /* + 1; 0: empty slot */
};

/* A wait whose ready object is still to be found. */
struct wait_key {
	uint64_t ino;
	uint32_t dev;
	uint8_t kind;
};

struct wait_build {
	struct viz_wait_call *calls;
	struct wait_key *keys;          /* parallel to calls */
	size_t ncalls, cap_calls;
	struct epoll_reg *regs;         /* open addressing on (ep_id, data) */
	size_t nreg_slots, nregs;
	struct io_note *notes;          /* open addressing on (kind, dev, ino, dir) */
	size_t nnote_slots, nnotes;
};

static struct wait_build *wait_build(struct builder *b)
{
	if (!b->waits)
		b->waits = calloc(1, sizeof(*b->waits));
	return b->waits;
}

static size_t reg_slot(const struct wait_build *w, uint64_t ep_id, uint64_t data)
{
	size_t mask = w->nreg_slots - 1, h = model_hash64(ep_id ^ model_hash64(data)) & mask;

	while (w->regs[h].ep_id && (w->regs[h].ep_id != ep_id || w->regs[h].data != data))
		h = (h + 1) & mask;
	return h;
}

static int reg_grow(struct wait_build *w)
{
	struct epoll_reg *old = w->regs;
	size_t n = w->nreg_slots;

	if (w->nregs * 2 < n)
		return 0;
	w->nreg_slots = n ? n * 2 : 64;
	w->regs = calloc(w->nreg_slots, sizeof(*w->regs));
	if (!w->regs) {
		w->regs = old;
		w->nreg_slots = n;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (old[i].ep_id)
			w->regs[reg_slot(w, old[i].ep_id, old[i].data)] = old[i];
	free(old);
	return 0;
}

int model_on_epoll_ctl(struct builder *b, const struct ipct_epoll_ctl_event *ev)
{
	struct wait_build *w = wait_build(b);
	size_t h;

	if (!w)
		return -ENOMEM;
	/* ADD and MOD register data; DEL names no data: a later ADD of the
	 * same data replaces the entry */
	if (ev->ret != 0 || !ev->ep_id || (ev->op != 1 && ev->op != 3))
		return 0;
	if (reg_grow(w))
		return -ENOMEM;
	h = reg_slot(w, ev->ep_id, ev->data);
	if (!w->regs[h].ep_id)
		w->nregs++;
	w->regs[h] = (struct epoll_reg){ ev->ep_id, ev->data, ev->fd, ev->kind, ev->dev, ev->ino };
	return 0;
}

static size_t note_slot(const struct wait_build *w, uint8_t kind, uint32_t dev, uint64_t ino,
			uint8_t dir)
{
	size_t mask = w->nnote_slots - 1;
	size_t h = model_hash64(ino ^ ((uint64_t)dev << 20) ^ ((uint64_t)kind << 8) ^ dir) & mask;

	while (w->notes[h].object && (w->notes[h].ino != ino || w->notes[h].dev != dev ||
				      w->notes[h].kind != kind || w->notes[h].dir != dir))
		h = (h + 1) & mask;
	return h;
}

int model_wait_note_io(struct builder *b, const struct ipct_io_event *ev, uint32_t object)
{
	struct wait_build *w = b->waits;
	size_t h;

	if (!w || !w->ncalls)
		return 0;	/* no wait yet: nothing to resolve */
	if (w->nnotes * 2 >= w->nnote_slots) {
		struct io_note *old = w->notes;
		size_t n = w->nnote_slots;

		w->nnote_slots = n ? n * 2 : 256;
		w->notes = calloc(w->nnote_slots, sizeof(*w->notes));
		if (!w->notes) {
			w->notes = old;
			w->nnote_slots = n;
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			if (old[i].object)
				w->notes[note_slot(w, old[i].kind, old[i].dev, old[i].ino,
						   old[i].dir)] = old[i];
		free(old);
	}
	h = note_slot(w, ev->kind, ev->dev, ev->ino, ev->dir);
	if (!w->notes[h].object)
		w->nnotes++;
	w->notes[h] = (struct io_note){ ev->ino, ev->dev, ev->kind, ev->dir, object + 1 };
	return 0;
}

int model_on_wait(struct builder *b, const struct ipct_wait_event *ev)
{
	struct wait_build *w = wait_build(b);
	uint32_t n = ev->nrecorded < IPCT_WAIT_FDS_MAX ? ev->nrecorded : IPCT_WAIT_FDS_MAX;
	struct wait_key key = { 0, 0, IPCT_KIND_NONE };
	int32_t fd = -1;
	long p;

	if (!w)
		return -ENOMEM;
	if ((p = model_process_get(b, ev->hdr.pid)) < 0)
		return p;
	for (uint32_t i = 0; i < n && ev->ret > 0; i++) {
		const struct ipct_wait_fd *f = &ev->fds[i];
		struct wait_key k = { f->ino, f->dev, f->kind };
		int32_t this_fd = f->fd;

		if (!f->revents)
			continue;
		if (ev->op == IPCT_WAIT_EPOLL) {
			const struct epoll_reg *r = NULL;

			if (w->nreg_slots) {
				r = &w->regs[reg_slot(w, ev->ep_id, f->data)];
				if (!r->ep_id)
					r = NULL;
			}
			this_fd = r ? r->fd : -1;
			k = r ? (struct wait_key){ r->ino, r->dev, r->kind } : (struct wait_key){ 0, 0, 0 };
		}
		if (fd < 0 && this_fd >= 0)
			fd = this_fd;
		if (k.kind != IPCT_KIND_NONE && k.kind < IPCT_KIND_MAX && k.ino) {
			fd = this_fd;
			key = k;
			break;
		}
	}
	if (model_grow((void **)&w->calls, &w->cap_calls, w->ncalls + 1, sizeof(*w->calls)))
		return -ENOMEM;
	{
		size_t cap = w->cap_calls;
		void *nk = realloc(w->keys, cap * sizeof(*w->keys));

		if (!nk)
			return -ENOMEM;
		w->keys = nk;
	}
	w->calls[w->ncalls] = (struct viz_wait_call){
		.ts_ns = model_relative(b->m, ev->hdr.ts_ns),
		.duration_ns = ev->duration_ns,
		.pid = ev->hdr.pid,
		.tid = ev->hdr.tid,
		.ret = ev->ret,
		.syscall = ev->syscall,
		.op = ev->op,
		.nfds = ev->nfds,
		.ready_fd = fd,
		.ready_object = UINT32_MAX,
	};
	w->keys[w->ncalls++] = key;
	return 0;
}

/* The object io records in direction DIR placed (KEY), or UINT32_MAX. */
static uint32_t noted(const struct wait_build *w, const struct wait_key *key, uint8_t dir)
{
	size_t h;

	if (!w->nnote_slots)
		return UINT32_MAX;
	h = note_slot(w, key->kind, key->dev, key->ino, dir);
	return w->notes[h].object ? w->notes[h].object - 1 : UINT32_MAX;
}

static int cmp_call(const void *a, const void *b)
{
	const struct viz_wait_call *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

void model_wait_finish(struct builder *b)
{
	struct wait_build *w = b->waits;

	if (!w)
		return;
	for (size_t i = 0; i < w->ncalls; i++) {
		if (w->keys[i].kind == IPCT_KIND_NONE)
			continue;
		w->calls[i].ready_object = noted(w, &w->keys[i], IPCT_DIR_RECV);
		if (w->calls[i].ready_object == UINT32_MAX)
			w->calls[i].ready_object = noted(w, &w->keys[i], IPCT_DIR_SEND);
	}
	if (w->ncalls)
		qsort(w->calls, w->ncalls, sizeof(*w->calls), cmp_call);
	b->m->wait_calls = w->calls;
	b->m->nwait_calls = w->ncalls;
	w->calls = NULL;
	model_wait_release(b);
}

void model_wait_release(struct builder *b)
{
	struct wait_build *w = b->waits;

	if (!w)
		return;
	free(w->calls);
	free(w->keys);
	free(w->regs);
	free(w->notes);
	free(w);
	b->waits = NULL;
}
