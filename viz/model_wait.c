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
 * first ready one.  A streamed load hands each wait to stream_polls.c,
 * which keeps in m->wait_calls (model_wait_keep) only those whose channel
 * it cannot decide.
 */
#include "model_build.h"
#include "slots.h"
#include "stream.h"

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
	uint32_t object;
};

struct wait_build {
	struct viz_wait_call *calls;
	struct wait_key *keys;          /* parallel to calls */
	size_t ncalls, cap_calls, cap_keys;
	bool seen;                      /* a wait was read: io records are noted */
	struct epoll_reg *regs;         /* found by (ep_id, data) through reg_slots */
	size_t nregs, cap_regs;
	uint32_t *reg_slots;
	size_t nreg_slots;
	struct io_note *notes;          /* found by (kind, dev, ino, dir) through note_slots */
	size_t nnotes, cap_notes;
	uint32_t *note_slots;
	size_t nnote_slots;
};

static struct wait_build *wait_build(struct builder *b)
{
	if (!b->waits)
		b->waits = calloc(1, sizeof(*b->waits));
	return b->waits;
}

static uint64_t reg_key_hash(uint64_t ep_id, uint64_t data)
{
	return model_hash64(ep_id ^ model_hash64(data));
}

static uint64_t reg_hash(const void *arg, size_t i)
{
	const struct epoll_reg *r = &((const struct wait_build *)arg)->regs[i];

	return reg_key_hash(r->ep_id, r->data);
}

static uint64_t note_key_hash(uint8_t kind, uint32_t dev, uint64_t ino, uint8_t dir)
{
	return model_hash64(ino ^ ((uint64_t)dev << 20) ^ ((uint64_t)kind << 8) ^ dir);
}

static uint64_t note_hash(const void *arg, size_t i)
{
	const struct io_note *n = &((const struct wait_build *)arg)->notes[i];

	return note_key_hash(n->kind, n->dev, n->ino, n->dir);
}

/* The registration of (EP_ID, DATA), or NULL. */
static struct epoll_reg *reg_find(const struct wait_build *w, uint64_t ep_id, uint64_t data)
{
	size_t mask = w->nreg_slots - 1;

	if (!w->nreg_slots)
		return NULL;
	for (size_t h = reg_key_hash(ep_id, data) & mask; w->reg_slots[h]; h = (h + 1) & mask) {
		struct epoll_reg *r = &w->regs[w->reg_slots[h] - 1];

		if (r->ep_id == ep_id && r->data == data)
			return r;
	}
	return NULL;
}

/* The note of (KIND, DEV, INO, DIR), or NULL. */
static struct io_note *note_find(const struct wait_build *w, uint8_t kind, uint32_t dev,
				 uint64_t ino, uint8_t dir)
{
	size_t mask = w->nnote_slots - 1;

	if (!w->nnote_slots)
		return NULL;
	for (size_t h = note_key_hash(kind, dev, ino, dir) & mask; w->note_slots[h];
	     h = (h + 1) & mask) {
		struct io_note *n = &w->notes[w->note_slots[h] - 1];

		if (n->kind == kind && n->dev == dev && n->ino == ino && n->dir == dir)
			return n;
	}
	return NULL;
}

int model_on_epoll_ctl(struct builder *b, const struct ipct_epoll_ctl_event *ev)
{
	struct wait_build *w = wait_build(b);
	struct epoll_reg r, *old;

	if (!w)
		return -ENOMEM;
	/* ADD and MOD register data; DEL names no data: a later ADD of the
	 * same data replaces the entry */
	if (ev->ret != 0 || !ev->ep_id || (ev->op != 1 && ev->op != 3))
		return 0;
	r = (struct epoll_reg){ ev->ep_id, ev->data, ev->fd, ev->kind, ev->dev, ev->ino };
	if ((old = reg_find(w, ev->ep_id, ev->data))) {
		*old = r;
		return 0;
	}
	if (model_grow((void **)&w->regs, &w->cap_regs, w->nregs + 1, sizeof(*w->regs)))
		return -ENOMEM;
	w->regs[w->nregs] = r;
	if (slots_add(&w->reg_slots, &w->nreg_slots, 64, w->nregs, reg_hash, w))
		return -ENOMEM;
	w->nregs++;
	return 0;
}

int model_wait_note_io(struct builder *b, const struct ipct_io_event *ev, uint32_t object)
{
	struct wait_build *w = b->waits;
	struct io_note *old;

	if (!w || !w->seen)
		return 0;	/* no wait yet: nothing to resolve */
	if ((old = note_find(w, ev->kind, ev->dev, ev->ino, ev->dir))) {
		old->object = object;
		return 0;
	}
	if (model_grow((void **)&w->notes, &w->cap_notes, w->nnotes + 1, sizeof(*w->notes)))
		return -ENOMEM;
	w->notes[w->nnotes] = (struct io_note){ ev->ino, ev->dev, ev->kind, ev->dir, object };
	if (slots_add(&w->note_slots, &w->nnote_slots, 256, w->nnotes, note_hash, w))
		return -ENOMEM;
	w->nnotes++;
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
			const struct epoll_reg *r = reg_find(w, ev->ep_id, f->data);

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
	struct viz_wait_call c = {
		MODEL_CALL_FIELDS(b->m, ev),
		.ret = ev->ret,
		.syscall = ev->syscall,
		.op = ev->op,
		.nfds = ev->nfds,
		.ready_fd = fd,
		.ready_object = UINT32_MAX,
	};
	w->seen = true;
	if (b->stream) {
		b->m->stream_wait_calls++;
		return stream_poll_add(b, &c, &key);
	}
	return model_wait_keep(b, &c, &key);
}

int model_wait_keep(struct builder *b, const struct viz_wait_call *c, const struct wait_key *key)
{
	struct wait_build *w = b->waits;

	if (model_grow((void **)&w->calls, &w->cap_calls, w->ncalls + 1, sizeof(*w->calls)) ||
	    model_grow((void **)&w->keys, &w->cap_keys, w->ncalls + 1, sizeof(*w->keys)))
		return -ENOMEM;
	w->calls[w->ncalls] = *c;
	w->keys[w->ncalls++] = *key;
	return 0;
}

/* The object io records in direction DIR placed (KEY), or UINT32_MAX. */
static uint32_t noted(const struct wait_build *w, const struct wait_key *key, uint8_t dir)
{
	const struct io_note *n = note_find(w, key->kind, key->dev, key->ino, dir);

	return n ? n->object : UINT32_MAX;
}

static int cmp_call(const void *a, const void *b)
{
	const struct viz_wait_call *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

uint32_t model_wait_object(const struct builder *b, const struct wait_key *key)
{
	uint32_t o;

	if (!b->waits || key->kind == IPCT_KIND_NONE)
		return UINT32_MAX;
	o = noted(b->waits, key, IPCT_DIR_RECV);
	return o != UINT32_MAX ? o : noted(b->waits, key, IPCT_DIR_SEND);
}

void model_wait_finish(struct builder *b)
{
	struct wait_build *w = b->waits;

	if (!w)
		return;
	for (size_t i = 0; i < w->ncalls; i++)
		w->calls[i].ready_object = model_wait_object(b, &w->keys[i]);
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
	free(w->reg_slots);
	free(w->notes);
	free(w->note_slots);
	free(w);
	b->waits = NULL;
}
