/*
 * stat_print - the tables of `trace stat`: one line per (process, object,
 * direction) counter, sorted by time spent in the calls, as text (with a
 * log2 histogram per counter in the style of bcc's print_log2_hist when
 * asked) or JSON.  Process names come from the finished trace, or from
 * /proc while the processes still run.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "stat_print.h"
#include "lib/trace_file.h"
#include "viz/escape.h"
#include "viz/search.h"

const char *stat_dir_name(const struct ipct_stat_key *k)
{
	if (k->kind == IPCT_KIND_SEM)
		return k->dir == IPCT_DIR_SEND ? (k->peer ? "wake" : "V") : (k->peer ? "wait" : "P");
	if (k->kind == IPCT_KIND_SIGNAL)
		return "send";
	return k->dir == IPCT_DIR_SEND ? "send" : k->dir == IPCT_DIR_RECV ? "recv" : "-";
}

/* The object's id, in the form report.json gives channels where one
 * exists: kind:dev:ino, a unix socket's id, a queue or set id. */
void stat_object_id(const struct ipct_stat_key *k, char *buf, size_t size)
{
	const char *kind = viz_kind_name(k->kind);

	switch (k->kind) {
	case IPCT_KIND_UNIX:
		snprintf(buf, size, "unix:%" PRIx64, (uint64_t)k->obj);
		break;
	case IPCT_KIND_MSGQ:
		if (k->dev)
			snprintf(buf, size, "msgq:%u:%" PRIu64, k->dev, (uint64_t)k->obj);
		else
			snprintf(buf, size, "msgq:%" PRId64, (int64_t)k->obj);
		break;
	case IPCT_KIND_SEM:
		/* dev 1: the Ps (waits) that slept in the call */
		if (k->peer)
			snprintf(buf, size, "futex:0x%" PRIx64 "%s", (uint64_t)k->obj,
				 k->dev == 1 ? " (slept)" : "");
		else
			snprintf(buf, size, "sem:%" PRId64 "%s", (int64_t)k->obj,
				 k->dev == 1 ? " (slept)" : "");
		break;
	case IPCT_KIND_SIGNAL: {
		char sig[32];

		snprintf(buf, size, "%s to %" PRIu64 "%s", viz_signal_name(k->dev, sig, sizeof(sig)),
			 (uint64_t)k->obj, k->peer & 0x100 ? " (ignored)" : "");
		break;
	}
	default:
		snprintf(buf, size, "%s:%u:%" PRIu64, kind, k->dev, (uint64_t)k->obj);
	}
}

static int by_dev_ino(const void *a, const void *b)
{
	const struct stat_path *x = a, *y = b;

	return VIZ_ORDER(x->dev, y->dev) ?: VIZ_ORDER(x->ino, y->ino);
}

static int by_dev_ino_seq(const void *a, const void *b)
{
	const struct stat_path *x = a, *y = b;

	return by_dev_ino(a, b) ?: VIZ_ORDER(x->seq, y->seq);
}

/* The first path each (dev, ino) was opened by, from the open records. */
static void load_paths(struct stat_names *names, struct trace_reader *r)
{
	const struct ipct_event_header *ev;
	size_t cap = 0;

	while (trace_reader_next(r, &ev) == 1) {
		const struct ipct_open_event *o = (const void *)ev;
		struct stat_path *p;

		if (ev->type != IPCT_EV_OPEN || o->ret < 0 || !o->ino)
			continue;
		if (names->npaths == cap) {
			cap = cap ? 2 * cap : 64;
			p = realloc(names->paths, cap * sizeof(*p));
			if (!p)
				break;
			names->paths = p;
		}
		p = &names->paths[names->npaths++];
		p->dev = o->dev;
		p->ino = o->ino;
		p->seq = names->npaths;
		memcpy(p->path, o->path, sizeof(p->path));
		p->path[sizeof(p->path) - 1] = 0;
	}
	/* the first open of an inode first among equals */
	if (names->npaths)
		qsort(names->paths, names->npaths, sizeof(*names->paths), by_dev_ino_seq);
}

