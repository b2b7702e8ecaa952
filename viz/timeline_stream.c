/*
 * timeline_stream - the timeline of a trace too long to hold (viz.h,
 * timeline_render_file), in two streaming loads of the file (model.h,
 * VIZ_LOAD_STREAM; stream.h):
 *
 * 1. the first gives the processes, forks, exits, the kept ops (those the
 *    stream does not take), the threads that made streamed calls
 *    (stream_threads.c) and the page's geometry (timeline.c);
 * 2. the second hands over each streamed call in time order and each
 *    transfer as the matcher finds it, and they are summed into the
 *    buckets the page can draw:
 *    - per lane, direction and column (a pixel, or wider when the lanes
 *      times the columns would pass MAX_MERGED_BLOCKS): the time spent
 *      inside calls (a call spread over the columns it covers), the calls
 *      and bytes (at the column of the return) and the kinds of channel;
 *    - per (sending lane, receiving lane, BUNDLE_PX cell of the send's
 *      return, cell of the receive's return): the transfers, their bytes,
 *      the sums of both ends' x (an arrow from the mean start to the mean
 *      end) and the latency range; cells double when there are more than
 *      AGG_ARROWS_MAX of them, as timeline_arrows.c widens its bundles.
 *
 * The waits for descriptors the stream decides come in the second pass
 * too, merged within a pixel per lane (timeline_waits.c); when the page
 * then grew (the legend got the streamed calls), a third pass merges
 * them again at its final width.
 *
 * So memory follows the lanes and the page, not the number of events.
 * A block's tooltip names its calls when they all made the same one
 * (draw_run()).  What the buckets cannot give: a single call's payload
 * and object, and the critical path.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"
#include "palette.h"
#include "stream.h"
#include "svg.h"
#include "viz.h"
#include "timeline_internal.h"

#define AGG_ARROWS_MAX  (1u << 16)     /* buckets kept before cells double */
#define SHADES          4              /* opacity levels of a column */
#define LEGEND_OPS      MAX_LEGEND_ITEMS

struct agg_cell {
	uint64_t busy_ns, bytes;
	uint32_t calls, failed;          /* failed: of the calls, those that did */
	uint32_t kinds;                  /* bit per enum ipct_kind */
	uint8_t call;                    /* the legend op + 1 of the calls in it, CALLS_MIXED
					    if several, 0 none */
};

#define CALLS_MIXED 0xff

struct agg_arrow {
	uint32_t from_row, to_row, cell1, cell2;
	uint32_t from_pid, to_pid, object;  /* object UINT32_MAX: several */
	uint64_t n, bytes, lat_min, lat_max;
	double sum1, sum2;               /* of the ends' times, from t0 */
	uint32_t sig;                    /* the first transfer's signal, or 0 */
};

/* A signal the kernel generated, drawn as the full timeline draws it. */
struct agg_kernel {
	uint64_t send_ns, recv_ns;
	uint32_t to_row, to_pid, object, sig;
	uint8_t cause;
};

struct timeline_agg {
	uint64_t col_ns;                 /* nanoseconds per column */
	size_t ncols;
	struct agg_cell **cells;         /* per row * 2 + (dir == RECV), lazily */
	struct agg_arrow *arrows;
	size_t narrows, cap_arrows;
	uint32_t *slots;                 /* hash of arrows: index + 1 */
	size_t nslots;
	double cell_ns;                  /* an arrow cell: BUNDLE_PX of time... */
	unsigned shift;                  /* ...<< shift */
	uint64_t calls, transfers;
	struct viz_op legend[LEGEND_OPS]; /* one op per (direction, kind, call) */
	size_t nlegend, last;             /* last: the legend op met last */
	struct agg_kernel *kernel;       /* at most AGG_ARROWS_MAX */
	size_t nkernel, cap_kernel;
};

/* ---- the columns ---- */

