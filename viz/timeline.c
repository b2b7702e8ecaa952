/*
 * timeline - the SVG timeline: one horizontal lane per process (and a
 * sub-lane per thread that did IPC, timeline_lanes.c), time running left
 * to right (docs/pictures.md shows how to read it).
 *
 * On each lane: the process lifetime (thin grey bar), the time spent inside
 * IPC calls (blocks: writes in the upper half of the lane, reads in the
 * lower half, from ts_ns - duration_ns to ts_ns, so a read that waited is
 * long), forks (a dashed connector from the parent's lane down to the
 * child's at fork time), exits (an X, red when the status is not 0), shared
 * memory attachments (a thin blue band under the lane while mapped).  Every
 * transfer is an arrow from the send's return on the sender's lane to the
 * return of the receive that consumed it on the receiver's lane (a
 * signal's generation to its delivery, a semaphore's V to the P it
 * released), coloured by kind, drawn last so blocks never hide it.
 *
 * Size limits, so a million-event trace stays a few megabytes: arrows
 * within a few pixels of each other are bundled (timeline_arrows.c), and
 * the call blocks of busy lanes merge per pixel column (timeline_calls.c).
 *
 * The page is as wide as the lane labels and the legend need, and the
 * title wraps (timeline_layout).  An embedded script (timeline_script.c)
 * highlights, focuses, zooms and searches in a browser.
 *
 * timeline_render() returns 0, -ENOMEM or -EIO; it never prints.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "escape.h"
#include "units.h"
#include "palette.h"
#include "svg.h"
#include "viz.h"
#include "timeline_internal.h"

/* Colours by kind come from viz_palette_css() (palette.h). */
static const char timeline_css[] =
	"text { font-family: 'DejaVu Sans', Verdana, sans-serif; font-size: 12px; fill: #222; }\n"
	".title { font-size: 16px; font-weight: bold; }\n"
	".summary, .tick { font-size: 11px; fill: #555; }\n"
	".lanelabel { font-size: 12px; }\n"
	".lane0 { fill: #ffffff; } .lane1 { fill: #f3f5f8; }\n"
	".grid { stroke: #d5d9e0; stroke-width: 1; }\n"
	".axis { stroke: #666; stroke-width: 1; }\n"
	".life { fill: #c9ced6; } .life.thread { fill: #e1e5ea; }\n"
	".fork { stroke: #7f8c8d; stroke-width: 1.2; stroke-dasharray: 4,3; }\n"
	".forkdot { fill: #7f8c8d; }\n"
	".xfer { stroke: #555; stroke-width: 1.3; stroke-opacity: 0.85; fill: none; }\n"
	".bundle { stroke-opacity: 0.6; }\n"
	".xfer.k-sem { stroke-dasharray: 5,2; } .xfer.k-signal { stroke-dasharray: 2,2; }\n"
	".shm { fill: #1f618d; fill-opacity: 0.45; }\n"
	".counted { fill: #8e44ad; fill-opacity: 0.16; stroke: #8e44ad; stroke-width: 1;"
	" stroke-dasharray: 3,2; } .countedlabel { font-size: 10px; fill: #6c3483; }\n"
	".strip { fill: #fafbfc; stroke: #d5d9e0; stroke-width: 1; } .stripsep { stroke: #e5e8ec; }\n"
	".striptitle { font-size: 11px; font-weight: bold; } .stripaxis { font-size: 10px; fill: #555; }\n"
	".depth { fill-opacity: 0.55; } .sent { fill: none; stroke: #34495e; stroke-width: 1; }\n"
	".touchw { fill: #1f618d; }\n"
	".touchr { fill: #ffffff; stroke: #1f618d; stroke-width: 1; }\n"
	".exit line { stroke: #34495e; stroke-width: 2; }\n"
	".exitbad line { stroke: #e74c3c; stroke-width: 2.5; }\n"
	/* what the embedded script (timeline_script.c) toggles */
	".button { fill: #1f618d; cursor: pointer; text-decoration: underline; }\n"
	".zoomsel { fill: #2e86c1; fill-opacity: 0.15; stroke: #2e86c1; stroke-width: 1; }\n"
	".hovering #plot .xfer:not(.hl), .hovering #plot .send:not(.hl),"
	" .hovering #plot .recv:not(.hl) { opacity: 0.12; }\n"
	".xfer.hl { stroke-opacity: 1; }\n"
	".lane.hl text, .lane.fo text, .lane.match text { font-weight: bold; }\n"
	".focusing .lane:not(.fo) { opacity: 0.35; }\n"
	".focusing #plot .xfer:not(.fo), .focusing #plot .send:not(.fo),"
	" .focusing #plot .recv:not(.fo), .focusing #plot .life:not(.fo) { opacity: 0.08; }\n"
	".searching #plot .xfer:not(.match), .searching #plot .send:not(.match),"
	" .searching #plot .recv:not(.match) { opacity: 0.1; }\n"
	".lane.match text { fill: #c2185b; }\n"
	"#plot .match { stroke: #c2185b; stroke-opacity: 1; }\n";

