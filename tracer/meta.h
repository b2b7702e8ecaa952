/*
 * meta - the header of a trace the tracer writes (lib/trace_file.h:
 * struct trace_meta): host, kernel, start times and the command line, cut
 * to the format's limits when it is longer (TRACE_META_ARGV_CUT).
 */
#ifndef IPCTRACE_TRACER_META_H
#define IPCTRACE_TRACER_META_H

#include <sys/types.h>
#include "lib/trace_file.h"

/* Fill M for the command ARGV, or for the process ATTACH_PID when ARGV is
 * NULL; the start times are now.  0 or -ENOMEM. */
int record_meta_fill(struct trace_meta *m, char *const *argv, pid_t attach_pid);
/* Free what record_meta_fill() allocated. */
void record_meta_release(struct trace_meta *m);

#endif
