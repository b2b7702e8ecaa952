/*
 * dump_names - (dev, ino) -> name, for the descriptors of `trace dump`
 * (see dump_names.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dump_names.h"

struct dump_name {
	uint64_t ino;
	uint32_t dev;
	char *name;               /* NULL: an empty slot */
};

void dump_names_init(struct dump_names *n)
{
	memset(n, 0, sizeof(*n));
}

void dump_names_release(struct dump_names *n)
{
	for (size_t i = 0; i < n->nslots; i++)
		free(n->slots[i].name);
	free(n->slots);
	memset(n, 0, sizeof(*n));
}

static size_t slot_of(const struct dump_names *n, uint32_t dev, uint64_t ino)
{
	uint64_t h = (ino ^ ((uint64_t)dev << 32)) * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 32) & (n->nslots - 1);

	while (n->slots[i].name && (n->slots[i].dev != dev || n->slots[i].ino != ino))
		i = (i + 1) & (n->nslots - 1);
	return i;
}

static int grow(struct dump_names *n)
{
	struct dump_names bigger = { 0 };

	bigger.nslots = n->nslots ? 2 * n->nslots : 256;
	bigger.slots = calloc(bigger.nslots, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < n->nslots; i++) {
		if (n->slots[i].name) {
			bigger.slots[slot_of(&bigger, n->slots[i].dev, n->slots[i].ino)] = n->slots[i];
			bigger.used++;
		}
	}
	free(n->slots);
	*n = bigger;
	return 0;
}

int dump_names_set(struct dump_names *n, uint32_t dev, uint64_t ino, const char *name, size_t len)
{
	struct dump_name *s;
	char *copy;
	size_t i;

	if (n->used >= DUMP_NAMES_MAX && !dump_names_get(n, dev, ino))
		return -ENOSPC;
	if (2 * (n->used + 1) > n->nslots && grow(n))
		return -ENOMEM;
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, name, len);
	copy[len] = '\0';
	i = slot_of(n, dev, ino);
	s = &n->slots[i];
	if (!s->name)
		n->used++;
	free(s->name);
	s->dev = dev;
	s->ino = ino;
	s->name = copy;
	return 0;
}

const char *dump_names_get(const struct dump_names *n, uint32_t dev, uint64_t ino)
{
	if (!n->nslots)
		return NULL;
	return n->slots[slot_of(n, dev, ino)].name;
}
