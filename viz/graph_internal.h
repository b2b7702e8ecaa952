/*
 * graph_internal - what graph.c (preparation, processes, layout, output)
 * and graph_channels.c (channel nodes and their edges) share.  Not an API.
 */
#ifndef IPCTRACE_VIZ_GRAPH_INTERNAL_H
#define IPCTRACE_VIZ_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <gvc.h>
#include "viz.h"

#define GRAPH_MAX_PROCESSES 500

/* Per (object, user) sums; object i's users start at use_base[i]. */
struct use_sums {
	uint64_t sends, sent_bytes;        /* successful send calls (signals:
					      generations; semaphores: V ops) */
	uint64_t recv_bytes;               /* bytes its reads returned */
	uint64_t delivered_msgs, delivered_bytes; /* from flows, as reader */
	uint64_t released;                 /* from flows, as sender (semaphores) */
	uint64_t sent_signals, got_signals; /* signal masks, bit sig - 1 */
	uint32_t attachments, inherited;   /* shared memory spans */
};

struct graph {
	const struct viz_model *m;
	Agraph_t *g;
	size_t *order;                     /* process indices by pid */
	int *shown;                        /* per process index */
	uint32_t *hidden_under;            /* per process: hidden descendants folded into it */
	size_t *use_base;
	struct use_sums *uses;
	bool fork_edges;
	size_t folded;                     /* processes folded away */
};

/* Drawing style per kind (its name comes from viz_kind_name()). */
struct kind_style {
	const char *shape, *fill, *line;
};

static const struct kind_style graph_kind_styles[IPCT_KIND_MAX] = {
	[IPCT_KIND_NONE]   = { "ellipse",  "#eeeeee", "#777777" },
	[IPCT_KIND_PIPE]   = { "cds",      "#d5f5e3", "#1e8449" },
	[IPCT_KIND_FIFO]   = { "cds",      "#fcf3cf", "#b7950b" },
	[IPCT_KIND_FILE]   = { "note",     "#fdedec", "#a93226" },
	[IPCT_KIND_MSGQ]   = { "box3d",    "#e8daef", "#6c3483" },
	[IPCT_KIND_SHM]    = { "folder",   "#d6eaf8", "#1f618d" },
	[IPCT_KIND_SEM]    = { "octagon",  "#fae5d3", "#a04000" },
	[IPCT_KIND_SIGNAL] = { "diamond",  "#f9ebea", "#922b21" },
	[IPCT_KIND_UNIX]   = { "hexagon",  "#d1f2eb", "#117864" },
	[IPCT_KIND_TCP]    = { "hexagon",  "#ebf5fb", "#2471a3" },
	[IPCT_KIND_UDP]    = { "hexagon",  "#fef9e7", "#9a7d0a" },
};

/* Set attribute NAME of OBJ (declaring it if needed). */
static inline void graph_set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

static inline const struct kind_style *graph_style_of(enum ipct_kind kind)
{
	return (unsigned)kind < IPCT_KIND_MAX ? &graph_kind_styles[kind] : &graph_kind_styles[0];
}

/* The node PREFIX ID SUFFIX ("p1234", "o3"), or NULL. */
Agnode_t *graph_find_node(struct graph *gr, char prefix, uint32_t id, const char *suffix);

/* graph_channels.c: the node of channel INDEX; the edges between process
 * node P and channel INDEX (P is users[slot] of it). 0 or -ENOMEM. */
int graph_add_channel_node(struct graph *gr, uint32_t index);
int graph_add_channel_edges(struct graph *gr, Agnode_t *p, uint32_t index, size_t slot);
/* A "kernel" node and its edges to the processes it sent signals to. */
int graph_add_kernel_edges(struct graph *gr);

#endif /* IPCTRACE_VIZ_GRAPH_INTERNAL_H */
