/*
 * timeline_marks - the timeline's legend, its shared-memory bands and the
 * payload samples shown in tooltips (timeline.c draws the rest).
 *
 * The legend's second row, drawn only when the trace has more than pipe
 * transfers, shows the arrow colour of each kind that has a flow (signal
 * arrows dotted: generation -> delivery; semaphore arrows dashed: the V ->
 * the P it released) and the shared-memory band.  A band is a thin
 * translucent bar under a lane for as long as the process had a shared
 * memory object mapped; its tooltip names the object, address, size and
 * whether the mapping came with fork.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "svg.h"
#include "timeline_internal.h"

/* Bit k set when kind k has a flow; the shm bit when there are attachments. */
static uint32_t kinds_shown(const struct viz_model *m)
{
	uint32_t mask = 0;

	for (size_t i = 0; i < m->nflows; i++)
		if (m->flows[i].object < m->nobjects)
			mask |= 1u << m->objects[m->flows[i].object].kind;
	if (m->nattachments)
		mask |= 1u << IPCT_KIND_SHM;
	/* Pipes alone keep the plain legend. */
	return mask & ~(1u << IPCT_KIND_PIPE) ? mask : 0;
}

static void draw_kinds_row(struct timeline *t, double y)
{
	static const char *const label[IPCT_KIND_MAX] = {
		[IPCT_KIND_PIPE] = "pipe", [IPCT_KIND_FIFO] = "fifo",
		[IPCT_KIND_FILE] = "file", [IPCT_KIND_MSGQ] = "msgq",
		[IPCT_KIND_SEM] = "sem: V \xe2\x86\x92 P released",
		[IPCT_KIND_SIGNAL] = "signal: sent \xe2\x86\x92 delivered",
		[IPCT_KIND_UNIX] = "unix", [IPCT_KIND_TCP] = "tcp",
		[IPCT_KIND_UDP] = "udp",
	};
	uint32_t mask = kinds_shown(t->m);
	double x = 74;
	char cls[32];

	svg_textz(t->out, 12, y + 4, NULL, "start", "Kinds:");
	for (int k = IPCT_KIND_PIPE; k < IPCT_KIND_MAX; k++) {
		if (!(mask & (1u << k)))
			continue;
		if (k == IPCT_KIND_SHM) {
			svg_rect(t->out, x, y - 3, 30, 3, "shm", NULL);
			svg_textz(t->out, x + 36, y + 4, NULL, "start", "shared memory mapped");
			x += 190;
			continue;
		}
		snprintf(cls, sizeof(cls), "xfer k-%s", viz_kind_name(k));
		svg_arrow(t->out, x, y - 1, x + 30, y - 1, cls, 0, NULL);
		svg_textz(t->out, x + 36, y + 4, NULL, "start", label[k]);
		x += 52 + 7 * strlen(label[k]);
	}
}

double timeline_legend_height(const struct timeline *t)
{
	return LEGEND_H + (kinds_shown(t->m) ? LEGEND_KINDS_H : 0);
}

void timeline_draw_legend(struct timeline *t)
{
	double y = TOP + t->nrows * LANE_H + 30, x = 12;
	FILE *out = t->out;

	svg_textz(out, x, y + 4, NULL, "start", "Legend:");
	x += 62;
	svg_rect(out, x, y - 6, 36, 4, "life", NULL);
	svg_textz(out, x + 42, y + 4, NULL, "start", "lifetime");
	x += 112;
	svg_rect(out, x, y - TRACK_H / 2 - 1, 24, TRACK_H, "send", NULL);
	svg_textz(out, x + 30, y + 4, NULL, "start", "in a write");
	x += 112;
	svg_rect(out, x, y - TRACK_H / 2 - 1, 24, TRACK_H, "recv", NULL);
	svg_textz(out, x + 30, y + 4, NULL, "start", "in a read (long = waited)");
	x += 202;
	svg_arrow(out, x, y - 1, x + 34, y - 1, "xfer legend", 0, NULL);
	svg_textz(out, x + 42, y + 4, NULL, "start", "bytes: write → read that got them");
	x += 256;
	svg_line(out, x, y - 10, x, y + 6, "fork");
	svg_circle(out, x, y + 6, 3, "forkdot");
	svg_textz(out, x + 10, y + 4, NULL, "start", "fork");
	x += 56;
	svg_group_begin(out, "exit", NULL);
	svg_line(out, x - 5, y - 6, x + 5, y + 4, NULL);
	svg_line(out, x - 5, y + 4, x + 5, y - 6, NULL);
	svg_group_end(out);
	svg_textz(out, x + 10, y + 4, NULL, "start", "exit 0");
	x += 66;
	svg_group_begin(out, "exitbad", NULL);
	svg_line(out, x - 5, y - 6, x + 5, y + 4, NULL);
	svg_line(out, x - 5, y + 4, x + 5, y - 6, NULL);
	svg_group_end(out);
	svg_textz(out, x + 10, y + 4, NULL, "start", "failed");
	if (kinds_shown(t->m)) {
		y += LEGEND_KINDS_H;
		draw_kinds_row(t, y);
	}
	svg_textz(out, 12, y + 24, "summary", "start",
		  "Hover a mark for details (pids, bytes, objects, payload, times).");
}


void timeline_draw_attachments(struct timeline *t)
{
	const struct viz_model *m = t->m;
	char tip[256], start[32], end[32];

	svg_group_begin(t->out, "attachments", NULL);
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];
		long row = timeline_row(t, a->pid);
		double x0, x1;

		if (row < 0 || (!m->show_all && !(m->objects[a->object].flags & VIZ_OBJ_SHOWN)))
			continue;
		x0 = timeline_x(t, a->start_ns);
		x1 = timeline_x(t, a->end_ns);
		timeline_format_duration(start, sizeof(start), a->start_ns);
		timeline_format_duration(end, sizeof(end), a->end_ns);
		snprintf(tip, sizeof(tip), "%u had %s mapped%s: %llu bytes at 0x%llx, from %s to %s",
			 a->pid, timeline_object_label(m, a->object),
			 a->inherited ? " (inherited at fork)" : "",
			 (unsigned long long)a->size, (unsigned long long)a->addr, start, end);
		svg_rect(t->out, x0, timeline_lane_y(row) + TRACK_H + 2,
			 x1 - x0 < 1 ? 1 : x1 - x0, 3, "shm", tip);
	}
	svg_group_end(t->out);
}

void timeline_format_payload(char *buf, size_t size, const struct viz_model *m,
			     const struct viz_op *op)
{
	size_t n = op->payload_len < TOOLTIP_PAYLOAD ? op->payload_len : TOOLTIP_PAYLOAD;
	size_t used = 0;

	buf[0] = '\0';
	if (!n || !m->payload || size < 4 * TOOLTIP_PAYLOAD + 8)
		return;
	buf[used++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = m->payload[op->payload + i];
		if (c == '\\' || c == '"')
			used += snprintf(buf + used, size - used, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[used++] = c;
		else
			used += snprintf(buf + used, size - used, "\\x%02x", c);
	}
	buf[used++] = '"';
	if (op->payload_len > n)
		used += snprintf(buf + used, size - used, "...");
	buf[used] = '\0';
}
