/*
 * graph_edges - the edges of the folded graph, summed per (from, to,
 * style, kind): the fork tree, what each process sent into or read out of
 * channel nodes, and the flows drawn as direct edges (sockets, signals).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "graph_fold.h"
#include "slots.h"

static uint64_t edge_hash(uint32_t from, uint32_t to, uint8_t style, uint8_t kind)
{
	return model_hash64(((uint64_t)from << 32 | to) ^ ((uint64_t)style << 56 | (uint64_t)kind << 48));
}

static uint64_t edge_hash_at(const void *gr, size_t i)
{
	const struct gedge *e = &((const struct graph *)gr)->edges[i];

	return edge_hash(e->from, e->to, e->style, e->kind);
}

/* The edge (FROM, TO, STYLE, KIND), made if new; NULL on -ENOMEM. */
static struct gedge *edge_get(struct graph *gr, struct edge_table *t, uint32_t from,
			      uint32_t to, uint8_t style, uint8_t kind)
{
	size_t s;

	if ((gr->nedges + 1) * 2 > t->nslots &&
	    slots_rebuild(&t->slots, &t->nslots, 1024, gr->nedges, edge_hash_at, gr))
		return NULL;
	s = edge_hash(from, to, style, kind) & (t->nslots - 1);
	while (t->slots[s]) {
		struct gedge *e = &gr->edges[t->slots[s] - 1];
		if (e->from == from && e->to == to && e->style == style && e->kind == kind)
			return e;
		s = (s + 1) & (t->nslots - 1);
	}
	if (model_grow((void **)&gr->edges, &gr->cap_edges, gr->nedges + 1, sizeof(*gr->edges)))
		return NULL;
	gr->edges[gr->nedges] = (struct gedge){ .from = from, .to = to, .style = style, .kind = kind };
	t->slots[s] = ++gr->nedges;
	return &gr->edges[gr->nedges - 1];
}

static int fork_edges(struct fold *f, struct edge_table *t)
{
	struct graph *gr = f->gr;

	for (size_t i = 0; i < f->m->nprocesses; i++) {
		long p = f->parent[i];
		struct gedge *e;

		if (p < 0 || gr->proc_node[p] < 0 || gr->proc_node[i] < 0 ||
		    gr->proc_node[p] == gr->proc_node[i])
			continue;
		e = edge_get(gr, t, gr->proc_node[p], gr->proc_node[i], GE_FORK, IPCT_KIND_NONE);
		if (!e)
			return -ENOMEM;
		e->count++;
	}
	for (size_t i = 0; i < gr->nnodes; i++) {
		if (gr->nodes[i].type != GN_MORE)
			continue;
		struct gedge *e = edge_get(gr, t, gr->nodes[i].parent, i, GE_FORK, IPCT_KIND_NONE);
		if (!e)
			return -ENOMEM;
		e->count += gr->nodes[i].more;
	}
	return 0;
}

/* The edge STYLE of KIND between PID's node and OBJECT's node, made if
 * new; NULL when either is not drawn (*ERR 0) or on -ENOMEM (in *ERR). */
static struct gedge *channel_edge(struct fold *f, struct edge_table *t, uint32_t pid,
				  uint32_t object, uint8_t style, uint8_t kind, int *err)
{
	struct graph *gr = f->gr;
	long p = fold_pindex(f->m, pid);
	int32_t o = gr->obj_node[object];
	struct gedge *e;

	*err = 0;
	if (o < 0 || p < 0 || gr->proc_node[p] < 0)
		return NULL;
	e = edge_get(gr, t, gr->proc_node[p], o, style, kind);
	if (!e)
		*err = -ENOMEM;
	return e;
}

/* PID sent MSGS sends of BYTES into OBJECT's node, or read BYTES out of it. */
static int io_edge(struct fold *f, struct edge_table *t, uint32_t pid, uint32_t object,
		   enum ipct_dir dir, uint64_t msgs, uint64_t bytes)
{
	int err;
	struct gedge *e = channel_edge(f, t, pid, object, dir == IPCT_DIR_SEND ? GE_SEND : GE_RECV,
				       f->m->objects[object].kind, &err);

	if (!e)
		return err;
	if (dir == IPCT_DIR_SEND) {
		e->msgs += msgs;
		e->bytes += bytes;
	} else {
		e->unmatched += bytes;       /* bytes read: the matched part comes off below */
	}
	return 0;
}

/* One more message on PID's send edge into OBJECT's node, drawn as KIND. */
static int count_send(struct fold *f, struct edge_table *t, uint32_t pid, uint32_t object,
		      uint8_t kind)
{
	int err;
	struct gedge *e = channel_edge(f, t, pid, object, GE_SEND, kind, &err);

	if (e)
		e->msgs++;
	return err;
}

