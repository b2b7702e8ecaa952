/*
 * graph_fold - fold the model into the nodes and edges the graph draws,
 * before any layout, so that the layout's cost is bounded by what is drawn.
 *
 * 1. Shown processes (model.h: on a path of communication; all with
 *    --all) form a tree by ppid.  The others fold into one `+N processes`
 *    node under their nearest shown ancestor.
 * 2. Identical siblings fold: children of one parent with the same name
 *    whose subtrees have the same shape and use channels in the same roles
 *    (a channel shared with processes outside the subtree counts by who
 *    those are, siblings counted as one) become one node `17 × wc`, and
 *    their subtrees map onto the first one's, node by node.
 * 3. Channels drawn as nodes (pipe, fifo, file, msgq, shm, sem) fold when
 *    they have the same kind and the same (node, role) users: the 17 temp
 *    files of 17 compilers make one node.  Sockets and signals are drawn
 *    as direct edges between process nodes, one per (kind, pair).
 * 4. Budget: over GRAPH_NODE_BUDGET nodes or GRAPH_EDGE_BUDGET edges, the
 *    processes fold by name instead (one node per program), and the title
 *    says so.
 * Edges are summed per (from, to, style, kind).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "graph_fold.h"

bool graph_kind_direct(enum ipct_kind kind)
{
	return kind == IPCT_KIND_SIGNAL || kind == IPCT_KIND_UNIX ||
	       kind == IPCT_KIND_TCP || kind == IPCT_KIND_UDP;
}

bool graph_object_drawn(const struct viz_model *m, uint32_t object)
{
	const struct viz_object *o = &m->objects[object];

	return m->show_all ? o->nusers >= 2 : (o->flags & VIZ_OBJ_SHOWN) != 0;
}

bool fold_process_drawn(const struct viz_model *m, size_t i)
{
	return m->show_all || m->processes[i].shown;
}

uint64_t fold_mix(uint64_t h, uint64_t v)
{
	return model_hash64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

static uint64_t hash_str(const char *s, size_t max)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < max && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int cmp_use(const void *a, const void *b)
{
	const struct use *x = a, *y = b;

	if (x->process != y->process)
		return x->process < y->process ? -1 : 1;
	return x->object < y->object ? -1 : x->object > y->object;
}

static int add_use(struct fold *f, size_t *cap, long process, uint32_t object, uint8_t role)
{
	if (process < 0 || !graph_object_drawn(f->m, object))
		return 0;
	if (model_grow((void **)&f->uses, cap, f->nuses + 1, sizeof(*f->uses)))
		return -ENOMEM;
	f->uses[f->nuses++] = (struct use){ process, object, role };
	return 0;
}

long fold_pindex(const struct viz_model *m, uint32_t pid)
{
	const struct viz_process *p = viz_model_process(m, pid);

	return p ? p - m->processes : -1;
}

/* Who used which drawn object in which role, merged per (process, object). */
static int collect_uses(struct fold *f)
{
	const struct viz_model *m = f->m;
	size_t cap = 0, n = 0;
	int err = 0;

	for (size_t i = 0; !err && i < m->nflows; i++) {
		const struct viz_flow *fl = &m->flows[i];
		if (!m->show_all && !fl->shown)
			continue;
		err = add_use(f, &cap, fold_pindex(m, fl->from), fl->object, ROLE_SEND);
		if (!err)
			err = add_use(f, &cap, fold_pindex(m, fl->to), fl->object, ROLE_RECV);
	}
	for (size_t i = 0; !err && i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];
		if (op->dir == IPCT_DIR_SEND && op->ret > 0)
			err = add_use(f, &cap, fold_pindex(m, op->pid), op->object, ROLE_SEND);
	}
	/* as for the ops: a send counts once it carried bytes (a V op or a
	 * 0-byte message alone makes no sender) */
	for (size_t i = 0; !err && i < m->nop_sums; i++) {
		const struct viz_op_sum *a = &m->op_sums[i];
		if (a->dir == IPCT_DIR_SEND && a->bytes > 0)
			err = add_use(f, &cap, fold_pindex(m, a->pid), a->object, ROLE_SEND);
	}
	for (size_t i = 0; !err && i < m->nattachments; i++)
		err = add_use(f, &cap, fold_pindex(m, m->attachments[i].pid),
			      m->attachments[i].object, ROLE_ATTACH);
	if (err)
		return err;
	if (f->nuses)
		qsort(f->uses, f->nuses, sizeof(*f->uses), cmp_use);
	for (size_t i = 0; i < f->nuses; i++) {
		if (n && f->uses[n - 1].process == f->uses[i].process &&
		    f->uses[n - 1].object == f->uses[i].object)
			f->uses[n - 1].role |= f->uses[i].role;
		else
			f->uses[n++] = f->uses[i];
	}
	f->nuses = n;
	f->use_first = calloc(m->nprocesses + 1, sizeof(*f->use_first));
	if (!f->use_first)
		return -ENOMEM;
	for (size_t i = 0, k = 0; i <= m->nprocesses; i++) {
		while (k < n && f->uses[k].process < i)
			k++;
		f->use_first[i] = k;
	}
	return 0;
}

