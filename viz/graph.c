/*
 * graph - the process-communication graph, laid out and rendered by
 * Graphviz in-process (libcgraph builds the graph, libgvc runs "dot").
 *
 * Nodes: every process (a box "comm / pid N", plus its exit status when
 * not 0; the traced command highlighted) and every object that two or more
 * processes used (a channel of any kind: shape and colour by kind).
 * Edges: the fork tree (dashed grey, parent -> child, "fork") and the
 * edges between processes and channels (graph_channels.c): what each
 * process sent in ("N msgs, B bytes", "N releases", "N x SIGUSR1"), what
 * each channel delivered (from m->flows, with "+U unmatched"), dashed
 * undirected lines to shared memory.  Objects used by one process only
 * are left out, and files no traced process wrote (shared libraries).  Node names are ids ("p1234", "o3"); every label from the
 * traced system goes through escape_dot_label().
 *
 * Big traces: dot's layout grows faster than linearly with nodes and edges.
 * Above GRAPH_MAX_PROCESSES processes, processes that used no channel (and
 * are not the root nor an ancestor of one that did) are folded into one
 * "+N processes without IPC" node under their nearest drawn ancestor; if
 * more than GRAPH_MAX_PROCESSES processes still remain, the fork edges are
 * dropped too (the graph label says so), leaving the channel edges.
 *
 * GRAPH_DOT writes the graph before layout (agwrite), GRAPH_SVG lays it out
 * and renders it into memory (gvRenderData), then writes that: Graphviz
 * 2.43 calls exit(1) when a write to its output FILE fails.  Graphviz's own warnings are swallowed (agseterrf): this
 * is library code and never prints.  Returns 0, -ENOMEM, -EIO, or -EINVAL
 * when Graphviz fails.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <gvc.h>
#include "escape.h"
#include "viz.h"

#include "graph_internal.h"

static int discard_gv_message(char *message)
{
	(void)message;
	return 0;
}

/* "exit 3", "killed by SIGKILL"; "" for exit 0 or an unseen status. */
static void format_failure(char *buf, size_t size, const struct viz_process *p)
{
	int32_t s = p->exit_status;

	buf[0] = '\0';
	if (!p->exited || s <= 0)
		return;
	viz_exit_describe(s, buf, size);
}

static int cmp_by_pid(const void *a, const void *b, void *model)
{
	const struct viz_model *m = model;
	uint32_t x = m->processes[*(const size_t *)a].pid;
	uint32_t y = m->processes[*(const size_t *)b].pid;

	return x < y ? -1 : x > y;
}

