/*
 * file_sum - the forked parallel sum, handed over in ordinary files.
 *
 *   demos/file_sum [-n N] [-p P]        (defaults: N=10000, P=10)
 *
 * The oldest IPC there is: one process writes a file, another reads it
 * later.  The parent makes a private directory ($TMPDIR/file_sum.XXXXXX,
 * mode 0700, via mkdtemp), forks P workers, and worker i writes its 8-byte
 * partial sum to "partial.i" in it.  The files carry no synchronisation of
 * their own, so the parent reads them only after wait() has told it that
 * every worker has exited - then the data is certainly complete.  Then it
 * deletes the files and the directory.
 *
 * Cleanup: the files and the directory are removed on every path, including
 * a failed worker and SIGINT/SIGTERM.  Exit status 0 right, 1 wrong or
 * failed, 2 bad arguments.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX - 32];	/* leaves room for "/partial.N" */

/* Stores the path of worker index's file in buf (PATH_MAX bytes). */
static void partial_path(char *buf, unsigned int index)
{
	snprintf(buf, PATH_MAX, "%s/partial.%u", dir, index);
}

/* Worker index: sum the slice and write it to its own file. */
static int worker(const struct sum_args *args, unsigned int index)
{
	uint64_t partial = sum_worker_partial(args, index);
	char path[PATH_MAX];
	int fd, err;

	partial_path(path, index);
	/* O_EXCL: the file must be new; nobody else may have planted it. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "error: cannot create '%s': %s\n", path, strerror(errno));
		return 1;
	}
	err = demo_write_full(fd, &partial, sizeof(partial));
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "error: cannot write '%s': %s\n", path, strerror(-err));
		return 1;
	}
	return 0;
}

/* Reads worker index's partial sum from its file into *partial; 0 or -1. */
static int read_partial(unsigned int index, uint64_t *partial)
{
	char path[PATH_MAX];
	int fd, err;

	partial_path(path, index);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "error: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	err = demo_read_full(fd, partial, sizeof(*partial));
	close(fd);
	if (err) {
		fprintf(stderr, "error: cannot read '%s': %s\n", path,
			err == -EIO ? "file too short" : strerror(-err));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	uint64_t total = 0;
	int err, status = 1;

	sum_parse_args(argc, argv, "file_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "file_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	err = demo_make_tempdir(dir, sizeof(dir), "file_sum");
	if (err) {
		fprintf(stderr, "error: cannot create a directory in '%s': %s\n",
			demo_tmpdir(), strerror(-err));
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
			_exit(worker(&args, i));
		}
		demo_workers_add(&workers, pid);
	}

	/* Only after every writer has exited are the files complete. */
	if (demo_workers_wait(&workers))
		goto out;
	for (unsigned int i = 0; i < args.p; i++) {
		uint64_t partial;

		if (read_partial(i, &partial))
			goto out;
		total += partial;
	}
	status = sum_report("file_sum", &args, total);
out:
	demo_workers_kill(&workers);
	/* Remove whatever files exist (ENOENT for the others), then the dir. */
	for (unsigned int i = 0; i < args.p; i++) {
		char path[PATH_MAX];

		partial_path(path, i);
		unlink(path);
	}
	if (rmdir(dir) < 0) {
		fprintf(stderr, "error: cannot remove '%s': %s\n", dir, strerror(errno));
		status = 1;
	}
	demo_workers_release(&workers);
	demo_exit(status);
}