void stat_names_load(struct stat_names *names, const char *trace_path)
{
	struct trace_reader *r;
	const struct trace_process *p;
	size_t n;

	memset(names, 0, sizeof(*names));
	if (!trace_path || trace_reader_open(&r, trace_path))
		return;
	p = trace_reader_processes(r, &n);
	names->procs = n ? malloc(n * sizeof(*p)) : NULL;
	if (names->procs) {
		memcpy(names->procs, p, n * sizeof(*p));
		names->nprocs = n;
	}
	load_paths(names, r);
	trace_reader_free(r);
}

void stat_names_release(struct stat_names *names)
{
	free(names->procs);
	free(names->paths);
	memset(names, 0, sizeof(*names));
}

/* The path counter K's object was opened by, or NULL. */
static const char *path_of(const struct stat_names *names, const struct ipct_stat_key *k)
{
	struct stat_path key = { .dev = k->dev, .ino = k->obj };
	const struct stat_path *p;

	if (!names || (k->kind != IPCT_KIND_FILE && k->kind != IPCT_KIND_FIFO &&
		       !(k->kind == IPCT_KIND_MSGQ && k->dev)))
		return NULL;
	p = bsearch(&key, names->paths, names->npaths, sizeof(key), by_dev_ino);
	if (!p)
		return NULL;
	/* bsearch may land on any of equal keys: go back to the first */
	while (p > names->paths && !by_dev_ino(p - 1, &key))
		p--;
	return p->path;
}

/* The comm of PID, as is (to be escaped): from the trace, else /proc,
 * else "?". */
static const char *comm_of(const struct stat_names *names, uint32_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	for (size_t i = 0; names && i < names->nprocs; i++)
		if (names->procs[i].pid == pid) {
			snprintf(buf, size, "%.*s", IPCT_COMM_LEN, names->procs[i].comm);
			return buf;
		}
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "r");
	if (f && fgets(buf, size, f)) {
		buf[strcspn(buf, "\n")] = 0;
		fclose(f);
		return buf;
	}
	if (f)
		fclose(f);
	return "?";
}

static int by_key(const void *a, const void *b)
{
	return memcmp(&((const struct record_stat *)a)->key, &((const struct record_stat *)b)->key,
		      sizeof(struct ipct_stat_key));
}

void stat_sort_by_key(struct record_stat *st, size_t n)
{
	qsort(st, n, sizeof(*st), by_key);
}

