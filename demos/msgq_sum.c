/*
 * msgq_sum - the forked parallel sum over a System V message queue.
 *
 *   demos/msgq_sum [-n N] [-p P]        (defaults: N=10000, P=10)
 *
 * A message queue is a kernel-kept list of typed messages.  The parent
 * creates a private queue (msgget with IPC_PRIVATE: a new queue that no
 * other program can find by key), forks P workers, and worker i sends one
 * message of type i+1 carrying its 8-byte partial sum (msgsnd).  Messages
 * outlive their senders: the parent first waits for every worker, then
 * fetches the P messages by type (msgrcv with msgtyp = i+1 picks worker i's
 * message out of the queue, whatever the arrival order).
 *
 * Limits: the queue holds at most msg_qbytes bytes (kernel.msgmnb, 16384 by
 * default), and the workers have exited before anyone receives, so P is
 * limited to msgmnb / 8; a larger P is a usage error (exit 2).
 *
 * Cleanup: a message queue is not tied to any process - it stays until
 * removed with msgctl(IPC_RMID) - so the parent removes it on every path,
 * including a failed worker and SIGINT/SIGTERM.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

/* A message: the type (must be > 0) then the payload msgsnd counts. */
struct partial_msg {
	long mtype;		/* worker index + 1 */
	uint64_t partial;
};

/* The system's default queue size, kernel.msgmnb, or 16384 if unknown. */
static unsigned long queue_bytes(void)
{
	unsigned long bytes = 16384;
	FILE *f = fopen("/proc/sys/kernel/msgmnb", "r");

	if (f) {
		if (fscanf(f, "%lu", &bytes) != 1)
			bytes = 16384;
		fclose(f);
	}
	return bytes;
}

/* Worker index: sum the slice and send it as message type index + 1. */
static int worker(const struct sum_args *args, unsigned int index, int qid)
{
	struct partial_msg msg = { .mtype = (long)index + 1 };

	msg.partial = sum_worker_partial(args, index);
	/* The size argument counts the payload only, not mtype.  Flags 0:
	 * block if the queue is full (it cannot be, see the limit on P). */
	if (msgsnd(qid, &msg, sizeof(msg.partial), 0) < 0) {
		fprintf(stderr, "error: worker %u: msgsnd failed: %s\n", index,
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	unsigned long max_p = queue_bytes() / sizeof(uint64_t);
	uint64_t total = 0;
	int qid, status = 1;

	sum_parse_args(argc, argv, "msgq_sum", NULL,
		       max_p < DEMO_MAX_WORKERS ? (unsigned int)max_p : DEMO_MAX_WORKERS,
		       &args);
	if (demo_signals_init() || demo_workers_init(&workers, "msgq_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	/* IPC_PRIVATE: always a new queue; 0600: only our user may use it. */
	qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (qid < 0) {
		fprintf(stderr, "error: cannot create message queue: %s\n", strerror(errno));
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
			_exit(worker(&args, i, qid));
		}
		demo_workers_add(&workers, pid);
	}

	if (demo_workers_wait(&workers))
		goto out;
	for (unsigned int i = 0; i < args.p; i++) {
		struct partial_msg msg;

		/* msgtyp = i + 1: the first message of exactly that type.
		 * IPC_NOWAIT: it must be there already; never block. */
		if (msgrcv(qid, &msg, sizeof(msg.partial), (long)i + 1, IPC_NOWAIT) !=
		    (ssize_t)sizeof(msg.partial)) {
			fprintf(stderr, "error: no message from worker %u: %s\n", i,
				strerror(errno));
			goto out;
		}
		total += msg.partial;
	}
	status = sum_report("msgq_sum", &args, total);
out:
	demo_workers_kill(&workers);
	if (msgctl(qid, IPC_RMID, NULL) < 0) {
		fprintf(stderr, "error: cannot remove message queue: %s\n", strerror(errno));
		status = 1;
	}
	demo_workers_release(&workers);
	demo_exit(status);
}
