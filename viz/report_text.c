/*
 * report_text - the human summary of a loaded model (report_text() in
 * viz.h), in the spirit of `strace -c`: the command and how it ended,
 * events and losses, processes, channels, flows (signals by name,
 * semaphores as releases), shared-memory attachments and the channels
 * with the most time spent in calls.  Strings from the traced system are
 * printed through print_safe() (\xNN for non-printable bytes).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "escape.h"
#include "units.h"
#include "report_internal.h"

/* Write S (at most MAX bytes, up to a NUL) for a terminal. */
static void print_safe(FILE *out, const char *s, size_t max)
{
	escape_text(out, s, escape_strnlen(s, max));
}

/* Columns print_safe() uses for S. */
static size_t safe_width(const char *s, size_t max)
{
	return escape_text_width(s, escape_strnlen(s, max));
}

/* A duration in the unit that suits it: "850 ns", "12.5 µs", "3.250 ms", "1.500 s". */
static void print_duration(FILE *out, uint64_t ns)
{
	char buf[32];

	fputs(viz_format_duration(buf, sizeof(buf), ns, VIZ_DURATION_REPORT), out);
}

/* A duration into BUF, like print_duration(). */
static void format_ns(char *buf, size_t size, uint64_t ns)
{
	viz_format_duration(buf, size, ns, VIZ_DURATION_REPORT);
}

static void print_status(FILE *out, int32_t status)
{
	if (status < 0)
		fputs("unknown", out);
	else if (WIFSIGNALED(status)) {
		char how[40];

		fprintf(out, "%d (%s)", report_exit_code(status),
			viz_exit_describe(status, how, sizeof(how)));
	}
	else
		fprintf(out, "%d", report_exit_code(status));
}

/* A merged trace's hosts: where each came from, how its clock was set. */
static void text_hosts(const struct viz_model *m, FILE *out)
{
	for (uint32_t i = 0; i < m->meta.nhosts; i++) {
		const struct trace_host *h = &m->meta.hosts[i];
		fprintf(out, "%s%s (", i ? "             " : "hosts:       ", h->name);
		print_safe(out, h->source, escape_strnlen(h->source, sizeof(h->source)));
		if (i == 0)
			fputs("): the reference clock\n", out);
		else if (h->uncertainty_ns == TRACE_HOST_UNBOUNDED)
			fprintf(out, "): clock %+.6f s, by the wall clock only\n", h->offset_ns / 1e9);
		else
			fprintf(out, "): clock %+.6f s +- %.1f us, from %" PRIu64 " pairs\n",
				h->offset_ns / 1e9, h->uncertainty_ns / 1e3, h->pairs);
	}
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
	print_status(out, report_command_status(m));
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
	if (m->has_stats && (m->stats.flags & TRACE_STATS_SIZE_LIMIT))
		fprintf(out, "warning: the size limit (--max-size) was reached: %" PRIu64
			" later events were counted but not recorded\n", m->stats.unrecorded);
	if (m->has_stats && (m->stats.flags & TRACE_STATS_DURATION))
		fputs("note: the recording was stopped by its duration limit (--duration)\n", out);
	if (m->truncated)
		fputs("warning: the trace file was cut short: the end of the "
		      "recording is missing\n", out);
	if (m->io_uring.calls)
		fprintf(out, "note: %" PRIu64 " io_uring submissions (%" PRIu64 " io_uring_enter calls) "
			"not followed: what they moved is not in this report\n",
			m->io_uring.items, m->io_uring.calls);
	if (m->mmsg.calls)
		fprintf(out, "note: %" PRIu64 " messages of %" PRIu64 " sendmmsg/recvmmsg calls "
			"not followed (past the first 16 of a call)\n", m->mmsg.items, m->mmsg.calls);
	text_hosts(m, out);
}

