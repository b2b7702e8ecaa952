/*
 * model_fdpass - descriptors passed over unix sockets (SCM_RIGHTS): each
 * becomes a struct viz_fd_pass "FROM handed fd N -> object X to TO (as
 * fd M)".
 *
 * A record (IPCT_EV_FDPASS) follows the io record of its sendmsg or
 * recvmsg; that io record's channel is the one the descriptors went
 * through.  Each descriptor's object is named as io records name it, so
 * what the receiver then does through the descriptor it got lands in the
 * same channel.  Messages carrying descriptors are taken from a socket in
 * the order they were queued at it (a stream: in byte order; datagrams:
 * in queue order), so the k-th message sent to socket S with descriptors
 * is the k-th one received on S with descriptors, and their descriptors
 * pair in order.
 */
#include <stdio.h>
#include "model_build.h"
#include "search.h"

/* One message carrying descriptors, sent or received. */
struct pass_msg {
	uint64_t ts;                    /* relative time of the call's return */
	uint64_t key;                   /* the receiving socket's id */
	size_t seq;                     /* order of arrival */
	uint32_t pid;
	uint32_t via;                   /* channel, UINT32_MAX unknown */
	uint32_t first;                 /* its descriptors: fds[first..first + n) */
	uint32_t n;
};

struct pass_fd {
	uint64_t ino;                   /* TCP: the socket inode, its channel found last */
	int32_t fd;
	uint32_t object;                /* UINT32_MAX: none */
	uint8_t kind;
};

struct msg_list {
	struct pass_msg *v;
	size_t n, cap;
};

struct fdpass_build {
	struct msg_list sent, received;
	struct pass_fd *fds;
	size_t nfds, cap_fds;
};

/* The object of passed descriptor P, as the io records of its kind name
 * it; UINT32_MAX for what is no IPC object or cannot be named alone. */
static long passed_object(struct builder *b, const struct ipct_passed_fd *p)
{
	switch (p->kind) {
	case IPCT_KIND_PIPE:
	case IPCT_KIND_FIFO:
	case IPCT_KIND_FILE:
	case IPCT_KIND_SHM:
		return p->ino ? model_object_get_inode(b, p->kind, p->dev, p->ino) : UINT32_MAX;
	case IPCT_KIND_EVENTFD:
		return p->ino ? model_eventfd_object(b, p->ino) : UINT32_MAX;
	case IPCT_KIND_UNIX: {
		struct ipct_io_event io = {
			.ino = p->ino, .peer_ino = p->peer_ino, .kind = IPCT_KIND_UNIX,
			.dir = IPCT_DIR_SEND, .sock_type = p->sock_type,
		};
		uint8_t stream = 0;

		return p->ino ? model_socket_object(b, &io, &stream) : UINT32_MAX;
	}
	}
	return UINT32_MAX;	/* TCP: found by the 4-tuple at the end; UDP: none */
}

int model_on_fdpass(struct builder *b, const struct ipct_fdpass_event *ev)
{
	struct fdpass_build *fp = b->fdpass;
	unsigned n = ev->nrecorded < IPCT_FDPASS_MAX ? ev->nrecorded : IPCT_FDPASS_MAX;
	bool send = ev->dir == IPCT_DIR_SEND;
	struct msg_list *l;
	long p = model_process_get(b, ev->hdr.pid);

	if (p < 0)
		return p;
	if (ev->ret < 0 || !n || (!send && ev->dir != IPCT_DIR_RECV))
		return 0;
	if (!fp) {
		fp = b->fdpass = calloc(1, sizeof(*fp));
		if (!fp)
			return -ENOMEM;
	}
	if (send && ev->npassed > n)
		b->m->fd_passes_unfollowed += ev->npassed - n;
	l = send ? &fp->sent : &fp->received;
	if (model_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) ||
	    model_grow((void **)&fp->fds, &fp->cap_fds, fp->nfds + n, sizeof(*fp->fds)))
		return -ENOMEM;
	struct pass_msg *msg = &l->v[l->n];
	*msg = (struct pass_msg){
		.ts = b->now, .key = send ? ev->peer_ino : ev->ino, .seq = l->n,
		.pid = ev->hdr.pid, .first = fp->nfds, .n = n, .via = UINT32_MAX,
	};
	if (b->last_unix_tid == ev->hdr.tid && b->last_unix_ts == ev->hdr.ts_ns)
		msg->via = b->last_unix_object;
	l->n++;
	for (unsigned i = 0; i < n; i++) {
		long o = passed_object(b, &ev->fds[i]);
		int err;

		if (o < 0)
			return o;
		if (o != UINT32_MAX && (err = model_object_user_add(b, o, ev->hdr.pid)))
			return err;
		uint8_t kind = ev->fds[i].kind < IPCT_KIND_MAX ? ev->fds[i].kind : IPCT_KIND_NONE;

		fp->fds[fp->nfds++] = (struct pass_fd){ ev->fds[i].ino, ev->fds[i].fd, (uint32_t)o,
							kind };
	}
	return 0;
}

