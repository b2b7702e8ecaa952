/*
 * units - a duration written in the unit that suits it (ns, µs, ms, s),
 * the one way the report, the graph labels and the timeline write times;
 * they differ only in how many digits they keep.
 */
#ifndef IPCTRACE_VIZ_UNITS_H
#define IPCTRACE_VIZ_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum viz_duration_style {
	VIZ_DURATION_REPORT,    /* "850 ns", "12.5 µs", "3.250 ms", "1.500 s" */
	VIZ_DURATION_LABEL,     /* "850 ns", "12.5 µs", "3.2 ms", "1.50 s" */
	VIZ_DURATION_SHORT,     /* "850 ns", "12.5 µs", "3.25 ms", "1.5 s": 3 digits */
};

/* NS into BUF (SIZE bytes) in STYLE; returns BUF. */
char *viz_format_duration(char *buf, size_t size, uint64_t ns, enum viz_duration_style style);

#endif
