/*
 * meta - see meta.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "meta.h"

/* All entries together stay below this many bytes. */
#define ARGV_BYTES_MAX (16u << 20)

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Copy ARGV into M: at most TRACE_META_MAX_ARGC entries of less than
 * TRACE_META_MAX_ARG_LEN bytes, ARGV_BYTES_MAX in all.  What does not fit
 * is cut, M is flagged, and a last entry tells how many arguments were
 * left out.  (The command itself runs with them all.) */
static int copy_argv(struct trace_meta *m, char *const *argv)
{
	static const char cut_note[] = " [cut]";
	size_t total = 0, max_len = TRACE_META_MAX_ARG_LEN - 1;
	int argc, n;

	for (argc = 0; argv[argc]; argc++)
		;
	/* NULL-terminated; the last slot may hold the note */
	m->argv = calloc((argc < TRACE_META_MAX_ARGC ? argc : TRACE_META_MAX_ARGC) + 1,
			 sizeof(*m->argv));
	if (!m->argv)
		return -ENOMEM;
	for (n = 0; n < argc && total < ARGV_BYTES_MAX; n++) {
		size_t len = strlen(argv[n]);

		if (n == TRACE_META_MAX_ARGC - 1 && argc > TRACE_META_MAX_ARGC)
			break;	/* the last entry is the note */
		if (len > max_len) {
			m->argv[n] = malloc(max_len + 1);
			if (m->argv[n])
				snprintf(m->argv[n], max_len + 1, "%.*s%s",
					 (int)(max_len - strlen(cut_note)), argv[n], cut_note);
			m->flags |= TRACE_META_ARGV_CUT;
		} else {
			m->argv[n] = strdup(argv[n]);
		}
		if (!m->argv[n])
			return -ENOMEM;
		total += len + 8;
	}
	if (n < argc) {
		if (asprintf(&m->argv[n], "[%d more arguments not stored]", argc - n) < 0) {
			m->argv[n] = NULL;
			return -ENOMEM;
		}
		n++;
		m->flags |= TRACE_META_ARGV_CUT;
	}
	m->argc = n;
	return 0;
}

int record_meta_fill(struct trace_meta *m, char *const *argv, pid_t attach_pid)
{
	struct utsname uts;
	int ret;

	uname(&uts);
	snprintf(m->host, sizeof(m->host), "%s", uts.nodename);
	snprintf(m->kernel, sizeof(m->kernel), "%s %s", uts.release, uts.machine);
	if (argv) {
		ret = copy_argv(m, argv);
	} else {
		char *desc[2] = { NULL, NULL };

		ret = asprintf(&desc[0], "pid %d", (int)attach_pid) < 0 ? -ENOMEM : 0;
		if (!ret)
			ret = copy_argv(m, desc);
		free(desc[0]);
	}
	/* The two clocks read back to back: the gap between them is an error
	 * in every wall-clock time of the trace. */
	m->start_realtime_ns = clock_ns(CLOCK_REALTIME);
	m->start_monotonic_ns = clock_ns(CLOCK_MONOTONIC);
	/* Tests of `trace merge` pretend this host's wall clock is off. */
	if (getenv("IPCTRACE_TEST_CLOCK_SHIFT_NS"))
		m->start_realtime_ns += (uint64_t)strtoll(getenv("IPCTRACE_TEST_CLOCK_SHIFT_NS"), NULL, 10);
	return ret;
}

void record_meta_release(struct trace_meta *m)
{
	if (!m->argv)
		return;
	for (int i = 0; m->argv[i]; i++)
		free(m->argv[i]);
	free(m->argv);
	m->argv = NULL;
}