/* What each process sent into or read out of channel nodes, per op (and
 * per process, channel and direction where a streaming load summed them). */
static int op_edges(struct fold *f, struct edge_table *t)
{
	const struct viz_model *m = f->m;
	int err;

	for (size_t i = 0; i < m->nops; i++) {
		const struct viz_op *op = &m->ops[i];

		if (op->type == VIZ_OP_SEM) {
			if (op->dir == IPCT_DIR_SEND && op->ret == 0 &&
			    (err = count_send(f, t, op->pid, op->object, IPCT_KIND_SEM)))
				return err;
			continue;
		}
		/* a 0-byte message is a message; a 0-byte write is not */
		if (op->ret < 0 || (op->ret == 0 && !viz_op_is_message(m, op)) ||
		    (op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK)))
			continue;
		if ((err = io_edge(f, t, op->pid, op->object, op->dir, 1, (uint64_t)op->ret)))
			return err;
	}
	for (size_t i = 0; i < m->nop_sums; i++) {
		const struct viz_op_sum *a = &m->op_sums[i];
		if ((err = io_edge(f, t, a->pid, a->object, a->dir, a->msgs, a->bytes)))
			return err;
	}
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct viz_attachment *a = &m->attachments[i];
		struct gedge *e = channel_edge(f, t, a->pid, a->object, GE_ATTACH, IPCT_KIND_SHM, &err);

		if (err)
			return err;
		if (!e)
			continue;
		e->attached++;
		e->inherited += a->inherited;
	}
	/* shm: the pages each process wrote (write faults) */
	for (size_t i = 0; i < m->ntouches; i++) {
		const struct viz_touch *tc = &m->touches[i];

		if (tc->write && (err = count_send(f, t, tc->pid, tc->object, IPCT_KIND_SHM)))
			return err;
	}
	return 0;
}

/* The edge flow FL is drawn on (made if new), or NULL: not drawn. */
static struct gedge *flow_edge(struct fold *f, struct edge_table *t, const struct viz_flow *fl,
			       int *err)
{
	struct graph *gr = f->gr;
	const struct viz_model *m = f->m;
	long from = fold_pindex(m, fl->from), to = fold_pindex(m, fl->to);
	enum ipct_kind kind = m->objects[fl->object].kind;
	struct gedge *e = NULL;

	if (!graph_object_drawn(m, fl->object) || (!m->show_all && !fl->shown))
		return NULL;
	if (kind == IPCT_KIND_SIGNAL && fl->from == 0 && to >= 0 && gr->proc_node[to] >= 0) {
		if (gr->kernel_node < 0) {      /* the kernel sent it (SIGPIPE, SIGALRM...) */
			long nd = fold_new_node(gr, GN_KERNEL, 0);
			if (nd < 0) {
				*err = nd;
				return NULL;
			}
			gr->kernel_node = nd;
			gr->nodes[nd].count = 1;
		}
		e = edge_get(gr, t, gr->kernel_node, gr->proc_node[to], GE_DIRECT, kind);
	} else if (graph_kind_direct(kind)) {
		if (from < 0 || to < 0 || gr->proc_node[from] < 0 || gr->proc_node[to] < 0)
			return NULL;    /* a sender outside the trace */
		e = edge_get(gr, t, gr->proc_node[from], gr->proc_node[to], GE_DIRECT, kind);
	} else if (to >= 0 && gr->proc_node[to] >= 0 && gr->obj_node[fl->object] >= 0) {
		e = edge_get(gr, t, gr->proc_node[to], gr->obj_node[fl->object], GE_RECV, kind);
	} else {
		return NULL;
	}
	if (!e)
		*err = -ENOMEM;
	return e;
}

/* Each drawn flow counted on its edge, with its messages and bytes; a
 * semaphore's releases also on the releaser's edge to it. */
static int flow_counts(struct fold *f, struct edge_table *t)
{
	const struct viz_model *m = f->m;
	int err = 0;

	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *fl = &m->flows[i];
		struct gedge *e = flow_edge(f, t, fl, &err);

		if (err)
			return err;
		if (!e)
			continue;
		e->count++;
		if (m->objects[fl->object].kind == IPCT_KIND_SIGNAL && viz_flow_streamed(fl)) {
			/* the exit reports are no communication, as transfer_latency() says */
			e->msgs += fl->messages - (m->show_all ? 0 : fl->reports);
			e->signals |= m->show_all ? fl->signals : fl->comm_signals;
		}
		if (m->objects[fl->object].kind == IPCT_KIND_SIGNAL)
			continue;       /* else counted by transfer_latency(), transfer by transfer */
		e->msgs += fl->messages;
		e->bytes += fl->bytes;
		if (m->objects[fl->object].kind != IPCT_KIND_SEM)
			continue;
		e = channel_edge(f, t, fl->from, fl->object, GE_SEND, IPCT_KIND_SEM, &err);
		if (err)
			return err;
		if (e)
			e->released += fl->messages;
	}
	return 0;
}

