/*
 * stream_threads - the threads other than a process's main one that made
 * streamed calls (stream.c), per (pid, tid, object) with their first
 * call's entry and last call's return, in m->stream_threads: what the
 * timeline needs to give such a thread its sub-lane (timeline_lanes.c),
 * as the full load finds in its ops.  As many entries as (thread, channel)
 * pairs, not calls.
 */
#include <errno.h>
#include "slots.h"
#include "stream_internal.h"

static uint64_t thread_hash(const struct viz_stream_thread *k)
{
	return model_hash64(((uint64_t)k->tid << 32 | k->pid) ^ model_hash64(k->object));
}

static uint64_t thread_hash_at(const void *arg, size_t i)
{
	return thread_hash(&((const struct viz_model *)arg)->stream_threads[i]);
}

static bool thread_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct viz_stream_thread *t = &((const struct viz_model *)ctx)->stream_threads[i];
	const struct viz_stream_thread *k = key;

	return t->pid == k->pid && t->tid == k->tid && t->object == k->object;
}

int stream_thread_add(struct builder *b, const struct viz_op *op)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	struct viz_stream_thread k = { op->pid, op->tid, op->object, viz_op_begin(op), op->ts_ns };
	int err;

	if (!op->tid || op->tid == op->pid ||
	    (op->dir != IPCT_DIR_SEND && op->dir != IPCT_DIR_RECV))
		return 0;
	if ((m->nstream_threads + 1) * 2 > s->nthread_slots &&
	    (err = slots_rebuild(&s->thread_slots, &s->nthread_slots, 64, m->nstream_threads,
				 thread_hash_at, m)))
		return err;
	uint32_t *slot = slots_find(s->thread_slots, s->nthread_slots, thread_hash(&k),
				    thread_eq, m, &k);
	if (*slot) {
		struct viz_stream_thread *t = &m->stream_threads[*slot - 1];

		t->from = k.from < t->from ? k.from : t->from;
		t->to = k.to > t->to ? k.to : t->to;
		return 0;
	}
	if (model_grow((void **)&m->stream_threads, &s->cap_threads, m->nstream_threads + 1,
		       sizeof(*m->stream_threads)))
		return -ENOMEM;
	m->stream_threads[m->nstream_threads] = k;
	*slot = (uint32_t)++m->nstream_threads;
	return 0;
}