/* The drawn forest: parent, children lists, Euler tour. */
static int build_tree(struct fold *f)
{
	const struct viz_model *m = f->m;
	size_t n = m->nprocesses, t = 0, top = 0;
	uint32_t *fill, *stack;

	f->parent = malloc((n + 1) * sizeof(*f->parent));
	f->child_first = calloc(n + 2, sizeof(*f->child_first));
	f->child_list = malloc((n + 1) * sizeof(*f->child_list));
	f->tin = malloc((n + 1) * sizeof(*f->tin));
	f->tout = malloc((n + 1) * sizeof(*f->tout));
	fill = calloc(n + 1, sizeof(*fill));
	stack = malloc((2 * n + 1) * sizeof(*stack));
	if (!f->parent || !f->child_first || !f->child_list || !f->tin || !f->tout ||
	    !fill || !stack) {
		free(fill);
		free(stack);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct viz_process *p = &m->processes[i];
		long q = p->ppid && p->ppid != p->pid ? fold_pindex(m, p->ppid) : -1;

		f->parent[i] = q >= 0 && fold_process_drawn(m, q) && fold_process_drawn(m, i) ? q : -1;
		if (f->parent[i] >= 0)
			f->child_first[f->parent[i] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		f->child_first[i + 1] += f->child_first[i];
	/* children in pid order: processes are visited by pid */
	for (size_t k = 0; k < n; k++) {
		size_t i = m->pid_order[k];
		if (f->parent[i] >= 0)
			f->child_list[f->child_first[f->parent[i]] + fill[f->parent[i]]++] = i;
	}
	/* iterative DFS: a pushed value v >= n means "leave v - n" */
	for (size_t r = 0; r < n; r++) {
		if (!fold_process_drawn(m, r) || f->parent[r] >= 0)
			continue;
		stack[top++] = r;
		while (top) {
			uint32_t v = stack[--top];
			if (v >= n) {
				f->tout[v - n] = t;
				continue;
			}
			f->tin[v] = t++;
			stack[top++] = v + n;
			for (uint32_t c = f->child_first[v + 1]; c-- > f->child_first[v];)
				stack[top++] = f->child_list[c];
		}
	}
	free(fill);
	free(stack);
	return 0;
}

static bool in_subtree(const struct fold *f, uint32_t top, long q)
{
	return q >= 0 && f->tin[q] >= f->tin[top] && f->tin[q] < f->tout[top];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How OBJECT looks from inside TOP's subtree: its users outside it, with
 * the processes under TOP's siblings counted as one. */
static uint64_t object_token(const struct fold *f, uint32_t top, uint32_t object)
{
	const struct viz_model *m = f->m;
	const struct viz_object *o = &m->objects[object];
	uint64_t h = fold_mix(0x51, o->kind), sum = 0;
	bool sibling = false;

	for (size_t u = 0; u < o->nusers; u++) {
		long q = fold_pindex(m, o->users[u]);
		if (in_subtree(f, top, q))
			continue;
		if (f->parent[top] >= 0 && q != f->parent[top] && in_subtree(f, f->parent[top], q))
			sibling = true;
		else
			sum += model_hash64(o->users[u]);  /* order-free */
	}
	return fold_mix(fold_mix(h, sum), sibling);
}

/* Hash of the subtree of V as seen from TOP, into f->hval[]. -ENOMEM. */
static int hash_subtree(struct fold *f, uint32_t top, uint32_t v)
{
	const struct viz_process *p = &f->m->processes[v];
	uint32_t c0 = f->child_first[v], c1 = f->child_first[v + 1];
	uint32_t u0 = f->use_first[v], u1 = f->use_first[v + 1];
	size_t n = (c1 - c0) + (u1 - u0);
	uint64_t h = hash_str(p->comm, sizeof(p->comm)), *parts;
	int err = 0;

	parts = malloc((n + 1) * sizeof(*parts));
	if (!parts)
		return -ENOMEM;
	for (uint32_t c = c0; !err && c < c1; c++) {
		err = hash_subtree(f, top, f->child_list[c]);
		parts[c - c0] = f->hval[f->child_list[c]];
	}
	for (uint32_t u = u0; u < u1; u++)
		parts[(c1 - c0) + (u - u0)] = fold_mix(object_token(f, top, f->uses[u].object),
						   f->uses[u].role) | 1;
	/* a set: 562 connections like 822 connections, 16 children like 17 */
	qsort(parts, n, sizeof(*parts), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (!i || parts[i] != parts[i - 1])
			h = fold_mix(h, parts[i]);
	f->hval[v] = h;
	free(parts);
	return err;
}

/* Children of V sorted by (hash, pid) into OUT (n entries). */
static void sorted_children(struct fold *f, uint32_t v, uint32_t *out)
{
	uint32_t c0 = f->child_first[v], n = f->child_first[v + 1] - c0;

	memcpy(out, f->child_list + c0, n * sizeof(*out));
	for (uint32_t i = 1; i < n; i++) {           /* insertion sort: few children */
		uint32_t x = out[i], j = i;
		while (j > 0 && (f->hval[out[j - 1]] > f->hval[x] ||
				 (f->hval[out[j - 1]] == f->hval[x] && out[j - 1] > x))) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = x;
	}
}

/* Map the subtree of A onto the (same-shaped) subtree of B. */
static int map_subtree(struct fold *f, uint32_t a, uint32_t b)
{
	uint32_t na = f->child_first[a + 1] - f->child_first[a];
	uint32_t nb = f->child_first[b + 1] - f->child_first[b];
	uint32_t *ca, *cb;
	int err = 0;

	f->rep[a] = b;
	f->gr->merged++;
	if (!na || !nb)
		return 0;
	ca = malloc(na * sizeof(*ca));
	cb = malloc(nb * sizeof(*cb));
	if (!ca || !cb) {
		free(ca);
		free(cb);
		return -ENOMEM;
	}
	sorted_children(f, a, ca);
	sorted_children(f, b, cb);
	/* Each child of A onto the first child of B that looks alike (the
	 * hashes are sets: A may have 17 alike where B has 16). */
	for (uint32_t i = 0, j = 0; !err && i < na; i++) {
		while (j < nb && f->hval[cb[j]] < f->hval[ca[i]])
			j++;
		if (j < nb && f->hval[cb[j]] == f->hval[ca[i]])
			err = map_subtree(f, ca[i], cb[j]);
	}
	free(ca);
	free(cb);
	return err;
}

/* Fold identical children of V, then recurse into what stays. */
static int fold_children(struct fold *f, uint32_t v)
{
	uint32_t c0 = f->child_first[v], n = f->child_first[v + 1] - c0;
	uint32_t *kids;
	int err = 0;

	if (!n)
		return 0;
	for (uint32_t c = c0; !err && c < c0 + n; c++)
		err = hash_subtree(f, f->child_list[c], f->child_list[c]);
	kids = malloc(n * sizeof(*kids));
	if (!kids)
		return -ENOMEM;
	sorted_children(f, v, kids);
	for (uint32_t i = 0; !err && i < n; i++) {
		uint32_t j = i;
		while (j + 1 < n && f->hval[kids[j + 1]] == f->hval[kids[i]])
			j++;
		/* kids[i..j] look alike; the hashes of their subtrees are set */
		for (uint32_t k = i + 1; !err && k <= j; k++)
			err = map_subtree(f, kids[k], kids[i]);
		i = j;
	}
	for (uint32_t i = 0; !err && i < n; i++)
		if (f->rep[kids[i]] == kids[i])
			err = fold_children(f, kids[i]);
	free(kids);
	return err;
}

uint32_t fold_find_rep(struct fold *f, uint32_t i)
{
	while (f->rep[i] != i)
		i = f->rep[i] = f->rep[f->rep[i]];
	return i;
}

long fold_new_node(struct graph *gr, uint8_t type, uint32_t index)
{
	if (model_grow((void **)&gr->nodes, &gr->cap_nodes, gr->nnodes + 1, sizeof(*gr->nodes)))
		return -ENOMEM;
	gr->nodes[gr->nnodes] = (struct gnode){ .type = type, .index = index };
	return gr->nnodes++;
}

/* Summary: every drawn process folds onto the first of its name. */
static void fold_by_name(struct fold *f)
{
	const struct viz_model *m = f->m;
	size_t n = m->nprocesses, nslots = 64;
	uint32_t *slots;

	while (nslots < 2 * n)
		nslots *= 2;
	slots = calloc(nslots, sizeof(*slots));
	for (size_t i = 0; i < n; i++) {
		uint64_t h = hash_str(m->processes[i].comm, sizeof(m->processes[i].comm));
		size_t s = h & (nslots - 1);

		f->rep[i] = i;
		if (!slots || !fold_process_drawn(m, i))
			continue;
		while (slots[s] && strncmp(m->processes[slots[s] - 1].comm, m->processes[i].comm,
					   sizeof(m->processes[i].comm)))
			s = (s + 1) & (nslots - 1);
		if (slots[s])
			f->rep[i] = slots[s] - 1;
		else
			slots[s] = i + 1;
	}
	free(slots);
}

/* Last resort: the processes under one (folded) parent fold into one
 * node, level by level, whatever their names. */
static int fold_by_parent(struct fold *f)
{
	const struct viz_model *m = f->m;
	size_t n = m->nprocesses;
	uint32_t *by_tin = malloc((n + 1) * sizeof(*by_tin)), *first = malloc((n + 1) * sizeof(*first));
	size_t k = 0;

	if (!by_tin || !first) {
		free(by_tin);
		free(first);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		first[i] = UINT32_MAX;
		if (fold_process_drawn(m, i))
			by_tin[f->tin[i]] = i;
		k += fold_process_drawn(m, i);
	}
	for (size_t t = 0; t < k; t++) {
		uint32_t i = by_tin[t];
		long p = f->parent[i];

		f->rep[i] = i;
		if (p < 0)
			continue;
		uint32_t key = f->rep[p];          /* parents come first in tin order */
		if (first[key] == UINT32_MAX)
			first[key] = i;
		f->rep[i] = first[key];
	}
	free(by_tin);
	free(first);
	return 0;
}

static int build_nodes_edges(struct fold *f)
{
	struct edge_table t = { 0 };
	int err;

	f->gr->nnodes = f->gr->nedges = 0;
	f->gr->kernel_node = -1;
	err = fold_process_nodes(f);
	if (!err)
		err = fold_object_nodes(f);
	if (!err)
		err = fold_edges(f, &t);
	free(t.slots);
	return err;
}

static void fold_free(struct fold *f)
{
	free(f->parent);
	free(f->child_first);
	free(f->child_list);
	free(f->tin);
	free(f->tout);
	free(f->hval);
	free(f->rep);
	free(f->uses);
	free(f->use_first);
}

int graph_fold(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	struct fold f = { .gr = gr, .m = m };
	size_t n = m->nprocesses;
	int err;

	gr->proc_node = malloc((n + 1 + m->nobjects + 1) * sizeof(*gr->proc_node));
	f.hval = calloc(n + 1, sizeof(*f.hval));
	f.rep = malloc((n + 1) * sizeof(*f.rep));
	if (!gr->proc_node || !f.hval || !f.rep) {
		err = -ENOMEM;
		goto out;
	}
	gr->obj_node = gr->proc_node + n + 1;
	for (size_t i = 0; i < n; i++)
		f.rep[i] = i;
	if ((err = collect_uses(&f)) || (err = build_tree(&f)))
		goto out;
	for (size_t i = 0; !err && i < n; i++)
		if (fold_process_drawn(m, i) && f.parent[i] < 0)
			err = fold_children(&f, i);
	if (err || (err = build_nodes_edges(&f)))
		goto out;
	if (gr->nnodes > GRAPH_NODE_BUDGET || gr->nedges > GRAPH_EDGE_BUDGET) {
		gr->summary = true;
		gr->budget_nodes = gr->nnodes;
		gr->budget_edges = gr->nedges;
		gr->merged = 0;
		fold_by_name(&f);
		err = build_nodes_edges(&f);
		if (!err && (gr->nnodes > GRAPH_NODE_BUDGET || gr->nedges > GRAPH_EDGE_BUDGET)) {
			gr->by_parent = true;
			if (!(err = fold_by_parent(&f)))
				err = build_nodes_edges(&f);
		}
		for (size_t i = 0; i < n; i++)
			gr->merged += fold_process_drawn(m, i) && f.rep[i] != i;
	}
out:
	fold_free(&f);
	return err;
}

void graph_fold_release(struct graph *gr)
{
	free(gr->proc_node);
	free(gr->nodes);
	free(gr->edges);
}

