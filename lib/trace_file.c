/*
 * trace_file - the trace-file writer and the error strings of the module
 * (the reader is lib/trace_reader.c; the bytes are in docs/trace-format.md).
 *
 * The writer keeps one EVENTS chunk in memory.  Each appended record is
 * delta-encoded against the previous record of the same type as an array
 * of 64-bit little-endian words (zigzag varints, so an unchanged field
 * costs one byte); when the raw chunk reaches TF_CHUNK_TARGET bytes, or on
 * trace_writer_flush(), it is zlib-compressed and written.  The history is
 * reset at every chunk, so each chunk decodes on its own.  I/O goes through
 * stdio; every fwrite/fflush/fclose is checked and the first error sticks:
 * later calls return it again, and what was already written stays readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "trace_codec.h"
#include "trace_hosts.h"
#include "trace_file.h"

_Static_assert(TRACE_META_MAX_ARGC == TF_MAX_ARGC && TRACE_META_MAX_ARG_LEN == TF_MAX_ARG_LEN,
	       "the public argv limits are the format's");

#define TF_CHUNK_TARGET   (256u << 10)  /* flush an EVENTS chunk at this raw size */
#ifndef TF_ZLIB_LEVEL
#define TF_ZLIB_LEVEL     1  /* level 6: 11% smaller, 2.9x slower (docs) */
#endif
/* Worst-case encoding of one record: type, word count, 8191 deltas. */
#define TF_RECORD_ENCODED_MAX (2 * TF_VARINT_MAX + (TF_MAX_RECORD / 8) * TF_VARINT_MAX)

struct trace_writer {
	FILE *f;
	int err;                  /* first I/O error, sticky */
	uint64_t bytes;           /* bytes handed to the file */
	struct tf_buf raw;        /* the EVENTS chunk being filled */
	uint32_t count;           /* records in raw */
	struct tf_buf stored;     /* compression output */
	struct tf_history hist;
};

/* Write N bytes or record the error: 0 or -errno. */
static int writer_write(struct trace_writer *w, const void *p, size_t n)
{
	if (w->err)
		return w->err;
	errno = 0;
	if (n && fwrite(p, 1, n, w->f) != n) {
		w->err = errno ? -errno : -EIO;
		return w->err;
	}
	w->bytes += n;
	return 0;
}

static int writer_sync(struct trace_writer *w)
{
	if (w->err)
		return w->err;
	errno = 0;
	if (fflush(w->f) != 0 || ferror(w->f))
		w->err = errno ? -errno : -EIO;
	return w->err;
}

/* Write one chunk of TYPE whose raw payload is RAW/LEN (COUNT records),
 * compressing it when COMPRESS. */
static int writer_chunk(struct trace_writer *w, uint16_t type, const uint8_t *raw,
			size_t len, uint32_t count, bool compress)
{
	static const uint8_t empty[1];
	uint8_t hdr[TF_CHUNK_HEADER_SIZE];
	const uint8_t *stored = raw ? raw : empty;	/* crc32(NULL) is 0, not a CRC */
	size_t stored_len = len;
	uint32_t crc;
	int err;

	if (len > TF_MAX_RAW)
		return -E2BIG;
	if (compress) {
		uLongf dest_len = compressBound(len);

		w->stored.len = 0;
		if ((err = tf_buf_reserve(&w->stored, dest_len)))
			return err;
		if (compress2(w->stored.data, &dest_len, raw, len, TF_ZLIB_LEVEL) != Z_OK)
			return -ENOMEM;
		stored = w->stored.data;
		stored_len = dest_len;
	}
	tf_chunk_header(hdr, type, compress ? TF_CHUNK_ZLIB : 0, (uint32_t)stored_len,
			(uint32_t)len, count, 0);
	crc = (uint32_t)crc32(0, hdr, TF_CHUNK_CRC_OFFSET);
	crc = (uint32_t)crc32(crc, stored, (uInt)stored_len);
	tf_store32(hdr + TF_CHUNK_CRC_OFFSET, crc);
	if ((err = writer_write(w, hdr, sizeof(hdr))))
		return err;
	return writer_write(w, stored, stored_len);
}

/* Write the pending EVENTS chunk (if any) without flushing stdio. */
static int writer_emit_events(struct trace_writer *w)
{
	int err;

	if (w->err)
		return w->err;
	if (!w->count)
		return 0;
	err = writer_chunk(w, TF_CHUNK_EVENTS, w->raw.data, w->raw.len, w->count, true);
	w->raw.len = 0;
	w->count = 0;
	tf_history_reset(&w->hist);
	return err;
}

