/*
 * perfetto - the model as Chrome "Trace Event Format" JSON, which
 * ui.perfetto.dev and chrome://tracing open (docs/perfetto.md).
 *
 * Output, in this order: metadata events (process and thread names, process
 * order by timeline lane); one complete event ("X") per process lifetime on
 * its main thread; one "X" per operation on its pid/tid; an instant event
 * per fork; and a pair of flow events ("s" inside the send slice, "f" with
 * "bp":"e" inside the receive slice) per transfer, so the UI draws an arrow
 * from each send's return to its receive's return (write_transfers).
 * Only the first PERFETTO_MAX_TRANSFERS transfers are written; the
 * top-level "metadata" says how many were left out and why, and the
 * command says it on stderr.
 *
 * Everything is streamed to OUT; strings from the traced system go through
 * escape_json().  Times are microseconds with three decimals (exact ns).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "palette.h"
#include "search.h"
#include "viz.h"


/* One thread seen in the ops that is not its process's main thread. */
struct thread_id {
	uint32_t pid, tid;
};

static int cmp_thread(const void *a, const void *b)
{
	const struct thread_id *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* Write NS as microseconds with a three-digit fraction. */
static void put_us(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}

/* Separate the next event from the previous one, if any. */
static void next_event(FILE *out, bool *first)
{
	if (!*first)
		fputs(",\n", out);
	*first = false;
}


/* Index of PID in m->processes through the sorted SLOTS, or -1. */
static long find_process(const struct viz_pid_index *slots, size_t n, uint32_t pid)
{
	const struct viz_pid_index *hit = viz_pid_index_find(slots, n, pid);

	return hit ? (long)hit->index : -1;
}

/* The label of OP: the call as every picture names it (palette.h),
 * followed by the channel kind for a read or write-like call ("write
 * pipe", "recvfrom tcp"), into BUF. */
static const char *op_label(const struct viz_model *m, const struct viz_op *op,
			    char *buf, size_t size)
{
	char call[64];

	if (op->type != VIZ_OP_IO)
		return viz_op_call_name(m, op, buf, size);
	snprintf(buf, size, "%s %s", viz_op_call_name(m, op, call, sizeof(call)),
		 viz_kind_name(viz_op_kind(m, op)));
	return buf;
}

/* Begin the metadata event NAME of PID/TID: {"ph":"M",...,"args":{KEY:
 * the caller writes the value and the closing braces. */
static void meta_begin(FILE *out, bool *first, uint32_t pid, uint32_t tid, const char *name,
		       const char *key)
{
	next_event(out, first);
	fprintf(out, "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"name\":\"%s\",\"args\":{\"%s\":", pid, tid, name, key);
}

/* The metadata event NAME of PID/TID whose KEY is the string S (LEN bytes). */
static void meta_string(FILE *out, bool *first, uint32_t pid, uint32_t tid, const char *name,
			const char *key, const char *s, size_t len)
{
	meta_begin(out, first, pid, tid, name, key);
	escape_json(out, s, len);
	fputs("}}", out);
}

/* Metadata events: names for every process and thread, lane order. */
static void write_metadata_events(const struct viz_model *m, FILE *out,
				  const struct thread_id *threads, size_t nthreads,
				  const struct viz_pid_index *slots, bool *first)
{
	size_t i;

	for (i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		size_t len = escape_strnlen(p->comm, sizeof(p->comm));
		const struct trace_host *host = viz_model_host(m, p->pid);
		char name[IPCT_COMM_LEN + 48], pid[48];

		memcpy(name, p->comm, len);
		len += snprintf(name + len, sizeof(name) - len, " %s",
				viz_pid_label(m, p->pid, pid, sizeof(pid)));
		meta_string(out, first, p->pid, p->pid, "process_name", "name", name, len);
		meta_begin(out, first, p->pid, p->pid, "process_sort_index", "sort_index");
		fprintf(out, "%" PRIu32 "}}", p->lane);
		/* Lanes come grouped by host; the label names the group. */
		if (host)
			meta_string(out, first, p->pid, p->pid, "process_labels", "labels", host->name,
				    escape_strnlen(host->name, sizeof(host->name)));
		meta_string(out, first, p->pid, p->pid, "thread_name", "name", p->comm,
			    escape_strnlen(p->comm, sizeof(p->comm)));
	}
	for (i = 0; i < nthreads; i++) {
		long pi = find_process(slots, m->nprocesses, threads[i].pid);
		const char *comm = pi >= 0 ? m->processes[pi].comm : "";

		meta_string(out, first, threads[i].pid, threads[i].tid, "thread_name", "name", comm,
			    escape_strnlen(comm, IPCT_COMM_LEN));
	}
}

/* One "X" per process from start to end (widened to cover its ops, so its
 * calls nest inside it), on its main thread. */
static void write_lifetimes(const struct viz_model *m, FILE *out,
			    const uint64_t *first_ns, const uint64_t *last_ns, bool *first)
{
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];
		uint64_t start = p->start_ns < first_ns[i] ? p->start_ns : first_ns[i];
		uint64_t end = p->end_ns > last_ns[i] ? p->end_ns : last_ns[i];

		if (end < start)
			end = start;
		next_event(out, first);
		fprintf(out, "{\"ph\":\"X\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
			",\"cat\":\"process\",\"name\":", p->pid, p->pid);
		escape_json(out, p->comm, escape_strnlen(p->comm, sizeof(p->comm)));
		fputs(",\"ts\":", out);
		put_us(out, start);
		fputs(",\"dur\":", out);
		put_us(out, end - start);
		fprintf(out, ",\"args\":{\"pid\":%" PRIu32 ",\"ppid\":%" PRIu32 ",\"exec\":",
			p->pid, p->ppid);
		escape_json(out, p->exec_path, escape_strnlen(p->exec_path, sizeof(p->exec_path)));
		fprintf(out, ",\"exited\":%s,\"exit_status\":%" PRId32 "}}",
			p->exited ? "true" : "false", p->exit_status);
	}
}

