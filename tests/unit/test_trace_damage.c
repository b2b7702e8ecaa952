/*
 * test_trace_damage - trace files the reader must survive (lib/trace_file.h,
 * docs/trace-format.md): truncation and corruption at every byte, wrong
 * magic, a newer version, an unknown chunk, chunks stored uncompressed.
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
#include "test_util_trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Offsets of the chunks of DATA: ends[k] is where chunk k ends, types[k]
 * its type, events[k] the events in EVENTS chunks 0..k.  Returns count. */
static size_t chunk_map(const uint8_t *data, size_t len, size_t *ends,
			int *types, size_t *events)
{
	size_t k = 0, total = 0;

	for (size_t off = 24; off + 24 <= len && k < 32; k++) {
		types[k] = data[off + 4];
		if (types[k] == 2)
			total += unit_load32(data + off + 16);
		off += 24 + unit_load32(data + off + 8);
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
	uint8_t *data = unit_small_file(&len);

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
		unit_check_meta(trace_reader_meta(r));
		trace_reader_free(r);
	}
	free(data);
}

static void test_every_flipped_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	size_t len;
	uint8_t *data = unit_small_file(&len);

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
	uint8_t *data = unit_small_file(&len);
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
	uint8_t *data = unit_small_file(&len);

	unit_store32(data + 8, 2);
	assert_int_equal(trace_reader_open_memory(&r, data, len), -EPROTONOSUPPORT);
	assert_string_equal(trace_file_strerror(-EPROTONOSUPPORT),
			    "trace file is from a newer ipctrace (version 2)");
	unit_store32(data + 8, 1);
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
	uint8_t *data = unit_small_file(&len), *bigger, chunk[24 + 5] = "CHNK";
	uint32_t crc;

	chunk_map(data, len, ends, types, events);
	chunk[4] = 77;			/* type 77, flags 0 */
	unit_store32(chunk + 8, 5);		/* stored */
	unit_store32(chunk + 12, 5);		/* raw */
	unit_store32(chunk + 16, 0);
	memcpy(chunk + 24, "hello", 5);
	crc = (uint32_t)crc32(0, chunk, 20);
	crc = (uint32_t)crc32(crc, chunk + 24, 5);
	unit_store32(chunk + 20, crc);
	bigger = malloc(len + sizeof(chunk));
	assert_non_null(bigger);
	memcpy(bigger, data, ends[0]);
	memcpy(bigger + ends[0], chunk, sizeof(chunk));
	memcpy(bigger + ends[0] + sizeof(chunk), data + ends[0], len - ends[0]);
	assert_int_equal(trace_reader_open_memory(&r, bigger, len + sizeof(chunk)), 0);
	while (trace_reader_next(r, &ev) == 1)
		n++;
	assert_int_equal(n, UNIT_MIXED_EVENTS - 1);
	assert_false(trace_reader_truncated(r));
	unit_check_stats(trace_reader_stats(r), UNIT_MIXED_EVENTS - 1);
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
	for (size_t off = 24; off + 24 <= len; off += 24 + unit_load32(data + off + 8)) {
		uint32_t stored = unit_load32(data + off + 8), raw = unit_load32(data + off + 12);
		uLongf dest = raw;
		uint32_t crc;

		memcpy(out + o, data + off, 24);
		if (data[off + 6] & 1) {
			assert_int_equal(uncompress(out + o + 24, &dest, data + off + 24, stored), Z_OK);
			assert_int_equal(dest, raw);
			out[o + 6] &= (uint8_t)~1u;
			unit_store32(out + o + 8, raw);
		} else {
			memcpy(out + o + 24, data + off + 24, stored);
		}
		crc = (uint32_t)crc32(0, out + o, 20);
		crc = (uint32_t)crc32(crc, out + o + 24, raw);
		unit_store32(out + o + 20, crc);
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
	uint8_t *data = unit_small_file(&len);
	uint8_t *plain = uncompressed_copy(data, len, &plain_len);

	assert_int_equal(trace_reader_open_memory(&r, plain, plain_len), 0);
	unit_check_meta(trace_reader_meta(r));
	for (int i = 0; i < UNIT_MIXED_EVENTS; i++) {
		if (i == 5)
			continue;
		want = unit_mixed_event(i);
		assert_int_equal(trace_reader_next(r, &ev), 1);
		assert_memory_equal(ev, want, want->size);
	}
	assert_int_equal(trace_reader_next(r, &ev), 0);
	trace_reader_processes(r, &nprocs);
	assert_int_equal(nprocs, UNIT_NPROCS);
	unit_check_stats(trace_reader_stats(r), UNIT_MIXED_EVENTS - 1);
	assert_false(trace_reader_truncated(r));
	trace_reader_free(r);
	free(plain);
	free(data);
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
	data = unit_small_file(&len);
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
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_every_flipped_byte),
		cmocka_unit_test(test_wrong_magic),
		cmocka_unit_test(test_newer_version),
		cmocka_unit_test(test_unknown_chunk_skipped),
		cmocka_unit_test(test_uncompressed_chunks),
		cmocka_unit_test(test_write_fuzz_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
