/*
 * test_trace_file - unit tests of the trace-file writer and reader
 * (lib/trace_file.h, docs/trace-format.md): exact round trips, chunking,
 * many types, full disk, and the bytes-per-event budget on a realistic
 * trace.  Damaged files are in test_trace_damage.c, records the reader
 * refuses or widens in test_trace_records.c.
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
#include <time.h>
#include <unistd.h>

/* The I-th event of a realistic pipe workload: 4 processes, two pipes,
 * 8-byte reads and writes a few microseconds apart. */
static void realistic_io(struct ipct_io_event *e, uint64_t i, uint64_t *ts)
{
	uint32_t worker = unit_rng() % 4;

	memset(e, 0, sizeof(*e));
	*ts += 1000 + unit_rng() % 4000;
	e->hdr.ts_ns = *ts;
	e->hdr.pid = 1001 + worker;
	e->hdr.tid = 1001 + worker;
	e->hdr.type = IPCT_EV_IO;
	e->hdr.size = sizeof(*e);
	e->hdr.cpu = worker & 1;
	e->duration_ns = 400 + unit_rng() % 3000;
	e->ret = 8;
	e->ino = (i & 2) ? 14656 : 14657;
	e->requested = 8;
	e->dev = 0xd;
	e->dir = (i & 1) ? IPCT_DIR_RECV : IPCT_DIR_SEND;
	e->fd = e->dir == IPCT_DIR_SEND ? 4 : 3;
	e->syscall = e->dir == IPCT_DIR_SEND ? 1 : 0;
	e->kind = IPCT_KIND_PIPE;
}

static void test_round_trip(void **state)
{
	const struct ipct_event_header *ev;
	const struct trace_process *procs;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_stats st;
	char *path = unit_trace_path();
	size_t nprocs;

	w = unit_trace_writer(path);
	unit_rng_seed(UNIT_RNG_SEED);
	for (int i = 0; i < UNIT_MIXED_EVENTS; i++)
		assert_int_equal(trace_writer_append(w, unit_mixed_event(i)), 0);
	unit_fill_stats(&st, UNIT_MIXED_EVENTS);
	assert_true(trace_writer_bytes(w) > 24);
	assert_int_equal(trace_writer_close(w, unit_procs, UNIT_NPROCS, &st), 0);

	assert_int_equal(trace_reader_open(&r, path), 0);
	unit_check_meta(trace_reader_meta(r));
	for (int pass = 0; pass < 2; pass++) {
		unit_rng_seed(UNIT_RNG_SEED);	/* same 4 KiB record again */
		for (int i = 0; i < UNIT_MIXED_EVENTS; i++) {
			const struct ipct_event_header *want = unit_mixed_event(i);

			assert_int_equal(trace_reader_next(r, &ev), 1);
			assert_int_equal(ev->size, want->size);
			assert_memory_equal(ev, want, want->size);
		}
		assert_int_equal(trace_reader_next(r, &ev), 0);
		assert_int_equal(trace_reader_rewind(r), 0);
	}
	procs = trace_reader_processes(r, &nprocs);
	assert_int_equal(nprocs, UNIT_NPROCS);
	for (size_t i = 0; i < UNIT_NPROCS; i++) {
		assert_int_equal(procs[i].pid, unit_procs[i].pid);
		assert_int_equal(procs[i].ppid, unit_procs[i].ppid);
		assert_string_equal(procs[i].comm, unit_procs[i].comm);
		assert_int_equal(procs[i].start_ns, unit_procs[i].start_ns);
		assert_int_equal(procs[i].end_ns, unit_procs[i].end_ns);
		assert_int_equal(procs[i].exit_status, unit_procs[i].exit_status);
		assert_int_equal(procs[i].flags, unit_procs[i].flags);
	}
	unit_check_stats(trace_reader_stats(r), UNIT_MIXED_EVENTS);
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
	char *path = unit_trace_path();
	size_t nprocs = 99;

	unit_fill_meta(&meta);
	meta.argc = 0;
	meta.argv = NULL;
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_flush(w), 0);	/* nothing pending: no-op */
	r = unit_trace_reread(w, path);
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
	struct trace_stats st;
	char *path = unit_trace_path();
	const uint64_t n = 200000;
	uint64_t ts = 0, i;
	uint8_t *data;
	size_t len, chunks = 0;

	w = unit_trace_writer(path);
	unit_rng_seed(12345);
	for (i = 0; i < n; i++) {
		realistic_io(&e, i, &ts);
		e.requested = i;	/* a sequence number to check the order */
		assert_int_equal(trace_writer_append(w, &e.hdr), 0);
	}
	unit_fill_stats(&st, n);
	assert_int_equal(trace_writer_close(w, unit_procs, UNIT_NPROCS, &st), 0);

	/* Count the EVENTS chunks (type 2) by walking the chunk headers. */
	data = unit_slurp(path, &len);
	for (size_t off = 24; off + 24 <= len; off += 24 + unit_load32(data + off + 8))
		chunks += data[off + 4] == 2;
	free(data);
	assert_true(chunks >= 5);

	assert_int_equal(trace_reader_open(&r, path), 0);
	unit_rng_seed(12345);
	ts = 0;
	for (i = 0; i < n; i++) {
		realistic_io(&e, i, &ts);
		e.requested = i;
		assert_int_equal(trace_reader_next(r, &ev), 1);
		assert_memory_equal(ev, &e, sizeof(e));
	}
	assert_int_equal(trace_reader_next(r, &ev), 0);
	unit_check_stats(trace_reader_stats(r), n);
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
	char *path = unit_trace_path();
	const int n = 1500;

	w = unit_trace_writer(path);
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
			data = unit_slurp(path, &len);
			for (size_t off = 24; off + 24 <= len; off += 24 + unit_load32(data + off + 8))
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

