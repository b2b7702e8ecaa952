/*
 * demo_common.c - helpers shared by the IPC demos; see demo_common.h.
 *
 * Three parts: the "-n N -p P" command line and the arithmetic of the
 * parallel sum; signal handling and child bookkeeping for the parent; small
 * I/O helpers.  The demos are commands, so these helpers may print to stderr
 * (always "error: ..." or "prog: ..." one-liners).
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- command line and arithmetic ---- */

void sum_usage(FILE *stream, const char *prog, const char *const *modes)
{
	fprintf(stream, "usage: %s [-n N] [-p P]", prog);
	for (int i = 0; modes && modes[i]; i++)
		fprintf(stream, " [--%s]", modes[i]);
	fputc('\n', stream);
}

int demo_parse_u64(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long value;

	/* strtoull would accept " 12", "+12" and even "-12" (negated). */
	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*out = value;
	return 0;
}

/* Prints "error: <fmt...>" and the usage line on stderr, then exits 2. */
static void __attribute__((noreturn, format(printf, 3, 4)))
usage_error(const char *prog, const char *const *modes, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	sum_usage(stderr, prog, modes);
	exit(2);
}

/* The value of option opt: "-n5" or "-n 5"; advances *i past it. */
static const char *option_value(int argc, char **argv, int *i)
{
	if (argv[*i][2] != '\0')
		return argv[*i] + 2;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

void sum_parse_args(int argc, char **argv, const char *prog,
		    const char *const *modes, unsigned int max_p,
		    struct sum_args *args)
{
	uint64_t value;

	args->n = 10000;
	args->p = 10;
	args->mode = NULL;
	if (max_p > DEMO_MAX_WORKERS)
		max_p = DEMO_MAX_WORKERS;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *text;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			sum_usage(stdout, prog, modes);
			exit(0);
		}
		if (arg[0] == '-' && (arg[1] == 'n' || arg[1] == 'p')) {
			char opt = arg[1];

			text = option_value(argc, argv, &i);
			if (!text)
				usage_error(prog, modes, "option -%c needs a value",
					    opt);
			if (opt == 'n') {
				if (demo_parse_u64(text, &value) || value > SUM_MAX_N)
					usage_error(prog, modes,
						    "bad N '%s': want a whole number from 0 to %llu",
						    text, (unsigned long long)SUM_MAX_N);
				args->n = value;
			} else {
				if (demo_parse_u64(text, &value) || value < 1 ||
				    value > max_p)
					usage_error(prog, modes,
						    "bad P '%s': want a whole number from 1 to %u",
						    text, max_p);
				args->p = (unsigned int)value;
			}
			continue;
		}
		if (arg[0] == '-' && arg[1] == '-' && modes && !args->mode) {
			for (int m = 0; modes[m]; m++)
				if (!strcmp(arg + 2, modes[m]))
					args->mode = modes[m];
			if (args->mode)
				continue;
		}
		usage_error(prog, modes, "unexpected argument '%s'", arg);
	}
}

void sum_slice(uint64_t n, unsigned int p, unsigned int index,
	       uint64_t *first, uint64_t *last)
{
	/* The first n % p workers take one number more than the others. */
	uint64_t base = n / p, extra = n % p;
	uint64_t before = index * base + (index < extra ? index : extra);

	*first = before + 1;
	*last = before + base + (index < extra ? 1 : 0);
}

uint64_t sum_range(uint64_t first, uint64_t last)
{
	uint64_t sum = 0;

	for (uint64_t i = first; i <= last; i++) {
		/*
		 * An empty asm that claims to change i: the compiler can no
		 * longer see the arithmetic series and replace the loop by
		 * (first+last)*count/2 (clang -O2 would), nor vectorize it.
		 * It emits no instruction; the workers really add.
		 */
		__asm__ volatile("" : "+r"(i));
		sum += i;
	}
	return sum;
}

int sum_expected(uint64_t n, uint64_t *out)
{
	/* Halve the even factor first, so only the product can overflow. */
	uint64_t a = n % 2 == 0 ? n / 2 : n, b = n % 2 == 0 ? n + 1 : (n + 1) / 2;

	if (n == UINT64_MAX || __builtin_mul_overflow(a, b, out))
		return -ERANGE;
	return 0;
}

