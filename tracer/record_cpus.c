/*
 * record_cpus - the reader keeps off the CPUs the traced programs keep
 * busy.  Each record names the CPU its call ran on; five times a second
 * the drain looks at where the last period's records came from, and when some
 * CPUs it may run on produced almost none of them (less than a tenth
 * each) while others produced the rest, it moves itself to the quiet ones
 * (sched_setaffinity of the tracer's thread).  Draining and compressing
 * then take no CPU time from the traced program: a program pinned to one
 * CPU with the reader woken onto the same one loses that time.  With
 * little traffic, or every CPU busy, it may run wherever it could at the
 * start.  The traced command's affinity is its own (set at its fork,
 * before this begins), so nothing here reaches it.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "record_session.h"

/* Fewer records than this in a period: no move. */
#define SPREAD_MIN_RECORDS 2000

int record_cpus_init(struct recorder *r)
{
	CPU_ZERO(&r->cpus_allowed);
	if (sched_getaffinity(0, sizeof(r->cpus_allowed), &r->cpus_allowed))
		return 0;	/* no placement, no harm */
	r->cpu_records = calloc(CPU_SETSIZE, sizeof(*r->cpu_records));
	return r->cpu_records ? 0 : -ENOMEM;
}

void record_cpus_count(struct recorder *r, uint32_t cpu)
{
	if (r->cpu_records && cpu < CPU_SETSIZE)
		r->cpu_records[cpu]++;
}

/* Move to the allowed CPUs that produced less than a tenth of the last
 * period's records, when there are some and the others produced the
 * rest; else back to every allowed CPU. */
void record_cpus_place(struct recorder *r)
{
	uint64_t total = 0;
	cpu_set_t quiet;
	int nquiet = 0, nallowed = CPU_COUNT(&r->cpus_allowed);

	if (!r->cpu_records)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++)
		total += r->cpu_records[c];
	CPU_ZERO(&quiet);
	for (int c = 0; c < CPU_SETSIZE && total >= SPREAD_MIN_RECORDS; c++)
		if (CPU_ISSET(c, &r->cpus_allowed) && r->cpu_records[c] * 10 < total) {
			CPU_SET(c, &quiet);
			nquiet++;
		}
	memset(r->cpu_records, 0, CPU_SETSIZE * sizeof(*r->cpu_records));
	if (nquiet && nquiet < nallowed) {
		if (!r->cpus_moved || !CPU_EQUAL(&quiet, &r->cpus_now)) {
			r->cpus_moved = sched_setaffinity(0, sizeof(quiet), &quiet) == 0;
			r->cpus_now = quiet;
		}
	} else if (r->cpus_moved) {
		sched_setaffinity(0, sizeof(r->cpus_allowed), &r->cpus_allowed);
		r->cpus_moved = false;
	}
}

void record_cpus_release(struct recorder *r)
{
	free(r->cpu_records);
	r->cpu_records = NULL;
}
