/*
 * sem_sum - the forked parallel sum into one shared total, guarded by a
 * System V semaphore.
 *
 *   demos/sem_sum [-n N] [-p P]         (defaults: N=10000, P=10)
 *
 * All workers add to ONE 8-byte total in shared memory.  "total += partial"
 * is a read, an add and a write: two workers doing it at once can both read
 * the old value, and one addition is lost.  So each worker takes a lock
 * first: a semaphore with initial value 1 (semget + semctl SETVAL).  P
 * ("proberen", semop -1) waits until the value is 1 and makes it 0; V
 * ("verhogen", semop +1) makes it 1 again and wakes a waiter.
 *
 * SEM_UNDO: the kernel remembers each process's semop adjustments and
 * reverses them when it exits, so a worker killed while holding the lock
 * does not leave the others waiting forever.
 *
 * Cleanup: the shared segment is marked for removal (IPC_RMID) right after
 * attaching, so it dies with its last user; the semaphore set has no such
 * mode - it is removed by the parent on every path, including a failed
 * worker and SIGINT/SIGTERM.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

/* The caller must define this union for semctl (see semctl(2)). */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* Adds delta to semaphore 0 of set semid, with SEM_UNDO; 0 or -1. */
static int sem_change(int semid, short delta)
{
	struct sembuf op = { .sem_num = 0, .sem_op = delta, .sem_flg = SEM_UNDO };

	while (semop(semid, &op, 1) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* Worker index: sum the slice, then add it to *total under the lock. */
static int worker(const struct sum_args *args, unsigned int index,
		  int semid, volatile uint64_t *total)
{
	uint64_t partial = sum_worker_partial(args, index);

	if (sem_change(semid, -1) < 0) {	/* P: lock */
		fprintf(stderr, "error: worker %u: semop failed: %s\n", index,
			strerror(errno));
		return 1;
	}
	*total += partial;			/* the critical section */
	if (sem_change(semid, +1) < 0) {	/* V: unlock */
		fprintf(stderr, "error: worker %u: semop failed: %s\n", index,
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	volatile uint64_t *total;
	union semun arg = { .val = 1 };
	int shmid, semid, status = 1;

	sum_parse_args(argc, argv, "sem_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "sem_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}

	/* The shared total: a private zero-filled segment, removed at once
	 * (it stays alive while attached). */
	shmid = shmget(IPC_PRIVATE, sizeof(uint64_t), IPC_CREAT | 0600);
	if (shmid < 0) {
		fprintf(stderr, "error: cannot create shared memory: %s\n", strerror(errno));
		return 1;
	}
	total = shmat(shmid, NULL, 0);
	shmctl(shmid, IPC_RMID, NULL);
	if (total == (void *)-1) {
		fprintf(stderr, "error: cannot attach shared memory: %s\n", strerror(errno));
		return 1;
	}

	/* A set of one semaphore, value 1 = unlocked. */
	semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (semid < 0) {
		fprintf(stderr, "error: cannot create semaphore: %s\n", strerror(errno));
		shmdt((void *)total);
		return 1;
	}
	if (semctl(semid, 0, SETVAL, arg) < 0) {
		fprintf(stderr, "error: cannot set semaphore: %s\n", strerror(errno));
		goto out;
	}

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			_exit(worker(&args, i, semid, total));
		}
		demo_workers_add(&workers, pid);
	}

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("sem_sum", &args, *total);
out:
	demo_workers_kill(&workers);
	if (semctl(semid, 0, IPC_RMID) < 0) {
		fprintf(stderr, "error: cannot remove semaphore: %s\n", strerror(errno));
		status = 1;
	}
	shmdt((void *)total);
	demo_workers_release(&workers);
	demo_exit(status);
}