/* ---- small helpers ---- */

/* "850 ns", "12.3 µs", "4.56 ms", "1.23 s". */
static void format_duration(char *buf, size_t size, uint64_t ns)
{
	viz_format_duration(buf, size, ns, VIZ_DURATION_SHORT);
}

void timeline_format_duration(char *buf, size_t size, uint64_t ns)
{
	format_duration(buf, size, ns);
}

double timeline_x(const struct timeline *t, uint64_t ns)
{
	ns = ns > t->t0 ? ns - t->t0 : 0;
	if (ns > t->span)
		ns = t->span;
	return t->label_w + (double)ns * t->plot_w / (double)t->span;
}

bool timeline_transfer_drawn(const struct timeline *t, const struct viz_transfer *x)
{
	const struct viz_model *m = t->m;

	return m->show_all || (viz_transfer_communicates(m, x) &&
			       (m->objects[m->ops[x->send].object].flags & VIZ_OBJ_SHOWN));
}

double timeline_lane_y(const struct timeline *t, size_t row)
{
	return t->top + row * LANE_H + LANE_H / 2;
}

double timeline_text_width(const char *s, size_t len, double font_px)
{
	/* DejaVu Sans averages about 0.6 em a character; escaped bytes
	 * (\xNN) count as the four characters they become. */
	return escape_text_width(s, len) * font_px * 0.58;
}

const char *timeline_object_label(const struct viz_model *m, uint32_t object)
{
	static char labels[2][sizeof(m->objects->id) + sizeof(m->objects->name) + 4];
	static unsigned int next;
	const struct viz_object *o;
	char *label;

	if (object >= m->nobjects)
		return "?";
	o = &m->objects[object];
	if (!o->name[0])
		return o->id;
	label = labels[next++ % 2];	/* two may be used in one tooltip */
	snprintf(label, sizeof(labels[0]), "%s (%.*s)", o->id,
		 (int)escape_strnlen(o->name, sizeof(o->name)), o->name);
	return label;
}

/* ---- layout ---- */

#define AXIS_CAPTION_SINCE_START "time since the command started"
#define AXIS_CAPTION_WINDOW      "time in the window"

/* The lane label of ROW into BUF: "comm pid", or "↳ thread TID" for a
 * thread's sub-lane. */
static const char *lane_label(const struct timeline *t, size_t row, char *buf, size_t size)
{
	const struct viz_process *p = t->procs[row];
	char pid[48];

	if (t->row_thread[row]) {
		snprintf(buf, size, "\xe2\x86\xb3 thread %u", t->row_thread[row]->tid);
		return buf;
	}
	viz_pid_label(t->m, p->pid, pid, sizeof(pid));
	snprintf(buf, size, "%.*s %s", (int)escape_strnlen(p->comm, sizeof(p->comm)),
		 p->comm, pid);
	return buf;
}

