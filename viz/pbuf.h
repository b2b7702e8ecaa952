/*
 * pbuf - a growing byte buffer, and a small protocol-buffers writer on
 * it: varints, fixed64, strings and nested messages.  Enough to write
 * Perfetto's TracePacket stream (perfetto_pb.c) without a protobuf
 * library; the text exports (export.c) format their rows into it too.
 *
 * A nested message is opened with pbuf_begin(), which reserves one byte
 * for its length, and closed with pbuf_end(), which writes the length
 * back (a message of 128 bytes or more is moved down to make room for
 * the longer varint).
 * Errors are sticky: after an allocation or write failure every call is a
 * no-op and pbuf_error() is -errno.
 */
#ifndef IPCTRACE_VIZ_PBUF_H
#define IPCTRACE_VIZ_PBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pbuf {
	uint8_t *data;
	size_t len, cap;
	int err;
};

/* The slow path of pbuf_room(): grow B.  NULL after a failure. */
uint8_t *pbuf_grow(struct pbuf *b, size_t n);

/* Room for N more bytes at B's end (to fill, then add to b->len), or
 * NULL after a failure. */
static inline uint8_t *pbuf_room(struct pbuf *b, size_t n)
{
	return !b->err && b->len + n <= b->cap ? b->data + b->len : pbuf_grow(b, n);
}

void pbuf_put(struct pbuf *b, const void *p, size_t n);
/* V in decimal text; a minus sign first when NEG. */
void pbuf_decimal(struct pbuf *b, uint64_t v, int neg);
/* Write what B holds to OUT and empty it (B's error on failure). */
int pbuf_flush(struct pbuf *b, FILE *out);

/* Writes at a cursor P into room taken with pbuf_room(), unchecked (no
 * reload of B's fields between bytes); each returns the cursor after
 * what it wrote, and pbuf_commit() ends the run. */
static inline uint8_t *pbuf_put_varint(uint8_t *p, uint64_t v)
{
	while (v > 0x7f) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* A varint field (wire type 0); at most 20 bytes. */
static inline uint8_t *pbuf_put_field(uint8_t *p, uint32_t field, uint64_t v)
{
	return pbuf_put_varint(pbuf_put_varint(p, (uint64_t)field << 3), v);
}

/* Open nested message FIELD at *P (at most 6 bytes): the mark pbuf_end()
 * takes. */
static inline size_t pbuf_put_nested(const struct pbuf *b, uint8_t **p, uint32_t field)
{
	size_t mark;

	*p = pbuf_put_varint(*p, (uint64_t)field << 3 | 2);
	mark = (size_t)(*p - b->data);
	*(*p)++ = 0;
	return mark;
}

static inline void pbuf_commit(struct pbuf *b, uint8_t *p)
{
	b->len = (size_t)(p - b->data);
}

static inline void pbuf_varint(struct pbuf *b, uint64_t v)
{
	uint8_t *p = pbuf_room(b, 10);

	if (p)
		pbuf_commit(b, pbuf_put_varint(p, v));
}

static inline void pbuf_varint_field(struct pbuf *b, uint32_t field, uint64_t v)
{
	uint8_t *p = pbuf_room(b, 20);

	if (p)
		pbuf_commit(b, pbuf_put_field(p, field, v));
}

void pbuf_sint_field(struct pbuf *b, uint32_t field, int64_t v);   /* int64: two's complement */
void pbuf_fixed64_field(struct pbuf *b, uint32_t field, uint64_t v);
void pbuf_bytes_field(struct pbuf *b, uint32_t field, const void *p, size_t n);
void pbuf_string_field(struct pbuf *b, uint32_t field, const char *s);
/* Open a nested message FIELD; returns the mark pbuf_end() takes. */
size_t pbuf_begin(struct pbuf *b, uint32_t field);
/* The slow path of pbuf_end(): a message of 128 bytes or more. */
void pbuf_end_long(struct pbuf *b, size_t mark);

static inline void pbuf_end(struct pbuf *b, size_t mark)
{
	size_t n = b->len - mark - 1;

	if (n < 0x80 && !b->err)
		b->data[mark] = (uint8_t)n;
	else
		pbuf_end_long(b, mark);
}

void pbuf_reset(struct pbuf *b);
void pbuf_release(struct pbuf *b);
int pbuf_error(const struct pbuf *b);

#endif
