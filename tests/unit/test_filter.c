/*
 * test_filter - the filter option parsers of viz/filter.c: pid lists, kind
 * lists with '!', durations with units and windows, on good and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>
#include "viz/filter.h"

/* Assert that PARSE refuses each string of BAD (NULL-terminated) with
 * -EINVAL. */
static void expect_refused(struct viz_filter *f, int (*parse)(struct viz_filter *, const char *),
			   const char *const *bad)
{
	for (; *bad; bad++) {
		int rc = parse(f, *bad);

		if (rc != -EINVAL)
			fail_msg("'%s' gave %d, want -EINVAL", *bad, rc);
	}
}

static void test_pids(void **state)
{
	struct viz_filter f;

	viz_filter_init(&f);
	assert_int_equal(viz_filter_add_pids(&f, "12,345"), 0);
	assert_int_equal(viz_filter_add_pids(&f, "7"), 0);
	assert_int_equal(f.npids, 3);
	assert_int_equal(f.pids[0], 12);
	assert_int_equal(f.pids[1], 345);
	assert_int_equal(f.pids[2], 7);
	expect_refused(&f, viz_filter_add_pids,
		       (const char *const[]){ "", "0", "1,", ",1", "-3", "99999999999", NULL });
	assert_true(viz_filter_active(&f));
	viz_filter_release(&f);
	assert_false(viz_filter_active(&f));
}

static void test_kinds(void **state)
{
	struct viz_filter f;
	uint32_t all = ((1u << IPCT_KIND_MAX) - 1) & ~1u;

	viz_filter_init(&f);
	assert_int_equal(viz_filter_set_kinds(&f, "pipe,unix"), 0);
	assert_int_equal(f.kinds, (1u << IPCT_KIND_PIPE) | (1u << IPCT_KIND_UNIX));
	assert_int_equal(viz_filter_set_kinds(&f, "!file,shm"), 0);
	assert_int_equal(f.kinds, all & ~(1u << IPCT_KIND_FILE) & ~(1u << IPCT_KIND_SHM));
	assert_int_equal(viz_filter_set_kinds(&f, "all"), 0);
	assert_int_equal(f.kinds, all);
	expect_refused(&f, viz_filter_set_kinds,
		       (const char *const[]){ "!all", "pipes", "pip", "pipe,", "!", "", NULL });
	viz_filter_release(&f);
}

static void test_durations(void **state)
{
	uint64_t ns;

	assert_int_equal(viz_parse_duration("2.5ms", &ns), 0);
	assert_int_equal(ns, 2500000);
	assert_int_equal(viz_parse_duration("10us", &ns), 0);
	assert_int_equal(ns, 10000);
	assert_int_equal(viz_parse_duration("1500ns", &ns), 0);
	assert_int_equal(ns, 1500);
	assert_int_equal(viz_parse_duration("3s", &ns), 0);
	assert_int_equal(ns, 3000000000ull);
	assert_int_equal(viz_parse_duration("0.25", &ns), 0);
	assert_int_equal(ns, 250000000);
	assert_int_equal(viz_parse_duration("-1s", &ns), -EINVAL);
	assert_int_equal(viz_parse_duration("1h", &ns), -EINVAL);
	assert_int_equal(viz_parse_duration("nan", &ns), -EINVAL);
	assert_int_equal(viz_parse_duration("1e30", &ns), -EINVAL);
	assert_int_equal(viz_parse_duration("", &ns), -EINVAL);
}

static void test_windows(void **state)
{
	struct viz_filter f;

	viz_filter_init(&f);
	assert_int_equal(viz_filter_set_window(&f, "2.5ms,1s"), 0);
	assert_true(f.window);
	assert_int_equal(f.from_ns, 2500000);
	assert_int_equal(f.to_ns, 1000000000);
	assert_int_equal(viz_filter_set_window(&f, "1s,"), 0);
	assert_int_equal(f.from_ns, 1000000000);
	assert_true(f.to_ns == UINT64_MAX);
	assert_int_equal(viz_filter_set_window(&f, ",5ms"), 0);
	assert_int_equal(f.from_ns, 0);
	assert_int_equal(f.to_ns, 5000000);
	expect_refused(&f, viz_filter_set_window,
		       (const char *const[]){ "2s,1s", "1s,1s", "1s", "1,2,3", NULL });
	viz_filter_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
