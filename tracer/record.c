/*
 * record - see record.h.
 *
 * Order of work, as in libbpf-bootstrap: libbpf print callback, open the
 * skeleton, size the ring buffer, load, attach, then start the command,
 * drain, and tear everything down at one cleanup label.
 */
#include <dirent.h>
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
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "ipctrace.skel.h"
#include "record.h"
#include "proctable.h"

#define FLUSH_INTERVAL_NS 1000000000ull  /* write a chunk at least every second */
#define POLL_TIMEOUT_MS 100
#define ORPHAN_NOTICE_NS 1000000000ull  /* say we wait for orphans after 1 s */
#define TASK_BEFORE_EXEC 1u  /* bpf/common.bpf.h */

static volatile sig_atomic_t stop_signal;   /* last stop signal received */
static volatile sig_atomic_t stop_count;    /* how many */
static volatile sig_atomic_t child_exited;

static void on_stop(int sig)
{
	stop_signal = sig;
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
	uint64_t events;
	int write_error;
	int table_error;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct recorder *r = ctx;
	const struct ipct_event_header *h = data;
	int err;

	if (size < sizeof(*h) || h->size > size || h->size < sizeof(*h))
		return 0;	/* cannot happen with our BPF side; never trust it */
	if (!r->table_error)
		r->table_error = proctable_apply(&r->procs, h);
	if (r->write_error)
		return 0;	/* keep draining so the kernel side does not stall */
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

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
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

/* Mark the task behind PIDFD traced, with FLAGS in its BPF task state
 * (struct task_state in bpf/common.bpf.h). 0 or -errno. */
static int mark_traced(struct ipctrace_bpf *skel, int pidfd, uint32_t flags)
{
	struct {
		uint64_t enter_ns;
		uint32_t nr, flags;
		uint64_t saved_ino;
		uint32_t saved_dev, saved_kind;
	} state = { 0, 0, flags, 0, 0, 0 };

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.traced), &pidfd, &state, BPF_ANY))
		return -errno;
	return 0;
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* -p: mark every thread of PID traced; fill its parent and comm from /proc. */
static int attach_threads(struct ipctrace_bpf *skel, pid_t pid, pid_t *ppid,
			  char comm[IPCT_COMM_LEN], char *err)
{
	char path[64], buf[512];
	struct dirent *d;
	int marked = 0, ret = 0;
	DIR *dir;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir) {
		ret = -errno;
		set_err(err, "cannot attach to process %d: %s", pid,
			errno == ENOENT ? "no such process" : strerror(errno));
		return ret;
	}
	while ((d = readdir(dir))) {
		pid_t tid = atoi(d->d_name);
		int fd;

		if (tid <= 0)
			continue;
		fd = syscall(SYS_pidfd_open, tid, tid == pid ? 0 : PIDFD_THREAD);
		if (fd < 0)
			continue;	/* the thread is gone */
		ret = mark_traced(skel, fd, 0);
		close(fd);
		if (ret) {
			set_err(err, "cannot mark thread %d of process %d as traced: %s", tid, pid,
				strerror(-ret));
			closedir(dir);
			return ret;
		}
		marked++;
	}
	closedir(dir);
	if (!marked) {
		set_err(err, "cannot attach to process %d: no such process", pid);
		return -ESRCH;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f)) {
			char *close_paren = strrchr(buf, ')');
			char *open_paren = strchr(buf, '(');

			if (open_paren && close_paren && close_paren > open_paren) {
				size_t len = close_paren - open_paren - 1;

				if (len >= IPCT_COMM_LEN)
					len = IPCT_COMM_LEN - 1;
				memcpy(comm, open_paren + 1, len);
				comm[len] = 0;
				*ppid = atoi(close_paren + 4);
			}
		}
		fclose(f);
	}
	return 0;
}

