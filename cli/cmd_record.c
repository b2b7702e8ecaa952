/*
 * cmd_record - `trace [record] [options] CMD [ARGS...]`: check the machine,
 * record CMD with tracer/record.c, draw the outputs, print the summary and
 * exit with CMD's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include "cli.h"
#include "outdir.h"
#include "rundir.h"
#include "tracer/record.h"
#include "stat_print.h"

#define DEFAULT_BUFFER_MIB 16
#define DEFAULT_PAYLOAD 32
/* Long options without a short letter. */
enum { OPT_DURATION = 256, OPT_MAX_SIZE, OPT_INTERVAL, OPT_JSON, OPT_HIST, OPT_TOP, OPT_SUMMARY };
#define DEFAULT_STAT_TOP 30


/* Parse "pipe,fifo,unix" (or "all") into a kind mask; 0 on a bad name,
 * with *BAD pointing at it.  As strace's -e, "trace=KINDS" is KINDS and
 * "!KINDS" every kind but those. */
static uint32_t parse_kinds(char *list, const char **bad)
{
	uint32_t mask = 0;
	bool negate = false;

	if (!strncmp(list, "trace=", 6))
		list += 6;
	if (*list == '!') {
		negate = true;
		list++;
	}

	for (char *save = NULL, *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int k;

		if (!strcmp(w, "all")) {
			mask |= RECORD_ALL_KINDS;
			continue;
		}
		for (k = 1; k < IPCT_KIND_MAX; k++)
			if (!strcmp(w, viz_kind_name(k)))
				break;
		if (k == IPCT_KIND_MAX) {
			*bad = w;
			return 0;
		}
		mask |= 1u << k;
	}
	if (negate && mask)
		mask = RECORD_ALL_KINDS & ~mask;
	if (!mask)
		*bad = "";
	return mask;
}

/* Parse a decimal in [MIN, MAX]; false on anything else. */
static bool parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && end != s && !*end && *s != '-' && *out >= min && *out <= max;
}

/* Parse positive SECONDS ("10", "2.5") into nanoseconds, at most a year. */
static bool parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 366 * 86400.0)
		return false;
	*ns = (uint64_t)(v * 1e9);
	return *ns > 0;
}

/* Parse a decimal id from the environment variable NAME. */
static int env_id(const char *name, unsigned long *out)
{
	const char *s = getenv(name);
	char *end;

	if (!s)
		return 0;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *out > 0xfffffffeul)
		return -EINVAL;
	return 1;
}

static int exit_code_of(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return 1;
}

static void print_size(FILE *out, uint64_t bytes)
{
	if (bytes >= 10 * 1024 * 1024)
		fprintf(out, "%.1f MiB", bytes / 1048576.0);
	else if (bytes >= 10 * 1024)
		fprintf(out, "%.1f KiB", bytes / 1024.0);
	else
		fprintf(out, "%llu bytes", (unsigned long long)bytes);
}

/* The live status line on a terminal, redrawn about once a second (as
 * dd status=progress does); cleared before the summary. */
static bool progress_shown;

static void tell_progress(const struct record_progress *p)
{
	static uint64_t last_events, last_ns;
	double dt = (p->elapsed_ns - last_ns) / 1e9;

	fprintf(stderr, "\r\033[Kipctrace: %.0f s, %llu events (%.0f/s), %llu lost, trace ",
		p->elapsed_ns / 1e9, (unsigned long long)p->events,
		dt > 0 ? (p->events - last_events) / dt : 0.0, (unsigned long long)p->lost);
	print_size(stderr, p->file_bytes);
	if (p->unrecorded)
		fprintf(stderr, ", size limit: %llu not recorded", (unsigned long long)p->unrecorded);
	fflush(stderr);
	last_events = p->events;
	last_ns = p->elapsed_ns;
	progress_shown = true;
}

