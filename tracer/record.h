/*
 * record - run a command under the BPF probes and write its trace file.
 *
 * record_run() loads and attaches bpf/ipctrace.bpf.c (through the generated
 * skeleton), starts the command stopped on a pipe, marks it traced through
 * a pidfd, lets it exec, then drains the ring buffer in batches into a
 * trace_writer until the command exits (or the user stops it), and writes
 * the process table and loss counters at the end.  Optional limits: a
 * duration (then the command is stopped as timeout(1) does) and a file
 * size (then later events are counted, not stored).
 *
 * It prints nothing: failures come back as a negative errno plus a
 * one-line message in `err` (what failed, quoted subject, and a hint).
 * Warnings met on the way (a write error, a loss) are in the result.
 */
#ifndef IPCTRACE_TRACER_RECORD_H
#define IPCTRACE_TRACER_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bpf/events.h"

/* What on_progress is told. */
struct record_progress {
	uint64_t elapsed_ns;
	uint64_t events;           /* written to the file */
	uint64_t lost;             /* dropped in the kernel, all kinds */
	uint64_t unrecorded;       /* counted, not written: past max_bytes */
	uint64_t file_bytes;
};

/* `trace stat`: one counter of the kernel side (bpf/stat.bpf.h). */
struct record_stat {
	struct ipct_stat_key key;
	struct ipct_stat_value value;
};

struct record_options {
	char **argv;               /* command and its arguments, NULL-terminated;
				      NULL when attaching to attach_pid */
	pid_t attach_pid;          /* -p: trace this running process instead */
	uint32_t kinds;            /* bit (1 << enum ipct_kind) per kind to record */
	uint32_t payload_bytes;    /* -s: payload bytes captured per message */
	unsigned int drain_delay_ms; /* test hook: wait this long before draining */
	int trace_fd;              /* file to write the trace to; record_run()
				      closes it */
	const char *trace_path;    /* its name, for messages */
	unsigned int buffer_kib;   /* ring buffer size in KiB, power of two */
	bool verbose;              /* libbpf debug output on stderr */
	uid_t run_uid;             /* run the command as this user ... */
	gid_t run_gid;
	bool run_as_user;          /* ... when set */
	const char *run_user_name; /* for supplementary groups, or NULL */
	/* Called once when the command has exited but N of its descendants
	 * still run and are waited for (the caller may tell the user). */
	void (*on_orphans)(size_t n);
	uint64_t duration_ns;      /* --duration: stop after this long (0: no limit) */
	uint64_t max_bytes;        /* --max-size: trace file limit (0: none) */
	/* Called about once a second while recording, when set. */
	void (*on_progress)(const struct record_progress *p);
	/* Called once the trace has its header and the command or process is
	 * traced, before the command runs; with ARG. */
	void (*on_tracing)(void *arg);
	void *arg;
	bool stat_mode;            /* count the hot calls in the kernel, do not record them */
	uint64_t stat_interval_ns; /* stat mode: call on_stats this often (0: never) */
	/* The counters so far (N of them, ELAPSED since the start). */
	void (*on_stats)(const struct record_stat *st, size_t n, uint64_t elapsed_ns);
};

/* Are first touches of shared pages recorded (the page-fault program
 * loaded, its map of shared ranges kept)?  As touches_on() in BPF. */
static inline bool record_touches(const struct record_options *opt)
{
	return (opt->kinds & (1u << IPCT_KIND_SHM)) && !opt->stat_mode;
}

struct record_result {
	int wait_status;           /* of the command, as from waitpid() */
	uint32_t root_pid;
	uint64_t events_seen;      /* events drained from the kernel */
	uint64_t events;           /* of them, handed to the trace writer (those in
				      the file, unless write_error says otherwise) */
	uint64_t lost;             /* events lost in the kernel, all kinds */
	uint64_t duration_ns;
	bool interrupted;          /* a stop signal ended the recording */
	int write_error;           /* -errno of the first trace write failure, or 0 */
	bool exec_failed;          /* the command could not be executed */
	bool waited_for_orphans;   /* descendants outlived the command */
	bool timed_out;            /* the duration limit ended the recording */
	uint64_t unrecorded;       /* events not written: the size limit was reached */
	struct record_stat *stats; /* stat mode: the final counters (free() them) */
	size_t nstats;
};

#define RECORD_ERR_LEN 512

/* Every kind. */
#define RECORD_ALL_KINDS IPCT_KINDS_ALL

/* Returns 0 when the command ran (whatever its exit status), or -errno
 * with ERR filled when it could not be traced. */
int record_run(const struct record_options *opt, struct record_result *res,
	       char err[RECORD_ERR_LEN]);

struct trace_writer;
/* Read the counters of trace stat (the slot hash at SLOTS_FD, the per-CPU
 * slot array at VALUES_FD), summed over CPUs, into a new array. */
int stat_map_read(int slots_fd, int values_fd, struct record_stat **out, size_t *count);
/* Append the counters to the trace as IPCT_EV_STAT records stamped NOW. */
int stat_map_write(struct trace_writer *w, const struct record_stat *st, size_t n, uint64_t now);

/* Find CMD as execvp() would; 0 when it exists and is executable, or
 * -ENOENT / -EACCES. */
int record_find_command(const char *cmd);

#endif