/* N deliveries that took SUM ns in all, MAX the longest, added to E. */
static void add_latency(struct gedge *e, uint64_t sum, uint64_t n, uint64_t max)
{
	e->lat_sum += sum;
	e->lat_n += n;
	if (max > e->lat_max)
		e->lat_max = max;
}

/* The latency of each transfer on its flow's edge; the signals that
 * communicated counted there. */
static int transfer_latency(struct fold *f, struct edge_table *t)
{
	const struct viz_model *m = f->m;
	int err = 0;

	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct viz_op *s = &m->ops[m->transfers[i].send], *r = &m->ops[m->transfers[i].recv];
		struct viz_flow key = { .object = s->object, .from = s->pid, .to = r->pid, .shown = true };
		struct gedge *e;

		if (!m->show_all && !viz_transfer_communicates(m, &m->transfers[i]))
			continue;
		e = flow_edge(f, t, &key, &err);
		if (err)
			return err;
		if (!e)
			continue;
		if (s->type == VIZ_OP_SIG_GENERATE) {   /* signals that communicated */
			e->msgs++;
			if (s->u.sig.sig >= 1 && s->u.sig.sig <= 64)
				e->signals |= 1ull << (s->u.sig.sig - 1);
		}
		if (r->ts_ns >= s->ts_ns)
			add_latency(e, r->ts_ns - s->ts_ns, 1, r->ts_ns - s->ts_ns);
	}
	return 0;
}

/* Streamed flows carry their transfers' latency (one process to itself
 * and a SIGCHLD exit report are no communication, as
 * viz_transfer_communicates() says). */
static int streamed_latency(struct fold *f, struct edge_table *t)
{
	const struct viz_model *m = f->m;
	int err = 0;

	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *fl = &m->flows[i];
		struct viz_flow key = { .object = fl->object, .from = fl->from, .to = fl->to,
					.shown = true };
		struct gedge *e;

		bool reports = m->show_all && fl->report_lat_n;

		if (!viz_flow_streamed(fl) || (!fl->lat_n && !reports) ||
		    (!m->show_all && fl->from == fl->to))
			continue;
		e = flow_edge(f, t, &key, &err);
		if (err)
			return err;
		if (e && fl->lat_n)
			add_latency(e, fl->lat_sum_ns, fl->lat_n, fl->lat_max_ns);
		if (e && reports)
			add_latency(e, fl->report_lat_sum_ns, fl->report_lat_n, fl->report_lat_max_ns);
	}
	return 0;
}

static int flow_edges(struct fold *f, struct edge_table *t)
{
	struct graph *gr = f->gr;
	int err = flow_counts(f, t);

	if (!err)
		err = transfer_latency(f, t);
	if (!err)
		err = streamed_latency(f, t);
	if (err)
		return err;
	/* bytes read that no flow accounts for */
	for (size_t i = 0; i < gr->nedges; i++) {
		struct gedge *e = &gr->edges[i];
		if (e->style == GE_RECV)
			e->unmatched = e->unmatched > e->bytes ? e->unmatched - e->bytes : 0;
	}
	return 0;
}

/* Descriptors handed from one drawn process to another: one edge per
 * (from, to, kind of object), counting them. */
static int handed_edges(struct fold *f, struct edge_table *t)
{
	struct graph *gr = f->gr;
	const struct viz_model *m = f->m;

	for (size_t i = 0; i < m->nfd_passes; i++) {
		const struct viz_fd_pass *p = &m->fd_passes[i];
		long from = fold_pindex(m, p->from), to = fold_pindex(m, p->to);
		struct gedge *e;

		if (!p->from || !p->to || from < 0 || to < 0 || gr->proc_node[from] < 0 ||
		    gr->proc_node[to] < 0 || gr->proc_node[from] == gr->proc_node[to])
			continue;
		e = edge_get(gr, t, gr->proc_node[from], gr->proc_node[to], GE_HANDED, p->kind);
		if (!e)
			return -ENOMEM;
		e->count++;
	}
	return 0;
}

int fold_edges(struct fold *f, struct edge_table *t)
{
	int err = fork_edges(f, t);

	if (!err)
		err = op_edges(f, t);
	if (!err)
		err = flow_edges(f, t);
	if (!err)
		err = handed_edges(f, t);
	return err;
}
