/*
 * report - the per-channel call statistics and report_json(), the
 * machine-readable report of docs/report-json.md (report_text.c prints
 * the human summary from the same statistics).
 *
 * Both reports print the same facts: the command and how it ended, event and
 * loss counts, the processes, the channels (every object seen; shared memory
 * with its attachments), the flows between processes (with a payload sample
 * in JSON; signals by name, semaphores as releases in text), and per-channel
 * call statistics (count, bytes and the exact min/p50/p99/max of the time
 * spent in each call, from sorted durations).  Strings from the traced system
 * go through escape_json() in JSON and through print_safe() (\xNN for
 * non-printable bytes) on a terminal.  Output order is fixed by the model, so
 * the same trace always gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "escape.h"
#include "hot.h"
#include "report_internal.h"
#include "search.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Is OP a call of the traced process?  A signal's generation is the
 * kernel queueing it, counted through the kill-like call that caused it. */
static bool is_call(const struct viz_op *op)
{
	return op->type != VIZ_OP_SIG_GENERATE;
}

/* Compute per-object, per-direction call statistics into a new array of
 * 2 * nobjects entries (*OUT, to free).  0 or -ENOMEM. */
int report_compute_stats(const struct viz_model *m, struct call_stats **out)
{
	size_t nslots = 2 * m->nobjects;
	struct call_stats *st = calloc(nslots ? nslots : 1, sizeof(*st));
	size_t *start = calloc(2 * (nslots + 1), sizeof(*start));   /* then fill */
	size_t *fill = start ? start + nslots + 1 : NULL;
	uint64_t *dur = malloc((m->nops ? m->nops : 1) * sizeof(*dur));

	if (!st || !start || !dur) {
		free(st);
		free(start);
		free(dur);
		return -ENOMEM;
	}
	/* Bucket durations by (object, direction), then sort each bucket. */
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		size_t k = 2 * op->object + (op->dir == IPCT_DIR_SEND ? STAT_SEND : STAT_RECV);
		if (!is_call(op))
			continue;
		start[k + 1]++;
		st[k].calls++;
		st[k].total_ns += op->duration_ns;
		if (op->ret < 0)
			st[k].errors++;
		else if (viz_op_moves_bytes(op))
			st[k].bytes += op->ret;
	}
	for (size_t k = 0; k < nslots; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		size_t k = 2 * op->object + (op->dir == IPCT_DIR_SEND ? STAT_SEND : STAT_RECV);
		if (is_call(op))
			dur[start[k] + fill[k]++] = op->duration_ns;
	}
	for (size_t k = 0; k < nslots; k++) {
		uint64_t *d = dur + start[k];
		size_t n = start[k + 1] - start[k];
		if (!n)
			continue;
		qsort(d, n, sizeof(*d), cmp_u64);
		st[k].min_ns = d[0];
		st[k].p50_ns = latency_percentile(d, n, 50);
		st[k].p99_ns = latency_percentile(d, n, 99);
		st[k].max_ns = d[n - 1];
	}
	free(start);
	free(dur);
	/* Streamed objects: their calls were summed while reading. */
	for (size_t k = 0; k < nslots && k < m->ncalls; k++) {
		const struct viz_call_summary *c = &m->calls[k];
		if (!c->calls)
			continue;
		st[k] = (struct call_stats){
			.calls = c->calls, .errors = c->errors, .bytes = c->bytes,
			.total_ns = c->total_ns, .min_ns = c->min_ns,
			.p50_ns = viz_calls_percentile(c, 50),
			.p99_ns = viz_calls_percentile(c, 99), .max_ns = c->max_ns,
		};
	}
	*out = st;
	return 0;
}

/* A wait(2) status as a shell would show it: the exit code, or 128 + the
 * signal number for a killed process. */
