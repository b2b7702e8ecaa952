/*
 * pbuf - a small protocol-buffers writer: varints, fixed64, strings and
 * nested messages into a growing buffer.  Enough to write Perfetto's
 * TracePacket stream (perfetto_pb.c) without a protobuf library.
 *
 * A nested message is opened with pbuf_begin(), which reserves room for
 * its length, and closed with pbuf_end(), which writes the length back
 * (always in 5 varint bytes, padded: valid protobuf, one fewer pass).
 * Errors are sticky: after an allocation failure every call is a no-op
 * and pbuf_error() is -ENOMEM.
 */
#ifndef IPCTRACE_VIZ_PBUF_H
#define IPCTRACE_VIZ_PBUF_H

#include <stddef.h>
#include <stdint.h>

struct pbuf {
	uint8_t *data;
	size_t len, cap;
	int err;
};

void pbuf_varint_field(struct pbuf *b, uint32_t field, uint64_t v);
void pbuf_sint_field(struct pbuf *b, uint32_t field, int64_t v);   /* int64: two's complement */
void pbuf_fixed64_field(struct pbuf *b, uint32_t field, uint64_t v);
void pbuf_bytes_field(struct pbuf *b, uint32_t field, const void *p, size_t n);
void pbuf_string_field(struct pbuf *b, uint32_t field, const char *s);
/* Open a nested message FIELD; returns the mark pbuf_end() takes. */
size_t pbuf_begin(struct pbuf *b, uint32_t field);
void pbuf_end(struct pbuf *b, size_t mark);
void pbuf_reset(struct pbuf *b);
void pbuf_release(struct pbuf *b);
int pbuf_error(const struct pbuf *b);

#endif
