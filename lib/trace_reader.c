/*
 * trace_reader - the trace-file reader (the writer is lib/trace_file.c; the
 * bytes are in docs/trace-format.md).
 *
 * trace_reader_open() checks the file header, then walks the chunk headers
 * from the start, verifying each chunk's CRC (which covers its header and
 * stored bytes) and remembering where the EVENTS chunks are.  The META,
 * PROCESSES and STATS chunks are decoded during this walk; EVENTS chunks are
 * only located.  The first chunk that is cut short or fails its check ends
 * the usable part of the file, and the reader reports it as truncated.
 * trace_reader_next() then reads and inflates one EVENTS chunk at a time, so
 * memory stays bounded by the largest chunk however long the trace is.
 *
 * Every length read from the file is checked against the bytes that remain
 * and against the limits of trace_codec.h before it is used, and every
 * record against its type's minimum size (trace_event_check()), so no
 * consumer sees a record shorter than its struct.  The reader is fuzzed
 * (fuzz/fuzz_trace_reader.c).
 *
 * This file opens and scans; trace_reader_chunks.c reads, checks and
 * decodes one chunk; trace_reader_events.c is the event stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_reader_private.h"

/* Check the file header: 0 and *OFF at the first chunk, or -errno. */
static int read_file_header(struct trace_reader *r, uint64_t *off)
{
	const uint8_t *h;
	uint32_t version, hsize;
	uint64_t features;

	if (r->size < 8 || tf_reader_source_get(r, 0, 8, &h) || memcmp(h, TF_MAGIC, 8))
		return tf_reader_fail(-EBADMSG, TF_DETAIL_MAGIC, 0);
	if (r->size < TF_HEADER_SIZE || tf_reader_source_get(r, 0, TF_HEADER_SIZE, &h))
		return tf_reader_fail(-EBADMSG, TF_DETAIL_HEADER, 0);
	version = tf_load32(h + 8);
	hsize = tf_load32(h + 12);
	features = tf_load64(h + 16);
	if (version > TRACE_FILE_VERSION)
		return tf_reader_fail(-EPROTONOSUPPORT, TF_DETAIL_VERSION, version);
	if (version == 0 || hsize < TF_HEADER_SIZE || hsize > TF_HEADER_SIZE_MAX ||
	    hsize > r->size)
		return tf_reader_fail(-EBADMSG, TF_DETAIL_HEADER, 0);
	if (features & ~TF_FEATURES_KNOWN)
		return tf_reader_fail(-EPROTONOSUPPORT, TF_DETAIL_FEATURES, features);
	r->features = features;
	*off = hsize;
	return 0;
}

/* Decode a small chunk met during the scan.  0, or -EBADMSG/-ENOMEM. */
static int scan_chunk(struct trace_reader *r, const struct chunk_ref *c,
		      uint16_t type, const uint8_t *hdr)
{
	const uint8_t *stored;
	struct tf_cursor cur;
	int err;

	if (type == TF_CHUNK_EVENTS) {
		if (r->nchunks == r->chunks_cap) {
			size_t cap = r->chunks_cap ? 2 * r->chunks_cap : 64;
			struct chunk_ref *p = realloc(r->chunks, cap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			r->chunks = p;
			r->chunks_cap = cap;
		}
		/* Verify the CRC now; inflate only when the events are read. */
		if ((err = tf_reader_chunk_read_checked(r, c, hdr, &stored)))
			return err;
		r->chunks[r->nchunks++] = *c;
		return 0;
	}
	if (type != TF_CHUNK_META && type != TF_CHUNK_PROCESSES &&
	    type != TF_CHUNK_STATS && type != TF_CHUNK_END)
		return tf_reader_chunk_read_checked(r, c, hdr, &stored);	/* unknown: skip */
	if ((err = tf_reader_chunk_load(r, c, hdr)))
		return err;
	cur.p = r->raw.data;
	cur.left = r->raw.len;
	switch (type) {
	case TF_CHUNK_META:
		return r->argv_storage ? 0 : tf_reader_parse_meta(r, cur);	/* first wins */
	case TF_CHUNK_PROCESSES:
		return tf_reader_parse_processes(r, cur, c->count);
	case TF_CHUNK_STATS:
		return tf_reader_parse_stats(r, cur);
	default:
		return 0;	/* END */
	}
}

/* Walk the chunks after the header.  0 or -errno (only for a bad META). */
static int scan(struct trace_reader *r, uint64_t off)
{
	uint64_t features = r->features;
	bool first = true, ended = false;

	while (!ended) {
		uint8_t hdr[TF_CHUNK_HEADER_SIZE];
		const uint8_t *h;
		struct chunk_ref c;
		uint16_t type;
		int err = -EBADMSG;

		if (r->size - off < TF_CHUNK_HEADER_SIZE ||
		    tf_reader_source_get(r, off, TF_CHUNK_HEADER_SIZE, &h))
			goto cut;
		memcpy(hdr, h, sizeof(hdr));	/* r->io is reused below */
		c.offset = off;
		type = tf_load16(hdr + 4);
		c.flags = tf_load16(hdr + 6);
		c.stored_len = tf_load32(hdr + 8);
		c.raw_len = tf_load32(hdr + 12);
		c.count = tf_load32(hdr + 16);
		if (memcmp(hdr, TF_CHUNK_MAGIC, 4) ||
		    c.stored_len > r->size - off - TF_CHUNK_HEADER_SIZE ||
		    (c.flags & ~TF_CHUNK_FLAGS_KNOWN) ||
		    ((c.flags & TF_CHUNK_ZLIB) && !(features & TF_FEATURE_ZLIB)) ||
		    c.raw_len > TF_MAX_RAW)
			goto cut;
		if (c.flags & TF_CHUNK_ZLIB) {
			if ((uint64_t)c.raw_len > (uint64_t)c.stored_len * TF_MAX_ZLIB_RATIO + 64)
				goto cut;
		} else if (c.raw_len != c.stored_len) {
			goto cut;
		}
		if (type == TF_CHUNK_EVENTS &&
		    (c.count == 0 || c.count > c.raw_len / TF_MIN_ENCODED_RECORD))
			goto cut;
		if (first && type != TF_CHUNK_META)
			goto cut;
		err = scan_chunk(r, &c, type, hdr);
		if (err)
			goto cut;
		first = false;
		ended = type == TF_CHUNK_END;
		off += TF_CHUNK_HEADER_SIZE + c.stored_len;
		continue;
cut:
		if (err != -EBADMSG)
			return err;	/* out of memory or an I/O error, not a bad file */
		if (first)
			return tf_reader_fail(-EBADMSG, TF_DETAIL_META, 0);
		r->truncated = true;
		break;
	}
	return 0;
}

static int reader_init(struct trace_reader *r)
{
	uint64_t off;
	int err;

	tf_history_init(&r->hist);
	tf_set_error_detail(0, TF_DETAIL_NONE, 0);
	if ((err = read_file_header(r, &off)))
		return err;
	return scan(r, off);
}

const char *tf_file_type_name(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "a special file";
	}
}

