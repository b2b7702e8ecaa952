/*
 * timeline_depth - `timeline --depth`: under the process lanes, a strip
 * for each of the busiest channels, drawn over the same time axis:
 *
 * - depth: what was sent into the channel and not yet received (bytes for
 *   byte streams, messages for queues, datagrams and signals), as a filled
 *   step area, the highest value within each pixel column (series.c);
 * - sent: bytes (or messages) sent per time bucket of a few pixels, as a
 *   line, scaled to the busiest bucket, with that peak as a rate.
 *
 * The data paths live in the zoomable #plot group (timeline_script.c
 * rescales their x); the frames and labels stay outside it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hot.h"
#include "svg.h"
#include "timeline_internal.h"
#include "units.h"
#include "viz.h"

#define STRIP_ROW_H   24.0     /* one of a strip's two rows */
#define STRIP_GAP     10.0
#define STRIP_H       (2 * STRIP_ROW_H + STRIP_GAP)
#define BUCKET_PX     3.0      /* width of a throughput bucket */
#define MAX_STRIP_LABEL_W 320.0 /* the margin widens for strip titles up to this */

/* One channel's strip. */
struct depth_strip {
	uint32_t object;
	uint8_t unit;                  /* enum depth_unit */
	uint64_t total;                /* bytes or messages sent: the rank */
	uint64_t *bucket;              /* sent per bucket, nbuckets of them */
	uint64_t peak;                 /* the largest bucket */
};

struct depth_strips {
	struct series_table series;
	struct depth_strip strip[TIMELINE_MAX_DEPTH_STRIPS];
	size_t n;
	uint64_t bucket_ns;
	size_t nbuckets;
	long *slot;                    /* per object: its strip, or -1 */
};

static uint64_t sent_in(const struct channel_series *c)
{
	return c->unit == DEPTH_BYTES ? c->bytes : c->messages;
}

static bool strip_wanted(const struct timeline *t, const struct channel_series *c, size_t o)
{
	const struct viz_object *obj = &t->m->objects[o];

	if (c->unit == DEPTH_NONE || !c->messages)
		return false;
	return t->m->show_all || (obj->flags & VIZ_OBJ_SHOWN);
}

/* Keep the N busiest channels, busiest first (insertion into a short list). */
static void rank(struct depth_strips *d, uint32_t object, uint8_t unit, uint64_t total)
{
	size_t i = d->n;

	if (i == TIMELINE_MAX_DEPTH_STRIPS) {
		if (total <= d->strip[i - 1].total)
			return;
		i--;
	} else {
		d->n++;
	}
	while (i > 0 && d->strip[i - 1].total < total) {
		d->strip[i] = d->strip[i - 1];
		i--;
	}
	d->strip[i] = (struct depth_strip){ .object = object, .unit = unit, .total = total };
}

static void add_sent(void *ctx, uint32_t object, uint64_t from_ns, uint64_t to_ns,
		     uint64_t bytes, uint64_t messages)
{
	struct timeline *t = ctx;
	struct depth_strips *d = t->depth;
	long s = d->slot[object];
	struct depth_strip *st;
	uint64_t b = (from_ns - t->t0) / d->bucket_ns;

	(void)to_ns;
	if (s < 0 || b >= d->nbuckets)
		return;
	st = &d->strip[s];
	st->bucket[b] += st->unit == DEPTH_BYTES ? bytes : messages;
	if (st->bucket[b] > st->peak)
		st->peak = st->bucket[b];
}

static void depth_free(struct depth_strips *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->strip[i].bucket);
	free(d->slot);
	series_release(&d->series);
	free(d);
}

int timeline_depth_prepare(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct depth_strips *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	t->depth = d;
	err = series_compute(m, true, &d->series);
	if (err)
		return err;
	for (size_t o = 0; o < d->series.nchannels; o++) {
		const struct channel_series *c = &d->series.channels[o];
		if (strip_wanted(t, c, o))
			rank(d, o, c->unit, sent_in(c));
	}
	return 0;
}

int timeline_depth_buckets(struct timeline *t)
{
	const struct viz_model *m = t->m;
	struct depth_strips *d = t->depth;

	if (!d)
		return 0;
	d->nbuckets = (size_t)(t->plot_w / BUCKET_PX) + 1;
	d->bucket_ns = t->span / d->nbuckets + 1;
	d->slot = malloc((m->nobjects ? m->nobjects : 1) * sizeof(*d->slot));
	if (!d->slot)
		return -ENOMEM;
	for (size_t o = 0; o < m->nobjects; o++)
		d->slot[o] = -1;
	for (size_t i = 0; i < d->n; i++) {
		d->slot[d->strip[i].object] = (long)i;
		d->strip[i].bucket = calloc(d->nbuckets, sizeof(uint64_t));
		if (!d->strip[i].bucket)
			return -ENOMEM;
	}
	return d->n ? series_throughput(m, t->t0, d->bucket_ns, add_sent, t) : 0;
}

void timeline_depth_release(struct timeline *t)
{
	depth_free(t->depth);
	t->depth = NULL;
}

