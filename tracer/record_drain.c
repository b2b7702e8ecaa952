/*
 * record_drain - the drain loop: poll the ring buffer, pass stop signals
 * on to the command, reap it, wait for the orphans it leaves, enforce
 * --duration, flush the trace every second and tell the progress.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "record_session.h"

#define FLUSH_INTERVAL_NS 1000000000ull  /* write a chunk at least every second */
#define POLL_TIMEOUT_MS 100
#define ORPHAN_NOTICE_NS 1000000000ull  /* say we wait for orphans after 1 s */
#define PROGRESS_INTERVAL_NS 1000000000ull
#define KILL_GRACE_NS 2000000000ull     /* --duration: SIGTERM, then SIGKILL this much later */

/* Does any traced process that has not exited still exist?  The table
 * knows from the exit events; kill(pid, 0) covers an exit event that was
 * lost, so a loss cannot make the tracer wait forever. */
static bool descendants_alive(struct proctable *t)
{
	for (size_t i = 0; i < t->nprocs; i++) {
		struct trace_process *p = &t->procs[i];

		if (p->flags & TRACE_PROCESS_EXITED)
			continue;
		if (kill(p->pid, 0) == 0 || errno == EPERM)
			return true;
	}
	return false;
}

/* One turn of the drain loop while following an attached process: true
 * when the recording ends. */
static bool attached_done(struct record_session *s)
{
	struct pollfd pfd = { .fd = s->pidfd, .events = POLLIN };
	struct trace_process *p;

	/* Stopping detaches: the process goes on untraced. */
	if (record_stop_count) {
		s->res->interrupted = true;
		return true;
	}
	if (poll(&pfd, 1, 0) != 1)
		return false;
	/* the process exited */
	ring_buffer__consume(s->rb);
	p = proctable_find(&s->rec.procs, s->opt->attach_pid);
	s->res->wait_status = p && (p->flags & TRACE_PROCESS_EXITED) ? p->exit_status : -1;
	return true;
}

/* Stop signals seen and passed on to the command. */
struct stop_state {
	int handled, forwarded;
};

/* The same while the command runs: pass a stop on, reap it; true when
 * the recording ends.  *ORPHANS_SINCE is set when it leaves descendants. */
static bool command_done(struct record_session *s, struct stop_state *stops,
			 uint64_t *orphans_since)
{
	int st;

	if (record_stop_count > stops->handled) {
		/* A stop from the terminal reached the command too when it is
		 * in our process group: it is not sent twice.  Any other stop is
		 * passed on, the second one as SIGKILL; the third stop kills. */
		bool reached = record_stop_from_terminal && getpgid(s->pid) == getpgrp();

		stops->handled = record_stop_count;
		s->res->interrupted = true;
		if (record_stop_count >= 3 || (!reached && stops->forwarded))
			kill(s->pid, SIGKILL);
		else if (!reached && kill(s->pid, record_stop_signal) == 0)
			stops->forwarded++;
	}
	if (waitpid(s->pid, &st, WNOHANG) != s->pid)
		return false;
	s->res->wait_status = st;
	s->pid = -1;
	ring_buffer__consume(s->rb);
	if (record_stop_count || !descendants_alive(&s->rec.procs))
		return true;
	/* Orphans outlived the command: they stay traced (they were
	 * reparented, not untraced) until they end too. */
	*orphans_since = record_now_ns(CLOCK_MONOTONIC);
	return false;
}

/* The same once the command is gone and its orphans still run. */
static bool orphans_done(struct record_session *s, uint64_t orphans_since, bool *told)
{
	if (record_stop_count) {
		s->res->interrupted = true;
		return true;
	}
	if (!descendants_alive(&s->rec.procs))
		return true;
	if (!*told && record_now_ns(CLOCK_MONOTONIC) - orphans_since > ORPHAN_NOTICE_NS) {
		s->res->waited_for_orphans = true;
		if (s->opt->on_orphans)
			s->opt->on_orphans(s->rec.procs.live);
		*told = true;
	}
	return false;
}

/* --duration: at the deadline an attached process is left alone and the
 * command gets SIGTERM, and SIGKILL KILL_GRACE_NS later, as `timeout -k`
 * does; the recording ends once the command has exited (processes it left
 * running are not waited for).  True when the recording ends now. */
static bool duration_over(struct record_session *s, uint64_t now, bool *killed)
{
	uint64_t deadline = s->meta.start_monotonic_ns + s->opt->duration_ns;

	if (now < deadline)
		return false;
	if (!s->res->timed_out) {
		s->res->timed_out = true;
		if (s->pid > 0)
			kill(s->pid, SIGTERM);
	} else if (s->pid > 0 && !*killed && now - deadline >= KILL_GRACE_NS) {
		kill(s->pid, SIGKILL);
		*killed = true;
	}
	return s->pid <= 0;
}

/* Drain the ring buffer into the trace until the command and its
 * descendants (or the attached process) are gone, a stop signal, or the
 * duration limit. */
int record_drain(struct record_session *s)
{
	const struct record_options *opt = s->opt;
	uint64_t last_flush, last_progress, last_stats, now, orphans_since = 0;
	bool orphans_told = false, done = false, killed = false;
	struct stop_state stops = { 0, 0 };
	int ret;

	if (opt->drain_delay_ms) {
		struct timespec ts = { opt->drain_delay_ms / 1000, (opt->drain_delay_ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)	/* SIGCHLD must not cut it */
			;
	}
	last_flush = last_progress = last_stats = record_now_ns(CLOCK_MONOTONIC);
	s->rec.max_bytes = opt->max_bytes;
	while (!done) {
		ret = ring_buffer__poll(s->rb, POLL_TIMEOUT_MS);
		if (ret < 0 && ret != -EINTR) {
			record_set_err(s->err, "cannot read the ring buffer: %s", strerror(-ret));
			return ret;
		}
		ring_buffer__consume(s->rb);
		if (opt->attach_pid > 0)
			done = attached_done(s);
		else if (s->pid > 0)
			done = command_done(s, &stops, &orphans_since);
		else
			done = orphans_done(s, orphans_since, &orphans_told);
		now = record_now_ns(CLOCK_MONOTONIC);
		if (!done && opt->duration_ns)
			done = duration_over(s, now, &killed);
		if (!done && now - last_flush >= FLUSH_INTERVAL_NS) {
			if (!s->rec.write_error)
				s->rec.write_error = trace_writer_flush(s->rec.writer);
			last_flush = now;
		}
		if (!done && opt->on_stats && opt->stat_interval_ns &&
		    now - last_stats >= opt->stat_interval_ns) {
			record_tell_stats(s, now);
			last_stats = now;
		}
		if (!done && opt->on_progress && now - last_progress >= PROGRESS_INTERVAL_NS) {
			record_tell_progress(s, now);
			last_progress = now;
		}
	}
	return 0;
}
