/*
 * merge - join several hosts' recordings into one trace (`trace merge`).
 *
 * Each input is one host's trace.  The merged trace is an ordinary trace:
 * host H's pids become pid | H << TRACE_HOST_PID_BITS and its times are
 * moved onto one clock; meta.hosts names the hosts and says how each clock
 * was aligned (lib/trace_file.h).  Clocks are aligned first by the
 * wall-clock start in each header, then refined from the TCP and UDP
 * traffic recorded on both ends: a byte cannot be received before it was
 * sent, so the smallest delay seen each way bounds the offset from both
 * sides, as NTP does (docs/multi-host.md).
 *
 * A TCP connection whose mirrored 4-tuple was recorded on another host,
 * and UDP datagrams matched in order and by length between two hosts, are
 * marked IPCT_IO_HOSTS_JOINED so the model makes one channel of both
 * sides; one whose peer no host recorded is marked IPCT_IO_HOSTS_ONE_SIDED.
 * Everything else a host recorded stays that host's own (viz/model.c
 * qualifies its object ids by host).
 *
 * Library code: 0 or -errno, never prints.
 */
#ifndef IPCTRACE_VIZ_MERGE_H
#define IPCTRACE_VIZ_MERGE_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/trace_file.h"

struct merge_input {
	const char *path;               /* trace file */
	const char *label;              /* host label, NULL: from the header */
};

struct merge_result {
	uint32_t nhosts;
	struct trace_host hosts[TRACE_HOSTS_MAX]; /* as written into the merged META */
	uint64_t events;                /* events written */
	uint64_t tcp_joined, udp_joined;/* socket views joined with another host's */
	uint64_t tcp_one_sided, udp_one_sided; /* views whose peer no host recorded */
	uint64_t tcp_local, udp_local;  /* views whose peer is on the same host */
	uint64_t udp_unmatched;         /* datagrams of joined views left unpaired */
	int failed_input;               /* index of the input that failed, or -1 */
	bool labels_renamed;            /* two headers named the same host */
};

/* Merge the N inputs into OUT_PATH.  RES is filled (also on error:
 * failed_input says which input could not be read).  0 or -errno
 * (trace_file_strerror for the reader's errors). */
int merge_traces(const struct merge_input *in, size_t n, const char *out_path,
		 struct merge_result *res);

/* ---- internal to viz/merge*.c ---- */

/* Socket traffic of one host seen through one (local, remote) pair. */
struct merge_views;

int merge_views_new(struct merge_views **out, uint32_t nhosts);
void merge_views_free(struct merge_views *v);
/* Record an inet I/O event of host HOST; T_WALL is its return time on the
 * host's wall clock.  0 or -ENOMEM. */
int merge_views_add(struct merge_views *v, uint32_t host,
		    const struct ipct_io_event *ev, int64_t t_wall);
/* Join views across hosts and compute each host's clock correction (ns to
 * add to its wall-clock times) into HOSTS[].  Counters go into RES. */
int merge_views_solve(struct merge_views *v, struct trace_host *hosts,
		      int64_t *correction, struct merge_result *res);
/* Give a TCP event whose local port reads 0 (the connection was closed
 * on both sides) the 4-tuple its socket had; 1 when changed. */
int merge_views_repair(const struct merge_views *v, uint32_t host, struct ipct_io_event *ev);
/* IPCT_IO_HOSTS_* flags for an inet I/O event of HOST (after solve). */
uint32_t merge_views_flags(const struct merge_views *v, uint32_t host,
			   const struct ipct_io_event *ev);
/* True for the inet I/O events merge_views_add takes. */
bool merge_is_inet_io(const struct ipct_event_header *ev);

#endif