static int by_time(const void *a, const void *b)
{
	const struct record_stat *x = a, *y = b;

	if (x->value.ns != y->value.ns)
		return x->value.ns < y->value.ns ? 1 : -1;
	if (x->value.calls != y->value.calls)
		return x->value.calls < y->value.calls ? 1 : -1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

void stat_sort(struct record_stat *st, size_t n)
{
	qsort(st, n, sizeof(*st), by_time);
}

/* bcc's print_log2_hist, for one counter's histogram of ns per call. */
static void print_hist(FILE *out, const struct ipct_stat_value *v)
{
	uint32_t max = 0;
	int first = -1, last = -1;

	for (int b = 0; b < IPCT_STAT_BUCKETS; b++) {
		if (v->hist[b] > max)
			max = v->hist[b];
		if (v->hist[b]) {
			if (first < 0)
				first = b;
			last = b;
		}
	}
	if (first < 0)
		return;
	fprintf(out, "  %24s : %-10s |%-40s|\n", "ns", "count", "distribution");
	for (int b = first; b <= last; b++) {
		uint64_t lo = b ? 1ull << b : 0, hi = (1ull << (b + 1)) - 1;
		int stars = max ? (int)((uint64_t)v->hist[b] * 40 / max) : 0;
		char range[48];

		snprintf(range, sizeof(range), "%" PRIu64 " -> %" PRIu64, lo, hi);
		fprintf(out, "  %24s : %-10u |%.*s%*s|\n", range, v->hist[b], stars,
			"****************************************", 40 - stars, "");
	}
}

void stat_print_table(FILE *out, const struct record_stat *st, size_t n,
		      const struct stat_names *names, bool hist, size_t top)
{
	size_t shown = top && top < n ? top : n;

	char comm[IPCT_COMM_LEN + 1], obj[96];

	fprintf(out, "%8s %-16s %-6s %-4s %10s %7s %12s %12s %9s  %s\n", "PID", "COMM",
		"KIND", "DIR", "CALLS", "ERRORS", "BYTES", "TIME(us)", "AVG(ns)", "OBJECT");
	for (size_t i = 0; i < shown; i++) {
		const struct ipct_stat_key *k = &st[i].key;
		const struct ipct_stat_value *v = &st[i].value;
		const char *path = path_of(names, k);

		const char *c = comm_of(names, k->pid, comm, sizeof(comm));
		size_t w = escape_text_width(c, strlen(c));

		fprintf(out, "%8u ", k->pid);
		escape_text(out, c, strlen(c));
		fprintf(out, "%*s %-6s %-4s %10" PRIu64 " %7" PRIu64 " %12" PRIu64 " %12.1f %9.0f  ",
			w < 16 ? (int)(16 - w) : 0, "", viz_kind_name(k->kind), stat_dir_name(k),
			(uint64_t)v->calls, (uint64_t)v->errors, (uint64_t)v->bytes, v->ns / 1e3,
			v->calls ? (double)v->ns / v->calls : 0.0);
		if (path) {
			escape_text(out, path, strlen(path));
		} else {
			stat_object_id(k, obj, sizeof(obj));
			fputs(obj, out);
		}
		fputc('\n', out);
		if (hist)
			print_hist(out, v);
	}
	if (shown < n)
		fprintf(out, "... and %zu more counters (--top 0 shows all, --json gives them all)\n",
			n - shown);
}

void stat_print_json(FILE *out, const struct record_stat *st, size_t n,
		     const struct stat_names *names, uint64_t elapsed_ns)
{
	char comm[IPCT_COMM_LEN + 1], obj[96];

	fprintf(out, "{\"format\": \"ipctrace-stat\", \"version\": 1, \"elapsed_ns\": %" PRIu64
		", \"counters\": [", elapsed_ns);
	for (size_t i = 0; i < n; i++) {
		const struct ipct_stat_key *k = &st[i].key;
		const struct ipct_stat_value *v = &st[i].value;
		const char *c = comm_of(names, k->pid, comm, sizeof(comm));

		const char *path = path_of(names, k);

		stat_object_id(k, obj, sizeof(obj));
		fprintf(out, "%s\n  {\"pid\": %u, \"comm\": ", i ? "," : "", k->pid);
		escape_json(out, c, strlen(c));
		fprintf(out, ", \"kind\": \"%s\", \"object\": ", viz_kind_name(k->kind));
		escape_json(out, obj, strlen(obj));
		if (path) {
			fputs(", \"name\": ", out);
			escape_json(out, path, strlen(path));
		}
		fprintf(out, ", \"dir\": \"%s\", \"calls\": %" PRIu64 ", \"errors\": %" PRIu64
			", \"bytes\": %" PRIu64 ", \"ns\": %" PRIu64 ", \"histogram_log2_ns\": [",
			stat_dir_name(k), (uint64_t)v->calls, (uint64_t)v->errors, (uint64_t)v->bytes,
			(uint64_t)v->ns);
		for (int b = 0; b < IPCT_STAT_BUCKETS; b++)
			fprintf(out, "%s%u", b ? ", " : "", v->hist[b]);
		fputs("]}", out);
	}
	fputs("\n]}\n", out);
}

/* Counters of NOW less those of PREV (matched by key), zero lines left
 * out: what changed in one interval.  Returns the count written to OUT. */
size_t stat_delta(const struct record_stat *now, size_t n, const struct record_stat *prev,
		  size_t nprev, struct record_stat *out)
{
	size_t m = 0, j = 0;

	for (size_t i = 0; i < n; i++) {
		struct record_stat d = now[i];

		while (j < nprev && by_key(&prev[j], &d) < 0)
			j++;
		if (j < nprev && by_key(&prev[j], &d) == 0) {
			d.value.calls -= prev[j].value.calls;
			d.value.errors -= prev[j].value.errors;
			d.value.bytes -= prev[j].value.bytes;
			d.value.ns -= prev[j].value.ns;
			for (int b = 0; b < IPCT_STAT_BUCKETS; b++)
				d.value.hist[b] -= prev[j].value.hist[b];
		}
		if (d.value.calls)
			out[m++] = d;
	}
	return m;
}