int report_exit_code(int32_t status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The wait status of the traced command, or -1 when unknown. */
int32_t report_command_status(const struct viz_model *m)
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

/* Top-level arrays of objects: the member's name and "[", the "{" of item
 * I (after the "}," that ends the one before), and after N items the last
 * "}", the "]" and the comma before the next member. */
static void json_array_begin(FILE *out, const char *name)
{
	fprintf(out, "  \"%s\": [", name);
}

static void json_item(FILE *out, size_t i)
{
	fprintf(out, "%s\n    {", i ? "}," : "");
}

static void json_array_end(FILE *out, size_t n)
{
	fputs(n ? "}\n  ],\n" : "],\n", out);
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

/* A merged trace's hosts and how their clocks were aligned. */
static void json_hosts(const struct viz_model *m, FILE *out)
{
	if (!m->meta.nhosts)
		return;
	json_array_begin(out, "hosts");
	for (uint32_t i = 0; i < m->meta.nhosts; i++) {
		const struct trace_host *h = &m->meta.hosts[i];
		json_item(out, i);
		fputs("\"name\": ", out);
		json_string(out, h->name, sizeof(h->name));
		fputs(", \"source\": ", out);
		json_string(out, h->source, sizeof(h->source));
		fputs(", \"command\": ", out);
		json_string(out, h->command, sizeof(h->command));
		fprintf(out, ", \"start_realtime_ns\": %" PRIu64 ", \"offset_ns\": %" PRId64
			", \"uncertainty_ns\": ", h->start_realtime_ns, h->offset_ns);
		if (h->uncertainty_ns == TRACE_HOST_UNBOUNDED)
			fputs("null", out);
		else
			fprintf(out, "%" PRIu64, h->uncertainty_ns);
		fprintf(out, ", \"pairs\": %" PRIu64 ", \"shift_ns\": %" PRId64, h->pairs,
			h->shift_ns);
	}
	json_array_end(out, m->meta.nhosts);
}

static void json_header(const struct viz_model *m, FILE *out)
{
	int32_t status = report_command_status(m);

	fputs("{\n  \"format\": \"ipctrace-report\",\n  \"version\": 1,\n"
	      "  \"command\": [", out);
	for (int i = 0; i < m->meta.argc; i++) {
		if (i)
			fputs(", ", out);
		escape_json(out, m->meta.argv[i], strlen(m->meta.argv[i]));
	}
	fputs("],\n  \"exit_status\": ", out);
	if (status >= 0)
		fprintf(out, "%d", report_exit_code(status));
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
	fprintf(out, ",\n  \"duration_limit_reached\": %s,\n  \"size_limit_reached\": %s,\n"
		"  \"unrecorded_events\": %" PRIu64 ",\n",
		m->has_stats && (m->stats.flags & TRACE_STATS_DURATION) ? "true" : "false",
		m->has_stats && (m->stats.flags & TRACE_STATS_SIZE_LIMIT) ? "true" : "false",
		m->has_stats ? m->stats.unrecorded : 0);
	json_hosts(m, out);
}

static void json_processes(const struct viz_model *m, const struct hot_report *h,
			   FILE *out)
{
	const struct trace_host *host;

	json_array_begin(out, "processes");
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		json_item(out, i);
		fprintf(out, "\"pid\": %" PRIu32 ", \"ppid\": %" PRIu32 ", \"comm\": ", p->pid,
			p->ppid);
		json_string(out, p->comm, sizeof(p->comm));
		if ((host = viz_model_host(m, p->pid))) {
			fputs(", \"host\": ", out);
			json_string(out, host->name, sizeof(host->name));
			fprintf(out, ", \"host_pid\": %" PRIu32, p->pid & TRACE_HOST_PID_MASK);
		}
		fprintf(out, ", \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64
			", \"exit_code\": ", p->start_ns, p->end_ns);
		if (p->exited && p->exit_status >= 0)
			fprintf(out, "%d", report_exit_code(p->exit_status));
		else
			fputs("null", out);
		fputs(", \"exec\": ", out);
		if (p->exec_path[0])
			json_string(out, p->exec_path, sizeof(p->exec_path));
		else
			fputs("null", out);
		fprintf(out, ", \"folded\": %s", p->shown ? "false" : "true");
		hot_json_process(out, m, h, i);
	}
	json_array_end(out, m->nprocesses);
}

/* First index in m->attachments of OBJECT (they are sorted by object). */
static size_t first_attachment(const struct viz_model *m, uint32_t object)
{
	return VIZ_PARTITION(0, m->nattachments, i, m->attachments[i].object < object);
}

/* ", "size": N, "attachments": [...]" of shared-memory object OBJECT. */
static void json_attachments(const struct viz_model *m, uint32_t object, FILE *out)
{
	size_t i = first_attachment(m, object);

	fprintf(out, ", \"size\": %" PRIu64 ", \"attachments\": [", m->objects[object].size);
	for (size_t k = i; k < m->nattachments && m->attachments[k].object == object; k++) {
		const struct viz_attachment *a = &m->attachments[k];
		fprintf(out, "%s{\"pid\": %" PRIu32 ", \"start_ns\": %" PRIu64
			", \"end_ns\": %" PRIu64 ", \"addr\": %" PRIu64 ", \"size\": %"
			PRIu64 ", \"inherited\": %s, \"writable\": %s}", k > i ? ", " : "", a->pid,
			a->start_ns, a->end_ns, a->addr, a->size,
			a->inherited ? "true" : "false", a->writable ? "true" : "false");
	}
	fputc(']', out);
}

static void json_channels(const struct viz_model *m, const struct hot_report *h,
			  FILE *out)
{
	json_array_begin(out, "channels");
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];
		json_item(out, i);
		fputs("\"id\": ", out);
		json_string(out, o->id, sizeof(o->id));
		fprintf(out, ", \"kind\": \"%s\", \"name\": ", viz_kind_name(o->kind));
		json_string(out, o->name, sizeof(o->name));
		fputs(", \"users\": [", out);
		for (size_t u = 0; u < o->nusers; u++)
			fprintf(out, "%s%" PRIu32, u ? ", " : "", o->users[u]);
		fprintf(out, "], \"bytes_sent\": %" PRIu64 ", \"bytes_received\": %"
			PRIu64 ", \"bytes_unmatched\": %" PRIu64
			", \"messages_unmatched\": %" PRIu64,
			o->sent_bytes, o->received_bytes, o->unmatched_bytes,
			o->unmatched_msgs);
		fprintf(out, ", \"communication\": %s, \"folded\": %s",
			o->flags & VIZ_OBJ_NOT_COMM ? "false" : "true",
			o->flags & VIZ_OBJ_SHOWN ? "false" : "true");
		if (o->one_sided)
			fputs(", \"one_sided\": true", out);
		if (o->flags & VIZ_OBJ_UNTRACED_END)
			fputs(", \"untraced_end\": true", out);
		if (o->flags & VIZ_OBJ_EFD_CREATED)
			fprintf(out, ", \"eventfd_mode\": \"%s\"",
				o->flags & VIZ_OBJ_EFD_SEMAPHORE ? "semaphore" : "counter");
		if (o->kind == IPCT_KIND_SHM) {
			json_attachments(m, i, out);
			report_json_pages(m, i, out);
		}
		hot_json_channel(out, m, h, i);
	}
	json_array_end(out, m->nobjects);
}

