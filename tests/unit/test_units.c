/*
 * test_units - durations written by viz/units.c in each style, at the
 * edges of each unit, and without an exponent however long.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "viz/units.h"

static void expect(uint64_t ns, enum viz_duration_style style, const char *want)
{
	char buf[32];

	assert_string_equal(viz_format_duration(buf, sizeof(buf), ns, style), want);
}

static void test_report(void **state)
{
	expect(0, VIZ_DURATION_REPORT, "0 ns");
	expect(999, VIZ_DURATION_REPORT, "999 ns");
	expect(12500, VIZ_DURATION_REPORT, "12.5 \xc2\xb5s");
	expect(3250000, VIZ_DURATION_REPORT, "3.250 ms");
	expect(1500000000, VIZ_DURATION_REPORT, "1.500 s");
}

static void test_label(void **state)
{
	expect(850, VIZ_DURATION_LABEL, "850 ns");
	expect(1000, VIZ_DURATION_LABEL, "1.0 \xc2\xb5s");
	expect(10000000, VIZ_DURATION_LABEL, "10.0 ms");
	expect(1500000000, VIZ_DURATION_LABEL, "1.50 s");
}

static void test_short(void **state)
{
	expect(300000, VIZ_DURATION_SHORT, "300 \xc2\xb5s");
	expect(4560000, VIZ_DURATION_SHORT, "4.56 ms");
	expect(1234000000, VIZ_DURATION_SHORT, "1.23 s");
	expect(999000000000ull, VIZ_DURATION_SHORT, "999 s");
	expect(3600000000000ull, VIZ_DURATION_SHORT, "3600 s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
