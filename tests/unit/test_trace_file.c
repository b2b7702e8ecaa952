/*
 * test_trace_file - unit tests of the trace-file writer and reader
 * (lib/trace_file.h, docs/trace-format.md): exact round trips, chunking,
 * truncation and corruption at every byte, version and magic checks, full
 * disk, and the bytes-per-event budget on a realistic trace.
 *
 * With IPCT_WRITE_SEEDS=DIR set, it also writes the small seed files of the
 * fuzzer corpus (fuzz/corpus/) into DIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/trace_file.h"

/* ---- helpers ---- */

static char *temp_path(void)
{
	static char path[512];

	unit_temp_file(path, sizeof(path), "test_trace_file");
	return path;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static char *test_argv[] = { "./demos/pipe_sum", "an arg with spaces",
			     "caf\xc3\xa9 \xff\x01 \xe2\x82\xac", "", NULL };

static void fill_meta(struct trace_meta *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->host, sizeof(m->host), "host-\xc3\xa9.example");
	snprintf(m->kernel, sizeof(m->kernel), "6.18.0-test x86_64");
	m->argc = 4;
	m->argv = test_argv;
	m->start_realtime_ns = 1764042000123456789ull;
	m->start_monotonic_ns = 987654321012ull;
	m->root_pid = 4242;
}

