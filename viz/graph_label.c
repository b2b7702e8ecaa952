/*
 * graph_label - the text of the graph's nodes and edges: labels (short,
 * on the picture) and tooltips (the details, on hover in a browser).
 * Everything from the traced system goes through escape_dot_label().
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "escape.h"
#include "units.h"
#include "graph_internal.h"

#define TIP_PIDS 40     /* pids listed in a folded node's tooltip */

void graph_format_failure(char *buf, size_t size, const struct viz_process *p)
{
	int32_t s = p->exit_status;

	buf[0] = '\0';
	if (!p->exited || s <= 0)
		return;
	viz_exit_describe(s, buf, size);
}

/* "12 ns", "3.4 µs", "5.6 ms", "1.20 s". */
static void duration(char *buf, size_t size, uint64_t ns)
{
	viz_format_duration(buf, size, ns, VIZ_DURATION_LABEL);
}

/* "812 bytes", "3.4 KiB", "12.0 MiB": short, for labels. */
static void bytes_text(char *buf, size_t size, uint64_t b)
{
	if (b < 1024)
		snprintf(buf, size, "%" PRIu64 " byte%s", b, b == 1 ? "" : "s");
	else if (b < 1ull << 20)
		snprintf(buf, size, "%.1f KiB", b / 1024.0);
	else
		snprintf(buf, size, "%.1f MiB", b / 1048576.0);
}

/* Escaped S (at most MAX bytes) appended to BUF at *USED. */
static int append_escaped(char *buf, size_t size, size_t *used, const char *s, size_t max)
{
	char *e = escape_dot_label(s, escape_strnlen(s, max));

	if (!e)
		return -ENOMEM;
	if (*used < size)
		*used += snprintf(buf + *used, size - *used, "%s", e);
	free(e);
	return 0;
}

/* Append " PID" for the first TIP_PIDS processes whose proc_node is NODE
 * (COUNT in all) to TIP at USED. */
static int list_pids(const struct graph *gr, char *tip, size_t tsize, size_t used,
		     int32_t node, size_t count)
{
	const struct viz_model *m = gr->m;
	size_t listed = 0;

	for (size_t k = 0; k < m->nprocesses && listed < TIP_PIDS && used < tsize; k++) {
		size_t i = m->pid_order[k];
		if (gr->proc_node[i] == node) {
			used += snprintf(tip + used, tsize - used, " %u", m->processes[i].pid);
			listed++;
		}
	}
	if (count > listed && used < tsize)
		snprintf(tip + used, tsize - used, " \xe2\x80\xa6");
	return 0;
}

/* Do all the processes of node N have its first one's name? */
static bool same_names(const struct graph *gr, const struct gnode *n)
{
	const struct viz_model *m = gr->m;
	const char *comm = m->processes[n->index].comm;

	for (size_t i = 0; i < m->nprocesses; i++)
		if (gr->proc_node[i] == n - gr->nodes &&
		    strncmp(m->processes[i].comm, comm, sizeof(m->processes[i].comm)))
			return false;
	return true;
}

static int process_text(const struct graph *gr, const struct gnode *n, char *label,
			size_t lsize, char *tip, size_t tsize)
{
	const struct viz_model *m = gr->m;
	const struct viz_process *p = &m->processes[n->index];
	char failure[48], life[32];
	size_t l = 0, t = 0;

	graph_format_failure(failure, sizeof(failure), p);
	if (n->count > 1 && !same_names(gr, n))
		l += snprintf(label, lsize, "%u processes\\nlike ", n->count);
	else if (n->count > 1)
		l += snprintf(label, lsize, "%u \xc3\x97 ", n->count);
	if (append_escaped(label, lsize, &l, p->comm, sizeof(p->comm)))
		return -ENOMEM;
	char pid[48], ppid[48];
	viz_pid_label(gr->m, p->pid, pid, sizeof(pid));
	viz_pid_label(gr->m, p->ppid, ppid, sizeof(ppid));
	if (n->count == 1 && l < lsize)
		l += snprintf(label + l, lsize - l, "\\npid %s%s%s", pid,
			      failure[0] ? "\\n" : "", failure);
	duration(life, sizeof(life), p->end_ns - p->start_ns);
	if (n->count == 1) {
		t += snprintf(tip, tsize, "pid %s, parent %s", pid, ppid);
		if (p->exec_path[0]) {
			t += snprintf(tip + t, tsize - t, "\\nexec ");
			if (append_escaped(tip, tsize, &t, p->exec_path, sizeof(p->exec_path)))
				return -ENOMEM;
		}
		if (t < tsize)
			snprintf(tip + t, tsize - t, "\\n%s, lived %s", failure[0] ? failure :
				 p->exited ? "exit 0" : "still running at the end", life);
		return 0;
	}
	t += snprintf(tip, tsize, "%u processes like pid %s (%s): pids", n->count, pid,
		      gr->by_parent ? "under the same parent" : gr->summary ? "the same name" :
		      "same parent, name and channels");
	return list_pids(gr, tip, tsize, t, n - gr->nodes, n->count);
}

