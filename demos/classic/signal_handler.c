/*
 * signal_handler - catching a signal with sigaction.
 *
 *   demos/classic/signal_handler
 *
 * A signal interrupts a process wherever it is and runs its handler.  The
 * parent installs a handler for SIGUSR1 with sigaction() and SA_SIGINFO, so
 * the handler learns who sent it (si_pid).  The handler does the only
 * thing that is safe there: it stores into volatile sig_atomic_t variables.
 *
 * SIGUSR1 is blocked before fork() and the parent waits with sigsuspend(),
 * which unblocks it and sleeps in one step: a signal arriving between
 * "is it here yet?" and "sleep" could otherwise be missed forever.  The
 * child sends the signal with kill(getppid(), SIGUSR1) and exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static volatile sig_atomic_t sender;

/* The handler: runs in the middle of whatever main was doing. */
static void on_usr1(int sig, siginfo_t *info, void *context)
{
	caught++;
	sender = info->si_pid;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, old;
	pid_t pid;
	int status;

	if (argc > 1) {
		int help = !strcmp(argv[1], "-h");

		fprintf(help ? stdout : stderr, "usage: signal_handler\n");
		return help ? 0 : 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;	/* call the 3-argument handler */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		fprintf(stderr, "error: sigaction failed: %s\n", strerror(errno));
		return 1;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigdelset(&old, SIGUSR1);	/* the mask to wait with */

	printf("parent %d: handler installed, waiting for SIGUSR1\n", (int)getpid());
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		printf("child %d: sending SIGUSR1 to parent %d\n", (int)getpid(),
		       (int)getppid());
		fflush(stdout);
		_exit(kill(getppid(), SIGUSR1) < 0 ? 1 : 0);
	}

	while (!caught)
		sigsuspend(&old);	/* sleeps with SIGUSR1 unblocked */
	printf("parent %d: caught SIGUSR1 from pid %d\n", (int)getpid(), (int)sender);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "error: child failed\n");
		return 1;
	}
	return 0;
}