static void json_flows(const struct viz_model *m, const struct hot_report *h, FILE *out)
{
	json_array_begin(out, "flows");
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		const struct viz_object *o = &m->objects[f->object];
		json_item(out, i);
		fputs("\"channel\": ", out);
		json_string(out, o->id, sizeof(o->id));
		fprintf(out, ", \"kind\": \"%s\", \"from\": %" PRIu32 ", \"to\": %"
			PRIu32 ", \"messages\": %" PRIu64 ", \"bytes\": %" PRIu64
			", \"sample\": ",
			viz_kind_name(o->kind), f->from, f->to, f->messages, f->bytes);
		const struct viz_op *first = viz_flow_first(m, f);
		if (first && first->payload_len && m->payload)
			escape_json(out, (const char *)m->payload + first->payload,
				    first->payload_len);
		else
			fputs("null", out);
		if (o->kind == IPCT_KIND_SIGNAL) {
			char name[32], cause[256];
			int n = 0;
			fputs(", \"signals\": [", out);
			for (uint32_t sig = 1; sig <= 64; sig++)
				if (f->signals & (1ull << (sig - 1)))
					fprintf(out, "%s\"%s\"", n++ ? ", " : "",
						viz_signal_name(sig, name, sizeof(name)));
			fputc(']', out);
			if (viz_flow_from_kernel(f, cause, sizeof(cause))[0]) {
				fputs(", \"from_kernel\": ", out);
				escape_json(out, cause, strlen(cause));
			}
		}
		if (f->touched)
			fprintf(out, ", \"pages\": %" PRIu64, f->messages);
		if (f->estimated)
			fputs(", \"estimated\": true", out);
		fprintf(out, ", \"folded\": %s", f->shown ? "false" : "true");
		hot_json_flow(out, m, h, i);
	}
	json_array_end(out, m->nflows);
}

