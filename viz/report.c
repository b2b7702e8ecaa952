/*
 * report - the summaries of a loaded model (viz.h): report_text(), a
 * compact human summary in the spirit of `strace -c`, and report_json(),
 * the machine-readable report of docs/report-json.md.
 *
 * Both print the same facts: the command and how it ended, event and loss
 * counts, the processes, the channels (every object seen), the flows
 * between processes, and per-channel call statistics (count, bytes and the
 * exact min/p50/p99/max of the time spent in each call, from sorted
 * durations).  Strings from the traced system go through escape_json() in
 * JSON and through print_safe() (\xNN for non-printable bytes) on a
 * terminal.  Output order is fixed by the model, so the same trace always
 * gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "viz.h"
#include "escape.h"

/* Calls of one direction (send or receive) on one object. */
struct call_stats {
	uint64_t calls;
	uint64_t errors;        /* calls that returned -errno */
	uint64_t bytes;         /* bytes moved */
	uint64_t total_ns;      /* time inside the calls */
	uint64_t min_ns, p50_ns, p99_ns, max_ns;  /* valid when calls > 0 */
};

/* stats[2 * object + 0] is sends, [2 * object + 1] receives. */
#define STAT_SEND 0
#define STAT_RECV 1

/* Nearest-rank percentile P (0..100) of N sorted values (N > 0). */
static uint64_t percentile(const uint64_t *sorted, size_t n, unsigned p)
{
	size_t rank = ((uint64_t)n * p + 99) / 100;  /* ceil(n * p / 100) */

	return sorted[rank ? rank - 1 : 0];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Compute per-object, per-direction call statistics into a new array of
 * 2 * nobjects entries (*OUT, to free).  0 or -ENOMEM. */
static int compute_stats(const struct viz_model *m, struct call_stats **out)
{
	size_t nslots = 2 * m->nobjects;
	struct call_stats *st = calloc(nslots ? nslots : 1, sizeof(*st));
	size_t *start = calloc(nslots + 1, sizeof(*start));
	size_t *fill = calloc(nslots + 1, sizeof(*fill));
	uint64_t *dur = malloc((m->nops ? m->nops : 1) * sizeof(*dur));

	if (!st || !start || !fill || !dur) {
		free(st);
		free(start);
		free(fill);
		free(dur);
		return -ENOMEM;
	}
	/* Bucket durations by (object, direction), then sort each bucket. */
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		size_t k = 2 * op->object + (op->dir == IPCT_DIR_SEND ? STAT_SEND : STAT_RECV);
		start[k + 1]++;
		st[k].calls++;
		st[k].total_ns += op->duration_ns;
		if (op->ret < 0)
			st[k].errors++;
		else
			st[k].bytes += op->ret;
	}
	for (size_t k = 0; k < nslots; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		size_t k = 2 * op->object + (op->dir == IPCT_DIR_SEND ? STAT_SEND : STAT_RECV);
		dur[start[k] + fill[k]++] = op->duration_ns;
	}
	for (size_t k = 0; k < nslots; k++) {
		uint64_t *d = dur + start[k];
		size_t n = start[k + 1] - start[k];
		if (!n)
			continue;
		qsort(d, n, sizeof(*d), cmp_u64);
		st[k].min_ns = d[0];
		st[k].p50_ns = percentile(d, n, 50);
		st[k].p99_ns = percentile(d, n, 99);
		st[k].max_ns = d[n - 1];
	}
	free(start);
	free(fill);
	free(dur);
	*out = st;
	return 0;
}

/* A wait(2) status as a shell would show it: the exit code, or 128 + the
 * signal number for a killed process. */
static int exit_code(int32_t status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The wait status of the traced command, or -1 when unknown. */
static int32_t command_status(const struct viz_model *m)
{
	if (m->has_stats && m->stats.exit_status >= 0)
		return m->stats.exit_status;
	const struct viz_process *root = viz_model_process(m, m->meta.root_pid);
	if (root && root->exited && root->exit_status >= 0)
		return root->exit_status;
	return -1;
}

/* ---- JSON ---- */

/* A fixed-size, maybe unterminated string field as a JSON string. */
static void json_string(FILE *out, const char *s, size_t max)
{
	escape_json(out, s, escape_strnlen(s, max));
}

static void json_call_stats(FILE *out, const struct call_stats *c)
{
	fprintf(out, "{\"calls\": %" PRIu64 ", \"errors\": %" PRIu64
		", \"bytes\": %" PRIu64 ", \"total_ns\": %" PRIu64,
		c->calls, c->errors, c->bytes, c->total_ns);
	if (c->calls)
		fprintf(out, ", \"min_ns\": %" PRIu64 ", \"p50_ns\": %" PRIu64
			", \"p99_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64 "}",
			c->min_ns, c->p50_ns, c->p99_ns, c->max_ns);
	else
		fputs(", \"min_ns\": null, \"p50_ns\": null, \"p99_ns\": null"
		      ", \"max_ns\": null}", out);
}

