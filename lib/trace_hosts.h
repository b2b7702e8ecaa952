/*
 * trace_hosts - the host table of a merged trace, appended to the META
 * payload after argv (docs/trace-format.md, "Merged traces").  Internal to
 * lib/: the writer encodes meta->hosts, the reader decodes them.
 */
#ifndef IPCTRACE_TRACE_HOSTS_H
#define IPCTRACE_TRACE_HOSTS_H

#include "trace_codec.h"
#include "trace_file.h"

/* Append the host table of M (nothing when it has no hosts).  0 or -errno. */
int tf_encode_hosts(struct tf_buf *b, const struct trace_meta *m);
/* Decode a host table from C into *HOSTS / *N (malloc'd; none when C is
 * used up).  0, -EBADMSG or -ENOMEM. */
int tf_parse_hosts(struct tf_cursor *c, struct trace_host **hosts, uint32_t *n);

#endif
