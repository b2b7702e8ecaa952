/*
 * trace_reader_private.h - the reader's state and the helpers its parts
 * share: trace_reader.c (open, the chunk scan, accessors),
 * trace_reader_chunks.c (read, check, inflate and decode one chunk) and
 * trace_reader_events.c (the event stream).  Only lib/trace_reader*.c
 * include it.
 */
#ifndef IPCTRACE_TRACE_READER_PRIVATE_H
#define IPCTRACE_TRACE_READER_PRIVATE_H

#include "trace_codec.h"
#include "trace_file.h"

struct chunk_ref {
	uint64_t offset;      /* of the chunk header */
	uint32_t stored_len;
	uint32_t raw_len;
	uint32_t count;
	uint16_t flags;
};

struct trace_reader {
	int fd;                       /* -1 when reading from memory */
	uint8_t *mem;                 /* the copy of the data, memory mode */
	uint64_t size;
	uint64_t features;            /* of the file header */

	struct trace_meta meta;
	char **argv_storage;          /* meta.argv, NULL-terminated */
	struct trace_process *procs;
	size_t nprocs;
	struct trace_stats stats;
	bool has_stats;
	bool truncated;

	struct chunk_ref *chunks;     /* the EVENTS chunks, in file order */
	size_t nchunks, chunks_cap;

	/* event stream state */
	size_t next_chunk;            /* index of the chunk to load next */
	struct tf_buf io;             /* stored bytes read from the file */
	struct tf_buf raw;            /* the inflated current chunk */
	struct tf_cursor cur;         /* position in raw */
	uint32_t left;                /* records left in the current chunk */
	struct tf_history hist;
	uint64_t wide[TF_WIDEN_MAX / 8];	/* an older, shorter record widened */
};

_Static_assert(sizeof(struct ipct_io_event) + IPCT_PAYLOAD_MAX <= TF_WIDEN_MAX, "TF_WIDEN_MAX too small");

/* Record ERR's detail for tf_error_detail() and return ERR. */
static inline int tf_reader_fail(int err, enum tf_error_detail detail, uint64_t value)
{
	tf_set_error_detail(err, detail, value);
	return err;
}

/* Point *P at LEN bytes of the file at OFF (memory: in place; file: read
 * into r->io).  0, -EBADMSG past the end, or -errno. */
int tf_reader_source_get(struct trace_reader *r, uint64_t off, size_t len,
			 const uint8_t **p);
/* Read chunk C's stored bytes into *STORED and check its CRC against HDR. */
int tf_reader_chunk_read_checked(struct trace_reader *r, const struct chunk_ref *c,
				 const uint8_t *hdr, const uint8_t **stored);
/* Read and check chunk C, leaving its payload in r->raw. */
int tf_reader_chunk_load(struct trace_reader *r, const struct chunk_ref *c,
			 const uint8_t *hdr);
/* Decode a META, PROCESSES or STATS payload into R: 0, -EBADMSG or -ENOMEM. */
int tf_reader_parse_meta(struct trace_reader *r, struct tf_cursor c);
int tf_reader_parse_processes(struct trace_reader *r, struct tf_cursor c, uint32_t count);
int tf_reader_parse_stats(struct trace_reader *r, struct tf_cursor c);

#endif /* IPCTRACE_TRACE_READER_PRIVATE_H */