/* The signals generated for a traced process that it never took. */
static void json_undelivered(const struct viz_model *m, FILE *out)
{
	json_array_begin(out, "undelivered_signals");
	for (size_t i = 0; i < m->nundelivered; i++) {
		const struct viz_undelivered *u = &m->undelivered[i];
		const struct viz_op *g = &u->gen;
		char name[32], cause[96];

		json_item(out, i);
		fputs("\"channel\": ", out);
		json_string(out, m->objects[g->object].id, sizeof(m->objects[g->object].id));
		fprintf(out, ", \"from\": %" PRIu32 ", \"to\": %" PRIu32 ", \"signal\": \"%s\""
			", \"ts_ns\": %" PRIu64 ", \"reason\": \"%s\"", g->pid, g->u.sig.target,
			viz_signal_name(g->u.sig.sig, name, sizeof(name)), g->ts_ns,
			viz_undelivered_text(u->reason));
		if (viz_signal_cause_text(g->u.sig.cause, g->u.sig.sig, cause, sizeof(cause))[0]) {
			fputs(", \"from_kernel\": ", out);
			escape_json(out, cause, strlen(cause));
		}
	}
	json_array_end(out, m->nundelivered);
}

/* Descriptors handed from one process to another (SCM_RIGHTS). */
static void json_fd_passes(const struct viz_model *m, FILE *out)
{
	json_array_begin(out, "fd_passes");
	for (size_t i = 0; i < m->nfd_passes; i++) {
		const struct viz_fd_pass *p = &m->fd_passes[i];

		json_item(out, i);
		fprintf(out, "\"from\": %" PRIu32 ", \"to\": %" PRIu32 ", \"from_fd\": %" PRId32
			", \"to_fd\": %" PRId32 ", \"ts_ns\": %" PRIu64 ", \"recv_ts_ns\": %" PRIu64
			", \"kind\": \"%s\", \"object\": ", p->from, p->to, p->from_fd, p->to_fd,
			p->ts_ns, p->recv_ts_ns,
			p->kind == IPCT_KIND_NONE ? "none" : viz_kind_name(p->kind));
		if (p->object != UINT32_MAX)
			json_string(out, m->objects[p->object].id, sizeof(m->objects[p->object].id));
		else
			fputs("null", out);
		fputs(", \"via\": ", out);
		if (p->via != UINT32_MAX)
			json_string(out, m->objects[p->via].id, sizeof(m->objects[p->via].id));
		else
			fputs("null", out);
	}
	json_array_end(out, m->nfd_passes);
}

static void json_stats(const struct viz_model *m, const struct call_stats *st,
		       FILE *out)
{
	json_array_begin(out, "stats");
	for (size_t i = 0; i < m->nobjects; i++) {
		json_item(out, i);
		fputs("\"channel\": ", out);
		json_string(out, m->objects[i].id, sizeof(m->objects[i].id));
		fputs(",\n     \"send\": ", out);
		json_call_stats(out, &st[2 * i + STAT_SEND]);
		fputs(",\n     \"recv\": ", out);
		json_call_stats(out, &st[2 * i + STAT_RECV]);
	}
	fputs(m->nobjects ? "}\n  ]" : "]", out);
}

int report_json(const struct viz_model *m, FILE *out)
{
	struct call_stats *st;
	struct hot_report h;
	int err = report_compute_stats(m, &st);

	if (err)
		return err;
	/* a streamed model has the latencies, waits and depths, not the
	 * critical path */
	err = m->streamed ? hot_compute_streamed(m, &h) : hot_compute(m, &h);
	if (err) {
		free(st);
		hot_release(&h);
		return err;
	}
	json_header(m, out);
	json_processes(m, &h, out);
	json_channels(m, &h, out);
	json_flows(m, &h, out);
	json_undelivered(m, out);
	json_fd_passes(m, out);
	fprintf(out, "  \"not_followed\": {\"io_uring_enter_calls\": %" PRIu64
		", \"io_uring_submissions\": %" PRIu64 ", \"mmsg_calls\": %" PRIu64
		", \"mmsg_messages\": %" PRIu64 ", \"passed_fds\": %" PRIu64 "},\n",
		m->io_uring.calls, m->io_uring.items, m->mmsg.calls, m->mmsg.items,
		m->fd_passes_unfollowed);
	json_stats(m, st, out);
	hot_json_tail(out, m, &h);
	if (m->streamed)
		fprintf(out, ",\n  \"streamed\": {\"late_events\": %" PRIu64
			", \"dropped_in_flight\": %" PRIu64 "}", m->stream_late, m->stream_dropped);
	fputs("\n}\n", out);
	free(st);
	hot_release(&h);
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
