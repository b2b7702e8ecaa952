/*
 * slots - see slots.h.
 */
#include <errno.h>
#include <stdlib.h>
#include "slots.h"

size_t slots_free(const uint32_t *slots, size_t nslots, uint64_t h)
{
	size_t s = h & (nslots - 1);

	while (slots[s])
		s = (s + 1) & (nslots - 1);
	return s;
}

int slots_rebuild(uint32_t **slots, size_t *nslots, size_t first, size_t n,
		  slots_hash_fn hash, const void *arg)
{
	size_t size = *nslots ? *nslots * 2 : first;
	uint32_t *t = calloc(size, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		t[slots_free(t, size, hash(arg, i))] = i + 1;
	free(*slots);
	*slots = t;
	*nslots = size;
	return 0;
}

int slots_add(uint32_t **slots, size_t *nslots, size_t first, size_t n,
	      slots_hash_fn hash, const void *arg)
{
	if ((n + 1) * 2 > *nslots && slots_rebuild(slots, nslots, first, n, hash, arg))
		return -ENOMEM;
	(*slots)[slots_free(*slots, *nslots, hash(arg, n))] = (uint32_t)n + 1;
	return 0;
}