/* Break the title into lines of at most WIDTH pixels, at spaces where it
 * can; past MAX_TITLE_LINES the last line is elided. */
static void layout_title(struct timeline *t, double width)
{
	size_t len = strlen(t->title), start = 0, n = 0;

	while (start < len && n < MAX_TITLE_LINES) {
		size_t end = start, space = 0;

		t->title_cut[n++] = start;
		while (end < len && timeline_text_width(t->title + start, end + 1 - start, 17.5) <= width) {
			if (t->title[end] == ' ')
				space = end;
			end++;
		}
		if (end < len && space > start)
			end = space + 1;
		else
			while (end < len && end > start + 1 && (t->title[end] & 0xc0) == 0x80)
				end--;  /* not inside a UTF-8 character */
		start = end;
	}
	t->title_cut[n] = start;
	t->title_lines = n;
	t->title_elided = start < len;
}

/* Page geometry: the label column fits the widest lane label and the
 * axis caption, the page the plot and the legend's widest row, the
 * header the title's lines. */
static void timeline_layout(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char label[IPCT_COMM_LEN + 64];
	const char *caption = m->windowed ? AXIS_CAPTION_WINDOW : AXIS_CAPTION_SINCE_START;
	double w, legend_w;
	size_t used;

	t->label_w = 12 + timeline_text_width(caption, strlen(caption), 11) + 30;
	if (t->label_w < MIN_LABEL_W)
		t->label_w = MIN_LABEL_W;
	if (t->label_w < t->min_label_w)
		t->label_w = t->min_label_w;
	for (size_t row = 0; row < t->nrows; row++) {
		lane_label(t, row, label, sizeof(label));
		w = 12 + timeline_text_width(label, strlen(label), 12) + 8;
		if (w > t->label_w)
			t->label_w = w;
	}
	timeline_legend_collect(t);
	legend_w = timeline_legend_width(t);
	t->width = t->label_w + MIN_PLOT_W + RIGHT_MARGIN;
	if (t->width < MIN_WIDTH)
		t->width = MIN_WIDTH;
	if (t->width < legend_w)
		t->width = legend_w;
	t->plot_w = t->width - t->label_w - RIGHT_MARGIN;

	used = snprintf(t->title, sizeof(t->title), "ipctrace timeline%s", m->meta.argc > 0 ? ":" : "");
	for (int i = 0; i < m->meta.argc && m->meta.argv && used < sizeof(t->title); i++)
		used += snprintf(t->title + used, sizeof(t->title) - used, " %s", m->meta.argv[i]);
	layout_title(t, t->width - 24);
	t->top = HEADER_H + (t->title_lines > 1 ? (t->title_lines - 1) * TITLE_LINE_H : 0);
	timeline_legend_layout(t);
}

static int timeline_init(struct timeline *t, const struct viz_model *m, FILE *out)
{
	uint64_t end = m->duration_ns;
	int err;

	memset(t, 0, sizeof(*t));
	t->m = m;
	t->out = out;
	err = timeline_lanes_build(t);
	if (err)
		return err;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->procs[i]->end_ns > end)
			end = t->procs[i]->end_ns;
	if (m->nops && m->ops[m->nops - 1].ts_ns > end)
		end = m->ops[m->nops - 1].ts_ns;
	if (m->nforks && m->forks[m->nforks - 1].ts_ns > end)
		end = m->forks[m->nforks - 1].ts_ns;
	/* Time 0 is the command's exec (the tracer's setup is not drawn), or
	 * the start of --window, which also ends the plot. */
	t->t0 = m->windowed ? m->window_from_ns : m->command_start_ns;
	if (m->windowed && m->window_to_ns > t->t0)
		end = m->window_to_ns;
	t->span = end > t->t0 ? end - t->t0 : 1000;
	timeline_layout(t);
	return 0;
}

