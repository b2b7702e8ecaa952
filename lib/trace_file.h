/*
 * trace_file - reader and writer of ipctrace trace files (*.ipct), format v1.
 *
 * The trace file is the contract between tracer/ (which writes it) and viz/
 * (which reads it); docs/trace-format.md describes the bytes.  A file is a
 * fixed header followed by self-delimiting chunks (metadata, zlib-compressed
 * event batches, the process table, statistics, an end marker).  Chunks are
 * written as they fill, so a file cut short (Ctrl-C, full disk, crash)
 * still reads back up to its last whole chunk; the reader says so through
 * trace_reader_truncated().
 *
 * Events are the records of bpf/events.h.  The writer copies them; the
 * reader hands back pointers into its own buffer that stay valid until the
 * next trace_reader_next() call.
 *
 * All functions return 0 (or a count) on success and a negative errno on
 * failure; they never print and never exit.  A malformed file gives
 * -EBADMSG (foreign or corrupt) or -EPROTONOSUPPORT (newer version).
 */
#ifndef IPCTRACE_TRACE_FILE_H
#define IPCTRACE_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include "../bpf/events.h"

#define TRACE_FILE_VERSION 1

/*
 * A merged trace (`trace merge`) holds several hosts' recordings.  Host H's
 * processes carry pid | H << TRACE_HOST_PID_BITS (Linux pids stay below
 * 2^22), so host 0 keeps its own pids; meta.hosts[H] says who H is and how
 * its clock was aligned.  A single-host trace has nhosts 0.
 */
#define TRACE_HOST_PID_BITS 22
#define TRACE_HOST_PID_MASK ((1u << TRACE_HOST_PID_BITS) - 1)
#define TRACE_HOSTS_MAX 512          /* keeps qualified pids below 2^31 */
#define TRACE_HOST_NAME_LEN 32       /* label with its NUL: [A-Za-z0-9._-] */
#define TRACE_HOST_UNBOUNDED UINT64_MAX /* uncertainty_ns: no two-way bound */

struct trace_host {
	char name[TRACE_HOST_NAME_LEN];  /* host label */
	char source[256];                /* the recording it came from */
	char command[256];               /* its traced command, words joined by spaces */
	uint64_t start_realtime_ns;      /* that recording's wall-clock start */
	uint64_t start_monotonic_ns;     /* its monotonic clock at that instant */
	int64_t shift_ns;                /* added to its monotonic times in the merged trace */
	int64_t offset_ns;               /* how far its wall clock was found ahead of host 0's */
	uint64_t uncertainty_ns;         /* +- on offset_ns, or TRACE_HOST_UNBOUNDED */
	uint64_t pairs;                  /* matched cross-host send/receive pairs used */
	uint32_t flags;                  /* TRACE_HOST_* */
};
#define TRACE_HOST_LOWER 1u          /* traffic to it bounded the offset from below */
#define TRACE_HOST_UPPER 2u          /* traffic from it bounded it from above */
#define TRACE_HOST_INCONSISTENT 4u   /* the bounds crossed (clock drift, or a bad join) */

static inline uint32_t trace_host_of_pid(uint32_t pid)
{
	return pid >> TRACE_HOST_PID_BITS;
}

/* True when NAME is a usable host label: 1..31 of [A-Za-z0-9._-]. */
bool trace_host_name_valid(const char *name);

/* What the tracer knew when it started. */
struct trace_meta {
	char host[256];              /* uname nodename */
	char kernel[256];            /* uname release + " " + machine */
	int argc;                    /* traced command line */
	char **argv;                 /* writer: caller's; reader: owned by reader */
	uint64_t start_realtime_ns;  /* wall clock at start (CLOCK_REALTIME) */
	uint64_t start_monotonic_ns; /* CLOCK_MONOTONIC at the same instant */
	uint32_t root_pid;           /* pid of the traced command (0 if none) */
	uint32_t flags;              /* TRACE_META_* */
	uint32_t nhosts;             /* merged traces: hosts[]; else 0 */
	struct trace_host *hosts;    /* writer: caller's; reader: owned by reader */
};
#define TRACE_META_ARGV_CUT 1u       /* argv was cut to fit the limits below;
					its last entry says what was left out */
#define TRACE_META_SHM_TOUCHES 2u    /* shm was recorded with first touches of shared
					pages (IPCT_EV_TOUCH): a page nobody touched was
					not touched */
#define TRACE_META_MAX_ARGC 4096             /* argv entries stored */
#define TRACE_META_MAX_ARG_LEN (128u << 10)  /* bytes of one entry, with its NUL */

