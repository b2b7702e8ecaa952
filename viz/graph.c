/*
 * graph - the process-communication graph, laid out and rendered by
 * Graphviz in-process (libcgraph builds the graph, libgvc runs "dot").
 *
 * graph_fold.c first decides what is drawn, folding before layout so that
 * the layout's time is bounded by the picture's size, not the trace's:
 * processes on a path of communication (model.h), identical siblings as
 * one node `17 × wc`, channels with the same users as one node, sockets
 * and signals as edges between processes, and past the layout budget a
 * summary with one node per program name (the title says so).
 *
 * Nodes: processes (a box "comm / pid N", plus its exit status when not
 * 0; the traced command highlighted), `+N processes` (dashed), channels
 * (shape and colour by kind, viz/palette.h).  Edges: the fork tree
 * (dashed grey), what a process sent into a channel, what a channel
 * delivered to a process (drawn reader -> channel with dir=back so the
 * channel ranks below its readers), shared-memory attachments (dashed,
 * undirected), and socket and signal traffic between processes.  An
 * edge's width grows with log(bytes, or messages); every node and edge
 * has a tooltip with the details.  A parent with more than GRAPH_WRAP
 * child nodes has them staggered over several rows.
 *
 * GRAPH_DOT writes the graph before layout (agwrite), GRAPH_SVG lays it out
 * and renders it into memory (gvRenderData), then writes that: Graphviz
 * 2.43 calls exit(1) when a write to its output FILE fails.  Graphviz's own
 * warnings are swallowed (agseterrf): this is library code and never
 * prints.  Returns 0, -ENOMEM, -EIO, or -EINVAL when Graphviz fails.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gvc.h>
#include "escape.h"
#include "palette.h"
#include "viz.h"

#include "graph_internal.h"
#include "search.h"

/* Set attribute NAME of OBJ (declaring it if needed). */
static void graph_set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

static int discard_gv_message(char *message)
{
	(void)message;
	return 0;
}

static int add_title(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	/* The command line is cut to 200 bytes before escaping (at most 5x),
	 * so the escaped text always fits whole: a cut "\\" would leave a
	 * lone backslash that breaks the DOT quoting. */
	char command[201], label[1400], *escaped;
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
	if (gr->merged && !gr->summary)
		used += snprintf(label + used, sizeof(label) - used,
				 "\\n%zu process%s drawn with an identical sibling (N \xc3\x97 name)",
				 gr->merged, gr->merged == 1 ? "" : "es");
	if (gr->summary)
		snprintf(label + used, sizeof(label) - used,
			 "\\nsummary: %zu nodes and %zu edges are past the layout budget "
			 "(%d, %d), so processes are folded by %s", gr->budget_nodes,
			 gr->budget_edges, GRAPH_NODE_BUDGET, GRAPH_EDGE_BUDGET,
			 gr->by_parent ? "parent" : "name");
	graph_set(gr->g, "label", label);
	graph_set(gr->g, "labelloc", "t");
	graph_set(gr->g, "fontsize", "16");
	return 0;
}

static void node_name(char *buf, size_t size, size_t index)
{
	snprintf(buf, size, "n%zu", index);
}

static int add_nodes(struct graph *gr)
{
	char name[32], label[IPCT_PATH_LEN * 5 + 256], tip[4096], failure[48];

	for (size_t i = 0; i < gr->nnodes; i++) {
		const struct gnode *gn = &gr->nodes[i];
		Agnode_t *n;

		if (graph_node_text(gr, gn, label, sizeof(label), tip, sizeof(tip)))
			return -ENOMEM;
		node_name(name, sizeof(name), i);
		Agraph_t *home = graph_node_cluster(gr, gn);
		if (!home)
			return -ENOMEM;
		n = agnode(home, name, 1);
		if (!n)
			return -ENOMEM;
		graph_set(n, "label", label);
		graph_set(n, "tooltip", tip);
		if (gn->type == GN_OBJECT) {
			const struct viz_kind_style *st = viz_kind_style(gr->m->objects[gn->index].kind);
			graph_set(n, "shape", st->shape);
			graph_set(n, "style", "filled");
			graph_set(n, "fillcolor", st->fill);
			graph_set(n, "color", st->line);
			continue;
		}
		graph_set(n, "shape", "box");
		if (gn->type == GN_KERNEL) {
			graph_set(n, "style", "dashed");
			graph_set(n, "color", viz_kind_style(IPCT_KIND_SIGNAL)->line);
			continue;
		}
		if (gn->type == GN_MORE) {
			graph_set(n, "style", "rounded,dashed");
			continue;
		}
		const struct viz_process *p = &gr->m->processes[gn->index];
		graph_format_failure(failure, sizeof(failure), p);
		graph_set(n, "style", "rounded,filled");
		if (p->pid == gr->m->meta.root_pid) {
			graph_set(n, "fillcolor", "#fdebd0");
			graph_set(n, "color", "#e67e22");
			graph_set(n, "penwidth", "2.5");
		} else {
			graph_set(n, "fillcolor", gn->count > 1 ? "#d6e4f5" : "#eaf2fb");
			graph_set(n, "color", failure[0] ? "#e74c3c" : "#2e86c1");
			graph_set(n, "penwidth", failure[0] || gn->count > 1 ? "2.5" : "1.2");
			if (gn->count > 1)
				graph_set(n, "peripheries", "2");
		}
	}
	return 0;
}

