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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "trace_codec.h"
#include "trace_hosts.h"
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

static int fail(int err, enum tf_error_detail detail, uint64_t value)
{
	tf_set_error_detail(err, detail, value);
	return err;
}

/* Point *P at LEN bytes of the file at OFF (memory: in place; file: read
 * into r->io).  The caller has checked OFF + LEN <= r->size. */
static int source_get(struct trace_reader *r, uint64_t off, size_t len,
		      const uint8_t **p)
{
	size_t done = 0;
	int err;

	if (off > r->size || len > r->size - off)
		return -EBADMSG;
	if (r->mem) {
		*p = r->mem + off;
		return 0;
	}
	r->io.len = 0;
	if ((err = tf_buf_reserve(&r->io, len ? len : 1)))
		return err;
	while (done < len) {
		ssize_t n = pread(r->fd, r->io.data + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)		/* the file shrank under us */
			return -EBADMSG;
		done += (size_t)n;
	}
	*p = r->io.data;
	return 0;
}

/* Inflate (or copy) the stored bytes of chunk C into r->raw. */
static int chunk_payload(struct trace_reader *r, const struct chunk_ref *c,
			 const uint8_t *stored)
{
	int err;

	r->raw.len = 0;
	if ((err = tf_buf_reserve(&r->raw, c->raw_len ? c->raw_len : 1)))
		return err;
	if (c->flags & TF_CHUNK_ZLIB) {
		uLongf dest_len = c->raw_len;
		uLong src_len = c->stored_len;

		if (uncompress2(r->raw.data, &dest_len, stored, &src_len) != Z_OK ||
		    dest_len != c->raw_len || src_len != c->stored_len)
			return -EBADMSG;
	} else if (c->raw_len) {
		memcpy(r->raw.data, stored, c->raw_len);
	}
	r->raw.len = c->raw_len;
	return 0;
}

/* Read chunk C's stored bytes into *STORED and check its CRC against HDR
 * (the 24 header bytes, which the CRC also covers). */
static int chunk_read_checked(struct trace_reader *r, const struct chunk_ref *c,
			      const uint8_t *hdr, const uint8_t **stored)
{
	uint32_t crc;
	int err;

	if ((err = source_get(r, c->offset + TF_CHUNK_HEADER_SIZE, c->stored_len, stored)))
		return err;
	crc = (uint32_t)crc32(0, hdr, TF_CHUNK_CRC_OFFSET);
	crc = (uint32_t)crc32(crc, *stored, c->stored_len);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* Let the fuzzer reach the decoders behind the checksum. */
	crc = tf_load32(hdr + TF_CHUNK_CRC_OFFSET);
#endif
	return crc == tf_load32(hdr + TF_CHUNK_CRC_OFFSET) ? 0 : -EBADMSG;
}

/* Read and check chunk C, leaving its payload in r->raw. */
static int chunk_load(struct trace_reader *r, const struct chunk_ref *c,
		      const uint8_t *hdr)
{
	const uint8_t *stored;
	int err;

	if ((err = chunk_read_checked(r, c, hdr, &stored)))
		return err;
	return chunk_payload(r, c, stored);
}

/* Build the 24 chunk-header bytes of C back (the CRC covers them). */
static void chunk_header_bytes(const struct chunk_ref *c, uint16_t type,
			       uint32_t crc, uint8_t *hdr)
{
	tf_chunk_header(hdr, type, c->flags, c->stored_len, c->raw_len, c->count, crc);
}

static int parse_meta(struct trace_reader *r, struct tf_cursor c)
{
	struct trace_meta *m = &r->meta;
	const char *s;
	uint32_t argc;
	size_t n;

	if (tf_get_u64(&c, &m->start_realtime_ns) ||
	    tf_get_u64(&c, &m->start_monotonic_ns) ||
	    tf_get_u32(&c, &m->root_pid) || tf_get_u32(&c, &m->flags))
		return -EBADMSG;
	if (tf_get_string(&c, &s, &n, sizeof(m->host)))
		return -EBADMSG;
	memcpy(m->host, s, n);
	if (tf_get_string(&c, &s, &n, sizeof(m->kernel)))
		return -EBADMSG;
	memcpy(m->kernel, s, n);
	if (tf_get_u32(&c, &argc) || argc > TF_MAX_ARGC)
		return -EBADMSG;
	r->argv_storage = calloc(argc + 1, sizeof(char *));
	if (!r->argv_storage)
		return -ENOMEM;
	m->argv = r->argv_storage;
	for (uint32_t i = 0; i < argc; i++) {
		if (tf_get_string(&c, &s, &n, TF_MAX_ARG_LEN))
			return -EBADMSG;
		r->argv_storage[i] = malloc(n);
		if (!r->argv_storage[i])
			return -ENOMEM;
		memcpy(r->argv_storage[i], s, n);
		m->argc = (int)i + 1;
	}
	/* A merged trace's host table; bytes beyond it are later fields. */
	return tf_parse_hosts(&c, &m->hosts, &m->nhosts);
}