static void json_header(const struct viz_model *m, FILE *out)
{
	int32_t status = command_status(m);

	fputs("{\n  \"format\": \"ipctrace-report\",\n  \"version\": 1,\n"
	      "  \"command\": [", out);
	for (int i = 0; i < m->meta.argc; i++) {
		if (i)
			fputs(", ", out);
		escape_json(out, m->meta.argv[i], strlen(m->meta.argv[i]));
	}
	fputs("],\n  \"exit_status\": ", out);
	if (status >= 0)
		fprintf(out, "%d", exit_code(status));
	else
		fputs("null", out);
	fprintf(out, ",\n  \"lost_events\": %" PRIu64 ",\n  \"lost_by_kind\": {",
		m->lost_total);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		fprintf(out, "%s\"%s\": %" PRIu64, k ? ", " : "", viz_kind_name(k),
			m->has_stats ? m->stats.lost[k] : 0);
	fprintf(out, "},\n  \"truncated\": %s,\n  \"interrupted\": %s,\n"
		"  \"duration_ns\": %" PRIu64 ",\n  \"events\": %" PRIu64 ",\n"
		"  \"start_realtime_ns\": %" PRIu64 ",\n  \"host\": ",
		m->truncated ? "true" : "false",
		m->has_stats && (m->stats.flags & TRACE_STATS_INTERRUPTED) ? "true" : "false",
		m->duration_ns, m->events, m->meta.start_realtime_ns);
	json_string(out, m->meta.host, sizeof(m->meta.host));
	fputs(",\n  \"kernel\": ", out);
	json_string(out, m->meta.kernel, sizeof(m->meta.kernel));
	fputs(",\n", out);
}

static void json_processes(const struct viz_model *m, FILE *out)
{
	fputs("  \"processes\": [", out);
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		fprintf(out, "%s\n    {\"pid\": %" PRIu32 ", \"ppid\": %" PRIu32
			", \"comm\": ", i ? "," : "", p->pid, p->ppid);
		json_string(out, p->comm, sizeof(p->comm));
		fprintf(out, ", \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64
			", \"exit_code\": ", p->start_ns, p->end_ns);
		if (p->exited && p->exit_status >= 0)
			fprintf(out, "%d", exit_code(p->exit_status));
		else
			fputs("null", out);
		fputs(", \"exec\": ", out);
		if (p->exec_path[0])
			json_string(out, p->exec_path, sizeof(p->exec_path));
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputs(m->nprocesses ? "\n  ],\n" : "],\n", out);
}

static void json_channels(const struct viz_model *m, FILE *out)
{
	fputs("  \"channels\": [", out);
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];
		fprintf(out, "%s\n    {\"id\": ", i ? "," : "");
		json_string(out, o->id, sizeof(o->id));
		fprintf(out, ", \"kind\": \"%s\", \"name\": ", viz_kind_name(o->kind));
		json_string(out, o->name, sizeof(o->name));
		fputs(", \"users\": [", out);
		for (size_t u = 0; u < o->nusers; u++)
			fprintf(out, "%s%" PRIu32, u ? ", " : "", o->users[u]);
		fprintf(out, "], \"bytes_sent\": %" PRIu64 ", \"bytes_received\": %"
			PRIu64 ", \"bytes_unmatched\": %" PRIu64 "}",
			o->sent_bytes, o->received_bytes, o->unmatched_bytes);
	}
	fputs(m->nobjects ? "\n  ],\n" : "],\n", out);
}

static void json_flows(const struct viz_model *m, FILE *out)
{
	fputs("  \"flows\": [", out);
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		const struct viz_object *o = &m->objects[f->object];
		fprintf(out, "%s\n    {\"channel\": ", i ? "," : "");
		json_string(out, o->id, sizeof(o->id));
		fprintf(out, ", \"kind\": \"%s\", \"from\": %" PRIu32 ", \"to\": %"
			PRIu32 ", \"messages\": %" PRIu64 ", \"bytes\": %" PRIu64 "}",
			viz_kind_name(o->kind), f->from, f->to, f->messages, f->bytes);
	}
	fputs(m->nflows ? "\n  ],\n" : "],\n", out);
}