/* One "X" per op.  IDS[object] is the object's id already JSON-escaped. */
static void write_ops(const struct viz_model *m, FILE *out, char *const *ids, bool *first)
{
	char label[64];

	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		enum ipct_kind kind = op->object < m->nobjects ? m->objects[op->object].kind
							       : IPCT_KIND_NONE;

		next_event(out, first);
		fprintf(out, "{\"ph\":\"X\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"cat\":\"%s\",\"name\":\"%s\",\"ts\":",
			op->pid, op->tid, viz_kind_name(kind), op_label(m, op, label, sizeof(label)));
		put_us(out, viz_op_begin(op));
		fputs(",\"dur\":", out);
		put_us(out, op->ts_ns - viz_op_begin(op));
		fprintf(out, ",\"args\":{\"channel\":%s,\"bytes\":%" PRId64 ",\"requested\":%" PRIu64,
			op->object < m->nobjects ? ids[op->object] : "null", op->ret, op->requested);
		if (op->payload_len && m->payload && (size_t)op->payload + op->payload_len <= m->payload_size) {
			fputs(",\"payload\":", out);
			escape_json(out, (const char *)m->payload + op->payload, op->payload_len);
		}
		fputs("}}", out);
	}
}

/* Instant events for forks, on the parent's main thread. */
static void write_forks(const struct viz_model *m, FILE *out, bool *first)
{
	for (size_t i = 0; i < m->nforks; i++) {
		const struct viz_fork *f = &m->forks[i];

		next_event(out, first);
		fprintf(out, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
			",\"cat\":\"process\",\"name\":\"fork %" PRIu32 "\",\"ts\":",
			f->parent, f->parent, f->child);
		put_us(out, f->ts_ns);
		fprintf(out, ",\"args\":{\"child\":%" PRIu32 "}}", f->child);
	}
}

