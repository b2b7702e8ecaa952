/*
 * posix_shm_sum - the forked parallel sum into one shared total in POSIX
 * shared memory, guarded by a POSIX named semaphore.
 *
 *   demos/posix_shm_sum [-n N] [-p P]   (defaults: N=10000, P=10)
 *
 * shm_open() creates a named shared-memory object (a file in /dev/shm);
 * ftruncate() gives it a size and mmap(MAP_SHARED) maps it, so stores are
 * seen by every process that maps it.  sem_open() creates a named
 * semaphore (also in /dev/shm, as "sem.<name>"), initial value 1 = unlocked.
 * Names carry the parent's pid, so two runs never collide, and O_EXCL makes
 * sure they are new.
 *
 * Both are unlinked right after the parent has mapped/opened them: fork()
 * keeps mappings, so the workers need no names, and an unlinked object
 * lives on while mapped.  Worker i then does
 *     sem_wait(lock);  *total += partial;  sem_post(lock);
 * and the parent reads *total after wait().
 *
 * A POSIX semaphore has no SEM_UNDO: a worker killed while holding it would
 * block the others forever.  That is why the parent, seeing a worker fail,
 * kills the rest (demo_workers_wait) instead of waiting for them.
 *
 * Cleanup: nothing stays in /dev/shm past the first few system calls; the
 * memory goes with the last mapping, on every path.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Worker: add partial to *total under lock; 0 or 1. */
static int worker(const struct sum_args *args, unsigned int index,
		  sem_t *lock, volatile uint64_t *total)
{
	uint64_t partial = sum_worker_partial(args, index);

	while (sem_wait(lock) < 0) {		/* P: lock */
		if (errno != EINTR) {
			fprintf(stderr, "error: worker %u: sem_wait failed: %s\n",
				index, strerror(errno));
			return 1;
		}
	}
	*total += partial;			/* the critical section */
	sem_post(lock);				/* V: unlock */
	return 0;
}

/* Creates, sizes and maps the shared total, then unlinks its name; the
 * mapping, or NULL after an error message. */
static volatile uint64_t *map_total(const char *name)
{
	void *mem;
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);

	if (fd < 0) {
		fprintf(stderr, "error: cannot create shared memory '%s': %s\n", name,
			strerror(errno));
		return NULL;
	}
	shm_unlink(name);	/* we hold it open: the name can go */
	if (ftruncate(fd, sizeof(uint64_t)) < 0) {	/* new objects are empty */
		fprintf(stderr, "error: cannot size shared memory: %s\n", strerror(errno));
		close(fd);
		return NULL;
	}
	mem = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);		/* the mapping stays valid without the fd */
	if (mem == MAP_FAILED) {
		fprintf(stderr, "error: cannot map shared memory: %s\n", strerror(errno));
		return NULL;
	}
	return mem;		/* zero-filled by ftruncate */
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	volatile uint64_t *total;
	sem_t *lock;
	char shm_name[64], sem_name[64];
	int status = 1;

	sum_parse_args(argc, argv, "posix_shm_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "posix_shm_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	snprintf(shm_name, sizeof(shm_name), "/ipctrace-shm-%d", (int)getpid());
	snprintf(sem_name, sizeof(sem_name), "/ipctrace-sem-%d", (int)getpid());

	total = map_total(shm_name);
	if (!total)
		return 1;
	lock = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 1);
	if (lock == SEM_FAILED) {
		fprintf(stderr, "error: cannot create semaphore '%s': %s\n", sem_name,
			strerror(errno));
		munmap((void *)total, sizeof(uint64_t));
		return 1;
	}
	sem_unlink(sem_name);	/* open, and inherited by fork: name not needed */

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			_exit(worker(&args, i, lock, total));
		}
		demo_workers_add(&workers, pid);
	}

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("posix_shm_sum", &args, *total);
out:
	demo_workers_kill(&workers);
	sem_close(lock);
	munmap((void *)total, sizeof(uint64_t));
	demo_workers_release(&workers);
	demo_exit(status);
}
