/*
 * stream - match byte streams while the trace is read (stream.h), so the
 * model of a long trace holds what is in flight, not the history.
 *
 * The ops of pipes, FIFOs and stream sockets pass through a reorder window
 * of REORDER_WINDOW ops, which gives them back in the order the full load
 * sorts them to (time, then file order); an op that comes later than the
 * window allows is counted in m->stream_late.  Each channel direction then
 * keeps two queues: the sends not yet read and the receives not yet
 * explained.  The walk over their heads is the one of match_byte_stream()
 * (match.c): it takes the smaller of what is left of both, and drops a
 * receive whose send began after it had returned; a receive that meets an
 * empty send queue waits for the next send, as the whole-history walk
 * would find it.  Each overlap adds to the flow (object, from, to): bytes,
 * one message per send and receiving process, and the delivery latency.
 * A queue past PENDING_MAX (a reader or writer the trace does not see)
 * gives up its oldest entry: counted in m->stream_dropped, and a dropped
 * receive's bytes are unmatched.
 *
 * Semaphores, files and signals take other walks with the same aggregates
 * (stream_sync.c, stream_file.c, stream_signal.c), and the message kinds (datagram sockets, message queues, eventfd) the
 * simulated queue of the whole-history matcher (stream_queue.c).
 *
 * Per (object, direction), the calls are summed in m->calls with their
 * durations (call_summary.c), and per (process, object, direction) the
 * bytes in m->op_sums, for the graph's edges (stream_flows.c).
 */
#include <stdio.h>
#include <sys/socket.h>
#include "hot.h"
#include "stream_internal.h"

/* ---- small containers ---- */

int stream_grow_zero(void **p, size_t *cap, size_t need, size_t size)
{
	size_t old = *cap;
	int err = model_grow(p, cap, need, size);

	if (!err && *cap > old)
		memset((char *)*p + old * size, 0, (*cap - old) * size);
	return err;
}

struct kept_object *stream_kept_object(struct stream_state *s, uint32_t object)
{
	if (stream_grow_zero((void **)&s->objs, &s->cap_objs, (size_t)object + 1,
			     sizeof(*s->objs)))
		return NULL;
	return &s->objs[object];
}

/* ---- matching ---- */

/* One more latency LAT into a flow's sum *SUM of *N, longest *MAX. */
static void lat_add(uint64_t *sum, uint64_t *n, uint64_t *max, uint64_t lat)
{
	*sum += lat;
	(*n)++;
	if (lat > *max)
		*max = lat;
}

int stream_transfer(struct builder *b, struct chan *c, struct pend_send *send,
		    struct pend_recv *r, uint64_t bytes)
{
	/* a semaphore's releases: each one a delivery */
	bool each = b->m->objects[send->op.object].kind == IPCT_KIND_SEM;
	int err = stream_wait_fed(b, r, &send->op, send->op.object);

	if (err)
		return err;
	struct viz_flow *f = stream_flow_get(b, c, send, r->pid, &err);
	bool seen = false;

