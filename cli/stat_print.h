/*
 * stat_print - output of `trace stat` (see stat_print.c).
 */
#ifndef IPCTRACE_CLI_STAT_PRINT_H
#define IPCTRACE_CLI_STAT_PRINT_H

#include <stdbool.h>
#include <stdio.h>
#include "tracer/record.h"
#include "lib/trace_file.h"

/* A path a traced process opened, by the object it named. */
struct stat_path {
	uint32_t dev;
	uint64_t ino;
	size_t seq;                    /* order of the open in the trace */
	char path[IPCT_PATH_LEN];
};

/* Process and object names for the tables. */
struct stat_names {
	struct trace_process *procs;
	size_t nprocs;
	struct stat_path *paths;       /* sorted by (dev, ino) */
	size_t npaths;
};

/* Names from the trace at PATH: its process table and the paths its open
 * records name (none if unreadable). */
void stat_names_load(struct stat_names *names, const char *trace_path);
void stat_names_release(struct stat_names *names);

/* The direction of counter K: send, recv; P, V, wake, wait for semaphores. */
const char *stat_dir_name(const struct ipct_stat_key *k);
/* The object of counter K as text (report.json's channel id form). */
void stat_object_id(const struct ipct_stat_key *k, char *buf, size_t size);
/* Sort by time in the calls, most first. */
void stat_sort(struct record_stat *st, size_t n);
/* Sort by key (for stat_delta). */
void stat_sort_by_key(struct record_stat *st, size_t n);
/* OUT = NOW - PREV per key, both sorted by key; counters with no new call
 * are left out.  OUT has room for N; returns the count written. */
size_t stat_delta(const struct record_stat *now, size_t n, const struct record_stat *prev,
		  size_t nprev, struct record_stat *out);
/* The table of the first TOP counters (0: all); with HIST, a log2
 * histogram of ns per call under each line. */
void stat_print_table(FILE *out, const struct record_stat *st, size_t n,
		      const struct stat_names *names, bool hist, size_t top);
void stat_print_json(FILE *out, const struct record_stat *st, size_t n,
		     const struct stat_names *names, uint64_t elapsed_ns);

#endif
