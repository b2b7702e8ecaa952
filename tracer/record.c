/*
 * record - see record.h.
 *
 * Order of work, as in libbpf-bootstrap: libbpf print callback, open the
 * skeleton, size the ring buffer, load, attach, then start the command,
 * drain, and tear everything down at one cleanup label.  The stages live
 * in the record_*.c files named in record_session.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "ipctrace.skel.h"
#include "record_session.h"

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (!verbose)
		return 0;	/* errors are reported by us, in one line */
	return vfprintf(stderr, fmt, args);
}

uint64_t record_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void record_set_err(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, RECORD_ERR_LEN, fmt, ap);
	va_end(ap);
}

/* Open, configure, load and attach the BPF side; open the ring buffer. */
static int setup_bpf(struct record_session *s)
{
	const struct record_options *opt = s->opt;
	uint64_t key = 0;
	int ret;

	s->skel = ipctrace_bpf__open();
	if (!s->skel) {
		ret = -errno;
		record_set_err(s->err, "cannot open the BPF object: %s", strerror(errno));
		return ret;
	}
	ret = bpf_map__set_max_entries(s->skel->maps.events, opt->buffer_kib * 1024);
	if (ret) {
		record_set_err(s->err, "invalid ring buffer size %u KiB: %s", opt->buffer_kib, strerror(-ret));
		return ret;
	}
	/* Wake the reader when an eighth of the buffer is waiting. */
	s->skel->rodata->wakeup_bytes = (uint64_t)opt->buffer_kib * 1024 / 8;
	s->skel->rodata->kinds = opt->kinds;
	s->skel->rodata->payload_bytes = opt->stat_mode ? 0 : (opt->payload_bytes + 7) & ~7u;
	s->skel->rodata->payload_limit = opt->stat_mode ? 0 : opt->payload_bytes;
	s->skel->rodata->stat_mode = opt->stat_mode;
	if (getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = record_now_ns(CLOCK_MONOTONIC) * 0x9e3779b97f4a7c15ull;
	s->skel->rodata->id_key = key;
	/* The descriptor iterator runs on demand (fdscan.c), never attached. */
	bpf_program__set_autoattach(s->skel->progs.ipct_open_fds, false);
	/* Probe families that were not asked for are not loaded. */
	if (!(opt->kinds & (1u << IPCT_KIND_SIGNAL))) {
		bpf_program__set_autoload(s->skel->progs.ipct_signal_generate, false);
		bpf_program__set_autoload(s->skel->progs.ipct_signal_deliver, false);
	}
	if (!record_touches(opt))
		bpf_program__set_autoload(s->skel->progs.ipct_page_fault, false);
	if (!(opt->kinds & (1u << IPCT_KIND_UNIX)) || opt->stat_mode)
		bpf_program__set_autoload(s->skel->progs.ipct_sk_data_ready, false);
	ret = ipctrace_bpf__load(s->skel);
	if (ret) {
		record_set_err(s->err, "cannot load the BPF programs: %s%s", strerror(-ret),
			opt->verbose ? "" : " (run with -v for the verifier log)");
		return ret;
	}
	ret = ipctrace_bpf__attach(s->skel);
	if (ret) {
		record_set_err(s->err, "cannot attach the BPF programs: %s", strerror(-ret));
		return ret;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), record_on_event, &s->rec, NULL);
	if (!s->rb) {
		ret = -errno;
		record_set_err(s->err, "cannot open the ring buffer: %s", strerror(errno));
		return ret;
	}
	return 0;
}

/* The header of the trace; -p: the attached process, as one word. */
static int fill_meta(struct record_session *s)
{
	int ret = record_meta_fill(&s->meta, s->opt->argv, s->opt->attach_pid);

	if (ret)
		record_set_err(s->err, "cannot store the command line: %s", strerror(-ret));
	else if (record_touches(s->opt))
		s->meta.flags |= TRACE_META_SHM_TOUCHES;
	return ret;
}

