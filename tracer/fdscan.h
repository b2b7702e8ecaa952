/*
 * fdscan - name what the traced process already has open when tracing
 * begins: runs the BPF task_file iterator of bpf/fds.bpf.h over one
 * process, which puts an IPCT_EV_FD record per descriptor into the ring
 * buffer (drained with the other records).
 */
#ifndef IPCTRACE_TRACER_FDSCAN_H
#define IPCTRACE_TRACER_FDSCAN_H

#include <stdbool.h>
#include <sys/types.h>

struct ipctrace_bpf;

/* Record the descriptors of process PID (at most IPCT_FDS_MAX); with
 * SKIP_CLOEXEC, not those its next exec closes.  The number of
 * descriptors the iterator visited is not returned: 0 or -errno. */
int fdscan_run(struct ipctrace_bpf *skel, pid_t pid, bool skip_cloexec);

#endif
