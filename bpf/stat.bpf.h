/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stat.bpf.h - `trace stat`: count the data-moving calls in the kernel
 * instead of recording each one.
 *
 * With stat_mode set before load, the handlers of the hot calls (stream
 * I/O, message queue send/receive, semop and futex, signal generation)
 * classify the object as usual and then add the call to a counter, with
 * no ring-buffer record.  Everything else (process lifecycle, opens, pipe
 * and socket creation, which name the objects) is recorded as usual.
 *
 * Counters live in a per-CPU array of struct ipct_stat_value, one slot
 * per struct ipct_stat_key (events.h); the hash `stat_slots` gives a
 * key's slot, and is how user space finds the keys.  Stream I/O keeps the
 * slot in the task's fd_class entry, so a repeated call on the same
 * descriptor adds to its counter without any hash lookup.  A key that
 * finds no free slot is counted as lost for its kind.
 */
#ifndef IPCTRACE_STAT_BPF_H
#define IPCTRACE_STAT_BPF_H

#include "common.bpf.h"

const volatile bool stat_mode = false;

#define STAT_SLOTS 16384

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STAT_SLOTS);
	__type(key, struct ipct_stat_key);
	__type(value, __u32);		/* index in stat_values */
} stat_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, struct ipct_stat_value);
} stat_values SEC(".maps");

/* Slots handed out so far (a slot lost to a race of two CPUs over one new
 * key stays unused). */
__u32 stat_slots_used = 0;

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

/* The slot of KEY plus one, given a slot on first sight (and then *FRESH
 * set, when FRESH is not NULL); 0 when none is left. */
static __noinline __u32 stat_slot(struct ipct_stat_key *key, bool *fresh)
{
	__u32 *found = bpf_map_lookup_elem(&stat_slots, key);
	__u32 slot;

	if (found)
		return *found + 1;
	slot = __sync_fetch_and_add(&stat_slots_used, 1);
	if (slot >= STAT_SLOTS)
		return 0;
	if (bpf_map_update_elem(&stat_slots, key, &slot, BPF_NOEXIST)) {
		found = bpf_map_lookup_elem(&stat_slots, key);	/* another CPU won */
		return found ? *found + 1 : 0;
	}
	if (fresh)
		*fresh = true;
	return slot + 1;
}

/* Count call C in slot SLOT1 - 1 (0: no slot, a loss of KIND), with BYTES
 * moved. */
static __always_inline int stat_count(struct call *c, __u32 slot1, __u32 kind, __u64 bytes)
{
	struct ipct_stat_value *v;
	__u64 ns = c->now - c->enter;
	__u32 slot = slot1 - 1, b;

	v = slot1 ? bpf_map_lookup_elem(&stat_values, &slot) : NULL;
	if (!v) {
		count_lost(kind);
		return 0;
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

/* Count call C against KEY (whose pid it fills), with BYTES moved. */
static __noinline int stat_add(struct call *c, struct ipct_stat_key *key, __u64 bytes)
{
	key->pid = c->task->tgid;
	return stat_count(c, stat_slot(key, NULL), key->kind, bytes);
}

#endif
