/*
 * record_progress - the live status line of a recording on a terminal,
 * redrawn about once a second (as dd status=progress does) and cleared
 * before the summary; the notice about orphans.
 */
#include <stdbool.h>
#include <stdio.h>
#include "record_cmd.h"

void cli_print_size(FILE *out, uint64_t bytes)
{
	if (bytes >= 10 * 1024 * 1024)
		fprintf(out, "%.1f MiB", bytes / 1048576.0);
	else if (bytes >= 10 * 1024)
		fprintf(out, "%.1f KiB", bytes / 1024.0);
	else
		fprintf(out, "%llu bytes", (unsigned long long)bytes);
}

static bool progress_shown;

void cli_tell_progress(const struct record_progress *p)
{
	static uint64_t last_events, last_ns;
	double dt = (p->elapsed_ns - last_ns) / 1e9;

	fprintf(stderr, "\r\033[Kipctrace: %.0f s, %llu events (%.0f/s), %llu lost, trace ",
		p->elapsed_ns / 1e9, (unsigned long long)p->events,
		dt > 0 ? (p->events - last_events) / dt : 0.0, (unsigned long long)p->lost);
	cli_print_size(stderr, p->file_bytes);
	if (p->unrecorded)
		fprintf(stderr, ", size limit: %llu not recorded", (unsigned long long)p->unrecorded);
	fflush(stderr);
	last_events = p->events;
	last_ns = p->elapsed_ns;
	progress_shown = true;
}

void cli_clear_progress(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

void cli_tell_orphans(size_t n)
{
	fprintf(stderr, "ipctrace: the command exited; still following the processes it "
		"left running (Ctrl-C stops)\n");
}
