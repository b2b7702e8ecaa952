/*
 * demo_common.h - helpers shared by the IPC demos (demos/ and demos/classic/).
 *
 * The parallel-sum demos all have the same shape: parse "-n N -p P", fork P
 * workers, let worker i add up its slice of 1..N, collect the P partial sums
 * over one IPC method, wait for the workers, check the total against
 * N(N+1)/2.  Everything except the IPC itself lives here, so each demo file
 * shows only its method.
 *
 * STABLE API (other demos - webserver, webload, ipcbench - use it too; add
 * to it, do not change it):
 *
 *   sum_parse_args()   -n N -p P [--MODE] parsing; usage error -> exit 2
 *   sum_slice()        the [first, last] range of worker i (may be empty)
 *   sum_range()        first + ... + last, computed by a real loop
 *   sum_expected()     N(N+1)/2, or -ERANGE when it does not fit in 64 bits
 *   sum_report()       prints the result line, returns the exit status
 *   demo_parse_u64()   strict decimal parsing (no sign, no junk, no overflow)
 *   demo_signals_init()    SIGINT/SIGTERM handling for a parent
 *   demo_worker_begin()    first call in a forked child
 *   demo_workers_*()       track, wait for, kill forked children
 *   demo_wait_readable()   wait for an fd, woken early by a failure/signal
 *   demo_exit()            exit, or re-raise the SIGINT/SIGTERM that stopped us
 *   demo_read_full(), demo_write_full(), demo_tmpdir(), demo_make_tempdir()
 *
 * Signals, race-free: demo_signals_init() installs SIGINT/SIGTERM handlers
 * that set a flag and SIGKILL the workers, and BLOCKS the two signals.  The
 * parent lets them in only while it sleeps: in ppoll/sigtimedwait, which
 * unblock atomically, or around a blocking waitpid (a signal just before
 * the call has killed the workers, so waitpid returns at once).  A signal
 * can never slip in between "check the flag" and "sleep forever".
 * Children undo this in demo_worker_begin(), so a worker dies on SIGINT.
 *
 * No SIGCHLD handler (it would add a signal per worker to every trace):
 * children are watched with waitpid, and data waits wake every 100 ms to
 * reap with WNOHANG, so a worker that dies while the others go on (or wait
 * forever for it) ends the run promptly.
 *
 * Test hooks: if the environment variable DEMO_WORKER_DELAY_MS is set, each
 * sum worker sleeps that many milliseconds before adding (in
 * sum_worker_partial), so tests can interrupt or kill a run that is still
 * going; with DEMO_WORKER_DELAY_ONLY=i too, only worker i sleeps, so the
 * others have already delivered when the test strikes.
 */
#ifndef DEMO_COMMON_H
#define DEMO_COMMON_H

#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

/* Upper bound on P for every demo (a fork bomb is not a demo). */
#define DEMO_MAX_WORKERS 4096

/* The largest N whose N(N+1)/2 still fits in a uint64_t. */
#define SUM_MAX_N UINT64_C(6074000999)

struct sum_args {
	uint64_t n;		/* add up 1..n (default 10000) */
	unsigned int p;		/* number of workers (default 10) */
	const char *mode;	/* the --MODE option given, without "--", or NULL */
};

/*
 * Parses "[-n N] [-p P] [--MODE]" into *args.  prog names the program in
 * messages; modes is a NULL-terminated list of accepted --MODE words (or
 * NULL for none); max_p (<= DEMO_MAX_WORKERS) is this method's limit on P.
 * -h prints the usage and exits 0; any bad argument prints an error and the
 * usage on stderr and exits 2.
 */
void sum_parse_args(int argc, char **argv, const char *prog,
		    const char *const *modes, unsigned int max_p,
		    struct sum_args *args);

/* Prints "usage: prog [-n N] [-p P] [--mode...]" to stream. */
void sum_usage(FILE *stream, const char *prog, const char *const *modes);

/* Parses a plain decimal number into *out; 0 or -EINVAL / -ERANGE. */
int demo_parse_u64(const char *text, uint64_t *out);

/*
 * The slice of 1..n that worker index (0..p-1) adds up: *first..*last.  The
 * slices partition 1..n; an empty slice has *first == *last + 1.
 */
void sum_slice(uint64_t n, unsigned int p, unsigned int index,
	       uint64_t *first, uint64_t *last);