/* Width of an edge that moved BYTES (or MSGS when no bytes): 1 to 8. */
static double edge_width(const struct gedge *e)
{
	uint64_t v = e->bytes ? e->bytes : e->msgs;
	double w = 1.0 + 0.8 * log10(1.0 + (double)v);

	return w > 8.0 ? 8.0 : w;
}

static int add_edge(struct graph *gr, const struct gedge *ge, int minlen)
{
	char from[32], to[32], label[512], tip[1024], width[16];
	const struct viz_kind_style *st = viz_kind_style(ge->kind);
	Agedge_t *e;

	node_name(from, sizeof(from), ge->from);
	node_name(to, sizeof(to), ge->to);
	e = agedge(gr->g, agnode(gr->g, from, 0), agnode(gr->g, to, 0), NULL, 1);
	if (!e || graph_edge_text(gr, ge, label, sizeof(label), tip, sizeof(tip)))
		return -ENOMEM;
	graph_set(e, "label", label);
	graph_set(e, "tooltip", tip);
	graph_set(e, "labeltooltip", tip);
	if (ge->style == GE_FORK) {
		graph_set(e, "style", "dashed");
		graph_set(e, "color", "#999999");
		graph_set(e, "fontcolor", "#777777");
		if (minlen > 1) {
			snprintf(width, sizeof(width), "%d", minlen);
			graph_set(e, "minlen", width);
		}
		return 0;
	}
	graph_set(e, "color", st->line);
	graph_set(e, "fontcolor", st->line);
	snprintf(width, sizeof(width), "%.1f", ge->style == GE_ATTACH ? 1.2 : edge_width(ge));
	graph_set(e, "penwidth", width);
	if (ge->style == GE_RECV)
		graph_set(e, "dir", "back");
	if (ge->style == GE_ATTACH) {
		graph_set(e, "dir", "none");
		graph_set(e, "style", "dashed");
	}
	if (ge->style == GE_DIRECT && ge->kind == IPCT_KIND_SIGNAL)
		graph_set(e, "style", "dotted");
	if (ge->style == GE_HANDED) {
		/* a descriptor changing hands, not data: dashed, open diamond */
		graph_set(e, "style", "dashed");
		graph_set(e, "arrowhead", "odiamond");
		graph_set(e, "penwidth", "1.6");
	}
	return 0;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct gedge *x = a, *y = b;

	return VIZ_ORDER(x->from, y->from) ?: VIZ_ORDER(x->style, y->style) ?:
	       VIZ_ORDER(x->to, y->to) ?: VIZ_ORDER(x->kind, y->kind);
}

/* Edges in node order, fork edges first; a parent's child nodes beyond
 * GRAPH_WRAP are staggered over rows through the fork edge's minlen. */
static int add_edges(struct graph *gr)
{
	int err = 0;

	if (gr->nedges)		/* edges is NULL when there are none */
		qsort(gr->edges, gr->nedges, sizeof(*gr->edges), cmp_edge);
	for (size_t i = 0; !err && i < gr->nedges;) {
		size_t j = i, forks = 0;

		while (j < gr->nedges && gr->edges[j].from == gr->edges[i].from) {
			forks += gr->edges[j].style == GE_FORK;
			j++;
		}
		size_t rows = (forks + GRAPH_WRAP - 1) / GRAPH_WRAP;
		for (size_t k = i, f = 0; !err && k < j; k++) {
			int minlen = 1;
			if (gr->edges[k].style == GE_FORK && rows > 1)
				minlen = 1 + (f++ % rows);
			err = add_edge(gr, &gr->edges[k], minlen);
		}
		i = j;
	}
	return err;
}

static int graph_build(struct graph *gr)
{
	int err;

	gr->g = agopen("ipctrace", Agdirected, NULL);
	if (!gr->g)
		return -ENOMEM;
	graph_set(gr->g, "rankdir", "TB");
	graph_set(gr->g, "ordering", "out");
	graph_set(gr->g, "fontname", "Helvetica");
	graph_set(gr->g, "nodesep", "0.15");
	if (gr->summary) {
		/* Bound dot's crossing minimisation and network simplex work. */
		graph_set(gr->g, "mclimit", "0.3");
		graph_set(gr->g, "nslimit", "2");
		graph_set(gr->g, "nslimit1", "2");
	}
	agattr(gr->g, AGNODE, "fontname", "Helvetica");
	agattr(gr->g, AGNODE, "fontsize", "12");
	agattr(gr->g, AGEDGE, "fontname", "Helvetica");
	agattr(gr->g, AGEDGE, "fontsize", "9");
	err = add_title(gr);
	if (!err)
		err = add_nodes(gr);
	if (!err)
		err = add_edges(gr);
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

	err = graph_fold(&gr);
	if (!err)
		err = graph_build(&gr);
	if (!err)
		err = graph_output(&gr, out, format);
	if (gr.g)
		agclose(gr.g);
	agseterrf(previous);
	graph_fold_release(&gr);
	return err;
}
