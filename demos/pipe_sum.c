/*
 * pipe_sum - the forked parallel sum over one anonymous pipe.
 *
 *   demos/pipe_sum [-n N] [-p P]        (defaults: N=10000, P=10)
 *
 * The parent creates a pipe, then forks P workers.  A forked child inherits
 * the parent's file descriptors, so every worker holds the pipe's write end.
 * Worker i adds up its slice of 1..N and writes the 8-byte partial sum into
 * the pipe with ONE write(): writes of at most PIPE_BUF (4096) bytes are
 * atomic, so the partial sums of different workers never interleave.  The
 * parent closes its own copy of the write end, reads P partial sums of
 * 8 bytes each, waits for the workers and checks the total against
 * N(N+1)/2.
 *
 * Exit status: 0 if the sum is right, 1 if not (or a worker failed), 2 for
 * bad arguments.  The pipe vanishes with its last descriptor, so nothing can
 * be left behind.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Worker index: sum the slice, send it, exit.  Runs in the child. */
static int worker(const struct sum_args *args, unsigned int index, int wfd)
{
	uint64_t partial = sum_worker_partial(args, index);
	ssize_t n = write(wfd, &partial, sizeof(partial));  /* atomic: 8 <= PIPE_BUF */

	if (n != (ssize_t)sizeof(partial)) {
		fprintf(stderr, "error: worker %u: write to pipe failed: %s\n",
			index, n < 0 ? strerror(errno) : "short write");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	uint64_t total = 0;
	int fds[2], status = 1;

	sum_parse_args(argc, argv, "pipe_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "pipe_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}

	/* fds[0] is the read end, fds[1] the write end.  O_CLOEXEC would only
	 * matter if we exec'd; the workers are plain forks. */
	if (pipe(fds) < 0) {
		fprintf(stderr, "error: cannot create pipe: %s\n", strerror(errno));
		return 1;
	}

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			close(fds[0]);		/* a worker only writes */
			_exit(worker(&args, i, fds[1]));
		}
		demo_workers_add(&workers, pid);
	}

	/*
	 * Close our write end: once every worker has exited, read() then
	 * returns 0 (end of file) instead of waiting forever for a writer
	 * that will never come - e.g. when a worker died before writing.
	 */
	close(fds[1]);
	fds[1] = -1;

	for (unsigned int got = 0; got < args.p; got++) {
		uint64_t partial;
		int err;

		/* Sleep until data arrives, or a worker fails, or SIGINT. */
		if (demo_wait_readable(&workers, fds[0]))
			goto out;
		err = demo_read_full(fds[0], &partial, sizeof(partial));
		if (err) {
			/*
			 * End of file: every worker has exited or is exiting.
			 * A failed worker explains it (demo_workers_wait
			 * reports it); otherwise say what went wrong.
			 */
			if (demo_workers_wait(&workers) == 0)
				fprintf(stderr, "error: read from pipe failed after %u of %u partial sums: %s\n",
					got, args.p, err == -EIO ? "end of file" : strerror(-err));
			goto out;
		}
		total += partial;
	}

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("pipe_sum", &args, total);
out:
	demo_workers_kill(&workers);	/* no-op unless we are aborting */
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	demo_workers_release(&workers);
	demo_exit(status);
}