static void check_meta(const struct trace_meta *m)
{
	assert_string_equal(m->host, "host-\xc3\xa9.example");
	assert_string_equal(m->kernel, "6.18.0-test x86_64");
	assert_int_equal(m->argc, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(m->argv[i], test_argv[i]);
	assert_null(m->argv[4]);
	assert_int_equal(m->start_realtime_ns, 1764042000123456789ull);
	assert_int_equal(m->start_monotonic_ns, 987654321012ull);
	assert_int_equal(m->root_pid, 4242);
	assert_int_equal(m->flags, 0);
}

/* A deterministic pseudo-random generator (so failures reproduce). */
static uint64_t rng_state = 88172645463325252ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* The I-th event of a realistic pipe workload: 4 processes, two pipes,
 * 8-byte reads and writes a few microseconds apart. */
static void realistic_io(struct ipct_io_event *e, uint64_t i, uint64_t *ts)
{
	uint32_t worker = rng() % 4;

	memset(e, 0, sizeof(*e));
	*ts += 1000 + rng() % 4000;
	e->hdr.ts_ns = *ts;
	e->hdr.pid = 1001 + worker;
	e->hdr.tid = 1001 + worker;
	e->hdr.type = IPCT_EV_IO;
	e->hdr.size = sizeof(*e);
	e->hdr.cpu = worker & 1;
	e->duration_ns = 400 + rng() % 3000;
	e->ret = 8;
	e->ino = (i & 2) ? 14656 : 14657;
	e->requested = 8;
	e->dev = 0xd;
	e->dir = (i & 1) ? IPCT_DIR_RECV : IPCT_DIR_SEND;
	e->fd = e->dir == IPCT_DIR_SEND ? 4 : 3;
	e->syscall = e->dir == IPCT_DIR_SEND ? 1 : 0;
	e->kind = IPCT_KIND_PIPE;
}

static void fill_stats(struct trace_stats *s, uint64_t events)
{
	memset(s, 0, sizeof(*s));
	s->events = events;
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		s->lost[k] = (uint64_t)k * 1000003u + 7;
	s->end_monotonic_ns = 999999999999ull;
	s->exit_status = 256;
	s->flags = TRACE_STATS_INTERRUPTED;
}

static void check_stats(const struct trace_stats *s, uint64_t events)
{
	assert_non_null(s);
	assert_int_equal(s->events, events);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		assert_int_equal(s->lost[k], (uint64_t)k * 1000003u + 7);
	assert_int_equal(s->end_monotonic_ns, 999999999999ull);
	assert_int_equal(s->exit_status, 256);
	assert_int_equal(s->flags, TRACE_STATS_INTERRUPTED);
}

static const struct trace_process test_procs[] = {
	{ 4242, 1, "pipe_sum", 100, 900, 0, TRACE_PROCESS_EXITED | TRACE_PROCESS_EXECED },
	{ 4243, 4242, "pipe_sum", 200, 0, -1, 0 },
	{ 4244, 4242, "<script>\xff", 0, 850, 9, TRACE_PROCESS_EXITED },
};

/* Records of several types and sizes, built in a word buffer. */
#define MIXED_EVENTS 7
static uint64_t mixed_words[MIXED_EVENTS][512];

static const struct ipct_event_header *mixed_event(int i)
{
	uint64_t *w = mixed_words[i];
	struct ipct_event_header *h = (struct ipct_event_header *)w;

	memset(w, 0, sizeof(mixed_words[i]));
	h->ts_ns = 1000000 + (uint64_t)i * 777;
	h->pid = 4242 + i % 2;
	h->tid = h->pid + (i == 3);
	h->cpu = (uint32_t)i % 2;
	switch (i) {
	case 0: {
		struct ipct_fork_event *e = (void *)w;

		h->type = IPCT_EV_FORK;
		h->size = sizeof(*e);
		e->child_pid = e->child_tid = 4243;
		strcpy(e->comm, "pipe_sum");
		break;
	}
	case 1: {
		struct ipct_exec_event *e = (void *)w;

		h->type = IPCT_EV_EXEC;
		h->size = sizeof(*e);
		e->old_tid = 4243;
		strcpy(e->comm, "cat");
		strcpy(e->filename, "/usr/bin/cat with space \xc3\xa9");
		break;
	}
	case 2: {
		struct ipct_pipe_event *e = (void *)w;

		h->type = IPCT_EV_PIPE;
		h->size = sizeof(*e);
		e->ino = 14656;
		e->dev = 0xd;
		e->read_fd = 3;
		e->write_fd = 4;
		e->flags = 02000000;
		break;
	}
	case 3: {
		struct ipct_io_event *e = (void *)w;

		h->type = IPCT_EV_IO;
		h->size = sizeof(*e);
		e->ret = -11;	/* -EAGAIN: a negative field */
		e->ino = 14656;
		e->requested = 4096;
		e->fd = -1;
		e->syscall = 0;
		e->kind = IPCT_KIND_PIPE;
		e->dir = IPCT_DIR_RECV;
		break;
	}
	case 4:	/* a type this version does not know */
		h->type = 200;
		h->size = 40;
		w[3] = 0xdeadbeefcafef00dull;
		w[4] = UINT64_MAX;
		break;
	case 5:	/* a 4 KiB record */
		h->type = 201;
		h->size = 4096;
		for (int k = 3; k < 512; k++)
			w[k] = (uint64_t)k * 0x0101010101010101ull ^ (uint64_t)rng();
		break;
	default: {
		struct ipct_exit_event *e = (void *)w;

		h->type = IPCT_EV_EXIT;
		h->size = sizeof(*e);
		e->exit_code = 9;
		e->flags = IPCT_EXIT_GROUP_DEAD;
		break;
	}
	}
	return h;
}

/* Write a small file: the mixed records in 3 EVENTS chunks, then a
 * process table and stats.  Returns its bytes. */
static uint8_t *small_file(size_t *len)
{
	const struct ipct_event_header *ev;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	char *path = temp_path();
	uint8_t *data;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	for (int i = 0; i < MIXED_EVENTS; i++) {
		if (i == 5)	/* keep the 4 KiB record out: small seeds */
			continue;
		ev = mixed_event(i);
		assert_int_equal(trace_writer_append(w, ev), 0);
		if (i == 1 || i == 3)
			assert_int_equal(trace_writer_flush(w), 0);
	}
	fill_stats(&st, MIXED_EVENTS - 1);
	assert_int_equal(trace_writer_close(w, test_procs, 3, &st), 0);
	data = slurp(path, len);
	unlink(path);
	return data;
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
	const struct ipct_event_header *ev;
	const struct trace_process *procs;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	char *path = temp_path();
	size_t nprocs;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	rng_state = 88172645463325252ull;
	for (int i = 0; i < MIXED_EVENTS; i++)
		assert_int_equal(trace_writer_append(w, mixed_event(i)), 0);
	fill_stats(&st, MIXED_EVENTS);
	assert_true(trace_writer_bytes(w) > 24);
	assert_int_equal(trace_writer_close(w, test_procs, 3, &st), 0);

	assert_int_equal(trace_reader_open(&r, path), 0);
	check_meta(trace_reader_meta(r));
	for (int pass = 0; pass < 2; pass++) {
		rng_state = 88172645463325252ull;	/* same 4 KiB record again */
		for (int i = 0; i < MIXED_EVENTS; i++) {
			const struct ipct_event_header *want = mixed_event(i);

			assert_int_equal(trace_reader_next(r, &ev), 1);
			assert_int_equal(ev->size, want->size);
			assert_memory_equal(ev, want, want->size);
		}
		assert_int_equal(trace_reader_next(r, &ev), 0);
		assert_int_equal(trace_reader_rewind(r), 0);
	}
	procs = trace_reader_processes(r, &nprocs);
	assert_int_equal(nprocs, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(procs[i].pid, test_procs[i].pid);
		assert_int_equal(procs[i].ppid, test_procs[i].ppid);
		assert_string_equal(procs[i].comm, test_procs[i].comm);
		assert_int_equal(procs[i].start_ns, test_procs[i].start_ns);
		assert_int_equal(procs[i].end_ns, test_procs[i].end_ns);
		assert_int_equal(procs[i].exit_status, test_procs[i].exit_status);
		assert_int_equal(procs[i].flags, test_procs[i].flags);
	}
	check_stats(trace_reader_stats(r), MIXED_EVENTS);
	assert_false(trace_reader_truncated(r));
	assert_int_equal(trace_reader_file_bytes(r), trace_reader_file_bytes(r));
	trace_reader_free(r);
	unlink(path);
}

static void test_zero_events(void **state)
{
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();
	size_t nprocs = 99;

	fill_meta(&meta);
	meta.argc = 0;
	meta.argv = NULL;
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_flush(w), 0);	/* nothing pending: no-op */
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(trace_reader_open(&r, path), 0);
	assert_int_equal(trace_reader_meta(r)->argc, 0);
	assert_null(trace_reader_meta(r)->argv[0]);
	assert_int_equal(trace_reader_next(r, &ev), 0);
	assert_null(trace_reader_processes(r, &nprocs));
	assert_int_equal(nprocs, 0);
	assert_null(trace_reader_stats(r));
	assert_false(trace_reader_truncated(r));
	trace_reader_free(r);
	unlink(path);
}

