/*
 * stream_polls - the waits for descriptors (poll, select, epoll_wait and
 * kin) of a streamed load, decided as the file is read and summed into
 * the waits (m->stream_waits) as waits.c's classify_call() decides them:
 *
 * - its ready channel is the object the io records on its descriptor
 *   were placed in (model_wait.c), as far as they were read;
 * - the receive after it is the first its process made on that channel
 *   that returned at or after the wait did and within QSIM_HORIZON_NS of
 *   it: streamed receives come here in time order (stream_poll_recv());
 * - that receive is fed by the send of its first byte, if that send
 *   returned within QSIM_HORIZON_NS of the receive (stream_poll_fed()).
 *
 * So a wait is kept only while undecided: until its receive came and was
 * fed, or until the stream's time passed QSIM_HORIZON_NS after the wait
 * (no receive after it) or twice that after its receive (nothing fed
 * it).  At most PENDING_MAX are kept; past that the oldest is decided
 * with what is known and counts in m->stream_dropped.  A wait whose
 * channel is not streamed, or not known yet when it is decided, is kept
 * whole in m->wait_calls for waits.c.  The sink (timeline_stream.c) gets
 * every wait as it leaves, in file order.
 */
#include <errno.h>
#include <stdlib.h>
#include "hot.h"
#include "slots.h"
#include "stream_internal.h"

/* A wait for descriptors not decided yet. */
struct poll_pend {
	struct viz_wait_call c;
	struct wait_key key;
	uint64_t recv_ts, send_ts;     /* its receive's return, the feeding send's */
	uint32_t send_pid;
	uint32_t next;                 /* OPEN: the next open wait of its pid, seq + 1 */
	uint32_t same;                 /* LINKED: the previous wait with the same receive */
	uint8_t state;                 /* enum poll_state */
};

enum poll_state { POLL_OPEN, POLL_LINKED, POLL_FED, POLL_EOF, POLL_DONE };

static bool pid_eq(const void *ctx, uint32_t i, const void *key)
{
	return ((const struct stream_state *)ctx)->poll_pids[i].pid == *(const uint32_t *)key;
}

static uint64_t pid_hash_at(const void *arg, size_t i)
{
	return model_hash64(((const struct stream_state *)arg)->poll_pids[i].pid);
}

/* PID's open waits; NULL when PID never waited. */
static struct poll_pid *poll_pid_find(const struct stream_state *s, uint32_t pid)
{
	if (!s->npid_slots)
		return NULL;
	uint32_t *slot = slots_find(s->pid_slots, s->npid_slots, model_hash64(pid), pid_eq, s, &pid);
	return *slot ? &s->poll_pids[*slot - 1] : NULL;
}

/* PID's open waits, made the first time; NULL when out of memory. */
static struct poll_pid *poll_pid_get(struct stream_state *s, uint32_t pid)
{
	struct poll_pid *pp = poll_pid_find(s, pid);

	if (pp)
		return pp;
	if (model_grow((void **)&s->poll_pids, &s->cap_poll_pids, s->npoll_pids + 1,
		       sizeof(*s->poll_pids)))
		return NULL;
	s->poll_pids[s->npoll_pids] = (struct poll_pid){ pid, 0, 0 };
	if (slots_add(&s->pid_slots, &s->npid_slots, 64, s->npoll_pids, pid_hash_at, s))
		return NULL;
	return &s->poll_pids[s->npoll_pids++];
}

/* The wait numbered SEQ + 1 (a note), or NULL when it is decided and gone. */
static struct poll_pend *poll_at(const struct stream_state *s, uint32_t note)
{
	uint32_t i = note - 1 - (uint32_t)s->poll_base;

	return note && i < s->polls.n ? ring_at(&s->polls, i) : NULL;
}

/* Take P (open, the first of its pid's) off its pid's list. */
static void poll_unlist(struct stream_state *s, struct poll_pend *p, uint32_t note)
{
	struct poll_pid *pp = poll_pid_find(s, p->c.pid);     /* listed: found */
	uint32_t *at = &pp->head, prev = 0;

	while (*at && *at != note) {
		prev = *at;
		at = &poll_at(s, *at)->next;
	}
	if (!*at)
		return;
	*at = p->next;
	if (pp->tail == note)
		pp->tail = prev;
}

/* Sum wait P, its channel OBJECT, into the waits. */
static int poll_sum(struct builder *b, struct poll_pend *p, uint32_t object)
{
	struct viz_model *m = b->m;
	uint64_t begin = p->c.ts_ns > p->c.duration_ns ? p->c.ts_ns - p->c.duration_ns : 0;
	struct wait_group k = { .pid = p->c.pid, .object = object, .syscall = p->c.syscall };

	if (!viz_kind_waits(m->objects[object].kind))
		return 0;
	if (p->state == POLL_FED && p->send_ts <= begin)
		return 0;       /* the data was there when the wait began */
	if (p->state == POLL_FED)
		k.peer = p->send_pid;
	if (p->state != POLL_EOF)
		return stream_wait_add(b, &k, p->c.ts_ns - begin);
	struct viz_eof_read e = { p->c.pid, object, p->c.syscall, true, begin, p->c.ts_ns };
	return stream_eof_add(b, &e);
}

