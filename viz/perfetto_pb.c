/*
 * perfetto_pb - the model as Perfetto's native protobuf trace (a stream
 * of TracePacket messages carrying TrackDescriptor and TrackEvent), for
 * ui.perfetto.dev and trace_processor.  Much smaller than the JSON export
 * (perfetto.c), and written one packet at a time, so its size has no cap.
 *
 * Tracks: one per process (ProcessDescriptor) with one per thread under
 * it (ThreadDescriptor); a slice per call on its thread's track, from the
 * call's entry to its return; a flow per transfer, from an instant at the
 * send's return (flow_ids) to an instant at the receive's return
 * (terminating_flow_ids), so every arrow points forward in time; and per
 * channel that moved bytes or messages, a counter track of what was sent
 * and not yet received ("in flight"); a trace stat recording's counters,
 * which are totals, as counter tracks of their processes (write_counted).
 *
 * Field numbers are those of perfetto/protos/perfetto/trace/trace_packet.proto
 * and track_event/{track_descriptor,track_event,debug_annotation}.proto.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "viz.h"
#include "palette.h"
#include "perfetto_pb.h"

/* Trace */
#define F_TRACE_PACKET 1
/* TracePacket */
#define F_PACKET_TIMESTAMP 8
#define F_PACKET_SEQUENCE_ID 10
#define F_PACKET_TRACK_EVENT 11
#define F_PACKET_SEQUENCE_FLAGS 13
#define F_PACKET_TRACK_DESCRIPTOR 60
#define SEQ_INCREMENTAL_STATE_CLEARED 1
#define SEQ_NEEDS_INCREMENTAL_STATE 2
/* TrackDescriptor */
#define F_TRACK_UUID 1
#define F_TRACK_NAME 2
#define F_TRACK_PROCESS 3
#define F_TRACK_THREAD 4
#define F_TRACK_PARENT 5
#define F_TRACK_COUNTER 8
/* ProcessDescriptor, ThreadDescriptor */
#define F_PROCESS_PID 1
#define F_PROCESS_NAME 6
#define F_THREAD_PID 1
#define F_THREAD_TID 2
#define F_THREAD_NAME 5
/* TrackEvent */
#define F_EVENT_CATEGORY_IIDS 3
#define F_EVENT_DEBUG 4
#define F_EVENT_TYPE 9
#define F_EVENT_NAME_IID 10
#define F_EVENT_TRACK 11
#define F_EVENT_COUNTER 30
#define F_EVENT_FLOW 47
#define F_EVENT_FLOW_END 48
#define TYPE_SLICE_BEGIN 1
#define TYPE_SLICE_END 2
#define TYPE_INSTANT 3
#define TYPE_COUNTER 4
/* DebugAnnotation */
#define F_DEBUG_NAME_IID 1
#define F_DEBUG_INT 4
#define F_DEBUG_STRING_IID 17

#define SEQUENCE_ID 1

#define FLUSH_AT (256 * 1024)

/* Start a packet at TS (model ns), INTERNED when it uses interned data,
 * with room for N more bytes: the cursor after its header (NULL on
 * ENOMEM, which pbuf_error() keeps). */
static uint8_t *packet_begin(struct pb_writer *w, uint64_t ts, bool interned, size_t n)
{
	unsigned flags = (w->first ? SEQ_INCREMENTAL_STATE_CLEARED : 0) |
			 (interned ? SEQ_NEEDS_INCREMENTAL_STATE : 0);
	uint8_t *p = pbuf_room(&w->buf, 40 + n);

	w->first = false;
	if (!p) {
		w->err = w->err ? w->err : pbuf_error(&w->buf);
		return NULL;
	}
	w->packet = pbuf_put_nested(&w->buf, &p, F_TRACE_PACKET);
	p = pbuf_put_field(p, F_PACKET_TIMESTAMP, ts);
	p = pbuf_put_field(p, F_PACKET_SEQUENCE_ID, SEQUENCE_ID);
	if (flags)
		p = pbuf_put_field(p, F_PACKET_SEQUENCE_FLAGS, flags);
	pbuf_commit(&w->buf, p);
	return p;
}