static void timeline_release(struct timeline *t)
{
	timeline_lanes_release(t);
	free(t->waits);
	timeline_agg_free(t);
	timeline_waits_free(t);
	timeline_depth_release(t);
}

/* ---- header, axis, lanes ---- */

static void draw_header(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char buf[512], span[32];
	double y = 22;
	uint64_t calls, transfers;

	/* Elided: the whole title on hover. */
	svg_group_begin(t->out, "header", t->title_elided ? t->title : NULL);
	for (size_t i = 0; i < t->title_lines; i++, y += TITLE_LINE_H) {
		size_t from = t->title_cut[i], to = t->title_cut[i + 1];

		if (i + 1 == t->title_lines && t->title_elided) {
			/* room for the "…", not inside a UTF-8 character */
			size_t keep = to - from > 3 ? to - from - 3 : to - from;

			while (keep > 0 && (t->title[from + keep] & 0xc0) == 0x80)
				keep--;
			snprintf(buf, sizeof(buf), "%.*s\xe2\x80\xa6", (int)keep, t->title + from);
			svg_textz(t->out, 12, y, "title", "start", buf);
		} else {
			svg_text(t->out, 12, y, "title", "start", t->title + from, to - from);
		}
	}
	svg_group_end(t->out);

	format_duration(span, sizeof(span), t->span);
	timeline_agg_counts(t, &calls, &transfers);
	snprintf(buf, sizeof(buf), "%zu processes, %llu calls, %llu transfers, %s%s",
		 m->nprocesses, (unsigned long long)(m->nops + calls),
		 (unsigned long long)(m->ntransfers + transfers), span,
		 m->lost_total ? "; EVENTS WERE LOST" : "");
	svg_textz(t->out, 12, y, "summary", "start", buf);
	/* the embedded script's controls (timeline_script.c) */
	svg_textz(t->out, t->width - 86, y, "summary status", "end",
		  "drag: zoom \xc2\xb7 double-click: reset \xc2\xb7 click a lane: focus");
	svg_textz(t->out, t->width - 12, y, "button searchbtn", "end", "Search");
}

static void draw_axis(struct timeline *t)
{
	double raw = (double)t->span / 8, mag, step, unit;
	const char *unit_name;
	double bottom = t->top + t->nrows * LANE_H, top = t->top;
	uint64_t step_ns, tick;
	int decimals;
	char label[48];

	mag = pow(10, floor(log10(raw)));
	step = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag :
	       raw / mag <= 5 ? 5 * mag : 10 * mag;
	step_ns = step < 1 ? 1 : step >= 0x1p64 ? UINT64_MAX : (uint64_t)step;
	if (t->span < 1000000) {
		unit = 1e3; unit_name = "µs";
	} else if (t->span < 1000000000) {
		unit = 1e6; unit_name = "ms";
	} else {
		unit = 1e9; unit_name = "s";
	}
	decimals = (int)ceil(-log10(step_ns / unit));
	if (decimals < 0)
		decimals = 0;

	svg_line(t->out, t->label_w, top - 4, t->label_w + t->plot_w, top - 4, "axis");
	svg_group_attrs(t->out, "id=\"ticks\"");
	for (tick = 0; tick <= t->span; tick += step_ns) {
		double x = timeline_x(t, t->t0 + tick);

		svg_line(t->out, x, top - 8, x, bottom, "grid");
		snprintf(label, sizeof(label), "%.*f %s", decimals, tick / unit, unit_name);
		svg_textz(t->out, x, top - 12, "tick", "middle", label);
		if (t->span - tick < step_ns)
			break;	/* the next tick would pass the end, or wrap */
	}
	svg_group_end(t->out);
	svg_textz(t->out, 12, top - 12, "tick", "start",
		  t->m->windowed ? AXIS_CAPTION_WINDOW : AXIS_CAPTION_SINCE_START);
}

