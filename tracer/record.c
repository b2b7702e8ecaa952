/*
 * record - see record.h.
 *
 * Order of work, as in libbpf-bootstrap: libbpf print callback, open the
 * skeleton, size the ring buffer, load, attach, then start the command,
 * drain, and tear everything down at one cleanup label.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/types.h>
#include "ipctrace.skel.h"
#include "../bpf/task_state.h"
#include "record.h"
#include "proctable.h"
#include "procinfo.h"
#include "meta.h"

#define FLUSH_INTERVAL_NS 1000000000ull  /* write a chunk at least every second */
#define POLL_TIMEOUT_MS 100
#define ORPHAN_NOTICE_NS 1000000000ull  /* say we wait for orphans after 1 s */
#define PROGRESS_INTERVAL_NS 1000000000ull
#define KILL_GRACE_NS 2000000000ull     /* --duration: SIGTERM, then SIGKILL this much later */
/* --max-size: room kept for what may still be written once events stop
 * being stored: one EVENTS chunk (about 256 KiB), the statistics and the
 * end marker, plus the process table (per process below). */
#define SIZE_LIMIT_ROOM (320 * 1024ull)
#define SIZE_LIMIT_ROOM_PER_PROCESS 64ull

static volatile sig_atomic_t stop_signal;   /* last stop signal received */
static volatile sig_atomic_t stop_count;    /* how many */
static volatile sig_atomic_t stop_from_terminal; /* the last came from the tty */
static volatile sig_atomic_t child_exited;
/* SIGPIPE as the tracer found it: the command gets it back. */
static struct sigaction inherited_sigpipe;

static void on_stop(int sig, siginfo_t *info, void *uctx)
{
	stop_signal = sig;
	/* The terminal's Ctrl-C, Ctrl-\ or hangup is sent by the kernel
	 * (SI_KERNEL) to the whole foreground group; kill(2) says SI_USER. */
	stop_from_terminal = info && info->si_code == SI_KERNEL;
	stop_count++;
}

static void on_child(int sig)
{
	child_exited = 1;
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (!verbose)
		return 0;	/* errors are reported by us, in one line */
	return vfprintf(stderr, fmt, args);
}

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void set_err(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, RECORD_ERR_LEN, fmt, ap);
	va_end(ap);
}

int record_find_command(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];
	int saw_eacces = 0;

	if (!*cmd)
		return -ENOENT;
	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0 ? 0 : -errno;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchrnul(path, ':');
		int len = end - path;
		struct stat st;

		snprintf(buf, sizeof(buf), "%.*s/%s", len ? len : 1, len ? path : ".", cmd);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				return 0;
			saw_eacces = 1;
		}
		path = *end ? end + 1 : end;
	}
	return saw_eacces ? -EACCES : -ENOENT;
}

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
};

/* Would storing one more event risk passing the size limit?  Once true it
 * stays true, so the trace holds a prefix of the recording. */
static bool over_size_limit(struct recorder *r)
{
	if (!r->size_limited && r->max_bytes)
		r->size_limited = trace_writer_bytes(r->writer) + SIZE_LIMIT_ROOM +
				  r->procs.nprocs * SIZE_LIMIT_ROOM_PER_PROCESS >= r->max_bytes;
	return r->size_limited;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct recorder *r = ctx;
	const struct ipct_event_header *h = data;
	int err;

	if (size < sizeof(*h) || h->size > size || h->size < sizeof(*h))
		return 0;	/* cannot happen with our BPF side; never trust it */
	r->seen++;
	if (!r->table_error)
		r->table_error = proctable_apply(&r->procs, h);
	if (r->write_error)
		return 0;	/* keep draining so the kernel side does not stall */
	if (over_size_limit(r)) {
		r->unrecorded++;
		return 0;
	}
	err = trace_writer_append(r->writer, h);
	if (err)
		r->write_error = err;
	else
		r->events++;
	return 0;
}

/* Child side of the start: wait for the go byte, drop privileges, exec.
 * Any failure is sent back as an errno over STATUS_FD (close-on-exec, so a
 * successful exec closes it with nothing written). */
