/*
 * report_hot - the hot-path sections of `trace report` (viz/hot.h):
 * --latency (a log2 histogram per channel in the style of bcc's
 * print_log2_hist, one line of statistics per flow), --waits (blocked
 * time per process, then the top waits by channel and peer), and
 * --critical-path (the chain of segments that adds up to the wall time),
 * --top N (channels ranked by bytes, messages, time blocked and p99
 * latency).  hot_compute() runs every analysis once for the text and
 * the JSON (report_hot_json.c).  Strings from the traced system go
 * through report_put_safe().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"
#include "../lib/syscall_names.h"
#include "report_internal.h"
#include "search.h"

int hot_compute(const struct viz_model *m, struct hot_report *h)
{
	int err;

	memset(h, 0, sizeof(*h));
	if ((err = latency_compute(m, &h->latency)) ||
	    (err = waits_compute(m, &h->waits)) ||
	    (err = critical_path_compute(m, &h->waits, &h->path)) ||
	    (err = series_compute(m, false, &h->series)))
		hot_release(h);
	return err;
}

int hot_compute_streamed(const struct viz_model *m, struct hot_report *h)
{
	int err;

	memset(h, 0, sizeof(*h));
	if ((err = latency_compute(m, &h->latency)) ||
	    (err = waits_compute(m, &h->waits)) ||
	    (err = series_compute(m, false, &h->series)))
		hot_release(h);
	return err;
}

void hot_release(struct hot_report *h)
{
	latency_release(&h->latency);
	waits_release(&h->waits);
	critical_path_release(&h->path);
	series_release(&h->series);
}

/* ---- --latency ---- */

#define HIST_BAR 40

/* The histogram of D, rows from its first to its last non-empty bucket. */
static void text_histogram(FILE *out, const struct latency_dist *d)
{
	unsigned lo = LATENCY_BUCKETS, hi = 0;
	uint64_t top = 0;

	for (unsigned k = 0; k < LATENCY_BUCKETS; k++) {
		if (!d->hist[k])
			continue;
		lo = k < lo ? k : lo;
		hi = k;
		top = d->hist[k] > top ? d->hist[k] : top;
	}
	if (lo > hi)
		return;
	fprintf(out, "  %24s : %-8s %s\n", "nsecs", "count", "distribution");
	for (unsigned k = lo; k <= hi; k++) {
		uint64_t from = latency_bucket_low(k), to = latency_bucket_high(k);
		unsigned stars = (unsigned)(d->hist[k] * HIST_BAR / top);
		fprintf(out, "  %10" PRIu64 " -> %-10" PRIu64 " : %-8" PRIu64 " |", from, to,
			d->hist[k]);
		for (unsigned s = 0; s < HIST_BAR; s++)
			fputc(s < stars ? '*' : ' ', out);
		fputs("|\n", out);
	}
}

/* "n=3 min 1.0 µs p50 ... max ..." */
static void text_dist_line(FILE *out, const struct latency_dist *d)
{
	fprintf(out, "n=%" PRIu64 "  min ", d->count);
	report_put_duration(out, d->min_ns);
	fputs("  p50 ", out);
	report_put_duration(out, d->p50_ns);
	fputs("  p90 ", out);
	report_put_duration(out, d->p90_ns);
	fputs("  p99 ", out);
	report_put_duration(out, d->p99_ns);
	fputs("  max ", out);
	report_put_duration(out, d->max_ns);
	fputc('\n', out);
}

static void text_latency(const struct viz_model *m, const struct hot_report *h, FILE *out)
{
	fputs("\ndelivery latency (send returned -> the receive that consumed it returned; "
	      "sem: V -> released P; signal: generated -> delivered):\n", out);
	size_t f = 0;   /* flows are sorted by object */

	for (size_t o = 0; o < m->nobjects; o++) {
		const struct latency_dist *d = &h->latency.channels[o];
		if (!d->count)
			continue;
		fprintf(out, "\n%s (%s", m->objects[o].id, viz_kind_name(m->objects[o].kind));
		if (m->objects[o].name[0]) {
			fputc(' ', out);
			report_put_safe(out, m->objects[o].name, sizeof(m->objects[o].name));
		}
		fputs("): ", out);
		text_dist_line(out, d);
		text_histogram(out, d);
		while (f < m->nflows && m->flows[f].object < o)
			f++;
		for (; f < m->nflows && m->flows[f].object == o; f++) {
			const struct viz_flow *fl = &m->flows[f];
			if (!h->latency.flows[f].count)
				continue;
			fputs("  flow ", out);
			report_put_process(m, out, fl->from);
			fputs(" \xe2\x86\x92 ", out);
			report_put_process(m, out, fl->to);
			fputs(": ", out);
			text_dist_line(out, &h->latency.flows[f]);
		}
	}
}

/* ---- --waits ---- */

/* Is NR one of the waits for descriptors (poll, select, epoll_wait...)? */
static bool wait_call_syscall(uint16_t nr)
{
	return nr == 7 || nr == 23 || nr == 232 || nr == 270 || nr == 271 || nr == 281 || nr == 441;
}

#define TOP_WAITS 20