/* The tooltip of ROW's process: comm, pids, exec, lifetime, exit. */
static void lane_tooltip(const struct timeline *t, size_t row, char *tip, size_t size)
{
	const struct viz_process *p = t->procs[row];
	size_t comm_len = escape_strnlen(p->comm, sizeof(p->comm));
	size_t path_len = escape_strnlen(p->exec_path, sizeof(p->exec_path));
	char status[48], start[32], end[32], pid[48], ppid[48];

	format_duration(start, sizeof(start), p->start_ns);
	format_duration(end, sizeof(end), p->end_ns);
	viz_exit_describe(p->exit_status, status, sizeof(status));
	viz_pid_label(t->m, p->pid, pid, sizeof(pid));
	viz_pid_label(t->m, p->ppid, ppid, sizeof(ppid));
	if (t->row_thread[row]) {
		const struct thread_row *th = t->row_thread[row];

		format_duration(start, sizeof(start), th->from);
		format_duration(end, sizeof(end), th->to);
		snprintf(tip, size, "thread %u of %.*s, pid %s\nits IPC calls from %s to %s",
			 th->tid, (int)comm_len, p->comm, pid, start, end);
		return;
	}
	snprintf(tip, size, "%.*s, pid %s, parent %s\nexec: %.*s\nfrom %s to %s, %s",
		 (int)comm_len, p->comm, pid, ppid,
		 (int)path_len, path_len ? p->exec_path : "(none seen)",
		 start, end, p->exited ? status : "still running at the end");
}

/* Each lane's band and label, classed "lane pPID" for the script. */
static void draw_lanes(struct timeline *t)
{
	char tip[512], label[IPCT_COMM_LEN + 64], cls[32];

	svg_group_attrs(t->out, "id=\"lanes\"");
	for (size_t row = 0; row < t->nrows; row++) {
		lane_tooltip(t, row, tip, sizeof(tip));
		snprintf(cls, sizeof(cls), "lane p%u", t->procs[row]->pid);
		svg_group_begin(t->out, cls, tip);
		svg_rect(t->out, 0, t->top + row * LANE_H, t->width, LANE_H,
			 row % 2 ? "lane1" : "lane0", NULL);
		svg_textz(t->out, t->label_w - 8, timeline_lane_y(t, row) + 4, "lanelabel", "end",
			  lane_label(t, row, label, sizeof(label)));
		svg_group_end(t->out);
	}
	svg_group_end(t->out);
}

/* Each process's lifetime, a thin bar on its lane. */
static void draw_lifetimes(struct timeline *t)
{
	char tip[512], cls[32];

	for (size_t row = 0; row < t->nrows; row++) {
		const struct viz_process *p = t->procs[row];
		const struct thread_row *th = t->row_thread[row];
		double x0 = timeline_x(t, th ? th->from : p->start_ns);
		double x1 = timeline_x(t, th ? th->to : p->end_ns);

		lane_tooltip(t, row, tip, sizeof(tip));
		snprintf(cls, sizeof(cls), "life%s p%u", th ? " thread" : "", p->pid);
		svg_rect_min(t->out, x0, timeline_lane_y(t, row) - 2, x1 - x0, 4, 1, cls, 1, tip);
	}
}

/* ---- forks and exits ---- */

static void draw_forks(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char tip[96];
	size_t i;

	for (i = 0; i < m->nforks; i++) {
		const struct viz_fork *f = &m->forks[i];
		long from = timeline_row(t, f->parent), to = timeline_row(t, f->child);
		double x = timeline_x(t, f->ts_ns);

		if (from < 0 || to < 0 || from == to)
			continue;
		snprintf(tip, sizeof(tip), "%u forked %u", f->parent, f->child);
		svg_group_begin(t->out, NULL, tip);
		svg_line(t->out, x, timeline_lane_y(t, from), x, timeline_lane_y(t, to), "fork");
		svg_circle(t->out, x, timeline_lane_y(t, to), 3, "forkdot");
		svg_group_end(t->out);
	}
}

