/*
 * model_objects - the objects of the model being built (model_build.h):
 * found by id ("pipe:DEV:INO", "unix:I1-I2", ...) through an
 * open-addressing hash that lives only while building, their users, the
 * operations on them, and the name hints that later name files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_build.h"
#include "stream.h"
#include "escape.h"

static uint64_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;     /* FNV-1a */

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return model_hash64(h);
}

static uint64_t object_hash_at(const void *m, size_t i)
{
	return id_hash(((const struct viz_model *)m)->objects[i].id);
}

static bool object_eq(const void *m, uint32_t i, const void *id)
{
	return strcmp(((const struct viz_model *)m)->objects[i].id, id) == 0;
}

/* ID qualified by the current event's host ("web1/pipe:0:42") in SCOPED. */
static const char *scoped_id(const struct builder *b, const char *id, char *scoped,
			     size_t size)
{
	if (!b->scope)
		return id;
	snprintf(scoped, size, "%s/%s", b->scope, id);
	return scoped;
}

/* The index of the object with the scoped ID, or -1. */
static long find_scoped(const struct builder *b, const char *id)
{
	const uint32_t *slot;

	if (!b->nobject_slots)
		return -1;
	slot = slots_find(b->object_slots, b->nobject_slots, id_hash(id), object_eq, b->m, id);
	return *slot ? (long)*slot - 1 : -1;
}

long model_object_find(const struct builder *b, const char *id)
{
	char scoped[sizeof(b->m->objects[0].id)];

	return find_scoped(b, scoped_id(b, id, scoped, sizeof(scoped)));
}

long model_object_get(struct builder *b, enum ipct_kind kind, const char *id,
		      uint32_t dev, uint64_t ino)
{
	struct viz_model *m = b->m;
	char scoped[sizeof(m->objects[0].id)];
	long i;

	id = scoped_id(b, id, scoped, sizeof(scoped));
	if ((i = find_scoped(b, id)) >= 0)
		return i;
	size_t cap = b->cap_objects;
	if (model_grow((void **)&m->objects, &b->cap_objects, m->nobjects + 1,
		 sizeof(*m->objects)))
		return -ENOMEM;
	if (model_grow((void **)&b->object_last_pid, &cap, m->nobjects + 1,
		 sizeof(*b->object_last_pid)))
		return -ENOMEM;

	struct viz_object *o = &m->objects[m->nobjects];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->dev = dev;
	o->ino = ino;
	snprintf(o->id, sizeof(o->id), "%s", id);
	b->object_last_pid[m->nobjects] = 0;
	if (slots_add(&b->object_slots, &b->nobject_slots, 256, m->nobjects, object_hash_at, m))
		return -ENOMEM;
	return m->nobjects++;
}

long model_memo_find(struct builder *b, struct object_memo *key, struct object_memo **slot)
{
	key->scope = b->scope;
	uint64_t h = model_hash64(key->ino ^ ((uint64_t)key->dev << 32) ^
				  ((uint64_t)key->kind << 56) ^ ((uint64_t)key->form << 48) ^
				  key->incarnation ^ key->off * 0x9e3779b97f4a7c15ULL);
	struct object_memo *s = &b->memo[h & (MODEL_MEMO - 1)];

	*slot = s;
	if (s->object && s->ino == key->ino && s->off == key->off && s->dev == key->dev &&
	    s->kind == key->kind && s->form == key->form && s->incarnation == key->incarnation &&
	    s->scope == key->scope)
		return (long)s->object - 1;
	return -1;
}

long model_object_memo(struct builder *b, struct object_memo *key, const char *fmt, ...)
{
	struct object_memo *slot;
	char id[sizeof(b->m->objects[0].id)];
	va_list ap;
	long o;

	if ((o = model_memo_find(b, key, &slot)) >= 0)
		return o;
	va_start(ap, fmt);
	vsnprintf(id, sizeof(id), fmt, ap);
	va_end(ap);
	if ((o = model_object_get(b, key->kind, id, key->dev, key->ino)) >= 0)
		model_memo_keep(slot, key, o);
	return o;
}