uint64_t sum_worker_partial(const struct sum_args *args, unsigned int index)
{
	const char *only = getenv("DEMO_WORKER_DELAY_ONLY");
	uint64_t first, last, chosen;

	/* Test hook: DEMO_WORKER_DELAY_ONLY=i delays worker i alone. */
	if (!only || (demo_parse_u64(only, &chosen) == 0 && chosen == index))
		demo_worker_delay();
	sum_slice(args->n, args->p, index, &first, &last);
	return sum_range(first, last);
}

int sum_report(const char *prog, const struct sum_args *args, uint64_t total)
{
	uint64_t expected = 0;
	int ok = sum_expected(args->n, &expected) == 0 && total == expected;

	printf("%s: %s%s%sN=%llu P=%u sum=%llu expected=%llu %s\n", prog,
	       args->mode ? "mode=" : "", args->mode ? args->mode : "",
	       args->mode ? " " : "", (unsigned long long)args->n, args->p,
	       (unsigned long long)total, (unsigned long long)expected,
	       ok ? "ok" : "wrong");
	if (fflush(stdout) || ferror(stdout))
		return 1;
	return ok ? 0 : 1;
}

/* ---- signals ---- */

volatile sig_atomic_t demo_stop_signal;
static sigset_t original_mask;
/* The workers the stop handler kills (see demo_workers_init). */
static struct demo_workers *volatile stoppable;

/* SIGINT/SIGTERM: note it, and SIGKILL the workers so that whatever the
 * parent is waiting for ends soon.  Only async-signal-safe work here. */
static void on_stop_signal(int sig)
{
	struct demo_workers *w = stoppable;

	demo_stop_signal = sig;
	for (unsigned int i = 0; w && i < w->count; i++)
		if (w->pids[i] > 0)	/* never kill(0): that is our group */
			kill(w->pids[i], SIGKILL);
}

int demo_signals_init(void)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);	/* nothing interrupts the handler */
	sa.sa_flags = 0;		/* no SA_RESTART: a signal ends a wait */
	sa.sa_handler = on_stop_signal;
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &original_mask))
		return -errno;
	/* Workers get the original mask back, with the two unblocked. */
	sigdelset(&original_mask, SIGINT);
	sigdelset(&original_mask, SIGTERM);
	return 0;
}

const sigset_t *demo_wait_mask(void)
{
	static sigset_t mask;

	/* The current mask (a demo may have blocked more, e.g. RT signals). */
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigdelset(&mask, SIGINT);
	sigdelset(&mask, SIGTERM);
	return &mask;
}

void demo_worker_begin(void)
{
	stoppable = NULL;	/* the parent's list, not ours */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &original_mask, NULL);
}

void demo_worker_delay(void)
{
	const char *text = getenv("DEMO_WORKER_DELAY_MS");
	uint64_t ms;
	struct timespec ts;

	if (!text || demo_parse_u64(text, &ms) || ms == 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- children ---- */

int demo_workers_init(struct demo_workers *w, const char *prog,
		      unsigned int max)
{
	memset(w, 0, sizeof(*w));
	w->prog = prog;
	w->pids = calloc(max ? max : 1, sizeof(*w->pids));
	if (!w->pids)
		return -ENOMEM;
	stoppable = w;
	return 0;
}

void demo_workers_add(struct demo_workers *w, pid_t pid)
{
	w->pids[w->count] = pid;	/* first the pid, then the count: */
	w->count++;			/* the stop handler reads both */
	w->running++;
}

/* Records the exit of pid with wait status; reports a failure. */
static void note_exit(struct demo_workers *w, pid_t pid, int status)
{
	for (unsigned int i = 0; i < w->count; i++) {
		if (w->pids[i] != pid)
			continue;
		w->pids[i] = 0;
		w->running--;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return;
		w->failed = 1;
		if (demo_stop_signal)
			return;		/* killed by our stop handler */
		if (WIFSIGNALED(status))
			fprintf(stderr, "%s: worker %u (pid %d) killed by signal %d\n",
				w->prog, i, (int)pid, WTERMSIG(status));
		else
			fprintf(stderr, "%s: worker %u (pid %d) exited with status %d\n",
				w->prog, i, (int)pid, WEXITSTATUS(status));
		return;
	}
}

int demo_workers_reap(struct demo_workers *w)
{
	int status;
	pid_t pid;

	while (w->running > 0 && (pid = waitpid(-1, &status, WNOHANG)) > 0)
		note_exit(w, pid, status);
	return w->failed || demo_stop_signal ? -1 : 0;
}

void demo_workers_kill(struct demo_workers *w)
{
	int status;

	demo_workers_reap(w);	/* report those that died on their own */
	for (unsigned int i = 0; i < w->count; i++)
		if (w->pids[i] > 0)
			kill(w->pids[i], SIGKILL);
	while (w->running > 0) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;		/* ECHILD: nothing left to wait for */
		}
		/* Killed on purpose: not reported as a failure of its own. */
		for (unsigned int i = 0; i < w->count; i++)
			if (w->pids[i] == pid) {
				w->pids[i] = 0;
				w->running--;
			}
	}
}

