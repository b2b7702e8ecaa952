/*
 * perfetto_counters - counter tracks of the Perfetto export (perfetto.c,
 * docs/perfetto.md): for every channel that two or more processes used
 * and that has a depth (series.c), its depth over time ("depth CHANNEL",
 * a value at every change; past DEPTH_POINTS changes, the highest of each
 * of DEPTH_POINTS slices of time, and the value it ends with) and its throughput ("throughput CHANNEL",
 * bytes/s and messages/s per bucket of 1/200 of the recording, at least
 * 1 µs; 0 where nothing was sent).  They live in one pseudo-process,
 * pid PERFETTO_CHANNELS_PID, named "IPC channels".  A trace stat
 * recording's counters are tracks of their processes (write_counted).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "escape.h"
#include "hot.h"
#include "viz.h"

/* Depth changes written as they are, per channel; more are summed up. */
#define DEPTH_POINTS 5000

struct counter_ctx {
	const struct viz_model *m;
	FILE *out;
	bool *first;
	uint64_t *next_ns;      /* per object: where its last bucket ended */
};

static bool has_counters(const struct viz_model *m, uint32_t object)
{
	return m->objects[object].nusers >= 2 && series_unit(m, object) != DEPTH_NONE;
}

/* Start the counter event "NAME CHANNEL" of OBJECT at NS. */
static void counter_head(struct counter_ctx *c, const char *name, uint32_t object, uint64_t ns)
{
	const struct viz_object *o = &c->m->objects[object];
	char title[16 + sizeof(o->id)];
	int n = snprintf(title, sizeof(title), "%s %.*s", name,
			 (int)escape_strnlen(o->id, sizeof(o->id)), o->id);

	if (!*c->first)
		fputs(",\n", c->out);
	*c->first = false;
	fputs("{\"name\":", c->out);
	escape_json(c->out, title, n < 0 ? 0 : (size_t)n < sizeof(title) ? (size_t)n : sizeof(title) - 1);
	fprintf(c->out, ",\"ph\":\"C\",\"pid\":%u,\"ts\":%" PRIu64 ".%03u,\"args\":{",
		PERFETTO_CHANNELS_PID, ns / 1000, (unsigned)(ns % 1000));
}

static void depth_value(struct counter_ctx *c, uint32_t object, const char *unit,
			uint64_t ns, uint64_t depth)
{
	counter_head(c, "depth", object, ns);
	fprintf(c->out, "\"%s\":%" PRIu64 "}}", unit, depth);
}

/* The depth track of OBJECT: every change, or, past DEPTH_POINTS changes,
 * the highest depth of each of DEPTH_POINTS equal slices of the time
 * they span (at the slice's first change), then the last value. */
static void write_depth(struct counter_ctx *c, uint32_t object, const struct channel_series *cs)
{
	const char *unit = cs->unit == DEPTH_BYTES ? "bytes" : "messages";
	size_t n = cs->npoints;

	depth_value(c, object, unit, 0, 0);
	if (n <= DEPTH_POINTS) {
		for (size_t i = 0; i < n; i++)
			depth_value(c, object, unit, cs->points[i].ts_ns, cs->points[i].depth);
		return;
	}
	uint64_t t0 = cs->points[0].ts_ns;
	uint64_t slice = (cs->points[n - 1].ts_ns - t0) / DEPTH_POINTS + 1;
	for (size_t i = 0; i + 1 < n;) {
		uint64_t k = (cs->points[i].ts_ns - t0) / slice, at = cs->points[i].ts_ns, max = 0;
		const struct depth_point *last = &cs->points[i];
		for (; i + 1 < n && (cs->points[i].ts_ns - t0) / slice == k; i++) {
			max = cs->points[i].depth > max ? cs->points[i].depth : max;
			last = &cs->points[i];
		}
		depth_value(c, object, unit, at, max);
		/* the value the slice ends with holds until the next slice */
		if (last->depth != max)
			depth_value(c, object, unit, last->ts_ns > at ? last->ts_ns : at + 1,
				    last->depth);
	}
	depth_value(c, object, unit, cs->points[n - 1].ts_ns, cs->points[n - 1].depth);
}

