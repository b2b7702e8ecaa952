/*
 * pingpong - the tracer's overhead workload: two processes bounce one byte
 * over a pair of pipes ROUNDS times, both pinned to one CPU (or to two with
 * -x), and the parent prints the mean round trip in nanoseconds.
 *
 *   bench/pingpong [-n ROUNDS] [-x]
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
}

int main(int argc, char **argv)
{
	long rounds = 100000;
	int cross = 0, c, ab[2], ba[2];
	struct timespec t0, t1;
	char byte = 'x';
	pid_t pid;

	while ((c = getopt(argc, argv, "n:xh")) != -1) {
		switch (c) {
		case 'n':
			rounds = strtol(optarg, NULL, 10);
			if (rounds <= 0) {
				fprintf(stderr, "usage: pingpong [-n ROUNDS] [-x]\n");
				return 2;
			}
			break;
		case 'x':
			cross = 1;
			break;
		default:
			fprintf(stderr, "usage: pingpong [-n ROUNDS] [-x]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (pipe(ab) || pipe(ba)) {
		perror("pipe");
		return 1;
	}
	pin(0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (cross)
			pin(1);
		for (long i = 0; i < rounds; i++)
			if (read(ab[0], &byte, 1) != 1 || write(ba[1], &byte, 1) != 1)
				_exit(1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < rounds; i++)
		if (write(ab[1], &byte, 1) != 1 || read(ba[0], &byte, 1) != 1) {
			perror("pingpong");
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, NULL, 0);
	printf("%.0f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / rounds);
	return 0;
}