/* Open PATH read-only without ever blocking: O_NONBLOCK keeps open() from
 * waiting for a FIFO's writer or a device, and only a regular file is kept
 * (then in blocking mode).  0 with *FD and *SIZE set, or -errno. */
static int open_regular(const char *path, int *fd, uint64_t *size)
{
	struct stat st;
	int flags;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (*fd < 0 && errno == ENXIO && stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		tf_set_error_detail(-EINVAL, TF_DETAIL_NOT_REGULAR, S_IFSOCK);
		return -EINVAL;		/* a unix socket cannot be opened */
	}
	if (*fd < 0)
		return -errno;
	if (fstat(*fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode)) {
		tf_set_error_detail(-EINVAL, TF_DETAIL_NOT_REGULAR, st.st_mode & S_IFMT);
		return -EINVAL;
	}
	flags = fcntl(*fd, F_GETFL);
	if (flags < 0 || fcntl(*fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return -errno;
	*size = (uint64_t)st.st_size;
	return 0;
}

int trace_reader_open(struct trace_reader **out, const char *path)
{
	struct trace_reader *r;
	int err;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	tf_set_error_detail(0, TF_DETAIL_NONE, 0);
	if ((err = open_regular(path, &r->fd, &r->size)))
		goto fail;
	if ((err = reader_init(r)))
		goto fail;
	*out = r;
	return 0;
fail:
	trace_reader_free(r);
	return err;
}

int trace_reader_open_memory(struct trace_reader **out, const void *data, size_t len)
{
	struct trace_reader *r;
	int err;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->mem = malloc(len ? len : 1);
	if (!r->mem) {
		free(r);
		return -ENOMEM;
	}
	if (len)
		memcpy(r->mem, data, len);
	r->size = len;
	if ((err = reader_init(r))) {
		trace_reader_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void trace_reader_free(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->mem);
	if (r->argv_storage)
		for (int i = 0; r->argv_storage[i]; i++)
			free(r->argv_storage[i]);
	free(r->argv_storage);
	free(r->meta.hosts);
	free(r->procs);
	free(r->chunks);
	tf_buf_release(&r->io);
	tf_buf_release(&r->raw);
	tf_history_release(&r->hist);
	free(r);
}

const struct trace_meta *trace_reader_meta(const struct trace_reader *r)
{
	return &r->meta;
}

const struct trace_process *trace_reader_processes(const struct trace_reader *r,
						   size_t *nprocs)
{
	*nprocs = r->nprocs;
	return r->nprocs ? r->procs : NULL;
}

const struct trace_stats *trace_reader_stats(const struct trace_reader *r)
{
	return r->has_stats ? &r->stats : NULL;
}

bool trace_reader_truncated(const struct trace_reader *r)
{
	return r->truncated;
}

uint64_t trace_reader_file_bytes(const struct trace_reader *r)
{
	return r->size;
}