/* Start a TrackEvent packet of TYPE on TRACK at TS, with room for N more
 * bytes after them: the cursor (NULL on ENOMEM), *EVENT the mark. */
static uint8_t *event_begin(struct pb_writer *w, uint64_t ts, unsigned type, uint64_t track,
			    size_t n, size_t *event)
{
	uint8_t *p = packet_begin(w, ts, false, 40 + n);

	if (!p)
		return NULL;
	*event = pbuf_put_nested(&w->buf, &p, F_PACKET_TRACK_EVENT);
	p = pbuf_put_field(p, F_EVENT_TYPE, type);
	return pbuf_put_field(p, F_EVENT_TRACK, track);
}

static void packet_end(struct pb_writer *w)
{
	pbuf_end(&w->buf, w->packet);
	if (w->buf.len >= FLUSH_AT)
		pbuf_flush(&w->buf, w->out);
	if (!w->err)
		w->err = pbuf_error(&w->buf);
}

int pb_writer_finish(struct pb_writer *w, int err)
{
	if (!err && !(err = w->err) && !(err = pbuf_flush(&w->buf, w->out)) &&
	    (fflush(w->out) || ferror(w->out)))
		err = -EIO;
	pbuf_release(&w->buf);
	pb_intern_release(&w->in);
	return err;
}

/* A track descriptor: a process (PID), a thread (TID of PID) or a
 * counter (NAME; pid 0). */
void pb_write_track(struct pb_writer *w, uint64_t uuid, uint64_t parent, uint32_t pid,
			uint32_t tid, const char *name, bool counter)
{
	size_t td, d;

	packet_begin(w, 0, false, 0);
	td = pbuf_begin(&w->buf, F_PACKET_TRACK_DESCRIPTOR);
	pbuf_varint_field(&w->buf, F_TRACK_UUID, uuid);
	if (parent)
		pbuf_varint_field(&w->buf, F_TRACK_PARENT, parent);
	if (counter) {
		pbuf_string_field(&w->buf, F_TRACK_NAME, name);
		pbuf_end(&w->buf, pbuf_begin(&w->buf, F_TRACK_COUNTER));
	} else if (tid) {
		d = pbuf_begin(&w->buf, F_TRACK_THREAD);
		pbuf_varint_field(&w->buf, F_THREAD_PID, pid);
		pbuf_varint_field(&w->buf, F_THREAD_TID, tid);
		pbuf_string_field(&w->buf, F_THREAD_NAME, name);
		pbuf_end(&w->buf, d);
	} else {
		d = pbuf_begin(&w->buf, F_TRACK_PROCESS);
		pbuf_varint_field(&w->buf, F_PROCESS_PID, pid);
		pbuf_string_field(&w->buf, F_PROCESS_NAME, name);
		pbuf_end(&w->buf, d);
	}
	pbuf_end(&w->buf, td);
	packet_end(w);
}

/* A name from the traced system, cut at its NUL and made valid UTF-8
 * enough for a proto string (bytes >= 0x80 and controls become '?'). */