/* Drain what is left, write the process table and the counters, close
 * the trace and fill the result. */
static void finish(struct record_session *s)
{
	struct record_result *res = s->res;
	int e;

	/* The command is gone: every event it caused is in the buffer now. */
	while (ring_buffer__consume(s->rb) > 0)
		;
	s->stats.end_monotonic_ns = record_now_ns(CLOCK_MONOTONIC);
	if (s->opt->stat_mode) {
		e = stat_map_read(bpf_map__fd(s->skel->maps.stat_slots),
			  bpf_map__fd(s->skel->maps.stat_values), &res->stats, &res->nstats);
		if (!e && !s->rec.write_error)
			e = stat_map_write(s->rec.writer, res->stats, res->nstats,
					   s->stats.end_monotonic_ns);
		if (e && !s->rec.write_error)
			s->rec.write_error = e;
		else if (!e)
			s->rec.events += res->nstats;
	}
	s->stats.events = s->rec.events;
	s->stats.exit_status = res->wait_status;
	s->stats.flags = (res->interrupted ? TRACE_STATS_INTERRUPTED : 0) |
			 (res->timed_out ? TRACE_STATS_DURATION : 0) |
			 (s->rec.size_limited ? TRACE_STATS_SIZE_LIMIT : 0);
	s->stats.unrecorded = res->unrecorded = s->rec.unrecorded;
	record_read_lost(s->skel, s->stats.lost);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		res->lost += s->stats.lost[k];
	e = trace_writer_close(s->rec.writer, s->rec.procs.procs, s->rec.procs.nprocs, &s->stats);
	s->rec.writer = NULL;
	if (e && !s->rec.write_error)
		s->rec.write_error = e;
	res->events = s->rec.events;
	res->events_seen = s->rec.seen;
	res->duration_ns = s->stats.end_monotonic_ns - s->meta.start_monotonic_ns;
	res->write_error = s->rec.write_error;
}

/* Undo everything, whatever stage was reached.  RET: the run's result. */
static void cleanup(struct record_session *s, int ret)
{
	if (ret && s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = -1;
	}
	if (s->rec.writer)
		trace_writer_abort(s->rec.writer);
	else if (!s->opt_trace_fd_taken)
		close(s->opt->trace_fd);
	if (s->pidfd >= 0)
		close(s->pidfd);
	for (int i = 0; i < 2; i++) {
		if (s->go[i] >= 0)
			close(s->go[i]);
		if (s->status[i] >= 0)
			close(s->status[i]);
	}
	ring_buffer__free(s->rb);
	ipctrace_bpf__destroy(s->skel);
	proctable_release(&s->rec.procs);
	record_meta_release(&s->meta);
	if (s->handlers_installed)
		record_restore_handlers();
}

int record_run(const struct record_options *opt, struct record_result *res,
	       char err[RECORD_ERR_LEN])
{
	struct record_session s = {
		.opt = opt, .res = res, .err = err,
		.go = { -1, -1 }, .status = { -1, -1 }, .pidfd = -1, .pid = -1,
	};
	int ret;

	memset(res, 0, sizeof(*res));
	res->wait_status = -1;
	err[0] = 0;
	verbose = opt->verbose;
	record_stop_signal = record_stop_count = 0;
	record_stop_from_terminal = record_child_exited = 0;
	proctable_init(&s.rec.procs);
	libbpf_set_print(libbpf_print);

	ret = setup_bpf(&s);
	if (!ret)
		ret = fill_meta(&s);
	if (!ret) {
		record_install_handlers();
		s.handlers_installed = true;
		ret = opt->attach_pid > 0 ? record_attach_process(&s) : record_start_command(&s);
	}
	if (!ret)
		ret = record_cpus_init(&s.rec);
	if (!ret)
		ret = record_drain(&s);
	record_cpus_release(&s.rec);
	if (!ret)
		finish(&s);
	cleanup(&s, ret);
	return ret;
}
