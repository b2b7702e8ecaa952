/*
 * merge_bounds - the clock bounds of `trace merge` from the joined socket
 * views (the reasoning is in merge_clock.c): the smallest receive-minus-send
 * delay each way between two hosts, then each host's correction and its
 * uncertainty, host 0 the reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include "merge_views.h"

/* Smallest (receive return - send start) over the pairs of S's sends and
 * R's receives; *N counts the pairs, *UNPAIRED the UDP receives left. */
static int64_t stream_delay(const struct view *s, const struct view *r, uint64_t *n,
			    uint64_t *unpaired)
{
	int64_t best = INT64_MAX;
	size_t i = 0, j = 0;

	if (s->kind == IPCT_KIND_TCP) {
		for (j = 0; j < r->nrecvs; j++) {
			uint64_t end = r->recvs[j].val;
			while (i < s->nsends && s->sends[i].val < end)
				i++;
			if (i == s->nsends)
				break;              /* bytes no recorded send explains */
			int64_t d = r->recvs[j].t - s->sends[i].t;
			if (d < best)
				best = d;
			(*n)++;
		}
		return best;
	}
	while (i < s->nsends && j < r->nrecvs) {
		if (s->sends[i].val != r->recvs[j].val) {
			i++;                        /* lost on the way */
			continue;
		}
		int64_t d = r->recvs[j].t - s->sends[i].t;
		if (d < best)
			best = d;
		(*n)++;
		i++;
		j++;
	}
	*unpaired += r->nrecvs - j;
	return best;
}

void merge_pair_bounds(struct merge_views *v, const struct view *a, const struct view *b,
			struct merge_result *res)
{
	uint32_t n = v->nhosts;
	uint64_t *unpaired = &res->udp_unmatched;
	uint64_t np = 0;
	int64_t d = stream_delay(a, b, &np, unpaired);

	if (d < v->delay[a->host * n + b->host])
		v->delay[a->host * n + b->host] = d;
	v->pairs[a->host * n + b->host] += np;
	np = 0;
	d = stream_delay(b, a, &np, unpaired);
	if (d < v->delay[b->host * n + a->host])
		v->delay[b->host * n + a->host] = d;
	v->pairs[b->host * n + a->host] += np;
}

/* The correction of Y given X's: two-way bounds (TWO_WAY) or any. */
static bool edge(const struct merge_views *v, uint32_t x, uint32_t y, bool two_way,
		 int64_t *delta, uint64_t *unc, uint32_t *flags, uint64_t *pairs)
{
	uint32_t n = v->nhosts;
	int64_t dxy = v->delay[x * n + y], dyx = v->delay[y * n + x];
	bool has_lo = dxy != INT64_MAX, has_hi = dyx != INT64_MAX;

	if (two_way ? !(has_lo && has_hi) : !(has_lo || has_hi))
		return false;
	*pairs = v->pairs[x * n + y] + v->pairs[y * n + x];
	*flags = (has_lo ? TRACE_HOST_LOWER : 0) | (has_hi ? TRACE_HOST_UPPER : 0);
	if (has_lo && has_hi) {
		int64_t lo = -dxy, hi = dyx;
		*delta = lo + (hi - lo) / 2;
		if (hi < lo) {
			*flags |= TRACE_HOST_INCONSISTENT;
			*unc = (uint64_t)(lo - hi) / 2;
		} else {
			*unc = (uint64_t)(hi - lo) / 2;
		}
		return true;
	}
	/* One way only: keep the wall clock unless it breaks the bound. */
	*delta = has_lo ? (-dxy > 0 ? -dxy : 0) : (dyx < 0 ? dyx : 0);
	*unc = TRACE_HOST_UNBOUNDED;
	return true;
}

void merge_solve_clocks(const struct merge_views *v, struct trace_host *hosts,
			 int64_t *corr)
{
	uint32_t n = v->nhosts;
	bool *known = calloc(n, sizeof(*known));

	for (uint32_t h = 0; h < n; h++) {
		corr[h] = 0;
		hosts[h].uncertainty_ns = h ? TRACE_HOST_UNBOUNDED : 0;
		hosts[h].flags = 0;
		hosts[h].pairs = 0;
	}
	if (!known)
		return;
	known[0] = true;
	for (int pass = 0; pass < 2; pass++) {
		bool grew = true;
		while (grew) {
			grew = false;
			for (uint32_t x = 0; x < n; x++) {
				for (uint32_t y = 0; known[x] && y < n; y++) {
					int64_t delta;
					uint64_t unc, pairs;
					uint32_t flags;
					if (y == x || known[y] || !edge(v, x, y, pass == 0, &delta, &unc, &flags, &pairs))
						continue;
					corr[y] = corr[x] + delta;
					hosts[y].uncertainty_ns =
						unc == TRACE_HOST_UNBOUNDED ||
						hosts[x].uncertainty_ns == TRACE_HOST_UNBOUNDED ?
						TRACE_HOST_UNBOUNDED : unc + hosts[x].uncertainty_ns;
					hosts[y].flags = flags;
					hosts[y].pairs = pairs;
					known[y] = grew = true;
				}
			}
		}
	}
	free(known);
	for (uint32_t h = 0; h < n; h++)
		hosts[h].offset_ns = -corr[h];
}