/* Index in m->processes of PID, or -1. */
static long process_index(const struct graph *gr, uint32_t pid)
{
	size_t lo = 0, hi = gr->m->nprocesses;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t p = gr->m->processes[gr->order[mid]].pid;

		if (p == pid)
			return (long)gr->order[mid];
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A channel is drawn when two or more processes used it; a file only when
 * a traced process wrote into it (every process reads libc.so.6). */
static bool object_shown(const struct viz_model *m, uint32_t object)
{
	if (object >= m->nobjects)
		return false;
	const struct viz_object *o = &m->objects[object];
	return o->nusers >= 2 && (o->kind != IPCT_KIND_FILE || o->sent_bytes > 0);
}

/* Sums of (OBJECT, PID), or NULL when PID is not one of its users. */
static struct use_sums *use_of(const struct graph *gr, uint32_t object, uint32_t pid)
{
	const struct viz_object *o = &gr->m->objects[object];
	size_t lo = 0, hi = o->nusers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->users[mid] == pid)
			return &gr->uses[gr->use_base[object] + mid];
		if (o->users[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- preparation: sums, which processes to draw ---- */

/* Add what op OP did to its user's sums: the send side counts successful
 * calls (semaphores: V ops; signals: generations, not the kill calls). */
static void add_op_sums(struct use_sums *u, const struct viz_op *op)
{
	switch (op->type) {
	case VIZ_OP_SEM:
		if (op->dir == IPCT_DIR_SEND && op->ret == 0)
			u->sends++;
		break;
	case VIZ_OP_SIG_GENERATE:
		u->sends++;
		if (op->u.sig.sig >= 1 && op->u.sig.sig <= 64)
			u->sent_signals |= 1ull << (op->u.sig.sig - 1);
		break;
	case VIZ_OP_SIG_SEND:
	case VIZ_OP_SIG_DELIVER:
		break;
	default:
		if (op->ret <= 0)
			break;
		if (op->dir == IPCT_DIR_SEND) {
			u->sends++;
			u->sent_bytes += (uint64_t)op->ret;
		} else if (!(op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK))) {
			u->recv_bytes += (uint64_t)op->ret;
		}
	}
}

static int graph_prepare(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	size_t i, j, total = 0, nshown = 0;

	gr->order = malloc((m->nprocesses + 1) * sizeof(*gr->order));
	gr->shown = calloc(m->nprocesses + 1, sizeof(*gr->shown));
	gr->hidden_under = calloc(m->nprocesses + 1, sizeof(*gr->hidden_under));
	gr->use_base = malloc((m->nobjects + 1) * sizeof(*gr->use_base));
	if (!gr->order || !gr->shown || !gr->hidden_under || !gr->use_base)
		return -ENOMEM;
	for (i = 0; i < m->nprocesses; i++)
		gr->order[i] = i;
	qsort_r(gr->order, m->nprocesses, sizeof(*gr->order), cmp_by_pid, (void *)m);

	for (i = 0; i < m->nobjects; i++) {
		gr->use_base[i] = total;
		total += m->objects[i].nusers;
	}
	gr->uses = calloc(total + 1, sizeof(*gr->uses));
	if (!gr->uses)
		return -ENOMEM;
	for (i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		struct use_sums *u;

		if (!object_shown(m, op->object))
			continue;
		u = use_of(gr, op->object, op->pid);
		if (!u)
			continue;
		add_op_sums(u, op);
	}
	for (i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];
		struct use_sums *u;

		if (!object_shown(m, a->object) || !(u = use_of(gr, a->object, a->pid)))
			continue;
		u->attachments++;
		u->inherited += a->inherited;
	}
	for (i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		struct use_sums *u;

		if (!object_shown(m, f->object))
			continue;
		u = use_of(gr, f->object, f->to);
		if (u) {
			u->delivered_msgs += f->messages;
			u->delivered_bytes += f->bytes;
			u->got_signals |= f->signals;
		}
		u = use_of(gr, f->object, f->from);
		if (u)
			u->released += f->messages;
	}

	/* Which processes get a node. */
	gr->fork_edges = true;
	if (m->nprocesses <= GRAPH_MAX_PROCESSES) {
		for (i = 0; i < m->nprocesses; i++)
			gr->shown[i] = 1;
		return 0;
	}
	for (i = 0; i < m->nobjects; i++) {
		if (!object_shown(m, i))
			continue;
		for (j = 0; j < m->objects[i].nusers; j++) {
			long p = process_index(gr, m->objects[i].users[j]);

			if (p >= 0)
				gr->shown[p] = 1;
		}
	}
	for (i = 0; i < m->nprocesses; i++)
		if (m->processes[i].pid == m->meta.root_pid)
			gr->shown[i] = 1;
	/* Keep the tree connected: ancestors of drawn processes are drawn. */
	for (i = 0; i < m->nprocesses; i++) {
		long p = i, steps = 0;

		if (gr->shown[i] != 1)
			continue;
		while ((p = process_index(gr, m->processes[p].ppid)) >= 0 &&
		       !gr->shown[p] && steps++ < (long)m->nprocesses)
			gr->shown[p] = 2;
	}
	/* Fold the others into their nearest drawn ancestor. */
	for (i = 0; i < m->nprocesses; i++) {
		long p = i, steps = 0;

		if (gr->shown[i]) {
			nshown++;
			continue;
		}
		gr->folded++;
		while ((p = process_index(gr, m->processes[p].ppid)) >= 0 &&
		       !gr->shown[p] && steps++ < (long)m->nprocesses)
			;
		if (p >= 0 && gr->shown[p])
			gr->hidden_under[p]++;
	}
	if (nshown > GRAPH_MAX_PROCESSES)
		gr->fork_edges = false;
	return 0;
}

/* ---- building the cgraph graph ---- */

static int add_title(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	/* The command line is cut to 200 bytes before escaping (at most 5x),
	 * so the escaped text always fits whole: a cut "\\" would leave a
	 * lone backslash that breaks the DOT quoting. */
	char command[201], label[1200], *escaped;
	size_t used;
	int i;

	used = snprintf(command, sizeof(command), "ipctrace:");
	for (i = 0; i < m->meta.argc && m->meta.argv && used < sizeof(command); i++)
		used += snprintf(command + used, sizeof(command) - used, " %s", m->meta.argv[i]);
	escaped = escape_dot_label(command, strlen(command));
	if (!escaped)
		return -ENOMEM;
	used = snprintf(label, sizeof(label), "%s", escaped);
	free(escaped);
	if (gr->folded)
		used += snprintf(label + used, sizeof(label) - used,
				 "\\n%zu processes without IPC folded", gr->folded);
	if (!gr->fork_edges)
		snprintf(label + used, sizeof(label) - used,
			 "\\n%zu processes: fork edges left out", gr->m->nprocesses);
	graph_set(gr->g, "label", label);
	graph_set(gr->g, "labelloc", "t");
	graph_set(gr->g, "fontsize", "16");
	return 0;
}

static int add_processes(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	char name[32], label[256], failure[48];
	size_t k;

	for (k = 0; k < m->nprocesses; k++) {
		const struct viz_process *p = &m->processes[gr->order[k]];
		char *comm;
		Agnode_t *n;

		if (!gr->shown[gr->order[k]])
			continue;
		comm = escape_dot_label(p->comm, escape_strnlen(p->comm, sizeof(p->comm)));
		if (!comm)
			return -ENOMEM;
		format_failure(failure, sizeof(failure), p);
		snprintf(label, sizeof(label), "%s\\npid %u%s%s", comm, p->pid,
			 failure[0] ? "\\n" : "", failure);
		free(comm);
		snprintf(name, sizeof(name), "p%u", p->pid);
		n = agnode(gr->g, name, 1);
		if (!n)
			return -ENOMEM;
		graph_set(n, "label", label);
		graph_set(n, "shape", "box");
		graph_set(n, "style", "rounded,filled");
		if (p->pid == m->meta.root_pid) {
			graph_set(n, "fillcolor", "#fdebd0");
			graph_set(n, "color", "#e67e22");
			graph_set(n, "penwidth", "2.5");
		} else {
			graph_set(n, "fillcolor", "#eaf2fb");
			graph_set(n, "color", failure[0] ? "#e74c3c" : "#2e86c1");
			graph_set(n, "penwidth", failure[0] ? "2.5" : "1.2");
		}
		if (gr->hidden_under[gr->order[k]] && gr->fork_edges) {
			Agnode_t *more;

			snprintf(name, sizeof(name), "p%u_more", p->pid);
			snprintf(label, sizeof(label), "+%u processes\\nwithout IPC",
				 gr->hidden_under[gr->order[k]]);
			more = agnode(gr->g, name, 1);
			if (!more)
				return -ENOMEM;
			graph_set(more, "label", label);
			graph_set(more, "shape", "box");
			graph_set(more, "style", "rounded,dashed");
		}
	}
	return 0;
}

Agnode_t *graph_find_node(struct graph *gr, char prefix, uint32_t id, const char *suffix)
{
	char name[48];

	snprintf(name, sizeof(name), "%c%u%s", prefix, id, suffix);
	return agnode(gr->g, name, 0);
}

static int add_fork_edge(struct graph *gr, Agnode_t *parent, Agnode_t *child,
			 const char *label)
{
	Agedge_t *e = agedge(gr->g, parent, child, NULL, 1);

	if (!e)
		return -ENOMEM;
	graph_set(e, "style", "dashed");
	graph_set(e, "color", "#999999");
	graph_set(e, "fontcolor", "#777777");
	if (label)
		graph_set(e, "label", label);
	return 0;
}

/* A process's use of a channel: users[slot] of objects[object] is pid. */
struct use_ref {
	uint32_t pid, object, slot;
};

static int cmp_use_ref(const void *a, const void *b)
{
	const struct use_ref *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->object < y->object ? -1 : x->object > y->object;
}

static int cmp_by_parent(const void *a, const void *b, void *model)
{
	const struct viz_model *m = model;
	const struct viz_process *x = &m->processes[*(const size_t *)a];
	const struct viz_process *y = &m->processes[*(const size_t *)b];

	if (x->ppid != y->ppid)
		return x->ppid < y->ppid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* All edges, made process by process in pid order.  With ordering=out dot
 * keeps each node's out-edges in the order they were made, so a parent's
 * fork edges come in pid order (children left to right by pid) with its
 * own channel edges in the middle: a parent reading a pipe its children
 * write gets a straight edge down between them. */
static int add_edges(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	struct use_ref *refs = NULL;
	size_t *children = NULL, nrefs = 0, nchildren = 0, r = 0, c = 0, i, j, k;
	int err = 0;

	for (i = 0; i < m->nobjects; i++)
		if (object_shown(m, i))
			nrefs += m->objects[i].nusers;
	refs = malloc((nrefs + 1) * sizeof(*refs));
	children = malloc((m->nprocesses + 1) * sizeof(*children));
	if (!refs || !children) {
		err = -ENOMEM;
		goto out;
	}
	for (nrefs = 0, i = 0; i < m->nobjects; i++)
		for (j = 0; object_shown(m, i) && j < m->objects[i].nusers; j++)
			refs[nrefs++] = (struct use_ref){ m->objects[i].users[j], i, j };
	qsort(refs, nrefs, sizeof(*refs), cmp_use_ref);
	for (i = 0; i < m->nprocesses; i++)
		if (gr->shown[i] && m->processes[i].ppid != m->processes[i].pid)
			children[nchildren++] = i;
	qsort_r(children, nchildren, sizeof(*children), cmp_by_parent, (void *)m);

	for (k = 0; !err && k < m->nprocesses; k++) {
		const struct viz_process *p = &m->processes[gr->order[k]];
		Agnode_t *pn = graph_find_node(gr, 'p', p->pid, ""), *more;
		size_t first, n, half;

		while (r < nrefs && refs[r].pid < p->pid)
			r++;
		while (c < nchildren && m->processes[children[c]].ppid < p->pid)
			c++;
		for (first = c; c < nchildren && m->processes[children[c]].ppid == p->pid; c++)
			;
		if (!pn)
			continue;
		n = gr->fork_edges ? c - first : 0;
		half = n / 2;
		for (i = first; !err && i < first + n; i++) {
			if (i == first + half)
				for (j = r; !err && j < nrefs && refs[j].pid == p->pid; j++)
					err = graph_add_channel_edges(gr, pn, refs[j].object, refs[j].slot);
			err = err ? err : add_fork_edge(gr, pn,
				graph_find_node(gr, 'p', m->processes[children[i]].pid, ""), "fork");
		}
		if (half == n)  /* no children: the channel edges were not made */
			for (j = r; !err && j < nrefs && refs[j].pid == p->pid; j++)
				err = graph_add_channel_edges(gr, pn, refs[j].object, refs[j].slot);
		more = graph_find_node(gr, 'p', p->pid, "_more");
		if (!err && more)
			err = add_fork_edge(gr, pn, more, NULL);
	}
out:
	free(refs);
	free(children);
	return err;
}

static int graph_build(struct graph *gr)
{
	uint32_t i;
	int err;

	gr->g = agopen("ipctrace", Agdirected, NULL);
	if (!gr->g)
		return -ENOMEM;
	graph_set(gr->g, "rankdir", "TB");
	graph_set(gr->g, "ordering", "out");
	graph_set(gr->g, "fontname", "Helvetica");
	graph_set(gr->g, "nodesep", "0.3");
	if (gr->m->nprocesses > GRAPH_MAX_PROCESSES) {
		/* Bound dot's crossing minimisation and network simplex work. */
		graph_set(gr->g, "mclimit", "0.2");
		graph_set(gr->g, "nslimit", "2");
		graph_set(gr->g, "nslimit1", "2");
	}
	agattr(gr->g, AGNODE, "fontname", "Helvetica");
	agattr(gr->g, AGNODE, "fontsize", "12");
	agattr(gr->g, AGEDGE, "fontname", "Helvetica");
	agattr(gr->g, AGEDGE, "fontsize", "10");
	err = add_title(gr);
	if (!err)
		err = add_processes(gr);
	for (i = 0; !err && i < gr->m->nobjects; i++)
		if (object_shown(gr->m, i))
			err = graph_add_channel_node(gr, i);
	if (!err)
		err = add_edges(gr);
	if (!err)
		err = graph_add_kernel_edges(gr);
	return err;
}


/* The Graphviz context, made once and kept for the life of the process:
 * Graphviz 2.43's pango plugin caches a font name that belongs to the
 * context, so a second gvContext() after gvFreeContext() reads freed
 * memory (seen with AddressSanitizer).  Not thread-safe (nor is Graphviz). */
static GVC_t *graph_context(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

static int graph_output(struct graph *gr, FILE *out, enum graph_format format)
{
	GVC_t *gvc;
	int err = 0;

	if (format == GRAPH_DOT) {
		if (agwrite(gr->g, out) != 0)
			err = -EIO;
	} else {
		gvc = graph_context();
		if (!gvc)
			return -ENOMEM;
		if (gvLayout(gvc, gr->g, "dot") != 0) {
			err = -EINVAL;
		} else {
			char *data = NULL;
			unsigned int len = 0;

			/* Into memory first: on a failed write to a FILE,
			 * Graphviz 2.43 calls exit(1) (gvwrite_no_z). */
			if (gvRenderData(gvc, gr->g, "svg", &data, &len) != 0 || !data)
				err = -EINVAL;
			else if (fwrite(data, 1, len, out) != len)
				err = -EIO;
			gvFreeRenderData(data);
			gvFreeLayout(gvc, gr->g);
		}
	}
	if (!err && (fflush(out) != 0 || ferror(out)))
		err = -EIO;
	return err;
}

int graph_render(const struct viz_model *m, FILE *out, enum graph_format format)
{
	struct graph gr = { .m = m };
	agusererrf previous = agseterrf(discard_gv_message);
	int err;

	err = graph_prepare(&gr);
	if (!err)
		err = graph_build(&gr);
	if (!err)
		err = graph_output(&gr, out, format);
	if (gr.g)
		agclose(gr.g);
	agseterrf(previous);
	free(gr.order);
	free(gr.shown);
	free(gr.hidden_under);
	free(gr.use_base);
	free(gr.uses);
	return err;
}