	if (!f)
		return err;
	/* two-way channels match each direction apart: an earlier send of
	 * the other direction may deliver later */
	uint32_t sample = f->first_send & ~VIZ_FLOW_SAMPLE;
	const struct viz_op *first = &b->m->samples[sample];
	if ((send->op.ts_ns < first->ts_ns ||
	     (send->op.ts_ns == first->ts_ns && send->seq < b->stream->sample_seq[sample])) &&
	    (err = stream_sample_set(b, sample, send)))
		return err;
	if (!send->nto || each) {
		/* the send's first delivery: a latency sample (latency.c) */
		uint64_t lat = r->ts_ns > send->op.ts_ns ? r->ts_ns - send->op.ts_ns : 0;
		if ((err = summary_add_value(&b->m->flow_lat[sample], lat)) ||
		    (err = summary_add_value(&b->m->chan_lat[send->op.object], lat)))
			return err;
	}
	for (unsigned i = 0; i < send->nto; i++)
		seen |= send->to[i] == r->pid;
	if (!seen || each) {
		f->messages++;
		if (send->nto < SEND_TO_MAX)
			send->to[send->nto++] = r->pid;
	}
	f->bytes += bytes;
	/* a signal: which one; a SIGCHLD exit report's latency apart (graph_edges.c) */
	bool report = viz_op_exit_report(&send->op);
	viz_flow_add_signal(f, &send->op);
	if (report)
		f->reports++;
	else if (send->op.type == VIZ_OP_SIG_GENERATE && send->op.u.sig.sig - 1u < 64)
		f->comm_signals |= 1ull << (send->op.u.sig.sig - 1);
	const struct stream_sink *sink = b->stream->sink;
	if (sink && sink->transfer) {
		struct viz_op recv = { .ts_ns = r->ts_ns, .pid = r->pid, .tid = r->tid };
		if ((err = sink->transfer(sink->ctx, b->m, &send->op, send->seq, &recv, r->seq,
					  bytes)))
			return err;
	}
	if (r->ts_ns >= send->op.ts_ns) {
		uint64_t lat = r->ts_ns - send->op.ts_ns;
		if (report)
			lat_add(&f->report_lat_sum_ns, &f->report_lat_n, &f->report_lat_max_ns, lat);
		else
			lat_add(&f->lat_sum_ns, &f->lat_n, &f->lat_max_ns, lat);
	}
	return 0;
}

/* Walk the heads of C's queues as far as they go. */
static int chan_walk(struct builder *b, struct chan *c, struct viz_object *obj)
{
	while (c->recvs.n && c->sends.n) {
		struct pend_recv *r = ring_at(&c->recvs, 0);
		struct pend_send *sd = ring_at(&c->sends, 0);
		uint64_t end = r->ts_ns;

		if (viz_op_begin(&sd->op) > end) {
			obj->unmatched_bytes += r->left;   /* nothing traced wrote them */
			ring_pop(&c->recvs);
			continue;
		}
		uint64_t bytes = sd->left < r->left ? sd->left : r->left;
		int err = stream_transfer(b, c, sd, r, bytes);
		if (err)
			return err;
		sd->left -= bytes;
		r->left -= bytes;
		if (!sd->left)
			ring_pop(&c->sends);
		if (!r->left)
			ring_pop(&c->recvs);
	}
	return 0;
}

struct chan *stream_chan_get(struct stream_state *s, size_t k)
{
	if (k < s->cap_chans && s->chans[k])
		return s->chans[k];
	if (stream_grow_zero((void **)&s->chans, &s->cap_chans, k + 1, sizeof(*s->chans)))
		return NULL;
	if (!s->chans[k]) {
		s->chans[k] = calloc(1, sizeof(**s->chans));
		if (!s->chans[k])
			return NULL;
		s->chans[k]->sends.size = sizeof(struct pend_send);
		s->chans[k]->recvs.size = sizeof(struct pend_recv);
	}
	return s->chans[k];
}