/* Decide wait P with what is known. */
static int poll_decide(struct builder *b, struct poll_pend *p)
{
	uint32_t object = p->c.ready_object;
	int err;

	if (p->state == POLL_DONE)
		return 0;
	if (p->state == POLL_OPEN)
		object = model_wait_object(b, &p->key);
	p->c.ready_object = object;
	bool streamed = object != UINT32_MAX && (b->m->objects[object].flags & VIZ_OBJ_STREAMED);
	bool woke = p->c.ret > 0 && p->c.duration_ns && p->key.kind != IPCT_KIND_NONE;
	if (woke && !streamed) {
		p->state = POLL_DONE;
		return model_wait_keep(b, &p->c, &p->key);      /* waits.c decides */
	}
	if (woke && (err = poll_sum(b, p, object)))
		return err;
	p->state = POLL_DONE;
	return 0;
}

/* Decide the first wait (DROPPED: given up for room) and hand it to the
 * sink: in file order, which is time order on each thread. */
static int poll_pop(struct builder *b, bool dropped)
{
	struct stream_state *s = b->stream;
	const struct stream_sink *sink = s->sink;
	struct poll_pend *p = ring_at(&s->polls, 0);
	int err;

	if (p->state != POLL_DONE && dropped)
		b->m->stream_dropped++;
	if (p->state == POLL_OPEN)
		poll_unlist(s, p, (uint32_t)s->poll_base + 1);
	if ((err = poll_decide(b, p)))
		return err;
	if (sink && sink->wait && (err = sink->wait(sink->ctx, b->m, &p->c)))
		return err;
	ring_pop(&s->polls);
	s->poll_base++;
	return 0;
}

int stream_poll_add(struct builder *b, const struct viz_wait_call *c, const struct wait_key *key)
{
	struct stream_state *s = b->stream;
	struct poll_pend *p;
	int err;

	if (s->polls.n >= PENDING_MAX && (err = poll_pop(b, true)))
		return err;
	s->polls.size = sizeof(struct poll_pend);
	if (!(p = ring_push(&s->polls)))
		return -ENOMEM;
	*p = (struct poll_pend){ .c = *c, .key = *key, .state = POLL_OPEN };
	if (c->ret <= 0 || !c->duration_ns || key->kind == IPCT_KIND_NONE)
		return poll_decide(b, p);       /* nothing came ready: no receive to wait for */
	/* into its pid's list in time order: from the back, where it
	 * nearly always goes */
	uint32_t note = (uint32_t)(s->poll_base + s->polls.n);
	struct poll_pid *pp = poll_pid_get(s, c->pid);
	if (!pp)
		return -ENOMEM;
	if (!pp->tail || poll_at(s, pp->tail)->c.ts_ns <= c->ts_ns) {
		if (pp->tail)
			poll_at(s, pp->tail)->next = note;
		else
			pp->head = note;
		pp->tail = note;
		return 0;
	}
	uint32_t *at = &pp->head;
	while (poll_at(s, *at)->c.ts_ns <= c->ts_ns)
		at = &poll_at(s, *at)->next;
	p->next = *at;
	*at = note;
	return 0;
}

int stream_poll_recv(struct builder *b, const struct viz_op *op, struct pend_recv *r)
{
	struct stream_state *s = b->stream;
	struct poll_pid *pp;
	uint32_t note;
	int err;

	if (!(pp = poll_pid_find(s, op->pid)))
		return 0;       /* PID never waited */
	for (note = pp->head; note;) {
		struct poll_pend *p = poll_at(s, note);
		uint32_t next = p->next;

		if (p->c.ts_ns > op->ts_ns)
			break;          /* the list is in time order: none after it either */
		if (op->ts_ns - p->c.ts_ns <= QSIM_HORIZON_NS &&
		    model_wait_object(b, &p->key) == op->object) {
			poll_unlist(s, p, note);
			p->c.ready_object = op->object;
			p->recv_ts = op->ts_ns;
			p->state = stream_eof_read(b->m, op) ? POLL_EOF : POLL_LINKED;
			if (p->state == POLL_EOF || !r) {
				if ((err = poll_decide(b, p)))
					return err;
			} else {
				p->same = r->note;
				r->note = note;
			}
		}
		note = next;
	}
	return 0;
}

int stream_poll_fed(struct builder *b, uint32_t note, const struct viz_op *send)
{
	struct poll_pend *p;
	int err;

	for (; (p = poll_at(b->stream, note)) && p->state == POLL_LINKED; note = p->same) {
		if (send->ts_ns - p->recv_ts <= QSIM_HORIZON_NS || send->ts_ns < p->recv_ts) {
			p->state = POLL_FED;
			p->send_ts = send->ts_ns;
			p->send_pid = send->pid;
		}
		if ((err = poll_decide(b, p)))
			return err;
	}
	return 0;
}

int stream_polls_advance(struct builder *b, uint64_t now, bool all)
{
	struct stream_state *s = b->stream;
	int err;

	while (s->polls.n) {
		const struct poll_pend *p = ring_at(&s->polls, 0);

		if (!all && ((p->state == POLL_OPEN && now <= p->c.ts_ns + QSIM_HORIZON_NS) ||
			     (p->state == POLL_LINKED && now <= p->recv_ts + 2 * QSIM_HORIZON_NS)))
			break;
		if ((err = poll_pop(b, false)))
			return err;
	}
	return 0;
}
