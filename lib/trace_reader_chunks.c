/*
 * trace_reader_chunks - one chunk of a trace file: its bytes read from the
 * file or the memory copy, its CRC checked, its payload inflated, and the
 * small chunks (META, PROCESSES, STATS) decoded into the reader.  Every
 * length is checked against the bytes that remain before it is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "trace_hosts.h"
#include "trace_reader_private.h"

int tf_reader_source_get(struct trace_reader *r, uint64_t off, size_t len,
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

/* Inflate the zlib stream SRC (SRC_LEN bytes) into exactly DST_LEN bytes
 * at DST.  The chunk's CRC already covers the stored bytes, so the
 * stream's own Adler-32 is not computed (inflateValidate).  0 or
 * -EBADMSG/-ENOMEM. */
static int inflate_exact(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t src_len)
{
	z_stream z = { 0 };
	int rc;

	if (inflateInit(&z) != Z_OK)
		return -ENOMEM;
	inflateValidate(&z, 0);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)src_len;
	z.next_out = dst;
	z.avail_out = (uInt)dst_len;
	rc = inflate(&z, Z_FINISH);
	rc = rc == Z_STREAM_END && !z.avail_in && z.total_out == dst_len ? 0 : -EBADMSG;
	inflateEnd(&z);
	return rc;
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
		if ((err = inflate_exact(r->raw.data, c->raw_len, stored, c->stored_len)))
			return err;
	} else if (c->raw_len) {
		memcpy(r->raw.data, stored, c->raw_len);
	}
	r->raw.len = c->raw_len;
	return 0;
}

int tf_reader_chunk_read_checked(struct trace_reader *r, const struct chunk_ref *c,
			      const uint8_t *hdr, const uint8_t **stored)
{
	uint32_t crc;
	int err;

	if ((err = tf_reader_source_get(r, c->offset + TF_CHUNK_HEADER_SIZE, c->stored_len, stored)))
		return err;
	crc = (uint32_t)crc32(0, hdr, TF_CHUNK_CRC_OFFSET);
	crc = (uint32_t)crc32(crc, *stored, c->stored_len);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* Let the fuzzer reach the decoders behind the checksum. */
	crc = tf_load32(hdr + TF_CHUNK_CRC_OFFSET);
#endif
	return crc == tf_load32(hdr + TF_CHUNK_CRC_OFFSET) ? 0 : -EBADMSG;
}

int tf_reader_chunk_load(struct trace_reader *r, const struct chunk_ref *c,
		      const uint8_t *hdr)
{
	const uint8_t *stored;
	int err;

	if ((err = tf_reader_chunk_read_checked(r, c, hdr, &stored)))
		return err;
	return chunk_payload(r, c, stored);
}

int tf_reader_parse_meta(struct trace_reader *r, struct tf_cursor c)
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

int tf_reader_parse_processes(struct trace_reader *r, struct tf_cursor c, uint32_t count)
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

int tf_reader_parse_stats(struct trace_reader *r, struct tf_cursor c)
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
