/*
 * test_util_trace - trace-file fixtures shared by the unit tests of the
 * writer and reader, compiled once like test_util.c.  The checks fail the
 * running test through cmocka's asserts.
 */
#ifndef IPCTRACE_TESTS_UNIT_TEST_UTIL_TRACE_H
#define IPCTRACE_TESTS_UNIT_TEST_UTIL_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include "lib/trace_file.h"

#define UNIT_NPROCS 3           /* entries of unit_procs */
#define UNIT_MIXED_EVENTS 7     /* records unit_mixed_event() builds */
#define UNIT_RNG_SEED 88172645463325252ull

/* A temporary file path "$TMPDIR/test_trace_file.XXXXXX" (static storage,
 * overwritten by the next call). */
char *unit_trace_path(void);
/* The whole file PATH, malloc'd; its size in *LEN. */
uint8_t *unit_slurp(const char *path, size_t *len);
/* Little-endian 32-bit load and store, as the file stores numbers. */
uint32_t unit_load32(const uint8_t *p);
void unit_store32(uint8_t *p, uint32_t v);

/* A header with hostile strings and argv; unit_check_meta() asserts that
 * M reads back as unit_fill_meta() wrote it. */
void unit_fill_meta(struct trace_meta *m);
void unit_check_meta(const struct trace_meta *m);
/* Statistics for EVENTS events with a loss count per kind, and the check
 * that S reads back as unit_fill_stats() wrote it. */
void unit_fill_stats(struct trace_stats *s, uint64_t events);
void unit_check_stats(const struct trace_stats *s, uint64_t events);
/* A process table of three (one with a hostile comm). */
extern const struct trace_process unit_procs[UNIT_NPROCS];

/* A writer of PATH with the unit_fill_meta() header. */
struct trace_writer *unit_trace_writer(const char *path);
/* Close W (no process table, no statistics) and open PATH for reading. */
struct trace_reader *unit_trace_reread(struct trace_writer *w, const char *path);

/* A deterministic pseudo-random generator (so failures reproduce), and
 * its restart from SEED. */
uint32_t unit_rng(void);
void unit_rng_seed(uint64_t seed);

/* The I-th (0 to UNIT_MIXED_EVENTS - 1) of records of several types and
 * sizes: fork, exec, pipe, io, an unknown type, a 4 KiB unknown record
 * (its bytes from unit_rng()), exit.  Valid until the next call with I. */
const struct ipct_event_header *unit_mixed_event(int i);
/* A small file: the mixed records but the 4 KiB one in 3 EVENTS chunks,
 * then unit_procs and statistics.  Its bytes, malloc'd; size in *LEN. */
uint8_t *unit_small_file(size_t *len);

#endif