static int parse_processes(struct trace_reader *r, struct tf_cursor c, uint32_t count)
{
	uint32_t n, recsize;

	if (tf_get_u32(&c, &n) || tf_get_u32(&c, &recsize) || n != count ||
	    recsize < TF_PROCESS_RECORD_SIZE || recsize > TF_PROCESS_RECORD_MAX ||
	    (uint64_t)n * recsize > c.left)
		return -EBADMSG;
	free(r->procs);
	r->nprocs = 0;
	r->procs = calloc(n ? n : 1, sizeof(*r->procs));
	if (!r->procs)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = c.p + (size_t)i * recsize;
		struct trace_process *t = &r->procs[i];

		t->pid = tf_load32(p);
		t->ppid = tf_load32(p + 4);
		memcpy(t->comm, p + 8, IPCT_COMM_LEN);
		t->comm[IPCT_COMM_LEN - 1] = '\0';
		t->start_ns = tf_load64(p + 24);
		t->end_ns = tf_load64(p + 32);
		t->exit_status = (int32_t)tf_load32(p + 40);
		t->flags = tf_load32(p + 44);
	}
	r->nprocs = n;
	return 0;
}

static int parse_stats(struct trace_reader *r, struct tf_cursor c)
{
	struct trace_stats s = { 0 };
	uint32_t exit_status, nlost;

	if (tf_get_u64(&c, &s.events) || tf_get_u64(&c, &s.end_monotonic_ns) ||
	    tf_get_u32(&c, &exit_status) || tf_get_u32(&c, &s.flags) ||
	    tf_get_u32(&c, &nlost) || nlost > TF_MAX_LOST_SLOTS ||
	    (uint64_t)nlost * 8 > c.left)
		return -EBADMSG;
	s.exit_status = (int32_t)exit_status;
	/* Slots for kinds this reader does not know are skipped. */
	for (uint32_t i = 0; i < nlost && i < IPCT_KIND_MAX; i++)
		s.lost[i] = tf_load64(c.p + 8 * i);
	c.p += 8 * (size_t)nlost;
	c.left -= 8 * (size_t)nlost;
	/* Older files end the statistics here: unrecorded reads as 0. */
	if (c.left >= 8)
		tf_get_u64(&c, &s.unrecorded);
	r->stats = s;
	r->has_stats = true;
	return 0;
}

/* Check the file header: 0 and *OFF at the first chunk, or -errno. */
static int read_file_header(struct trace_reader *r, uint64_t *off)
{
	const uint8_t *h;
	uint32_t version, hsize;
	uint64_t features;

	if (r->size < 8 || source_get(r, 0, 8, &h) || memcmp(h, TF_MAGIC, 8))
		return fail(-EBADMSG, TF_DETAIL_MAGIC, 0);
	if (r->size < TF_HEADER_SIZE || source_get(r, 0, TF_HEADER_SIZE, &h))
		return fail(-EBADMSG, TF_DETAIL_HEADER, 0);
	version = tf_load32(h + 8);
	hsize = tf_load32(h + 12);
	features = tf_load64(h + 16);
	if (version > TRACE_FILE_VERSION)
		return fail(-EPROTONOSUPPORT, TF_DETAIL_VERSION, version);
	if (version == 0 || hsize < TF_HEADER_SIZE || hsize > TF_HEADER_SIZE_MAX ||
	    hsize > r->size)
		return fail(-EBADMSG, TF_DETAIL_HEADER, 0);
	if (features & ~TF_FEATURES_KNOWN)
		return fail(-EPROTONOSUPPORT, TF_DETAIL_FEATURES, features);
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
		if ((err = chunk_read_checked(r, c, hdr, &stored)))
			return err;
		r->chunks[r->nchunks++] = *c;
		return 0;
	}
	if (type != TF_CHUNK_META && type != TF_CHUNK_PROCESSES &&
	    type != TF_CHUNK_STATS && type != TF_CHUNK_END)
		return chunk_read_checked(r, c, hdr, &stored);	/* unknown: skip */
	if ((err = chunk_load(r, c, hdr)))
		return err;
	cur.p = r->raw.data;
	cur.left = r->raw.len;
	switch (type) {
	case TF_CHUNK_META:
		return r->argv_storage ? 0 : parse_meta(r, cur);	/* first wins */
	case TF_CHUNK_PROCESSES:
		return parse_processes(r, cur, c->count);
	case TF_CHUNK_STATS:
		return parse_stats(r, cur);
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
		    source_get(r, off, TF_CHUNK_HEADER_SIZE, &h))
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
			return fail(-EBADMSG, TF_DETAIL_META, 0);
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