static void text_processes(const struct viz_model *m, FILE *out)
{
	int w = m->meta.nhosts ? 16 : 8;	/* "host:pid" in a merged trace */

	fprintf(out, "\nprocesses (%zu):\n  %*s %*s  %-16s %-17s %s\n",
		m->nprocesses, w, "PID", w, "PPID", "COMM", "EXIT", "LIFETIME");
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		char exit_buf[40] = "-";

		if (p->exited && p->exit_status >= 0) {
			if (WIFSIGNALED(p->exit_status))
				viz_exit_describe(p->exit_status, exit_buf, sizeof(exit_buf));
			else
				snprintf(exit_buf, sizeof(exit_buf), "%d",
					 report_exit_code(p->exit_status));
		}
		char pid[48], ppid[48];
		fprintf(out, "  %*s %*s  ", w, viz_pid_label(m, p->pid, pid, sizeof(pid)),
			w, viz_pid_label(m, p->ppid, ppid, sizeof(ppid)));
		size_t width = safe_width(p->comm, sizeof(p->comm));
		print_safe(out, p->comm, sizeof(p->comm));
		fprintf(out, "%*s %-17s ", width < 16 ? (int)(16 - width) : 0, "", exit_buf);
		print_duration(out, p->end_ns - p->start_ns);
		fputc('\n', out);
	}
}

/* Channels: the objects data or a synchronisation passed through between
 * two processes (as in the pictures), or every object with --all; the
 * others are counted, and listed in the JSON. */
static void text_channels(const struct viz_model *m, const struct call_stats *st,
			  FILE *out)
{
	size_t shown = 0;

	for (size_t i = 0; i < m->nobjects; i++)
		shown += report_channel_shown(m, i);
	fprintf(out, "\nchannels (%zu %s):\n"
		"  %-28s %-6s %10s %10s %8s  %s\n",
		shown, m->show_all ? "with --all: every object the trace saw" :
		"that carried data or a synchronisation between processes",
		"ID", "KIND", "SENT", "RECEIVED", "CALLS", "USERS  NAME");
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];

		if (!report_channel_shown(m, i))
			continue;
		fprintf(out, "  %-28s %-6s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " ",
			o->id, viz_kind_name(o->kind), o->sent_bytes, o->received_bytes,
			st[2 * i].calls + st[2 * i + 1].calls);
		for (size_t u = 0; u < o->nusers && u < 8; u++)
			fprintf(out, " %" PRIu32, o->users[u]);
		if (o->nusers > 8)
			fprintf(out, " +%zu more", o->nusers - 8);
		if (o->name[0]) {
			fputs("  ", out);
			print_safe(out, o->name, sizeof(o->name));
		}
		if (o->unmatched_bytes)
			fprintf(out, "  (%" PRIu64 " bytes read that no traced write explains)",
				o->unmatched_bytes);
		fputc('\n', out);
	}
	if (m->nobjects > shown)
		fprintf(out, "  (+%zu objects that were not communication between traced "
			"processes, such as files only read or connections to peers outside "
			"the trace: see report.json, or --all)\n", m->nobjects - shown);
}

/* "1234 comm" for a pid; "kernel" for 0 (a signal the kernel sent). */
static void print_process(const struct viz_model *m, FILE *out, uint32_t pid)
{
	const struct viz_process *p = viz_model_process(m, pid);
	char label[48];

	if (pid == 0) {
		fputs("kernel", out);
		return;
	}
	fprintf(out, "%s ", viz_pid_label(m, pid, label, sizeof(label)));
	if (p && p->comm[0])
		print_safe(out, p->comm, sizeof(p->comm));
	else
		fputc('?', out);
}

static void print_flow_amount(const struct viz_model *m, const struct viz_flow *f,
			      FILE *out);

