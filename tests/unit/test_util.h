/*
 * test_util - helpers shared by the cmocka unit tests (tests/unit/test_*.c),
 * compiled once into .output/tests/unit/test_util.o and linked into each.
 * They fail the running test through cmocka's asserts instead of
 * returning errors; temporary files go under $TMPDIR (default /tmp).
 */
#ifndef IPCTRACE_TESTS_UNIT_TEST_UTIL_H
#define IPCTRACE_TESTS_UNIT_TEST_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include "lib/trace_file.h"
#include "viz/model.h"

/* A renderer of viz/: graph, timeline, perfetto, report. */
typedef int (*unit_render_fn)(const struct viz_model *m, FILE *out);

/* Create an empty temporary file "$TMPDIR/NAME.XXXXXX"; its path into
 * PATH (SIZE bytes). */
void unit_temp_file(char *path, size_t size, const char *name);
/* Write LEN bytes of TEXT into a new temporary file; its path into PATH. */
void unit_temp_text(char *path, size_t size, const char *name, const char *text, size_t len);

/* M rendered by FN, as a malloc'd NUL-terminated string; its length in
 * *LEN when LEN is not NULL. */
char *unit_render(const struct viz_model *m, unit_render_fn fn, size_t *len);
/* An empty model (no process, no event) rendered by FN, as unit_render. */
char *unit_render_empty(unit_render_fn fn, size_t *len);
/* graph_render() as DOT and as SVG, in the shape of a unit_render_fn. */
int unit_graph_dot(const struct viz_model *m, FILE *out);
int unit_graph_svg(const struct viz_model *m, FILE *out);

/* Assert that FN writing M to a full disk (/dev/full) fails with -EIO;
 * skip the test when there is no /dev/full. */
void unit_expect_eio(const struct viz_model *m, unit_render_fn fn);

/* How many times NEEDLE occurs in HAY (overlapping ones too). */
size_t unit_count(const char *hay, const char *needle);

/* A text that what FN writes of a model holds, or with ABSENT, does not. */
struct unit_text {
	unit_render_fn fn;
	const char *text;
	bool absent;
};
/* Check every row of WANT, up to a row without FN, against M rendered by
 * that row's FN; a failure names the text. */
void unit_expect_texts(const struct viz_model *m, const struct unit_text *want);
/* 0 when xmllint accepts the LEN bytes of TEXT as well-formed XML. */
int unit_xmllint(const char *text, size_t len);
/* The output of `jq -c FILTER` on the NUL-terminated JSON (malloc'd,
 * without its last newline), or NULL when jq fails. */
char *unit_jq(const char *json, const char *filter);
/* Assert that `jq -c FILTER` on JSON prints WANT (lines joined by \n). */
void unit_expect_jq(const char *json, const char *filter, const char *want);

/* A trace writer on a new temporary file "$TMPDIR/NAME.XXXXXX" (its
 * path into PATH, SIZE bytes): a run of ARGV (NULL-terminated) on
 * "testhost" whose root is ROOT, started at monotonic T0. */
struct trace_writer *unit_trace_open(char *path, size_t size, const char *name,
				     char **argv, uint32_t root, uint64_t t0);
/* The header of a record of TYPE, SIZE bytes long, written at monotonic
 * TS by PID (its main thread). */
void unit_event_header(struct ipct_event_header *h, uint16_t type, size_t size,
		       uint64_t ts, uint32_t pid);

/* Hand-built models: append to M (whose arrays the caller allocated)
 * process PID, child of PPID, named COMM (cut to 16 bytes without a NUL,
 * like the kernel's), living from START to END and exited with STATUS,
 * in the next lane. */
struct viz_process *unit_add_process(struct viz_model *m, uint32_t pid, uint32_t ppid,
				     const char *comm, uint64_t start, uint64_t end,
				     int32_t status);
/* Append a read (DIR RECV) or write (SEND) by PID on object OBJECT that
 * returned RET at TS after DURATION ns; it asked for RET bytes when RET
 * is positive, else 8. */
struct viz_op *unit_add_op(struct viz_model *m, uint32_t pid, uint32_t object,
			   enum ipct_dir dir, uint64_t ts, uint64_t duration, int64_t ret);
/* What viz_model_build() derives after matching: the pid index, what is
 * shown. */
void unit_model_finish(struct viz_model *m);

/* How many entries of each array a hand-built model has room for. */
struct unit_model_room {
	size_t processes, objects, ops, transfers, flows, forks;
};

/* Start a hand-built model M: all zero but a copy of ARGV (NULL-terminated,
 * or NULL for none) that viz_model_release() frees like a loaded one's,
 * root pid ROOT, DURATION ns, and the arrays ROOM asks for (those of 0
 * entries stay NULL). */
void unit_model_start(struct viz_model *m, char *const argv[], uint32_t root,
		      uint64_t duration, struct unit_model_room room);

#endif
