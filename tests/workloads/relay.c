/*
 * relay - a test workload: a token handed down a chain of processes.
 *
 *   relay N HOLD_MS
 *
 * The parent (process 0) forks N-1 children and links the N processes by
 * pipes: process i writes to process i+1.  Process 0 holds the token for
 * HOLD_MS (a sleep) and writes it on, then reaps the children; each child
 * blocks reading the token, holds it HOLD_MS, writes it on (the last one
 * does not) and exits.  So by construction:
 *   - N-1 flows of one 8-byte message, i → i+1;
 *   - each child waits once, for its predecessor, about i * HOLD_MS;
 *   - the critical path, from the parent's exit backwards: the parent
 *     waited for the last child's exit, each child ran about HOLD_MS after
 *     waiting for its predecessor, the parent ran HOLD_MS (and its start)
 *     first: 2 * N segments, adding up to the wall time.
 * Prints "relay PID0 PID1 ... PIDN-1" (chain order).  Exit status 0 when
 * every child got the token intact and exited 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 16
#define TOKEN 0x746f6b656e2121ull

static void hold(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Child I of N: take the token from IN, hold it, pass it to OUT (-1: last). */
static int relay(int in, int out, long ms)
{
	uint64_t token = 0;

	if (read(in, &token, sizeof(token)) != sizeof(token) || token != TOKEN)
		return 1;
	hold(ms);
	if (out >= 0 && write(out, &token, sizeof(token)) != sizeof(token))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3, fds[MAX_PROCS][2], status, ok = 1;
	long ms = argc > 2 ? atol(argv[2]) : 20;
	uint64_t token = TOKEN;
	pid_t pids[MAX_PROCS];

	if (n < 2 || n > MAX_PROCS || ms < 0) {
		fprintf(stderr, "usage: relay N(2..%d) HOLD_MS\n", MAX_PROCS);
		return 2;
	}
	/* fds[i]: the pipe from process i to process i + 1 */
	for (int i = 0; i + 1 < n; i++)
		if (pipe(fds[i]) < 0)
			return 1;
	pids[0] = getpid();
	for (int i = 1; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 1;
		if (pids[i] == 0) {
			int in = fds[i - 1][0], out = i + 1 < n ? fds[i][1] : -1;
			for (int k = 0; k + 1 < n; k++) {
				if (fds[k][0] != in)
					close(fds[k][0]);
				if (fds[k][1] != out)
					close(fds[k][1]);
			}
			_exit(relay(in, out, ms));
		}
	}
	printf("relay");
	for (int i = 0; i < n; i++)
		printf(" %d", (int)pids[i]);
	printf("\n");
	fflush(stdout);
	hold(ms);
	if (write(fds[0][1], &token, sizeof(token)) != sizeof(token))
		ok = 0;
	for (int i = 1; i < n; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			ok = 0;
	return ok ? 0 : 1;
}