static void __attribute__((noreturn))
child_start(const struct record_options *opt, int go_fd, int status_fd)
{
	char c;
	int e;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigaction(SIGPIPE, &inherited_sigpipe, NULL);
	if (read(go_fd, &c, 1) != 1)
		_exit(127);	/* the tracer gave up before starting us */
	if (opt->run_as_user) {
		if ((opt->run_user_name ? initgroups(opt->run_user_name, opt->run_gid)
					: setgroups(1, &opt->run_gid)) ||
		    setgid(opt->run_gid) || setuid(opt->run_uid))
			goto fail;
	}
	execvp(opt->argv[0], opt->argv);
fail:
	e = errno;
	if (write(status_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int read_lost(struct ipctrace_bpf *skel, uint64_t lost[IPCT_KIND_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpu <= 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < IPCT_KIND_MAX; k++) {
		lost[k] = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			lost[k] += vals[c];
	}
	free(vals);
	return 0;
}

/* The signals recording handles, and what they did before. */
static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
static struct sigaction saved_actions[sizeof(handled_signals) / sizeof(handled_signals[0])];

static void install_handlers(void)
{
	struct sigaction sa;

	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++) {
		int sig = handled_signals[i];

		memset(&sa, 0, sizeof(sa));
		if (sig == SIGCHLD) {
			sa.sa_handler = on_child;
			sa.sa_flags = SA_NOCLDSTOP;
		} else {
			sa.sa_sigaction = on_stop;
			sa.sa_flags = SA_SIGINFO;
		}
		sigaction(sig, &sa, &saved_actions[i]);
	}
	/* A write to a closed pipe is an error return, not the end of us (the
	 * command gets SIGPIPE back as we found it). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &inherited_sigpipe);
}

/* Put back what install_handlers() replaced, so what runs after the
 * recording (the rendering) stops on Ctrl-C as any program does. */
static void restore_handlers(void)
{
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
}

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

/* Mark the task behind PIDFD traced, with FLAGS (TASK_*) in its BPF task
 * state. 0 or -errno. */
static int mark_traced(struct ipctrace_bpf *skel, int pidfd, uint32_t flags)
{
	struct task_state state = { .flags = flags };

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.traced), &pidfd, &state, BPF_ANY))
		return -errno;
	return 0;
}

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