static int cmp_group_ns(const void *a, const void *b)
{
	const struct wait_group *x = a, *y = b;

	return VIZ_ORDER(y->ns, x->ns) ?: VIZ_ORDER(x->pid, y->pid) ?:
	       VIZ_ORDER(x->object, y->object) ?: VIZ_ORDER(x->peer, y->peer);
}

static void text_unseen(const struct viz_model *m, FILE *out)
{
	const char *const *u = waits_unseen(m);

	fputs("  (not seen by the trace, so not counted: ", out);
	for (size_t i = 0; u[i]; i++)
		fprintf(out, "%s%s", i ? ", " : "", u[i]);
	fputs(")\n", out);
}

static int text_waits(const struct viz_model *m, const struct hot_report *h, FILE *out)
{
	const struct wait_table *w = &h->waits;
	struct wait_group *g = malloc((w->ngroups ? w->ngroups : 1) * sizeof(*g));

	if (!g)
		return -ENOMEM;
	size_t idle = 0;

	fputs("\ntime blocked in IPC calls, per process:\n", out);
	text_unseen(m, out);
	for (size_t i = 0; i < m->nprocesses; i++) {
		if (!w->blocked_ns[i]) {
			idle++;
			continue;
		}
		fputs("  ", out);
		report_put_process(m, out, m->processes[i].pid);
		fputs(": ", out);
		report_put_duration(out, w->blocked_ns[i]);
		fputc('\n', out);
	}
	if (idle)
		fprintf(out, "  (%zu process%s never waited in a recorded call)\n", idle,
			idle == 1 ? "" : "es");
	memcpy(g, w->groups, w->ngroups * sizeof(*g));
	qsort(g, w->ngroups, sizeof(*g), cmp_group_ns);
	fprintf(out, "\ntop waits (%zu of %zu; who waited, on what, for whom):\n",
		w->ngroups < TOP_WAITS ? w->ngroups : TOP_WAITS, w->ngroups);
	for (size_t i = 0; i < w->ngroups && i < TOP_WAITS; i++) {
		fputs("  ", out);
		report_put_process(m, out, g[i].pid);
		fprintf(out, " waited %" PRIu64 " time%s, ", g[i].count, g[i].count == 1 ? "" : "s");
		report_put_duration(out, g[i].ns);
		if (ipct_syscall_name(g[i].syscall))
			fprintf(out, " in %s", ipct_syscall_name(g[i].syscall));
		fprintf(out, " on %s for ", m->objects[g[i].object].id);
		if (g[i].peer)
			report_put_process(m, out, g[i].peer);
		else if (wait_call_syscall(g[i].syscall))
			fputs("? (readiness the trace does not explain)", out);
		else
			fputs("? (ended by a signal)", out);
		fputc('\n', out);
	}
	free(g);
	return 0;
}

/* ---- --critical-path ---- */

#define PATH_SHOWN 100   /* segments printed at each end of a long path */

static void text_segment(const struct viz_model *m, const struct path_segment *s, FILE *out)
{
	fputs("  ", out);
	report_put_duration(out, s->from_ns);
	fputs("  ", out);
	report_put_process(m, out, s->pid);
	if (s->state == PATH_RUNNING) {
		fputs(" ran ", out);
		report_put_duration(out, s->to_ns - s->from_ns);
	} else {
		fputs(" waited ", out);
		report_put_duration(out, s->to_ns - s->from_ns);
		if (s->why == WAIT_CHILD) {
			fputs(" for the exit of ", out);
			report_put_process(m, out, s->peer);
			fputs(" (wait4: inferred)", out);
		} else if (s->why == WAIT_READY) {
			fprintf(out, " for data on %s from ", m->objects[s->object].id);
			report_put_process(m, out, s->peer);
			fputs(" (no recorded call since it was sent: inferred)", out);
		} else if (s->why == WAIT_SIGNAL) {
			fprintf(out, " for a signal (%s) from ", m->objects[s->object].id);
			report_put_process(m, out, s->peer);
			fputs(" (inferred)", out);
		} else {
			fprintf(out, " on %s", m->objects[s->object].id);
			if (s->peer) {
				fputs(s->why == WAIT_EOF ? " for the exit of " : " for ", out);
				report_put_process(m, out, s->peer);
			}
		}
		if (s->wait_begin_ns < s->from_ns) {
			fputs(" (in a call since ", out);
			report_put_duration(out, s->wait_begin_ns);
			fputc(')', out);
		}
	}
	fputc('\n', out);
}