static int encode_meta(struct tf_buf *b, const struct trace_meta *m)
{
	int err;

	if (m->argc < 0 || m->argc > TF_MAX_ARGC || (m->argc && !m->argv))
		return -EINVAL;
	if ((err = tf_buf_put_u64(b, m->start_realtime_ns)) ||
	    (err = tf_buf_put_u64(b, m->start_monotonic_ns)) ||
	    (err = tf_buf_put_u32(b, m->root_pid)) ||
	    (err = tf_buf_put_u32(b, m->flags)) ||
	    (err = tf_buf_put_string(b, m->host, strnlen(m->host, sizeof(m->host) - 1))) ||
	    (err = tf_buf_put_string(b, m->kernel, strnlen(m->kernel, sizeof(m->kernel) - 1))) ||
	    (err = tf_buf_put_u32(b, (uint32_t)m->argc)))
		return err;
	for (int i = 0; i < m->argc; i++) {
		const char *arg = m->argv[i] ? m->argv[i] : "";
		size_t len = strlen(arg);

		if (len >= TF_MAX_ARG_LEN)
			return -E2BIG;
		if ((err = tf_buf_put_string(b, arg, len)))
			return err;
	}
	return tf_encode_hosts(b, m);
}

/* Start a trace on FD, or on PATH (created) when FD < 0.  FD is the
 * writer's from here on. */
static int writer_start(struct trace_writer **out, const char *path, int fd,
			const struct trace_meta *meta);

int trace_writer_open(struct trace_writer **out, const char *path,
		      const struct trace_meta *meta)
{
	return writer_start(out, path, -1, meta);
}

int trace_writer_open_fd(struct trace_writer **out, int fd, const struct trace_meta *meta)
{
	return writer_start(out, NULL, fd, meta);
}

