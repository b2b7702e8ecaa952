/*
 * futex_handoff - a POSIX named semaphore handed from parent to child K
 * times, so that each sem_wait really sleeps and each sem_post really
 * wakes it (a process-shared futex wait and wake).
 *
 *   futex_handoff K
 *
 * The child waits on the semaphore K times; the parent sleeps 30 ms before
 * each sem_post, long enough for the child to be asleep in the kernel.
 * Prints "parent PID child PID posts K" on success.
 */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 3, status;
	struct timespec pause = { 0, 30 * 1000 * 1000 };
	char name[64];
	sem_t *sem;
	pid_t pid;

	snprintf(name, sizeof(name), "/ipctrace-futex-%d", (int)getpid());
	sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	if (sem == SEM_FAILED) {
		perror("sem_open");
		return 1;
	}
	sem_unlink(name);	/* the mapping outlives the name */
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		for (int i = 0; i < k; i++)
			if (sem_wait(sem))
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < k; i++) {
		nanosleep(&pause, NULL);
		sem_post(sem);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "child failed\n");
		return 1;
	}
	printf("parent %d child %d posts %d\n", (int)getpid(), (int)pid, k);
	return 0;
}
