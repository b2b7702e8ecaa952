/*
 * record_drain - the drain loop: poll the ring buffer, pass stop signals
 * on to the command, reap it, wait for the orphans it leaves, enforce
 * --duration, flush the trace every second and tell the progress.
 *
 * The loop sleeps in one epoll set holding the ring buffer's epoll fd, the
 * pidfd of the command (or attached process), readable once it has
 * exited, and the signal handlers' self-pipe.  An exit or a stop signal
 * that lands just before the sleep wakes it at once, so the recording
 * ends when the command does, not a poll timeout later.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "record_session.h"

#define FLUSH_INTERVAL_NS 1000000000ull  /* write a chunk at least every second */
#define POLL_TIMEOUT_MS 100
#define ORPHAN_NOTICE_NS 1000000000ull  /* say we wait for orphans after 1 s */
#define PROGRESS_INTERVAL_NS 1000000000ull
#define PLACE_INTERVAL_NS 200000000ull   /* the reader's CPUs (record_cpus.c) */
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

/* The epoll set the loop sleeps in (see the top); -1 when it cannot be
 * made, and then the loop sleeps in the ring buffer's own. */
static int wake_set_open(struct record_session *s)
{
	int fds[3] = { ring_buffer__epoll_fd(s->rb), s->pidfd, record_signal_fd() };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };

		if (fds[i] >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) && i == 0) {
			close(ep);
			return -1;
		}
	}
	return ep;
}

/* Sleep until something in WAKE_SET is ready (or the timeout), then take
 * what the ring buffer holds.  0 or -errno. */
static int wait_and_consume(struct record_session *s, int wake_set)
{
	struct epoll_event ev[3];
	char buf[64];
	int n;

	if (wake_set < 0) {
		n = ring_buffer__poll(s->rb, POLL_TIMEOUT_MS);
		return n < 0 && n != -EINTR ? n : 0;
	}
	n = epoll_wait(wake_set, ev, 3, POLL_TIMEOUT_MS);
	if (n < 0 && errno != EINTR)
		return -errno;
	if (record_signal_fd() >= 0)
		while (read(record_signal_fd(), buf, sizeof(buf)) > 0)
			;
	n = ring_buffer__consume(s->rb);
	return n < 0 && n != -EINTR ? n : 0;
}

/* Drain the ring buffer into the trace until the command and its
 * descendants (or the attached process) are gone, a stop signal, or the
 * duration limit. */
int record_drain(struct record_session *s)
{
	const struct record_options *opt = s->opt;
	uint64_t last_flush, last_progress, last_stats, last_place, now, orphans_since = 0;
	bool orphans_told = false, done = false, killed = false;
	struct stop_state stops = { 0, 0 };
	int ret = 0, wake_set;

	if (opt->drain_delay_ms) {
		struct timespec ts = { opt->drain_delay_ms / 1000, (opt->drain_delay_ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)	/* SIGCHLD must not cut it */
			;
	}
	last_flush = last_progress = last_stats = last_place = record_now_ns(CLOCK_MONOTONIC);
	s->rec.max_bytes = opt->max_bytes;
	wake_set = wake_set_open(s);
	while (!done) {
		ret = wait_and_consume(s, wake_set);
		if (ret < 0) {
			record_set_err(s->err, "cannot read the ring buffer: %s", strerror(-ret));
			break;
		}
		if (opt->attach_pid > 0)
			done = attached_done(s);
		else if (s->pid > 0) {
			done = command_done(s, &stops, &orphans_since);
			/* reaped: its pidfd stays readable, so it leaves the set */
			if (s->pid <= 0 && wake_set >= 0)
				epoll_ctl(wake_set, EPOLL_CTL_DEL, s->pidfd, NULL);
		} else
			done = orphans_done(s, orphans_since, &orphans_told);
		now = record_now_ns(CLOCK_MONOTONIC);
		if (!done && opt->duration_ns)
			done = duration_over(s, now, &killed);
		if (!done && now - last_flush >= FLUSH_INTERVAL_NS) {
			if (!s->rec.write_error)
				s->rec.write_error = trace_writer_flush(s->rec.writer);
			last_flush = now;
		}
		if (!done && now - last_place >= PLACE_INTERVAL_NS) {
			record_cpus_place(&s->rec);
			last_place = now;
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
	if (wake_set >= 0)
		close(wake_set);
	return ret;
}
