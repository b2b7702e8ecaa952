/*
 * anon_shared - shared anonymous memory inherited over fork: the parent
 * maps one page MAP_SHARED|MAP_ANONYMOUS holding a process-shared
 * semaphore, forks a child, and hands the semaphore to it K times (so
 * that each sem_wait really sleeps and each sem_post really wakes it: a
 * futex wait and wake on a word of the mapping).  The child writes its
 * pid into the page; the parent reads it after the child exited.
 *
 *   anon_shared K
 *
 * Prints "parent PID child PID posts K" on success.
 */
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct page {
	sem_t sem;
	pid_t written;
};

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 3, status;
	struct timespec pause = { 0, 30 * 1000 * 1000 };
	struct page *p;
	pid_t pid;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || sem_init(&p->sem, 1, 0)) {
		perror("anon_shared: mmap");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("anon_shared: fork");
		return 1;
	}
	if (pid == 0) {
		for (int i = 0; i < k; i++)
			while (sem_wait(&p->sem))
				;
		p->written = getpid();
		_exit(0);
	}
	for (int i = 0; i < k; i++) {
		nanosleep(&pause, NULL);
		sem_post(&p->sem);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0 || p->written != pid) {
		fprintf(stderr, "anon_shared: the child did not finish\n");
		return 1;
	}
	printf("parent %d child %d posts %d\n", (int)getpid(), (int)pid, k);
	return 0;
}
