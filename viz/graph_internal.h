/*
 * graph_internal - what the graph's parts share (not an API):
 *   graph_fold.c   which processes and channels become which node, and the
 *                  edges between nodes, summed (folding before layout),
 *                  with graph_nodes.c and graph_edges.c (graph_fold.h);
 *   graph.c        the cgraph graph from those nodes and edges, layout, output;
 *   graph_label.c  labels and tooltips.
 */
#ifndef IPCTRACE_VIZ_GRAPH_INTERNAL_H
#define IPCTRACE_VIZ_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <gvc.h>
#include "viz.h"

/* The layout budget: past this many nodes or edges after folding identical
 * siblings, the graph is drawn as a summary (one node per program name).
 * dot's layout of 300 nodes and 900 edges takes about a second here. */
#define GRAPH_NODE_BUDGET 300
#define GRAPH_EDGE_BUDGET 900
/* A parent with more child nodes than this has them in staggered rows. */
#define GRAPH_WRAP 4

enum gnode_type { GN_PROCESS, GN_MORE, GN_OBJECT, GN_KERNEL };

struct gnode {
	uint8_t type;           /* enum gnode_type */
	uint32_t index;         /* first process / object it stands for */
	uint32_t count;         /* processes or objects it stands for */
	uint32_t more;          /* GN_MORE: the processes without IPC */
	uint32_t parent;        /* GN_MORE: the node they fold under */
};

/* GE_HANDED: descriptors one process handed to another (SCM_RIGHTS), of
 * the kind of object they stand for; count is how many. */
enum gedge_style { GE_FORK, GE_SEND, GE_RECV, GE_ATTACH, GE_DIRECT, GE_HANDED };

struct gedge {
	uint32_t from, to;      /* node indexes (GE_RECV: from the reader, drawn back) */
	uint8_t style;          /* enum gedge_style */
	uint8_t kind;           /* enum ipct_kind of the channel; NONE for fork */
	uint64_t count;         /* forks; GE_DIRECT: flows (connections, pairs) */
	uint64_t msgs, bytes;   /* sends / deliveries, bytes moved */
	uint64_t released;      /* semaphores, GE_SEND: waiting Ps released */
	uint64_t unmatched;     /* GE_RECV: bytes read that no traced send explains */
	uint64_t signals;       /* signal mask, bit sig - 1 */
	uint32_t attached, inherited;   /* GE_ATTACH */
	uint64_t lat_sum, lat_n, lat_max; /* send return to receive return */
};

#define GRAPH_IN_MORE(node) (-2 - (int32_t)(node))

/* graph_hosts.c: in a merged trace, the host cluster a process node (or
 * its "+N" node) is drawn in, made on first use; the graph itself for
 * other nodes and single-host traces.  NULL: no memory. */
struct graph;
Agraph_t *graph_node_cluster(struct graph *gr, const struct gnode *gn);

struct graph {
	const struct viz_model *m;
	Agraph_t *g;
	/* graph_fold.c */
	int32_t *proc_node;     /* per process: its node; < 0 when not drawn, and
				   GRAPH_IN_MORE(n) when folded into GN_MORE node n */
	int32_t *obj_node;      /* per object: its node, -1 if not drawn as a node;
				   in proc_node's allocation */
	struct gnode *nodes;    size_t nnodes, cap_nodes;
	struct gedge *edges;    size_t nedges, cap_edges;
	size_t folded;          /* processes without IPC folded into +N */
	size_t merged;          /* processes merged into identical siblings */
	int32_t kernel_node;    /* the kernel, when it sent a drawn process a signal; -1 */
	bool summary;           /* over budget: one node per program name */
	bool by_parent;         /* still over: one node per level under a parent */
	size_t budget_nodes, budget_edges; /* the counts that broke the budget */
};

/* Work out nodes and edges for GR->m.  0 or -ENOMEM. */
int graph_fold(struct graph *gr);
void graph_fold_release(struct graph *gr);
/* Is OBJECT drawn (shown, or with --all used by two processes)? */
bool graph_object_drawn(const struct viz_model *m, uint32_t object);
/* Kinds drawn as edges between processes, with no node of their own. */
bool graph_kind_direct(enum ipct_kind kind);

/* graph_label.c: "wc\npid 12", "17 × wc", "pipe\n0:1234"... into BUF
 * (DOT-escaped), and the node's tooltip; the edge's label and tooltip.
 * -ENOMEM. */
int graph_node_text(const struct graph *gr, const struct gnode *n, char *label,
		    size_t lsize, char *tip, size_t tsize);
int graph_edge_text(const struct graph *gr, const struct gedge *e, char *label,
		    size_t lsize, char *tip, size_t tsize);
/* "exit 3", "killed by SIGKILL"; "" for exit 0 or an unseen status. */
void graph_format_failure(char *buf, size_t size, const struct viz_process *p);

#endif /* IPCTRACE_VIZ_GRAPH_INTERNAL_H */
