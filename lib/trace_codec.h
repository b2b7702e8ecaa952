/*
 * trace_codec - byte-level helpers shared by the trace-file writer
 * (lib/trace_file.c) and reader (lib/trace_reader*.c).  Internal to lib/.
 *
 * It holds the format constants of docs/trace-format.md, little-endian
 * put/get helpers over a growable output buffer and a bounds-checked input
 * cursor, LEB128 varints with zigzag signs, and the per-type history of
 * previous records that the event encoding deltas against.  Nothing here
 * does I/O.  Every get_* function checks the bytes left and returns
 * -EBADMSG instead of reading past the end.
 */
#ifndef IPCTRACE_TRACE_CODEC_H
#define IPCTRACE_TRACE_CODEC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- format constants (docs/trace-format.md) ---- */
#define TF_MAGIC		"IPCTRACE"	/* 8 bytes, no NUL */
#define TF_HEADER_SIZE		24u
#define TF_HEADER_SIZE_MAX	4096u		/* a larger header is corrupt */
#define TF_FEATURE_ZLIB		1ull		/* writer compresses chunks */
#define TF_FEATURES_KNOWN	TF_FEATURE_ZLIB

#define TF_CHUNK_MAGIC		"CHNK"		/* 4 bytes */
#define TF_CHUNK_HEADER_SIZE	24u
#define TF_CHUNK_CRC_OFFSET	20u		/* CRC covers bytes [0,20) + stored */
#define TF_CHUNK_ZLIB		1u		/* chunk flag: stored bytes are zlib */
#define TF_CHUNK_FLAGS_KNOWN	TF_CHUNK_ZLIB

enum tf_chunk_type {
	TF_CHUNK_META = 1,
	TF_CHUNK_EVENTS = 2,
	TF_CHUNK_PROCESSES = 3,
	TF_CHUNK_STATS = 4,
	TF_CHUNK_END = 5,
};

#define TF_MAX_RAW		(64u << 20)	/* raw bytes of one chunk */
#define TF_MAX_ZLIB_RATIO	1040u		/* deflate never beats ~1032:1 */
#define TF_MAX_RECORD		65528u		/* largest u16 multiple of 8 */
#define TF_MIN_RECORD		24u		/* sizeof(struct ipct_event_header) */
#define TF_MIN_ENCODED_RECORD	5u		/* type, words, 3 one-byte deltas */
#define TF_MAX_TYPES		256u		/* distinct record types per chunk */
#define TF_MAX_ARGC		4096
#define TF_MAX_ARG_LEN		(128u << 10)	/* MAX_ARG_STRLEN, with the NUL */
#define TF_MAX_LOST_SLOTS	4096u
#define TF_PROCESS_RECORD_SIZE	48u
#define TF_PROCESS_RECORD_MAX	4096u
#define TF_VARINT_MAX		10u		/* bytes of a 64-bit LEB128 */

/* ---- little-endian load/store ---- */
static inline uint16_t tf_load16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t tf_load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t tf_load64(const uint8_t *p)
{
	return (uint64_t)tf_load32(p) | (uint64_t)tf_load32(p + 4) << 32;
}

static inline void tf_store16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void tf_store32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The 24-byte chunk header, as the writer writes it and the reader checks it. */
static inline void tf_chunk_header(uint8_t *hdr, uint16_t type, uint16_t flags, uint32_t stored,
				   uint32_t raw, uint32_t count, uint32_t crc)
{
	memcpy(hdr, TF_CHUNK_MAGIC, 4);
	tf_store16(hdr + 4, type);
	tf_store16(hdr + 6, flags);
	tf_store32(hdr + 8, stored);
	tf_store32(hdr + 12, raw);
	tf_store32(hdr + 16, count);
	tf_store32(hdr + TF_CHUNK_CRC_OFFSET, crc);
}

