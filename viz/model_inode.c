/*
 * model_inode - object identity that survives inode reuse (model_build.h).
 *
 * ext4 and tmpfs give a freed inode number to the next file created, so
 * (dev, ino) alone merges files that only followed each other in time.
 * An inode number names one live inode at a time, though: a new file can
 * only get it once the old one is gone.  So the builder keeps, per (dev,
 * ino), the incarnation current now: an open that created the file
 * (IPCT_OPEN_CREATED), or an open or mmap whose i_generation differs from
 * the one last seen, starts the next.  Every call on (dev, ino) belongs to
 * the incarnation current when it returned.  The first keeps the id
 * "KIND:DEV:INO"; the n-th is "KIND:DEV:INO#n", with its own name.
 * i_generation is random per new inode on ext4 and tmpfs; where a file
 * system leaves it 0 (overlayfs), creation by a traced open still tells.
 */
#include <stdio.h>
#include "model_build.h"

static uint64_t inode_key_hash(uint32_t dev, uint64_t ino)
{
	return model_hash64(ino ^ ((uint64_t)dev << 40) ^ dev);
}

static uint64_t inode_hash_at(const void *arg, size_t i)
{
	const struct builder *b = arg;

	return inode_key_hash(b->inodes[i].dev, b->inodes[i].ino);
}

static int inode_rehash(struct builder *b)
{
	return slots_rebuild(&b->inode_slots, &b->ninode_slots, 256, b->ninodes, inode_hash_at, b);
}

/* The entry of (DEV, INO), or NULL. */
static struct inode_life *inode_find(const struct builder *b, uint32_t dev, uint64_t ino)
{
	if (!b->ninode_slots)
		return NULL;
	size_t h = inode_key_hash(dev, ino) & (b->ninode_slots - 1);
	while (b->inode_slots[h]) {
		struct inode_life *e = &b->inodes[b->inode_slots[h] - 1];
		if (e->dev == dev && e->ino == ino)
			return e;
		h = (h + 1) & (b->ninode_slots - 1);
	}
	return NULL;
}

uint32_t model_inode_incarnation(const struct builder *b, uint32_t dev, uint64_t ino)
{
	const struct inode_life *e = inode_find(b, dev, ino);

	return e ? e->incarnation : 1;
}

int model_inode_seen(struct builder *b, uint32_t dev, uint64_t ino, uint32_t generation,
		     bool created, uint32_t *incarnation)
{
	struct inode_life *e = inode_find(b, dev, ino);

	if (e) {
		if (created || (generation && e->generation && generation != e->generation))
			e->incarnation++;
		if (generation)
			e->generation = generation;
		*incarnation = e->incarnation;
		return 0;
	}
	if ((b->ninodes + 1) * 2 > b->ninode_slots && inode_rehash(b))
		return -ENOMEM;
	if (model_grow((void **)&b->inodes, &b->cap_inodes, b->ninodes + 1, sizeof(*b->inodes)))
		return -ENOMEM;
	b->inodes[b->ninodes] = (struct inode_life){ dev, ino, generation, 1 };
	size_t h = inode_key_hash(dev, ino) & (b->ninode_slots - 1);
	while (b->inode_slots[h])
		h = (h + 1) & (b->ninode_slots - 1);
	b->inode_slots[h] = ++b->ninodes;
	*incarnation = 1;
	return 0;
}

long model_eventfd_object(struct builder *b, uint64_t id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "eventfd:%llu", (unsigned long long)id);
	return model_object_get(b, IPCT_KIND_EVENTFD, buf, 0, id);
}

int model_on_eventfd(struct builder *b, const struct ipct_eventfd_event *ev)
{
	long p = model_process_get(b, ev->hdr.pid), o;
	struct viz_object *obj;
	uint64_t init = ev->initval;
	int err;

	if (p < 0)
		return p;
	if (ev->ret < 0 || !ev->id)
		return 0;
	if ((o = model_eventfd_object(b, ev->id)) < 0)
		return o;
	obj = &b->m->objects[o];
	snprintf(obj->name, sizeof(obj->name), "created by %u", ev->hdr.pid);
	obj->flags |= VIZ_OBJ_EFD_CREATED;
	if (ev->flags & IPCT_EFD_SEMAPHORE)
		obj->flags |= VIZ_OBJ_EFD_SEMAPHORE;
	if ((err = model_object_user_add(b, o, ev->hdr.pid)))
		return err;
	if (!init)
		return 0;
	/* the counter starts at initval: as if the creator had written it */
	struct viz_op op = {
		MODEL_CALL_FIELDS(b->m, ev),
		.object = o,
		.dir = IPCT_DIR_SEND,
		.ret = sizeof(init),
		.requested = sizeof(init),
		.syscall = ev->syscall,
		.type = VIZ_OP_IO,
	};
	long i = model_op_add(b, &op, (const uint8_t *)&init, sizeof(init));
	return i < 0 ? i : 0;
}

long model_object_get_inode(struct builder *b, enum ipct_kind kind, uint32_t dev, uint64_t ino)
{
	uint32_t inc = model_inode_incarnation(b, dev, ino);
	struct object_memo key = { .ino = ino, .dev = dev, .incarnation = inc, .kind = kind,
				   .form = MEMO_INODE };
	long o;

	if (inc <= 1)
		return model_object_get_dev(b, kind, dev, ino);
	o = model_object_memo(b, &key, "%s:%u:%llu#%u", viz_kind_name(kind), dev,
			      (unsigned long long)ino, inc);
	if (o >= 0)
		b->m->objects[o].incarnation = inc;
	return o;
}