static void test_many_events_in_order(void **state)
{
	const struct ipct_event_header *ev;
	struct ipct_io_event e;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	char *path = temp_path();
	const uint64_t n = 200000;
	uint64_t ts = 0, i;
	uint8_t *data;
	size_t len, chunks = 0;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	rng_state = 12345;
	for (i = 0; i < n; i++) {
		realistic_io(&e, i, &ts);
		e.requested = i;	/* a sequence number to check the order */
		assert_int_equal(trace_writer_append(w, &e.hdr), 0);
	}
	fill_stats(&st, n);
	assert_int_equal(trace_writer_close(w, test_procs, 3, &st), 0);

	/* Count the EVENTS chunks (type 2) by walking the chunk headers. */
	data = slurp(path, &len);
	for (size_t off = 24; off + 24 <= len; off += 24 + load32(data + off + 8))
		chunks += data[off + 4] == 2;
	free(data);
	assert_true(chunks >= 5);

	assert_int_equal(trace_reader_open(&r, path), 0);
	rng_state = 12345;
	ts = 0;
	for (i = 0; i < n; i++) {
		realistic_io(&e, i, &ts);
		e.requested = i;
		assert_int_equal(trace_reader_next(r, &ev), 1);
		assert_memory_equal(ev, &e, sizeof(e));
	}
	assert_int_equal(trace_reader_next(r, &ev), 0);
	check_stats(trace_reader_stats(r), n);
	assert_false(trace_reader_truncated(r));
	trace_reader_free(r);
	unlink(path);
}

/* More distinct types than one chunk may hold (TF_MAX_TYPES = 256), many
 * of them colliding in the history table: the writer starts new chunks. */
static void test_many_types(void **state)
{
	const struct ipct_event_header *ev;
	uint64_t words[6];
	struct ipct_event_header *h = (struct ipct_event_header *)words;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();
	const int n = 1500;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			int k = i % 300;

			memset(words, 0, sizeof(words));
			h->ts_ns = (uint64_t)i * 1000;
			h->pid = (uint32_t)k;
			/* Types this version does not know, so any size passes. */
			h->type = (uint16_t)(k < 100 ? 300 + 512 * k : 1000 + k);
			h->size = (uint16_t)(k % 2 ? 48 : 24);
			words[3 + k % 3] = (uint64_t)i * 0x9e3779b97f4a7c15ull;
			if (pass == 0)
				assert_int_equal(trace_writer_append(w, h), 0);
			else {
				assert_int_equal(trace_reader_next(r, &ev), 1);
				assert_memory_equal(ev, words, h->size);
			}
		}
		if (pass == 0) {
			size_t len, chunks = 0;
			uint8_t *data;

			assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
			data = slurp(path, &len);
			for (size_t off = 24; off + 24 <= len; off += 24 + load32(data + off + 8))
				chunks += data[off + 4] == 2;
			free(data);
			assert_int_equal(chunks, (n + 255) / 256);	/* 256 types each */
			assert_int_equal(trace_reader_open(&r, path), 0);
		}
	}
	assert_int_equal(trace_reader_next(r, &ev), 0);
	assert_false(trace_reader_truncated(r));
	trace_reader_free(r);
	unlink(path);
}

