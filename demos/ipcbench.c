/*
 * ipcbench - latency and throughput of every classic Linux IPC method.
 *
 * For each method, message size and CPU placement, the program sets up one
 * channel (two directions: parent->child and child->parent), forks, pins
 * both processes, and measures:
 *
 *   latency     ping-pong: the parent sends a message, the child reads it
 *               and sends one of the same size back.  Every round trip is
 *               timed on its own; the median and p99 are taken over all the
 *               round trips of all runs (the warm-up ones are dropped).
 *   throughput  the parent sends a run of messages one way, the child reads
 *               them all and answers with a 1-byte acknowledgement; MB/s and
 *               messages/s are the median over the runs.
 *
 * Placement "same" pins both processes to the first allowed CPU, "cross"
 * to the first two.  A wake-up across CPUs costs far more than on one CPU
 * (where the sender simply hands the CPU to the woken receiver), so both
 * are reported.  The methods themselves live in demos/ipcbench_methods/methods.c.
 *
 *   demos/ipcbench --quick                  every method, a few sizes, ~10 s
 *   demos/ipcbench --method pipe,tcp --size 100,64K --json
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demos/ipcbench_methods/ipcbench.h"

#define MAX_SIZES    16
#define CELL_TIMEOUT 120        /* seconds before a stuck cell is abandoned */

static volatile pid_t g_child = -1;      /* the forked peer, if any */

/* SIGCHLD/SIGALRM: wake the parent out of a blocking wait (no SA_RESTART). */
static void on_stop(int sig)
{
	ipc_stop = 1;
}

/* SIGINT/SIGTERM: kill the peer, remove what has a name, leave. */
static void on_fatal(int sig)
{
	if (g_child > 0) {
		kill(g_child, SIGKILL);
		waitpid(g_child, NULL, 0);   /* leave no zombie behind */
	}
	ipc_emergency_cleanup();
	_exit(128 + sig);
}

/* ---- one measurement cell: a method, a size, a placement ---- */

struct options {
	unsigned long count;        /* round trips per latency run */
	unsigned long runs;
	unsigned long warmup;       /* round trips dropped before measuring */
	size_t budget;              /* bytes one run may move, caps big sizes */
	int json;
};

struct plan {                   /* what both processes will do, agreed at fork */
	size_t size;
	unsigned long lat_count, lat_warmup, runs;
	unsigned long tput_count, tput_warmup, window;
};

struct result {
	int state;                  /* 0 measured, 1 n/a, 2 error */
	char note[96];              /* why n/a, or the error */
	double lat_median, lat_p99, lat_min;    /* microseconds */
	unsigned long lat_samples;
	double mb_per_s, msgs_per_s;            /* one way, median over runs */
	int cpu[2];
};

static const char *placements[2] = { "same", "cross" };

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int pin_to(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -errno : 0;
}

/* Messages a throughput run sends before the receiver grants more credit:
 * enough to keep the pipe full, few enough that UDP's receive buffer never
 * overflows (a full one drops datagrams). */
static unsigned long credit_window(size_t size)
{
	unsigned long w = (256 * KiB) / (size + 512);
	return w < 1 ? 1 : w > 64 ? 64 : w;
}

/* The child's half of the plan: echo the ping-pongs, then swallow the
 * throughput runs and acknowledge each with 1 byte.  Returns 0 or -errno. */
static int child_run(const struct method *m, struct channel *ch, const struct plan *p, char *buf)
{
	unsigned long total = p->lat_warmup + p->runs * p->lat_count;
	int err = 0;

	for (unsigned long i = 0; i < total && !err; i++) {
		err = m->recv(ch, 0, buf, p->size);
		if (!err)
			err = m->send(ch, 1, buf, p->size);
	}
	for (unsigned long r = 0; r <= p->runs && !err; r++) {
		unsigned long n = r == 0 ? p->tput_warmup : p->tput_count;
		for (unsigned long i = 1; i <= n && !err; i++) {
			err = m->recv(ch, 0, buf, p->size);
			if (!err && (i % p->window == 0 || i == n))
				err = m->send(ch, 1, buf, 1);
		}
	}
	return err;
}

/* One timed throughput run from the parent: n messages, a credit every
 * window messages and at the end.  Returns the elapsed ns or -errno. */
