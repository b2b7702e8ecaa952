/*
 * futex_words - two process-shared POSIX semaphores in one shared file
 * mapping, at offsets 0 and 256: child 0 takes the first K times, child 1
 * the second 2K times, the parent posts each in turn, sleeping 20 ms
 * before each post so that the waiter sleeps in the kernel (a futex wait
 * and wake per hand-off; two futex words of one inode, two objects).
 *
 *   futex_words K
 *
 * Prints "parent PID child0 PID child1 PID word0 0xADDR word1 0xADDR"
 * (the words' addresses in the parent) on success.
 */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 3, fd, status, ok = 1;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	char name[64];
	sem_t *sem[2];
	pid_t pid[2];
	char *p;

	snprintf(name, sizeof(name), "/ipctrace-words-%d", (int)getpid());
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0 || ftruncate(fd, 4096)) {
		perror("shm_open");
		return 1;
	}
	shm_unlink(name);	/* the mapping outlives the name */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	sem[0] = (sem_t *)p;
	sem[1] = (sem_t *)(p + 256);
	if (sem_init(sem[0], 1, 0) || sem_init(sem[1], 1, 0)) {
		perror("sem_init");
		return 1;
	}
	for (int c = 0; c < 2; c++) {
		pid[c] = fork();
		if (pid[c] < 0) {
			perror("fork");
			return 1;
		}
		if (pid[c] == 0) {
			for (int i = 0; i < k * (c + 1); i++)
				if (sem_wait(sem[c]))
					_exit(1);
			_exit(0);
		}
	}
	for (int i = 0; i < 2 * k; i++) {
		nanosleep(&pause, NULL);
		sem_post(sem[1]);
		if (i % 2 == 0) {
			nanosleep(&pause, NULL);
			sem_post(sem[0]);
		}
	}
	for (int c = 0; c < 2; c++)
		ok &= waitpid(pid[c], &status, 0) == pid[c] && WIFEXITED(status) &&
		      !WEXITSTATUS(status);
	if (!ok) {
		fprintf(stderr, "child failed\n");
		return 1;
	}
	printf("parent %d child0 %d child1 %d word0 %p word1 %p\n", (int)getpid(), (int)pid[0],
	       (int)pid[1], (void *)sem[0], (void *)sem[1]);
	return 0;
}