/* Load the next EVENTS chunk: 1, 0 when there is none, or -errno. */
static int load_next_chunk(struct trace_reader *r)
{
	const struct chunk_ref *c;
	const uint8_t *h;
	uint8_t hdr[TF_CHUNK_HEADER_SIZE];
	int err;

	if (r->next_chunk >= r->nchunks)
		return 0;
	c = &r->chunks[r->next_chunk++];
	/* Re-read the header: the CRC must still match (the file may change). */
	if ((err = source_get(r, c->offset, TF_CHUNK_HEADER_SIZE, &h)))
		return err;
	chunk_header_bytes(c, TF_CHUNK_EVENTS, tf_load32(h + TF_CHUNK_CRC_OFFSET), hdr);
	if (memcmp(hdr, h, sizeof(hdr)))
		return fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
	if ((err = chunk_load(r, c, hdr)))
		return err == -EBADMSG ? fail(err, TF_DETAIL_EVENTS, 0) : err;
	r->cur.p = r->raw.data;
	r->cur.left = r->raw.len;
	r->left = c->count;
	tf_history_reset(&r->hist);
	return 1;
}

/* EV itself, or when it has an older, shorter form of its type, a copy
 * widened to the type's minimum size with the later fields zero; a
 * compact stream record becomes the io record it stands for. */
static const struct ipct_event_header *widen(struct trace_reader *r,
					     const struct ipct_event_header *ev)
{
	size_t min = trace_event_min_size(ev->type);
	struct ipct_event_header *wide = (struct ipct_event_header *)r->wide;

	if (ev->type == IPCT_EV_STREAM)
		return trace_event_stream_to_io(ev, r->wide, sizeof(r->wide)) ? wide : ev;
	if (ev->size >= min || ev->size < tf_event_oldest_size(ev->type) ||
	    min > sizeof(r->wide))
		return ev;
	memset(r->wide, 0, min);
	memcpy(r->wide, ev, ev->size);
	wide->size = (uint16_t)min;
	return wide;
}

/* End the event stream after a bad record: what follows is not trustworthy. */
static void stop(struct trace_reader *r)
{
	r->left = 0;
	r->cur.left = 0;
	r->next_chunk = r->nchunks;
}

int trace_reader_next(struct trace_reader *r, const struct ipct_event_header **ev)
{
	uint64_t type, nwords, delta;
	struct tf_slot *slot;
	uint32_t i, m;
	int err = 0;

	while (!r->left) {
		if (r->cur.left)	/* bytes after the last record */
			return fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
		if ((err = load_next_chunk(r)) <= 0)
			return err;
	}
	if (tf_get_varint(&r->cur, &type) || type > UINT16_MAX ||
	    tf_get_varint(&r->cur, &nwords) || nwords < TF_MIN_RECORD / 8 ||
	    nwords > TF_MAX_RECORD / 8 || nwords > r->cur.left)
		goto bad;
	slot = tf_history_slot(&r->hist, (uint16_t)type, (uint32_t)nwords, &err);
	if (!slot)
		return err == -ENOMEM ? err : fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
	m = nwords < slot->nwords ? (uint32_t)nwords : slot->nwords;
	for (i = 0; i < nwords; i++) {
		if (tf_get_varint(&r->cur, &delta))
			goto bad;
		slot->words[i] = (i < m ? slot->words[i] : 0) + tf_unzigzag(delta);
	}
	slot->nwords = (uint16_t)nwords;
	/* The record's own header (word 2: type, size, cpu) must agree with
	 * its envelope, so callers may trust hdr->size. */
	if ((slot->words[2] & 0xffff) != type ||
	    ((slot->words[2] >> 16) & 0xffff) != nwords * 8)
		goto bad;
	*ev = widen(r, (struct ipct_event_header *)slot->words);
	/* No consumer ever sees a record shorter than its type. */
	if (trace_event_check(*ev)) {
		stop(r);
		return fail(-EBADMSG, TF_DETAIL_RECORD, type | nwords * 8 << 16);
	}
	r->left--;
	return 1;
bad:
	stop(r);
	return fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
}

int trace_reader_rewind(struct trace_reader *r)
{
	r->next_chunk = 0;
	r->left = 0;
	r->cur.left = 0;
	return 0;
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

uint64_t trace_reader_event_count(const struct trace_reader *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->nchunks; i++)
		n += r->chunks[i].count;
	return n;
}