/* Offsets of the chunks of DATA: ends[k] is where chunk k ends, types[k]
 * its type, events[k] the events in EVENTS chunks 0..k.  Returns count. */
static size_t chunk_map(const uint8_t *data, size_t len, size_t *ends,
			int *types, size_t *events)
{
	size_t k = 0, total = 0;

	for (size_t off = 24; off + 24 <= len && k < 32; k++) {
		types[k] = data[off + 4];
		if (types[k] == 2)
			total += load32(data + off + 16);
		off += 24 + load32(data + off + 8);
		ends[k] = off;
		events[k] = total;
	}
	assert_int_equal(ends[k - 1], len);
	return k;
}

static void test_every_truncation(void **state)
{
	size_t len, ends[32], events[32], nchunks;
	int types[32];
	uint8_t *data = small_file(&len);

	nchunks = chunk_map(data, len, ends, types, events);
	assert_int_equal(nchunks, 7);	/* META, 3 x EVENTS, PROCS, STATS, END */
	assert_int_equal(types[0], 1);
	assert_int_equal(types[6], 5);
	for (size_t cut = 0; cut <= len; cut++) {
		const struct ipct_event_header *ev;
		struct trace_reader *r;
		size_t whole = 0, got = 0, nprocs;
		int err = trace_reader_open_memory(&r, data, cut);

		if (cut < ends[0]) {
			assert_int_equal(err, -EBADMSG);
			continue;
		}
		assert_int_equal(err, 0);
		for (size_t k = 0; k < nchunks && ends[k] <= cut; k++)
			whole = k;
		while ((err = trace_reader_next(r, &ev)) == 1)
			got++;
		assert_int_equal(err, 0);
		assert_int_equal(got, events[whole]);
		assert_int_equal(trace_reader_truncated(r), cut != len);
		trace_reader_processes(r, &nprocs);
		assert_int_equal(nprocs, whole >= 4 ? 3 : 0);
		assert_int_equal(trace_reader_stats(r) != NULL, whole >= 5);
		check_meta(trace_reader_meta(r));
		trace_reader_free(r);
	}
	free(data);
}

static void test_every_flipped_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	size_t len;
	uint8_t *data = small_file(&len);

	for (size_t pos = 0; pos < len; pos++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			const struct ipct_event_header *ev;
			struct trace_reader *r;
			int err;

			data[pos] ^= masks[m];
			err = trace_reader_open_memory(&r, data, len);
			if (err) {
				assert_true(err == -EBADMSG || err == -EPROTONOSUPPORT);
				assert_non_null(trace_file_strerror(err));
			} else {
				while ((err = trace_reader_next(r, &ev)) == 1)
					assert_true(ev->size >= 24 && ev->size % 8 == 0);
				/* A damaged file never reads back as a whole one. */
				if (!err)
					assert_true(trace_reader_truncated(r));
				else
					assert_int_equal(err, -EBADMSG);
				trace_reader_free(r);
			}
			data[pos] ^= masks[m];
		}
	}
	free(data);
}

static void test_wrong_magic(void **state)
{
	struct trace_reader *r;
	size_t len;
	uint8_t *data = small_file(&len);
	static const char text[] = "#!/bin/sh\necho not a trace\n";

	assert_int_equal(trace_reader_open_memory(&r, text, sizeof(text)), -EBADMSG);
	assert_string_equal(trace_file_strerror(-EBADMSG),
			    "not an ipctrace trace file (bad magic)");
	data[0] = 'X';
	assert_int_equal(trace_reader_open_memory(&r, data, len), -EBADMSG);
	assert_int_equal(trace_reader_open_memory(&r, data, 0), -EBADMSG);
	assert_int_equal(trace_reader_open(&r, "/nonexistent/x.ipct"), -ENOENT);
	assert_string_equal(trace_file_strerror(-ENOENT), "No such file or directory");
	free(data);
}

