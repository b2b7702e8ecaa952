/*
 * pbuf - the byte buffer and protocol-buffers writer of pbuf.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pbuf.h"

#define WIRE_FIXED64 1
#define WIRE_LEN 2

uint8_t *pbuf_grow(struct pbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	uint8_t *p;

	if (b->err)
		return NULL;
	if (b->len + n <= b->cap)
		return b->data + b->len;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->err = -ENOMEM;
		return NULL;
	}
	b->data = p;
	b->cap = cap;
	return b->data + b->len;
}

void pbuf_put(struct pbuf *b, const void *data, size_t n)
{
	uint8_t *p = pbuf_room(b, n);

	if (!p)
		return;
	memcpy(p, data, n);
	b->len += n;
}

void pbuf_decimal(struct pbuf *b, uint64_t v, int neg)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	/* the digits end at tmp + 24; 24 bytes from the first are copied
	 * whatever the length (a fixed size is faster), which stays in tmp */
	char tmp[48], *e = tmp + 24, *s = e;
	uint8_t *p;

	while (v >= 10000) {
		unsigned q = (unsigned)(v % 10000);

		v /= 10000;
		s -= 4;
		memcpy(s, pairs + 2 * (q / 100), 2);
		memcpy(s + 2, pairs + 2 * (q % 100), 2);
	}
	if (v >= 100) {
		s -= 2;
		memcpy(s, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		s -= 2;
		memcpy(s, pairs + 2 * v, 2);
	} else {
		*--s = (char)('0' + v);
	}
	if (neg)
		*--s = '-';
	if (!(p = pbuf_room(b, 24)))
		return;
	memcpy(p, s, 24);
	b->len += (size_t)(e - s);
}

int pbuf_flush(struct pbuf *b, FILE *out)
{
	if (!b->err && b->len && fwrite(b->data, 1, b->len, out) != b->len)
		b->err = errno ? -errno : -EIO;
	b->len = 0;
	return b->err;
}

static inline void put_tag(struct pbuf *b, uint32_t field, unsigned wire)
{
	pbuf_varint(b, (uint64_t)field << 3 | wire);
}

void pbuf_sint_field(struct pbuf *b, uint32_t field, int64_t v)
{
	pbuf_varint_field(b, field, (uint64_t)v);
}

void pbuf_fixed64_field(struct pbuf *b, uint32_t field, uint64_t v)
{
	uint8_t *p;

	put_tag(b, field, WIRE_FIXED64);
	p = pbuf_room(b, 8);
	if (!p)
		return;
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	b->len += 8;
}

void pbuf_bytes_field(struct pbuf *b, uint32_t field, const void *data, size_t n)
{
	put_tag(b, field, WIRE_LEN);
	pbuf_varint(b, n);
	pbuf_put(b, data, n);
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
	if (pbuf_room(b, 1))
		b->len++;
	return mark;
}

void pbuf_end_long(struct pbuf *b, size_t mark)
{
	uint64_t n, v;
	size_t k = 1;
	uint8_t *p;

	if (b->err)
		return;
	n = b->len - mark - 1;
	for (v = n; v > 0x7f; v >>= 7)
		k++;
	if (k > 1) {    /* the message moves down behind a longer length */
		if (!pbuf_room(b, k - 1))
			return;
		memmove(b->data + mark + k, b->data + mark + 1, n);
		b->len += k - 1;
	}
	p = b->data + mark;
	for (v = n; v > 0x7f; v >>= 7)
		*p++ = (uint8_t)(v | 0x80);
	*p = (uint8_t)v;
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
