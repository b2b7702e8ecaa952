/*
 * units - see units.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include "units.h"

char *viz_format_duration(char *buf, size_t size, uint64_t ns, enum viz_duration_style style)
{
	/* per style: the formats of µs, ms and s */
	static const char *const fmt[][3] = {
		[VIZ_DURATION_REPORT] = { "%.1f \xc2\xb5s", "%.3f ms", "%.3f s" },
		[VIZ_DURATION_LABEL] = { "%.1f \xc2\xb5s", "%.1f ms", "%.2f s" },
		[VIZ_DURATION_SHORT] = { "%.3g \xc2\xb5s", "%.3g ms", "%.3g s" },
	};

	if (ns < 1000)
		snprintf(buf, size, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		snprintf(buf, size, fmt[style][0], ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, fmt[style][1], ns / 1e6);
	else if (style == VIZ_DURATION_SHORT && ns >= 1000000000000ull)
		snprintf(buf, size, "%.0f s", ns / 1e9);	/* no exponent */
	else
		snprintf(buf, size, fmt[style][2], ns / 1e9);
	return buf;
}