/* Match one op (in time order) of a streamed object. */
static int match_op(struct builder *b, struct chan *c, const struct held *h)
{
	const struct viz_op *op = &h->op;
	struct viz_model *m = b->m;
	struct viz_object *obj = &m->objects[op->object];
	uint64_t len = op->ret > 0 ? (uint64_t)op->ret : 0;
	int err;

	if (op->dir == IPCT_DIR_RECV && (!len || (op->flags & IPCT_IO_PEEK)) &&
	    (err = stream_poll_recv(b, op, NULL)))
		return err;
	if (!len)
		return stream_wait_empty(b, op);  /* moves nothing: the walk skips it */
	if (op->dir == IPCT_DIR_RECV && (op->flags & IPCT_IO_PEEK))
		return 0;
	if (op->dir == IPCT_DIR_SEND) {
		obj->sent_bytes += len;
		struct pend_send *sd = ring_push(&c->sends);
		if (!sd)
			return -ENOMEM;
		sd->op = *op;
		sd->seq = h->seq;
		sd->left = len;
		sd->nto = 0;
		memcpy(sd->data, h->data, op->payload_len);
		if (c->sends.n > PENDING_MAX) {
			ring_pop(&c->sends);
			m->stream_dropped++;
		}
	} else {
		obj->received_bytes += len;
		struct pend_recv *r = ring_push(&c->recvs);
		if (!r)
			return -ENOMEM;
		*r = (struct pend_recv){ .left = len, .ts_ns = op->ts_ns, .seq = h->seq,
					 .begin_ns = viz_op_begin(op), .pid = op->pid,
					 .tid = op->tid, .syscall = op->syscall };
		if ((err = stream_poll_recv(b, op, r)))
			return err;
		if (c->recvs.n > PENDING_MAX) {
			obj->unmatched_bytes += ((struct pend_recv *)ring_at(&c->recvs, 0))->left;
			ring_pop(&c->recvs);
			m->stream_dropped++;
		}
	}
	return chan_walk(b, c, obj);
}

/* The depth after OP, as series_compute() counts it. */
static void depth_add(const struct viz_model *m, const struct viz_op *op)
{
	enum depth_unit unit = series_unit(m, op->object);
	int64_t n = unit == DEPTH_NONE ? 0 : series_depth_delta(op, unit);
	struct viz_depth *d = &m->depth[op->object];

	if (!n)
		return;
	d->seen = true;
	d->now += n;
	if (n < 0)
		return;
	d->messages++;
	d->bytes += (uint64_t)op->ret;
	if (d->now > 0 && (uint64_t)d->now > d->max_depth) {
		d->max_depth = (uint64_t)d->now;
		d->max_depth_ns = op->ts_ns;
	}
}

int stream_take(struct builder *b, const struct held *h)
{
	struct viz_model *m = b->m;
	size_t k = 2 * (size_t)h->op.object + (h->op.dir == IPCT_DIR_RECV);
	enum ipct_kind kind = m->objects[h->op.object].kind;
	bool two_way = kind != IPCT_KIND_PIPE && kind != IPCT_KIND_FIFO;
	struct chan *c = stream_chan_get(b->stream, 2 * (size_t)h->op.object + (two_way ? h->op.stream : 0));
	int err;

	if (!c)
		return -ENOMEM;
	if (k >= m->ncalls) {
		size_t cap = m->ncalls, cap_lat = m->ncalls / 2;
		size_t cap_depth = cap_lat;
		if (stream_grow_zero((void **)&m->calls, &cap, k + 1, sizeof(*m->calls)) ||
		    stream_grow_zero((void **)&m->chan_lat, &cap_lat, cap / 2, sizeof(*m->chan_lat)) ||
		    stream_grow_zero((void **)&m->depth, &cap_depth, cap / 2, sizeof(*m->depth)))
			return -ENOMEM;
		m->ncalls = cap;
	}
	/* a generation is the kernel queueing a signal, no call (report.c) */
	if ((h->op.type != VIZ_OP_SIG_GENERATE && (err = summary_add_call(&m->calls[k], &h->op))) ||
	    (err = stream_sum_add(b, c, &h->op)) || (err = stream_thread_add(b, &h->op)))
		return err;
	depth_add(m, &h->op);
	const struct stream_sink *sink = b->stream->sink;
	if (sink && sink->op && (err = sink->op(sink->ctx, m, &h->op, h->seq)))
		return err;
	if (kind == IPCT_KIND_SEM)
		return stream_sem_op(b, h);
	if (kind == IPCT_KIND_FILE)
		return stream_file_op(b, h);
	if (kind == IPCT_KIND_SIGNAL)
		return stream_signal_op(b, c, h);
	return b->stream->mode[h->op.object] == STREAM_QUEUE ? stream_queue_op(b, c, h) :
	       match_op(b, c, h);
}

