/*
 * sigwait_wait: the parent blocks SIGUSR1 and waits for it in sigwaitinfo
 * N times; a child sends it every HOLD_MS milliseconds.  Prints
 * "parent P child C" first, then "got N".
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3, hold = argc > 2 ? atoi(argv[2]) : 50, got = 0;
	struct timespec ts = { hold / 1000, (hold % 1000) * 1000000L };
	sigset_t set;
	pid_t parent = getpid(), child;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		for (int i = 0; i < n; i++) {
			nanosleep(&ts, NULL);
			kill(parent, SIGUSR1);
		}
		_exit(0);
	}
	printf("parent %d child %d\n", (int)parent, (int)child);
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		siginfo_t si;

		if (sigwaitinfo(&set, &si) == SIGUSR1 && si.si_pid == child)
			got++;
	}
	waitpid(child, NULL, 0);
	printf("got %d\n", got);
	return got == n ? 0 : 1;
}