/* Open, configure, load and attach the BPF side; open the ring buffer. */
static int setup_bpf(struct record_session *s)
{
	const struct record_options *opt = s->opt;
	uint64_t key = 0;
	int ret;

	s->skel = ipctrace_bpf__open();
	if (!s->skel) {
		ret = -errno;
		set_err(s->err, "cannot open the BPF object: %s", strerror(errno));
		return ret;
	}
	ret = bpf_map__set_max_entries(s->skel->maps.events, opt->buffer_kib * 1024);
	if (ret) {
		set_err(s->err, "invalid ring buffer size %u KiB: %s", opt->buffer_kib, strerror(-ret));
		return ret;
	}
	/* Wake the reader when an eighth of the buffer is waiting. */
	s->skel->rodata->wakeup_bytes = (uint64_t)opt->buffer_kib * 1024 / 8;
	s->skel->rodata->kinds = opt->kinds;
	s->skel->rodata->payload_bytes = opt->stat_mode ? 0 : (opt->payload_bytes + 7) & ~7u;
	s->skel->rodata->payload_limit = opt->stat_mode ? 0 : opt->payload_bytes;
	s->skel->rodata->stat_mode = opt->stat_mode;
	if (getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = now_ns(CLOCK_MONOTONIC) * 0x9e3779b97f4a7c15ull;
	s->skel->rodata->id_key = key;
	/* Probe families that were not asked for are not loaded. */
	if (!(opt->kinds & (1u << IPCT_KIND_SIGNAL))) {
		bpf_program__set_autoload(s->skel->progs.ipct_signal_generate, false);
		bpf_program__set_autoload(s->skel->progs.ipct_signal_deliver, false);
	}
	ret = ipctrace_bpf__load(s->skel);
	if (ret) {
		set_err(s->err, "cannot load the BPF programs: %s%s", strerror(-ret),
			opt->verbose ? "" : " (run with -v for the verifier log)");
		return ret;
	}
	ret = ipctrace_bpf__attach(s->skel);
	if (ret) {
		set_err(s->err, "cannot attach the BPF programs: %s", strerror(-ret));
		return ret;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event, &s->rec, NULL);
	if (!s->rb) {
		ret = -errno;
		set_err(s->err, "cannot open the ring buffer: %s", strerror(errno));
		return ret;
	}
	return 0;
}

/* The header of the trace; -p: the attached process, as one word. */
static int fill_meta(struct record_session *s)
{
	int ret = record_meta_fill(&s->meta, s->opt->argv, s->opt->attach_pid);

	if (ret)
		set_err(s->err, "cannot store the command line: %s", strerror(-ret));
	return ret;
}

/* Start the trace on the caller's fd; the header reaches the file at once,
 * so even a tracer killed right after leaves a readable (empty) trace. */
static int open_trace(struct record_session *s)
{
	int ret, fd = s->opt->trace_fd;

	s->opt_trace_fd_taken = true;
	ret = trace_writer_open_fd(&s->rec.writer, fd, &s->meta);
	if (!ret)
		ret = trace_writer_flush(s->rec.writer);
	if (ret)
		set_err(s->err, "cannot write '%s': %s", s->opt->trace_path, strerror(-ret));
	return ret;
}

/* -p: mark one thread of the attached process traced. */
static int mark_thread(int pidfd, pid_t tid, void *arg)
{
	struct record_session *s = arg;
	int ret = mark_traced(s->skel, pidfd, 0);

	if (ret)
		set_err(s->err, "cannot mark thread %d of process %d as traced: %s", tid,
			s->opt->attach_pid, strerror(-ret));
	return ret;
}

/* -p: follow a running process (and what it starts from now on). */
static int attach_process(struct record_session *s)
{
	pid_t pid = s->opt->attach_pid;
	struct proc_info info;
	int ret;

	ret = proc_read_info(pid, &info);
	if (ret) {
		set_err(s->err, "cannot attach to process %d: %s", pid,
			ret == -ENOENT || ret == -ESRCH ? "no such process" : strerror(-ret));
		return ret;
	}
	if (info.kernel_thread) {
		set_err(s->err, "cannot attach to process %d (%s): it is a kernel thread, which "
			"makes no system calls to trace", pid, info.comm);
		return -EINVAL;
	}
	ret = proc_for_each_thread(pid, mark_thread, s);
	if (ret == 0 || ret == -ENOENT || ret == -ESRCH) {
		set_err(s->err, "cannot attach to process %d: no such process", pid);
		return -ESRCH;
	}
	if (ret < 0) {
		if (!s->err[0])
			set_err(s->err, "cannot attach to process %d: %s", pid, strerror(-ret));
		return ret;
	}
	s->meta.root_pid = pid;
	s->res->root_pid = pid;
	s->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (s->pidfd < 0) {
		ret = -errno;
		set_err(s->err, "cannot open a pidfd for %d: %s", pid, strerror(errno));
		return ret;
	}
	ret = open_trace(s);
	if (ret)
		return ret;
	proctable_add_root(&s->rec.procs, pid, info.ppid, info.comm, 0);
	if (s->opt->on_tracing)
		s->opt->on_tracing(s->opt->arg);
	return 0;
}

/* Fork the command stopped on a pipe, mark it traced through a pidfd,
 * then let it exec and wait until it did (or failed to). */
static int start_command(struct record_session *s)
{
	int ret;

	if (pipe2(s->go, O_CLOEXEC) || pipe2(s->status, O_CLOEXEC)) {
		ret = -errno;
		set_err(s->err, "cannot create a pipe: %s", strerror(errno));
		return ret;
	}
	s->pid = fork();
	if (s->pid < 0) {
		ret = -errno;
		set_err(s->err, "cannot fork: %s", strerror(errno));
		return ret;
	}
	if (s->pid == 0)
		child_start(s->opt, s->go[0], s->status[1]);
	close(s->go[0]);
	close(s->status[1]);
	s->go[0] = s->status[1] = -1;
	s->meta.root_pid = s->pid;
	s->res->root_pid = s->pid;

	ret = open_trace(s);
	if (ret)
		return ret;
	/* Mark the child traced before it runs the command. */
	s->pidfd = syscall(SYS_pidfd_open, s->pid, 0);
	if (s->pidfd < 0) {
		ret = -errno;
		set_err(s->err, "cannot open a pidfd for %d: %s", s->pid, strerror(errno));
		return ret;
	}
	ret = mark_traced(s->skel, s->pidfd, TASK_BEFORE_EXEC);
	if (ret) {
		set_err(s->err, "cannot mark process %d as traced: %s", s->pid, strerror(-ret));
		return ret;
	}
	proctable_add_root(&s->rec.procs, s->pid, getpid(), "", s->meta.start_monotonic_ns);
	if (s->opt->on_tracing)
		s->opt->on_tracing(s->opt->arg);
	if (write(s->go[1], "g", 1) != 1) {
		ret = -errno;
		set_err(s->err, "cannot start the command: %s", strerror(errno));
		return ret;
	}
	close(s->go[1]);
	s->go[1] = -1;
	/* Wait for exec: the status pipe closes on success, carries errno on failure. */
	while (read(s->status[0], &s->child_errno, sizeof(s->child_errno)) < 0 && errno == EINTR)
		;
	if (s->child_errno) {
		waitpid(s->pid, NULL, 0);
		s->pid = -1;
		s->res->exec_failed = true;
		set_err(s->err, "cannot run '%s': %s", s->opt->argv[0], strerror(s->child_errno));
		return -s->child_errno;
	}
	return 0;
}

/* One turn of the drain loop while following an attached process: true
 * when the recording ends. */
static bool attached_done(struct record_session *s)
{
	struct pollfd pfd = { .fd = s->pidfd, .events = POLLIN };
	struct trace_process *p;

	/* Stopping detaches: the process goes on untraced. */
	if (stop_count) {
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

	if (stop_count > stops->handled) {
		/* A stop from the terminal reached the command too when it is
		 * in our process group: it is not sent twice.  Any other stop is
		 * passed on, the second one as SIGKILL; the third stop kills. */
		bool reached = stop_from_terminal && getpgid(s->pid) == getpgrp();

		stops->handled = stop_count;
		s->res->interrupted = true;
		if (stop_count >= 3 || (!reached && stops->forwarded))
			kill(s->pid, SIGKILL);
		else if (!reached && kill(s->pid, stop_signal) == 0)
			stops->forwarded++;
	}
	if (waitpid(s->pid, &st, WNOHANG) != s->pid)
		return false;
	s->res->wait_status = st;
	s->pid = -1;
	ring_buffer__consume(s->rb);
	if (stop_count || !descendants_alive(&s->rec.procs))
		return true;
	/* Orphans outlived the command: they stay traced (they were
	 * reparented, not untraced) until they end too. */
	*orphans_since = now_ns(CLOCK_MONOTONIC);
	return false;
}

/* The same once the command is gone and its orphans still run. */
static bool orphans_done(struct record_session *s, uint64_t orphans_since, bool *told)
{
	if (stop_count) {
		s->res->interrupted = true;
		return true;
	}
	if (!descendants_alive(&s->rec.procs))
		return true;
	if (!*told && now_ns(CLOCK_MONOTONIC) - orphans_since > ORPHAN_NOTICE_NS) {
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

static void tell_stats(struct record_session *s, uint64_t now)
{
	struct record_stat *st;
	size_t n;

	if (stat_map_read(bpf_map__fd(s->skel->maps.stats), &st, &n) == 0) {
		s->opt->on_stats(st, n, now - s->meta.start_monotonic_ns);
		free(st);
	}
}

static void tell_progress(struct record_session *s, uint64_t now)
{
	struct record_progress p = {
		.elapsed_ns = now - s->meta.start_monotonic_ns,
		.events = s->rec.events,
		.unrecorded = s->rec.unrecorded,
		.file_bytes = trace_writer_bytes(s->rec.writer),
	};
	uint64_t lost[IPCT_KIND_MAX] = { 0 };

	if (read_lost(s->skel, lost) == 0)
		for (int k = 0; k < IPCT_KIND_MAX; k++)
			p.lost += lost[k];
	s->opt->on_progress(&p);
}

/* Drain the ring buffer into the trace until the command and its
 * descendants (or the attached process) are gone, a stop signal, or the
 * duration limit. */
static int drain(struct record_session *s)
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
	last_flush = last_progress = last_stats = now_ns(CLOCK_MONOTONIC);
	s->rec.max_bytes = opt->max_bytes;
	while (!done) {
		ret = ring_buffer__poll(s->rb, POLL_TIMEOUT_MS);
		if (ret < 0 && ret != -EINTR) {
			set_err(s->err, "cannot read the ring buffer: %s", strerror(-ret));
			return ret;
		}
		ring_buffer__consume(s->rb);
		if (opt->attach_pid > 0)
			done = attached_done(s);
		else if (s->pid > 0)
			done = command_done(s, &stops, &orphans_since);
		else
			done = orphans_done(s, orphans_since, &orphans_told);
		now = now_ns(CLOCK_MONOTONIC);
		if (!done && opt->duration_ns)
			done = duration_over(s, now, &killed);
		if (!done && now - last_flush >= FLUSH_INTERVAL_NS) {
			if (!s->rec.write_error)
				s->rec.write_error = trace_writer_flush(s->rec.writer);
			last_flush = now;
		}
		if (!done && opt->on_stats && opt->stat_interval_ns &&
		    now - last_stats >= opt->stat_interval_ns) {
			tell_stats(s, now);
			last_stats = now;
		}
		if (!done && opt->on_progress && now - last_progress >= PROGRESS_INTERVAL_NS) {
			tell_progress(s, now);
			last_progress = now;
		}
	}
	return 0;
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
	s->stats.end_monotonic_ns = now_ns(CLOCK_MONOTONIC);
	if (s->opt->stat_mode) {
		e = stat_map_read(bpf_map__fd(s->skel->maps.stats), &res->stats, &res->nstats);
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
	read_lost(s->skel, s->stats.lost);
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
		restore_handlers();
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
	stop_signal = stop_count = stop_from_terminal = child_exited = 0;
	proctable_init(&s.rec.procs);
	libbpf_set_print(libbpf_print);

	ret = setup_bpf(&s);
	if (!ret)
		ret = fill_meta(&s);
	if (!ret) {
		install_handlers();
		s.handlers_installed = true;
		ret = opt->attach_pid > 0 ? attach_process(&s) : start_command(&s);
	}
	if (!ret)
		ret = drain(&s);
	if (!ret)
		finish(&s);
	cleanup(&s, ret);
	return ret;
}