/* first + (first+1) + ... + last, by a loop the compiler may not fold. */
uint64_t sum_range(uint64_t first, uint64_t last);

/* Stores n(n+1)/2 in *out; 0, or -ERANGE if it does not fit in 64 bits. */
int sum_expected(uint64_t n, uint64_t *out);

/* The worker's whole job: the test delay (see above), then sum_range of
 * its slice. */
uint64_t sum_worker_partial(const struct sum_args *args, unsigned int index);

/*
 * Prints "prog: [mode=M ]N=.. P=.. sum=.. expected=.. ok|wrong" on stdout
 * and returns 0 if total is right, 1 otherwise.
 */
int sum_report(const char *prog, const struct sum_args *args, uint64_t total);

/* ---- signals and children (for the parent) ---- */

/* Set to SIGINT or SIGTERM by the handler when one arrives; 0 otherwise. */
extern volatile sig_atomic_t demo_stop_signal;

/*
 * Installs the SIGINT/SIGTERM handler (sets demo_stop_signal, SIGKILLs the
 * workers of the last demo_workers_init) and blocks the two signals; see
 * the header comment.  Returns 0 or -errno.
 */
int demo_signals_init(void);

/* The mask to wait with: the current one with SIGINT/SIGTERM unblocked. */
const sigset_t *demo_wait_mask(void);

/*
 * First call in a freshly forked worker: restores default SIGINT/SIGTERM
 * handling and the original signal mask.
 */
void demo_worker_begin(void);

/* Sleeps DEMO_WORKER_DELAY_MS milliseconds if that variable is set. */
void demo_worker_delay(void);

struct demo_workers {
	const char *prog;	/* for messages */
	pid_t *pids;		/* pid of worker i; 0 once reaped */
	unsigned int count;	/* workers forked so far */
	unsigned int running;	/* forked and not yet reaped */
	int failed;		/* a worker exited non-zero or was killed */
};

/* Prepares w for up to max workers, the ones the stop handler kills;
 * 0 or -ENOMEM. */
int demo_workers_init(struct demo_workers *w, const char *prog,
		      unsigned int max);

/* Records that worker number w->count was forked as pid. */
void demo_workers_add(struct demo_workers *w, pid_t pid);

/*
 * Reaps the workers that have exited, without blocking, reporting each
 * failure on stderr.  Returns 0, or -1 if a worker failed or a SIGINT/
 * SIGTERM arrived (the caller should then abort the run).
 */
int demo_workers_reap(struct demo_workers *w);

/*
 * Waits until every worker has exited.  Returns 0 if all exited with
 * status 0.  On a failed worker or SIGINT/SIGTERM it kills the rest, reaps
 * them and returns -1.
 */
int demo_workers_wait(struct demo_workers *w);

/* SIGKILLs the workers still running and reaps them (abort path). */
void demo_workers_kill(struct demo_workers *w);

/* Frees w's memory (the workers must have been reaped). */
void demo_workers_release(struct demo_workers *w);

/*
 * Waits until fd has something to read (events = POLLIN) or, for a
 * listening socket, a connection to accept.  Returns 0 when it has, or -1
 * when the run must be aborted: a worker failed, SIGINT/SIGTERM arrived,
 * every worker has exited and fd is still not readable, or ppoll failed
 * (the last two are reported on stderr).
 */
int demo_wait_readable(struct demo_workers *w, int fd);

/* Reads exactly len bytes (looping on short reads); 0, -EIO at EOF, -errno. */
int demo_read_full(int fd, void *buf, size_t len);

/* Writes exactly len bytes (looping on short writes); 0 or -errno. */
int demo_write_full(int fd, const void *buf, size_t len);

/*
 * Ends the program: if a SIGINT/SIGTERM stopped the run, dies of that
 * signal (so the shell sees it); otherwise exit(status).
 */
void demo_exit(int status) __attribute__((noreturn));

/* The directory for temporary files: $TMPDIR or /tmp. */
const char *demo_tmpdir(void);

/*
 * Creates a fresh private directory "$TMPDIR/prog.XXXXXX" (mode 0700) and
 * stores its path in buf; 0 or -errno.  The caller removes it.
 */
int demo_make_tempdir(char *buf, size_t size, const char *prog);

#endif
