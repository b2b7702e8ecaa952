/*
 * graph_hosts - in a merged trace (`trace merge`), each host's processes
 * are drawn inside a Graphviz cluster named after the host; channels,
 * including those joined across hosts, sit between the clusters.
 */
#include <stdio.h>
#include <gvc.h>
#include "graph_internal.h"

Agraph_t *graph_node_cluster(struct graph *gr, const struct gnode *gn)
{
	const struct gnode *owner = gn->type == GN_MORE ? &gr->nodes[gn->parent] : gn;
	char name[48], label[64];
	Agraph_t *sub;

	if (!gr->m->meta.nhosts || owner->type != GN_PROCESS)
		return gr->g;
	uint32_t pid = gr->m->processes[owner->index].pid;
	const struct trace_host *host = viz_model_host(gr->m, pid);
	snprintf(name, sizeof(name), "cluster_host%u", trace_host_of_pid(pid));
	if ((sub = agsubg(gr->g, name, 0)))
		return sub;
	if (!(sub = agsubg(gr->g, name, 1)))
		return NULL;
	/* Host labels are [A-Za-z0-9._-] (lib/trace_file.h): safe in DOT. */
	snprintf(label, sizeof(label), "host %s", host->name);
	agsafeset(sub, "label", label, "");
	agsafeset(sub, "style", "rounded,dashed", "");
	agsafeset(sub, "color", "#7f8c8d", "");
	agsafeset(sub, "fontsize", "14", "");
	return sub;
}
