/*
 * shm_many - many first touches of shared pages: M times, map P pages of
 * shared anonymous memory, write every page once, unmap them.  Each
 * mapping is a new shmem object, so the writes are M * P distinct
 * (object, page) first touches.
 *
 *   shm_many M P
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	long m = argc == 3 ? atol(argv[1]) : 0, p = argc == 3 ? atol(argv[2]) : 0;

	if (m < 1 || m > 64 || p < 1 || p > 65536) {
		fprintf(stderr, "usage: shm_many M (1..64) P (1..65536)\n");
		return 2;
	}
	for (long i = 0; i < m; i++) {
		volatile char *a = mmap(NULL, p * page, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (a == MAP_FAILED) {
			perror("shm_many: mmap");
			return 1;
		}
		for (long k = 0; k < p; k++)
			a[k * page] = 1;
		munmap((void *)a, p * page);
	}
	return 0;
}
