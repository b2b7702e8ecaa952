/*
 * merge_views (internal) - the socket views of `trace merge` that
 * merge_clock.c collects and joins and merge_bounds.c turns into clock
 * bounds.
 */
#ifndef IPCTRACE_VIZ_MERGE_VIEWS_H
#define IPCTRACE_VIZ_MERGE_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "merge.h"

struct mark {
	uint64_t val;                   /* TCP: stream offset after the call; UDP: length */
	int64_t t;                      /* send: when it began; receive: when it returned */
};

struct endpoint {
	uint8_t addr[16];
	uint16_t port;
	uint16_t family;
};

enum view_state { VIEW_UNKNOWN, VIEW_LOCAL, VIEW_JOINED, VIEW_ONE_SIDED };

struct view {
	uint32_t host;
	uint8_t kind;
	uint8_t state;                  /* enum view_state */
	struct endpoint local, remote;
	struct mark *sends, *recvs;
	size_t nsends, nrecvs, cap_sends, cap_recvs;
	uint64_t sent, received;
	long peer;                      /* joined view, -1 */
	long next_port;                 /* chain of views with the same ports */
};

struct merge_views {
	uint32_t nhosts;
	struct view *v;
	size_t n, cap;
	uint32_t *slots;                /* hash of full keys: index + 1 */
	size_t nslots;
	long *port_heads;               /* hash of (kind, lport, rport) chains: index + 1 */
	uint64_t *ino_slots;            /* (host, socket inode) -> TCP view index + 1, pairs */
	size_t nino_slots, ninos;
	size_t nport_heads;
	int64_t *delay;                 /* nhosts^2: smallest r - s from X to Y */
	uint64_t *pairs;                /* nhosts^2; both after the struct, in its allocation */
};

/* merge_bounds.c: the delays of the joined pair (A, B) into v->delay and
 * v->pairs, its counts into RES; then every host's correction (host 0 the
 * reference) and uncertainty from them. */
void merge_pair_bounds(struct merge_views *v, const struct view *a, const struct view *b,
		       struct merge_result *res);
void merge_solve_clocks(const struct merge_views *v, struct trace_host *hosts, int64_t *corr);

#endif