/* The flow's name: its kind, "signal SIGUSR1", "sem V\u2192P". */
static const char *flow_name(const struct viz_model *m, const struct viz_op *s,
			     char *buf, size_t size)
{
	enum ipct_kind kind = s->object < m->nobjects ? m->objects[s->object].kind : IPCT_KIND_NONE;
	char sig[32];

	if (kind == IPCT_KIND_SIGNAL) {
		snprintf(buf, size, "signal %s", viz_signal_name(s->u.sig.sig, sig, sizeof(sig)));
		return buf;
	}
	if (kind == IPCT_KIND_SEM)
		return "sem V\u2192P";
	return viz_kind_name(kind);
}

/* A zero-length slice at TS on (PID, TID) that a flow end binds to. */
static void write_point(FILE *out, uint32_t pid, uint32_t tid, const char *name, uint64_t ts,
			bool *first)
{
	next_event(out, first);
	fprintf(out, "{\"ph\":\"X\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"cat\":\"flow\",\"name\":\"%s\",\"ts\":", pid, tid, name);
	put_us(out, ts);
	fputs(",\"dur\":0}", out);
}

/* Flow start/end pairs for the first N transfers; ids 1..N.  Each arrow
 * goes from the send's return to the receive's return, each end bound to
 * a zero-length slice there: a receive that blocked began before the send,
 * so its own slice would put the arrow's head before its tail.  When the
 * receive returned first (a long write that the reader drained as it
 * went), the arrow starts at the receive's return too. */
static void write_transfers(const struct viz_model *m, FILE *out, size_t n, bool *first)
{
	char buf[48];

	for (size_t i = 0; i < n; i++) {
		const struct viz_transfer *t = &m->transfers[i];
		const struct viz_op *s, *r;
		const char *name;
		uint64_t from;

		if (t->send >= m->nops || t->recv >= m->nops)
			continue;
		s = &m->ops[t->send];
		r = &m->ops[t->recv];
		from = s->ts_ns < r->ts_ns ? s->ts_ns : r->ts_ns;
		name = flow_name(m, s, buf, sizeof(buf));
		write_point(out, s->pid, s->tid, name, from, first);
		write_point(out, r->pid, r->tid, name, r->ts_ns, first);
		next_event(out, first);
		fprintf(out, "{\"ph\":\"s\",\"id\":%zu,\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
			",\"cat\":\"transfer\",\"name\":\"%s\",\"ts\":", i + 1, s->pid, s->tid, name);
		put_us(out, from);
		fprintf(out, ",\"args\":{\"bytes\":%" PRIu64 "}}", t->bytes);
		next_event(out, first);
		fprintf(out, "{\"ph\":\"f\",\"bp\":\"e\",\"id\":%zu,\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
			",\"cat\":\"transfer\",\"name\":\"%s\",\"ts\":", i + 1, r->pid, r->tid, name);
		put_us(out, r->ts_ns);
		fprintf(out, ",\"args\":{\"bytes\":%" PRIu64 "}}", t->bytes);
	}
}

/* The closing "metadata" object: command line and what was cut. */
static void write_trailer(const struct viz_model *m, FILE *out, size_t ntransfers)
{
	char why[160] = "null";

	if (ntransfers < m->ntransfers)
		snprintf(why, sizeof(why), "\"only the first %d transfers get an arrow; narrow "
			 "the trace with --window or --pid\"", PERFETTO_MAX_TRANSFERS);
	fputs("\n],\n", out);
	fputs("\"displayTimeUnit\":\"ns\",\n\"metadata\":{\"generator\":\"ipctrace\",\"command\":[", out);
	for (int i = 0; i < m->meta.argc && m->meta.argv; i++) {
		if (i)
			putc(',', out);
		escape_json(out, m->meta.argv[i], strlen(m->meta.argv[i]));
	}
	fprintf(out, "],\"root_pid\":%" PRIu32 ",\"duration_ns\":%" PRIu64
		",\"processes\":%zu,\"ops\":%zu,\"transfers\":%zu,\"transfers_written\":%zu"
		",\"transfers_truncated\":%s,\"transfers_left_out\":%zu"
		",\"transfers_left_out_why\":%s,\"truncated_trace\":%s,\"lost_events\":%" PRIu64 "}\n}\n",
		(uint32_t)m->meta.root_pid, m->duration_ns, m->nprocesses, m->nops, m->ntransfers,
		ntransfers, ntransfers < m->ntransfers ? "true" : "false", m->ntransfers - ntransfers,
		why, m->truncated ? "true" : "false", m->lost_total);
}