static int take(struct builder *b, const struct held *h)
{
	int err;

	if ((err = stream_sync_advance(b, h->op.ts_ns, false)) ||
	    (err = stream_polls_advance(b, h->op.ts_ns, false)) ||
	    (err = stream_signal_settle(b, h->op.ts_ns, false)))
		return err;
	return stream_signal_take(b, h);
}

/* ---- the reorder window ---- */

static bool key_before(const struct held_key *a, const struct held_key *b)
{
	return a->ts_ns != b->ts_ns ? a->ts_ns < b->ts_ns : a->seq < b->seq;
}

static struct held_key *key_at(struct stream_state *s, size_t i)
{
	return &s->keys[(s->khead + i) & (REORDER_WINDOW - 1)];
}

/* Take the earliest held op out of the window and match it. */
static int pop_one(struct builder *b)
{
	struct stream_state *s = b->stream;
	struct held_key k = *key_at(s, 0);

	s->khead = (s->khead + 1) & (REORDER_WINDOW - 1);
	s->nheld--;
	/* the next one out was written a window ago: fetch it meanwhile */
	if (s->nheld)
		__builtin_prefetch(&s->pool[key_at(s, 0)->slot]);
	s->free_slots[s->nfree++] = k.slot;
	s->popped = true;
	s->last_ts = k.ts_ns;
	return take(b, &s->pool[k.slot]);
}

int stream_op(struct builder *b, const struct viz_op *op, const uint8_t *payload, size_t len)
{
	struct stream_state *s = b->stream;
	int err;

	if (s->nheld == REORDER_WINDOW && (err = pop_one(b)))
		return err;
	if (s->popped && op->ts_ns < s->last_ts)
		b->m->stream_late++;
	uint32_t slot = s->free_slots[--s->nfree];
	struct held *h = &s->pool[slot];
	h->op = *op;
	h->seq = s->seq;
	if (!payload || len > VIZ_PAYLOAD_KEEP)
		len = payload ? VIZ_PAYLOAD_KEEP : 0;
	h->op.payload = 0;
	h->op.payload_len = (uint16_t)len;
	if (len)
		memcpy(h->data, payload, len);
	if (op->type == VIZ_OP_SEM)
		h->op.payload_len = 0;  /* the data are its entries (stream_sync.c) */
	/* ops come nearly in time order: insert from the back */
	struct held_key k = { op->ts_ns, s->seq++, slot };
	size_t i = s->nheld++;
	for (; i > 0 && key_before(&k, key_at(s, i - 1)); i--)
		*key_at(s, i) = *key_at(s, i - 1);
	*key_at(s, i) = k;
	return 0;
}

/* ---- the object's mode, start and end ---- */

bool stream_takes(struct builder *b, uint32_t object)
{
	struct stream_state *s = b->stream;
	const struct viz_object *o = &b->m->objects[object];

	if (stream_grow_zero((void **)&s->mode, &s->cap_mode, object + 1, 1))
		return false;   /* no room to remember: keep the op */
	if (!s->mode[object]) {
		bool bytes = o->kind == IPCT_KIND_PIPE || o->kind == IPCT_KIND_FIFO ||
			     o->kind == IPCT_KIND_TCP || o->kind == IPCT_KIND_SEM ||
			     o->kind == IPCT_KIND_FILE || o->kind == IPCT_KIND_SIGNAL ||
			     (o->kind == IPCT_KIND_UNIX && (o->sock_type == SOCK_STREAM ||
							   (o->sock_type == 0 && o->ino2)));
		bool queue = !bytes && (o->kind == IPCT_KIND_UNIX || o->kind == IPCT_KIND_UDP ||
					o->kind == IPCT_KIND_MSGQ || o->kind == IPCT_KIND_EVENTFD);
		s->mode[object] = bytes ? STREAM_BYTES : queue ? STREAM_QUEUE : STREAM_KEPT;
		if (bytes || queue)
			b->m->objects[object].flags |= VIZ_OBJ_STREAMED;
	}
	return s->mode[object] != STREAM_KEPT;
}

