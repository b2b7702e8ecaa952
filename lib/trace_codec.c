/*
 * trace_codec - buffers, cursors, varints and the per-type record history
 * shared by the trace-file writer and reader (see lib/trace_codec.h).
 */
#include <stdlib.h>

#include "trace_codec.h"

int tf_buf_reserve(struct tf_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

void tf_buf_release(struct tf_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int tf_buf_put(struct tf_buf *b, const void *p, size_t n)
{
	int err = tf_buf_reserve(b, n);

	if (err)
		return err;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int tf_buf_put_u32(struct tf_buf *b, uint32_t v)
{
	uint8_t le[4];

	tf_store32(le, v);
	return tf_buf_put(b, le, sizeof(le));
}

int tf_buf_put_u64(struct tf_buf *b, uint64_t v)
{
	uint8_t le[8];

	tf_store64(le, v);
	return tf_buf_put(b, le, sizeof(le));
}

int tf_buf_put_string(struct tf_buf *b, const char *s, size_t len)
{
	static const uint8_t nul;
	int err;

	if (len >= UINT32_MAX)
		return -E2BIG;
	if ((err = tf_buf_put_u32(b, (uint32_t)len + 1)) ||
	    (err = tf_buf_put(b, s, len)))
		return err;
	return tf_buf_put(b, &nul, 1);
}

/* The next N bytes of C, consumed; NULL when fewer are left. */
static const uint8_t *take(struct tf_cursor *c, size_t n)
{
	const uint8_t *p = c->p;

	if (c->left < n)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

int tf_get_u32(struct tf_cursor *c, uint32_t *v)
{
	const uint8_t *p = take(c, 4);

	if (!p)
		return -EBADMSG;
	*v = tf_load32(p);
	return 0;
}

int tf_get_u64(struct tf_cursor *c, uint64_t *v)
{
	const uint8_t *p = take(c, 8);

	if (!p)
		return -EBADMSG;
	*v = tf_load64(p);
	return 0;
}

int tf_get_string(struct tf_cursor *c, const char **s, size_t *n, size_t max)
{
	uint32_t len;

	if (tf_get_u32(c, &len) || len == 0 || len > max || len > c->left ||
	    c->p[len - 1] != '\0')
		return -EBADMSG;
	*s = (const char *)take(c, len);
	*n = len;
	return 0;
}

void tf_history_init(struct tf_history *h)
{
	memset(h, 0, sizeof(*h));
	h->gen = 1;
}

void tf_history_release(struct tf_history *h)
{
	for (size_t i = 0; i < TF_HISTORY_SLOTS; i++)
		free(h->slots[i].words);
	tf_history_init(h);
}

void tf_history_reset(struct tf_history *h)
{
	h->used = 0;
	if (++h->gen == 0) {	/* wrapped: slot gens could collide */
		for (size_t i = 0; i < TF_HISTORY_SLOTS; i++)
			h->slots[i].gen = 0;
		h->gen = 1;
	}
}

struct tf_slot *tf_history_slot(struct tf_history *h, uint16_t type,
				uint32_t nwords, int *err)
{
	uint32_t i = type & (TF_HISTORY_SLOTS - 1);
	struct tf_slot *s;

	for (;;) {
		s = &h->slots[i];
		if (s->gen != h->gen) {		/* free in this chunk: claim it */
			if (h->used >= TF_MAX_TYPES) {
				*err = -ENOSPC;
				return NULL;
			}
			h->used++;
			s->gen = h->gen;
			s->type = type;
			s->nwords = 0;
			break;
		}
		if (s->type == type)
			break;
		i = (i + 1) & (TF_HISTORY_SLOTS - 1);
	}
	if (s->cap < nwords) {
		uint32_t cap = nwords < 16 ? 16 : nwords;
		uint64_t *w = realloc(s->words, cap * sizeof(*w));

		if (!w) {
			*err = -ENOMEM;
			return NULL;
		}
		s->words = w;
		s->cap = cap;
	}
	return s;
}
