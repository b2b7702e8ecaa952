/*
 * call_summary - the durations of a channel's calls, or the latencies of
 * its deliveries, in bounded memory (stream.h): the first VIZ_CALLS_EXACT
 * values kept as they are, then log-linear buckets (0..63 ns one each,
 * then 32 per power of two, so a percentile is within 1/32 of the value).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"
#include "stream.h"

#define HIST_SUB_BITS 5
#define HIST_BUCKETS (64 + (64 - 6) * (1u << HIST_SUB_BITS))

static unsigned hist_bucket(uint64_t ns)
{
	if (ns < 64)
		return (unsigned)ns;
	unsigned e = 63 - __builtin_clzll(ns);
	return 64 + (e - 6) * (1u << HIST_SUB_BITS) +
	       (unsigned)((ns >> (e - HIST_SUB_BITS)) & ((1u << HIST_SUB_BITS) - 1));
}

/* The middle of bucket K. */
static uint64_t hist_mid(unsigned k)
{
	if (k < 64)
		return k;
	unsigned e = (k - 64) / (1u << HIST_SUB_BITS) + 6;
	uint64_t sub = (k - 64) % (1u << HIST_SUB_BITS);
	uint64_t width = 1ull << (e - HIST_SUB_BITS);

	return (1ull << e) + sub * width + width / 2;
}

/* One more value D (a duration, a latency) into C. */
int summary_add_value(struct viz_call_summary *c, uint64_t d)
{
	if (!c->calls || d < c->min_ns)
		c->min_ns = d;
	if (d > c->max_ns)
		c->max_ns = d;
	c->calls++;
	c->total_ns += d;
	if (!c->hist && c->calls <= VIZ_CALLS_EXACT) {
		size_t n = c->calls - 1;
		if ((n & (n - 1)) == 0) {       /* 0, 1, 2, 4...: double */
			uint64_t *e = realloc(c->exact, (n ? 2 * n : 1) * sizeof(*e));
			if (!e)
				return -ENOMEM;
			c->exact = e;
		}
		c->exact[n] = d;
		return 0;
	}
	if (!c->hist) {
		c->hist = calloc(HIST_BUCKETS, sizeof(*c->hist));
		if (!c->hist)
			return -ENOMEM;
		for (size_t i = 0; i < c->calls - 1; i++)
			c->hist[hist_bucket(c->exact[i])]++;
		free(c->exact);
		c->exact = NULL;
	}
	c->hist[hist_bucket(d)]++;
	return 0;
}

int summary_add_call(struct viz_call_summary *c, const struct viz_op *op)
{
	if (op->ret < 0)
		c->errors++;
	else if (viz_op_moves_bytes(op))
		c->bytes += (uint64_t)op->ret;
	return summary_add_value(c, op->duration_ns);
}

/* The log2 bucket (latency_bucket()) of log-linear bucket K. */
static unsigned hist_log2(unsigned k)
{
	return k < 64 ? latency_bucket(k) : (k - 64) / (1u << HIST_SUB_BITS) + 6;
}

void viz_summary_latency(const struct viz_call_summary *c, struct latency_dist *d)
{
	memset(d, 0, sizeof(*d));
	if (!c->calls)
		return;
	d->count = c->calls;
	d->total_ns = c->total_ns;
	d->min_ns = c->min_ns;
	d->max_ns = c->max_ns;
	d->p50_ns = viz_calls_percentile(c, 50);
	d->p90_ns = viz_calls_percentile(c, 90);
	d->p99_ns = viz_calls_percentile(c, 99);
	for (size_t i = 0; !c->hist && c->exact && i < c->calls; i++)
		d->hist[latency_bucket(c->exact[i])]++;
	for (unsigned k = 0; c->hist && k < HIST_BUCKETS; k++)
		d->hist[hist_log2(k)] += c->hist[k];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t viz_calls_percentile(const struct viz_call_summary *c, unsigned p)
{
	uint64_t rank = (c->calls * p + 99) / 100, seen = 0;

	if (!c->calls)
		return 0;
	if (!rank)
		rank = 1;
	if (!c->hist)
		return c->exact ? c->exact[rank - 1] : 0;
	for (unsigned k = 0; k < HIST_BUCKETS; k++) {
		seen += c->hist[k];
		if (seen >= rank) {
			uint64_t v = hist_mid(k);
			return v < c->min_ns ? c->min_ns : v > c->max_ns ? c->max_ns : v;
		}
	}
	return c->max_ns;
}

void summary_sort_exact(struct viz_call_summary *c)
{
	if (c->exact)
		qsort(c->exact, c->calls, sizeof(uint64_t), cmp_u64);
}