static int cmp_msg(const void *pa, const void *pb)
{
	const struct pass_msg *a = pa, *b = pb;

	return VIZ_ORDER(a->key, b->key) ?: VIZ_ORDER(a->ts, b->ts) ?: VIZ_ORDER(a->seq, b->seq);
}

static int cmp_pass(const void *pa, const void *pb)
{
	const struct viz_fd_pass *a = pa, *b = pb;

	return VIZ_ORDER(a->ts_ns, b->ts_ns) ?: VIZ_ORDER(a->from, b->from) ?:
	       VIZ_ORDER(a->to, b->to) ?: VIZ_ORDER(a->pos, b->pos);
}

/* Append the passes of sent message S (received as R, or NULL). */
static void add_passes(struct viz_model *m, const struct fdpass_build *fp,
		       const struct pass_msg *s, const struct pass_msg *r)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct pass_fd *f = &fp->fds[s->first + i];
		const struct pass_fd *g = r && i < r->n ? &fp->fds[r->first + i] : NULL;

		m->fd_passes[m->nfd_passes++] = (struct viz_fd_pass){
			.ts_ns = s->ts, .recv_ts_ns = g ? r->ts : 0,
			.from = s->pid, .to = g ? r->pid : 0,
			.via = s->via != UINT32_MAX ? s->via : r ? r->via : UINT32_MAX,
			.object = f->object != UINT32_MAX ? f->object : g ? g->object : UINT32_MAX,
			.from_fd = f->fd, .to_fd = g ? g->fd : -1, .pos = i, .kind = f->kind,
		};
	}
}

/* Descriptors received with no traced sender: from 0. */
static void add_received(struct viz_model *m, const struct fdpass_build *fp,
			 const struct pass_msg *r)
{
	for (uint32_t i = 0; i < r->n; i++) {
		const struct pass_fd *g = &fp->fds[r->first + i];

		m->fd_passes[m->nfd_passes++] = (struct viz_fd_pass){
			.ts_ns = r->ts, .recv_ts_ns = r->ts, .from = 0, .to = r->pid,
			.via = r->via, .object = g->object, .from_fd = -1, .to_fd = g->fd,
			.pos = i, .kind = g->kind,
		};
	}
}

int model_fdpass_finish(struct builder *b)
{
	struct fdpass_build *fp = b->fdpass;
	struct viz_model *m = b->m;
	size_t i = 0, j = 0;

	if (!fp)
		return 0;
	/* a TCP socket's channel is named by the 4-tuple its calls showed */
	for (size_t k = 0; k < fp->nfds; k++) {
		struct pass_fd *f = &fp->fds[k];
		long o;

		if (f->kind != IPCT_KIND_TCP || f->object != UINT32_MAX)
			continue;
		if ((o = model_tcp_object_of(b, f->ino)) < 0)
			return o;
		f->object = o;
	}
	m->fd_passes = calloc(fp->nfds + 1, sizeof(*m->fd_passes));
	if (!m->fd_passes)
		return -ENOMEM;
	if (fp->sent.n)		/* an empty list has no array (qsort wants one) */
		qsort(fp->sent.v, fp->sent.n, sizeof(*fp->sent.v), cmp_msg);
	if (fp->received.n)
		qsort(fp->received.v, fp->received.n, sizeof(*fp->received.v), cmp_msg);
	while (i < fp->sent.n || j < fp->received.n) {
		const struct pass_msg *s = i < fp->sent.n ? &fp->sent.v[i] : NULL;
		const struct pass_msg *r = j < fp->received.n ? &fp->received.v[j] : NULL;

		if (s && r && s->key == r->key && s->key) {
			add_passes(m, fp, s, r);
			i++, j++;
		} else if (s && (!r || s->key < r->key || !s->key)) {
			add_passes(m, fp, s, NULL);
			i++;
		} else {
			add_received(m, fp, r);
			j++;
		}
	}
	qsort(m->fd_passes, m->nfd_passes, sizeof(*m->fd_passes), cmp_pass);
	return 0;
}

void model_fdpass_release(struct builder *b)
{
	struct fdpass_build *fp = b->fdpass;

	if (!fp)
		return;
	free(fp->sent.v);
	free(fp->received.v);
	free(fp->fds);
	free(fp);
	b->fdpass = NULL;
}