/* One process as the tracer saw it. */
struct trace_process {
	uint32_t pid;
	uint32_t ppid;
	char comm[IPCT_COMM_LEN];    /* last comm seen (after exec) */
	uint64_t start_ns;           /* monotonic; 0 if started before tracing */
	uint64_t end_ns;             /* monotonic; 0 if still running at the end */
	int32_t exit_status;         /* wait(2) status; -1 if not seen */
	uint32_t flags;              /* TRACE_PROCESS_* */
};
#define TRACE_PROCESS_EXITED 1u  /* exit_status is valid */
#define TRACE_PROCESS_EXECED 2u  /* the process exec'd while traced */

/* Counters written at the end of the recording. */
struct trace_stats {
	uint64_t events;                   /* events written */
	uint64_t lost[IPCT_KIND_MAX];      /* events dropped in the kernel, by kind */
	uint64_t end_monotonic_ns;         /* when recording stopped */
	int32_t exit_status;               /* wait(2) status of the root command, -1 if unknown */
	uint32_t flags;                    /* TRACE_STATS_* */
	uint64_t unrecorded;               /* events drained but not written: the size limit was reached */
};
#define TRACE_STATS_INTERRUPTED 1u /* recording was stopped by a signal */
#define TRACE_STATS_SIZE_LIMIT 2u  /* --max-size was reached: later events are counted, not stored */
#define TRACE_STATS_DURATION 4u    /* --duration ended the recording */

/* ---- records ---- */

/* The smallest size in bytes of a record of TYPE (its struct in
 * bpf/events.h), or 0 for a type this version does not know. */
size_t trace_event_min_size(unsigned int type);
/* 0 when EV (hdr->size bytes readable) is at least its type's minimum size
 * and its payload_len, if it has one, fits in it; -EBADMSG otherwise.  The
 * reader never returns a record that fails this; other sources of records
 * (the ring buffer, tests) are checked by their consumers. */
int trace_event_check(const struct ipct_event_header *ev);
/* Write the IPCT_EV_IO form of the compact stream record EV (peer and
 * socket fields zero, the same payload) into OUT, which has ROOM bytes:
 * its size, or 0 when EV is not a well-formed stream record or does not
 * fit.  The reader does this for every consumer. */
size_t trace_event_stream_to_io(const struct ipct_event_header *ev, void *out, size_t room);

/* ---- writer ---- */
struct trace_writer;

/* Create PATH (truncating it) and write the header and metadata. */
int trace_writer_open(struct trace_writer **out, const char *path,
		      const struct trace_meta *meta);
/* The same on FD, open for writing; the writer owns FD from here on, and
 * closes it also when this fails. */
int trace_writer_open_fd(struct trace_writer **out, int fd, const struct trace_meta *meta);
/* Append one event record (hdr->size bytes; a multiple of 8, >= header).
 * Fills a chunk in memory and writes it out when it is full. */
int trace_writer_append(struct trace_writer *w, const struct ipct_event_header *ev);
/* Compress and write the pending events now (a no-op when none). */
int trace_writer_flush(struct trace_writer *w);
/* Flush, write the process table, the statistics and the end marker, close
 * the file and free W.  W is freed even on error.  NULL W is a no-op. */
int trace_writer_close(struct trace_writer *w, const struct trace_process *procs,
		       size_t nprocs, const struct trace_stats *stats);
/* Free W without finishing the file (what is flushed stays readable). */
void trace_writer_abort(struct trace_writer *w);
/* Bytes written to the file so far. */
uint64_t trace_writer_bytes(const struct trace_writer *w);

/* ---- reader ---- */
struct trace_reader;

int trace_reader_open(struct trace_reader **out, const char *path);
/* Read from memory (copied).  For tests and the fuzzer. */
int trace_reader_open_memory(struct trace_reader **out, const void *data, size_t len);
void trace_reader_free(struct trace_reader *r);

const struct trace_meta *trace_reader_meta(const struct trace_reader *r);
/* Next event in file order: 1 and *ev set, 0 at the end, or -errno. */
int trace_reader_next(struct trace_reader *r, const struct ipct_event_header **ev);
/* Start the event stream again from the first event. */
int trace_reader_rewind(struct trace_reader *r);
/* Process table and statistics from the end of the file.  When the file
 * has no such chunk (it was cut short), nprocs is 0 / stats is NULL. */
const struct trace_process *trace_reader_processes(const struct trace_reader *r, size_t *nprocs);
const struct trace_stats *trace_reader_stats(const struct trace_reader *r);
/* True when the file ended before its end marker (cut short or corrupt
 * tail); everything before the cut is still returned. */
bool trace_reader_truncated(const struct trace_reader *r);
/* Size of the trace file in bytes. */
uint64_t trace_reader_file_bytes(const struct trace_reader *r);
/* Events the file's EVENTS chunk headers announce (before reading them). */
uint64_t trace_reader_event_count(const struct trace_reader *r);

/* A human-readable reason for a negative return of trace_reader_*. */
const char *trace_file_strerror(int err);

#endif /* IPCTRACE_TRACE_FILE_H */