static void clear_progress(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

static void tell_orphans(size_t n)
{
	fprintf(stderr, "ipctrace: the command exited; still following the processes it "
		"left running (Ctrl-C stops)\n");
}

/* What one `trace record` does, filled by parsing, used by the stages. */
struct record_cmd {
	struct record_options opt;
	const char *outdir;
	bool outdir_given;         /* -o: leading links may be followed */
	char defdir[PATH_MAX], trace_path[PATH_MAX];
	unsigned long buffer_mib;
	bool quiet;
	bool counts;            /* -c: per-process and per-channel time, not the report */
	bool force;             /* --force: replace a non-empty -o DIR */
	const char *run_base;      /* without -o: <cmd> of ipctrace-out/<cmd>-<time> */
	int parentfd;              /* then ipctrace-out, else -1 */
	bool made_parent;          /* ipctrace-out was made by this run */
	bool made_outdir;          /* the output directory was made by this run */
	int argc;               /* the command line as given, for the no-root hint */
	char **argv;
	struct out_user owner;     /* who the outputs are for */
	int dirfd;                 /* the output directory */
	int trace_fd;              /* the trace, kept to read it back */
	char trace_tmp[OUTDIR_TMP_LEN]; /* its name until the recording starts */
	int trace_named;           /* 0 when renamed to CLI_TRACE_FILE, else -errno */
	bool written[16];          /* per cli_outputs[] entry: in place */
	bool stat;                 /* `trace stat`: count, do not record */
	bool json, hist;           /* stat: print JSON / histograms */
	unsigned long top;         /* stat: lines in the table (0: all) */
	const char *name;          /* "record" or "stat", for messages */
};

/* Print S for a shell to read back as one word: as it is when it is made
 * of harmless characters, else in single quotes ('\'' for a quote), with
 * bytes a terminal would act on as $'\xNN'. */
static void put_shell_word(FILE *out, const char *s)
{
	const char *p;

	for (p = s; *p && (strchr("@%+=:,./-_", *p) || (*p >= '0' && *p <= '9') ||
			   ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')); p++)
		;
	if (*s && !*p) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (p = s; *p; p++) {
		unsigned char c = *p;

		if (c == '\'')
			fputs("'\\''", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "'$'\\x%02x''", c);
		else
			fputc(c, out);
	}
	fputc('\'', out);
}

/* The options and the command; -1 to go on, else the exit code. */
static int parse_options(struct record_cmd *rc, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "force", no_argument, NULL, 'F' },
		{ "follow-forks", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "hist", no_argument, NULL, OPT_HIST },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	struct record_options *opt = &rc->opt;
	unsigned long num;
	int c;

	rc->argc = argc;
	rc->argv = argv;
	optind = 1;
	opterr = 0;
	/* '+': options end at CMD, whose own options are its business. */
	while ((c = getopt_long(argc, argv, "+:o:b:s:e:p:qvhcfTy", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':	/* strace -c: count, do not record each call */
			rc->stat = true;
			rc->name = "stat";
			break;
		case OPT_SUMMARY:
			rc->counts = true;
			break;
		case 'F':
			rc->force = true;
			break;
		case 'f':	/* strace's habit: children are always followed */
			fprintf(stderr, "ipctrace: note: -f is not needed, every child is always followed\n");
			break;
		case 'T':	/* strace's habits, always on: the time in each call ... */
		case 'y':	/* ... and descriptors named by what they are */
			break;
		case 'o':
			if (!*optarg)
				return cli_usage_error("record", "the output directory name is empty (-o '')");
			rc->outdir = optarg;
			rc->outdir_given = true;
			break;
		case 'b':
			if (!parse_ulong(optarg, 1, 1024, &num) || (num & (num - 1)))
				return cli_usage_error("record",
					"invalid buffer size '%s': a power of two from 1 to 1024 (MiB)", optarg);
			rc->buffer_mib = num;
			break;
		case 's':
			if (!parse_ulong(optarg, 0, IPCT_PAYLOAD_MAX, &num))
				return cli_usage_error("record",
					"invalid payload size '%s': 0 to %d bytes", optarg, IPCT_PAYLOAD_MAX);
			opt->payload_bytes = num;
			break;
		case 'e': {
			const char *bad = NULL;

			opt->kinds = parse_kinds(optarg, &bad);
			if (!opt->kinds)
				return cli_usage_error("record", "unknown kind '%s' (pipe, fifo, file, msgq, "
						       "shm, sem, signal, unix, tcp, udp or all)", bad);
			break;
		}
		case 'p':
			if (!parse_ulong(optarg, 1, 0x3fffffff, &num))
				return cli_usage_error("record", "invalid pid '%s'", optarg);
			opt->attach_pid = num;
			break;
		case 'q':
			rc->quiet = true;
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'h':
			cli_usage(stdout, rc->name);
			return 0;
		case OPT_DURATION:
			if (!parse_seconds(optarg, &opt->duration_ns))
				return cli_usage_error("record", "invalid duration '%s': seconds, more "
						       "than 0 (e.g. 10 or 2.5)", optarg);
			break;
		case OPT_MAX_SIZE:
			if (!parse_ulong(optarg, 1, 1024 * 1024, &num))
				return cli_usage_error("record", "invalid size '%s': 1 to 1048576 (MiB)", optarg);
			opt->max_bytes = (uint64_t)num << 20;
			break;
		case OPT_INTERVAL:
			if (!rc->stat)
				return cli_usage_error(rc->name, "--interval is an option of 'stat'");
			if (!parse_seconds(optarg, &opt->stat_interval_ns))
				return cli_usage_error(rc->name, "invalid interval '%s': seconds, more "
						       "than 0", optarg);
			break;
		case OPT_TOP:
			if (!rc->stat)
				return cli_usage_error(rc->name, "--top is an option of 'stat'");
			if (!parse_ulong(optarg, 0, 1000000, &num))
				return cli_usage_error(rc->name, "invalid count '%s': 0 (all) to 1000000",
						       optarg);
			rc->top = num;
			break;
		case OPT_JSON:
		case OPT_HIST:
			if (!rc->stat)
				return cli_usage_error(rc->name, "%s is an option of 'stat'", argv[optind - 1]);
			*(c == OPT_JSON ? &rc->json : &rc->hist) = true;
			break;
		case ':':
			return cli_usage_error("record", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("record", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (opt->attach_pid && optind < argc)
		return cli_usage_error("record", "give a command or -p PID, not both");
	if (!opt->attach_pid && optind >= argc)
		return cli_usage_error("record", "no command given");
	opt->argv = opt->attach_pid ? NULL : argv + optind;
	opt->buffer_kib = rc->buffer_mib * 1024;
	opt->on_orphans = rc->quiet ? NULL : tell_orphans;
	opt->on_progress = rc->quiet || !isatty(STDERR_FILENO) ? NULL : tell_progress;
	if (getenv("IPCTRACE_TEST_DRAIN_DELAY_MS"))
		opt->drain_delay_ms = atoi(getenv("IPCTRACE_TEST_DRAIN_DELAY_MS"));
	return -1;
}

/* What is wrong with the machine or the command, one line each; who the
 * invoking user is.  -1 to go on, else the exit code. */
static int check_environment(struct record_cmd *rc)
{
	struct record_options *opt = &rc->opt;
	unsigned long sudo_uid = 0, sudo_gid = 0;
	const char *btf_path;
	int ret, has_uid, has_gid;

	ret = opt->attach_pid ? 0 : record_find_command(opt->argv[0]);
	if (ret) {
		if (ret == -ENOENT)
			cli_error("command not found: '%s'", opt->argv[0]);
		else
			cli_error("cannot run '%s': %s", opt->argv[0], strerror(-ret));
		return 127;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "error: recording needs root to load BPF programs: run sudo ");
		put_shell_word(stderr, cli_name);
		for (int i = strcmp(rc->argv[0], "record") ? 1 : 0; i < rc->argc; i++) {
			fputc(' ', stderr);
			put_shell_word(stderr, rc->argv[i]);
		}
		fputc('\n', stderr);
		return 1;
	}
	/* IPCTRACE_SYSFS_BTF lets the tests point this check elsewhere. */
	btf_path = getenv("IPCTRACE_SYSFS_BTF");
	if (!btf_path)
		btf_path = "/sys/kernel/btf/vmlinux";
	if (access(btf_path, R_OK)) {
		cli_error("this kernel has no BTF ('%s': %s): ipctrace needs a kernel built "
			  "with CONFIG_DEBUG_INFO_BTF=y", btf_path, strerror(errno));
		return 1;
	}
	has_uid = env_id("SUDO_UID", &sudo_uid);
	has_gid = env_id("SUDO_GID", &sudo_gid);
	if (has_uid < 0 || has_gid < 0) {
		cli_error("invalid %s '%s': expected a numeric id", has_uid < 0 ? "SUDO_UID" : "SUDO_GID",
			  getenv(has_uid < 0 ? "SUDO_UID" : "SUDO_GID"));
		return 1;
	}
	if (has_uid > 0) {
		struct passwd *pw = getpwuid(sudo_uid);

		if (has_gid <= 0)
			sudo_gid = pw ? pw->pw_gid : sudo_uid;
		opt->run_as_user = !opt->attach_pid;
		opt->run_uid = sudo_uid;
		opt->run_gid = sudo_gid;
		opt->run_user_name = pw ? pw->pw_name : NULL;
	}
	out_user_init(&rc->owner, sudo_uid, sudo_gid);
	return -1;
}

/* Parse: options, environment, output directory name.  -1 to go on,
 * else the exit code. */
static int record_parse(struct record_cmd *rc, int argc, char **argv)
{
	int ret;

	rc->buffer_mib = DEFAULT_BUFFER_MIB;
	rc->opt.kinds = RECORD_ALL_KINDS;
	rc->opt.payload_bytes = DEFAULT_PAYLOAD;
	if ((ret = parse_options(rc, argc, argv)) >= 0 || (ret = check_environment(rc)) >= 0)
		return ret;
	if (!rc->outdir && rc->opt.attach_pid) {
		snprintf(rc->defdir, sizeof(rc->defdir), "pid-%d", (int)rc->opt.attach_pid);
		rc->run_base = rc->defdir;
	} else if (!rc->outdir) {
		const char *name = strrchr(rc->opt.argv[0], '/');

		name = name ? name + 1 : rc->opt.argv[0];
		if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) > 64)
			name = "command";
		snprintf(rc->defdir, sizeof(rc->defdir), "%s", name);
		rc->run_base = rc->defdir;
	}
	/* named for now; the run's own directory is made when it starts */
	if (rc->run_base)
		rc->outdir = RUNDIR_PARENT;
	if (snprintf(rc->trace_path, sizeof(rc->trace_path), "%s/%s", rc->outdir,
		     CLI_TRACE_FILE) >= (int)sizeof(rc->trace_path)) {
		cli_error("output path too long: '%s'", rc->outdir);
		return 1;
	}
	rc->opt.trace_path = rc->trace_path;
	return -1;
}

/* The recording has begun: the trace takes its name (so its presence
 * tells that the command or process is traced). */
static void name_trace(void *arg)
{
	struct record_cmd *rc = arg;

	if (out_user_enter(&rc->owner) == 0) {
		rc->trace_named = outdir_commit_file(rc->dirfd, rc->trace_tmp, CLI_TRACE_FILE);
		out_user_leave(&rc->owner);
	}
	rc->written[0] = rc->trace_named == 0;
}

/* Without -o: open (making it) ipctrace-out, and make and open this
 * run's new directory in it.  Sets rc->dirfd (or -errno); 0, or an exit
 * code after saying what failed. */
static int open_run_dir(struct record_cmd *rc, char *why, size_t len)
{
	char name[NAME_MAX + 1];
	struct stat st;
	int ret;

	rc->made_parent = fstatat(AT_FDCWD, RUNDIR_PARENT, &st, AT_SYMLINK_NOFOLLOW) != 0;
	rc->parentfd = outdir_open(RUNDIR_PARENT, &rc->owner, false, why, len);
	if (rc->parentfd < 0) {
		rc->dirfd = rc->parentfd;
		return 0;
	}
	ret = rundir_make(rc->parentfd, rc->run_base, time(NULL), name, sizeof(name));
	if (ret) {
		cli_error("cannot create a directory in '%s': %s", RUNDIR_PARENT, strerror(-ret));
		return 1;
	}
	rc->made_outdir = true;
	rc->dirfd = openat(rc->parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rc->dirfd < 0)
		rc->dirfd = -errno;
	snprintf(rc->defdir, sizeof(rc->defdir), "%s/%s", RUNDIR_PARENT, name);
	rc->outdir = rc->defdir;
	/* both fit: NAME_MAX bounds the name */
	snprintf(rc->trace_path, sizeof(rc->trace_path), "%.300s/%s", rc->outdir, CLI_TRACE_FILE);
	return 0;
}

/* With -o DIR: open (making it) DIR, which must be empty unless --force.
 * Sets rc->dirfd (or -errno); 0, or an exit code after saying why. */
static int open_given_dir(struct record_cmd *rc, char *why, size_t len)
{
	struct stat st;

	rc->made_outdir = fstatat(AT_FDCWD, rc->outdir, &st, 0) != 0;
	rc->dirfd = outdir_open(rc->outdir, &rc->owner, rc->outdir_given, why, len);
	if (rc->dirfd >= 0 && !rc->force && rundir_is_empty(rc->dirfd) == 0) {
		cli_error("'%s' is not empty: give --force to replace what it holds, or "
			  "another -o", rc->outdir);
		return 1;
	}
	return 0;
}

/* A run that recorded nothing leaves nothing: the directories it made,
 * now empty, go. */
static void remove_made_dirs(struct record_cmd *rc)
{
	const char *name = rc->outdir + strlen(RUNDIR_PARENT) + 1;

	if (!rc->made_outdir)
		return;
	if (rc->run_base && rc->parentfd >= 0) {
		unlinkat(rc->parentfd, name, AT_REMOVEDIR);
		if (rc->made_parent)
			unlinkat(AT_FDCWD, RUNDIR_PARENT, AT_REMOVEDIR);
	} else if (!rc->run_base) {
		unlinkat(AT_FDCWD, rc->outdir, AT_REMOVEDIR);
	}
}

/* Is NAME one of the outputs this run wrote (kept by --force)? */
static bool is_written_output(const char *name, void *arg)
{
	struct record_cmd *rc = arg;

	for (size_t i = 0; i < cli_noutputs; i++)
		if (rc->written[i] && !strcmp(name, cli_outputs[i].name))
			return true;
	return false;
}

/* After a recording: --force removes what DIR held before; a new run's
 * directory becomes ipctrace-out/latest. */
static void finish_outputs(struct record_cmd *rc)
{
	int ret;

	if (rc->force && !rc->run_base && (ret = rundir_clear(rc->dirfd, is_written_output, rc)))
		cli_warning("cannot remove all of what '%s' held before: %s", rc->outdir,
			    strerror(-ret));
	if (rc->run_base && rc->parentfd >= 0 &&
	    (ret = rundir_link_latest(rc->parentfd, rc->outdir + strlen(RUNDIR_PARENT) + 1)))
		cli_warning("cannot point '%s/%s' at this run: %s", RUNDIR_PARENT, RUNDIR_LATEST,
			    strerror(-ret));
}

/* Open (making it) the output directory and create the trace in it, as
 * the user the outputs are for.  0 or the exit code. */
static int open_outputs(struct record_cmd *rc)
{
	char why[256];
	int ret, fd = -1;

	ret = out_user_enter(&rc->owner);
	if (ret) {
		cli_error("cannot take on user %u's identity: %s", (unsigned)rc->owner.uid,
			  strerror(-ret));
		return 1;
	}
	ret = rc->run_base ? open_run_dir(rc, why, sizeof(why)) : open_given_dir(rc, why, sizeof(why));
	if (ret > 0) {
		out_user_leave(&rc->owner);
		return ret;
	}
	if (rc->dirfd >= 0)
		fd = outdir_create_file(rc->dirfd, CLI_TRACE_FILE, rc->trace_tmp);
	out_user_leave(&rc->owner);
	if (rc->dirfd < 0) {
		if (why[0])
			cli_error("refusing to write into '%s': %s", rc->outdir, why);
		else
			cli_error("cannot create directory '%s': %s", rc->outdir, strerror(-rc->dirfd));
		return 1;
	}
	if (fd < 0) {
		cli_error("cannot create '%s': %s", rc->trace_path, strerror(-fd));
		return 1;
	}
	rc->trace_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (rc->trace_fd < 0) {
		cli_error("cannot keep '%s' open: %s", rc->trace_path, strerror(errno));
		close(fd);
		return 1;
	}
	rc->opt.trace_fd = fd;
	rc->opt.on_tracing = name_trace;
	rc->opt.arg = rc;
	rc->trace_named = -EAGAIN;
	return 0;
}

/* Remove the trace, if its name still leads to the file we created. */
static void remove_trace(struct record_cmd *rc)
{
	struct stat ours, named;

	if (fstat(rc->trace_fd, &ours) == 0 &&
	    fstatat(rc->dirfd, CLI_TRACE_FILE, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
	    ours.st_dev == named.st_dev && ours.st_ino == named.st_ino &&
	    unlinkat(rc->dirfd, CLI_TRACE_FILE, 0) == 0)
		rc->written[0] = false;
}

/* Run: open the outputs, record, say what failed.  -1 to go on to
 * rendering, else the exit code. */
static int record_execute(struct record_cmd *rc, struct record_result *res)
{
	char err[RECORD_ERR_LEN];
	int ret;

	if ((ret = open_outputs(rc)))
		return ret;
	ret = record_run(&rc->opt, res, err);
	clear_progress();
	if (rc->trace_named) {
		/* never got its name: the recording did not start */
		unlinkat(rc->dirfd, rc->trace_tmp, 0);
		if (!ret) {
			cli_error("cannot rename '%s/%s' to '%s': %s", rc->outdir, rc->trace_tmp,
				  CLI_TRACE_FILE, strerror(-rc->trace_named));
			return 1;
		}
	}
	if (ret) {
		cli_error("%s", err);
		/* nothing ran: leave no empty trace, nor its directories */
		remove_trace(rc);
		remove_made_dirs(rc);
		return res->exec_failed ? 127 : 1;	/* 127: as a shell says "not found" */
	}
	if (res->write_error)
		cli_error("cannot write '%s': %s; the trace stops at its last whole chunk",
			  rc->trace_path, strerror(-res->write_error));
	return -1;
}

/* The line on what was recorded.  STORED: events the trace holds. */
static void print_recorded(const struct record_cmd *rc, const struct record_result *res,
			   uint64_t stored)
{
	struct stat st;
	uint64_t bytes = 0;

	if (fstat(rc->trace_fd, &st) == 0)
		bytes = st.st_size;
	if (!res->write_error)
		fprintf(stderr, "\nipctrace: recorded %llu events in %.3f s, %llu lost; trace ",
			(unsigned long long)stored, res->duration_ns / 1e9,
			(unsigned long long)res->lost);
	else
		fprintf(stderr, "\nipctrace: recorded %llu of %llu events in %.3f s (the others "
			"could not be written), %llu lost; trace ", (unsigned long long)stored,
			(unsigned long long)(res->events_seen - res->unrecorded), res->duration_ns / 1e9,
			(unsigned long long)res->lost);
	print_size(stderr, bytes);
	if (stored)
		fprintf(stderr, " (%.1f bytes/event)", (double)bytes / stored);
	fputc('\n', stderr);
}

/* Read the trace back from the file written, whatever was done to its
 * name since. */
static int load_trace(const struct record_cmd *rc, struct viz_model *m)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", rc->trace_fd);
	err = viz_model_load(m, path);
	if (err) {
		cli_error("cannot read '%s': %s", rc->trace_path, trace_file_strerror(err));
		return 1;
	}
	if (m->truncated)
		cli_warning("'%s' was cut short; showing what it holds up to the cut", rc->trace_path);
	return 0;
}

/* Render: as the user, read the trace back, draw every output, tell what
 * was written.  0, 1, or 128+N when signal N stopped the drawing. */
static int record_render(struct record_cmd *rc, const struct record_result *res)
{
	struct viz_model m;
	uint64_t stored = 0;
	int ret, stopped = 0;
	bool loaded;

	ret = out_user_drop(&rc->owner);
	if (ret) {
		cli_error("cannot become user %u: %s", (unsigned)rc->owner.uid, strerror(-ret));
		return 1;
	}
	loaded = load_trace(rc, &m) == 0;
	if (loaded)
		stored = m.events;
	if (!rc->quiet)
		print_recorded(rc, res, loaded ? stored : 0);
	if (res->timed_out && !rc->quiet)
		fprintf(stderr, "ipctrace: --duration reached: the recording stopped after %.3f s\n",
			rc->opt.duration_ns / 1e9);
	if (res->unrecorded)
		cli_warning("--max-size reached: %llu later events were counted but not recorded",
			    (unsigned long long)res->unrecorded);
	if (res->lost)
		cli_warning("%llu events were lost because the ring buffer was full; "
			    "enlarge it with -b (now %lu MiB)", (unsigned long long)res->lost,
			    rc->buffer_mib);
	if (!loaded) {
		struct stat st;

		/* a trace that holds nothing at all is not left behind */
		if (fstat(rc->trace_fd, &st) == 0 && st.st_size == 0) {
			remove_trace(rc);
			remove_made_dirs(rc);
		}
		ret = 1;
	} else {
		ret = cli_render_outputs(rc->dirfd, rc->outdir, &m, rc->written, &stopped);
		if (!rc->quiet && !stopped) {
			(rc->counts ? report_counts : report_text)(&m, stderr);
			fflush(stderr);
		}
		viz_model_release(&m);
	}
	if (stopped)
		cli_print_outputs(stderr, "ipctrace: stopped while drawing; kept", rc->outdir,
				  rc->written);
	else if (!rc->quiet)
		cli_print_outputs(stderr, "ipctrace: wrote", rc->outdir, rc->written);
	return stopped ? 128 + stopped : ret;
}

/* --interval: what changed since the last table. */
static struct {
	struct record_stat *prev;
	size_t nprev;
	bool json;
	size_t top;
} interval;

static void tell_interval(const struct record_stat *st, size_t n, uint64_t elapsed_ns)
{
	struct record_stat *now = malloc((n ? n : 1) * sizeof(*now));
	struct record_stat *delta = malloc((n ? n : 1) * sizeof(*delta));
	size_t nd;

	if (!now || !delta) {
		free(now);
		free(delta);
		return;
	}
	memcpy(now, st, n * sizeof(*now));
	stat_sort_by_key(now, n);
	nd = stat_delta(now, n, interval.prev, interval.nprev, delta);
	stat_sort(delta, nd);
	clear_progress();
	if (interval.json) {
		stat_print_json(stdout, delta, nd, NULL, elapsed_ns);
		fflush(stdout);
	} else {
		fprintf(stderr, "\n--- %.1f s ---\n", elapsed_ns / 1e9);
		stat_print_table(stderr, delta, nd, NULL, false, interval.top);
	}
	free(delta);
	free(interval.prev);
	interval.prev = now;
	interval.nprev = n;
}

/* `trace stat`: the final table (or JSON), from the finished trace. */
static int stat_report(struct record_cmd *rc, struct record_result *res)
{
	struct stat_names names;
	int ret = out_user_drop(&rc->owner);

	if (ret) {
		cli_error("cannot become user %u: %s", (unsigned)rc->owner.uid, strerror(-ret));
		free(res->stats);
		return 1;
	}
	if (!rc->quiet)
		print_recorded(rc, res, res->events);
	if (res->lost)
		cli_warning("%llu events were lost because the ring buffer was full; "
			    "enlarge it with -b (now %lu MiB)", (unsigned long long)res->lost,
			    rc->buffer_mib);
	stat_names_load(&names, rc->trace_path);
	stat_sort(res->stats, res->nstats);
	if (rc->json) {
		stat_print_json(stdout, res->stats, res->nstats, &names, res->duration_ns);
	} else {
		fprintf(stderr, "\nipctrace stat: %zu counters in %.3f s (calls counted in the "
			"kernel, not recorded)\n", res->nstats, res->duration_ns / 1e9);
		stat_print_table(stderr, res->stats, res->nstats, &names, rc->hist, rc->top);
	}
	stat_names_release(&names);
	free(res->stats);
	free(interval.prev);
	if (!rc->quiet)
		fprintf(stderr, "ipctrace: wrote %s\n", rc->trace_path);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the table: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int record_main(int argc, char **argv, bool stat)
{
	struct record_cmd rc = { .dirfd = -1, .trace_fd = -1, .parentfd = -1, .stat = stat,
				 .name = stat ? "stat" : "record", .top = DEFAULT_STAT_TOP };
	struct record_result res;
	int ret;

	if ((ret = record_parse(&rc, argc, argv)) < 0) {
		stat = rc.stat;		/* -c chose it too */
		if (stat) {
			rc.opt.stat_mode = true;
			rc.opt.on_stats = tell_interval;
			interval.json = rc.json;
			interval.top = rc.top;
		}
		if ((ret = record_execute(&rc, &res)) < 0) {
			ret = stat ? stat_report(&rc, &res) : record_render(&rc, &res);
			if (rc.written[0])
				finish_outputs(&rc);
			if (ret == 0 && res.write_error)
				ret = 1;
			else if (ret == 0)
				/* -p: we did not start it; its status is in the report */
				ret = rc.opt.attach_pid ? 0 : exit_code_of(res.wait_status);
		}
	}
	if (rc.trace_fd >= 0)
		close(rc.trace_fd);
	if (rc.dirfd >= 0)
		close(rc.dirfd);
	if (rc.parentfd >= 0)
		close(rc.parentfd);
	return ret;
}

int cmd_record(int argc, char **argv)
{
	return record_main(argc, argv, false);
}

int cmd_stat(int argc, char **argv)
{
	return record_main(argc, argv, true);
}
