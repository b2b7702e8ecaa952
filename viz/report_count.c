/*
 * report_count - `trace -c`: the time spent in IPC calls, per process and
 * per channel, sorted by time, in the columns of `strace -c`.
 *
 * A row counts the calls of the model's operations (reads, writes,
 * message, semaphore and signal calls) of one process or on one object:
 * their share of the total time, the seconds, the mean per call, the
 * calls and those that failed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "viz.h"
#include "search.h"

struct count_row {
	uint32_t index;         /* process or object index */
	uint64_t ns, calls, errors;
};

static int cmp_row(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;

	/* most time first, then most calls, then table order */
	return VIZ_ORDER(y->ns, x->ns) ?: VIZ_ORDER(y->calls, x->calls) ?:
	       VIZ_ORDER(x->index, y->index);
}

static void count_op(struct count_row *r, const struct viz_op *op)
{
	r->ns += op->duration_ns;
	r->calls++;
	r->errors += op->ret < 0;
}

static const char rule[] = "------ ----------- ----------- --------- --------- ----------------\n";

/* Print the table of N rows (those with calls), NAME printing a row's name. */
static void print_table(const struct viz_model *m, FILE *out, struct count_row *rows, size_t n,
			const char *what, void (*name)(const struct viz_model *, FILE *, uint32_t))
{
	struct count_row total = { 0 };

	qsort(rows, n, sizeof(*rows), cmp_row);
	for (size_t i = 0; i < n; i++) {
		total.ns += rows[i].ns;
		total.calls += rows[i].calls;
		total.errors += rows[i].errors;
	}
	fprintf(out, "%% time     seconds  usecs/call     calls    errors %s\n%s", what, rule);
	for (size_t i = 0; i < n && rows[i].calls; i++) {
		char errors[24] = "";

		if (rows[i].errors)	/* blank when none, as strace -c */
			snprintf(errors, sizeof(errors), "%" PRIu64, rows[i].errors);
		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " %9s ",
			total.ns ? 100.0 * rows[i].ns / total.ns : 0.0, rows[i].ns / 1e9,
			rows[i].ns / 1000 / rows[i].calls, rows[i].calls, errors);
		name(m, out, rows[i].index);
		fputc('\n', out);
	}
	fprintf(out, "%s%6.2f %11.6f %11s %9" PRIu64 " %9" PRIu64 " total\n", rule, 100.0,
		total.ns / 1e9, "", total.calls, total.errors);
}

static void process_name(const struct viz_model *m, FILE *out, uint32_t i)
{
	const struct viz_process *p = &m->processes[i];

	fprintf(out, "%" PRIu32 " ", p->pid);
	escape_text(out, p->comm, escape_strnlen(p->comm, sizeof(p->comm)));
}

static void object_name(const struct viz_model *m, FILE *out, uint32_t i)
{
	const struct viz_object *o = &m->objects[i];

	escape_text(out, o->id, escape_strnlen(o->id, sizeof(o->id)));
	if (o->name[0]) {
		fputc(' ', out);
		escape_text(out, o->name, escape_strnlen(o->name, sizeof(o->name)));
	}
}

int report_counts(const struct viz_model *m, FILE *out)
{
	struct count_row *procs = calloc(m->nprocesses + 1, sizeof(*procs));
	struct count_row *objs = calloc(m->nobjects + 1, sizeof(*objs));

	if (!procs || !objs) {
		free(procs);
		free(objs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->nprocesses; i++)
		procs[i].index = i;
	for (size_t i = 0; i < m->nobjects; i++)
		objs[i].index = i;
	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		const struct viz_process *p = viz_model_process(m, op->pid);

		if (p)
			count_op(&procs[p - m->processes], op);
		if (op->object < m->nobjects)
			count_op(&objs[op->object], op);
	}
	print_table(m, out, procs, m->nprocesses, "process", process_name);
	fputc('\n', out);
	print_table(m, out, objs, m->nobjects, "channel", object_name);
	free(procs);
	free(objs);
	return ferror(out) ? -EIO : 0;
}
