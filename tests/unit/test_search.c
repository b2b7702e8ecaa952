/*
 * test_search - VIZ_PARTITION (viz/search.h) against a linear scan, on
 * every key of a sorted array with runs of equal values, and on sub-ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "viz/search.h"

static void test_against_scan(void **state)
{
	unsigned v[200];

	for (size_t i = 0; i < 200; i++)
		v[i] = (unsigned)(i / 3) * 2;           /* 0 0 0 2 2 2 4 ... */
	for (unsigned key = 0; key <= 140; key++) {
		for (size_t lo = 0; lo <= 200; lo += 50) {
			size_t want = lo;

			while (want < 200 && v[want] < key)
				want++;
			assert_int_equal(VIZ_PARTITION(lo, 200, i, v[i] < key), want);
		}
	}
	assert_int_equal(VIZ_PARTITION(7, 7, i, v[i] < 1000), 7);      /* empty range */
	assert_int_equal(VIZ_PARTITION(0, 200, i, v[i] <= 1000), 200);  /* all below */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
