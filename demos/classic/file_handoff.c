/*
 * file_handoff - handing data over in a file, safely.
 *
 *   demos/classic/file_handoff [MESSAGE]     (default "The answer is 42")
 *
 * A writer process and a reader process share nothing but a directory
 * name ($TMPDIR/file_handoff.XXXXXX, made private by mkdtemp).  The danger
 * with files is reading one that is only half written.  The cure is
 * rename(): the writer writes "message.tmp", closes it, then renames it to
 * "message" - rename is atomic, so "message" either does not exist yet or
 * is complete.  The reader (the forked child) polls every 10 ms for
 * "message" (at most 5 s), then reads and prints it with its byte count.
 *
 * Cleanup: the parent waits for the reader, then deletes the files and the
 * directory, whatever happened.  SIGINT/SIGTERM are held back (blocked by
 * demo_signals_init) until that is done; then the program dies of them.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[PATH_MAX - 32];		/* leaves room for the file names */

/* The reader: wait for dir/message, read it, print it; exit status. */
static int reader(void)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	char path[PATH_MAX], buf[4096];
	int fd = -1, err;
	size_t total = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/message", dir);
	for (int tries = 0; tries < 500 && fd < 0; tries++) {
		fd = open(path, O_RDONLY);
		if (fd < 0 && errno != ENOENT)
			break;
		if (fd < 0)
			nanosleep(&nap, NULL);	/* not there yet */
	}
	if (fd < 0) {
		err = errno;
		fprintf(stderr, "error: reader: cannot open '%s': %s\n", path, strerror(err));
		return 1;
	}
	while (total < sizeof(buf) && (n = read(fd, buf + total, sizeof(buf) - total)) > 0)
		total += (size_t)n;
	close(fd);
	printf("reader: got %zu bytes: %.*s\n", total, (int)total, buf);
	return 0;
}

/* The writer: write message to dir/message.tmp, rename it; 0 or -1. */
static int writer(const char *message)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	size_t len = strlen(message);
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s/message.tmp", dir);
	snprintf(final, sizeof(final), "%s/message", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "error: cannot create '%s': %s\n", tmp, strerror(errno));
		return -1;
	}
	err = demo_write_full(fd, message, len);
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "error: cannot write '%s': %s\n", tmp, strerror(-err));
		return -1;
	}
	printf("writer: wrote %zu bytes\n", len);
	fflush(stdout);
	if (rename(tmp, final) < 0) {	/* the hand-off, in one step */
		fprintf(stderr, "error: cannot rename '%s': %s\n", tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *message = argc > 1 ? argv[1] : "The answer is 42";
	char path[PATH_MAX];
	int err, status = 0, wstatus;
	pid_t pid;

	if (argc > 2 || (argc == 2 && !strcmp(argv[1], "-h"))) {
		fprintf(argc > 2 ? stderr : stdout, "usage: file_handoff [MESSAGE]\n");
		return argc > 2 ? 2 : 0;
	}
	if (strlen(message) > 4096) {
		fprintf(stderr, "error: message longer than 4096 bytes\n");
		return 2;
	}
	if (demo_signals_init()) {
		fprintf(stderr, "error: cannot set up signals: %s\n", strerror(errno));
		return 1;
	}
	err = demo_make_tempdir(dir, sizeof(dir), "file_handoff");
	if (err) {
		fprintf(stderr, "error: cannot create a directory in '%s': %s\n",
			demo_tmpdir(), strerror(-err));
		return 1;
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
		status = 1;
	} else if (pid == 0) {
		demo_worker_begin();	/* the reader dies of SIGINT as usual */
		status = reader();
		fflush(stdout);
		_exit(status);
	} else {
		if (writer(message) < 0) {
			status = 1;
			kill(pid, SIGTERM);	/* the reader would wait in vain */
		}
		if (waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
		    WEXITSTATUS(wstatus) != 0)
			status = 1;
	}
	snprintf(path, sizeof(path), "%s/message.tmp", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/message", dir);
	unlink(path);
	if (rmdir(dir) < 0) {
		fprintf(stderr, "error: cannot remove '%s': %s\n", dir, strerror(errno));
		status = 1;
	}
	/* Clean: let a held-back SIGINT/SIGTERM in (its handler sets the
	 * flag) and, if there was one, die of it. */
	sigprocmask(SIG_SETMASK, demo_wait_mask(), NULL);
	demo_exit(status);
}
