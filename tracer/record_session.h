/*
 * record_session - what the stages of one recording share (tracer/
 * record*.c only): the session, the ring buffer callback's state, the
 * stop signals seen, and the helpers each stage calls.
 *
 * record.c sets up BPF and tears everything down, record_start.c starts
 * the command or attaches to a process, record_drain.c runs the drain loop
 * and its end conditions, record_events.c takes each event (and the size
 * limit) and tells the progress, record_signals.c owns the signal handlers.
 */
#ifndef IPCTRACE_TRACER_RECORD_SESSION_H
#define IPCTRACE_TRACER_RECORD_SESSION_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "record.h"
#include "proctable.h"
#include "meta.h"

struct ipctrace_bpf;
struct ring_buffer;

/* State shared with the ring buffer callback. */
struct recorder {
	struct trace_writer *writer;
	struct proctable procs;
	uint64_t seen;             /* events drained */
	uint64_t events;           /* of them, handed to the writer */
	uint64_t max_bytes;        /* 0: no size limit */
	uint64_t unrecorded;       /* counted, not written, once the limit is near */
	bool size_limited;
	int write_error;
	int table_error;
	/* record_cpus.c: where the records came from, per CPU, this period;
	 * the CPUs the reader could run on at the start, and now */
	uint64_t *cpu_records;
	cpu_set_t cpus_allowed, cpus_now;
	bool cpus_moved;
};

/* One recording, from BPF setup to the finished trace, in the way of
 * perf's struct record: each stage below takes it and fills its part. */
struct record_session {
	const struct record_options *opt;
	struct record_result *res;
	char *err;
	struct ipctrace_bpf *skel;
	struct ring_buffer *rb;
	struct recorder rec;
	struct trace_meta meta;
	struct trace_stats stats;
	int go[2], status[2];      /* start handshake with the child */
	int pidfd;                 /* of the command or the attached process */
	pid_t pid;                 /* the command while it runs, else -1 */
	int child_errno;           /* why the command could not be executed */
	bool handlers_installed;
	bool opt_trace_fd_taken;   /* the writer owns opt->trace_fd */
};

/* Stop signals received (the last one, how many, whether it came from the
 * terminal) and whether a child exited: set by the handlers. */
extern volatile sig_atomic_t record_stop_signal, record_stop_count;
extern volatile sig_atomic_t record_stop_from_terminal, record_child_exited;

/* record_signals.c: install the recording's handlers (SIGINT, SIGTERM,
 * SIGHUP, SIGCHLD, SIGPIPE ignored) and put back what they replaced. */
void record_install_handlers(void);
void record_restore_handlers(void);
/* The read end of the pipe the handlers write a byte to for each signal
 * (non-blocking, close-on-exec), for the drain loop to sleep on; -1 when
 * it could not be made (the loop then wakes on its timeout). */
int record_signal_fd(void);
/* In the command's child: the dispositions it should start with. */
void record_reset_child_signals(void);

/* record_start.c: -p, follow a running process; or start the command.
 * 0 or -errno with s->err set. */
int record_attach_process(struct record_session *s);
int record_start_command(struct record_session *s);

/* record_cpus.c: the reader keeps off the CPUs the traced programs keep
 * busy: init (0 or -ENOMEM), count a record's CPU, place the reader (once
 * a period), release. */
int record_cpus_init(struct recorder *r);
void record_cpus_count(struct recorder *r, uint32_t cpu);
void record_cpus_place(struct recorder *r);
void record_cpus_release(struct recorder *r);

/* record_drain.c: drain until the recording ends; 0 or -errno. */
int record_drain(struct record_session *s);

/* record_events.c: the ring buffer callback (CTX: struct recorder). */
int record_on_event(void *ctx, void *data, size_t size);
/* The loss counters of the kernel side, per kind.  0 or -errno. */
int record_read_lost(struct ipctrace_bpf *skel, uint64_t lost[IPCT_KIND_MAX]);
/* Call opt->on_progress / opt->on_stats with the figures at NOW. */
void record_tell_progress(struct record_session *s, uint64_t now);
void record_tell_stats(struct record_session *s, uint64_t now);

/* CLOCK's time in nanoseconds. */
uint64_t record_now_ns(clockid_t clock);
/* Format the one-line error into ERR (RECORD_ERR_LEN bytes). */
void record_set_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
