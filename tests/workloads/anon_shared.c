/*
 * anon_shared - shared anonymous memory inherited over fork: the parent
 * maps one page MAP_SHARED|MAP_ANONYMOUS holding a process-shared
 * semaphore, forks a child, and hands the semaphore to it K times (so
 * that each sem_wait really sleeps and each sem_post really wakes it: a
 * futex wait and wake on a word of the mapping; the parent posts only once
 * /proc/CHILD/wchan says the child sleeps in a futex wait).  The child writes its
 * pid into the page; the parent reads it after the child exited.
 *
 *   anon_shared K
 *
 * Prints "parent PID child PID posts K" on success.
 */
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct page {
	sem_t sem;
	pid_t written;
};

/* Wait until PID sleeps in a futex wait (at most ~5 s). */
static void until_futex_wait(pid_t pid)
{
	struct timespec tick = { 0, 2 * 1000 * 1000 };
	char path[64], wchan[64];

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	for (int i = 0; i < 2500; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(wchan, 1, sizeof(wchan) - 1, f) : 0;

		if (f)
			fclose(f);
		wchan[n] = 0;
		if (strstr(wchan, "futex"))
			return;
		nanosleep(&tick, NULL);
	}
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 3, status;
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
		until_futex_wait(pid);
		sem_post(&p->sem);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0 || p->written != pid) {
		fprintf(stderr, "anon_shared: the child did not finish\n");
		return 1;
	}
	printf("parent %d child %d posts %d\n", (int)getpid(), (int)pid, k);
	return 0;
}