static void text_flows(const struct viz_model *m, FILE *out)
{
	size_t shown = 0;

	for (size_t i = 0; i < m->nflows; i++)
		shown += m->show_all || m->flows[i].shown;
	fprintf(out, "\nflows (%zu", shown);
	if (shown < m->nflows)
		fprintf(out, "; +%zu not communication, such as SIGCHLD exit reports: "
			"see report.json, or --all", m->nflows - shown);
	fputs("):\n", out);
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		if (!m->show_all && !f->shown)
			continue;
		fputs("  ", out);
		print_process(m, out, f->from);
		fputs(" \xe2\x86\x92 ", out);   /* U+2192 RIGHTWARDS ARROW */
		print_process(m, out, f->to);
		fprintf(out, " via %s: ", m->objects[f->object].id);
		print_flow_amount(m, f, out);
		if (f->touched)
			fputs(" (estimated from first page touches)", out);
		else if (f->estimated)
			fputs(" (estimated from the counters)", out);
		fputc('\n', out);
	}
}

/* "3 messages, 24 bytes", "2 releases", "2 x SIGUSR1". */
static void print_flow_amount(const struct viz_model *m, const struct viz_flow *f,
			      FILE *out)
{
	char name[32];

	if (f->touched) {
		fprintf(out, "%" PRIu64 " page%s", f->messages, f->messages == 1 ? "" : "s");
		return;
	}
	switch (m->objects[f->object].kind) {
	case IPCT_KIND_SEM:
		fprintf(out, "%" PRIu64 " release%s", f->messages, f->messages == 1 ? "" : "s");
		break;
	case IPCT_KIND_SIGNAL: {
		char cause[256];

		fprintf(out, "%" PRIu64 " \xc3\x97", f->messages);   /* U+00D7 */
		for (uint32_t sig = 1; sig <= 64; sig++)
			if (f->signals & (1ull << (sig - 1)))
				fprintf(out, " %s", viz_signal_name(sig, name, sizeof(name)));
		if (viz_flow_from_kernel(f, cause, sizeof(cause))[0])
			fprintf(out, " (%s)", cause);
		break;
	}
	default:
		fprintf(out, "%" PRIu64 " message%s, %" PRIu64 " byte%s", f->messages,
			f->messages == 1 ? "" : "s", f->bytes, f->bytes == 1 ? "" : "s");
	}
}

/* Signals generated for a traced process that it never took. */
static void text_undelivered(const struct viz_model *m, FILE *out)
{
	char name[32];

	if (!m->nundelivered)
		return;
	fprintf(out, "\nsignals not delivered (%zu):\n", m->nundelivered);
	for (size_t i = 0; i < m->nundelivered; i++) {
		const struct viz_op *g = &m->undelivered[i].gen;

		fputs("  ", out);
		print_process(m, out, g->pid);
		fputs(" \xe2\x86\x92 ", out);
		print_process(m, out, g->u.sig.target);
		fprintf(out, ": %s, %s\n", viz_signal_name(g->u.sig.sig, name, sizeof(name)),
			viz_undelivered_text(m->undelivered[i].reason));
	}
}

/* "pipe:0:123 (name)" for object O of a descriptor passed, or what it
 * was when it is no IPC object. */
static void print_passed_object(const struct viz_model *m, FILE *out, const struct viz_fd_pass *p)
{
	if (p->object == UINT32_MAX) {
		fputs(p->kind == IPCT_KIND_NONE ? "no IPC object" : viz_kind_name(p->kind), out);
		return;
	}
	const struct viz_object *o = &m->objects[p->object];
	fputs(o->id, out);
	if (o->name[0]) {
		fputs(" (", out);
		print_safe(out, o->name, sizeof(o->name));
		fputc(')', out);
	}
}