static inline void tf_store64(uint8_t *p, uint64_t v)
{
	tf_store32(p, (uint32_t)v);
	tf_store32(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t tf_zigzag(uint64_t delta)
{
	return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
}

static inline uint64_t tf_unzigzag(uint64_t v)
{
	return (v >> 1) ^ (uint64_t)-(int64_t)(v & 1);
}

/* Write V as LEB128 at P (room for TF_VARINT_MAX bytes); return bytes. */
static inline size_t tf_put_varint_raw(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* ---- growable output buffer (writer side) ---- */
struct tf_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

/* Make room for N more bytes: 0 or -ENOMEM. */
int tf_buf_reserve(struct tf_buf *b, size_t n);
void tf_buf_release(struct tf_buf *b);
int tf_buf_put(struct tf_buf *b, const void *p, size_t n);
int tf_buf_put_u32(struct tf_buf *b, uint32_t v);
int tf_buf_put_u64(struct tf_buf *b, uint64_t v);
/* A string: u32 length N including the NUL, then N bytes ending in NUL. */
int tf_buf_put_string(struct tf_buf *b, const char *s, size_t len);

/* ---- bounds-checked input cursor (reader side) ---- */
struct tf_cursor {
	const uint8_t *p;
	size_t left;
};

int tf_get_u32(struct tf_cursor *c, uint32_t *v);
int tf_get_u64(struct tf_cursor *c, uint64_t *v);
/* LEB128 of at most 10 bytes whose value fits 64 bits (inline: the
 * reader decodes one per word of every record). */
static inline int tf_get_varint(struct tf_cursor *c, uint64_t *v)
{
	size_t n = c->left < TF_VARINT_MAX ? c->left : TF_VARINT_MAX;
	uint64_t value = 0;

	if (n && !(c->p[0] & 0x80)) {   /* one byte: most of the deltas */
		*v = c->p[0];
		c->p++;
		c->left--;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t byte = c->p[i];

		value |= (uint64_t)(byte & 0x7f) << (7 * i);
		if (!(byte & 0x80)) {
			/* The tenth byte may only carry the top bit of a u64. */
			if (i == TF_VARINT_MAX - 1 && byte > 1)
				return -EBADMSG;
			c->p += i + 1;
			c->left -= i + 1;
			*v = value;
			return 0;
		}
	}
	return -EBADMSG;
}
/* A string as tf_buf_put_string wrote it, 1 <= N <= MAX; *s points into
 * the cursor's buffer and is NUL-terminated in bounds. */
int tf_get_string(struct tf_cursor *c, const char **s, size_t *n, size_t max);

/* ---- per-type history of previous records (the delta base) ---- */
struct tf_slot {
	uint32_t gen;        /* in use when == history gen */
	uint16_t type;
	uint16_t nwords;     /* words of the previous record; beyond: 0 */
	uint32_t cap;        /* capacity of words[] */
	uint64_t *words;
};

#define TF_HISTORY_SLOTS 512u  /* open addressing, at most TF_MAX_TYPES used */

struct tf_history {
	uint32_t gen;
	uint32_t used;
	struct tf_slot slots[TF_HISTORY_SLOTS];
};

void tf_history_init(struct tf_history *h);
void tf_history_release(struct tf_history *h);
/* Forget every previous record (start of a chunk). */
void tf_history_reset(struct tf_history *h);
/* The slot of TYPE with room for NWORDS words, creating it when new in this
 * chunk.  NULL with *err = -ENOSPC when the chunk already has TF_MAX_TYPES
 * types, or -ENOMEM. */
struct tf_slot *tf_history_slot(struct tf_history *h, uint16_t type,
				uint32_t nwords, int *err);

/* ---- record sizes (lib/trace_event.c) ---- */
/* The smallest size a record of TYPE was ever written with: below
 * trace_event_min_size(TYPE) when the type's struct grew since.  The reader
 * widens such records to the minimum size, the added fields zero. */
size_t tf_event_oldest_size(unsigned int type);
#define TF_WIDEN_MAX 512u	/* room for the widest widened record */

/* ---- error details for trace_file_strerror() ---- */
enum tf_error_detail {
	TF_DETAIL_NONE,
	TF_DETAIL_MAGIC,	/* not a trace file */
	TF_DETAIL_HEADER,	/* file header damaged */
	TF_DETAIL_META,		/* first chunk is not a whole META chunk */
	TF_DETAIL_VERSION,	/* value: the file's version */
	TF_DETAIL_FEATURES,	/* value: the file's feature flags */
	TF_DETAIL_EVENTS,	/* an EVENTS chunk failed to decode */
	TF_DETAIL_NOT_REGULAR,	/* value: the S_IFMT bits of what was opened */
	TF_DETAIL_RECORD,	/* value: type | size << 16 of a record too short
				   for its type or its payload_len */
};

/* Remember why the reader returned ERR (per thread), so that
 * trace_file_strerror(ERR) can say more than the errno. */
void tf_set_error_detail(int err, enum tf_error_detail detail, uint64_t value);
/* "a FIFO", "a character device"... for the S_IFMT bits MODE. */
const char *tf_file_type_name(unsigned int mode);

#endif /* IPCTRACE_TRACE_CODEC_H */
