/*
 * slots - the open-addressing index that the model, the graph folding and
 * the merge keep beside a growing array to find its entries by key: a
 * power-of-two table of entry numbers + 1 (0: an empty slot), probed
 * linearly, rebuilt at twice the size before it is half full.  The caller
 * owns the table and does its own lookups (only it knows the key).
 */
#ifndef IPCTRACE_VIZ_SLOTS_H
#define IPCTRACE_VIZ_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The hash of entry I of the array behind ARG. */
typedef uint64_t (*slots_hash_fn)(const void *arg, size_t i);

/* Rebuild *SLOTS (*NSLOTS of them) at twice the size, FIRST slots when
 * there are none yet, holding entries 0..N-1 hashed by HASH.  0 or
 * -ENOMEM (then the old table stays). */
int slots_rebuild(uint32_t **slots, size_t *nslots, size_t first, size_t n,
		  slots_hash_fn hash, const void *arg);

/* The first empty slot on the probe sequence of hash H. */
size_t slots_free(const uint32_t *slots, size_t nslots, uint64_t h);

/* Index entry N, the one just appended after entries 0..N-1: rebuild the
 * table first (as slots_rebuild) when it would be half full.  0 or
 * -ENOMEM. */
int slots_add(uint32_t **slots, size_t *nslots, size_t first, size_t n,
	      slots_hash_fn hash, const void *arg);

/* The slot of KEY (hash HASH): the one holding the entry EQ says is KEY
 * (EQ gets CTX and the entry number), else the empty slot where it would
 * go.  The table must have an empty slot. */
static inline uint32_t *slots_find(uint32_t *slots, size_t nslots, uint64_t hash,
				   bool (*eq)(const void *ctx, uint32_t i, const void *key),
				   const void *ctx, const void *key)
{
	size_t h = hash & (nslots - 1);

	while (slots[h] && !eq(ctx, slots[h] - 1, key))
		h = (h + 1) & (nslots - 1);
	return &slots[h];
}

#endif
