/*
 * uring_nops - submit N (default 3) IORING_OP_NOP requests through one
 * io_uring_enter() and reap them; prints "submitted N".  For the test of
 * what the tracer says about io_uring (it counts, does not follow).
 */
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 3;
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int fd = syscall(__NR_io_uring_setup, 8, &p);
	if (fd < 0 || n == 0 || n > p.sq_entries) {
		perror("io_uring_setup");
		return 1;
	}
	size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			fd, IORING_OFF_SQ_RING);
	struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(*sqes),
					 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
					 fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || sqes == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unsigned *tail = (unsigned *)(sq + p.sq_off.tail);
	unsigned *array = (unsigned *)(sq + p.sq_off.array);
	unsigned mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	for (unsigned i = 0; i < n; i++) {
		unsigned idx = (*tail + i) & mask;
		memset(&sqes[idx], 0, sizeof(sqes[idx]));
		sqes[idx].opcode = IORING_OP_NOP;
		array[idx] = idx;
	}
	__atomic_store_n(tail, *tail + n, __ATOMIC_RELEASE);
	int r = syscall(__NR_io_uring_enter, fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0);
	if (r < 0) {
		perror("io_uring_enter");
		return 1;
	}
	printf("submitted %d\n", r);
	return 0;
}
