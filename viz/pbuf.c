/*
 * pbuf - the protocol-buffers writer of pbuf.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pbuf.h"

#define WIRE_VARINT 0
#define WIRE_FIXED64 1
#define WIRE_LEN 2
#define LEN_BYTES 5     /* room kept for a nested message's length */

static uint8_t *room(struct pbuf *b, size_t n)
{
	if (b->err)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->err = -ENOMEM;
			return NULL;
		}
		b->data = p;
		b->cap = cap;
	}
	return b->data + b->len;
}

static void put_varint(struct pbuf *b, uint64_t v)
{
	uint8_t *p = room(b, 10);
	size_t n = 0;

	if (!p)
		return;
	do {
		p[n++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
	b->len += n;
}

static void put_tag(struct pbuf *b, uint32_t field, unsigned wire)
{
	put_varint(b, (uint64_t)field << 3 | wire);
}

void pbuf_varint_field(struct pbuf *b, uint32_t field, uint64_t v)
{
	put_tag(b, field, WIRE_VARINT);
	put_varint(b, v);
}

void pbuf_sint_field(struct pbuf *b, uint32_t field, int64_t v)
{
	pbuf_varint_field(b, field, (uint64_t)v);
}

void pbuf_fixed64_field(struct pbuf *b, uint32_t field, uint64_t v)
{
	uint8_t *p;

	put_tag(b, field, WIRE_FIXED64);
	p = room(b, 8);
	if (!p)
		return;
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
	b->len += 8;
}

void pbuf_bytes_field(struct pbuf *b, uint32_t field, const void *data, size_t n)
{
	uint8_t *p;

	put_tag(b, field, WIRE_LEN);
	put_varint(b, n);
	p = room(b, n);
	if (!p)
		return;
	memcpy(p, data, n);
	b->len += n;
}

void pbuf_string_field(struct pbuf *b, uint32_t field, const char *s)
{
	pbuf_bytes_field(b, field, s, strlen(s));
}

size_t pbuf_begin(struct pbuf *b, uint32_t field)
{
	size_t mark;

	put_tag(b, field, WIRE_LEN);
	mark = b->len;
	if (room(b, LEN_BYTES))
		b->len += LEN_BYTES;
	return mark;
}

void pbuf_end(struct pbuf *b, size_t mark)
{
	uint64_t n;
	uint8_t *p;

	if (b->err)
		return;
	n = b->len - mark - LEN_BYTES;
	p = b->data + mark;
	/* a padded varint: four bytes with the continuation bit, then the last */
	for (int i = 0; i < LEN_BYTES; i++) {
		p[i] = (n & 0x7f) | (i < LEN_BYTES - 1 ? 0x80 : 0);
		n >>= 7;
	}
}

void pbuf_reset(struct pbuf *b)
{
	b->len = 0;
}

void pbuf_release(struct pbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int pbuf_error(const struct pbuf *b)
{
	return b->err;
}
