/*
 * signal_sum - the forked parallel sum delivered by real-time signals.
 *
 *   demos/signal_sum [-n N] [-p P]      (defaults: N=10000, P=10)
 *
 * A signal can carry data: sigqueue() attaches a value (union sigval) to a
 * real-time signal, and the receiver finds it in siginfo_t.si_value, with
 * the sender's pid in si_pid.  Unlike standard signals, real-time signals
 * queue: ten sent means ten received.
 *
 * The parent blocks the signals it wants (so they stay pending instead of
 * running a handler), forks P workers, and collects with sigtimedwait() -
 * sigwaitinfo() with a timeout - which takes one pending signal from the
 * set and returns its siginfo.
 * Worker i sends its partial sum to the parent:
 *   - if it fits in an int: one SIGRTMIN with the value in sival_int;
 *   - otherwise, split in two 32-bit halves: SIGRTMIN+1 with the low half,
 *     SIGRTMIN+2 with the high half; the parent rejoins the halves of the
 *     same si_pid (in any order: pending RT signals are delivered lowest
 *     number first, not in sending order).
 * SIGINT and SIGTERM are in the same set, so the same loop notices a
 * request to stop; and it waits with sigtimedwait (100 ms), so it also
 * checks on the workers regularly (waitpid WNOHANG) and notices a dead one.
 *
 * Limits: pending signals count against RLIMIT_SIGPENDING (ulimit -i); a
 * worker may have 2 pending, so P must be at most (limit - 64) / 2, or it is
 * a usage error (exit 2).  Signals leave nothing behind to clean up.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define SIG_WHOLE (SIGRTMIN)		/* the whole partial sum */
#define SIG_LOW   (SIGRTMIN + 1)	/* its low 32 bits */
#define SIG_HIGH  (SIGRTMIN + 2)	/* its high 32 bits */

/* What the parent has received from one worker. */
struct partial {
	pid_t pid;
	uint32_t low, high;
	int have_low, have_high, done;
};

/* P's limit from RLIMIT_SIGPENDING (2 signals per worker, 64 spare). */
static unsigned int max_workers(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_SIGPENDING, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return DEMO_MAX_WORKERS;
	if (rl.rlim_cur <= 64 + 2)
		return 0;	/* every P is then rejected */
	if ((rl.rlim_cur - 64) / 2 < DEMO_MAX_WORKERS)
		return (unsigned int)((rl.rlim_cur - 64) / 2);
	return DEMO_MAX_WORKERS;
}

/* Sends value to pid as signal sig; 0, or 1 after an error message. */
static int send_value(pid_t pid, int sig, int value)
{
	union sigval sv = { .sival_int = value };

	if (sigqueue(pid, sig, sv) < 0) {
		fprintf(stderr, "error: sigqueue to %d failed: %s\n", (int)pid,
			strerror(errno));
		return 1;
	}
	return 0;
}

/* Worker index: sum the slice and signal it to the parent. */
static int worker(const struct sum_args *args, unsigned int index, pid_t parent)
{
	uint64_t partial = sum_worker_partial(args, index);

	if (partial <= INT_MAX)
		return send_value(parent, SIG_WHOLE, (int)partial);
	/* Too big for an int: the bits of each half, as an int. */
	return send_value(parent, SIG_LOW, (int)(uint32_t)partial) ||
	       send_value(parent, SIG_HIGH, (int)(uint32_t)(partial >> 32));
}

/* The entry of parts[] for pid, or NULL (a signal from a stranger). */
static struct partial *find(struct partial *parts, unsigned int p, pid_t pid)
{
	for (unsigned int i = 0; i < p; i++)
		if (parts[i].pid == pid)
			return &parts[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	struct partial *parts;
	sigset_t wanted;
	pid_t parent = getpid();
	uint64_t total = 0;
	unsigned int done = 0;
	int status = 1;

	sum_parse_args(argc, argv, "signal_sum", NULL, max_workers(), &args);
	parts = calloc(args.p, sizeof(*parts));
	if (!parts || demo_signals_init() ||
	    demo_workers_init(&workers, "signal_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}

	/*
	 * Block the data signals before forking: a signal that arrived
	 * before we wait would otherwise run its default action (terminate).
	 * SIGINT and SIGTERM are already blocked by demo_signals_init(); the
	 * workers unblock everything.
	 */
	sigemptyset(&wanted);
	sigaddset(&wanted, SIG_WHOLE);
	sigaddset(&wanted, SIG_LOW);
	sigaddset(&wanted, SIG_HIGH);
	sigprocmask(SIG_BLOCK, &wanted, NULL);
	sigaddset(&wanted, SIGINT);
	sigaddset(&wanted, SIGTERM);

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			_exit(worker(&args, i, parent));
		}
		parts[i].pid = pid;
		demo_workers_add(&workers, pid);
	}

	while (done < args.p) {
		siginfo_t info;
		struct partial *part;
		struct timespec tick = { 0, 100 * 1000 * 1000 };
		int sig, all_gone = workers.running == 0;

		/* Take one signal of the set, waiting at most a tick. */
		sig = sigtimedwait(&wanted, &info, &tick);
		if (sig < 0 && errno == EAGAIN) {
			/* A quiet tick.  If all workers had exited before it,
			 * all they sent was pending already: something is lost. */
			if (all_gone) {
				fprintf(stderr, "signal_sum: every worker has exited but a partial sum is missing\n");
				goto out;
			}
			if (demo_workers_reap(&workers))	/* a worker failed? */
				goto out;
			continue;
		}
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "error: sigtimedwait failed: %s\n", strerror(errno));
			goto out;
		}
		if (sig == SIGINT || sig == SIGTERM) {
			demo_stop_signal = sig;
			goto out;
		}
		part = find(parts, args.p, info.si_pid);
		if (!part || part->done)
			continue;	/* not from one of our workers: ignore */
		if (sig == SIG_WHOLE) {
			total += (uint32_t)info.si_value.sival_int;
			part->done = 1;
		} else {
			if (sig == SIG_LOW) {
				part->low = (uint32_t)info.si_value.sival_int;
				part->have_low = 1;
			} else {
				part->high = (uint32_t)info.si_value.sival_int;
				part->have_high = 1;
			}
			if (!part->have_low || !part->have_high)
				continue;
			total += (uint64_t)part->high << 32 | part->low;
			part->done = 1;
		}
		done++;
	}

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("signal_sum", &args, total);
out:
	demo_workers_kill(&workers);
	demo_workers_release(&workers);
	free(parts);
	demo_exit(status);
}
