/*
 * timeit - run a command and print its wall time in microseconds (fork,
 * exec, run, wait), so the same measurement can be made with and without
 * the tracer around it:
 *
 *   bench/timeit demos/pipe_sum -n 100000000 -p 10
 *   sudo ./trace bench/timeit demos/pipe_sum -n 100000000 -p 10
 *
 * The command's own output goes to /dev/null; the time goes to stdout.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: timeit CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execvp(argv[1], argv + 1);
		perror("exec");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld\n", (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
