/*
 * shm_pages - one page per child through shared memory: the parent makes
 * N pages shared (untouched), forks N children; child k writes its pid
 * into page k and exits; once all are gone the parent reads every page.
 *
 *   shm_pages sysv|posix|anon|file N [STRIDE [read]]
 *
 * sysv: shmget + shmat; posix: shm_open + ftruncate + mmap (unlinked at
 * once); anon: mmap(MAP_SHARED|MAP_ANONYMOUS); file: a new file
 * ./shm_pages.data, sized with ftruncate, mapped MAP_SHARED.  Child k's page is page
 * k * STRIDE (default 1) of the N * STRIDE mapped: a read fault on shmem
 * may map the neighbours of the page too (fault-around, 16 pages), so a
 * stride of 16 makes every read fault.  With "read" the children only
 * read their page.  Prints "parent PID" and "child K PID" for each child,
 * in order; exits 1 if a page does not hold what its child wrote.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static char *map_pages(const char *mode, size_t len)
{
	char *p = MAP_FAILED;

	if (!strcmp(mode, "sysv")) {
		int id = shmget(IPC_PRIVATE, len, IPC_CREAT | 0600);

		if (id < 0)
			return MAP_FAILED;
		p = shmat(id, NULL, 0);
		shmctl(id, IPC_RMID, NULL);
		return p == (void *)-1 ? MAP_FAILED : p;
	}
	if (!strcmp(mode, "posix")) {
		char name[64];
		int fd;

		snprintf(name, sizeof(name), "/shm_pages.%d", (int)getpid());
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			return MAP_FAILED;
		shm_unlink(name);
		if (ftruncate(fd, len) == 0)
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		return p;
	}
	if (!strcmp(mode, "file")) {
		int fd = open("shm_pages.data", O_RDWR | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			return MAP_FAILED;
		if (ftruncate(fd, len) == 0)
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		return p;
	}
	if (!strcmp(mode, "anon"))
		return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return MAP_FAILED;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	int n = argc > 2 ? atoi(argv[2]) : 0, bad = 0;
	int stride = argc > 3 ? atoi(argv[3]) : 1;
	int readonly = argc > 4 && !strcmp(argv[4], "read");
	pid_t pids[64];
	char *p;

	if (argc < 3 || argc > 5 || n < 1 || n > 64 || stride < 1 || stride > 64) {
		fprintf(stderr, "usage: shm_pages sysv|posix|anon|file N (1..64) [STRIDE (1..64) [read]]\n");
		return 2;
	}
	page *= stride;
	p = map_pages(argv[1], (size_t)n * page);
	if (p == MAP_FAILED) {
		perror("shm_pages: map");
		return 1;
	}
	printf("parent %d\n", (int)getpid());
	fflush(stdout);
	for (int k = 0; k < n; k++) {
		pids[k] = fork();
		if (pids[k] < 0) {
			perror("shm_pages: fork");
			return 1;
		}
		if (pids[k] == 0) {
			pid_t me = getpid(), seen;

			if (readonly) {
				memcpy(&seen, p + (size_t)k * page, sizeof(seen));
				_exit(seen != 0);
			}
			memcpy(p + (size_t)k * page, &me, sizeof(me));
			_exit(0);
		}
		printf("child %d %d\n", k, (int)pids[k]);
	}
	for (int k = 0; k < n; k++)
		waitpid(pids[k], NULL, 0);
	for (int k = 0; k < n; k++) {
		pid_t got;

		memcpy(&got, p + (size_t)k * page, sizeof(got));
		bad |= got != (readonly ? 0 : pids[k]);
	}
	return bad;
}