static void test_newer_version(void **state)
{
	struct trace_reader *r;
	size_t len;
	uint8_t *data = small_file(&len);

	store32(data + 8, 2);
	assert_int_equal(trace_reader_open_memory(&r, data, len), -EPROTONOSUPPORT);
	assert_string_equal(trace_file_strerror(-EPROTONOSUPPORT),
			    "trace file is from a newer ipctrace (version 2)");
	store32(data + 8, 1);
	data[16] |= 0x04;	/* a feature this reader does not know */
	assert_int_equal(trace_reader_open_memory(&r, data, len), -EPROTONOSUPPORT);
	free(data);
}

/* An unknown chunk type inserted after META is skipped. */
static void test_unknown_chunk_skipped(void **state)
{
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	size_t len, ends[32], events[32];
	int types[32], n = 0;
	uint8_t *data = small_file(&len), *bigger, chunk[24 + 5] = "CHNK";
	uint32_t crc;

	chunk_map(data, len, ends, types, events);
	chunk[4] = 77;			/* type 77, flags 0 */
	store32(chunk + 8, 5);		/* stored */
	store32(chunk + 12, 5);		/* raw */
	store32(chunk + 16, 0);
	memcpy(chunk + 24, "hello", 5);
	crc = (uint32_t)crc32(0, chunk, 20);
	crc = (uint32_t)crc32(crc, chunk + 24, 5);
	store32(chunk + 20, crc);
	bigger = malloc(len + sizeof(chunk));
	assert_non_null(bigger);
	memcpy(bigger, data, ends[0]);
	memcpy(bigger + ends[0], chunk, sizeof(chunk));
	memcpy(bigger + ends[0] + sizeof(chunk), data + ends[0], len - ends[0]);
	assert_int_equal(trace_reader_open_memory(&r, bigger, len + sizeof(chunk)), 0);
	while (trace_reader_next(r, &ev) == 1)
		n++;
	assert_int_equal(n, MIXED_EVENTS - 1);
	assert_false(trace_reader_truncated(r));
	check_stats(trace_reader_stats(r), MIXED_EVENTS - 1);
	trace_reader_free(r);
	free(bigger);
	free(data);
}

/* DATA/LEN rewritten with every zlib chunk stored uncompressed (flag 0,
 * CRC recomputed): the reader must accept both.  *OUT_LEN is its size. */
static uint8_t *uncompressed_copy(const uint8_t *data, size_t len, size_t *out_len)
{
	uint8_t *out = malloc(len + (1u << 20));
	size_t o = 24;

	assert_non_null(out);
	memcpy(out, data, 24);
	for (size_t off = 24; off + 24 <= len; off += 24 + load32(data + off + 8)) {
		uint32_t stored = load32(data + off + 8), raw = load32(data + off + 12);
		uLongf dest = raw;
		uint32_t crc;

		memcpy(out + o, data + off, 24);
		if (data[off + 6] & 1) {
			assert_int_equal(uncompress(out + o + 24, &dest, data + off + 24, stored), Z_OK);
			assert_int_equal(dest, raw);
			out[o + 6] &= (uint8_t)~1u;
			store32(out + o + 8, raw);
		} else {
			memcpy(out + o + 24, data + off + 24, stored);
		}
		crc = (uint32_t)crc32(0, out + o, 20);
		crc = (uint32_t)crc32(crc, out + o + 24, raw);
		store32(out + o + 20, crc);
		o += 24 + raw;
	}
	*out_len = o;
	return out;
}

static void test_uncompressed_chunks(void **state)
{
	const struct ipct_event_header *ev, *want;
	struct trace_reader *r;
	size_t len, plain_len, nprocs;
	uint8_t *data = small_file(&len);
	uint8_t *plain = uncompressed_copy(data, len, &plain_len);

	assert_int_equal(trace_reader_open_memory(&r, plain, plain_len), 0);
	check_meta(trace_reader_meta(r));
	for (int i = 0; i < MIXED_EVENTS; i++) {
		if (i == 5)
			continue;
		want = mixed_event(i);
		assert_int_equal(trace_reader_next(r, &ev), 1);
		assert_memory_equal(ev, want, want->size);
	}
	assert_int_equal(trace_reader_next(r, &ev), 0);
	trace_reader_processes(r, &nprocs);
	assert_int_equal(nprocs, 3);
	check_stats(trace_reader_stats(r), MIXED_EVENTS - 1);
	assert_false(trace_reader_truncated(r));
	trace_reader_free(r);
	free(plain);
	free(data);
}

