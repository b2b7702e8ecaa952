/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stat.bpf.h - `trace stat`: count the data-moving calls in the kernel
 * instead of recording each one.
 *
 * With stat_mode set before load, the handlers of the hot calls (stream
 * I/O, message queue send/receive, semop and futex, signal generation)
 * classify the object as usual and then add the call to a per-CPU hash of
 * struct ipct_stat_value keyed by struct ipct_stat_key (events.h), with
 * no ring-buffer record.  Everything else (process lifecycle, opens, pipe
 * and socket creation, which name the objects) is recorded as usual.  A
 * key that finds the map full is counted as lost for its kind.
 */
#ifndef IPCTRACE_STAT_BPF_H
#define IPCTRACE_STAT_BPF_H

#include "common.bpf.h"

const volatile bool stat_mode = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ipct_stat_key);
	__type(value, struct ipct_stat_value);
} stats SEC(".maps");

/* A zero value to insert new keys with (a map value may not come from
 * the stack when it is this large). */
static const struct ipct_stat_value stat_zero = {};

/* floor(log2(x)) for x > 0, 0 for 0, without loops. */
static __always_inline __u32 log2_u64(__u64 x)
{
	__u32 r = 0, s;

	s = (x > 0xffffffffull) << 5; x >>= s; r |= s;
	s = (x > 0xffff) << 4; x >>= s; r |= s;
	s = (x > 0xff) << 3; x >>= s; r |= s;
	s = (x > 0xf) << 2; x >>= s; r |= s;
	s = (x > 0x3) << 1; x >>= s; r |= s;
	return r | (x >> 1);
}

/* Count call C against KEY (whose pid it fills), with BYTES moved. */
static __noinline int stat_add(struct call *c, struct ipct_stat_key *key, __u64 bytes)
{
	struct ipct_stat_value *v;
	__u64 ns = c->now - c->enter;
	__u32 b;

	key->pid = c->task->tgid;
	v = bpf_map_lookup_elem(&stats, key);
	if (!v) {
		bpf_map_update_elem(&stats, key, &stat_zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&stats, key);
		if (!v) {
			count_lost(key->kind);
			return 0;
		}
	}
	v->calls++;
	if (c->ret < 0)
		v->errors++;
	v->bytes += bytes;
	v->ns += ns;
	b = log2_u64(ns);
	if (b >= IPCT_STAT_BUCKETS)
		b = IPCT_STAT_BUCKETS - 1;
	v->hist[b & (IPCT_STAT_BUCKETS - 1)]++;
	return 0;
}

#endif
