/*
 * fifo_sum - the forked parallel sum over a named pipe (FIFO).
 *
 *   demos/fifo_sum [-n N] [-p P]        (defaults: N=10000, P=10)
 *
 * A FIFO is a pipe with a name in the file system (mkfifo), so processes
 * that share no descriptors can still find it: here each worker open()s it
 * by path instead of inheriting a descriptor as in pipe_sum.  The FIFO
 * lives in a private directory ($TMPDIR/fifo_sum.XXXXXX, from mkdtemp).
 *
 * Opening a FIFO blocks until the other side is open too.  To avoid that
 * dance the parent opens the read end first with O_NONBLOCK (which never
 * blocks), then opens a write end of its own: it never writes to it, but
 * while a writer exists, read() waits for data instead of reporting end of
 * file in the gaps between workers.  A worker then opens the FIFO for
 * writing (the reader exists, so that does not block), writes its 8-byte
 * partial sum in one atomic write, and closes it.
 *
 * Cleanup: the FIFO and its directory are deleted once every worker has
 * delivered (so all have opened it), or on any abort (failed worker,
 * SIGINT/SIGTERM).
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[PATH_MAX - 32];		/* leaves room for "/sum.fifo" */
static char path[PATH_MAX];

/* Worker index: open the FIFO by name, write the partial sum, close. */
static int worker(const struct sum_args *args, unsigned int index)
{
	uint64_t partial = sum_worker_partial(args, index);
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "error: worker %u: cannot open '%s': %s\n", index, path,
			strerror(errno));
		return 1;
	}
	n = write(fd, &partial, sizeof(partial));	/* atomic: 8 <= PIPE_BUF */
	close(fd);
	if (n != (ssize_t)sizeof(partial)) {
		fprintf(stderr, "error: worker %u: write to '%s' failed: %s\n", index,
			path, n < 0 ? strerror(errno) : "short write");
		return 1;
	}
	return 0;
}

/* Deletes the FIFO and its directory, once. */
static void remove_fifo(void)
{
	if (dir[0]) {
		unlink(path);
		rmdir(dir);
		dir[0] = '\0';
	}
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	uint64_t total = 0;
	int rfd = -1, keep_wfd = -1, err, status = 1;

	sum_parse_args(argc, argv, "fifo_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "fifo_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	err = demo_make_tempdir(dir, sizeof(dir), "fifo_sum");
	if (err) {
		fprintf(stderr, "error: cannot create a directory in '%s': %s\n",
			demo_tmpdir(), strerror(-err));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/sum.fifo", dir);
	if (mkfifo(path, 0600) < 0) {
		fprintf(stderr, "error: cannot create FIFO '%s': %s\n", path, strerror(errno));
		goto out;
	}
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	keep_wfd = open(path, O_WRONLY);
	if (rfd < 0 || keep_wfd < 0) {
		fprintf(stderr, "error: cannot open FIFO '%s': %s\n", path, strerror(errno));
		goto out;
	}
	/* Back to blocking reads; we only read after ppoll says there is data. */
	fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) & ~O_NONBLOCK);

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			close(rfd);		/* use only what we open by name */
			close(keep_wfd);
			_exit(worker(&args, i));
		}
		demo_workers_add(&workers, pid);
	}

	for (unsigned int got = 0; got < args.p; got++) {
		uint64_t partial;

		if (demo_wait_readable(&workers, rfd))
			goto out;
		err = demo_read_full(rfd, &partial, sizeof(partial));
		if (err) {
			fprintf(stderr, "error: read from FIFO failed: %s\n", strerror(-err));
			goto out;
		}
		total += partial;
	}
	remove_fifo();		/* every worker has opened it: the name can go */

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("fifo_sum", &args, total);
out:
	demo_workers_kill(&workers);
	if (rfd >= 0)
		close(rfd);
	if (keep_wfd >= 0)
		close(keep_wfd);
	remove_fifo();
	demo_workers_release(&workers);
	demo_exit(status);
}