const char *pb_clean(char *buf, size_t size, const char *s, size_t max)
{
	size_t n = 0;

	for (; n + 1 < size && n < max && s[n]; n++)
		buf[n] = (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f ? s[n] : '?';
	buf[n] = 0;
	return buf;
}

static int by_tid(const void *a, const void *b)
{
	const struct pb_thread *x = a, *y = b;

	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* The distinct threads that made calls, sorted by tid; NULL on ENOMEM. */
struct pb_thread *pb_list_threads(const struct viz_model *m, size_t *n)
{
	struct pb_thread *t = malloc((m->nops ? m->nops : 1) * sizeof(*t));
	size_t k = 0;

	*n = 0;
	if (!t)
		return NULL;
	for (size_t i = 0; i < m->nops; i++)
		t[i] = (struct pb_thread){ m->ops[i].tid, m->ops[i].pid };
	qsort(t, m->nops, sizeof(*t), by_tid);
	for (size_t i = 0; i < m->nops; i++)
		if (!k || t[k - 1].tid != t[i].tid)
			t[k++] = t[i];
	*n = k;
	return t;
}

void pb_write_tracks(struct pb_writer *w, const struct viz_model *m, const uint8_t *channel,
			 const struct pb_thread *threads, size_t nthreads)
{
	char name[IPCT_COMM_LEN + 1], id[sizeof(m->objects[0].id) + 32];

	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];

		pb_write_track(w, UUID_PROCESS(p->pid), 0, p->pid, 0,
			    pb_clean(name, sizeof(name), p->comm, sizeof(p->comm)), false);
	}
	/* one thread track per tid that made a call */
	for (size_t i = 0; i < nthreads; i++) {
		const struct viz_process *p = viz_model_process(m, threads[i].pid);

		pb_write_track(w, UUID_THREAD(threads[i].tid), UUID_PROCESS(threads[i].pid),
			    threads[i].pid, threads[i].tid,
			    p ? pb_clean(name, sizeof(name), p->comm, sizeof(p->comm)) : "?", false);
	}
	for (size_t o = 0; o < m->nobjects; o++) {
		if (!channel[o])
			continue;
		snprintf(id, sizeof(id), "in flight: %s", m->objects[o].id);
		pb_write_track(w, UUID_CHANNEL(o), 0, 0, 0, pb_clean(id, sizeof(id), id, sizeof(id)), true);
	}
}

/* The slice of call OP: begin at its entry, end at its return. */
void pb_write_call(struct pb_writer *w, const struct viz_model *m, const struct viz_op *op)
{
	const struct viz_object *o = op->object < m->nobjects ? &m->objects[op->object] : NULL;
	char name[64];
	uint64_t start = op->ts_ns > op->duration_ns ? op->ts_ns - op->duration_ns : 0;
	uint32_t category, name_iid, channel = 0;
	const char *call;
	size_t e, d;
	uint8_t *p;

	if (!packet_begin(w, start, true, 0))
		return;
	category = pb_intern_category(w, o ? viz_kind_name(o->kind) : "ipc");
	call = viz_op_call_name(m, op, name, sizeof(name));
	name_iid = pb_intern_name(w, call, call != name);     /* NAME: made for this call */
	if (o)
		channel = pb_intern_channel(w, m, op->object);
	pb_intern_debug_names(w);
	pb_intern_close(w);
	if (!(p = pbuf_room(&w->buf, 128)))
		return;
	e = pbuf_put_nested(&w->buf, &p, F_PACKET_TRACK_EVENT);
	p = pbuf_put_field(p, F_EVENT_TYPE, TYPE_SLICE_BEGIN);
	p = pbuf_put_field(p, F_EVENT_TRACK, UUID_THREAD(op->tid));
	p = pbuf_put_field(p, F_EVENT_CATEGORY_IIDS, category);
	p = pbuf_put_field(p, F_EVENT_NAME_IID, name_iid);
	if (o) {
		d = pbuf_put_nested(&w->buf, &p, F_EVENT_DEBUG);
		p = pbuf_put_field(p, F_DEBUG_NAME_IID, DEBUG_NAME_CHANNEL);
		p = pbuf_put_field(p, F_DEBUG_STRING_IID, channel);
		pbuf_commit(&w->buf, p);
		pbuf_end(&w->buf, d);
		p = w->buf.data + w->buf.len;
	}
	d = pbuf_put_nested(&w->buf, &p, F_EVENT_DEBUG);
	p = pbuf_put_field(p, F_DEBUG_NAME_IID, DEBUG_NAME_RET);
	p = pbuf_put_field(p, F_DEBUG_INT, (uint64_t)op->ret);
	pbuf_commit(&w->buf, p);
	pbuf_end(&w->buf, d);
	pbuf_end(&w->buf, e);
	packet_end(w);

	if (!(p = event_begin(w, op->ts_ns, TYPE_SLICE_END, UUID_THREAD(op->tid), 0, &e)))
		return;
	pbuf_commit(&w->buf, p);
	pbuf_end(&w->buf, e);
	packet_end(w);
}