/* Time on the path per process, running and blocked, most first. */
static int text_path_summary(const struct viz_model *m, const struct critical_path *p,
			     FILE *out)
{
	uint64_t *on = calloc(2 * (m->nprocesses + 1), sizeof(*on));
	uint32_t *order = malloc((m->nprocesses + 1) * sizeof(*order));
	size_t n = 0;

	if (!on || !order) {
		free(on);
		free(order);
		return -ENOMEM;
	}
	critical_path_by_process(m, p, on);
	for (size_t i = 0; i < m->nprocesses; i++)
		if (on[2 * i] + on[2 * i + 1])
			order[n++] = (uint32_t)i;
	/* insertion sort by total, descending: few processes */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			uint32_t a = order[j - 1], b = order[j];
			if (on[2 * a] + on[2 * a + 1] >= on[2 * b] + on[2 * b + 1])
				break;
			order[j - 1] = b;
			order[j] = a;
		}
	fputs("  on the path, per process:\n", out);
	for (size_t i = 0; i < n; i++) {
		fputs("    ", out);
		report_put_process(m, out, m->processes[order[i]].pid);
		fputs(": ran ", out);
		report_put_duration(out, on[2 * order[i] + PATH_RUNNING]);
		fputs(", waited ", out);
		report_put_duration(out, on[2 * order[i] + PATH_BLOCKED]);
		fputc('\n', out);
	}
	free(on);
	free(order);
	return 0;
}

static int text_critical_path(const struct viz_model *m, const struct hot_report *h,
			      FILE *out)
{
	const struct critical_path *p = &h->path;
	uint64_t running = 0, blocked = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		uint64_t d = p->segs[i].to_ns - p->segs[i].from_ns;
		if (p->segs[i].state == PATH_RUNNING)
			running += d;
		else
			blocked += d;
	}
	fprintf(out, "\ncritical path (%zu segments, from 0 to the root's exit at ", p->nsegs);
	report_put_duration(out, p->end_ns);
	fputs("): running ", out);
	report_put_duration(out, running);
	fputs(", blocked ", out);
	report_put_duration(out, blocked);
	fputs(":\n", out);
	if (text_path_summary(m, p, out))
		return -ENOMEM;
	fputs("  the segments, in time order:\n", out);
	for (size_t i = 0; i < p->nsegs; i++) {
		if (p->nsegs > 2 * PATH_SHOWN && i == PATH_SHOWN) {
			fprintf(out, "  ... %zu segments (all in report.json: critical_path)\n",
				p->nsegs - 2 * PATH_SHOWN);
			i = p->nsegs - PATH_SHOWN;
		}
		text_segment(m, &p->segs[i], out);
	}
	return 0;
}

/* ---- --top N ---- */

enum rank_by { RANK_BYTES, RANK_MESSAGES, RANK_BLOCKED, RANK_P99, RANK_MAX };

struct rank_ctx {
	const struct hot_report *h;
	enum rank_by by;
};

static uint64_t rank_value(const struct hot_report *h, enum rank_by by, size_t o)
{
	switch (by) {
	case RANK_BYTES: return h->series.channels[o].bytes;
	case RANK_MESSAGES: return h->series.channels[o].messages;
	case RANK_BLOCKED: return h->waits.channel_ns[o];
	default: return h->latency.channels[o].count ? h->latency.channels[o].p99_ns : 0;
	}
}

static int cmp_rank(const void *a, const void *b, void *arg)
{
	const struct rank_ctx *c = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t vx = rank_value(c->h, c->by, x), vy = rank_value(c->h, c->by, y);

	return VIZ_ORDER(vy, vx) ?: VIZ_ORDER(x, y);
}

static int text_top(const struct viz_model *m, const struct hot_report *h, unsigned n,
		    FILE *out)
{
	static const char *const titles[RANK_MAX] = {
		"bytes sent", "messages sent", "time blocked on it", "p99 delivery latency",
	};
	uint32_t *idx = malloc((m->nobjects ? m->nobjects : 1) * sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (int by = 0; by < RANK_MAX; by++) {
		size_t k = 0;
		for (size_t o = 0; o < m->nobjects; o++)
			if (rank_value(h, by, o))
				idx[k++] = (uint32_t)o;
		struct rank_ctx ctx = { h, by };
		qsort_r(idx, k, sizeof(*idx), cmp_rank, &ctx);
		fprintf(out, "\ntop %u channels by %s:\n", n, titles[by]);
		for (size_t i = 0; i < k && i < n; i++) {
			uint64_t v = rank_value(h, by, idx[i]);
			fprintf(out, "  %-32s %-6s ", m->objects[idx[i]].id,
				viz_kind_name(m->objects[idx[i]].kind));
			if (by == RANK_BLOCKED || by == RANK_P99)
				report_put_duration(out, v);
			else
				fprintf(out, "%" PRIu64, v);
			fputc('\n', out);
		}
		if (!k)
			fputs("  (none)\n", out);
	}
	free(idx);
	return 0;
}

int report_text_sections(const struct viz_model *m, const struct report_options *o,
			 FILE *out)
{
	struct hot_report h;
	int err;

	if (m->streamed && (o->critical_path || o->top))
		return -EINVAL;         /* they need every op: the caller loads them */
	err = m->streamed ? hot_compute_streamed(m, &h) : hot_compute(m, &h);
	if (err)
		return err;
	report_text_header(m, out);
	if (o->latency)
		text_latency(m, &h, out);
	if (o->waits)
		err = text_waits(m, &h, out);
	if (!err && o->critical_path)
		err = text_critical_path(m, &h, out);
	if (!err && o->top)
		err = text_top(m, &h, o->top, out);
	hot_release(&h);
	if (err)
		return err;
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