double timeline_depth_height(const struct timeline *t)
{
	return t->depth && t->depth->n ? STRIP_GAP + t->depth->n * STRIP_H : 0;
}

static double strip_top(const struct timeline *t, size_t i)
{
	return t->top + t->nrows * LANE_H + STRIP_GAP + i * STRIP_H;
}

static void format_amount(char *buf, size_t size, uint64_t v, uint8_t unit)
{
	if (unit != DEPTH_BYTES)
		snprintf(buf, size, "%" PRIu64 " msg%s", v, v == 1 ? "" : "s");
	else if (v >= 10 * 1024 * 1024)
		snprintf(buf, size, "%.1f MiB", v / (1024.0 * 1024.0));
	else if (v >= 10 * 1024)
		snprintf(buf, size, "%.1f KiB", v / 1024.0);
	else
		snprintf(buf, size, "%" PRIu64 " B", v);
}

/* "1.2 MiB/s", or "350 msgs/s" */
static void format_rate(char *buf, size_t size, double per_s, uint8_t unit)
{
	if (unit != DEPTH_BYTES)
		snprintf(buf, size, "%.0f msgs/s", per_s);
	else if (per_s >= 1024.0 * 1024.0)
		snprintf(buf, size, "%.1f MiB/s", per_s / (1024.0 * 1024.0));
	else if (per_s >= 1024.0)
		snprintf(buf, size, "%.1f KiB/s", per_s / 1024.0);
	else
		snprintf(buf, size, "%.0f B/s", per_s);
}

/* "seq 6796 → gzip 6797", the flow of OBJECT that carried the most
 * (" +N" when there are more), into BUF; "" when it has none. */
static void strip_peers(const struct viz_model *m, uint32_t object, char *buf, size_t size)
{
	const struct viz_flow *top = NULL;
	size_t nflows = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		if (f->object != object)
			continue;
		nflows++;
		if (!top || f->bytes > top->bytes || (f->bytes == top->bytes && f->messages > top->messages))
			top = f;
	}
	if (!top)
		return;
	const struct viz_process *a = viz_model_process(m, top->from);
	const struct viz_process *b = viz_model_process(m, top->to);
	int n = snprintf(buf, size, "%.*s %" PRIu32 " \u2192 %.*s %" PRIu32,
			 IPCT_COMM_LEN, a ? a->comm : "?", top->from,
			 IPCT_COMM_LEN, b ? b->comm : "?", top->to);
	if (nflows > 1 && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - n, " +%zu", nflows - 1);
}

/* What strip I's title says: who talks through it (PEERS), else the
 * channel's id and name. */
static const char *strip_title(const struct timeline *t, size_t i, char *peers, size_t size)
{
	uint32_t object = t->depth->strip[i].object;

	strip_peers(t->m, object, peers, size);
	return peers[0] ? peers : timeline_object_label(t->m, object);
}

double timeline_depth_label_width(const struct timeline *t)
{
	char peers[2 * IPCT_COMM_LEN + 48];
	double w = 0;

	for (size_t i = 0; t->depth && i < t->depth->n; i++) {
		const char *title = strip_title(t, i, peers, sizeof(peers));
		double tw = 8 + timeline_text_width(title, strlen(title), 11) + 6;
		if (tw > w)
			w = tw;
	}
	return w < MAX_STRIP_LABEL_W ? w : MAX_STRIP_LABEL_W;
}

/* How many bytes of S fit in ROOM pixels at 11 px, cut before a UTF-8
 * continuation byte. */
