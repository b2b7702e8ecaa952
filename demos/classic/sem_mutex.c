/*
 * sem_mutex - mutual exclusion with a System V semaphore.
 *
 *   demos/classic/sem_mutex [-p PROCS] [-r ROUNDS] [--no-lock]
 *                                       (defaults: 2 processes, 3 rounds)
 *
 * PROCS forked processes each enter a critical section ROUNDS times.
 * Inside, a process writes its number into a shared "occupant" word, sleeps
 * 20 ms, and checks the word is still its own: if another process got in
 * meanwhile, that is an overlap - exactly what a mutex must prevent.
 *
 * The lock is a semaphore with value 1 (semget IPC_PRIVATE + semctl
 * SETVAL): semop -1 to enter (waits while it is 0), semop +1 to leave.
 * SEM_UNDO makes the kernel release it if a holder dies.  With --no-lock
 * the semaphore is skipped and the overlaps show up.  The output ends with
 * "sem_mutex: E entries, O overlaps"; the exit status is 0 when O is 0.
 *
 * Cleanup: the shared word is anonymous shared memory (gone with the
 * processes); the semaphore set is removed on every path, also on
 * SIGINT/SIGTERM (demo_signals_init / demo_workers_wait).
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* What the processes share (MAP_SHARED | MAP_ANONYMOUS memory). */
struct shared {
	volatile int occupant;		/* who is in the critical section */
	volatile int overlaps;		/* updated only under the lock... */
	volatile int entries;		/* ...unless --no-lock */
};

/* semop on semaphore 0 with SEM_UNDO, retrying on EINTR; 0 or -1. */
static int sem_change(int semid, short delta)
{
	struct sembuf op = { .sem_num = 0, .sem_op = delta, .sem_flg = SEM_UNDO };

	while (semop(semid, &op, 1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Process me: ROUNDS times lock, occupy, check, unlock. */
static int worker(int me, unsigned int rounds, int semid, struct shared *sh)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };

	for (unsigned int r = 0; r < rounds; r++) {
		if (semid >= 0 && sem_change(semid, -1) < 0)
			return 1;
		printf("process %d: entered\n", me);
		fflush(stdout);
		sh->occupant = me;
		sh->entries++;
		nanosleep(&nap, NULL);	/* stay inside a while */
		if (sh->occupant != me)
			sh->overlaps++;
		printf("process %d: leaving\n", me);
		fflush(stdout);
		if (semid >= 0 && sem_change(semid, +1) < 0)
			return 1;
	}
	return 0;
}

static void usage(FILE *stream)
{
	fprintf(stream, "usage: sem_mutex [-p PROCS] [-r ROUNDS] [--no-lock]\n");
}

int main(int argc, char **argv)
{
	uint64_t procs = 2, rounds = 3;
	int lock = 1, semid = -1, status = 1;
	struct demo_workers workers;
	union semun arg = { .val = 1 };
	struct shared *sh;

	for (int i = 1; i < argc; i++) {
		uint64_t *target = !strcmp(argv[i], "-p") ? &procs :
				   !strcmp(argv[i], "-r") ? &rounds : NULL;

		if (!strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--no-lock")) {
			lock = 0;
		} else if (!target || i + 1 >= argc || demo_parse_u64(argv[++i], target) ||
			   *target < 1 || *target > 64) {
			fprintf(stderr, "error: bad argument '%s' (PROCS and ROUNDS are 1..64)\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || demo_signals_init() ||
	    demo_workers_init(&workers, "sem_mutex", (unsigned int)procs)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	if (lock) {
		semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		if (semid < 0 || semctl(semid, 0, SETVAL, arg) < 0) {
			fprintf(stderr, "error: cannot create semaphore: %s\n", strerror(errno));
			goto out;
		}
	}

	fflush(stdout);
	for (unsigned int i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			_exit(worker((int)i, (unsigned int)rounds, semid, sh));
		}
		demo_workers_add(&workers, pid);
	}
	if (demo_workers_wait(&workers) == 0) {
		printf("sem_mutex: %d entries, %d overlaps\n", sh->entries, sh->overlaps);
		status = sh->overlaps == 0 ? 0 : 1;
	}
out:
	demo_workers_kill(&workers);
	if (semid >= 0 && semctl(semid, 0, IPC_RMID) < 0) {
		fprintf(stderr, "error: cannot remove semaphore: %s\n", strerror(errno));
		status = 1;
	}
	demo_workers_release(&workers);
	demo_exit(status);
}
