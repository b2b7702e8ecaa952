/*
 * fuzz_trace_reader - libFuzzer entry point over the trace-file reader.
 *
 * Opens the input with trace_reader_open_memory() and touches everything a
 * consumer would: the metadata strings, every event (reading each record
 * to its stated size), the process table and the statistics; then rewinds
 * and reads the events again.  Build and run (seeds in fuzz/corpus/):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       fuzz/fuzz_trace_reader.c lib/trace_*.c -lz -o /tmp/fuzz_trace_reader
 *   /tmp/fuzz_trace_reader -max_total_time=60 /tmp/corpus fuzz/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/trace_file.h"

static volatile uint64_t sink;

static void touch(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		sink += b[i];
}

static void read_events(struct trace_reader *r)
{
	const struct ipct_event_header *ev;

	while (trace_reader_next(r, &ev) == 1) {
		if (ev->size < sizeof(*ev) || ev->size % 8)
			__builtin_trap();	/* the reader promised valid sizes */
		touch(ev, ev->size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct trace_process *procs;
	const struct trace_stats *stats;
	const struct trace_meta *meta;
	struct trace_reader *r;
	size_t nprocs;
	int err;

	err = trace_reader_open_memory(&r, data, size);
	if (err) {
		sink += strlen(trace_file_strerror(err));
		return 0;
	}
	meta = trace_reader_meta(r);
	sink += strlen(meta->host) + strlen(meta->kernel);
	for (int i = 0; i < meta->argc; i++)
		sink += strlen(meta->argv[i]);
	if (meta->argv[meta->argc])
		__builtin_trap();	/* argv must be NULL-terminated */
	read_events(r);
	trace_reader_rewind(r);
	read_events(r);
	procs = trace_reader_processes(r, &nprocs);
	for (size_t i = 0; i < nprocs; i++)
		sink += strlen(procs[i].comm) + procs[i].pid;
	stats = trace_reader_stats(r);
	if (stats)
		touch(stats, sizeof(*stats));
	sink += trace_reader_truncated(r) + trace_reader_file_bytes(r);
	trace_reader_free(r);
	return 0;
}
