/*
 * test_match - unit tests of the byte-offset matcher (viz/match.h): every
 * case lists the exact overlaps, offsets and unmatched byte count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "viz/match.h"

struct overlap {
	uint32_t send, recv;
	uint64_t bytes;
};

struct recorder {
	struct overlap got[64];
	size_t n;
	int fail_at;            /* return an error on this overlap (1-based) */
};

static int record(void *ctx, uint32_t send, uint32_t recv, uint64_t bytes)
{
	struct recorder *r = ctx;

	assert_true(r->n < 64);
	r->got[r->n++] = (struct overlap){ send, recv, bytes };
	if (r->fail_at && (int)r->n == r->fail_at)
		return -12;
	return 0;
}

static void expect_overlaps(const struct recorder *r, const struct overlap *want,
			    size_t n)
{
	assert_int_equal(r->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r->got[i].send, want[i].send);
		assert_int_equal(r->got[i].recv, want[i].recv);
		assert_int_equal(r->got[i].bytes, want[i].bytes);
	}
}

/* Three writers of 8 bytes, one reader reading 8, 8 and 8. */
static void test_several_writers_one_reader(void **state)
{
	struct match_item s[] = { { 8, 10 }, { 8, 11 }, { 8, 12 } };
	struct match_item r[] = { { 8, 20 }, { 8, 21 }, { 8, 22 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;
	const struct overlap want[] = { { 10, 20, 8 }, { 11, 21, 8 }, { 12, 22, 8 } };

	assert_int_equal(match_byte_stream(s, 3, r, 3, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 3);
	assert_int_equal(unmatched, 0);
	assert_int_equal(s[2].offset, 16);
	assert_int_equal(r[1].offset, 8);
}

/* One 10-byte write consumed by reads of 3, 3 and 4. */
static void test_write_consumed_by_three_reads(void **state)
{
	struct match_item s[] = { { 10, 1 } };
	struct match_item r[] = { { 3, 2 }, { 3, 3 }, { 4, 4 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;
	const struct overlap want[] = { { 1, 2, 3 }, { 1, 3, 3 }, { 1, 4, 4 } };

	assert_int_equal(match_byte_stream(s, 1, r, 3, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 3);
	assert_int_equal(unmatched, 0);
	assert_int_equal(r[0].offset, 0);
	assert_int_equal(r[1].offset, 3);
	assert_int_equal(r[2].offset, 6);
}

/* A read of 16 spanning a write of 5, one of 6 and half of one of 10. */
static void test_read_spanning_writes(void **state)
{
	struct match_item s[] = { { 5, 1 }, { 6, 2 }, { 10, 3 } };
	struct match_item r[] = { { 16, 7 }, { 5, 8 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;
	const struct overlap want[] = {
		{ 1, 7, 5 }, { 2, 7, 6 }, { 3, 7, 5 }, { 3, 8, 5 },
	};

	assert_int_equal(match_byte_stream(s, 3, r, 2, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 4);
	assert_int_equal(unmatched, 0);
	assert_int_equal(s[1].offset, 5);
	assert_int_equal(s[2].offset, 11);
	assert_int_equal(r[1].offset, 16);
}

/* Reads beyond every write: the tail is unmatched, not attributed. */
static void test_unmatched_tail(void **state)
{
	struct match_item s[] = { { 4, 1 } };
	struct match_item r[] = { { 3, 2 }, { 6, 3 }, { 5, 4 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 0;
	const struct overlap want[] = { { 1, 2, 3 }, { 1, 3, 1 } };

	assert_int_equal(match_byte_stream(s, 1, r, 3, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 2);
	assert_int_equal(unmatched, 10);
	assert_int_equal(r[2].offset, 9);
}

/* Writes nobody read: no overlap and nothing unmatched. */
static void test_unread_writes(void **state)
{
	struct match_item s[] = { { 4, 1 }, { 4, 2 } };
	struct match_item r[] = { { 2, 3 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;
	const struct overlap want[] = { { 1, 3, 2 } };

	assert_int_equal(match_byte_stream(s, 2, r, 1, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 1);
	assert_int_equal(unmatched, 0);
}

/* Zero-length sends and receives (EOF, failed calls) move nothing but get
 * the offset of the stream position they were at. */
static void test_zero_length_ops(void **state)
{
	struct match_item s[] = { { 0, 1 }, { 4, 2 }, { 0, 3 }, { 2, 4 }, { 0, 5 } };
	struct match_item r[] = { { 0, 6 }, { 5, 7 }, { 0, 8 }, { 1, 9 }, { 0, 10 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;
	const struct overlap want[] = { { 2, 7, 4 }, { 4, 7, 1 }, { 4, 9, 1 } };

	assert_int_equal(match_byte_stream(s, 5, r, 5, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 3);
	assert_int_equal(unmatched, 0);
	assert_int_equal(s[2].offset, 4);
	assert_int_equal(s[4].offset, 6);
	assert_int_equal(r[2].offset, 5);
	assert_int_equal(r[4].offset, 6);
}

static void test_empty_inputs(void **state)
{
	struct match_item s[] = { { 3, 1 } };
	struct match_item r[] = { { 7, 2 } };
	struct recorder rec = { 0 };
	uint64_t unmatched = 99;

	assert_int_equal(match_byte_stream(NULL, 0, NULL, 0, record, &rec, &unmatched), 0);
	assert_int_equal(rec.n, 0);
	assert_int_equal(unmatched, 0);

	assert_int_equal(match_byte_stream(s, 1, NULL, 0, record, &rec, &unmatched), 0);
	assert_int_equal(rec.n, 0);
	assert_int_equal(unmatched, 0);

	assert_int_equal(match_byte_stream(NULL, 0, r, 1, record, &rec, &unmatched), 0);
	assert_int_equal(rec.n, 0);
	assert_int_equal(unmatched, 7);
	assert_int_equal(r[0].offset, 0);
}

/* With times: a read that returned before a write began cannot hold its
 * bytes (they were written before tracing started); the read after it can.
 * A read that returned while a large write was still blocked can. */
static void test_read_before_write_began(void **state)
{
	struct match_item s[] = {
		{ .len = 3, .op = 1, .begin_ns = 19, .end_ns = 20 },
		{ .len = 100, .op = 2, .begin_ns = 40, .end_ns = 90 },
	};
	struct match_item r[] = {
		{ .len = 5, .op = 3, .begin_ns = 1, .end_ns = 10 },
		{ .len = 2, .op = 4, .begin_ns = 25, .end_ns = 30 },
		{ .len = 60, .op = 5, .begin_ns = 41, .end_ns = 50 },
	};
	struct recorder rec = { 0 };
	uint64_t unmatched = 0;
	const struct overlap want[] = { { 1, 4, 2 }, { 1, 5, 1 }, { 2, 5, 59 } };

	assert_int_equal(match_byte_stream(s, 2, r, 3, record, &rec, &unmatched), 0);
	expect_overlaps(&rec, want, 3);
	assert_int_equal(unmatched, 5);
	assert_int_equal(r[2].offset, 7);
}

/* A callback error stops the walk and is returned. */
static void test_callback_error_stops(void **state)
{
	struct match_item s[] = { { 1, 1 }, { 1, 2 }, { 1, 3 } };
	struct match_item r[] = { { 3, 4 } };
	struct recorder rec = { .fail_at = 2 };

	assert_int_equal(match_byte_stream(s, 3, r, 1, record, &rec, NULL), -12);
	assert_int_equal(rec.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_several_writers_one_reader),
		cmocka_unit_test(test_write_consumed_by_three_reads),
		cmocka_unit_test(test_read_spanning_writes),
		cmocka_unit_test(test_unmatched_tail),
		cmocka_unit_test(test_unread_writes),
		cmocka_unit_test(test_zero_length_ops),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_read_before_write_began),
		cmocka_unit_test(test_callback_error_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