static void test_enospc(void **state)
{
	struct ipct_io_event e;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	uint64_t ts = 0;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, "/dev/full", &meta), 0);
	realistic_io(&e, 0, &ts);
	assert_int_equal(trace_writer_append(w, &e.hdr), 0);
	assert_int_equal(trace_writer_flush(w), -ENOSPC);
	assert_int_equal(trace_writer_append(w, &e.hdr), -ENOSPC);	/* sticky */
	fill_stats(&st, 1);
	assert_int_equal(trace_writer_close(w, test_procs, 3, &st), -ENOSPC);

	/* Filling chunks without an explicit flush also reports it. */
	assert_int_equal(trace_writer_open(&w, "/dev/full", &meta), 0);
	int err = 0;
	for (int i = 0; i < 200000 && !err; i++) {
		realistic_io(&e, (uint64_t)i, &ts);
		err = trace_writer_append(w, &e.hdr);
	}
	assert_int_equal(err, -ENOSPC);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), -ENOSPC);
}

static void test_bad_records_rejected(void **state)
{
	struct ipct_event_header h = { .type = 5, .size = 20 };
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_append(w, &h), -EINVAL);
	h.size = 26;
	assert_int_equal(trace_writer_append(w, &h), -EINVAL);
	trace_writer_abort(w);
	meta.argc = 5000;
	assert_int_equal(trace_writer_open(&w, path, &meta), -EINVAL);
	assert_int_equal(trace_writer_open(&w, "/nonexistent/x.ipct", &meta), -EINVAL);
	meta.argc = 1;
	assert_int_equal(trace_writer_open(&w, "/nonexistent/x.ipct", &meta), -ENOENT);
	unlink(path);
}

/* An io record of the older, shorter form (before offset, peers and
 * payload) comes back widened to the full struct, the new fields zero. */
static void test_old_io_widened(void **state)
{
	uint64_t words[sizeof(struct ipct_io_event) / 8 + 1];
	struct ipct_io_event *io = (struct ipct_io_event *)words;
	const struct ipct_io_event *got;
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();

	memset(words, 0xab, sizeof(words));	/* garbage past the old end */
	memset(io, 0, offsetof(struct ipct_io_event, offset));
	io->hdr.type = IPCT_EV_IO;
	io->hdr.size = offsetof(struct ipct_io_event, offset);
	io->ret = 8;
	io->ino = 42;
	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_append(w, &io->hdr), 0);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(trace_reader_open(&r, path), 0);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	got = (const void *)ev;
	assert_int_equal(ev->size, sizeof(struct ipct_io_event));
	assert_int_equal(got->ret, 8);
	assert_int_equal(got->ino, 42);
	assert_int_equal(got->offset, 0);
	assert_int_equal(got->payload_len, 0);
	assert_int_equal(got->remote.port, 0);
	assert_int_equal(trace_reader_next(r, &ev), 0);
	trace_reader_free(r);
	unlink(path);
}

/* A compact stream record reads back as the io record it stands for:
 * the shared fields, the payload, zero socket fields; one whose payload
 * does not fit its size is refused. */
static void test_stream_read_as_io(void **state)
{
	uint64_t words[(sizeof(struct ipct_stream_event) + 16) / 8];
	struct ipct_stream_event *s = (struct ipct_stream_event *)words;
	const struct ipct_io_event *got;
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();

	memset(words, 0, sizeof(words));
	s->hdr.type = IPCT_EV_STREAM;
	s->hdr.size = sizeof(words);
	s->hdr.pid = 7;
	s->duration_ns = 5;
	s->ret = 11;
	s->ino = 42;
	s->requested = 64;
	s->dev = 3;
	s->fd = 9;
	s->syscall = 1;
	s->kind = IPCT_KIND_FILE;
	s->dir = IPCT_DIR_SEND;
	s->offset = 100;
	s->payload_len = 11;
	memcpy(s->payload, "hello world", 11);
	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_append(w, &s->hdr), 0);
	s->payload_len = 17;	/* claims more than its 16 bytes */
	assert_int_equal(trace_writer_append(w, &s->hdr), 0);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(trace_reader_open(&r, path), 0);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	got = (const void *)ev;
	assert_int_equal(ev->type, IPCT_EV_IO);
	assert_int_equal(ev->size, sizeof(struct ipct_io_event) + 16);
	assert_int_equal(ev->pid, 7);
	assert_int_equal(got->duration_ns, 5);
	assert_int_equal(got->ret, 11);
	assert_int_equal(got->ino, 42);
	assert_int_equal(got->requested, 64);
	assert_int_equal(got->dev, 3);
	assert_int_equal(got->fd, 9);
	assert_int_equal(got->syscall, 1);
	assert_int_equal(got->kind, IPCT_KIND_FILE);
	assert_int_equal(got->dir, IPCT_DIR_SEND);
	assert_int_equal(got->offset, 100);
	assert_int_equal(got->peer_ino, 0);
	assert_int_equal(got->remote.family, 0);
	assert_int_equal(got->sock_type, 0);
	assert_int_equal(got->payload_len, 11);
	assert_memory_equal(got->payload, "hello world\0\0\0\0\0", 16);
	assert_int_equal(trace_reader_next(r, &ev), -EBADMSG);
	trace_reader_free(r);
	unlink(path);
}

