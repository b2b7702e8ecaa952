/*
 * pbuf - the byte buffer and protocol-buffers writer of pbuf.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pbuf.h"

#define WIRE_VARINT 0
#define WIRE_FIXED64 1
#define WIRE_LEN 2
#define LEN_BYTES 5     /* room kept for a nested message's length */

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

static inline void put_varint(struct pbuf *b, uint64_t v)
{
	uint8_t *p = pbuf_room(b, 10);
	size_t n = 0;

	if (!p)
		return;
	while (v > 0x7f) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	b->len += n;
}

static inline void put_tag(struct pbuf *b, uint32_t field, unsigned wire)
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
	put_varint(b, n);
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
	if (pbuf_room(b, LEN_BYTES))
		b->len += LEN_BYTES;
	return mark;
}

void pbuf_end(struct pbuf *b, size_t mark)
{
	uint64_t n;
	uint8_t *p;
	size_t k = 0;

	if (b->err)
		return;
	n = b->len - mark - LEN_BYTES;
	p = b->data + mark;
	/* the length's varint, then the message moved up behind it */
	for (uint64_t v = n; ; v >>= 7) {
		p[k] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		k++;
		if (v <= 0x7f)
			break;
	}
	if (k < LEN_BYTES) {
		memmove(p + k, p + LEN_BYTES, n);
		b->len -= LEN_BYTES - k;
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
