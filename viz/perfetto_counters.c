/*
 * perfetto_counters - counter tracks of the Perfetto export (perfetto.c,
 * docs/perfetto.md): for every channel that two or more processes used
 * and that has a depth (series.c), its depth over time ("depth CHANNEL",
 * a value at every change) and its throughput ("throughput CHANNEL",
 * bytes/s and messages/s per bucket of 1/200 of the recording, at least
 * 1 µs; 0 where nothing was sent).  They live in one pseudo-process,
 * pid PERFETTO_CHANNELS_PID, named "IPC channels".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "escape.h"
#include "hot.h"
#include "viz.h"

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

int perfetto_write_counters(const struct viz_model *m, FILE *out, bool *first)
{
	struct series_table s;
	struct counter_ctx c = { m, out, first, NULL };
	uint64_t bucket = m->duration_ns / 200;
	bool any = false;
	int err;

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
		counter_head(&c, "depth", o, 0);
		fprintf(out, "\"%s\":0}}", cs->unit == DEPTH_BYTES ? "bytes" : "messages");
		for (size_t i = 0; i < cs->npoints; i++) {
			counter_head(&c, "depth", o, cs->points[i].ts_ns);
			fprintf(out, "\"%s\":%" PRIu64 "}}",
				cs->unit == DEPTH_BYTES ? "bytes" : "messages", cs->points[i].depth);
		}
	}
	series_release(&s);
	c.next_ns = calloc(m->nobjects ? m->nobjects : 1, sizeof(*c.next_ns));
	if (!c.next_ns)
		return -ENOMEM;
	err = series_throughput(m, bucket > 1000 ? bucket : 1000, on_bucket, &c);
	for (size_t o = 0; o < m->nobjects && !err; o++)
		if (c.next_ns[o] && has_counters(m, o))
			throughput_value(&c, o, c.next_ns[o], 0, 0);
	free(c.next_ns);
	return err;
}
