/*
 * record_events - what the drain does with each event: update the process
 * table, store it (until the --max-size limit is near, then count it), and
 * the figures the progress line and `trace stat --interval` are told.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "ipctrace.skel.h"
#include "record_session.h"

/* --max-size: room kept for what may still be written once events stop
 * being stored: one EVENTS chunk (about 256 KiB), the statistics and the
 * end marker, plus the process table (per process below). */
#define SIZE_LIMIT_ROOM (320 * 1024ull)
#define SIZE_LIMIT_ROOM_PER_PROCESS 64ull

/* Would storing one more event risk passing the size limit?  Once true it
 * stays true, so the trace holds a prefix of the recording. */
static bool over_size_limit(struct recorder *r)
{
	if (!r->size_limited && r->max_bytes)
		r->size_limited = trace_writer_bytes(r->writer) + SIZE_LIMIT_ROOM +
				  r->procs.nprocs * SIZE_LIMIT_ROOM_PER_PROCESS >= r->max_bytes;
	return r->size_limited;
}

int record_on_event(void *ctx, void *data, size_t size)
{
	struct recorder *r = ctx;
	const struct ipct_event_header *h = data;
	int err;

	if (size < sizeof(*h) || h->size > size || h->size < sizeof(*h))
		return 0;	/* cannot happen with our BPF side; never trust it */
	r->seen++;
	record_cpus_count(r, h->cpu);
	if (!r->table_error)
		r->table_error = proctable_apply(&r->procs, h);
	if (r->write_error)
		return 0;	/* keep draining so the kernel side does not stall */
	if (over_size_limit(r)) {
		r->unrecorded++;
		return 0;
	}
	err = trace_writer_append(r->writer, h);
	if (err)
		r->write_error = err;
	else
		r->events++;
	return 0;
}

int record_read_lost(struct ipctrace_bpf *skel, uint64_t lost[IPCT_KIND_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpu <= 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < IPCT_KIND_MAX; k++) {
		lost[k] = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			lost[k] += vals[c];
	}
	free(vals);
	return 0;
}

void record_tell_stats(struct record_session *s, uint64_t now)
{
	struct record_stat *st;
	size_t n;

	if (stat_map_read(bpf_map__fd(s->skel->maps.stat_slots),
			  bpf_map__fd(s->skel->maps.stat_values), &st, &n) == 0) {
		s->opt->on_stats(st, n, now - s->meta.start_monotonic_ns);
		free(st);
	}
}

void record_tell_progress(struct record_session *s, uint64_t now)
{
	struct record_progress p = {
		.elapsed_ns = now - s->meta.start_monotonic_ns,
		.events = s->rec.events,
		.unrecorded = s->rec.unrecorded,
		.file_bytes = trace_writer_bytes(s->rec.writer),
	};
	uint64_t lost[IPCT_KIND_MAX] = { 0 };

	if (record_read_lost(s->skel, lost) == 0)
		for (int k = 0; k < IPCT_KIND_MAX; k++)
			p.lost += lost[k];
	s->opt->on_progress(&p);
}
