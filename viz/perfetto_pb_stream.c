/*
 * perfetto_pb_stream - Perfetto's protobuf trace of a trace too long to
 * hold (perfetto_pb.h), in two streaming loads of the file (model.h,
 * VIZ_LOAD_STREAM; stream.h):
 *
 * 1. the first gives the processes, their final names and the channels a
 *    flow went through: the process and counter track descriptors;
 * 2. the second hands over each streamed call in time order
 *    (its slice, its thread's track the first time, its channel's
 *    in-flight counter) and each transfer as the matcher finds it (a
 *    "sent" instant at the send's return starting a flow, a "received"
 *    one at the receive's return ending it).  The calls the stream does
 *    not take (signals) are
 *    in that model's ops: they follow as perfetto_pb.c writes them, their
 *    flow ids after the streamed ones.
 *
 * What is in memory is what the streaming load holds, plus the threads
 * seen.  Packets are not in time order (a flow's start is written when it
 * is matched): trace_processor sorts them, as it does the slices of the
 * whole-model writer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "perfetto_pb.h"
#include "stream.h"
#include "viz.h"

struct pass {
	struct pb_writer *w;
	const struct viz_model *names;  /* the first pass: final process names */
	const uint8_t *channel;         /* per object: has a counter track */
	int64_t *backlog;               /* per object: in flight now */
	size_t nobjects;
	uint32_t *tids;                 /* thread tracks written: tid + 1, hashed */
	size_t ntid_slots, ntids;
	uint64_t nflows;                /* flow ids used */
};

/* Write TID's track the first time it shows.  0 or -ENOMEM. */
static int thread_track(struct pass *p, uint32_t tid, uint32_t pid)
{
	size_t h;

	if ((p->ntids + 1) * 2 > p->ntid_slots) {
		size_t n = p->ntid_slots ? 2 * p->ntid_slots : 256;
		uint32_t *t = calloc(n, sizeof(*t));
		if (!t)
			return -ENOMEM;
		for (size_t i = 0; i < p->ntid_slots; i++) {
			if (!p->tids[i])
				continue;
			for (h = p->tids[i] * 2654435761u & (n - 1); t[h]; h = (h + 1) & (n - 1))
				;
			t[h] = p->tids[i];
		}
		free(p->tids);
		p->tids = t;
		p->ntid_slots = n;
	}
	for (h = (tid + 1u) * 2654435761u & (p->ntid_slots - 1); p->tids[h];
	     h = (h + 1) & (p->ntid_slots - 1))
		if (p->tids[h] == tid + 1u)
			return 0;
	p->tids[h] = tid + 1u;
	p->ntids++;

	const struct viz_process *proc = viz_model_process(p->names, pid);
	char name[IPCT_COMM_LEN + 1];

	pb_write_track(p->w, UUID_THREAD(tid), UUID_PROCESS(pid), pid, tid,
		       proc ? pb_clean(name, sizeof(name), proc->comm, sizeof(proc->comm)) : "?",
		       false);
	return 0;
}

static int on_op(void *ctx, const struct viz_model *m, const struct viz_op *op, uint64_t seq)
{
	struct pass *p = ctx;

	(void)seq;
	int err = thread_track(p, op->tid, op->pid);

	if (err)
		return err;
	pb_write_call(p->w, m, op);
	if (op->object < p->nobjects && p->channel[op->object]) {
		int64_t d = pb_backlog_step(m, op);

		if (d) {
			p->backlog[op->object] += d;
			pb_write_counter(p->w, op->object, op->ts_ns, p->backlog[op->object]);
		}
	}
	return p->w->err;
}

static int on_transfer(void *ctx, const struct viz_model *m, const struct viz_op *send,
		       uint64_t send_seq, const struct viz_op *recv, uint64_t recv_seq,
		       uint64_t bytes)
{
	struct pass *p = ctx;
	uint32_t id;

	(void)m;
	(void)send_seq;
	(void)recv_seq;
	(void)bytes;
	if (p->nflows >= UINT32_MAX)
		return -EOVERFLOW;
	id = (uint32_t)p->nflows++;
	pb_write_flow_point(p->w, send, &id, 1, false);
	pb_write_flow_point(p->w, recv, &id, 1, true);
	return p->w->err;
}

/* The calls the stream kept in M: their threads, then as perfetto_pb.c. */
static int write_kept(struct pass *p, const struct viz_model *m)
{
	size_t n;
	struct pb_thread *t = pb_list_threads(m, &n);
	int err = t ? 0 : -ENOMEM;

	for (size_t i = 0; !err && i < n; i++)
		err = thread_track(p, t[i].tid, t[i].pid);
	free(t);
	if (err)
		return err;
	p->w->flow_base = p->nflows;
	return pb_write_events(p->w, m, p->channel);
}

int perfetto_pb_render_file(const char *path, FILE *out)
{
	struct pb_writer w = { .out = out, .first = true };
	struct viz_model names, m;
	struct pass p = { .w = &w, .names = &names };
	struct stream_sink sink = { &p, on_op, on_transfer };
	uint8_t *channel;
	int err = viz_model_load_with(&names, path, VIZ_LOAD_STREAM);

	if (err)
		return err;
	channel = pb_channels(&names);
	p.channel = channel;
	p.nobjects = names.nobjects;
	p.backlog = calloc(names.nobjects ? names.nobjects : 1, sizeof(*p.backlog));
	if (!channel || !p.backlog) {
		err = -ENOMEM;
		goto out;
	}
	pb_write_tracks(&w, &names, channel, NULL, 0);
	if ((err = w.err))
		goto out;
	err = stream_load(&m, path, &sink);
	if (!err) {
		/* the same file read twice builds the same objects */
		err = m.nobjects == names.nobjects ? write_kept(&p, &m) : -EIO;
	}
	viz_model_release(&m);
out:
	viz_model_release(&names);
	free(channel);
	free(p.backlog);
	free(p.tids);
	return pb_writer_finish(&w, err);
}