static int64_t parent_stream(const struct method *m, struct channel *ch,
			     const struct plan *p, unsigned long n, char *buf)
{
	uint64_t t0 = now_ns();
	int err = 0;

	for (unsigned long i = 1; i <= n && !err; i++) {
		err = m->send(ch, 0, buf, p->size);
		if (!err && (i % p->window == 0 || i == n))
			err = m->recv(ch, 1, buf + p->size, 1);
	}
	return err ? err : (int64_t)(now_ns() - t0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The parent's half: time every round trip, then every throughput run. */
static int parent_run(const struct method *m, struct channel *ch, const struct plan *p,
		      char *buf, struct result *res)
{
	unsigned long nsamp = p->runs * p->lat_count, k = 0;
	uint64_t *lat = malloc(nsamp * sizeof(*lat));
	double *mbs = malloc((p->runs + 1) * sizeof(*mbs));
	int err = 0;

	if (!lat || !mbs) {
		free(lat);
		free(mbs);
		return -ENOMEM;
	}
	for (unsigned long i = 0; i < p->lat_warmup + nsamp && !err; i++) {
		uint64_t t0 = now_ns();
		err = m->send(ch, 0, buf, p->size);
		if (!err)
			err = m->recv(ch, 1, buf, p->size);
		if (i >= p->lat_warmup)
			lat[k++] = now_ns() - t0;
	}
	for (unsigned long r = 0; r <= p->runs && !err; r++) {
		unsigned long n = r == 0 ? p->tput_warmup : p->tput_count;
		int64_t ns = parent_stream(m, ch, p, n, buf);
		if (ns < 0)
			err = (int)ns;
		else if (r > 0)
			mbs[r - 1] = (double)n * 1e9 / (double)(ns ? ns : 1);  /* msgs/s */
	}
	if (!err) {
		qsort(lat, nsamp, sizeof(*lat), cmp_u64);
		res->lat_samples = nsamp;
		res->lat_min = lat[0] / 1e3;
		res->lat_median = lat[nsamp / 2] / 1e3;
		res->lat_p99 = lat[(nsamp * 99 + 99) / 100 - 1] / 1e3;  /* nearest rank */
		qsort(mbs, p->runs, sizeof(*mbs), cmp_double);
		res->msgs_per_s = mbs[p->runs / 2];
		res->mb_per_s = res->msgs_per_s * p->size / 1e6;
	}
	free(lat);
	free(mbs);
	return err;
}

static unsigned long capped(unsigned long n, size_t budget, size_t size, unsigned long floor)
{
	unsigned long cap = budget / size;
	if (cap < floor)
		cap = floor;
	return n < cap ? n : cap;
}

/* Measure one cell.  cpus[] are the CPUs to pin the parent and child to. */
static void run_cell(const struct method *m, size_t size, const int cpus[2],
		     const struct options *o, struct result *res)
{
	struct plan p = { .size = size, .runs = o->runs };
	struct channel ch;
	cpu_set_t saved;
	char *buf;
	pid_t pid;
	int err, status, done[2];

	p.lat_count = capped(o->count, o->budget, size, 10);
	p.lat_warmup = capped(o->warmup, o->budget, size, 2);
	p.tput_count = capped(10 * o->count, o->budget, size, 16);
	p.tput_warmup = capped(o->warmup, o->budget, size, 2);
	p.window = m->credits ? credit_window(size) : ULONG_MAX;

	res->cpu[0] = cpus[0];
	res->cpu[1] = cpus[1];
	buf = malloc(size + 1);
	if (!buf) {
		res->state = 2;
		snprintf(res->note, sizeof(res->note), "out of memory");
		return;
	}
	memset(buf, 'x', size + 1);
	channel_init(&ch, size);
	err = m->setup(&ch);
	if (err)
		goto fail;

	/* The child waits on "done" before it exits, so its SIGCHLD can only
	 * mean it died early: the parent may treat that as a stop. */
	if (pipe(done) < 0) {
		err = -errno;
		goto fail;
	}
	ipc_stop = 0;
	sched_getaffinity(0, sizeof(saved), &saved);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(done[0]);
		close(done[1]);
		goto fail;
	}
	if (pid == 0) {
		char c;
		int rc;

		close(done[1]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* never outlive the parent */
		if (getppid() == 1)
			_exit(1);
		ch.peer = getppid();
		pin_to(cpus[1]);
		rc = child_run(m, &ch, &p, buf) ? 1 : 0;
		while (read(done[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(rc);
	}
	close(done[0]);
	g_child = pid;
	ch.peer = pid;
	pin_to(cpus[0]);
	alarm(CELL_TIMEOUT);
	err = parent_run(m, &ch, &p, buf, res);
	alarm(0);
	if (err)
		kill(pid, SIGKILL);
	close(done[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	g_child = -1;
	sched_setaffinity(0, sizeof(saved), &saved);
	if (!err && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		err = -ECHILD;
fail:
	channel_release(m, &ch);
	free(buf);
	if (err) {
		res->state = 2;
		snprintf(res->note, sizeof(res->note), "%s", strerror(-err));
	}
}

/* ---- output ---- */

static const char *size_label(size_t size, char *out, size_t len)
{
	if (size >= MiB && size % MiB == 0)
		snprintf(out, len, "%zu MiB", size / MiB);
	else if (size >= KiB && size % KiB == 0)
		snprintf(out, len, "%zu KiB", size / KiB);
	else
		snprintf(out, len, "%zu B", size);
	return out;
}

enum column { COL_LATENCY, COL_MBS, COL_MSGS };

static void print_cell(const struct result *r, enum column col)
{
	char cell[32];

	if (r->state == 1)
		snprintf(cell, sizeof(cell), "n/a");
	else if (r->state == 2)
		snprintf(cell, sizeof(cell), "error");
	else if (col == COL_LATENCY)
		snprintf(cell, sizeof(cell), "%.1f/%.1f", r->lat_median, r->lat_p99);
	else if (col == COL_MBS)
		snprintf(cell, sizeof(cell), "%.1f", r->mb_per_s);
	else if (r->msgs_per_s >= 1e6)
		snprintf(cell, sizeof(cell), "%.2fM", r->msgs_per_s / 1e6);
	else if (r->msgs_per_s >= 1e4)
		snprintf(cell, sizeof(cell), "%.0fk", r->msgs_per_s / 1e3);
	else
		snprintf(cell, sizeof(cell), "%.0f", r->msgs_per_s);
	printf(" %15s", cell);
}

struct run {                    /* everything main chose, and the results */
	const struct method *meth[32];
	size_t nmeth;
	size_t sizes[MAX_SIZES];
	size_t nsizes;
	int place[2];               /* which placements were asked for */
	int cpus[2];                /* first two allowed CPUs (-1: none) */
	struct options o;
	struct result *res;         /* [method][size][placement] */
};

static struct result *cell(const struct run *run, size_t m, size_t s, int p)
{
	return &run->res[(m * run->nsizes + s) * 2 + p];
}

static void print_tables(const struct run *run)
{
	static const char *titles[] = {
		"latency: round trip in microseconds, median/p99 over every round trip",
		"throughput one way: MB/s (10^6 bytes), median over runs",
		"throughput one way: messages/s, median over runs",
	};
	char label[32];

	printf("ipcbench: %lu round trips x %lu runs after %lu warm-up per cell "
	       "(fewer for big sizes: %zu MiB per run at most)\n",
	       run->o.count, run->o.runs, run->o.warmup, run->o.budget / MiB);
	for (int p = 0; p < 2; p++) {
		if (!run->place[p])
			continue;
		if (p == 0)
			printf("\nplacement same: parent and child both on CPU %d\n", run->cpus[0]);
		else if (run->cpus[1] < 0)
			printf("\nplacement cross: n/a, only one CPU\n");
		else
			printf("\nplacement cross: parent on CPU %d, child on CPU %d\n",
			       run->cpus[0], run->cpus[1]);
		for (int col = 0; col < 3; col++) {
			printf("\n%s\n%-12s", titles[col], "method");
			for (size_t s = 0; s < run->nsizes; s++)
				printf(" %15s", size_label(run->sizes[s], label, sizeof(label)));
			printf("\n");
			for (size_t m = 0; m < run->nmeth; m++) {
				printf("%-12s", run->meth[m]->name);
				for (size_t s = 0; s < run->nsizes; s++)
					print_cell(cell(run, m, s, p), col);
				printf("\n");
			}
		}
	}
	size_t shown = 0;
	for (size_t m = 0; m < run->nmeth; m++) {
		size_t lim = run->meth[m]->limit();
		if (lim != SIZE_MAX)
			printf("%s %s at most %zu B", shown++ ? "," : "\nn/a = the method cannot carry that size:",
			       run->meth[m]->name, lim);
	}
	if (shown)
		printf("\n");
	for (size_t m = 0; m < run->nmeth; m++)
		for (size_t s = 0; s < run->nsizes; s++)
			for (int p = 0; p < 2; p++)
				if (cell(run, m, s, p)->state == 2)
					printf("error: %s, %zu B, %s: %s\n", run->meth[m]->name,
					       run->sizes[s], placements[p], cell(run, m, s, p)->note);
}

static void print_json(const struct run *run)
{
	const char *sep = "";

	printf("{\"format\": \"ipcbench\", \"version\": 1,\n"
	       " \"latency\": \"round trip, microseconds, median and p99 over every round trip\",\n"
	       " \"throughput\": \"one way, median over runs\",\n"
	       " \"config\": {\"count\": %lu, \"runs\": %lu, \"warmup\": %lu, "
	       "\"budget_bytes\": %zu, \"cpus\": [%d, %d]},\n \"results\": [",
	       run->o.count, run->o.runs, run->o.warmup, run->o.budget,
	       run->cpus[0], run->cpus[1]);
	for (size_t m = 0; m < run->nmeth; m++)
		for (size_t s = 0; s < run->nsizes; s++)
			for (int p = 0; p < 2; p++) {
				const struct result *r = cell(run, m, s, p);
				if (!run->place[p])
					continue;
				printf("%s\n  {\"method\": \"%s\", \"size\": %zu, \"placement\": \"%s\", "
				       "\"cpus\": [%d, %d], ", sep, run->meth[m]->name, run->sizes[s],
				       placements[p], r->cpu[0], r->cpu[1]);
				sep = ",";
				if (r->state) {
					printf("\"supported\": %s, \"%s\": \"%s\"}",
					       r->state == 1 ? "false" : "true",
					       r->state == 1 ? "reason" : "error", r->note);
					continue;
				}
				printf("\"supported\": true, \"latency_us\": {\"median\": %.3f, "
				       "\"p99\": %.3f, \"min\": %.3f, \"samples\": %lu}, "
				       "\"throughput\": {\"mb_per_s\": %.3f, \"msgs_per_s\": %.1f}}",
				       r->lat_median, r->lat_p99, r->lat_min, r->lat_samples,
				       r->mb_per_s, r->msgs_per_s);
			}
	printf("\n ]}\n");
}

/* ---- command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: demos/ipcbench [--method M[,M...]] [--size S[,S...]] [--count N]\n"
"                      [--runs R] [--warmup W] [--placement same|cross|both]\n"
"                      [--quick] [--json]\n"
"\n"
"  --method     pipe fifo unix_stream unix_dgram tcp udp sysv_msgq posix_mq\n"
"               shm_sem shm_futex signal file, or all (default)\n"
"  --size       bytes, with an optional K or M suffix (default 1,100,1K,8K,64K,1M)\n"
"  --count      round trips per latency run (default 2000); a throughput run\n"
"               sends 10x as many; both are capped to 64 MiB per run\n"
"  --runs       measured runs per cell (default 5)\n"
"  --warmup     round trips/messages sent before measuring (default 200)\n"
"  --placement  same (both on one CPU), cross (two CPUs) or both (default)\n"
"  --quick      small counts and sizes 1,4K: every method in a few seconds\n"
"  --json       one JSON object instead of tables\n"
"\n"
"examples:\n"
"  demos/ipcbench --quick\n"
"  demos/ipcbench --method pipe,tcp --size 100,64K --placement cross --json\n");
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	if (*end == 'K' || *end == 'k')
		v *= KiB, end++;
	else if (*end == 'M' || *end == 'm')
		v *= MiB, end++;
	if (*end == 'i' || *end == 'B')     /* KiB, KB, MiB */
		end += end[0] == 'i' && end[1] == 'B' ? 2 : 1;
	if (*end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_methods(struct run *run, char *list)
{
	run->nmeth = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		size_t i;
		if (!strcmp(tok, "all")) {
			for (i = 0; i < ipc_nmethods; i++)
				run->meth[run->nmeth++] = &ipc_methods[i];
			continue;
		}
		for (i = 0; i < ipc_nmethods; i++)
			if (!strcmp(tok, ipc_methods[i].name))
				break;
		if (i == ipc_nmethods) {
			fprintf(stderr, "error: unknown method '%s' (see --help)\n", tok);
			return -1;
		}
		if (run->nmeth < sizeof(run->meth) / sizeof(run->meth[0]))
			run->meth[run->nmeth++] = &ipc_methods[i];
	}
	return run->nmeth ? 0 : -1;
}

static int parse_sizes(struct run *run, char *list)
{
	run->nsizes = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long v;
		if (parse_ulong(tok, 16 * MiB, &v) < 0 || run->nsizes == MAX_SIZES) {
			fprintf(stderr, "error: bad size '%s' (1 B to 16 MiB, at most %d sizes)\n",
				tok, MAX_SIZES);
			return -1;
		}
		run->sizes[run->nsizes++] = v;
	}
	return run->nsizes ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "placement", required_argument, NULL, 'p' },
		{ "quick", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct run run = {
		.o = { .count = 2000, .runs = 5, .warmup = 200, .budget = 64 * MiB },
		.sizes = { 1, 100, KiB, 8 * KiB, 64 * KiB, MiB }, .nsizes = 6,
		.place = { 1, 1 },
	};
	char all[] = "all";
	int quick = 0, have_sizes = 0, failed = 0, opt;
	unsigned long count = 0, runs = 0, warmup = ULONG_MAX;
	struct sigaction sa = { 0 };
	cpu_set_t allowed;
	sigset_t rt;

	if (parse_methods(&run, all) < 0)
		return 1;
	while ((opt = getopt_long(argc, argv, "m:s:n:r:w:p:qjh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (parse_methods(&run, optarg) < 0)
				return 2;
			break;
		case 's':
			if (parse_sizes(&run, optarg) < 0)
				return 2;
			have_sizes = 1;
			break;
		case 'n':
		case 'r':
		case 'w':
			if (parse_ulong(optarg, 10000000, opt == 'n' ? &count : opt == 'r' ? &runs : &warmup) < 0 &&
			    !(opt == 'w' && !strcmp(optarg, "0") && (warmup = 0, 1))) {
				fprintf(stderr, "error: bad number '%s' for --%s\n", optarg,
					opt == 'n' ? "count" : opt == 'r' ? "runs" : "warmup");
				return 2;
			}
			break;
		case 'p':
			if (!strcmp(optarg, "same") || !strcmp(optarg, "cross") || !strcmp(optarg, "both")) {
				run.place[0] = strcmp(optarg, "cross") != 0;
				run.place[1] = strcmp(optarg, "same") != 0;
			} else {
				fprintf(stderr, "error: bad placement '%s' (same, cross or both)\n", optarg);
				return 2;
			}
			break;
		case 'q':
			quick = 1;
			break;
		case 'j':
			run.o.json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (quick) {
		run.o = (struct options){ .count = 200, .runs = 3, .warmup = 20,
					  .budget = MiB, .json = run.o.json };
		if (!have_sizes) {
			run.sizes[0] = 1;
			run.sizes[1] = 4 * KiB;
			run.nsizes = 2;
		}
	}
	if (count)
		run.o.count = count;
	if (runs)
		run.o.runs = runs;
	if (warmup != ULONG_MAX)
		run.o.warmup = warmup;

	/* the first two CPUs we may run on */
	run.cpus[0] = run.cpus[1] = -1;
	sched_getaffinity(0, sizeof(allowed), &allowed);
	for (int c = 0, k = 0; c < CPU_SETSIZE && k < 2; c++)
		if (CPU_ISSET(c, &allowed))
			run.cpus[k++] = c;

	/* signal method: its two real-time signals are taken with sigwaitinfo */
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigaddset(&rt, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	sa.sa_handler = on_stop;    /* no SA_RESTART: blocked waits return EINTR */
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_fatal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	run.res = calloc(run.nmeth * run.nsizes * 2, sizeof(*run.res));
	if (!run.res) {
		fprintf(stderr, "error: out of memory\n");
		return 1;
	}
	for (size_t m = 0; m < run.nmeth; m++)
		for (size_t s = 0; s < run.nsizes; s++)
			for (int p = 0; p < 2; p++) {
				struct result *r = cell(&run, m, s, p);
				int cpus[2] = { run.cpus[0], run.cpus[p] };
				size_t lim = run.meth[m]->limit();

				if (!run.place[p])
					continue;
				r->cpu[0] = cpus[0];
				r->cpu[1] = cpus[1];
				if (cpus[1] < 0) {
					r->state = 1;
					snprintf(r->note, sizeof(r->note), "only one CPU");
				} else if (run.sizes[s] > lim) {
					r->state = 1;
					snprintf(r->note, sizeof(r->note), "%s carries at most %zu bytes",
						 run.meth[m]->name, lim);
				} else {
					run_cell(run.meth[m], run.sizes[s], cpus, &run.o, r);
					failed |= r->state == 2;
				}
			}
	if (run.o.json)
		print_json(&run);
	else
		print_tables(&run);
	free(run.res);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "error: cannot write the results: %s\n", strerror(errno));
		return 1;
	}
	return failed;
}
