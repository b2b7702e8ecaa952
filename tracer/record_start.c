/*
 * record_start - begin following: fork the command stopped on a pipe and
 * mark it traced before it execs, or (-p) mark every thread of a running
 * process.  Either way the trace gets its header first.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "ipctrace.skel.h"
#include "../bpf/task_state.h"
#include "record_session.h"
#include "procinfo.h"
#include "fdscan.h"

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

/* Child side of the start: wait for the go byte, drop privileges, exec.
 * Any failure is sent back as an errno over STATUS_FD (close-on-exec, so a
 * successful exec closes it with nothing written). */
static void __attribute__((noreturn))
child_start(const struct record_options *opt, int go_fd, int status_fd)
{
	char c;
	int e;

	record_reset_child_signals();
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

/* Mark the task behind PIDFD traced, with FLAGS (TASK_*) in its BPF task
 * state. 0 or -errno. */
static int mark_traced(struct ipctrace_bpf *skel, int pidfd, uint32_t flags)
{
	struct task_state state = { .flags = flags };

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.traced), &pidfd, &state, BPF_ANY))
		return -errno;
	return 0;
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
		record_set_err(s->err, "cannot write '%s': %s", s->opt->trace_path, strerror(-ret));
	return ret;
}

/* -p: mark one thread of the attached process traced. */
static int mark_thread(int pidfd, pid_t tid, void *arg)
{
	struct record_session *s = arg;
	int ret = mark_traced(s->skel, pidfd, 0);

	if (ret)
		record_set_err(s->err, "cannot mark thread %d of process %d as traced: %s", tid,
			s->opt->attach_pid, strerror(-ret));
	return ret;
}

/* -p: follow a running process (and what it starts from now on). */
int record_attach_process(struct record_session *s)
{
	pid_t pid = s->opt->attach_pid;
	struct proc_info info;
	int ret;

	ret = proc_read_info(pid, &info);
	if (ret) {
		record_set_err(s->err, "cannot attach to process %d: %s", pid,
			ret == -ENOENT || ret == -ESRCH ? "no such process" : strerror(-ret));
		return ret;
	}
	if (info.kernel_thread) {
		record_set_err(s->err, "cannot attach to process %d (%s): it is a kernel thread, which "
			"makes no system calls to trace", pid, info.comm);
		return -EINVAL;
	}
	ret = proc_for_each_thread(pid, mark_thread, s);
	if (ret == 0 || ret == -ENOENT || ret == -ESRCH) {
		record_set_err(s->err, "cannot attach to process %d: no such process", pid);
		return -ESRCH;
	}
	if (ret < 0) {
		if (!s->err[0])
			record_set_err(s->err, "cannot attach to process %d: %s", pid, strerror(-ret));
		return ret;
	}
	/* its shared mappings predate the trace: every page fault is looked at */
	struct shared_ranges unknown = { .all = 1 };
	uint32_t tgid = (uint32_t)pid;
	if (record_touches(s->opt) &&
	    bpf_map_update_elem(bpf_map__fd(s->skel->maps.shared_ranges), &tgid, &unknown, BPF_ANY)) {
		ret = -errno;
		record_set_err(s->err, "cannot attach to process %d: %s", pid, strerror(errno));
		return ret;
	}
	s->meta.root_pid = pid;
	s->res->root_pid = pid;
	s->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (s->pidfd < 0) {
		ret = -errno;
		record_set_err(s->err, "cannot open a pidfd for %d: %s", pid, strerror(errno));
		return ret;
	}
	ret = open_trace(s);
	if (ret)
		return ret;
	proctable_add_root(&s->rec.procs, pid, info.ppid, info.comm, 0);
	/* Naming what it has open is a nicety: a failure leaves them unnamed. */
	fdscan_run(s->skel, pid, false);
	if (s->opt->on_tracing)
		s->opt->on_tracing(s->opt->arg);
	return 0;
}

/* Fork the command stopped on a pipe, mark it traced through a pidfd,
 * then let it exec and wait until it did (or failed to). */
int record_start_command(struct record_session *s)
{
	int ret;

	if (pipe2(s->go, O_CLOEXEC) || pipe2(s->status, O_CLOEXEC)) {
		ret = -errno;
		record_set_err(s->err, "cannot create a pipe: %s", strerror(errno));
		return ret;
	}
	s->pid = fork();
	if (s->pid < 0) {
		ret = -errno;
		record_set_err(s->err, "cannot fork: %s", strerror(errno));
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
		record_set_err(s->err, "cannot open a pidfd for %d: %s", s->pid, strerror(errno));
		return ret;
	}
	ret = mark_traced(s->skel, s->pidfd, TASK_BEFORE_EXEC);
	if (ret) {
		record_set_err(s->err, "cannot mark process %d as traced: %s", s->pid, strerror(-ret));
		return ret;
	}
	proctable_add_root(&s->rec.procs, s->pid, getpid(), "", s->meta.start_monotonic_ns);
	/* What it inherits, as its exec will leave it (a failure leaves the
	 * descriptors unnamed). */
	fdscan_run(s->skel, s->pid, true);
	if (s->opt->on_tracing)
		s->opt->on_tracing(s->opt->arg);
	if (write(s->go[1], "g", 1) != 1) {
		ret = -errno;
		record_set_err(s->err, "cannot start the command: %s", strerror(errno));
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
		record_set_err(s->err, "cannot run '%s': %s", s->opt->argv[0], strerror(s->child_errno));
		return -s->child_errno;
	}
	return 0;
}
