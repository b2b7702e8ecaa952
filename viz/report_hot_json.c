/*
 * report_hot_json - the hot-path fields of report.json (viz/hot.h,
 * docs/report-json.md): processes[].blocked_ns and .waits,
 * channels[].messages, .latency_ns, .blocked_ns and depth, flows[].latency_ns,
 * and the top-level critical_path and waits_unseen.  Ids are the model's
 * own (printable); nothing from the traced system is written here
 * unescaped.
 */
#include <inttypes.h>
#include <stdlib.h>
#include "escape.h"
#include "hot.h"
#include "../lib/syscall_names.h"
#include "search.h"

/* {"count", "min", "p50", "p90", "p99", "max", "histogram"} or null. */
static void json_latency(FILE *out, const struct latency_dist *d)
{
	unsigned lo = LATENCY_BUCKETS, hi = 0;
	bool first = true;

	if (!d->count) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"count\": %" PRIu64 ", \"min\": %" PRIu64 ", \"p50\": %" PRIu64
		", \"p90\": %" PRIu64 ", \"p99\": %" PRIu64 ", \"max\": %" PRIu64
		", \"histogram\": [", d->count, d->min_ns, d->p50_ns, d->p90_ns, d->p99_ns,
		d->max_ns);
	for (unsigned k = 0; k < LATENCY_BUCKETS; k++)
		if (d->hist[k]) {
			lo = k < lo ? k : lo;
			hi = k;
		}
	for (unsigned k = lo; k <= hi && lo <= hi; k++) {
		fprintf(out, "%s{\"from\": %" PRIu64 ", \"to\": %" PRIu64 ", \"count\": %"
			PRIu64 "}", first ? "" : ", ", latency_bucket_low(k),
			latency_bucket_high(k), d->hist[k]);
		first = false;
	}
	fputs("]}", out);
}

/* First index of PID's groups (sorted by pid). */
static size_t first_group(const struct wait_table *w, uint32_t pid)
{
	return VIZ_PARTITION(0, w->ngroups, i, w->groups[i].pid < pid);
}

void hot_json_process(FILE *out, const struct viz_model *m, const struct hot_report *h,
		      size_t process)
{
	const struct wait_table *w = &h->waits;
	uint32_t pid = m->processes[process].pid;
	size_t i = first_group(w, pid);

	fprintf(out, ", \"blocked_ns\": %" PRIu64 ", \"waits\": [", w->blocked_ns[process]);
	for (size_t k = i; k < w->ngroups && w->groups[k].pid == pid; k++) {
		const struct wait_group *g = &w->groups[k];
		fprintf(out, "%s{\"channel\": ", k > i ? ", " : "");
		escape_json(out, m->objects[g->object].id,
			    escape_strnlen(m->objects[g->object].id, sizeof(m->objects[0].id)));
		fputs(", \"peer\": ", out);
		if (g->peer)
			fprintf(out, "%" PRIu32, g->peer);
		else
			fputs("null", out);
		if (ipct_syscall_name(g->syscall))
			fprintf(out, ", \"call\": \"%s\"", ipct_syscall_name(g->syscall));
		fprintf(out, ", \"count\": %" PRIu64 ", \"ns\": %" PRIu64 "}", g->count, g->ns);
	}
	fputc(']', out);
}

void hot_json_channel(FILE *out, const struct viz_model *m, const struct hot_report *h,
		      size_t object)
{
	const struct channel_series *c = &h->series.channels[object];
	static const char *const units[] = { "null", "\"bytes\"", "\"messages\"" };

	fprintf(out, ", \"messages\": %" PRIu64, c->messages);
	if (h->waits.channel_ns)        /* not computed for a streamed model */
		fprintf(out, ", \"blocked_ns\": %" PRIu64, h->waits.channel_ns[object]);
	fprintf(out, ", \"depth_unit\": %s, \"max_depth\": %" PRIu64 ", \"max_depth_ns\": ",
		units[c->unit], c->max_depth);
	if (c->max_depth)
		fprintf(out, "%" PRIu64, c->max_depth_ns);
	else
		fputs("null", out);
	fputs(", \"latency_ns\": ", out);
	json_latency(out, &h->latency.channels[object]);
}

void hot_json_flow(FILE *out, const struct viz_model *m, const struct hot_report *h,
		   size_t flow)
{
	(void)m;
	fputs(", \"latency_ns\": ", out);
	json_latency(out, &h->latency.flows[flow]);
}

/* The critical path in JSON: at most PATH_JSON_MAX segments, the first
 * and last halves of a longer one. */
#define PATH_JSON_MAX 10000

static void json_segment(FILE *out, const struct viz_model *m, const struct path_segment *s,
			 bool first)
{
	fprintf(out, "%s\n    {\"pid\": %" PRIu32 ", \"state\": \"%s\", \"channel\": ",
		first ? "" : ",", s->pid, s->state == PATH_RUNNING ? "running" : "blocked");
	if (s->state == PATH_BLOCKED && s->object < m->nobjects)
		escape_json(out, m->objects[s->object].id,
			    escape_strnlen(m->objects[s->object].id, sizeof(m->objects[0].id)));
	else
		fputs("null", out);
	fputs(", \"peer\": ", out);
	if (s->state == PATH_BLOCKED && s->peer)
		fprintf(out, "%" PRIu32, s->peer);
	else
		fputs("null", out);
	fprintf(out, ", \"from_ns\": %" PRIu64 ", \"to_ns\": %" PRIu64 "}", s->from_ns, s->to_ns);
}

/* "critical_path_by_process": time on the path per process and state. */
static void json_path_by_process(FILE *out, const struct viz_model *m,
				 const struct critical_path *p)
{
	uint64_t *on = calloc(2 * (m->nprocesses + 1), sizeof(*on));
	bool first = true;

	fputs(",\n  \"critical_path_by_process\": [", out);
	if (on)
		critical_path_by_process(m, p, on);
	for (size_t i = 0; on && i < m->nprocesses; i++) {
		if (!on[2 * i] && !on[2 * i + 1])
			continue;
		fprintf(out, "%s{\"pid\": %" PRIu32 ", \"running_ns\": %" PRIu64
			", \"blocked_ns\": %" PRIu64 "}", first ? "" : ", ",
			m->processes[i].pid, on[2 * i + PATH_RUNNING], on[2 * i + PATH_BLOCKED]);
		first = false;
	}
	fputc(']', out);
	free(on);
}

void hot_json_tail(FILE *out, const struct viz_model *m, const struct hot_report *h)
{
	const struct critical_path *p = &h->path;
	const char *const *u = waits_unseen(m);
	bool cut = p->nsegs > PATH_JSON_MAX;

	fputs(",\n  \"waits_unseen\": [", out);
	for (size_t i = 0; u[i]; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : "", u[i]);
	if (m->streamed) {
		/* the walk back needs every op: not computed (docs/report-json.md) */
		fputs("],\n  \"critical_path\": null", out);
		return;
	}
	fprintf(out, "],\n  \"critical_path_end_ns\": %" PRIu64
		",\n  \"critical_path_segments\": %zu,\n  \"critical_path_truncated\": %s",
		p->end_ns, p->nsegs, cut ? "true" : "false");
	json_path_by_process(out, m, p);
	fputs(",\n  \"critical_path\": [", out);
	for (size_t i = 0; i < p->nsegs; i++) {
		if (cut && i == PATH_JSON_MAX / 2)
			i = p->nsegs - PATH_JSON_MAX / 2;
		json_segment(out, m, &p->segs[i], i == 0);
	}
	fputs(p->nsegs ? "\n  ]" : "]", out);
}
