/*
 * posix_mq_sum - the forked parallel sum over a POSIX message queue.
 *
 *   demos/posix_mq_sum [-n N] [-p P]    (defaults: N=10000, P=10)
 *
 * POSIX message queues (mq_open, mq_send, mq_receive) are the newer cousin
 * of System V's: a queue has a name like "/ipctrace-mq-<pid>" (the pid makes
 * it private to this run; O_EXCL makes sure it is new) and is used through
 * a descriptor.  The parent opens it twice - once for reading, once for
 * writing - and unlinks the name at once: like an unlinked file, the queue
 * lives on while descriptors are open.  The workers inherit the write
 * descriptor over fork() and each sends one 8-byte message; the parent
 * closes its own write descriptor and receives P messages as they come.
 *
 * The queue holds mq_maxmsg messages (here min(P, fs.mqueue.msg_max = 10 by
 * default)); a worker finding it full simply blocks in mq_send until the
 * parent has received one.  On Linux a queue descriptor is a file
 * descriptor, so the parent can wait for it with ppoll().
 *
 * Cleanup: the name is gone before any worker exists; the queue itself
 * vanishes when the last descriptor closes, on every path.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The system's cap on mq_maxmsg for us, fs.mqueue.msg_max, or 10. */
static long queue_capacity(void)
{
	long max = 10;
	FILE *f = fopen("/proc/sys/fs/mqueue/msg_max", "r");

	if (f) {
		if (fscanf(f, "%ld", &max) != 1 || max < 1)
			max = 10;
		fclose(f);
	}
	return max;
}

/* Worker index: sum the slice and send it as one message. */
static int worker(const struct sum_args *args, unsigned int index, mqd_t wq)
{
	uint64_t partial = sum_worker_partial(args, index);

	/* Priority 0: all messages equal, received oldest first. */
	while (mq_send(wq, (const char *)&partial, sizeof(partial), 0) < 0) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "error: worker %u: mq_send failed: %s\n", index,
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	struct mq_attr attr;
	char name[64];
	mqd_t rq, wq;
	uint64_t total = 0;
	long capacity = queue_capacity();
	int status = 1;

	sum_parse_args(argc, argv, "posix_mq_sum", NULL, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "posix_mq_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}

	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = (long)args.p < capacity ? (long)args.p : capacity;
	attr.mq_msgsize = sizeof(uint64_t);	/* every message is 8 bytes */
	snprintf(name, sizeof(name), "/ipctrace-mq-%d", (int)getpid());
	rq = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (rq == (mqd_t)-1) {
		fprintf(stderr, "error: cannot create message queue '%s': %s\n", name,
			strerror(errno));
		return 1;
	}
	wq = mq_open(name, O_WRONLY);
	mq_unlink(name);	/* both ends are open: the name can go now */
	if (wq == (mqd_t)-1) {
		fprintf(stderr, "error: cannot open message queue '%s': %s\n", name,
			strerror(errno));
		mq_close(rq);
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
			mq_close(rq);		/* a worker only sends */
			_exit(worker(&args, i, wq));
		}
		demo_workers_add(&workers, pid);
	}
	mq_close(wq);
	wq = (mqd_t)-1;

	for (unsigned int got = 0; got < args.p; got++) {
		uint64_t partial;
		ssize_t n;

		if (demo_wait_readable(&workers, (int)rq))
			goto out;
		/* The buffer must hold mq_msgsize bytes; n is the message's size. */
		n = mq_receive(rq, (char *)&partial, sizeof(partial), NULL);
		if (n != (ssize_t)sizeof(partial)) {
			fprintf(stderr, "error: mq_receive failed: %s\n",
				n < 0 ? strerror(errno) : "short message");
			goto out;
		}
		total += partial;
	}

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("posix_mq_sum", &args, total);
out:
	demo_workers_kill(&workers);
	if (wq != (mqd_t)-1)
		mq_close(wq);
	mq_close(rq);
	demo_workers_release(&workers);
	demo_exit(status);
}
