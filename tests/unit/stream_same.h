/*
 * stream_same - the checks that a streamed load (VIZ_LOAD_STREAM) says
 * what the full one says: objects, flows and their first messages,
 * latency, channel depth, the text report and the DOT graph, and the
 * waits.  Header-only (static functions), included by test_stream.c.
 */
#ifndef IPCTRACE_TESTS_STREAM_SAME_H
#define IPCTRACE_TESTS_STREAM_SAME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include "viz/model.h"
#include "viz/hot.h"
#include "viz/viz.h"

/* The two loads count the same bytes on every object. */
static void assert_same_objects(const struct viz_model *full, const struct viz_model *st)
{
	assert_int_equal(st->nobjects, full->nobjects);
	for (size_t i = 0; i < full->nobjects; i++) {
		const struct viz_object *a = &full->objects[i], *b = &st->objects[i];
		assert_string_equal(a->id, b->id);
		assert_int_equal(a->sent_bytes, b->sent_bytes);
		assert_int_equal(a->received_bytes, b->received_bytes);
		assert_int_equal(a->unmatched_bytes, b->unmatched_bytes);
		assert_int_equal(a->unmatched_msgs, b->unmatched_msgs);
		assert_int_equal(a->nusers, b->nusers);
		assert_int_equal(a->flags, b->flags & ~VIZ_OBJ_STREAMED);
	}
}

/* The same flows, first messages, and latency summed per flow as its
 * transfers in the full load say. */
static void assert_same_flows(const struct viz_model *full, const struct viz_model *st)
{
	assert_int_equal(st->nflows, full->nflows);
	for (size_t i = 0; i < full->nflows; i++) {
		const struct viz_flow *a = &full->flows[i], *b = &st->flows[i];
		assert_int_equal(a->object, b->object);
		assert_int_equal(a->from, b->from);
		assert_int_equal(a->to, b->to);
		assert_int_equal(a->messages, b->messages);
		assert_int_equal(a->bytes, b->bytes);
		assert_int_equal(a->shown, b->shown);
		const struct viz_op *fa = viz_flow_first(full, a), *fb = viz_flow_first(st, b);
		assert_non_null(fa);
		assert_non_null(fb);
		assert_int_equal(fa->ts_ns, fb->ts_ns);
		assert_int_equal(fa->payload_len, fb->payload_len);
		assert_memory_equal(full->payload + fa->payload, st->payload + fb->payload,
				    fa->payload_len);
		/* the latency summed per flow is the one of its transfers */
		uint64_t sum = 0, n = 0;
		for (size_t t = 0; t < full->ntransfers; t++) {
			const struct viz_op *s = &full->ops[full->transfers[t].send];
			const struct viz_op *r = &full->ops[full->transfers[t].recv];
			if (s->object != a->object || s->pid != a->from || r->pid != a->to ||
			    r->ts_ns < s->ts_ns)
				continue;
			sum += r->ts_ns - s->ts_ns;
			n++;
		}
		assert_int_equal(b->lat_sum_ns, sum);
		assert_int_equal(b->lat_n, n);
	}
}

/* The same delivery latency per flow and channel, sampled while matching. */
static void assert_same_latency(const struct viz_model *full, const struct viz_model *st)
{
	struct latency_table lt_full, lt_st;
	assert_int_equal(latency_compute(full, &lt_full), 0);
	assert_int_equal(latency_compute(st, &lt_st), 0);
	for (size_t i = 0; i < full->nflows + full->nobjects; i++) {
		const struct latency_dist *a = i < full->nflows ? &lt_full.flows[i] :
					       &lt_full.channels[i - full->nflows];
		const struct latency_dist *b = i < full->nflows ? &lt_st.flows[i] :
					       &lt_st.channels[i - full->nflows];
		assert_int_equal(a->count, b->count);
		assert_int_equal(a->total_ns, b->total_ns);
		assert_int_equal(a->min_ns, b->min_ns);
		assert_int_equal(a->p50_ns, b->p50_ns);
		assert_int_equal(a->p90_ns, b->p90_ns);
		assert_int_equal(a->p99_ns, b->p99_ns);
		assert_int_equal(a->max_ns, b->max_ns);
		assert_memory_equal(a->hist, b->hist, sizeof(a->hist));
	}
	latency_release(&lt_full);
	latency_release(&lt_st);
}

/* The same channel depth: sends, bytes and the maximum, summed in time order. */
static void assert_same_series(const struct viz_model *full, const struct viz_model *st)
{
	struct series_table sa, sb;
	assert_int_equal(series_compute(full, false, &sa), 0);
	assert_int_equal(series_compute(st, false, &sb), 0);
	for (size_t o = 0; o < full->nobjects; o++) {
		assert_int_equal(sa.channels[o].unit, sb.channels[o].unit);
		assert_int_equal(sa.channels[o].messages, sb.channels[o].messages);
		assert_int_equal(sa.channels[o].bytes, sb.channels[o].bytes);
		assert_int_equal(sa.channels[o].max_depth, sb.channels[o].max_depth);
		assert_int_equal(sa.channels[o].max_depth_ns, sb.channels[o].max_depth_ns);
	}
	series_release(&sa);
	series_release(&sb);
}

/* The text reports print the same, and the graphs (DOT) draw the same. */
static void assert_same_report(const struct viz_model *full, const struct viz_model *st)
{
	for (int graph = 0; graph < 2; graph++) {
		char *ta = NULL, *tb = NULL;
		size_t la = 0, lb = 0;
		FILE *fa = open_memstream(&ta, &la), *fb = open_memstream(&tb, &lb);
		assert_int_equal(graph ? graph_render(full, fa, GRAPH_DOT) : report_text(full, fa), 0);
		assert_int_equal(graph ? graph_render(st, fb, GRAPH_DOT) : report_text(st, fb), 0);
		fclose(fa);
		fclose(fb);
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
	}
}

/* The same waits, summed per (process, channel, peer, call), and the
 * same time blocked per process. */
static void assert_same_waits(const struct viz_model *full, const struct viz_model *st)
{
	struct wait_table a, b;

	assert_int_equal(waits_compute(full, &a), 0);
	assert_int_equal(waits_compute(st, &b), 0);
	assert_int_equal(b.ngroups, a.ngroups);
	for (size_t i = 0; i < a.ngroups; i++) {
		assert_int_equal(b.groups[i].pid, a.groups[i].pid);
		assert_int_equal(b.groups[i].object, a.groups[i].object);
		assert_int_equal(b.groups[i].peer, a.groups[i].peer);
		assert_int_equal(b.groups[i].syscall, a.groups[i].syscall);
		assert_int_equal(b.groups[i].count, a.groups[i].count);
		assert_int_equal(b.groups[i].ns, a.groups[i].ns);
	}
	for (size_t i = 0; i < full->nprocesses; i++)
		assert_int_equal(b.blocked_ns[i], a.blocked_ns[i]);
	waits_release(&a);
	waits_release(&b);
}

/* The two loads say the same of every object and flow. */
static void assert_same(const struct viz_model *full, const struct viz_model *st)
{
	assert_true(st->streamed);
	assert_false(full->streamed);
	assert_int_equal(st->stream_late, 0);
	assert_same_objects(full, st);
	assert_same_flows(full, st);
	assert_int_equal(st->nops, 0);
	assert_same_latency(full, st);
	assert_same_series(full, st);
	assert_same_report(full, st);
	assert_same_waits(full, st);
}

#endif