static void throughput_value(struct counter_ctx *c, uint32_t object, uint64_t ns,
			     double bytes_s, double msgs_s)
{
	counter_head(c, "throughput", object, ns);
	fprintf(c->out, "\"bytes/s\":%.0f,\"messages/s\":%.0f}}", bytes_s, msgs_s);
}

static void on_bucket(void *arg, uint32_t object, uint64_t from, uint64_t to,
		      uint64_t bytes, uint64_t messages)
{
	struct counter_ctx *c = arg;
	double secs = (double)(to - from) / 1e9;

	if (!has_counters(c->m, object))
		return;
	if (c->next_ns[object] != from)
		throughput_value(c, object, c->next_ns[object], 0, 0);
	throughput_value(c, object, from, bytes / secs, messages / secs);
	c->next_ns[object] = to;
}

/* One value of the track of trace stat counter C, at NS. */
static void counted_value(const struct viz_model *m, FILE *out, bool *first,
			  const struct viz_counted *c, uint64_t ns, bool totals)
{
	const struct viz_object *o = &m->objects[c->object];
	const char *dir = viz_counted_dir(m, c);
	char title[48 + sizeof(o->id)];
	int n = snprintf(title, sizeof(title), "counted %.*s %s",
			 (int)escape_strnlen(o->id, sizeof(o->id)), o->id, dir);

	if (!*first)
		fputs(",\n", out);
	*first = false;
	fputs("{\"name\":", out);
	escape_json(out, title, n < 0 ? 0 : (size_t)n < sizeof(title) ? (size_t)n : sizeof(title) - 1);
	fprintf(out, ",\"ph\":\"C\",\"pid\":%u,\"ts\":%" PRIu64 ".%03u,\"args\":{"
		"\"calls\":%" PRIu64 ",\"bytes\":%" PRIu64 "}}",
		c->pid, ns / 1000, (unsigned)(ns % 1000),
		totals ? c->calls : 0, totals ? c->bytes : 0);
}

/* A trace stat recording's counters (model->counted): totals, not
 * events, so each is a counter track in its process ("counted CHANNEL
 * DIR"), 0 at the process's start and its totals at its end. */
static void write_counted(const struct viz_model *m, FILE *out, bool *first)
{
	for (size_t i = 0; i < m->ncounted; i++) {
		const struct viz_counted *c = &m->counted[i];
		const struct viz_process *p = viz_model_process(m, c->pid);

		if (!p)
			continue;
		counted_value(m, out, first, c, p->start_ns, false);
		counted_value(m, out, first, c, p->end_ns > p->start_ns ? p->end_ns : p->start_ns,
			      true);
	}
}

int perfetto_write_counters(const struct viz_model *m, FILE *out, bool *first)
{
	struct series_table s;
	struct counter_ctx c = { m, out, first, NULL };
	uint64_t bucket = m->duration_ns / 200;
	bool any = false;
	int err;

	write_counted(m, out, first);
	for (size_t o = 0; o < m->nobjects && !any; o++)
		any = has_counters(m, o);
	if (!any)
		return 0;
	if ((err = series_compute(m, true, &s)))
		return err;
	if (!*first)
		fputs(",\n", out);
	*first = false;
	fprintf(out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,"
		"\"args\":{\"name\":\"IPC channels\"}}", PERFETTO_CHANNELS_PID);
	for (size_t o = 0; o < m->nobjects; o++) {
		const struct channel_series *cs = &s.channels[o];
		if (!has_counters(m, o))
			continue;
		write_depth(&c, o, cs);
	}
	series_release(&s);
	c.next_ns = calloc(m->nobjects ? m->nobjects : 1, sizeof(*c.next_ns));
	if (!c.next_ns)
		return -ENOMEM;
	err = series_throughput(m, 0, bucket > 1000 ? bucket : 1000, on_bucket, &c);
	for (size_t o = 0; o < m->nobjects && !err; o++)
		if (c.next_ns[o] && has_counters(m, o))
			throughput_value(&c, o, c.next_ns[o], 0, 0);
	free(c.next_ns);
	return err;
}
