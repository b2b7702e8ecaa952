/*
 * graph_fold (internal) - what the files of the folding share: the fold
 * state, and the helpers the node and edge passes use.  graph_fold.c folds
 * the process tree and runs the passes, graph_nodes.c makes the nodes,
 * graph_edges.c the edges between them.
 */
#ifndef IPCTRACE_VIZ_GRAPH_FOLD_H
#define IPCTRACE_VIZ_GRAPH_FOLD_H

#include "graph_internal.h"
#include "model_build.h"

#define ROLE_SEND 1u
#define ROLE_RECV 2u
#define ROLE_ATTACH 4u

/* A process's role on a drawn object. */
struct use {
	uint32_t process, object;
	uint8_t role;
};

struct fold {
	struct graph *gr;
	const struct viz_model *m;
	long *parent;           /* per process: drawn parent index, -1 */
	uint32_t *child_first;  /* children of i: child_list[child_first[i]..child_first[i+1]) */
	uint32_t *child_list;
	uint32_t *tin, *tout;   /* Euler tour over the drawn forest */
	uint64_t *hval;         /* subtree hash for the current top */
	uint32_t *rep;          /* process -> process it folds onto */
	struct use *uses;       size_t nuses;
	uint32_t *use_first;    /* uses of process i: uses[use_first[i]..use_first[i+1]) */
	uint32_t *sorted;       /* scratch */
};

/* The edge index: (from, to, style, kind) -> edge index + 1. */
struct edge_table {
	uint32_t *slots;
	size_t nslots;
};

/* H combined with V (order matters). */
uint64_t fold_mix(uint64_t h, uint64_t v);
/* Is process I drawn (shown, or --all)? */
bool fold_process_drawn(const struct viz_model *m, size_t i);
/* The index of PID's process, or -1. */
long fold_pindex(const struct viz_model *m, uint32_t pid);
/* A new node of TYPE for INDEX; its number or -ENOMEM. */
long fold_new_node(struct graph *gr, uint8_t type, uint32_t index);
/* The process that process I folds onto. */
uint32_t fold_find_rep(struct fold *f, uint32_t i);

/* graph_nodes.c: a node per drawn (folded) process, per drawn object. */
int fold_process_nodes(struct fold *f);
int fold_object_nodes(struct fold *f);

/* graph_edges.c: the fork edges, the edges of the ops on channel nodes
 * and of the flows, summed per (from, to, style, kind) in T. */
int fold_edges(struct fold *f, struct edge_table *t);

#endif
