/*
 * perfetto_pb_intern - Perfetto's interned data for the protobuf trace
 * (perfetto_pb.h): each event name, category, debug annotation name and
 * channel id is written once, in the InternedData of the first packet
 * that uses it, and referred to by its iid after that.  The packets that
 * use iids say so (SEQ_NEEDS_INCREMENTAL_STATE); the trace's first packet
 * starts the state (SEQ_INCREMENTAL_STATE_CLEARED).
 *
 * What is held: the distinct names and categories (a few dozen), and an
 * iid per channel of the model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "perfetto_pb.h"
#include "slots.h"

/* TracePacket */
#define F_PACKET_INTERNED 12
/* InternedData */
#define F_INTERNED_CATEGORIES 1
#define F_INTERNED_NAMES 2
#define F_INTERNED_DEBUG_NAMES 3
#define F_INTERNED_DEBUG_STRINGS 29
/* EventCategory, EventName, DebugAnnotationName; InternedString */
#define F_ENTRY_IID 1
#define F_ENTRY_NAME 2

static uint64_t hash_string(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static uint64_t entry_hash(const void *arg, size_t i)
{
	return hash_string(((const struct pb_strings *)arg)->s[i]);
}

static bool entry_eq(const void *ctx, uint32_t i, const void *key)
{
	return !strcmp(((const struct pb_strings *)ctx)->s[i], key);
}

/* One entry of InternedData table FIELD: IID is S. */
static void write_entry(struct pb_writer *w, uint32_t field, uint32_t iid, const char *s)
{
	size_t e;

	if (!w->in.open)
		w->in.open = pbuf_begin(&w->buf, F_PACKET_INTERNED);
	e = pbuf_begin(&w->buf, field);
	pbuf_varint_field(&w->buf, F_ENTRY_IID, iid);
	pbuf_string_field(&w->buf, F_ENTRY_NAME, s);
	pbuf_end(&w->buf, e);
}

static int fail(struct pb_writer *w)
{
	if (!w->err)
		w->err = -ENOMEM;
	return 0;
}

/* The iid of S in table T (InternedData field FIELD). */
static uint32_t intern(struct pb_writer *w, struct pb_strings *t, uint32_t field, const char *s)
{
	uint32_t *slot;
	char *copy;

	if (!t->nslots && slots_rebuild(&t->slots, &t->nslots, 64, 0, entry_hash, t))
		return fail(w);
	slot = slots_find(t->slots, t->nslots, hash_string(s), entry_eq, t, s);
	if (*slot)
		return *slot;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		char **p = realloc(t->s, cap * sizeof(*p));

		if (!p)
			return fail(w);
		t->s = p;
		t->cap = cap;
	}
	if (!(copy = strdup(s)))
		return fail(w);
	t->s[t->n] = copy;
	if (slots_add(&t->slots, &t->nslots, 64, t->n, entry_hash, t)) {
		free(copy);
		return fail(w);
	}
	t->n++;
	write_entry(w, field, (uint32_t)t->n, s);
	return (uint32_t)t->n;
}

/* The iid of the fixed string S in T: by its address when seen before. */
static uint32_t intern_fixed(struct pb_writer *w, struct pb_strings *t, uint32_t field,
			     const char *s)
{
	size_t h = ((uintptr_t)s >> 3) % PB_SEEN;

	if (t->seen[h].at != s) {
		t->seen[h].iid = intern(w, t, field, s);
		t->seen[h].at = t->seen[h].iid ? s : NULL;
	}
	return t->seen[h].iid;
}

uint32_t pb_intern_name(struct pb_writer *w, const char *name, bool fixed)
{
	return fixed ? intern_fixed(w, &w->in.names, F_INTERNED_NAMES, name) :
		       intern(w, &w->in.names, F_INTERNED_NAMES, name);
}

uint32_t pb_intern_category(struct pb_writer *w, const char *category)
{
	return intern_fixed(w, &w->in.categories, F_INTERNED_CATEGORIES, category);
}

uint32_t pb_intern_channel(struct pb_writer *w, const struct viz_model *m, uint32_t object)
{
	struct pb_intern *in = &w->in;
	char id[sizeof(m->objects[0].id) + 1];

	if (object >= in->nchannel) {
		size_t n = in->nchannel ? in->nchannel : 64;
		uint32_t *p;

		while (n <= object)
			n *= 2;
		if (!(p = realloc(in->channel, n * sizeof(*p))))
			return fail(w);
		memset(p + in->nchannel, 0, (n - in->nchannel) * sizeof(*p));
		in->channel = p;
		in->nchannel = n;
	}
	if (!in->channel[object]) {
		in->channel[object] = ++in->nchannels;
		write_entry(w, F_INTERNED_DEBUG_STRINGS, in->nchannels,
			    pb_clean(id, sizeof(id), m->objects[object].id,
				     sizeof(m->objects[object].id)));
	}
	return in->channel[object];
}

void pb_intern_debug_names(struct pb_writer *w)
{
	if (w->in.debug_names)
		return;
	write_entry(w, F_INTERNED_DEBUG_NAMES, DEBUG_NAME_CHANNEL, "channel");
	write_entry(w, F_INTERNED_DEBUG_NAMES, DEBUG_NAME_RET, "ret");
	w->in.debug_names = true;
}

void pb_intern_close(struct pb_writer *w)
{
	if (w->in.open)
		pbuf_end(&w->buf, w->in.open);
	w->in.open = 0;
}

static void strings_release(struct pb_strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

void pb_intern_release(struct pb_intern *in)
{
	strings_release(&in->names);
	strings_release(&in->categories);
	free(in->channel);
	memset(in, 0, sizeof(*in));
}
