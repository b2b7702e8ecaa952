/*
 * shm_sum - the forked parallel sum in a System V shared memory segment.
 *
 *   demos/shm_sum [-n N] [-p P]         (defaults: N=10000, P=10)
 *
 * Shared memory is memory mapped into several processes at once: a store by
 * one is seen by the others, with no system call per transfer.  The parent
 * creates a private segment of P slots (shmget with IPC_PRIVATE) and
 * attaches it (shmat).  fork() keeps the attachment, so every worker sees
 * the same memory at the same address; worker i stores its partial sum in
 * slot i.  Each slot has exactly one writer, so no lock is needed; the
 * parent reads the slots after wait() - a process's stores are visible to
 * whoever waited for it to exit.
 *
 * Each slot is 8 bytes at the start of a page of its own: the tracer sees
 * a store only as the first page fault of a process on a page, so slots
 * on separate pages show which worker wrote which slot and that the parent
 * read it after (8-byte slots side by side would all be in one page).
 *
 * Cleanup: the parent marks the segment for removal (shmctl IPC_RMID) right
 * after attaching, before any fork.  The kernel then destroys it when the
 * last process detaches or exits - so it cannot be left behind even if the
 * parent is killed with SIGKILL.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	uint64_t *slots, total = 0;
	size_t stride = (size_t)sysconf(_SC_PAGESIZE) / sizeof(uint64_t);	/* a page per slot */
	int shmid, status = 1;

	sum_parse_args(argc, argv, "shm_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "shm_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}

	/* A new segment of P slot pages; the kernel fills it with zeros. */
	shmid = shmget(IPC_PRIVATE, args.p * stride * sizeof(uint64_t), IPC_CREAT | 0600);
	if (shmid < 0) {
		fprintf(stderr, "error: cannot create shared memory: %s\n", strerror(errno));
		return 1;
	}
	/* NULL, 0: let the kernel choose the address; read-write. */
	slots = shmat(shmid, NULL, 0);
	if (slots == (void *)-1) {
		fprintf(stderr, "error: cannot attach shared memory: %s\n", strerror(errno));
		shmctl(shmid, IPC_RMID, NULL);
		return 1;
	}
	/* Mark for removal now: from here on it lives only while attached. */
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		fprintf(stderr, "error: cannot remove shared memory: %s\n", strerror(errno));
		shmdt(slots);
		return 1;
	}

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			slots[i * stride] = sum_worker_partial(&args, i);  /* a plain store */
			_exit(0);
		}
		demo_workers_add(&workers, pid);
	}

	if (demo_workers_wait(&workers))
		goto out;
	for (unsigned int i = 0; i < args.p; i++)
		total += slots[i * stride];
	status = sum_report("shm_sum", &args, total);
out:
	demo_workers_kill(&workers);
	shmdt(slots);
	demo_workers_release(&workers);
	demo_exit(status);
}