static void json_stats(const struct viz_model *m, const struct call_stats *st,
		       FILE *out)
{
	fputs("  \"stats\": [", out);
	for (size_t i = 0; i < m->nobjects; i++) {
		fprintf(out, "%s\n    {\"channel\": ", i ? "," : "");
		json_string(out, m->objects[i].id, sizeof(m->objects[i].id));
		fputs(",\n     \"send\": ", out);
		json_call_stats(out, &st[2 * i + STAT_SEND]);
		fputs(",\n     \"recv\": ", out);
		json_call_stats(out, &st[2 * i + STAT_RECV]);
		fputc('}', out);
	}
	fputs(m->nobjects ? "\n  ]\n" : "]\n", out);
}

int report_json(const struct viz_model *m, FILE *out)
{
	struct call_stats *st;
	int err = compute_stats(m, &st);

	if (err)
		return err;
	json_header(m, out);
	json_processes(m, out);
	json_channels(m, out);
	json_flows(m, out);
	json_stats(m, st, out);
	fputs("}\n", out);
	free(st);
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}

/* ---- text ---- */

/* Write S (at most MAX bytes, up to a NUL) for a terminal: printable ASCII
 * as is, a backslash doubled, every other byte as \xNN. */
static void print_safe(FILE *out, const char *s, size_t max)
{
	size_t n = escape_strnlen(s, max);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '\\')
			fputs("\\\\", out);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

/* Columns print_safe() uses for S. */
static size_t safe_width(const char *s, size_t max)
{
	size_t n = escape_strnlen(s, max), w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		w += c == '\\' ? 2 : (c >= 0x20 && c < 0x7f) ? 1 : 4;
	}
	return w;
}

/* A duration in the unit that suits it: "850 ns", "12.5 µs", "3.250 ms", "1.500 s". */
static void print_duration(FILE *out, uint64_t ns)
{
	if (ns < 1000)
		fprintf(out, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		fprintf(out, "%.1f \xc2\xb5s", ns / 1e3);
	else if (ns < 1000000000)
		fprintf(out, "%.3f ms", ns / 1e6);
	else
		fprintf(out, "%.3f s", ns / 1e9);
}

static void print_status(FILE *out, int32_t status)
{
	if (status < 0)
		fputs("unknown", out);
	else if (WIFSIGNALED(status))
		fprintf(out, "%d (killed by signal %d)", exit_code(status),
			WTERMSIG(status));
	else
		fprintf(out, "%d", exit_code(status));
}

static void text_header(const struct viz_model *m, FILE *out)
{
	fputs("command:     ", out);
	for (int i = 0; i < m->meta.argc; i++) {
		if (i)
			fputc(' ', out);
		print_safe(out, m->meta.argv[i], strlen(m->meta.argv[i]));
	}
	fputs("\nexit status: ", out);
	print_status(out, command_status(m));
	fputs("\nduration:    ", out);
	print_duration(out, m->duration_ns);
	fprintf(out, "\nevents:      %" PRIu64 " (%" PRIu64 " lost", m->events,
		m->lost_total);
	if (m->lost_total)
		for (int k = 0; k < IPCT_KIND_MAX; k++)
			if (m->stats.lost[k])
				fprintf(out, "; %s %" PRIu64, viz_kind_name(k),
					m->stats.lost[k]);
	fputs(")\n", out);
	if (m->truncated)
		fputs("warning: the trace file was cut short: the end of the "
		      "recording is missing\n", out);
}

static void text_processes(const struct viz_model *m, FILE *out)
{
	fprintf(out, "\nprocesses (%zu):\n  %8s %8s  %-16s %-8s %s\n",
		m->nprocesses, "PID", "PPID", "COMM", "EXIT", "LIFETIME");
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		char exit_buf[32] = "-";
		if (p->exited && p->exit_status >= 0) {
			if (WIFSIGNALED(p->exit_status))
				snprintf(exit_buf, sizeof(exit_buf), "sig %d",
					 WTERMSIG(p->exit_status));
			else
				snprintf(exit_buf, sizeof(exit_buf), "%d",
					 exit_code(p->exit_status));
		}
		fprintf(out, "  %8" PRIu32 " %8" PRIu32 "  ", p->pid, p->ppid);
		size_t width = safe_width(p->comm, sizeof(p->comm));
		print_safe(out, p->comm, sizeof(p->comm));
		fprintf(out, "%*s %-8s ", width < 16 ? (int)(16 - width) : 0, "", exit_buf);
		print_duration(out, p->end_ns - p->start_ns);
		fputc('\n', out);
	}
}

