/*
 * latency - delivery latency per flow and per channel (viz/hot.h).
 *
 * A sample is one delivery: for a send (write, msgsnd, datagram, signal
 * generation), its first transfer in stream order, i.e. the receive that
 * consumed its first byte or its message; for a semaphore, every V → P
 * release.  Its value is the receive's return minus the send's return
 * (0 if the receive returned first: a reader woken while a long write
 * was still copying).  The sample belongs to the flow (object, sender,
 * receiver) of that transfer and to the object.
 *
 * Samples are bucketed by group with a counting pass, each group sorted
 * once: exact percentiles, O(n log n), one uint64 per delivery.  A
 * streaming load (model.h) took the byte streams' samples while matching
 * (viz_summary_latency(): exact up to VIZ_CALLS_EXACT per group).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"

unsigned latency_bucket(uint64_t ns)
{
	return ns < 2 ? 0 : 63 - (unsigned)__builtin_clzll(ns);
}

uint64_t latency_bucket_low(unsigned k)
{
	return k ? (uint64_t)1 << k : 0;
}

uint64_t latency_bucket_high(unsigned k)
{
	return k >= 63 ? UINT64_MAX : ((uint64_t)2 << k) - 1;
}

uint64_t latency_percentile(const uint64_t *sorted, size_t n, unsigned p)
{
	size_t rank = ((uint64_t)n * p + 99) / 100;  /* ceil(n * p / 100) */

	return sorted[rank ? rank - 1 : 0];
}

uint64_t latency_of_transfer(const struct viz_model *m, const struct viz_transfer *t)
{
	uint64_t sent = m->ops[t->send].ts_ns, got = m->ops[t->recv].ts_ns;

	return got > sent ? got - sent : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Is transfer I of M a delivery sample (see the top of the file)? */
static bool is_sample(const struct viz_model *m, size_t i)
{
	const struct viz_transfer *t = &m->transfers[i];

	if (m->objects[m->ops[t->send].object].kind == IPCT_KIND_SEM)
		return true;
	return i == 0 || m->transfers[i - 1].send != t->send;
}

/* Fill DIST[0..NGROUPS) from the samples VALUE[i] of group GROUP[i]
 * (i < N; a group of -1 is skipped).  0 or -ENOMEM. */
static int fill_dists(struct latency_dist *dist, size_t ngroups, const long *group,
		      const uint64_t *value, size_t n)
{
	size_t *start = calloc(ngroups + 1, sizeof(*start));
	size_t *fill = calloc(ngroups + 1, sizeof(*fill));
	uint64_t *sorted = malloc((n ? n : 1) * sizeof(*sorted));

	if (!start || !fill || !sorted) {
		free(start);
		free(fill);
		free(sorted);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (group[i] >= 0)
			start[group[i] + 1]++;
	for (size_t g = 0; g < ngroups; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < n; i++)
		if (group[i] >= 0)
			sorted[start[group[i]] + fill[group[i]]++] = value[i];
	for (size_t g = 0; g < ngroups; g++) {
		struct latency_dist *d = &dist[g];
		uint64_t *v = sorted + start[g];
		size_t k = start[g + 1] - start[g];

		memset(d, 0, sizeof(*d));
		if (!k)
			continue;
		qsort(v, k, sizeof(*v), cmp_u64);
		d->count = k;
		d->min_ns = v[0];
		d->p50_ns = latency_percentile(v, k, 50);
		d->p90_ns = latency_percentile(v, k, 90);
		d->p99_ns = latency_percentile(v, k, 99);
		d->max_ns = v[k - 1];
		for (size_t i = 0; i < k; i++) {
			d->total_ns += v[i];
			d->hist[latency_bucket(v[i])]++;
		}
	}
	free(start);
	free(fill);
	free(sorted);
	return 0;
}

int latency_compute(const struct viz_model *m, struct latency_table *t)
{
	size_t n = 0, nt = m->ntransfers ? m->ntransfers : 1;
	/* each sample's flow, channel and latency, in one allocation */
	long *flow = malloc(nt * (2 * sizeof(long) + sizeof(uint64_t)));
	long *object = flow ? flow + nt : NULL;
	uint64_t *value = flow ? (uint64_t *)(object + nt) : NULL;
	int err = -ENOMEM;

	memset(t, 0, sizeof(*t));
	t->flows = calloc(m->nflows + m->nobjects ? m->nflows + m->nobjects : 1, sizeof(*t->flows));
	if (!flow || !t->flows)
		goto out;
	t->channels = t->flows + m->nflows;
	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *tr = &m->transfers[i];
		const struct viz_flow *f;

		if (!is_sample(m, i))
			continue;
		f = viz_flow_of(m, tr);
		flow[n] = f ? f - m->flows : -1;
		object[n] = m->ops[tr->send].object;
		value[n++] = latency_of_transfer(m, tr);
	}
	err = fill_dists(t->flows, m->nflows, flow, value, n);
	if (!err)
		err = fill_dists(t->channels, m->nobjects, object, value, n);
	/* a streaming load summed the byte streams' samples as it matched */
	for (size_t i = 0; !err && i < m->nflows; i++) {
		uint32_t k = m->flows[i].first_send & ~VIZ_FLOW_SAMPLE;
		if (viz_flow_streamed(&m->flows[i]) && k < m->nsamples)
			viz_summary_latency(&m->flow_lat[k], &t->flows[i]);
	}
	for (size_t o = 0; !err && o < m->nobjects && o < m->ncalls / 2; o++)
		if (m->chan_lat[o].calls)
			viz_summary_latency(&m->chan_lat[o], &t->channels[o]);
out:
	free(flow);
	if (err)
		latency_release(t);
	return err;
}

void latency_release(struct latency_table *t)
{
	free(t->flows);
	memset(t, 0, sizeof(*t));
}