/* Every known type's minimum is its struct; unknown types have none. */
static void test_min_sizes(void **state)
{
	static const struct { unsigned int type; size_t size; } known[] = {
		{ IPCT_EV_FORK, sizeof(struct ipct_fork_event) },
		{ IPCT_EV_EXEC, sizeof(struct ipct_exec_event) },
		{ IPCT_EV_EXIT, sizeof(struct ipct_exit_event) },
		{ IPCT_EV_PIPE, sizeof(struct ipct_pipe_event) },
		{ IPCT_EV_IO, sizeof(struct ipct_io_event) },
		{ IPCT_EV_STREAM, sizeof(struct ipct_stream_event) },
		{ IPCT_EV_OPEN, sizeof(struct ipct_open_event) },
		{ IPCT_EV_MSG, sizeof(struct ipct_msg_event) },
		{ IPCT_EV_SEM, sizeof(struct ipct_sem_event) },
		{ IPCT_EV_SHM, sizeof(struct ipct_shm_event) },
		{ IPCT_EV_SIGNAL, sizeof(struct ipct_signal_event) },
		{ IPCT_EV_SOCK, sizeof(struct ipct_sock_event) },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_int_equal(trace_event_min_size(known[i].type), known[i].size);
	/* Every type below IPCT_EV_TYPE_MAX that has a size needs a header. */
	for (unsigned int t = 1; t < IPCT_EV_TYPE_MAX; t++)
		assert_true(trace_event_min_size(t) == 0 ||
			    trace_event_min_size(t) >= sizeof(struct ipct_event_header));
	assert_int_equal(trace_event_min_size(0), 0);
	assert_int_equal(trace_event_min_size(60000), 0);
}

/* Write GOOD whole records of type FORK, then BAD, then one more FORK;
 * read back: the good ones come out, BAD is refused with the record detail
 * and nothing after it is returned. */
static void check_refused(const struct ipct_event_header *bad, const char *why)
{
	struct ipct_fork_event fork = { 0 };
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = temp_path();

	fill_meta(&meta);
	fork.hdr.type = IPCT_EV_FORK;
	fork.hdr.size = sizeof(fork);
	fork.child_pid = 7;
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_append(w, &fork.hdr), 0);
	assert_int_equal(trace_writer_append(w, bad), 0);	/* the writer does not judge */
	assert_int_equal(trace_writer_append(w, &fork.hdr), 0);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);

	assert_int_equal(trace_reader_open(&r, path), 0);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	assert_int_equal(ev->type, IPCT_EV_FORK);
	assert_int_equal(trace_reader_next(r, &ev), -EBADMSG);
	assert_non_null(strstr(trace_file_strerror(-EBADMSG), why));
	assert_int_equal(trace_reader_next(r, &ev), 0);	/* the stream stopped */
	trace_reader_free(r);
	unlink(path);
}