static void test_enospc(void **state)
{
	struct ipct_io_event e;
	struct trace_writer *w;
	struct trace_meta meta;
	struct trace_stats st;
	uint64_t ts = 0;

	unit_fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, "/dev/full", &meta), 0);
	realistic_io(&e, 0, &ts);
	assert_int_equal(trace_writer_append(w, &e.hdr), 0);
	assert_int_equal(trace_writer_flush(w), -ENOSPC);
	assert_int_equal(trace_writer_append(w, &e.hdr), -ENOSPC);	/* sticky */
	unit_fill_stats(&st, 1);
	assert_int_equal(trace_writer_close(w, unit_procs, UNIT_NPROCS, &st), -ENOSPC);

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
	struct trace_stats st;
	char *path = unit_trace_path();
	const uint64_t n = 1000000;
	uint64_t ts = 5000000000ull, i, bytes, seen = 0, raw = 0;
	double t0, t_write = 0, t_read, per_event;
	uint8_t *data;
	size_t len;

	w = unit_trace_writer(path);
	unit_rng_seed(777);
	for (i = 0; i < n; i += 4096) {
		uint64_t k, batch = n - i < 4096 ? n - i : 4096;

		for (k = 0; k < batch; k++)	/* generate outside the timing */
			realistic_io(&ev[k], i + k, &ts);
		t0 = now_seconds();
		for (k = 0; k < batch; k++)
			assert_int_equal(trace_writer_append(w, &ev[k].hdr), 0);
		t_write += now_seconds() - t0;
	}
	unit_fill_stats(&st, n);
	t0 = now_seconds();
	assert_int_equal(trace_writer_close(w, unit_procs, UNIT_NPROCS, &st), 0);
	t_write += now_seconds() - t0;

	t0 = now_seconds();
	assert_int_equal(trace_reader_open(&r, path), 0);
	bytes = trace_reader_file_bytes(r);
	while (trace_reader_next(r, &got) == 1)
		seen++;
	t_read = now_seconds() - t0;
	assert_int_equal(seen, n);
	trace_reader_free(r);
	data = unit_slurp(path, &len);
	for (size_t off = 24; off + 24 <= len; off += 24 + unit_load32(data + off + 8))
		if (data[off + 4] == 2)
			raw += unit_load32(data + off + 12);
	free(data);
	unlink(path);

	per_event = (double)bytes / (double)n;
	printf("# compression: %llu io events in %llu bytes = %.2f bytes/event "
	       "(%.2f before zlib); write %.2f M events/s, read %.2f M events/s\n",
	       (unsigned long long)n, (unsigned long long)bytes, per_event,
	       (double)raw / (double)n, n / t_write / 1e6, n / t_read / 1e6);
	assert_true(per_event <= 12.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_zero_events),
		cmocka_unit_test(test_many_events_in_order),
		cmocka_unit_test(test_many_types),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_compression_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
