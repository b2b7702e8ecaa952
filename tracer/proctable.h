/*
 * proctable - the tracer's table of traced processes, kept up to date from
 * fork/exec/exit events as they are drained, and written at the end of the
 * trace as its process table (lib/trace_file.h: struct trace_process).
 *
 * Entries live in one growing array, found through an open-addressing index
 * on pid.  A pid seen again after its process exited starts a new entry.
 */
#ifndef IPCTRACE_TRACER_PROCTABLE_H
#define IPCTRACE_TRACER_PROCTABLE_H

#include <stddef.h>
#include "lib/trace_file.h"

struct proctable {
	struct trace_process *procs;
	size_t nprocs, cap;
	uint32_t *index;          /* slot -> entry number + 1, 0 = empty */
	size_t index_cap;         /* power of two */
	size_t live;              /* processes started and not yet exited */
};

void proctable_init(struct proctable *t);
void proctable_release(struct proctable *t);
/* Add the root command (started by the tracer at NOW). 0 or -ENOMEM. */
int proctable_add_root(struct proctable *t, uint32_t pid, uint32_t ppid,
		       const char *comm, uint64_t now);
/* Apply one event (fork, exec, exit; others, and records shorter than
 * their type, are ignored). 0 or -ENOMEM. */
int proctable_apply(struct proctable *t, const struct ipct_event_header *ev);
/* The live entry for PID, or NULL. */
struct trace_process *proctable_find(struct proctable *t, uint32_t pid);

#endif
