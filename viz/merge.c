/*
 * merge - `trace merge`: read each host's trace twice.  The first pass
 * gathers the TCP and UDP traffic (viz/merge_clock.c joins the two ends
 * and bounds the clock offsets); the second writes every event, in time
 * order across hosts, with qualified pids and aligned times.
 *
 * Merged time: each host's monotonic times become wall-clock times by its
 * header (start_realtime - start_monotonic), plus the correction found;
 * the merged trace counts from one second before the earliest start, so
 * its start_monotonic_ns is 1e9 and start_realtime_ns that earliest start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "merge.h"

#define MERGE_BASE_NS 1000000000LL

struct host_state {
	struct trace_reader *r;
	const struct ipct_event_header *next;  /* pending event, NULL at end */
	uint64_t next_ts;                      /* its merged time */
};

/* T on the merged clock.  Only a forged trace has times long before its
 * start that would wrap around: they become 0. */
static uint64_t shifted(uint64_t t, int64_t shift)
{
	uint64_t r = t + (uint64_t)shift;

	return (shift < 0 ? r > t : r < t) ? 0 : r;
}

static uint32_t qualify(uint32_t pid, uint32_t host)
{
	return pid ? (pid & TRACE_HOST_PID_MASK) | host << TRACE_HOST_PID_BITS : 0;
}