/* An instant at OP's return carrying flow ids IDS[0..N) (1-based transfer
 * numbers): starting them at a send, ending them at a receive. */
void pb_write_flow_point(struct pb_writer *w, const struct viz_op *op, const uint32_t *ids,
			     size_t n, bool end)
{
	uint32_t name;
	size_t e;
	uint8_t *p;

	if (!packet_begin(w, op->ts_ns, true, 0))
		return;
	name = pb_intern_name(w, end ? "received" : "sent", true);
	pb_intern_close(w);
	if (!(p = pbuf_room(&w->buf, 40 + 9 * n)))
		return;
	e = pbuf_put_nested(&w->buf, &p, F_PACKET_TRACK_EVENT);
	p = pbuf_put_field(p, F_EVENT_TYPE, TYPE_INSTANT);
	p = pbuf_put_field(p, F_EVENT_TRACK, UUID_THREAD(op->tid));
	p = pbuf_put_field(p, F_EVENT_NAME_IID, name);
	pbuf_commit(&w->buf, p);
	for (size_t i = 0; i < n; i++)
		pbuf_fixed64_field(&w->buf, end ? F_EVENT_FLOW_END : F_EVENT_FLOW,
				   ids[i] + 1ull + w->flow_base);
	pbuf_end(&w->buf, e);
	packet_end(w);
}

static void write_counter_on(struct pb_writer *w, uint64_t track, uint64_t ts, int64_t value)
{
	size_t e;
	uint8_t *p = event_begin(w, ts, TYPE_COUNTER, track, 20, &e);

	if (!p)
		return;
	pbuf_commit(&w->buf, pbuf_put_field(p, F_EVENT_COUNTER, (uint64_t)value));
	pbuf_end(&w->buf, e);
	packet_end(w);
}

void pb_write_counter(struct pb_writer *w, uint32_t object, uint64_t ts, int64_t value)
{
	write_counter_on(w, UUID_CHANNEL(object), ts, value);
}

/* A trace stat recording's counters (model->counted): totals, not
 * events, so each is two counter tracks under its process ("counted
 * CHANNEL DIR calls", "... bytes"), 0 at the process's start and its
 * totals at its end. */
static void write_counted(struct pb_writer *w, const struct viz_model *m)
{
	char name[sizeof(m->objects[0].id) + 32];

	for (size_t i = 0; i < m->ncounted && !w->err; i++) {
		const struct viz_counted *c = &m->counted[i];
		const struct viz_process *p = viz_model_process(m, c->pid);
		const struct viz_object *o = &m->objects[c->object];
		const char *dir = viz_counted_dir(m, c);
		uint64_t end;

		if (!p)
			continue;
		end = p->end_ns > p->start_ns ? p->end_ns : p->start_ns;
		for (int k = 0; k < 2; k++) {
			snprintf(name, sizeof(name), "counted %s %s %s", o->id, dir,
				 k ? "bytes" : "calls");
			pb_write_track(w, UUID_COUNTED(2 * i + k), UUID_PROCESS(c->pid), 0, 0,
				       pb_clean(name, sizeof(name), name, sizeof(name)), true);
			write_counter_on(w, UUID_COUNTED(2 * i + k), p->start_ns, 0);
			write_counter_on(w, UUID_COUNTED(2 * i + k), end,
					 (int64_t)(k ? c->bytes : c->calls));
		}
	}
}

