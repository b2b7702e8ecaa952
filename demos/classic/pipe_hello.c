/*
 * pipe_hello - the textbook parent-to-child pipe.
 *
 *   demos/classic/pipe_hello [MESSAGE]      (default "Hello Child Process!")
 *
 * pipe() gives two descriptors: fds[0] to read, fds[1] to write.  After
 * fork() both processes have both; each closes the end it does not use.
 * The parent writes the message (without a terminating NUL: a pipe carries
 * bytes, not C strings) and closes its write end; the child reads until
 * read() returns 0 - end of file, which comes only when every write end is
 * closed - and prints what it got with the real byte count.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child: read everything from fd and print it; exit status. */
static int child(int fd)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	while (total < sizeof(buf) &&
	       (n = read(fd, buf + total, sizeof(buf) - total)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "error: child: read failed: %s\n", strerror(errno));
			return 1;
		}
		total += (size_t)n;
	}
	printf("child: received %zu bytes: %.*s\n", total, (int)total, buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *message = argc > 1 ? argv[1] : "Hello Child Process!";
	size_t len = strlen(message);
	int fds[2], status;
	pid_t pid;

	if (argc > 2 || (argc == 2 && !strcmp(argv[1], "-h"))) {
		fprintf(argc > 2 ? stderr : stdout, "usage: pipe_hello [MESSAGE]\n");
		return argc > 2 ? 2 : 0;
	}
	if (len > 4096) {
		fprintf(stderr, "error: message longer than 4096 bytes\n");
		return 2;
	}
	if (pipe(fds) < 0) {
		fprintf(stderr, "error: cannot create pipe: %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);		/* the child must not inherit unprinted output */
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[1]);		/* the child only reads */
		status = child(fds[0]);
		fflush(stdout);
		_exit(status);
	}

	close(fds[0]);			/* the parent only writes */
	if (demo_write_full(fds[1], message, len) < 0) {
		fprintf(stderr, "error: write to pipe failed: %s\n", strerror(errno));
		close(fds[1]);
		waitpid(pid, NULL, 0);
		return 1;
	}
	printf("parent: sent %zu bytes\n", len);
	fflush(stdout);
	close(fds[1]);			/* end of file for the child */
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "error: child failed\n");
		return 1;
	}
	return 0;
}
