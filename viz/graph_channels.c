/*
 * graph_channels - the channel nodes of the graph and the edges between
 * them and the processes that used them (graph.c draws the rest).
 *
 * A channel node is labelled with its kind and its name (path, queue name,
 * "key 0x..."), or without a name the rest of its id ("12:4242",
 * "127.0.0.1:5000-127.0.0.1:40000", "to pid 4000" for signals).  Edges,
 * in the kind's colour:
 *   process -> channel   what the process sent: "N msgs, B bytes";
 *                        semaphores "N releases" (or "N V ops" when no
 *                        waiting P was released); signals "N x SIGUSR1"
 *   channel -> process   what was delivered to it: "N msgs, B bytes"
 *                        (+U unmatched); semaphores "N releases"; signals
 *                        "N x SIGUSR1"
 *   shared memory        a dashed undirected edge to every process that had
 *                        it mapped ("attached", "inherited"), or used it
 *                        otherwise (shmget/shmctl: "uses")
 * A reader edge is made as reader -> channel with dir=back (see graph.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "graph_internal.h"

int graph_add_channel_node(struct graph *gr, uint32_t index)
{
	const struct viz_object *o = &gr->m->objects[index];
	const struct kind_style *st = graph_style_of(o->kind);
	size_t name_len = escape_strnlen(o->name, sizeof(o->name));
	char name[32], label[IPCT_PATH_LEN * 5 + 256];
	Agnode_t *n;

	snprintf(name, sizeof(name), "o%u", index);
	if (name_len) {
		char *path = escape_dot_label(o->name, name_len);

		if (!path)
			return -ENOMEM;
		snprintf(label, sizeof(label), "%s\\n%s", viz_kind_name(o->kind), path);
		free(path);
	} else if (o->kind == IPCT_KIND_SIGNAL) {
		snprintf(label, sizeof(label), "signal\\nto pid %llu",
			 (unsigned long long)o->ino);
	} else {
		const char *rest = strchr(o->id, ':');
		char *id = escape_dot_label(rest ? rest + 1 : o->id,
					    strlen(rest ? rest + 1 : o->id));

		if (!id)
			return -ENOMEM;
		snprintf(label, sizeof(label), "%s\\n%s", viz_kind_name(o->kind), id);
		free(id);
	}
	n = agnode(gr->g, name, 1);
	if (!n)
		return -ENOMEM;
	graph_set(n, "label", label);
	graph_set(n, "shape", st->shape);
	graph_set(n, "style", "filled");
	graph_set(n, "fillcolor", st->fill);
	graph_set(n, "color", st->line);
	return 0;
}

static void plural(char *buf, size_t size, uint64_t msgs, uint64_t bytes)
{
	snprintf(buf, size, "%llu msg%s, %llu byte%s",
		 (unsigned long long)msgs, msgs == 1 ? "" : "s",
		 (unsigned long long)bytes, bytes == 1 ? "" : "s");
}

/* "3 × SIGUSR1, SIGUSR2" for COUNT signals of the set MASK. */
static void signal_label(char *buf, size_t size, uint64_t count, uint64_t mask)
{
	size_t used = snprintf(buf, size, "%llu \xc3\x97", (unsigned long long)count);
	char name[32];
	int n = 0;

	for (uint32_t sig = 1; sig <= 64 && used < size; sig++)
		if (mask & (1ull << (sig - 1)))
			used += snprintf(buf + used, size - used, "%s%s", n++ ? ", " : " ",
					 viz_signal_name(sig, name, sizeof(name)));
}

static Agedge_t *make_edge(struct graph *gr, Agnode_t *p, Agnode_t *n,
			   const struct kind_style *st, const char *label)
{
	Agedge_t *e = agedge(gr->g, p, n, NULL, 1);

	if (!e)
		return NULL;
	graph_set(e, "label", label);
	graph_set(e, "color", st->line);
	graph_set(e, "fontcolor", st->line);
	graph_set(e, "penwidth", "1.6");
	return e;
}