static const struct viz_model *sort_model;

static int by_recv(const void *a, const void *b)
{
	const struct viz_transfer *t = sort_model->transfers;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (t[x].recv != t[y].recv)
		return t[x].recv < t[y].recv ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* What a call adds to or takes from its channel's backlog: bytes for
 * streams and datagrams, one for a message, signal or semaphore V. */
int64_t pb_backlog_step(const struct viz_model *m, const struct viz_op *op)
{
	enum ipct_kind kind = m->objects[op->object].kind;
	int64_t n;

	if (op->ret < 0)
		return 0;
	if (kind == IPCT_KIND_MSGQ || kind == IPCT_KIND_SIGNAL || kind == IPCT_KIND_SEM)
		n = 1;
	else
		n = op->ret;
	return op->dir == IPCT_DIR_SEND ? n : -n;
}

int pb_write_events(struct pb_writer *w, const struct viz_model *m, const uint8_t *channel)
{
	uint32_t *by_r = malloc((m->ntransfers ? m->ntransfers : 1) * sizeof(*by_r));
	uint32_t *ids = malloc((m->ntransfers ? m->ntransfers : 1) * sizeof(*ids));
	int64_t *backlog = calloc(m->nobjects ? m->nobjects : 1, sizeof(*backlog));
	size_t s = 0, r = 0;

	if (!by_r || !ids || !backlog) {
		free(by_r);
		free(ids);
		free(backlog);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->ntransfers; i++)
		by_r[i] = i;
	sort_model = m;
	qsort(by_r, m->ntransfers, sizeof(*by_r), by_recv);
	for (size_t i = 0; i < m->nops && !w->err; i++) {
		const struct viz_op *op = &m->ops[i];
		size_t n = 0;

		pb_write_call(w, m, op);
		/* transfers are sorted by send: those of op i are together */
		while (s < m->ntransfers && m->transfers[s].send < i)
			s++;
		while (s < m->ntransfers && m->transfers[s].send == i)
			ids[n++] = s++;
		if (n)
			pb_write_flow_point(w, op, ids, n, false);
		n = 0;
		while (r < m->ntransfers && m->transfers[by_r[r]].recv < i)
			r++;
		while (r < m->ntransfers && m->transfers[by_r[r]].recv == i)
			ids[n++] = by_r[r++];
		if (n)
			pb_write_flow_point(w, op, ids, n, true);
		if (op->object < m->nobjects && channel[op->object]) {
			int64_t d = pb_backlog_step(m, op);

			if (d) {
				backlog[op->object] += d;
				pb_write_counter(w, op->object, op->ts_ns, backlog[op->object]);
			}
		}
	}
	free(by_r);
	free(ids);
	free(backlog);
	return w->err;
}

uint8_t *pb_channels(const struct viz_model *m)
{
	uint8_t *channel = calloc(m->nobjects ? m->nobjects : 1, 1);

	/* a flow is made of transfers: a counter track for each channel they
	 * went through */
	for (size_t i = 0; channel && i < m->nflows; i++)
		if (m->flows[i].object < m->nobjects && !m->flows[i].counted)
			channel[m->flows[i].object] = 1;
	return channel;
}

int perfetto_pb_render(const struct viz_model *m, FILE *out)
{
	struct pb_writer w = { .out = out, .first = true };
	uint8_t *channel = pb_channels(m);
	struct pb_thread *threads;
	size_t nthreads;
	int err;

	if (!channel)
		return -ENOMEM;
	threads = pb_list_threads(m, &nthreads);
	if (!threads) {
		free(channel);
		return -ENOMEM;
	}
	pb_write_tracks(&w, m, channel, threads, nthreads);
	err = w.err ? w.err : pb_write_events(&w, m, channel);
	if (!err)
		write_counted(&w, m);
	free(threads);
	free(channel);
	return pb_writer_finish(&w, err);
}
