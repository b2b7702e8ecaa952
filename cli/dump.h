/*
 * dump - `trace dump`: every record of a trace as a line a strace user
 * reads (dump_events.c fills a dump_line per record, dump_line.c writes
 * it as text or JSON).
 */
#ifndef IPCTRACE_CLI_DUMP_H
#define IPCTRACE_CLI_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "dump_line.h"
#include "dump_names.h"
#include "lib/trace_file.h"

struct dump_state {
	struct dump_names names;  /* paths and queue names seen so far */
	uint64_t t0;              /* start of the trace (monotonic ns) */
	bool json;                /* --json: one object per line */
	char fd_text[512];        /* what the line's descriptor is */
	char ret_text[512];       /* what a returned descriptor is */
};

/* Write record H (read by trace_reader_next) as one line. */
void dump_event(struct dump_state *st, FILE *out, const struct ipct_event_header *h);

#endif