int stream_begin(struct builder *b, const struct stream_sink *sink)
{
	b->stream = calloc(1, sizeof(*b->stream));
	if (!b->stream)
		return -ENOMEM;
	b->stream->sink = sink;
	struct stream_state *s = b->stream;
	s->pool = malloc(REORDER_WINDOW * sizeof(*s->pool));
	s->free_slots = malloc(REORDER_WINDOW * sizeof(*s->free_slots));
	s->keys = malloc(REORDER_WINDOW * sizeof(*s->keys));
	if (!s->pool || !s->free_slots || !s->keys)
		return -ENOMEM;
	for (uint32_t i = 0; i < REORDER_WINDOW; i++)
		s->free_slots[s->nfree++] = REORDER_WINDOW - 1 - i;
	s->sem_ps.size = sizeof(struct pend_p);
	b->m->streamed = true;
	return 0;
}

int stream_finish(struct builder *b)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	int err;

	while (s->nheld)
		if ((err = pop_one(b)))
			return err;
	if ((err = stream_signal_finish(b)) || (err = stream_sync_advance(b, 0, true)))
		return err;
	for (size_t k = 0; k < s->cap_chans; k++)
		if (s->chans[k] && s->chans[k]->queue &&
		    (err = stream_queue_finish(b, s->chans[k])))
			return err;
	if ((err = stream_polls_advance(b, 0, true)))
		return err;
	for (size_t k = 0; k < s->cap_chans; k++) {
		struct chan *c = s->chans[k];
		for (size_t i = 0; c && i < c->recvs.n; i++)
			m->objects[k / 2].unmatched_bytes +=
				((struct pend_recv *)ring_at(&c->recvs, i))->left;
	}
	for (size_t k = 0; k < m->ncalls; k++)
		summary_sort_exact(&m->calls[k]);
	for (size_t k = 0; k < m->ncalls / 2; k++)
		summary_sort_exact(&m->chan_lat[k]);
	for (size_t k = 0; k < m->nsamples; k++)
		summary_sort_exact(&m->flow_lat[k]);
	if (m->nop_sums)
		qsort(m->op_sums, m->nop_sums, sizeof(*m->op_sums), viz_op_sum_compare);
	return 0;
}

int stream_add_flows(struct builder *b)
{
	struct stream_state *s = b->stream;

	/* SIGCHLD exit reports alone are no communication (show.c) */
	for (size_t i = 0; i < s->nflows; i++)
		s->flows[i].exit_report = s->flows[i].reports &&
					  s->flows[i].reports == s->flows[i].messages;
	return model_append_flows(b->m, s->flows, s->nflows);
}

void stream_free(struct stream_state *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->cap_chans; k++) {
		if (!s->chans[k])
			continue;
		stream_queue_free(s->chans[k]);
		free(s->chans[k]->sends.v);
		free(s->chans[k]->recvs.v);
		free(s->chans[k]);
	}
	free(s->chans);
	free(s->pool);
	free(s->free_slots);
	free(s->keys);
	free(s->mode);
	free(s->flows);
	free(s->flow_slots);
	free(s->sum_slots);
	free(s->sample_seq);
	free(s->wait_slots);
	free(s->polls.v);
	free(s->poll_pids);
	free(s->pid_slots);
	free(s->thread_slots);
	for (size_t i = 0; i < s->cap_objs; i++) {
		free(s->objs[i].vs.v);
		free(s->objs[i].map.seg);
		stream_signal_free(&s->objs[i]);
	}
	free(s->objs);
	send_pool_release(&s->kept);
	free(s->sem_ps.v);
	free(s->parts);
	free(s->sig_held);
	free(s);
}

