/*
 * record_options - parse the options of `trace record` and `trace stat`,
 * check the machine (root, BTF) and the command, and name the output
 * directory.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "record_cmd.h"
#include "rundir.h"

/* Long options without a short letter. */
enum { OPT_DURATION = 256, OPT_MAX_SIZE, OPT_INTERVAL, OPT_JSON, OPT_HIST, OPT_TOP, OPT_SUMMARY };

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

/* What an option handler returns besides an exit code: go on with the
 * next option, or the option belongs to another group. */
#define OPT_GO_ON -1
#define OPT_NOT_MINE -2

/* How the run behaves and where it writes: -c, --summary, --force, -o,
 * -q, -v, -h and strace's habits that are always on. */
static int mode_option(struct record_cmd *rc, int c, char **argv)
{
	switch (c) {
	case 'c':	/* strace -c: count, do not record each call */
		rc->stat = true;
		rc->name = "stat";
		return OPT_GO_ON;
	case OPT_SUMMARY:
		rc->counts = true;
		return OPT_GO_ON;
	case 'F':
		rc->force = true;
		return OPT_GO_ON;
	case 'f':	/* strace's habit: children are always followed */
		fprintf(stderr, "ipctrace: note: -f is not needed, every child is always followed\n");
		return OPT_GO_ON;
	case 'T':	/* strace's habits, always on: the time in each call ... */
	case 'y':	/* ... and descriptors named by what they are */
		return OPT_GO_ON;
	case 'o':
		if (!*optarg)
			return cli_usage_error("record", "the output directory name is empty (-o '')");
		rc->outdir = optarg;
		rc->outdir_given = true;
		return OPT_GO_ON;
	case 'q':
		rc->quiet = true;
		return OPT_GO_ON;
	case 'v':
		rc->opt.verbose = true;
		return OPT_GO_ON;
	case 'h':
		cli_usage(stdout, rc->name);
		return 0;
	}
	return OPT_NOT_MINE;
}

/* What is recorded and how much: -b, -s, -e, -p, --duration, --max-size. */
static int capture_option(struct record_cmd *rc, int c, char **argv)
{
	struct record_options *opt = &rc->opt;
	const char *bad = NULL;
	unsigned long num;

	switch (c) {
	case 'b':
		if (!parse_ulong(optarg, 1, 1024, &num) || (num & (num - 1)))
			return cli_usage_error("record",
				"invalid buffer size '%s': a power of two from 1 to 1024 (MiB)", optarg);
		rc->buffer_mib = num;
		return OPT_GO_ON;
	case 's':
		if (!parse_ulong(optarg, 0, IPCT_PAYLOAD_MAX, &num))
			return cli_usage_error("record",
				"invalid payload size '%s': 0 to %d bytes", optarg, IPCT_PAYLOAD_MAX);
		opt->payload_bytes = num;
		return OPT_GO_ON;
	case 'e':
		opt->kinds = parse_kinds(optarg, &bad);
		if (!opt->kinds)
			return cli_usage_error("record", "unknown kind '%s' (pipe, fifo, file, msgq, "
					       "shm, sem, signal, unix, tcp, udp, eventfd or all)", bad);
		return OPT_GO_ON;
	case 'p':
		if (!parse_ulong(optarg, 1, 0x3fffffff, &num))
			return cli_usage_error("record", "invalid pid '%s'", optarg);
		opt->attach_pid = num;
		return OPT_GO_ON;
	case OPT_DURATION:
		if (!parse_seconds(optarg, &opt->duration_ns))
			return cli_usage_error("record", "invalid duration '%s': seconds, more "
					       "than 0 (e.g. 10 or 2.5)", optarg);
		return OPT_GO_ON;
	case OPT_MAX_SIZE:
		if (!parse_ulong(optarg, 1, 1024 * 1024, &num))
			return cli_usage_error("record", "invalid size '%s': 1 to 1048576 (MiB)", optarg);
		opt->max_bytes = (uint64_t)num << 20;
		return OPT_GO_ON;
	}
	return OPT_NOT_MINE;
}

/* The options of `trace stat` alone: --interval, --top, --json, --hist. */
static int stat_option(struct record_cmd *rc, int c, char **argv)
{
	unsigned long num;

	if (c != OPT_INTERVAL && c != OPT_TOP && c != OPT_JSON && c != OPT_HIST)
		return OPT_NOT_MINE;
	if (!rc->stat)
		return cli_usage_error(rc->name, "%s is an option of 'stat'",
				       c == OPT_INTERVAL ? "--interval" : c == OPT_TOP ? "--top" :
				       c == OPT_JSON ? "--json" : "--hist");
	switch (c) {
	case OPT_INTERVAL:
		if (!parse_seconds(optarg, &rc->opt.stat_interval_ns))
			return cli_usage_error(rc->name, "invalid interval '%s': seconds, more "
					       "than 0", optarg);
		return OPT_GO_ON;
	case OPT_TOP:
		if (!parse_ulong(optarg, 0, 1000000, &num))
			return cli_usage_error(rc->name, "invalid count '%s': 0 (all) to 1000000",
					       optarg);
		rc->top = num;
		return OPT_GO_ON;
	}
	*(c == OPT_JSON ? &rc->json : &rc->hist) = true;
	return OPT_GO_ON;
}

/* The command (or -p) after the options, and what follows from them. */
static int finish_options(struct record_cmd *rc, int argc, char **argv)
{
	struct record_options *opt = &rc->opt;

	if (opt->attach_pid && optind < argc)
		return cli_usage_error("record", "give a command or -p PID, not both");
	if (!opt->attach_pid && optind >= argc)
		return cli_usage_error("record", "no command given");
	opt->argv = opt->attach_pid ? NULL : argv + optind;
	opt->buffer_kib = rc->buffer_mib * 1024;
	opt->on_orphans = rc->quiet ? NULL : cli_tell_orphans;
	opt->on_progress = rc->quiet || !isatty(STDERR_FILENO) ? NULL : cli_tell_progress;
	if (getenv("IPCTRACE_TEST_DRAIN_DELAY_MS"))
		opt->drain_delay_ms = atoi(getenv("IPCTRACE_TEST_DRAIN_DELAY_MS"));
	return OPT_GO_ON;
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
	static int (*const groups[])(struct record_cmd *, int, char **) = {
		mode_option, capture_option, stat_option,
	};
	int c, ret;

	rc->argc = argc;
	rc->argv = argv;
	optind = 1;
	opterr = 0;
	/* '+': options end at CMD, whose own options are its business. */
	while ((c = getopt_long(argc, argv, "+:o:b:s:e:p:qvhcfTy", longopts, NULL)) != -1) {
		if (c == ':')
			return cli_usage_error("record", "option '%s' needs a value", argv[optind - 1]);
		ret = OPT_NOT_MINE;
		for (size_t i = 0; i < ARRAY_SIZE(groups) && ret == OPT_NOT_MINE; i++)
			ret = groups[i](rc, c, argv);
		if (ret == OPT_NOT_MINE)
			return cli_usage_error("record", "unknown option '%s'", argv[optind - 1]);
		if (ret != OPT_GO_ON)
			return ret;
	}
	return finish_options(rc, argc, argv);
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
int record_parse(struct record_cmd *rc, int argc, char **argv)
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
