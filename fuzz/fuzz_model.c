/*
 * fuzz_model - libFuzzer entry point over the reader plus the model build
 * and the outputs drawn from a model without Graphviz.
 *
 * Reads the input with trace_reader_open_memory(), builds the model of
 * viz/model.h from it (matching included), then writes the text and JSON
 * reports, the timeline and the Perfetto export to /dev/null.  A model
 * build may fail with -EBADMSG or -ENOMEM; nothing may crash, read out of
 * bounds or hit undefined behaviour.  Graph layout is left out: libgvc is
 * third-party code with its own leaks, and its time is bounded elsewhere.
 * Build and run: `make fuzz` (see the Makefile; seeds in fuzz/corpus/).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/trace_file.h"
#include "viz/viz.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader *r;
	struct viz_model m;
	int err;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		__builtin_trap();
	if (trace_reader_open_memory(&r, data, size))
		return 0;
	err = viz_model_build(&m, r);
	trace_reader_free(r);
	if (err) {
		viz_model_release(&m);
		return 0;
	}
	report_text(&m, devnull);
	report_json(&m, devnull);
	timeline_render(&m, devnull);
	perfetto_render(&m, devnull);
	viz_model_release(&m);
	/* the streaming load (byte streams matched while reading) */
	if (trace_reader_open_memory(&r, data, size))
		return 0;
	err = viz_model_build_with(&m, r, VIZ_LOAD_STREAM);
	trace_reader_free(r);
	if (!err) {
		report_text(&m, devnull);
		report_json(&m, devnull);
	}
	viz_model_release(&m);
	return 0;
}