int demo_workers_wait(struct demo_workers *w)
{
	sigset_t saved;
	siginfo_t info;

	while (demo_workers_reap(w) == 0 && w->running > 0) {
		/*
		 * Sleep until a worker exits, with SIGINT/SIGTERM let in.  A
		 * signal arriving just before the call is no problem: its
		 * handler has killed the workers, so the wait ends at once.
		 * WNOWAIT leaves the worker unreaped (its pid cannot be
		 * reused while the handler might still kill it);
		 * demo_workers_reap collects it, signals blocked again.
		 */
		sigprocmask(SIG_SETMASK, demo_wait_mask(), &saved);
		waitid(P_ALL, 0, &info, WEXITED | WNOWAIT);
		sigprocmask(SIG_SETMASK, &saved, NULL);
	}
	if (w->failed || demo_stop_signal) {
		demo_workers_kill(w);
		return -1;
	}
	return 0;
}

void demo_workers_release(struct demo_workers *w)
{
	if (stoppable == w)
		stoppable = NULL;
	free(w->pids);
	w->pids = NULL;
}

int demo_wait_readable(struct demo_workers *w, int fd)
{
	/* How often to check on the workers while no data comes. */
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		int all_gone = w->running == 0;
		/* ppoll unblocks SIGINT/SIGTERM only while it sleeps. */
		int n = ppoll(&pfd, 1, &tick, demo_wait_mask());

		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "error: ppoll failed: %s\n", strerror(errno));
			return -1;
		}
		/*
		 * A quiet tick.  If every worker had exited before it, all
		 * they sent was queued already: it will never come.
		 */
		if (n == 0 && all_gone) {
			fprintf(stderr, "%s: every worker has exited but a partial sum is missing\n",
				w->prog);
			return -1;
		}
		if (demo_workers_reap(w))	/* a failed worker, or a stop */
			return -1;
	}
}

/* ---- I/O and exit ---- */

int demo_read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int demo_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void demo_exit(int status)
{
	int sig = demo_stop_signal;
	sigset_t pending;

	/* A SIGINT/SIGTERM still blocked and pending counts too: it may
	 * have come while we were not waiting (e.g. with Ctrl-C, while
	 * reaping workers the same Ctrl-C had killed). */
	if (!sig && sigpending(&pending) == 0)
		sig = sigismember(&pending, SIGINT) ? SIGINT :
		      sigismember(&pending, SIGTERM) ? SIGTERM : 0;
	fflush(stdout);
	if (sig) {
		sigset_t set;

		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
	}
	exit(status);
}

const char *demo_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && dir[0] ? dir : "/tmp";
}

int demo_make_tempdir(char *buf, size_t size, const char *prog)
{
	int len = snprintf(buf, size, "%s/%s.XXXXXX", demo_tmpdir(), prog);

	if (len < 0 || (size_t)len >= size)
		return -ENAMETOOLONG;
	/* mkdtemp replaces XXXXXX by a unique name and creates it 0700. */
	return mkdtemp(buf) ? 0 : -errno;
}

/* In a sanitizer build (make SANITIZE=address), LeakSanitizer checks for
 * leaks at exit from a helper process it clones, which a tracer records
 * as one more process.  The demos are workloads whose process counts the
 * tests check exactly, so they opt out of the leak check (the tool and
 * the unit tests keep it). */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}