static int writer_start(struct trace_writer **out, const char *path, int fd,
			const struct trace_meta *meta)
{
	uint8_t hdr[TF_HEADER_SIZE];
	struct tf_buf buf = { 0 };
	struct trace_writer *w;
	int err;

	*out = NULL;
	if ((err = encode_meta(&buf, meta)))
		goto fail_buf;
	if (buf.len > TF_MAX_RAW) {
		err = -E2BIG;
		goto fail_buf;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		err = -ENOMEM;
		goto fail_buf;
	}
	tf_history_init(&w->hist);
	if ((err = tf_buf_reserve(&w->raw, TF_CHUNK_TARGET + TF_RECORD_ENCODED_MAX)))
		goto fail;
	if (fd < 0 && (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		err = -errno;
		goto fail;
	}
	errno = 0;
	w->f = fdopen(fd, "wb");
	if (!w->f) {
		err = errno ? -errno : -EIO;
		goto fail;
	}
	fd = -1;
	memcpy(hdr, TF_MAGIC, 8);
	tf_store32(hdr + 8, TRACE_FILE_VERSION);
	tf_store32(hdr + 12, TF_HEADER_SIZE);
	tf_store64(hdr + 16, TF_FEATURE_ZLIB);
	/* Header and META go to the stdio buffer; the first flush writes them. */
	if ((err = writer_write(w, hdr, sizeof(hdr))) ||
	    (err = writer_chunk(w, TF_CHUNK_META, buf.data, buf.len, 0, false)))
		goto fail;
	tf_buf_release(&buf);
	*out = w;
	return 0;
fail:
	trace_writer_abort(w);
fail_buf:
	tf_buf_release(&buf);
	if (fd >= 0)
		close(fd);
	return err;
}

int trace_writer_append(struct trace_writer *w, const struct ipct_event_header *ev)
{
	const uint8_t *rec = (const uint8_t *)ev;
	uint32_t nwords, i, m;
	struct tf_slot *slot;
	uint8_t *p;
	int err = 0;

	if (w->err)
		return w->err;
	if (ev->size < TF_MIN_RECORD || ev->size % 8)
		return -EINVAL;
	nwords = ev->size / 8;
	slot = tf_history_slot(&w->hist, ev->type, nwords, &err);
	if (!slot && err == -ENOSPC) {
		/* Too many distinct types in this chunk: start a new one. */
		if ((err = writer_emit_events(w)))
			return err;
		slot = tf_history_slot(&w->hist, ev->type, nwords, &err);
	}
	if (!slot)
		return err;

	/* raw has room for one worst-case record beyond TF_CHUNK_TARGET. */
	p = w->raw.data + w->raw.len;
	p += tf_put_varint_raw(p, ev->type);
	p += tf_put_varint_raw(p, nwords);
	m = nwords < slot->nwords ? nwords : slot->nwords;
	for (i = 0; i < m; i++) {
		uint64_t word = tf_load64(rec + 8 * i);

		p += tf_put_varint_raw(p, tf_zigzag(word - slot->words[i]));
		slot->words[i] = word;
	}
	for (; i < nwords; i++) {
		uint64_t word = tf_load64(rec + 8 * i);

		p += tf_put_varint_raw(p, tf_zigzag(word));
		slot->words[i] = word;
	}
	slot->nwords = (uint16_t)nwords;
	w->raw.len = (size_t)(p - w->raw.data);
	w->count++;
	if (w->raw.len >= TF_CHUNK_TARGET)
		return writer_emit_events(w);
	return 0;
}

int trace_writer_flush(struct trace_writer *w)
{
	int err = writer_emit_events(w);

	return err ? err : writer_sync(w);
}

static int encode_processes(struct tf_buf *b, const struct trace_process *procs,
			    size_t n)
{
	int err;

	if (n > TF_MAX_RAW / TF_PROCESS_RECORD_SIZE)
		return -E2BIG;
	if ((err = tf_buf_reserve(b, 8 + n * TF_PROCESS_RECORD_SIZE)))
		return err;
	tf_buf_put_u32(b, (uint32_t)n);
	tf_buf_put_u32(b, TF_PROCESS_RECORD_SIZE);
	for (size_t i = 0; i < n; i++) {
		const struct trace_process *p = &procs[i];

		tf_buf_put_u32(b, p->pid);
		tf_buf_put_u32(b, p->ppid);
		tf_buf_put(b, p->comm, IPCT_COMM_LEN);
		tf_buf_put_u64(b, p->start_ns);
		tf_buf_put_u64(b, p->end_ns);
		tf_buf_put_u32(b, (uint32_t)p->exit_status);
		tf_buf_put_u32(b, p->flags);
	}
	return 0;
}

static int encode_stats(struct tf_buf *b, const struct trace_stats *s)
{
	int err;

	if ((err = tf_buf_put_u64(b, s->events)) ||
	    (err = tf_buf_put_u64(b, s->end_monotonic_ns)) ||
	    (err = tf_buf_put_u32(b, (uint32_t)s->exit_status)) ||
	    (err = tf_buf_put_u32(b, s->flags)) ||
	    (err = tf_buf_put_u32(b, IPCT_KIND_MAX)))
		return err;
	for (int i = 0; i < IPCT_KIND_MAX; i++)
		if ((err = tf_buf_put_u64(b, s->lost[i])))
			return err;
	return tf_buf_put_u64(b, s->unrecorded);
}

int trace_writer_close(struct trace_writer *w, const struct trace_process *procs,
		       size_t nprocs, const struct trace_stats *stats)
{
	struct tf_buf buf = { 0 };
	int err, close_err = 0;

	if (!w)
		return 0;
	err = writer_emit_events(w);
	if (!err && !(err = encode_processes(&buf, procs, procs ? nprocs : 0)))
		err = writer_chunk(w, TF_CHUNK_PROCESSES, buf.data, buf.len,
				   procs ? (uint32_t)nprocs : 0, true);
	if (!err && stats) {
		buf.len = 0;
		if (!(err = encode_stats(&buf, stats)))
			err = writer_chunk(w, TF_CHUNK_STATS, buf.data, buf.len, 0, false);
	}
	if (!err)
		err = writer_chunk(w, TF_CHUNK_END, NULL, 0, 0, false);
	if (!err)
		err = writer_sync(w);
	tf_buf_release(&buf);
	errno = 0;
	if (fclose(w->f) != 0)
		close_err = errno ? -errno : -EIO;
	w->f = NULL;
	trace_writer_abort(w);
	return err ? err : close_err;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (!w)
		return;
	if (w->f)
		fclose(w->f);
	tf_buf_release(&w->raw);
	tf_buf_release(&w->stored);
	tf_history_release(&w->hist);
	free(w);
}

uint64_t trace_writer_bytes(const struct trace_writer *w)
{
	return w->bytes;
}

/* Why the reader last failed, for trace_file_strerror(); per thread. */
static _Thread_local struct {
	int err;
	enum tf_error_detail detail;
	uint64_t value;
} last_error;

void tf_set_error_detail(int err, enum tf_error_detail detail, uint64_t value)
{
	last_error.err = err;
	last_error.detail = detail;
	last_error.value = value;
}

const char *trace_file_strerror(int err)
{
	static _Thread_local char text[96];

	if (err == last_error.err) {
		switch (last_error.detail) {
		case TF_DETAIL_MAGIC:
			return "not an ipctrace trace file (bad magic)";
		case TF_DETAIL_HEADER:
			return "trace file is corrupt (bad file header)";
		case TF_DETAIL_META:
			return "trace file is corrupt (bad or missing metadata chunk)";
		case TF_DETAIL_EVENTS:
			return "trace file is corrupt (bad event chunk)";
		case TF_DETAIL_NOT_REGULAR:
			snprintf(text, sizeof(text), "not a trace file: %s, not a regular file",
				 tf_file_type_name((unsigned int)last_error.value));
			return text;
		case TF_DETAIL_RECORD:
			snprintf(text, sizeof(text),
				 "trace file is corrupt (a type %llu record of %llu bytes "
				 "is too short for its type)",
				 (unsigned long long)(last_error.value & 0xffff),
				 (unsigned long long)(last_error.value >> 16));
			return text;
		case TF_DETAIL_VERSION:
			snprintf(text, sizeof(text),
				 "trace file is from a newer ipctrace (version %llu)",
				 (unsigned long long)last_error.value);
			return text;
		case TF_DETAIL_FEATURES:
			snprintf(text, sizeof(text),
				 "trace file needs features this ipctrace lacks (0x%llx)",
				 (unsigned long long)last_error.value);
			return text;
		case TF_DETAIL_NONE:
			break;
		}
	}
	switch (err) {
	case -EBADMSG:
		return "trace file is corrupt";
	case -EPROTONOSUPPORT:
		return "trace file is from a newer ipctrace";
	case 0:
		return "success";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