static void text_channels(const struct viz_model *m, const struct call_stats *st,
			  FILE *out)
{
	fprintf(out, "\nchannels (%zu):\n  %-28s %-5s %10s %10s %8s  %s\n",
		m->nobjects, "ID", "KIND", "SENT", "RECEIVED", "CALLS", "USERS");
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];
		fprintf(out, "  %-28s %-5s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " ",
			o->id, viz_kind_name(o->kind), o->sent_bytes, o->received_bytes,
			st[2 * i].calls + st[2 * i + 1].calls);
		for (size_t u = 0; u < o->nusers && u < 8; u++)
			fprintf(out, " %" PRIu32, o->users[u]);
		if (o->nusers > 8)
			fprintf(out, " +%zu more", o->nusers - 8);
		if (o->unmatched_bytes)
			fprintf(out, "  (%" PRIu64 " bytes read that no traced write explains)",
				o->unmatched_bytes);
		fputc('\n', out);
	}
}

/* "1234 comm" for a pid. */
static void print_process(const struct viz_model *m, FILE *out, uint32_t pid)
{
	const struct viz_process *p = viz_model_process(m, pid);

	fprintf(out, "%" PRIu32 " ", pid);
	if (p && p->comm[0])
		print_safe(out, p->comm, sizeof(p->comm));
	else
		fputc('?', out);
}

static void text_flows(const struct viz_model *m, FILE *out)
{
	fprintf(out, "\nflows (%zu):\n", m->nflows);
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		fputs("  ", out);
		print_process(m, out, f->from);
		fputs(" \xe2\x86\x92 ", out);   /* U+2192 RIGHTWARDS ARROW */
		print_process(m, out, f->to);
		fprintf(out, " via %s: %" PRIu64 " message%s, %" PRIu64 " byte%s\n",
			m->objects[f->object].id, f->messages,
			f->messages == 1 ? "" : "s", f->bytes, f->bytes == 1 ? "" : "s");
	}
}

#define TOP_LATENCY 10

struct latency_row {
	size_t slot;            /* index in the stats array */
	uint64_t total_ns;
};

static int cmp_latency_row(const void *a, const void *b)
{
	const struct latency_row *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* The channel directions with the most time spent in calls, in µs. */
static int text_latency(const struct viz_model *m, const struct call_stats *st,
			FILE *out)
{
	size_t n = 0;
	struct latency_row *rows = malloc((2 * m->nobjects + 1) * sizeof(*rows));

	if (!rows)
		return -ENOMEM;
	for (size_t k = 0; k < 2 * m->nobjects; k++)
		if (st[k].calls)
			rows[n++] = (struct latency_row){ k, st[k].total_ns };
	qsort(rows, n, sizeof(*rows), cmp_latency_row);
	fprintf(out, "\ntime in calls (top %d, \xc2\xb5s):\n  %-28s %-4s %8s %14s %11s %11s %11s\n",
		TOP_LATENCY, "CHANNEL", "DIR", "CALLS", "TOTAL", "P50", "P99", "MAX");
	for (size_t i = 0; i < n && i < TOP_LATENCY; i++) {
		const struct call_stats *c = &st[rows[i].slot];
		fprintf(out, "  %-28s %-4s %8" PRIu64 " %14.3f %11.3f %11.3f %11.3f\n",
			m->objects[rows[i].slot / 2].id,
			rows[i].slot % 2 == STAT_SEND ? "send" : "recv", c->calls,
			c->total_ns / 1e3, c->p50_ns / 1e3, c->p99_ns / 1e3,
			c->max_ns / 1e3);
	}
	free(rows);
	return 0;
}

int report_text(const struct viz_model *m, FILE *out)
{
	struct call_stats *st;
	int err = compute_stats(m, &st);

	if (err)
		return err;
	text_header(m, out);
	text_processes(m, out);
	text_channels(m, st, out);
	text_flows(m, out);
	err = text_latency(m, st, out);
	free(st);
	if (err)
		return err;
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