/* The label of what process (sums U) sent into a channel of KIND. */
static void send_label(char *label, size_t size, enum ipct_kind kind,
		       const struct use_sums *u)
{
	if (kind == IPCT_KIND_SEM) {
		if (u->released)
			snprintf(label, size, "%llu release%s", (unsigned long long)u->released,
				 u->released == 1 ? "" : "s");
		else
			snprintf(label, size, "%llu V op%s", (unsigned long long)u->sends,
				 u->sends == 1 ? "" : "s");
	} else if (kind == IPCT_KIND_SIGNAL) {
		signal_label(label, size, u->sends, u->sent_signals);
	} else {
		plural(label, size, u->sends, u->sent_bytes);
	}
}

/* The label of what a channel of KIND delivered to a process (sums U). */
static void recv_label(char *label, size_t size, enum ipct_kind kind,
		       const struct use_sums *u)
{
	if (kind == IPCT_KIND_SEM) {
		snprintf(label, size, "%llu release%s", (unsigned long long)u->delivered_msgs,
			 u->delivered_msgs == 1 ? "" : "s");
	} else if (kind == IPCT_KIND_SIGNAL) {
		signal_label(label, size, u->delivered_msgs, u->got_signals);
	} else {
		plural(label, size, u->delivered_msgs, u->delivered_bytes);
		size_t used = strlen(label);
		if (u->recv_bytes > u->delivered_bytes)
			snprintf(label + used, size - used, "\\n+%llu unmatched",
				 (unsigned long long)(u->recv_bytes - u->delivered_bytes));
	}
}

int graph_add_channel_edges(struct graph *gr, Agnode_t *p, uint32_t index, size_t slot)
{
	const struct use_sums *u = &gr->uses[gr->use_base[index] + slot];
	enum ipct_kind kind = gr->m->objects[index].kind;
	const struct kind_style *st = graph_style_of(kind);
	Agnode_t *n = graph_find_node(gr, 'o', index, "");
	char label[256];
	Agedge_t *e;

	if (!n)
		return 0;
	if (kind == IPCT_KIND_SHM) {
		e = make_edge(gr, p, n, st, u->attachments == u->inherited && u->inherited ?
			      "inherited" : u->attachments ? "attached" : "uses");
		if (!e)
			return -ENOMEM;
		graph_set(e, "dir", "none");
		graph_set(e, "style", "dashed");
		return 0;
	}
	if (u->sends) {
		send_label(label, sizeof(label), kind, u);
		if (!make_edge(gr, p, n, st, label))
			return -ENOMEM;
	}
	if (u->delivered_msgs || u->recv_bytes) {
		recv_label(label, sizeof(label), kind, u);
		e = make_edge(gr, p, n, st, label);
		if (!e)
			return -ENOMEM;
		graph_set(e, "dir", "back");
	}
	return 0;
}

/* The kernel, drawn once as its own node when it sent a signal to a drawn
 * process: one edge per such flow, "N × SIGPIPE" and the cause. */
int graph_add_kernel_edges(struct graph *gr)
{
	const struct viz_model *m = gr->m;
	const struct kind_style *st = graph_style_of(IPCT_KIND_SIGNAL);
	Agnode_t *kernel = NULL;
	char label[512], cause[256];

	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *f = &m->flows[i];
		Agnode_t *to;

		if (f->from != 0 || m->objects[f->object].kind != IPCT_KIND_SIGNAL ||
		    !(to = graph_find_node(gr, 'p', f->to, "")))
			continue;
		if (!kernel) {
			kernel = agnode(gr->g, "kernel", 1);
			if (!kernel)
				return -ENOMEM;
			graph_set(kernel, "label", "kernel");
			graph_set(kernel, "shape", "box");
			graph_set(kernel, "style", "dashed");
			graph_set(kernel, "color", st->line);
		}
		signal_label(label, sizeof(label), f->messages, f->signals);
		viz_flow_from_kernel(f, cause, sizeof(cause));
		size_t used = strlen(label);
		snprintf(label + used, sizeof(label) - used, "\\n%s", cause);
		if (!make_edge(gr, kernel, to, st, label))
			return -ENOMEM;
	}
	return 0;
}