static void draw_exits(struct timeline *t)
{
	char tip[96], status[48];
	size_t row;

	for (row = 0; row < t->nrows; row++) {
		const struct viz_process *p = t->procs[row];
		double x = timeline_x(t, p->end_ns), y = timeline_lane_y(t, row), r = 5;

		if (!p->exited || t->row_thread[row])
			continue;
		viz_exit_describe(p->exit_status, status, sizeof(status));
		snprintf(tip, sizeof(tip), "%u exited: %s", p->pid, status);
		svg_group_begin(t->out, p->exit_status != 0 ? "exitbad" : "exit", tip);
		svg_line(t->out, x - r, y - r, x + r, y + r, NULL);
		svg_line(t->out, x - r, y + r, x + r, y - r, NULL);
		svg_group_end(t->out);
	}
}

int timeline_render(const struct viz_model *m, FILE *out)
{
	return timeline_render_with(m, out, NULL);
}

int timeline_render_with(const struct viz_model *m, FILE *out,
			 const struct timeline_options *o)
{
	return timeline_render_from(m, out, o, NULL);
}

int timeline_render_from(const struct viz_model *m, FILE *out,
			 const struct timeline_options *o, const char *path)
{
	struct timeline t;
	double height;
	int err;

	err = timeline_init(&t, m, out);
	if (!err && path && !(err = timeline_agg_collect(&t, path)))
		timeline_layout(&t);    /* the legend now has the streamed calls */
	if (err) {
		timeline_release(&t);
		return err;
	}
	/* the strips' labels may widen the margin, which narrows the plot */
	if (o && o->depth && !(err = timeline_depth_prepare(&t))) {
		t.min_label_w = timeline_depth_label_width(&t);
		if (t.min_label_w > t.label_w)
			timeline_layout(&t);
		err = timeline_depth_buckets(&t);
	}
	height = t.top + t.nrows * LANE_H + timeline_depth_height(&t) + t.legend_h;
	if (!err && path)
		err = timeline_waits_recollect(&t, path);
	if (!err)
		err = svg_open(out, t.width, height, "ipctrace timeline");
	if (!err) {
		svg_style_begin(out);
		fputs(timeline_css, out);
		viz_palette_css(out);
		svg_style_end(out);
		viz_palette_markers(out);
		svg_rect(out, 0, 0, t.width, height, "lane0", NULL);
		draw_header(&t);
		draw_lanes(&t);
		draw_axis(&t);
		timeline_depth_frames(&t);
		/* what zooms; the arcs of the first lane rise into the axis */
		svg_clip_rect(out, "plotclip", t.label_w, t.top - 30, t.plot_w + RIGHT_MARGIN,
			      t.nrows * LANE_H + timeline_depth_height(&t) + 30);
		svg_group_attrs(out, "id=\"plot\" clip-path=\"url(#plotclip)\"");
		draw_lifetimes(&t);
		err = timeline_draw_calls(&t);
		timeline_agg_draw_calls(&t);
		timeline_draw_counted(&t);
		if (!err)
			err = timeline_draw_waits(&t);
	}
	if (!err) {
		timeline_draw_attachments(&t);
		draw_forks(&t);
		svg_group_begin(out, "transfers", NULL);
		err = timeline_draw_transfers(&t);
		if (!err)
			err = timeline_agg_draw_arrows(&t);
		svg_group_end(out);
	}
	if (!err && o && o->critical_path)
		err = timeline_draw_critical_path(&t);
	if (!err)
		err = timeline_depth_draw(&t);
	if (!err) {
		draw_exits(&t);
		svg_group_end(out);
		timeline_draw_legend(&t);
		timeline_write_script(&t);
		err = svg_close(out);
	}
	timeline_release(&t);
	return err;
}