/* Descriptors handed from one process to another (SCM_RIGHTS). */
static void text_fd_passes(const struct viz_model *m, FILE *out)
{
	if (!m->nfd_passes)
		return;
	fprintf(out, "\ndescriptors passed (%zu):\n", m->nfd_passes);
	for (size_t i = 0; i < m->nfd_passes; i++) {
		const struct viz_fd_pass *p = &m->fd_passes[i];

		fputs("  ", out);
		if (p->from)
			print_process(m, out, p->from);
		else
			fputs("untraced sender", out);
		fputs(" \xe2\x86\x92 ", out);
		if (p->to)
			print_process(m, out, p->to);
		else
			fputs("not received", out);
		fputs(": fd ", out);
		if (p->from_fd >= 0)
			fprintf(out, "%d", p->from_fd);
		else
			fputc('?', out);
		if (p->to_fd >= 0)
			fprintf(out, " \xe2\x86\x92 fd %d", p->to_fd);
		fputs(", ", out);
		print_passed_object(m, out, p);
		if (p->via != UINT32_MAX)
			fprintf(out, " via %s", m->objects[p->via].id);
		fputc('\n', out);
	}
	if (m->fd_passes_unfollowed)
		fprintf(out, "  (+%" PRIu64 " descriptors past the first %d of a message, "
			"not followed)\n", m->fd_passes_unfollowed, IPCT_FDPASS_MAX);
}

/* Who had each shared-memory object mapped, and when. */
static void text_attachments(const struct viz_model *m, FILE *out)
{
	char start[32], end[32];
	size_t n = 0;

	for (size_t i = 0; i < m->nattachments; i++)
		n += !(m->objects[m->attachments[i].object].flags & VIZ_OBJ_NOT_COMM);
	if (!n)
		return;
	fprintf(out, "\nshared memory attachments (%zu):\n", n);
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];
		if (m->objects[a->object].flags & VIZ_OBJ_NOT_COMM)
			continue;     /* a mapping nobody could write: report.json only */
		fprintf(out, "  %-28s ", m->objects[a->object].id);
		print_process(m, out, a->pid);
		format_ns(start, sizeof(start), a->start_ns);
		format_ns(end, sizeof(end), a->end_ns);
		fprintf(out, " from %s to %s, %" PRIu64 " bytes at 0x%" PRIx64 "%s\n",
			start, end, a->size, a->addr, a->inherited ? " (inherited)" : "");
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
	fprintf(out, "\ntime in calls (top %d, \xc2\xb5s):\n  %-28s %-4s %8s %14s %11s %11s %11s  %s\n",
		TOP_LATENCY, "CHANNEL", "DIR", "CALLS", "TOTAL", "P50", "P99", "MAX", "NAME");
	for (size_t i = 0; i < n && i < TOP_LATENCY; i++) {
		const struct call_stats *c = &st[rows[i].slot];
		const struct viz_object *o = &m->objects[rows[i].slot / 2];

		fprintf(out, "  %-28s %-4s %8" PRIu64 " %14.3f %11.3f %11.3f %11.3f", o->id,
			rows[i].slot % 2 == STAT_SEND ? "send" : "recv", c->calls,
			c->total_ns / 1e3, c->p50_ns / 1e3, c->p99_ns / 1e3,
			c->max_ns / 1e3);
		if (o->name[0]) {
			fputs("  ", out);
			print_safe(out, o->name, sizeof(o->name));
		}
		fputc('\n', out);
	}
	free(rows);
	return 0;
}

int report_text(const struct viz_model *m, FILE *out)
{
	struct call_stats *st;
	int err = report_compute_stats(m, &st);

	if (err)
		return err;
	text_header(m, out);
	text_processes(m, out);
	text_channels(m, st, out);
	text_flows(m, out);
	text_undelivered(m, out);
	text_fd_passes(m, out);
	text_attachments(m, out);
	report_text_pages(m, out);
	err = text_latency(m, st, out);
	free(st);
	if (err)
		return err;
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}

/* For the other report sections (report_hot.c). */
void report_put_duration(FILE *out, uint64_t ns)
{
	print_duration(out, ns);
}

void report_put_process(const struct viz_model *m, FILE *out, uint32_t pid)
{
	print_process(m, out, pid);
}

void report_put_safe(FILE *out, const char *s, size_t max)
{
	print_safe(out, s, max);
}

void report_text_header(const struct viz_model *m, FILE *out)
{
	text_header(m, out);
}