long model_object_get_dev(struct builder *b, enum ipct_kind kind, uint32_t dev,
			  uint64_t ino)
{
	struct object_memo key = { .ino = ino, .dev = dev, .incarnation = 1, .kind = kind,
				   .form = MEMO_INODE };

	return model_object_memo(b, &key, "%s:%u:%llu", viz_kind_name(kind), dev,
				 (unsigned long long)ino);
}

static uint64_t user_hash(uint32_t object, uint32_t pid)
{
	return model_hash64((uint64_t)object << 32 | pid);
}

static uint64_t user_hash_at(const void *arg, size_t i)
{
	const struct object_user *u = &((const struct builder *)arg)->users[i];

	return user_hash(u->object, u->pid);
}

/* Each (object, pid) pair is collected once, however many ops it has. */
int model_object_user_add(struct builder *b, uint32_t object, uint32_t pid)
{
	size_t h;

	if (b->object_last_pid[object] == pid)
		return 0;
	b->object_last_pid[object] = pid;
	if ((b->nusers + 1) * 2 > b->nuser_slots &&
	    slots_rebuild(&b->user_slots, &b->nuser_slots, 256, b->nusers, user_hash_at, b))
		return -ENOMEM;
	h = user_hash(object, pid) & (b->nuser_slots - 1);
	for (; b->user_slots[h]; h = (h + 1) & (b->nuser_slots - 1)) {
		const struct object_user *u = &b->users[b->user_slots[h] - 1];
		if (u->object == object && u->pid == pid)
			return 0;
	}
	if (model_grow((void **)&b->users, &b->cap_users, b->nusers + 1, sizeof(*b->users)))
		return -ENOMEM;
	b->users[b->nusers++] = (struct object_user){ object, pid };
	b->user_slots[h] = b->nusers;
	return 0;
}

long model_op_add(struct builder *b, const struct viz_op *op,
		  const uint8_t *payload, size_t len)
{
	struct viz_model *m = b->m;

	if (m->nops >= UINT32_MAX)
		return -EOVERFLOW;
	if (model_grow((void **)&m->ops, &b->cap_ops, m->nops + 1, sizeof(*m->ops)))
		return -ENOMEM;
	struct viz_op *o = &m->ops[m->nops];
	*o = *op;
	o->payload = 0;
	o->payload_len = 0;
	if (payload && len) {
		if (len > VIZ_PAYLOAD_KEEP)
			len = VIZ_PAYLOAD_KEEP;
		if (m->payload_size + len > UINT32_MAX)
			return -EOVERFLOW;
		if (model_grow((void **)&m->payload, &b->cap_payload,
			       m->payload_size + len, 1))
			return -ENOMEM;
		memcpy(m->payload + m->payload_size, payload, len);
		o->payload = m->payload_size;
		o->payload_len = len;
		m->payload_size += len;
	}
	return m->nops++;
}

int model_op_take(struct builder *b, const struct viz_op *op, const uint8_t *payload,
		  size_t len)
{
	if (b->stream && stream_takes(b, op->object))
		return stream_op(b, op, payload, len);
	long i = model_op_add(b, op, payload, len);
	return i < 0 ? i : 0;
}

int model_name_hint(struct name_hint **hints, size_t *n, size_t *cap,
		    uint32_t dev, uint64_t ino, uint32_t incarnation, const char *name, size_t len)
{
	size_t l = escape_strnlen(name, len);

	if (!l)
		return 0;
	if (model_grow((void **)hints, cap, *n + 1, sizeof(**hints)))
		return -ENOMEM;
	char *copy = strndup(name, l);
	if (!copy)
		return -ENOMEM;
	(*hints)[*n] = (struct name_hint){ .dev = dev, .ino = ino, .name = copy,
					  .incarnation = incarnation, .seq = *n };
	(*n)++;
	return 0;
}