static size_t fit(const char *s, double room)
{
	size_t n = strlen(s);

	while (n > 0 && timeline_text_width(s, n, 11) > room)
		n--;
	while (n > 0 && n < strlen(s) && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* The frame and labels of strip I, outside the zoomable plot. */
static void draw_frame(struct timeline *t, size_t i)
{
	const struct depth_strip *s = &t->depth->strip[i];
	const struct channel_series *c = &t->depth->series.channels[s->object];
	double y = strip_top(t, i), peak_s = (double)t->depth->bucket_ns / 1e9;
	char line[192], max[48], rate[48], peers[2 * IPCT_COMM_LEN + 48], tip[512];
	const char *title = strip_title(t, i, peers, sizeof(peers));

	format_amount(max, sizeof(max), c->max_depth, s->unit);
	format_rate(rate, sizeof(rate), s->peak / peak_s, s->unit);
	svg_rect(t->out, t->label_w, y, t->plot_w, 2 * STRIP_ROW_H, "strip", NULL);
	svg_line(t->out, t->label_w, y + STRIP_ROW_H, t->label_w + t->plot_w, y + STRIP_ROW_H,
		 "stripsep");
	/* Who talks through it, else its name, cut to the margin (which
	 * widened for it, up to a point); both whole in the tooltip. */
	snprintf(tip, sizeof(tip), "%s%s%s", timeline_object_label(t->m, s->object),
		 peers[0] ? ": " : "", peers);
	svg_group_begin(t->out, "striplabel", tip);
	svg_text(t->out, 8, y + 10, "striptitle", "start", title, fit(title, t->label_w - 14));
	snprintf(line, sizeof(line), "depth, max %s", max);
	svg_textz(t->out, t->label_w - 6, y + STRIP_ROW_H - 4, "stripaxis", "end", line);
	snprintf(line, sizeof(line), "sent, peak %s", rate);
	svg_textz(t->out, t->label_w - 6, y + 2 * STRIP_ROW_H - 4, "stripaxis", "end", line);
	svg_group_end(t->out);
}

/* Y of VALUE in the row whose bottom is BASE, scaled to MAX. */
static double row_y(double base, uint64_t value, uint64_t max)
{
	return base - (max ? (double)value / (double)max * (STRIP_ROW_H - 4) : 0);
}

/* Write the path D (built in a memory stream) with class CLS and TIP. */
static int flush_path(struct timeline *t, FILE *d, char **buf, const char *cls,
		      const char *tip)
{
	if (fclose(d) || !*buf) {
		free(*buf);
		return -ENOMEM;
	}
	svg_path(t->out, *buf, cls, tip);
	free(*buf);
	return 0;
}

/* The depth of strip I as a filled step area: per pixel column, the
 * highest depth the channel had in it. */
static int draw_depth(struct timeline *t, size_t i)
{
	const struct depth_strip *s = &t->depth->strip[i];
	const struct channel_series *c = &t->depth->series.channels[s->object];
	size_t ncol = (size_t)t->plot_w, p = 0, len = 0;
	double base = strip_top(t, i) + STRIP_ROW_H - 1;
	uint64_t now = 0, prev = 0;
	char tip[192], max[48], cls[64], *buf = NULL;
	FILE *d = open_memstream(&buf, &len);

	if (!d)
		return -ENOMEM;
	fprintf(d, "M%.1f,%.1f", t->label_w, base);
	for (size_t k = 0; k < ncol; k++) {
		uint64_t to = t->t0 + (uint64_t)((double)(k + 1) * t->span / t->plot_w);
		uint64_t high = now;
		double x = t->label_w + k;

		for (; p < c->npoints && c->points[p].ts_ns < to; p++) {
			now = c->points[p].depth;
			if (now > high)
				high = now;
		}
		if (k == 0 || high != prev)
			fprintf(d, " L%.1f,%.1f L%.1f,%.1f", x, row_y(base, prev, c->max_depth),
				x, row_y(base, high, c->max_depth));
		prev = high;
	}
	fprintf(d, " L%.1f,%.1f L%.1f,%.1f z", t->label_w + ncol,
		row_y(base, prev, c->max_depth), t->label_w + ncol, base);
	format_amount(max, sizeof(max), c->max_depth, s->unit);
	snprintf(tip, sizeof(tip), "%s: sent and not yet received, at most %s",
		 timeline_object_label(t->m, s->object), max);
	snprintf(cls, sizeof(cls), "depth c-%s", viz_kind_name(t->m->objects[s->object].kind));
	return flush_path(t, d, &buf, cls, tip);
}

/* What strip I sent per bucket, as a line scaled to the busiest bucket. */
static int draw_sent(struct timeline *t, size_t i)
{
	const struct depth_strip *s = &t->depth->strip[i];
	const struct depth_strips *d = t->depth;
	double base = strip_top(t, i) + 2 * STRIP_ROW_H - 1;
	char tip[224], total[48], rate[48], width[48], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "M%.1f,%.1f", t->label_w, base);
	for (size_t b = 0; b < d->nbuckets; b++) {
		double y = row_y(base, s->bucket[b], s->peak);
		fprintf(f, " L%.1f,%.1f L%.1f,%.1f", timeline_x(t, t->t0 + b * d->bucket_ns), y,
			timeline_x(t, t->t0 + (b + 1) * d->bucket_ns), y);
	}
	format_amount(total, sizeof(total), s->total, s->unit);
	format_rate(rate, sizeof(rate), s->peak / ((double)d->bucket_ns / 1e9), s->unit);
	viz_format_duration(width, sizeof(width), d->bucket_ns, VIZ_DURATION_SHORT);
	snprintf(tip, sizeof(tip), "%s: %s sent; at most %s (over %s)",
		 timeline_object_label(t->m, s->object), total, rate, width);
	return flush_path(t, f, &buf, "sent", tip);
}

void timeline_depth_frames(struct timeline *t)
{
	if (!t->depth || !t->depth->n)
		return;
	svg_group_begin(t->out, "strips", NULL);
	for (size_t i = 0; i < t->depth->n; i++)
		draw_frame(t, i);
	svg_group_end(t->out);
}

int timeline_depth_draw(struct timeline *t)
{
	int err = 0;

	if (!t->depth || !t->depth->n)
		return 0;
	svg_group_begin(t->out, "depthdata", NULL);
	for (size_t i = 0; i < t->depth->n && !err; i++) {
		err = draw_depth(t, i);
		if (!err)
			err = draw_sent(t, i);
	}
	svg_group_end(t->out);
	return err;
}