/* Each object's id as a JSON string, malloc'd; NULL on allocation failure. */
static char **escape_ids(const struct viz_model *m)
{
	char **ids = calloc(m->nobjects ? m->nobjects : 1, sizeof(*ids));

	if (!ids)
		return NULL;
	for (size_t i = 0; i < m->nobjects; i++) {
		size_t size;
		FILE *f = open_memstream(&ids[i], &size);

		if (!f)
			goto fail;
		escape_json(f, m->objects[i].id, escape_strnlen(m->objects[i].id, sizeof(m->objects[i].id)));
		if (fclose(f) || !ids[i])
			goto fail;
	}
	return ids;
fail:
	for (size_t i = 0; i < m->nobjects; i++)
		free(ids[i]);
	free(ids);
	return NULL;
}

int perfetto_render(const struct viz_model *m, FILE *out)
{
	struct viz_pid_index *slots = calloc(m->nprocesses + 1, sizeof(*slots));
	uint64_t *first = calloc(m->nprocesses + 1, sizeof(*first));
	uint64_t *last = calloc(m->nprocesses + 1, sizeof(*last));
	struct thread_id *threads = NULL;
	size_t nthreads = 0, ntransfers, i;
	bool first_event = true;
	char **ids = NULL;
	int ret = -ENOMEM;

	if (!slots || !first || !last)
		goto out;
	for (i = 0; i < m->nprocesses; i++) {
		slots[i] = (struct viz_pid_index){ m->processes[i].pid, (uint32_t)i };
		first[i] = UINT64_MAX;
	}
	qsort(slots, m->nprocesses, sizeof(*slots), viz_pid_index_compare);

	/* Each process's first and last op time, and the non-main threads. */
	for (i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		long pi = find_process(slots, m->nprocesses, op->pid);

		if (pi >= 0) {
			if (viz_op_begin(op) < first[pi])
				first[pi] = viz_op_begin(op);
			if (op->ts_ns > last[pi])
				last[pi] = op->ts_ns;
		}
		if (op->tid != op->pid) {
			if (!threads) {
				threads = malloc(m->nops * sizeof(*threads));
				if (!threads)
					goto out;
			}
			threads[nthreads++] = (struct thread_id){ op->pid, op->tid };
		}
	}
	if (nthreads) {
		size_t k = 0;

		qsort(threads, nthreads, sizeof(*threads), cmp_thread);
		for (i = 0; i < nthreads; i++)
			if (!k || cmp_thread(&threads[k - 1], &threads[i]))
				threads[k++] = threads[i];
		nthreads = k;
	}
	ids = escape_ids(m);
	if (!ids)
		goto out;

	ntransfers = m->ntransfers < PERFETTO_MAX_TRANSFERS ? m->ntransfers : PERFETTO_MAX_TRANSFERS;
	fputs("{\"traceEvents\":[\n", out);
	write_metadata_events(m, out, threads, nthreads, slots, &first_event);
	write_lifetimes(m, out, first, last, &first_event);
	write_ops(m, out, ids, &first_event);
	write_forks(m, out, &first_event);
	write_transfers(m, out, ntransfers, &first_event);
	ret = perfetto_write_counters(m, out, &first_event);
	if (ret)
		goto out;
	write_trailer(m, out, ntransfers);
	ret = fflush(out) || ferror(out) ? -EIO : 0;
out:
	if (ids)
		for (i = 0; i < m->nobjects; i++)
			free(ids[i]);
	free(ids);
	free(threads);
	free(slots);
	free(first);
	free(last);
	return ret;
}