static size_t column_of(const struct timeline *t, uint64_t ns)
{
	const struct timeline_agg *a = t->agg;
	uint64_t rel = ns > t->t0 ? ns - t->t0 : 0;
	size_t c = (size_t)(rel / a->col_ns);

	return c < a->ncols ? c : a->ncols - 1;
}

static struct agg_cell *row_cells(struct timeline *t, long row, int dir)
{
	struct timeline_agg *a = t->agg;
	size_t k = (size_t)row * 2 + (dir == IPCT_DIR_RECV);

	if (!a->cells[k])
		a->cells[k] = calloc(a->ncols, sizeof(**a->cells));
	return a->cells[k];
}

static bool same_call(const struct viz_model *m, const struct viz_op *x,
		      const struct viz_op *y, enum ipct_kind kind)
{
	return x->dir == y->dir && x->syscall == y->syscall && x->type == y->type &&
	       viz_op_kind(m, x) == kind;
}

/* Keep OP for the legend if it is the first of its direction, kind and
 * call: the index of its legend op + 1, or CALLS_MIXED past LEGEND_OPS. */
static uint8_t legend_note(struct timeline_agg *a, const struct viz_model *m,
			   const struct viz_op *op)
{
	enum ipct_kind kind = viz_op_kind(m, op);

	if (a->last < a->nlegend && same_call(m, &a->legend[a->last], op, kind))
		return (uint8_t)(a->last + 1);
	for (size_t i = 0; i < a->nlegend; i++)
		if (same_call(m, &a->legend[i], op, kind))
			return (uint8_t)((a->last = i) + 1);
	if (a->nlegend == LEGEND_OPS)
		return CALLS_MIXED;
	a->legend[a->nlegend] = *op;
	a->last = a->nlegend++;
	return (uint8_t)a->nlegend;
}

const struct viz_op *timeline_agg_legend_ops(const struct timeline *t, size_t *n)
{
	*n = t->agg ? t->agg->nlegend : 0;
	return t->agg ? t->agg->legend : NULL;
}

static int on_op(void *ctx, const struct viz_model *unused, const struct viz_op *op,
		 uint64_t seq)
{
	struct timeline *t = ctx;
	const struct viz_model *m = t->m;
	uint64_t begin = viz_op_begin(op), end = op->ts_ns;
	struct agg_cell *cells;

	(void)unused;
	(void)seq;
	t->agg->calls++;
	if (!timeline_call_drawn(t, op))
		return 0;
	cells = row_cells(t, timeline_op_row(t, op), op->dir);
	if (!cells)
		return -ENOMEM;
	uint8_t call = legend_note(t->agg, m, op);
	size_t c0 = column_of(t, begin), c1 = column_of(t, end);
	uint32_t kind = 1u << (viz_op_kind(m, op) & 31);

	cells[c1].calls++;
	cells[c1].failed += op->ret < 0;
	if (op->ret > 0 && viz_op_moves_bytes(op))
		cells[c1].bytes += (uint64_t)op->ret;
	for (size_t c = c0; c <= c1; c++) {
		uint64_t lo = t->t0 + c * t->agg->col_ns, hi = lo + t->agg->col_ns;
		uint64_t from = begin > lo ? begin : lo, to = end < hi ? end : hi;

		if (c == c1 && c == t->agg->ncols - 1 && end > to)
			to = end;                /* past the plot's end: its last column */
		cells[c].busy_ns += to > from ? to - from : 0;
		cells[c].kinds |= kind;
		cells[c].call = !cells[c].call || cells[c].call == call ? call : CALLS_MIXED;
	}
	return 0;
}

/* ---- the arrows ---- */

static uint64_t arrow_hash(uint32_t from, uint32_t to, uint32_t c1, uint32_t c2)
{
	uint64_t h = ((uint64_t)from << 32 | to) * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)c1 << 32 | c2) * 0xc2b2ae3d27d4eb4full;
	return h ^ (h >> 29);
}