/* Host label from a header's host name: [A-Za-z0-9._-], other bytes '_'. */
static void label_from(char *dst, const char *src)
{
	size_t n = 0;

	for (; src[n] && n + 1 < TRACE_HOST_NAME_LEN; n++) {
		char c = src[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		dst[n] = ok ? c : '_';
	}
	dst[n] = '\0';
	if (!n)
		strcpy(dst, "host");
}

/* Make labels unique: a repeated one gets "-2", "-3"... */
static bool dedupe_labels(struct trace_host *hosts, uint32_t n)
{
	bool renamed = false;

	for (uint32_t i = 1; i < n; i++) {
		char base[TRACE_HOST_NAME_LEN];

		memcpy(base, hosts[i].name, sizeof(base));
		for (unsigned k = 2;; k++) {
			bool clash = false;
			for (uint32_t j = 0; j < i && !clash; j++)
				clash = !strcmp(hosts[i].name, hosts[j].name);
			if (!clash)
				break;
			char suffix[12];
			size_t sl = (size_t)snprintf(suffix, sizeof(suffix), "-%u", k);
			size_t bl = strnlen(base, sizeof(base) - 1 - sl);
			memcpy(hosts[i].name, base, bl);
			memcpy(hosts[i].name + bl, suffix, sl + 1);
			renamed = true;
		}
	}
	return renamed;
}

static void describe_host(struct trace_host *h, const struct merge_input *in,
			  const struct trace_meta *m)
{
	size_t len = 0;

	memset(h, 0, sizeof(*h));
	if (in->label)
		snprintf(h->name, sizeof(h->name), "%s", in->label);
	else
		label_from(h->name, m->host);
	snprintf(h->source, sizeof(h->source), "%s", in->path);
	for (int i = 0; i < m->argc && len + 1 < sizeof(h->command); i++) {
		int w = snprintf(h->command + len, sizeof(h->command) - len, "%s%s",
				 i ? " " : "", m->argv[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	h->start_realtime_ns = m->start_realtime_ns;
	h->start_monotonic_ns = m->start_monotonic_ns;
}

/* Pass 1: every inet I/O event of every host into V. */
static int gather(struct host_state *hs, uint32_t n, struct merge_views *v,
		  const struct trace_host *hosts, struct merge_result *res)
{
	const struct ipct_event_header *ev;
	int rc;

	for (uint32_t h = 0; h < n; h++) {
		int64_t to_wall = (int64_t)(hosts[h].start_realtime_ns - hosts[h].start_monotonic_ns);
		while ((rc = trace_reader_next(hs[h].r, &ev)) > 0) {
			if (!merge_is_inet_io(ev))
				continue;
			rc = merge_views_add(v, h, (const void *)ev, (int64_t)ev->ts_ns + to_wall);
			if (rc < 0)
				break;
		}
		if (rc < 0 || (rc = trace_reader_rewind(hs[h].r)) < 0) {
			res->failed_input = (int)h;
			return rc;
		}
	}
	return 0;
}

/* Rewrite EV (a copy in BUF) for host H: pids qualified, time TS,
 * inet I/O marked joined or one-sided. */
static void rewrite(uint8_t *buf, uint32_t h, uint64_t ts, const struct merge_views *v)
{
	struct ipct_event_header *ev = (void *)buf;

	ev->ts_ns = ts;
	ev->pid = qualify(ev->pid, h);
	ev->tid = qualify(ev->tid, h);
	switch (ev->type) {
	case IPCT_EV_FORK:
		if (ev->size >= sizeof(struct ipct_fork_event)) {
			struct ipct_fork_event *f = (void *)buf;
			f->child_pid = qualify(f->child_pid, h);
			f->child_tid = qualify(f->child_tid, h);
		}
		break;
	case IPCT_EV_EXEC:
		if (ev->size >= sizeof(struct ipct_exec_event)) {
			struct ipct_exec_event *x = (void *)buf;
			x->old_tid = qualify(x->old_tid, h);
		}
		break;
	case IPCT_EV_SIGNAL:
		if (ev->size >= sizeof(struct ipct_signal_event)) {
			struct ipct_signal_event *s = (void *)buf;
			s->target_pid = qualify(s->target_pid, h);
			s->target_tid = qualify(s->target_tid, h);
			s->sender_pid = qualify(s->sender_pid, h);
		}
		break;
	case IPCT_EV_STAT:
	case IPCT_EV_STAT_ENDPOINT:
		/* both start with the counter's key: its process, and a
		 * signal's target */
		if (ev->size >= sizeof(*ev) + sizeof(struct ipct_stat_key)) {
			struct ipct_stat_key *k = (void *)(buf + sizeof(*ev));
			k->pid = qualify(k->pid, h);
			if (k->kind == IPCT_KIND_SIGNAL && k->obj <= UINT32_MAX)
				k->obj = qualify((uint32_t)k->obj, h);
		}
		break;
	/* IPCT_EV_WAIT, IPCT_EV_EPOLL_CTL, IPCT_EV_FD, IPCT_EV_TOUCH,
	 * IPCT_EV_FDPASS, IPCT_EV_EVENTFD and IPCT_EV_UNIX_NAME name no
	 * process past the header: nothing more to qualify. */
	case IPCT_EV_IO:
		if (merge_is_inet_io(ev)) {
			struct ipct_io_event *io = (void *)buf;
			merge_views_repair(v, h, io);
			io->flags &= ~(IPCT_IO_HOSTS_JOINED | IPCT_IO_HOSTS_ONE_SIDED);
			io->flags |= merge_views_flags(v, h, io);
		}
		break;
	}
}

/* ---- a min-heap of hosts by the merged time of their next event ---- */

static bool heap_less(const struct host_state *hs, uint32_t a, uint32_t b)
{
	return hs[a].next_ts < hs[b].next_ts || (hs[a].next_ts == hs[b].next_ts && a < b);
}

static void heap_down(uint32_t *heap, size_t n, size_t i, const struct host_state *hs)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && heap_less(hs, heap[l], heap[m]))
			m = l;
		if (l + 1 < n && heap_less(hs, heap[l + 1], heap[m]))
			m = l + 1;
		if (m == i)
			return;
		uint32_t t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

static int advance(struct host_state *s, const struct trace_host *host)
{
	int rc = trace_reader_next(s->r, &s->next);

	if (rc <= 0) {
		s->next = NULL;
		return rc;
	}
	s->next_ts = shifted(s->next->ts_ns, host->shift_ns);
	return 0;
}

/* Pass 2: all events in merged time order into W. */
static int write_events(struct host_state *hs, uint32_t n, const struct trace_host *hosts,
			const struct merge_views *v, struct trace_writer *w,
			struct merge_result *res, uint64_t *last_ts)
{
	uint32_t *heap = malloc(n * sizeof(*heap));
	uint8_t *buf = malloc(65536);
	size_t nheap = 0;
	int err = 0;

	if (!heap || !buf) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t h = 0; h < n; h++) {
		if ((err = advance(&hs[h], &hosts[h])) < 0) {
			res->failed_input = (int)h;
			goto out;
		}
		if (hs[h].next)
			heap[nheap++] = h;
	}
	for (size_t i = nheap; i-- > 0;)
		heap_down(heap, nheap, i, hs);
	while (nheap) {
		uint32_t h = heap[0];
		if (hs[h].next_ts > *last_ts)
			*last_ts = hs[h].next_ts;
		memcpy(buf, hs[h].next, hs[h].next->size);
		rewrite(buf, h, hs[h].next_ts, v);
		if ((err = trace_writer_append(w, (const void *)buf)) < 0)
			goto out;
		res->events++;
		if ((err = advance(&hs[h], &hosts[h])) < 0) {
			res->failed_input = (int)h;
			goto out;
		}
		if (!hs[h].next)
			heap[0] = heap[--nheap];
		heap_down(heap, nheap, 0, hs);
	}
out:
	free(heap);
	free(buf);
	return err;
}

/* Process tables and statistics of all hosts, then close W. */
static int finish(struct host_state *hs, uint32_t n, const struct trace_host *hosts,
		  struct trace_writer *w, uint64_t last_ts)
{
	struct trace_stats stats = { .exit_status = -1, .end_monotonic_ns = last_ts };
	struct trace_process *procs = NULL;
	size_t nprocs = 0, cap = 0;

	for (uint32_t h = 0; h < n; h++) {
		size_t np;
		const struct trace_process *p = trace_reader_processes(hs[h].r, &np);
		const struct trace_stats *s = trace_reader_stats(hs[h].r);

		if (nprocs + np > cap) {
			cap = (nprocs + np) * 2;
			struct trace_process *q = realloc(procs, cap * sizeof(*q));
			if (!q) {
				free(procs);
				trace_writer_abort(w);
				return -ENOMEM;
			}
			procs = q;
		}
		for (size_t i = 0; i < np; i++) {
			struct trace_process *q = &procs[nprocs++];
			*q = p[i];
			q->pid = qualify(q->pid, h);
			q->ppid = qualify(q->ppid, h);
			if (q->start_ns)
				q->start_ns = shifted(q->start_ns, hosts[h].shift_ns);
			if (q->end_ns)
				q->end_ns = shifted(q->end_ns, hosts[h].shift_ns);
		}
		if (!s)
			continue;
		stats.events += s->events;
		for (int k = 0; k < IPCT_KIND_MAX; k++)
			stats.lost[k] += s->lost[k];
		/* An end before the host's own start says nothing. */
		if (shifted(s->end_monotonic_ns, hosts[h].shift_ns) > stats.end_monotonic_ns)
			stats.end_monotonic_ns = shifted(s->end_monotonic_ns, hosts[h].shift_ns);
		if (h == 0)
			stats.exit_status = s->exit_status;
		stats.flags |= s->flags;
	}
	int err = trace_writer_close(w, procs, nprocs, &stats);
	free(procs);
	return err;
}

static int open_inputs(const struct merge_input *in, size_t n, struct host_state *hs,
		       struct trace_host *hosts, struct merge_result *res)
{
	for (size_t i = 0; i < n; i++) {
		int err = trace_reader_open(&hs[i].r, in[i].path);
		if (err) {
			res->failed_input = (int)i;
			return err;
		}
		const struct trace_meta *m = trace_reader_meta(hs[i].r);
		if (m->nhosts) {
			res->failed_input = (int)i;
			return -EMEDIUMTYPE;    /* merged already */
		}
		describe_host(&hosts[i], &in[i], m);
	}
	res->labels_renamed = dedupe_labels(hosts, (uint32_t)n);
	return 0;
}

/* Shifts onto the merged clock, and the merged trace's META. */
static void align(struct trace_host *hosts, uint32_t n, const int64_t *corr,
		  const struct trace_meta *first, struct trace_meta *meta)
{
	int64_t start = INT64_MAX;

	for (uint32_t h = 0; h < n; h++) {
		int64_t s = (int64_t)hosts[h].start_realtime_ns + corr[h];
		if (s < start)
			start = s;
	}
	for (uint32_t h = 0; h < n; h++)
		hosts[h].shift_ns = (int64_t)(hosts[h].start_realtime_ns -
					      hosts[h].start_monotonic_ns) +
				    corr[h] - start + MERGE_BASE_NS;
	*meta = *first;
	meta->start_realtime_ns = (uint64_t)start;
	meta->start_monotonic_ns = MERGE_BASE_NS;
	size_t len = 0;
	for (uint32_t h = 0; h < n && len + 1 < sizeof(meta->host); h++)
		len += (size_t)snprintf(meta->host + len, sizeof(meta->host) - len, "%s%s",
					h ? "+" : "", hosts[h].name);
	meta->nhosts = n;
	meta->hosts = hosts;
}

int merge_traces(const struct merge_input *in, size_t n, const char *out_path,
		 struct merge_result *res)
{
	struct host_state *hs = calloc(n ? n : 1, sizeof(*hs));
	int64_t *corr = calloc(n ? n : 1, sizeof(*corr));
	struct merge_views *v = NULL;
	struct trace_writer *w = NULL;
	struct trace_meta meta;
	int err;

	memset(res, 0, sizeof(*res));
	res->failed_input = -1;
	if (n == 0 || n > TRACE_HOSTS_MAX) {
		err = -EINVAL;
		goto out;
	}
	if (!hs || !corr) {
		err = -ENOMEM;
		goto out;
	}
	res->nhosts = (uint32_t)n;
	if ((err = open_inputs(in, n, hs, res->hosts, res)) ||
	    (err = merge_views_new(&v, (uint32_t)n)) ||
	    (err = gather(hs, (uint32_t)n, v, res->hosts, res)) ||
	    (err = merge_views_solve(v, res->hosts, corr, res)))
		goto out;
	align(res->hosts, (uint32_t)n, corr, trace_reader_meta(hs[0].r), &meta);
	if ((err = trace_writer_open(&w, out_path, &meta)))
		goto out;
	uint64_t last_ts = MERGE_BASE_NS;
	if ((err = write_events(hs, (uint32_t)n, res->hosts, v, w, res, &last_ts))) {
		trace_writer_abort(w);
		goto out;
	}
	err = finish(hs, (uint32_t)n, res->hosts, w, last_ts);
out:
	for (size_t i = 0; hs && i < n; i++)
		trace_reader_free(hs[i].r);
	free(hs);
	free(corr);
	merge_views_free(v);
	return err;
}
