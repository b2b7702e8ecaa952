/*
 * model_build - what viz/model.c and viz/model_process.c share while a
 * model is being built (internal to viz/, not an API): the builder state
 * and a few small helpers.  model.c reads the events and owns objects and
 * operations; model_process.c owns the process table and lane order.
 */
#ifndef IPCTRACE_VIZ_MODEL_BUILD_H
#define IPCTRACE_VIZ_MODEL_BUILD_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* What the events told us about a process, so the table fills the rest. */
#define SEEN_FORK 1u
#define SEEN_EXEC 2u
#define SEEN_EXIT 4u
#define SEEN_COMM 8u
#define SEEN_EVENT 16u  /* appeared in an event, not only in the table */

/* What the builder keeps per process, parallel to model->processes. */
struct process_info {
	uint8_t seen;                   /* SEEN_* */
	uint64_t first_ts;              /* time of the first event naming it */
};

/* One (object, pid) use, collected while reading to build the users lists. */
struct object_user {
	uint32_t object;
	uint32_t pid;
};

struct builder {
	struct viz_model *m;
	size_t cap_processes, cap_objects, cap_ops, cap_forks, cap_users;
	struct process_info *info;      /* per process */
	uint64_t now;                   /* relative time of the current event */
	bool in_table;                  /* merging the process table */
	uint32_t *pid_slots;            /* hash: process index + 1, 0 = empty */
	size_t npid_slots;
	uint32_t *object_slots;         /* hash: object index + 1, 0 = empty */
	size_t nobject_slots;
	uint32_t *object_last_pid;      /* last user pushed, to skip repeats */
	struct object_user *users;
	size_t nusers;
	uint64_t last_ts;               /* latest event time, relative */
};

/* Make room for NEED elements of SIZE bytes in *P (capacity *CAP). */
static inline int model_grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static inline uint64_t model_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Monotonic TS as nanoseconds since the trace started, clamped at 0. */
static inline uint64_t model_relative(const struct viz_model *m, uint64_t ts)
{
	return ts > m->meta.start_monotonic_ns ? ts - m->meta.start_monotonic_ns : 0;
}

/* Copy a fixed-size, maybe unterminated string into DST (always terminated). */
static inline void model_copy_string(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = 0;

	while (n < srclen && n + 1 < dstlen && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- model_process.c ---- */

/* Index of PID's process, created (in order of appearance) if new; -errno. */
long model_process_get(struct builder *b, uint32_t pid);
int model_on_fork(struct builder *b, const struct ipct_fork_event *ev);
int model_on_exec(struct builder *b, const struct ipct_exec_event *ev);
int model_on_exit(struct builder *b, const struct ipct_exit_event *ev);
/* Fill what the events did not say from the trace's process table. */
int model_merge_process_table(struct builder *b, const struct trace_process *t,
			      size_t n);
/* Put the processes in lane order and number the lanes. */
int model_order_lanes(struct builder *b);
/* Build m->pid_order for viz_model_process(). */
int model_build_pid_order(struct viz_model *m);

#endif /* IPCTRACE_VIZ_MODEL_BUILD_H */