static int slots_grow(struct timeline_agg *a, size_t want)
{
	size_t n = a->nslots ? a->nslots : 1024;

	while (n < want * 2)
		n *= 2;
	if (n == a->nslots)
		return 0;
	uint32_t *s = calloc(n, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < a->narrows; i++) {
		const struct agg_arrow *w = &a->arrows[i];
		size_t h = arrow_hash(w->from_row, w->to_row, w->cell1, w->cell2) & (n - 1);

		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(a->slots);
	a->slots = s;
	a->nslots = n;
	return 0;
}

/* Add W (a transfer, or a bucket being merged) to its bucket. */
static int arrow_add(struct timeline_agg *a, const struct agg_arrow *w)
{
	int err;

	if ((a->narrows + 1) * 2 > a->nslots && (err = slots_grow(a, a->narrows + 1)))
		return err;
	size_t h = arrow_hash(w->from_row, w->to_row, w->cell1, w->cell2) & (a->nslots - 1);
	for (; a->slots[h]; h = (h + 1) & (a->nslots - 1)) {
		struct agg_arrow *b = &a->arrows[a->slots[h] - 1];

		if (b->from_row != w->from_row || b->to_row != w->to_row ||
		    b->cell1 != w->cell1 || b->cell2 != w->cell2)
			continue;
		if (b->object != w->object)
			b->object = UINT32_MAX;
		b->n += w->n;
		b->bytes += w->bytes;
		b->sum1 += w->sum1;
		b->sum2 += w->sum2;
		b->lat_min = w->lat_min < b->lat_min ? w->lat_min : b->lat_min;
		b->lat_max = w->lat_max > b->lat_max ? w->lat_max : b->lat_max;
		return 0;
	}
	if (model_grow((void **)&a->arrows, &a->cap_arrows, a->narrows + 1, sizeof(*a->arrows)))
		return -ENOMEM;
	a->arrows[a->narrows] = *w;
	a->slots[h] = (uint32_t)++a->narrows;
	return 0;
}

/* Double the cells: merge the buckets that now share one. */
static int arrows_coarsen(struct timeline_agg *a)
{
	struct agg_arrow *old = a->arrows;
	size_t n = a->narrows;
	int err = 0;

	a->arrows = NULL;
	a->narrows = a->cap_arrows = 0;
	memset(a->slots, 0, a->nslots * sizeof(*a->slots));
	a->shift++;
	for (size_t i = 0; !err && i < n; i++) {
		old[i].cell1 >>= 1;
		old[i].cell2 >>= 1;
		err = arrow_add(a, &old[i]);
	}
	free(old);
	return err;
}

static int on_transfer(void *ctx, const struct viz_model *unused, const struct viz_op *send,
		       uint64_t send_seq, const struct viz_op *recv, uint64_t recv_seq,
		       uint64_t bytes)
{
	struct timeline *t = ctx;
	const struct viz_model *m = t->m;
	struct timeline_agg *a = t->agg;

	(void)unused;
	(void)send_seq;
	(void)recv_seq;
	a->transfers++;
	if (!m->show_all && (send->pid == recv->pid || viz_op_exit_report(send) ||
			     send->object >= m->nobjects ||
			     !(m->objects[send->object].flags & VIZ_OBJ_SHOWN)))
		return 0;
	long from = timeline_op_row(t, send), to = timeline_op_row(t, recv);
	bool kernel = send->pid == 0 && send->type == VIZ_OP_SIG_GENERATE;
	if (kernel && to >= 0 && a->nkernel < AGG_ARROWS_MAX) {
		if (model_grow((void **)&a->kernel, &a->cap_kernel, a->nkernel + 1,
			       sizeof(*a->kernel)))
			return -ENOMEM;
		a->kernel[a->nkernel++] = (struct agg_kernel){
			send->ts_ns, recv->ts_ns, (uint32_t)to, recv->pid, send->object,
			send->u.sig.sig, send->u.sig.cause };
	}
	if (kernel || from < 0 || to < 0)
		return 0;
	double x1 = (double)(send->ts_ns > t->t0 ? send->ts_ns - t->t0 : 0);
	double x2 = (double)(recv->ts_ns > t->t0 ? recv->ts_ns - t->t0 : 0);
	double cell = a->cell_ns * (double)(1u << a->shift);
	uint64_t lat = recv->ts_ns > send->ts_ns ? recv->ts_ns - send->ts_ns : 0;
	struct agg_arrow w = { (uint32_t)from, (uint32_t)to, (uint32_t)(x1 / cell),
			       (uint32_t)(x2 / cell), send->pid, recv->pid, send->object,
			       1, bytes, lat, lat, x1, x2,
			       send->type == VIZ_OP_SIG_GENERATE ? send->u.sig.sig : 0 };

	int err = arrow_add(a, &w);
	if (!err && a->narrows > AGG_ARROWS_MAX)
		err = arrows_coarsen(a);
	return err;
}

static int on_wait(void *ctx, const struct viz_model *unused, const struct viz_wait_call *c)
{
	(void)unused;
	return timeline_waits_add(ctx, c);
}

/* ---- collecting ---- */

int timeline_agg_collect(struct timeline *t, const char *path)
{
	struct timeline_agg *a = calloc(1, sizeof(*a));
	struct stream_sink sink = { t, on_op, on_transfer, on_wait };
	struct viz_model m2;
	double cols, colw = 1.0;        /* pixels per column */
	int err;

	if (!a)
		return -ENOMEM;
	t->agg = a;
	if (t->nrows * 2 * t->plot_w > MAX_MERGED_BLOCKS)
		colw = t->nrows * 2 * t->plot_w / MAX_MERGED_BLOCKS;
	cols = ceil(t->plot_w / colw);
	a->ncols = cols < 1 ? 1 : (size_t)cols;
	a->col_ns = (uint64_t)ceil((double)t->span / (double)a->ncols);
	if (!a->col_ns)
		a->col_ns = 1;
	a->cell_ns = (double)t->span * BUNDLE_PX / t->plot_w;
	a->cells = calloc(t->nrows ? t->nrows * 2 : 1, sizeof(*a->cells));
	if (!a->cells)
		return -ENOMEM;
	t->polls_plot_w = t->plot_w;
	err = stream_load(&m2, path, &sink);
	viz_model_release(&m2);
	return err;
}

int timeline_waits_recollect(struct timeline *t, const char *path)
{
	struct stream_sink sink = { .ctx = t, .wait = on_wait };
	struct viz_model m2;
	int err;

	if (!t->agg || !t->npolls || t->polls_plot_w == t->plot_w)
		return 0;
	timeline_waits_free(t);
	t->polls_plot_w = t->plot_w;
	err = stream_load(&m2, path, &sink);
	viz_model_release(&m2);
	return err;
}

void timeline_agg_free(struct timeline *t)
{
	struct timeline_agg *a = t->agg;

	if (!a)
		return;
	for (size_t k = 0; a->cells && k < t->nrows * 2; k++)
		free(a->cells[k]);
	free(a->cells);
	free(a->arrows);
	free(a->slots);
	free(a->kernel);
	free(a);
	t->agg = NULL;
}

void timeline_agg_counts(const struct timeline *t, uint64_t *calls, uint64_t *transfers)
{
	*calls = t->agg ? t->agg->calls : 0;
	*transfers = t->agg ? t->agg->transfers : 0;
}

/* ---- drawing ---- */

/* "pipe, unix" of the KINDS bits into BUF; the one kind, or -1. */
static int kinds_text(uint32_t kinds, char *buf, size_t size)
{
	size_t used = 0;
	int one = -1, n = 0;

	buf[0] = 0;
	for (int k = 1; k < 32 && k < IPCT_KIND_MAX; k++) {
		if (!(kinds & (1u << k)))
			continue;
		one = k;
		n++;
		if (used < size)
			used += snprintf(buf + used, size - used, "%s%s", n > 1 ? ", " : "",
					 viz_kind_name((enum ipct_kind)k));
	}
	return n == 1 ? one : -1;
}

static int shade(const struct timeline_agg *a, const struct agg_cell *c)
{
	double share = (double)c->busy_ns / (double)a->col_ns;
	int s = (int)lround(share * SHADES);

	return s < 1 ? 1 : s > SHADES ? SHADES : s;
}

/* The legend op every call in columns [C0, C1) of CELLS made, or NULL
 * when they made several (or a signal's, whose name the op's own signal
 * gives). */
static const struct viz_op *run_call(const struct timeline_agg *a, const struct agg_cell *cells,
				     size_t c0, size_t c1)
{
	uint8_t call = 0;

	for (size_t c = c0; c < c1; c++) {
		if (cells[c].call == CALLS_MIXED || (call && cells[c].call != call))
			return NULL;
		call = cells[c].call;
	}
	if (!call)
		return NULL;
	const struct viz_op *op = &a->legend[call - 1];
	return op->type == VIZ_OP_SIG_SEND || op->type == VIZ_OP_SIG_DELIVER ? NULL : op;
}

/* Columns [C0, C1) of CELLS as one block: same kinds and shade.  Its
 * tooltip names the call as a single call's does (viz_op_call_name) when
 * the block's calls all made the same one: "4 msgsnd calls, 32 bytes
 * into msgq, 12 µs inside calls", "2 semop V calls on sem, ..."; else
 * "9 writes, 120 bytes into pipe, unix, ...".  Failed calls are counted
 * apart: "7 recvmsg calls (4 failed), ...".  A block where calls only
 * went on (they returned further right): "49 ns inside msgsnd calls on
 * msgq". */
static void draw_run(struct timeline *t, const struct agg_cell *cells, size_t c0, size_t c1,
		     size_t row, int dir)
{
	const struct timeline_agg *a = t->agg;
	const struct viz_op *op = run_call(a, cells, c0, c1);
	char tip[512], busy[32], kinds[160], cls[48], call[64], failed[32] = "", what[96];
	uint64_t calls = 0, bytes = 0, busy_ns = 0, nfailed = 0;
	double y = timeline_lane_y(t, row) + (dir == IPCT_DIR_SEND ? -TRACK_H - 1 : 1);

	for (size_t c = c0; c < c1; c++) {
		calls += cells[c].calls;
		nfailed += cells[c].failed;
		bytes += cells[c].bytes;
		busy_ns += cells[c].busy_ns;
	}
	int kind = kinds_text(cells[c0].kinds, kinds, sizeof(kinds));
	timeline_format_duration(busy, sizeof(busy), busy_ns);
	if (nfailed)
		snprintf(failed, sizeof(failed), " (%llu failed)", (unsigned long long)nfailed);
	if (op)
		snprintf(what, sizeof(what), "%llu %s call%s%s", (unsigned long long)calls,
			 viz_op_call_name(t->m, op, call, sizeof(call)), calls == 1 ? "" : "s", failed);
	else
		snprintf(what, sizeof(what), "%llu %s%s%s", (unsigned long long)calls,
			 dir == IPCT_DIR_SEND ? "write" : "read", calls == 1 ? "" : "s", failed);
	if (!calls)
		snprintf(tip, sizeof(tip), "%s inside %s%scalls on %s", busy,
			 op ? viz_op_call_name(t->m, op, call, sizeof(call)) : "", op ? " " : "", kinds);
	else if (op && !viz_op_moves_bytes(op))
		snprintf(tip, sizeof(tip), "%s on %s, %s %s", what, kinds, busy,
			 calls == 1 ? "in the call" : "inside calls");
	else
		snprintf(tip, sizeof(tip), "%s, %llu bytes %s %s, %s %s", what,
			 (unsigned long long)bytes, dir == IPCT_DIR_SEND ? "into" : "from", kinds,
			 busy, calls == 1 ? "in the call" : "inside calls");
	snprintf(cls, sizeof(cls), "%s c-%s p%u", dir == IPCT_DIR_SEND ? "send" : "recv",
		 kind > 0 ? viz_kind_name((enum ipct_kind)kind) : "none", t->procs[row]->pid);
	double x0 = timeline_x(t, t->t0 + c0 * a->col_ns), x1 = timeline_x(t, t->t0 + c1 * a->col_ns);
	svg_rect_faded(t->out, x0, y, x1 - x0, TRACK_H, cls,
		       (double)shade(a, &cells[c0]) / SHADES, tip);
}

void timeline_agg_draw_calls(struct timeline *t)
{
	const struct timeline_agg *a = t->agg;

	if (!a)
		return;
	for (size_t k = 0; k < t->nrows * 2; k++) {
		const struct agg_cell *cells = a->cells[k];
		size_t start = 0;
		bool open = false;

		for (size_t c = 0; cells && c <= a->ncols; c++) {
			bool on = c < a->ncols && (cells[c].busy_ns || cells[c].calls);

			if (open && (!on || cells[c].kinds != cells[start].kinds ||
				     shade(a, &cells[c]) != shade(a, &cells[start]))) {
				draw_run(t, cells, start, c, k / 2,
					 k % 2 ? IPCT_DIR_RECV : IPCT_DIR_SEND);
				open = false;
			}
			if (on && !open) {
				start = c;
				open = true;
			}
		}
	}
}

/* One signal's arrow, as the full timeline draws it. */
static void draw_signal(struct timeline *t, const struct agg_arrow *w, double x1, double x2)
{
	struct viz_op s = { .pid = w->from_pid, .object = w->object,
			    .type = VIZ_OP_SIG_GENERATE, .u.sig.sig = w->sig };
	struct viz_op r = { .pid = w->to_pid, .object = w->object };

	timeline_draw_exact(t, &s, &r, 0, x1, timeline_lane_y(t, w->from_row), x2,
			    timeline_lane_y(t, w->to_row));
}

static void draw_arrow(struct timeline *t, const struct agg_arrow *w)
{
	const struct timeline_bundle b = {
		.from_pid = w->from_pid, .to_pid = w->to_pid,
		.object = w->object, .several = w->object >= t->m->nobjects,
		.n = w->n, .bytes = w->bytes, .lat_min = w->lat_min, .lat_max = w->lat_max,
	};
	double x1 = timeline_x(t, t->t0 + (uint64_t)(w->sum1 / (double)w->n));
	double x2 = timeline_x(t, t->t0 + (uint64_t)(w->sum2 / (double)w->n));

	if (w->n == 1 && w->sig && w->object < t->m->nobjects)
		draw_signal(t, w, x1, x2);
	else
		timeline_draw_bundle(t, &b, x1, timeline_lane_y(t, w->from_row), x2,
				     timeline_lane_y(t, w->to_row));
}

static void draw_kernel(struct timeline *t, const struct agg_kernel *k)
{
	struct viz_op s = { .ts_ns = k->send_ns, .object = k->object,
			    .type = VIZ_OP_SIG_GENERATE,
			    .u.sig = { .sig = k->sig, .cause = k->cause } };
	struct viz_op r = { .ts_ns = k->recv_ns, .pid = k->to_pid, .object = k->object };

	timeline_draw_from_kernel(t, &s, &r, k->to_row);
}

int timeline_agg_draw_arrows(struct timeline *t)
{
	struct timeline_agg *a = t->agg;
	int err = 0;

	if (!a)
		return 0;
	while (!err && a->narrows > MAX_ARROWS && a->cell_ns * (1u << a->shift) < (double)t->span)
		err = arrows_coarsen(a);
	for (size_t i = 0; !err && i < a->narrows; i++)
		draw_arrow(t, &a->arrows[i]);
	for (size_t i = 0; !err && i < a->nkernel; i++)
		draw_kernel(t, &a->kernel[i]);
	return err;
}

int timeline_render_file(const char *path, FILE *out, bool all)
{
	struct viz_model m;
	int err = viz_model_load_with(&m, path, VIZ_LOAD_STREAM);

	if (err)
		return err;
	m.show_all = all;
	err = timeline_render_from(&m, out, NULL, path);
	viz_model_release(&m);
	return err;
}
