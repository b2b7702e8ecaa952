/*
 * sig_pingpong - a test workload: a parent and its child pass a signal
 * back and forth N times.
 *
 *   sig_pingpong N
 *
 * The parent sends SIGUSR1 to the child, the child answers with SIGUSR2;
 * each waits in sigsuspend() with the signal blocked otherwise, so every
 * signal sent is delivered to a handler, one at a time.  Each process
 * counts what its handler saw; the child exits with status 0 when it saw
 * N, and the parent prints "sent S handled H child C": the signals it
 * sent, its handler's count and the child's (from a pipe).  Exit 0 when
 * all three are N.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

/* Send SIG to PID and wait for the answer N times (FIRST: send first). */
static long pingpong(pid_t pid, int sig, long n, int first, const sigset_t *wait_mask)
{
	long sent = 0;

	for (long i = 0; i < n; i++) {
		if (first && kill(pid, sig) == 0)
			sent++;
		while (handled <= i)
			sigsuspend(wait_mask);
		if (!first && kill(pid, sig) == 0)
			sent++;
	}
	return sent;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, wait_mask;
	int fd[2], status;
	long child = -1;

	if (n <= 0 || pipe(fd)) {
		fprintf(stderr, "usage: sig_pingpong N\n");
		return 2;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		pingpong(getppid(), SIGUSR2, n, 0, &wait_mask);
		long h = handled;
		if (write(fd[1], &h, sizeof(h)) != sizeof(h))
			_exit(1);
		_exit(h == n ? 0 : 1);
	}
	long sent = pingpong(pid, SIGUSR1, n, 1, &wait_mask);
	if (read(fd[0], &child, sizeof(child)) != sizeof(child) || waitpid(pid, &status, 0) != pid)
		return 1;
	printf("sent %ld handled %ld child %ld\n", sent, (long)handled, child);
	return sent == n && handled == n && child == n && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0 ? 0 : 1;
}
