/*
 * report_internal - what report.c (statistics, JSON) and report_text.c
 * (the human summary) share.  Not a public API.
 */
#ifndef IPCTRACE_VIZ_REPORT_INTERNAL_H
#define IPCTRACE_VIZ_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "viz.h"

/* Calls of one direction (send or receive) on one object. */
struct call_stats {
	uint64_t calls;
	uint64_t errors;        /* calls that returned -errno */
	uint64_t bytes;         /* bytes moved */
	uint64_t total_ns;      /* time inside the calls */
	uint64_t min_ns, p50_ns, p99_ns, max_ns;  /* valid when calls > 0 */
};

/* stats[2 * object + 0] is sends, [2 * object + 1] receives. */
#define STAT_SEND 0
#define STAT_RECV 1

/* Per-object, per-direction call statistics: a new array of 2 * nobjects
 * entries in *OUT (to free).  0 or -ENOMEM. */
int report_compute_stats(const struct viz_model *m, struct call_stats **out);
/* Is object I listed: shown (VIZ_OBJ_SHOWN), or any object with --all? */
static inline bool report_channel_shown(const struct viz_model *m, size_t i)
{
	return m->show_all || (m->objects[i].flags & VIZ_OBJ_SHOWN) != 0;
}
/* A wait(2) status as a shell shows it: the exit code, or 128 + signal. */
int report_exit_code(int32_t status);
/* The wait status of the traced command, or -1 when unknown. */
int32_t report_command_status(const struct viz_model *m);

/* report_text.c, for the other sections: a duration in a fitting unit
 * ("12.5 µs"), "PID comm" (escaped), a string escaped for a terminal, the
 * summary's header (command, exit status, duration, events). */
void report_put_duration(FILE *out, uint64_t ns);
void report_put_process(const struct viz_model *m, FILE *out, uint32_t pid);
void report_put_safe(FILE *out, const char *s, size_t max);
void report_text_header(const struct viz_model *m, FILE *out);

/* report_pages.c: first touches of shared pages, the text section and a
 * shm channel's ", \"pages\": [...]" in report.json. */
void report_text_pages(const struct viz_model *m, FILE *out);
void report_json_pages(const struct viz_model *m, uint32_t object, FILE *out);

#endif /* IPCTRACE_VIZ_REPORT_INTERNAL_H */