int record_run(const struct record_options *opt, struct record_result *res,
	       char err[RECORD_ERR_LEN])
{
	struct ipctrace_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct recorder rec = { 0 };
	struct trace_meta meta = { 0 };
	struct trace_stats stats = { 0 };
	struct utsname uts;
	int go[2] = { -1, -1 }, status[2] = { -1, -1 };
	int pidfd = -1, ret = 0, child_errno = 0;
	pid_t pid = -1;
	uint64_t last_flush, orphans_since = 0;
	int forwarded = 0;
	bool orphans_told = false;

	memset(res, 0, sizeof(*res));
	res->wait_status = -1;
	err[0] = 0;
	verbose = opt->verbose;
	proctable_init(&rec.procs);
	libbpf_set_print(libbpf_print);

	skel = ipctrace_bpf__open();
	if (!skel) {
		ret = -errno;
		set_err(err, "cannot open the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	ret = bpf_map__set_max_entries(skel->maps.events, opt->buffer_kib * 1024);
	if (ret) {
		set_err(err, "invalid ring buffer size %u KiB: %s", opt->buffer_kib, strerror(-ret));
		goto cleanup;
	}
	/* Wake the reader when an eighth of the buffer is waiting. */
	skel->rodata->wakeup_bytes = (uint64_t)opt->buffer_kib * 1024 / 8;
	skel->rodata->kinds = opt->kinds;
	skel->rodata->payload_bytes = (opt->payload_bytes + 7) & ~7u;
	skel->rodata->payload_limit = opt->payload_bytes;
	{
		uint64_t key = 0;

		if (getrandom(&key, sizeof(key), 0) != sizeof(key))
			key = now_ns(CLOCK_MONOTONIC) * 0x9e3779b97f4a7c15ull;
		skel->rodata->id_key = key;
	}
	/* Probe families that were not asked for are not loaded. */
	if (!(opt->kinds & (1u << IPCT_KIND_SIGNAL))) {
		bpf_program__set_autoload(skel->progs.ipct_signal_generate, false);
		bpf_program__set_autoload(skel->progs.ipct_signal_deliver, false);
	}
	ret = ipctrace_bpf__load(skel);
	if (ret) {
		set_err(err, "cannot load the BPF programs: %s%s", strerror(-ret),
			opt->verbose ? "" : " (run with -v for the verifier log)");
		goto cleanup;
	}
	ret = ipctrace_bpf__attach(skel);
	if (ret) {
		set_err(err, "cannot attach the BPF programs: %s", strerror(-ret));
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &rec, NULL);
	if (!rb) {
		ret = -errno;
		set_err(err, "cannot open the ring buffer: %s", strerror(errno));
		goto cleanup;
	}

	/* Header of the trace. */
	uname(&uts);
	snprintf(meta.host, sizeof(meta.host), "%s", uts.nodename);
	snprintf(meta.kernel, sizeof(meta.kernel), "%s %s", uts.release, uts.machine);
	if (opt->argv) {
		for (meta.argc = 0; opt->argv[meta.argc]; meta.argc++)
			;
		meta.argv = opt->argv;
	} else {
		/* -p: the command line of the attached process, as one word */
		static char attach_desc[64];
		static char *attach_argv[2] = { attach_desc, NULL };

		snprintf(attach_desc, sizeof(attach_desc), "pid %d", opt->attach_pid);
		meta.argc = 1;
		meta.argv = attach_argv;
	}
	meta.start_realtime_ns = now_ns(CLOCK_REALTIME);
	meta.start_monotonic_ns = now_ns(CLOCK_MONOTONIC);

	install_handlers();
	if (opt->attach_pid > 0) {
		/* -p: follow a running process (and what it starts from now on). */
		pid_t ppid = 0;
		char comm[IPCT_COMM_LEN] = "";

		ret = attach_threads(skel, opt->attach_pid, &ppid, comm, err);
		if (ret)
			goto cleanup;
		meta.root_pid = opt->attach_pid;
		res->root_pid = opt->attach_pid;
		pidfd = syscall(SYS_pidfd_open, opt->attach_pid, 0);
		if (pidfd < 0) {
			ret = -errno;
			set_err(err, "cannot open a pidfd for %d: %s", opt->attach_pid, strerror(errno));
			goto cleanup;
		}
		ret = trace_writer_open(&rec.writer, opt->trace_path, &meta);
		if (ret) {
			set_err(err, "cannot create '%s': %s", opt->trace_path, strerror(-ret));
			goto cleanup;
		}
		proctable_add_root(&rec.procs, opt->attach_pid, ppid, comm, 0);
	} else {
		if (pipe2(go, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) {
			ret = -errno;
			set_err(err, "cannot create a pipe: %s", strerror(errno));
			goto cleanup;
		}
		pid = fork();
		if (pid < 0) {
			ret = -errno;
			set_err(err, "cannot fork: %s", strerror(errno));
			goto cleanup;
		}
		if (pid == 0)
			child_start(opt, go[0], status[1]);
		close(go[0]);
		close(status[1]);
		go[0] = status[1] = -1;
		meta.root_pid = pid;
		res->root_pid = pid;

		ret = trace_writer_open(&rec.writer, opt->trace_path, &meta);
		if (ret) {
			set_err(err, "cannot create '%s': %s", opt->trace_path, strerror(-ret));
			goto kill_child;
		}
		/* Mark the child traced before it runs the command. */
		pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0) {
			ret = -errno;
			set_err(err, "cannot open a pidfd for %d: %s", pid, strerror(errno));
			goto kill_child;
		}
		ret = mark_traced(skel, pidfd, TASK_BEFORE_EXEC);
		if (ret) {
			set_err(err, "cannot mark process %d as traced: %s", pid, strerror(-ret));
			goto kill_child;
		}
		proctable_add_root(&rec.procs, pid, getpid(), "", meta.start_monotonic_ns);
		if (write(go[1], "g", 1) != 1) {
			ret = -errno;
			set_err(err, "cannot start the command: %s", strerror(errno));
			goto kill_child;
		}
		close(go[1]);
		go[1] = -1;
		/* Wait for exec: the status pipe closes on success, carries errno on failure. */
		while (read(status[0], &child_errno, sizeof(child_errno)) < 0 && errno == EINTR)
			;
		if (child_errno) {
			waitpid(pid, NULL, 0);
			pid = -1;
			ret = -child_errno;
			res->exec_failed = true;
			set_err(err, "cannot run '%s': %s", opt->argv[0], strerror(child_errno));
			goto cleanup;
		}
	}
	if (opt->drain_delay_ms) {
		struct timespec ts = { opt->drain_delay_ms / 1000, (opt->drain_delay_ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)	/* SIGCHLD must not cut it */
			;
	}

	last_flush = now_ns(CLOCK_MONOTONIC);
	for (;;) {
		int st, w;

		ret = ring_buffer__poll(rb, POLL_TIMEOUT_MS);
		if (ret < 0 && ret != -EINTR) {
			set_err(err, "cannot read the ring buffer: %s", strerror(-ret));
			goto kill_child;
		}
		ring_buffer__consume(rb);
		if (opt->attach_pid > 0) {
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

			/* Stopping detaches: the process goes on untraced. */
			if (stop_count) {
				res->interrupted = true;
				break;
			}
			if (poll(&pfd, 1, 0) == 1) {	/* the process exited */
				struct trace_process *p = proctable_find(&rec.procs, opt->attach_pid);

				ring_buffer__consume(rb);
				res->wait_status = p && (p->flags & TRACE_PROCESS_EXITED) ? p->exit_status : -1;
				break;
			}
		} else if (pid > 0) {
			if (stop_count && forwarded < stop_count) {
				/* First stop: pass the signal on (a terminal sent it to the
				 * command already; a kill to us alone did not).  Again: kill. */
				kill(pid, forwarded == 0 ? stop_signal : SIGKILL);
				forwarded = stop_count;
				res->interrupted = true;
			}
			w = waitpid(pid, &st, WNOHANG);
			if (w == pid) {
				res->wait_status = st;
				pid = -1;
				ring_buffer__consume(rb);
				if (stop_count || !descendants_alive(&rec.procs))
					break;
				/* Orphans outlived the command: they stay traced (they
				 * were reparented, not untraced) until they end too. */
				orphans_since = now_ns(CLOCK_MONOTONIC);
			}
		} else {
			/* the command is gone; waiting for its orphans */
			if (stop_count) {
				res->interrupted = true;
				break;
			}
			if (!descendants_alive(&rec.procs))
				break;
			if (!orphans_told && now_ns(CLOCK_MONOTONIC) - orphans_since > ORPHAN_NOTICE_NS) {
				res->waited_for_orphans = true;
				if (opt->on_orphans)
					opt->on_orphans(rec.procs.live);
				orphans_told = true;
			}
		}
		if (now_ns(CLOCK_MONOTONIC) - last_flush >= FLUSH_INTERVAL_NS) {
			if (!rec.write_error)
				rec.write_error = trace_writer_flush(rec.writer);
			last_flush = now_ns(CLOCK_MONOTONIC);
		}
	}
	/* The command is gone: every event it caused is in the buffer now. */
	while (ring_buffer__consume(rb) > 0)
		;
	ret = 0;

	stats.events = rec.events;
	stats.end_monotonic_ns = now_ns(CLOCK_MONOTONIC);
	stats.exit_status = res->wait_status;
	stats.flags = res->interrupted ? TRACE_STATS_INTERRUPTED : 0;
	read_lost(skel, stats.lost);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		res->lost += stats.lost[k];
	{
		int e = trace_writer_close(rec.writer, rec.procs.procs, rec.procs.nprocs, &stats);

		rec.writer = NULL;
		if (e && !rec.write_error)
			rec.write_error = e;
	}
	res->events = rec.events;
	res->duration_ns = stats.end_monotonic_ns - meta.start_monotonic_ns;
	res->write_error = rec.write_error;
	{
		struct stat sb;

		if (stat(opt->trace_path, &sb) == 0)
			res->file_bytes = sb.st_size;
	}
	goto cleanup;

kill_child:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
cleanup:
	if (rec.writer) {
		if (ret)
			trace_writer_abort(rec.writer);
		else
			trace_writer_close(rec.writer, rec.procs.procs, rec.procs.nprocs, &stats);
	}
	if (ret && child_errno) {
		struct stat sb;

		/* nothing ran: leave no empty trace (but never remove a non-file) */
		if (lstat(opt->trace_path, &sb) == 0 && S_ISREG(sb.st_mode))
			unlink(opt->trace_path);
	}
	if (pidfd >= 0)
		close(pidfd);
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (status[i] >= 0)
			close(status[i]);
	}
	ring_buffer__free(rb);
	ipctrace_bpf__destroy(skel);
	proctable_release(&rec.procs);
	signal(SIGCHLD, SIG_DFL);
	return ret;
}