static void test_short_records_refused(void **state)
{
	uint64_t words[64] = { 0 };
	struct ipct_event_header *h = (struct ipct_event_header *)words;
	struct ipct_io_event *io = (struct ipct_io_event *)words;
	static const unsigned int types[] = { IPCT_EV_FORK, IPCT_EV_EXEC, IPCT_EV_EXIT,
		IPCT_EV_PIPE, IPCT_EV_IO, IPCT_EV_OPEN, IPCT_EV_MSG, IPCT_EV_SEM,
		IPCT_EV_SHM, IPCT_EV_SIGNAL, IPCT_EV_SOCK };
	char why[64];

	/* A bare header, and one word short of the struct, for every type. */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t min = trace_event_min_size(types[i]);

		if (types[i] == IPCT_EV_IO)	/* its older form is widened */
			min = offsetof(struct ipct_io_event, offset);
		if (types[i] == IPCT_EV_OPEN)	/* so is this one's */
			min = offsetof(struct ipct_open_event, generation);

		h->type = (uint16_t)types[i];
		h->size = 24;
		snprintf(why, sizeof(why), "a type %u record of 24 bytes is too short", types[i]);
		check_refused(h, why);
		h->size = (uint16_t)(min - 8);
		snprintf(why, sizeof(why), "a type %u record of %zu bytes", types[i], min - 8);
		check_refused(h, why);
	}
	/* Whole struct, but payload_len past the record's end. */
	memset(words, 0, sizeof(words));
	h->type = IPCT_EV_IO;
	h->size = sizeof(*io) + 8;
	io->payload_len = 9;
	check_refused(h, "too short for its type");
	io->payload_len = 8;
	assert_int_equal(trace_event_check(h), 0);
	io->payload_len = UINT32_MAX;
	assert_int_equal(trace_event_check(h), -EBADMSG);
	/* A type this version does not know passes at any valid size. */
	h->type = 999;
	h->size = 24;
	assert_int_equal(trace_event_check(h), 0);
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void test_compression_ratio(void **state)
{
	if (getenv("IPCT_SANITIZER_PASS"))
		skip();	/* a speed bound; under ASan it measures the sanitizer */

	static struct ipct_io_event ev[4096];
	const struct ipct_event_header *got;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	char *path = temp_path();
	const uint64_t n = 1000000;
	uint64_t ts = 5000000000ull, i, bytes, seen = 0, raw = 0;
	double t0, t_write = 0, t_read, per_event;
	uint8_t *data;
	size_t len;

	fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	rng_state = 777;
	for (i = 0; i < n; i += 4096) {
		uint64_t k, batch = n - i < 4096 ? n - i : 4096;

		for (k = 0; k < batch; k++)	/* generate outside the timing */
			realistic_io(&ev[k], i + k, &ts);
		t0 = now_seconds();
		for (k = 0; k < batch; k++)
			assert_int_equal(trace_writer_append(w, &ev[k].hdr), 0);
		t_write += now_seconds() - t0;
	}
	fill_stats(&st, n);
	t0 = now_seconds();
	assert_int_equal(trace_writer_close(w, test_procs, 3, &st), 0);
	t_write += now_seconds() - t0;

	t0 = now_seconds();
	assert_int_equal(trace_reader_open(&r, path), 0);
	bytes = trace_reader_file_bytes(r);
	while (trace_reader_next(r, &got) == 1)
		seen++;
	t_read = now_seconds() - t0;
	assert_int_equal(seen, n);
	trace_reader_free(r);
	data = slurp(path, &len);
	for (size_t off = 24; off + 24 <= len; off += 24 + load32(data + off + 8))
		if (data[off + 4] == 2)
			raw += load32(data + off + 12);
	free(data);
	unlink(path);

	per_event = (double)bytes / (double)n;
	printf("# compression: %llu io events in %llu bytes = %.2f bytes/event "
	       "(%.2f before zlib); write %.2f M events/s, read %.2f M events/s\n",
	       (unsigned long long)n, (unsigned long long)bytes, per_event,
	       (double)raw / (double)n, n / t_write / 1e6, n / t_read / 1e6);
	assert_true(per_event <= 12.0);
}

/* IPCT_WRITE_SEEDS=DIR: write fuzzer seeds (not a test of its own). */
static void write_seed(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_write_fuzz_seeds(void **state)
{
	const char *dir = getenv("IPCT_WRITE_SEEDS");
	size_t len, plain_len, ends[32], events[32];
	int types[32];
	uint8_t *data, *plain;

	if (!dir)
		skip();
	data = small_file(&len);
	chunk_map(data, len, ends, types, events);
	write_seed(dir, "small.ipct", data, len);
	write_seed(dir, "cut-after-events.ipct", data, ends[2] + 10);
	write_seed(dir, "meta-only.ipct", data, ends[0]);
	plain = uncompressed_copy(data, len, &plain_len);
	write_seed(dir, "uncompressed.ipct", plain, plain_len);
	free(plain);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_zero_events),
		cmocka_unit_test(test_many_events_in_order),
		cmocka_unit_test(test_many_types),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_every_flipped_byte),
		cmocka_unit_test(test_wrong_magic),
		cmocka_unit_test(test_newer_version),
		cmocka_unit_test(test_unknown_chunk_skipped),
		cmocka_unit_test(test_uncompressed_chunks),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_bad_records_rejected),
		cmocka_unit_test(test_min_sizes),
		cmocka_unit_test(test_short_records_refused),
		cmocka_unit_test(test_old_io_widened),
		cmocka_unit_test(test_stream_read_as_io),
		cmocka_unit_test(test_compression_ratio),
		cmocka_unit_test(test_write_fuzz_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
