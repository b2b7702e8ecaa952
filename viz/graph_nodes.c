/*
 * graph_nodes - the nodes of the folded graph: one per drawn process (or
 * per group folded onto one), a `+N processes` node under the nearest
 * drawn ancestor of those that fold away, and one per drawn channel
 * (channels with the same kind and the same users fold into one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "graph_fold.h"

/* One node per folded group of drawn processes, then `+N` nodes. */
int fold_process_nodes(struct fold *f)
{
	struct graph *gr = f->gr;
	const struct viz_model *m = f->m;
	size_t n = m->nprocesses, nproc_nodes;
	int32_t *more_node;

	for (size_t k = 0; k < n; k++) {
		size_t i = m->pid_order[k];
		gr->proc_node[i] = -1;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = m->pid_order[k];
		uint32_t r;

		if (!fold_process_drawn(m, i))
			continue;
		r = fold_find_rep(f, i);
		if (gr->proc_node[r] < 0) {
			long nd = fold_new_node(gr, GN_PROCESS, r);
			if (nd < 0)
				return nd;
			gr->proc_node[r] = nd;
		}
		gr->proc_node[i] = gr->proc_node[r];
		gr->nodes[gr->proc_node[i]].count++;
	}
	nproc_nodes = gr->nnodes;
	more_node = malloc((nproc_nodes + 1) * sizeof(*more_node));
	if (!more_node)
		return -ENOMEM;
	for (size_t i = 0; i < nproc_nodes; i++)
		more_node[i] = -1;
	gr->folded = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = m->pid_order[k];
		const struct viz_process *p = &m->processes[i];
		long q = -1;

		if (fold_process_drawn(m, i))
			continue;
		gr->folded++;
		for (size_t steps = 0; p->ppid && steps < n; steps++) {
			q = fold_pindex(m, p->ppid);
			if (q < 0 || fold_process_drawn(m, q))
				break;
			p = &m->processes[q];
		}
		if (q < 0 || gr->proc_node[q] < 0)
			continue;       /* no drawn ancestor: counted in the title only */
		int32_t anc = gr->proc_node[q];
		if (more_node[anc] < 0) {
			long nd = fold_new_node(gr, GN_MORE, q);
			if (nd < 0) {
				free(more_node);
				return nd;
			}
			more_node[anc] = nd;
			gr->nodes[nd].parent = anc;
		}
		gr->nodes[more_node[anc]].more++;
		gr->nodes[more_node[anc]].count++;
		gr->proc_node[i] = GRAPH_IN_MORE(more_node[anc]);
	}
	free(more_node);
	return 0;
}

static int cmp_u64_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Channel nodes: drawn objects of node kinds with the same kind and the
 * same (node, role) users share one node. */
int fold_object_nodes(struct fold *f)
{
	struct graph *gr = f->gr;
	const struct viz_model *m = f->m;
	uint64_t (*pairs)[2] = malloc((f->nuses + 1) * sizeof(*pairs));
	uint64_t *sig = calloc(m->nobjects + 1, sizeof(*sig));
	size_t np = 0, nslots = 64;
	uint32_t *slots = NULL;
	int err = 0;

	if (!pairs || !sig) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f->nuses; i++) {
		const struct use *u = &f->uses[i];
		if (gr->proc_node[u->process] >= 0 && !graph_kind_direct(m->objects[u->object].kind)) {
			pairs[np][0] = u->object;
			pairs[np++][1] = (uint64_t)gr->proc_node[u->process] << 3 | u->role;
		}
	}
	qsort(pairs, np, sizeof(*pairs), cmp_u64_pair);
	for (size_t i = 0; i < m->nobjects; i++)
		sig[i] = fold_mix(0x0b, m->objects[i].kind);
	for (size_t i = 0; i < np; i++)
		if (!i || pairs[i][0] != pairs[i - 1][0] || pairs[i][1] != pairs[i - 1][1])
			sig[pairs[i][0]] = fold_mix(sig[pairs[i][0]], pairs[i][1]);
	while (nslots < 2 * m->nobjects)
		nslots *= 2;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < m->nobjects; i++) {
		size_t s = sig[i] & (nslots - 1);

		gr->obj_node[i] = -1;
		if (!graph_object_drawn(m, i) || graph_kind_direct(m->objects[i].kind))
			continue;
		while (slots[s] && sig[gr->nodes[slots[s] - 1].index] != sig[i])
			s = (s + 1) & (nslots - 1);
		if (!slots[s]) {
			long nd = fold_new_node(gr, GN_OBJECT, i);
			if (nd < 0) {
				err = nd;
				goto out;
			}
			slots[s] = nd + 1;
		}
		gr->obj_node[i] = slots[s] - 1;
		gr->nodes[slots[s] - 1].count++;
	}
out:
	free(pairs);
	free(sig);
	free(slots);
	return err;
}