static int object_text(const struct graph *gr, const struct gnode *n, char *label,
		       size_t lsize, char *tip, size_t tsize)
{
	const struct viz_object *o = &gr->m->objects[n->index];
	size_t l = 0, t = 0;
	const char *rest = strchr(o->id, ':');

	if (n->count > 1)
		l += snprintf(label, lsize, "%u \xc3\x97 ", n->count);
	l += snprintf(label + l, lsize - l, "%s\\n", viz_kind_name(o->kind));
	if (escape_strnlen(o->name, sizeof(o->name))) {
		if (append_escaped(label, lsize, &l, o->name, sizeof(o->name)))
			return -ENOMEM;
	} else if (append_escaped(label, lsize, &l, rest ? rest + 1 : o->id, sizeof(o->id))) {
		return -ENOMEM;
	}
	t += snprintf(tip, tsize, "%s%s", n->count > 1 ? "first of these: " : "", "");
	if (append_escaped(tip, tsize, &t, o->id, sizeof(o->id)))
		return -ENOMEM;
	if (t < tsize)
		t += snprintf(tip + t, tsize - t, "\\n%" PRIu64 " bytes in, %" PRIu64 " out, %zu users",
			      o->sent_bytes, o->received_bytes, o->nusers);
	if (o->kind == IPCT_KIND_SHM && o->size && t < tsize)
		snprintf(tip + t, tsize - t, ", %" PRIu64 " bytes mapped", o->size);
	return 0;
}

int graph_node_text(const struct graph *gr, const struct gnode *n, char *label,
		    size_t lsize, char *tip, size_t tsize)
{
	if (n->type == GN_PROCESS)
		return process_text(gr, n, label, lsize, tip, tsize);
	if (n->type == GN_OBJECT)
		return object_text(gr, n, label, lsize, tip, tsize);
	if (n->type == GN_KERNEL) {
		snprintf(label, lsize, "kernel");
		snprintf(tip, tsize, "signals the kernel sent on its own");
		return 0;
	}
	snprintf(label, lsize, "+%u process%s\\nwithout IPC", n->more, n->more == 1 ? "" : "es");
	return list_pids(gr, tip, tsize, snprintf(tip, tsize, "%u processes that used no channel "
			 "with another process, folded (--all draws them): pids", n->more),
			 GRAPH_IN_MORE(n - gr->nodes), n->more);
}

/* "3 × SIGUSR1, SIGUSR2". */
static size_t signal_text(char *buf, size_t size, uint64_t count, uint64_t mask)
{
	size_t used = snprintf(buf, size, "%" PRIu64 " \xc3\x97", count);
	char name[32];
	int n = 0;

	for (uint32_t sig = 1; sig <= 64 && used < size; sig++)
		if (mask & (1ull << (sig - 1)))
			used += snprintf(buf + used, size - used, "%s%s", n++ ? ", " : " ",
					 viz_signal_name(sig, name, sizeof(name)));
	return used < size ? used : size - 1;
}

/* "N msgs, B bytes" (or the kind's own words) into BUF; with LABEL_LINES
 * one item a line, narrow for a label. */
static size_t amount_text(const struct gedge *e, char *buf, size_t size, bool label_lines)
{
	char b[32];

	if (e->style == GE_FORK)
		return e->count > 1 ? (size_t)snprintf(buf, size, "fork \xc3\x97 %" PRIu64, e->count) :
		       (size_t)snprintf(buf, size, "fork");
	if (e->style == GE_ATTACH)
		return snprintf(buf, size, "%s", e->attached == e->inherited && e->inherited ?
				"inherited" : e->attached ? "attached" : "uses");
	if (e->style == GE_HANDED) {
		const char *what = e->kind == IPCT_KIND_NONE ? "other" : viz_kind_name(e->kind);
		size_t n = e->count > 1 ?
			snprintf(buf, size, "handed fd \xc3\x97 %" PRIu64 "%s%s", e->count,
				 label_lines ? "\\n" : ": ", what) :
			snprintf(buf, size, "handed fd%s%s", label_lines ? "\\n" : ": ", what);
		return n < size ? n : size - 1;
	}
	if (e->kind == IPCT_KIND_SIGNAL)
		return signal_text(buf, size, e->msgs, e->signals);
	if (e->kind == IPCT_KIND_SHM)      /* first page touches (estimated) */
		return snprintf(buf, size, "%s%" PRIu64 " page%s%s", e->style == GE_SEND ? "wrote " : "",
				e->msgs, e->msgs == 1 ? "" : "s", e->style == GE_SEND ? "" :
				label_lines ? "\\n(estimated)" : " (estimated)");
	if (e->kind == IPCT_KIND_SEM) {
		uint64_t n = e->style == GE_SEND && e->released ? e->released : e->msgs;
		const char *what = e->style == GE_SEND && !e->released ? "V op" : "release";
		return snprintf(buf, size, "%" PRIu64 " %s%s", n, what, n == 1 ? "" : "s");
	}
	bytes_text(b, sizeof(b), e->bytes);
	size_t used = 0;
	if (e->style == GE_DIRECT && (e->kind == IPCT_KIND_TCP || e->kind == IPCT_KIND_UNIX) &&
	    e->count > 1)
		used += snprintf(buf, size, "%s \xc3\x97 %" PRIu64 "%s", viz_kind_name(e->kind), e->count,
				 label_lines ? "\\n" : ": ");
	else if (e->style == GE_DIRECT)
		used += snprintf(buf, size, "%s%s", viz_kind_name(e->kind), label_lines ? "\\n" : ": ");
	used += snprintf(buf + used, size - used, "%" PRIu64 " msg%s%s%s", e->msgs,
			 e->msgs == 1 ? "" : "s", label_lines ? "\\n" : ", ", b);
	if (e->unmatched && used < size)
		used += snprintf(buf + used, size - used, "\\n+%" PRIu64 " unmatched", e->unmatched);
	return used < size ? used : size - 1;
}

/* "\\nSIGPIPE: write to a closed pipe or socket" for the kernel's edge E:
 * the cause of the first such flow to a process of E's target node. */
static void kernel_cause(const struct graph *gr, const struct gedge *e, char *buf, size_t size)
{
	const struct viz_model *m = gr->m;
	char cause[256];

	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		const struct viz_process *p = viz_model_process(m, f->to);

		if (f->from || m->objects[f->object].kind != IPCT_KIND_SIGNAL || !p ||
		    gr->proc_node[p - m->processes] != (int32_t)e->to)
			continue;
		viz_flow_from_kernel(f, cause, sizeof(cause));
		snprintf(buf, size, "\\n%s", cause);
		return;
	}
}

int graph_edge_text(const struct graph *gr, const struct gedge *e, char *label,
		    size_t lsize, char *tip, size_t tsize)
{
	const struct gnode *a = &gr->nodes[e->from], *b = &gr->nodes[e->to];
	char an[64] = "", bn[64] = "", lat[128] = "";
	size_t t;

	size_t l = amount_text(e, label, lsize, true);
	if (a->type == GN_KERNEL && l < lsize)
		kernel_cause(gr, e, label + l, lsize - l);
	for (int side = 0; side < 2; side++) {
		const struct gnode *n = side ? b : a;
		char *buf = side ? bn : an;
		if (n->type == GN_PROCESS)
			snprintf(buf, 64, "pid %u%s", gr->m->processes[n->index].pid,
				 n->count > 1 ? " and alike" : "");
		else if (n->type == GN_OBJECT)
			snprintf(buf, 64, "%s", viz_kind_name(gr->m->objects[n->index].kind));
		else if (n->type == GN_KERNEL)
			snprintf(buf, 64, "kernel");
		else
			snprintf(buf, 64, "+%u processes", n->more);
	}
	if (e->lat_n) {
		char avg[24], max[24];
		duration(avg, sizeof(avg), e->lat_sum / e->lat_n);
		duration(max, sizeof(max), e->lat_max);
		snprintf(lat, sizeof(lat), "\\nlatency send to receive: mean %s, max %s", avg, max);
	}
	if (e->style == GE_RECV)   /* drawn reader -> channel, pointing back */
		t = snprintf(tip, tsize, "%s \xe2\x86\x92 %s: ", bn, an);
	else
		t = snprintf(tip, tsize, "%s \xe2\x86\x92 %s: ", an, bn);
	if (t < tsize)
		t += amount_text(e, tip + t, tsize - t, false);
	if (e->style == GE_DIRECT && t < tsize)
		t += snprintf(tip + t, tsize - t, " in %" PRIu64 " flow%s", e->count,
			      e->count == 1 ? "" : "s");
	if (t < tsize)
		snprintf(tip + t, tsize - t, "%s", lat);
	return 0;
}
