/*
 * cmd_viz - `trace report`, `trace graph`, `trace timeline`, `trace
 * perfetto`: read a trace file (no root needed) and write one output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

int cli_load_model(struct viz_model *m, const char *path, struct viz_filter *f)
{
	return cli_load_model_with(m, path, f, VIZ_LOAD_FULL);
}

int cli_load_model_with(struct viz_model *m, const char *path, struct viz_filter *f,
			unsigned flags)
{
	char buf[4096];
	int err;

	path = cli_trace_path(path, buf, sizeof(buf));
	/* A filter cuts a whole model: it needs every op. */
	if (f && viz_filter_active(f))
		flags = VIZ_LOAD_FULL;
	err = viz_model_load_with(m, path, flags);
	if (err) {
		if (err == -ENOENT || err == -EACCES || err == -EISDIR)
			cli_error("cannot open '%s': %s", path, strerror(-err));
		else
			cli_error("cannot read '%s': %s", path, trace_file_strerror(err));
		return 1;
	}
	if (m->truncated)
		cli_warning("'%s' was cut short; showing what it holds up to the cut", path);
	if (f && viz_filter_active(f) && (err = viz_model_filter(m, f))) {
		cli_error("cannot filter '%s': %s", path, strerror(-err));
		viz_model_release(m);
		return 1;
	}
	if (f)
		m->show_all = f->all;
	return 0;
}

int cli_write_output(const char *path, int (*fn)(const struct viz_model *, FILE *, void *),
		     const struct viz_model *m, void *arg)
{
	bool to_stdout = !path || !strcmp(path, "-");
	FILE *out = to_stdout ? stdout : fopen(path, "w");
	bool regular = false;
	struct stat st;
	int err;

	if (!out) {
		cli_error("cannot create '%s': %s", path, strerror(errno));
		return 1;
	}
	/* Only a regular file is removed when writing fails: never a device
	 * such as /dev/full, a FIFO or anything else the user named. */
	if (!to_stdout && fstat(fileno(out), &st) == 0)
		regular = S_ISREG(st.st_mode);
	errno = 0;
	err = fn(m, out, arg);
	/* a write that failed on the way left its errno (ENOSPC...), which
	 * says more than the writer's -EIO */
	if (err == -EIO && errno && errno != EIO)
		err = -errno;
	if (!err && fflush(out))
		err = -errno;
	if (!err && ferror(out))
		err = -EIO;
	if (!to_stdout && fclose(out) && !err)
		err = -errno;
	if (err) {
		cli_error("cannot write '%s': %s", to_stdout ? "<stdout>" : path, strerror(-err));
		if (regular)
			unlink(path);
		return 1;
	}
	return 0;
}

/* What a reading command was asked for. */
struct viz_args {
	const char *output;
	const char *format;     /* --format, where accepted */
	bool json;              /* --json, where accepted */
	bool depth;             /* timeline's --depth */
	struct report_options sections; /* report's --latency, --waits... */
	const char *file;
	struct viz_filter filter;
	unsigned load;          /* VIZ_LOAD_*: --stream, --full */
	/* writes the output from the file itself when it is streamed */
	int (*stream_fn)(const char *path, FILE *out, bool all);
};

bool cli_wants_stream(const char *file, unsigned load)
{
	char buf[4096];
	struct trace_reader *r;
	bool big;

	if (load & VIZ_LOAD_FULL)
		return false;
	/* a file that does not open: the whole load says why, as usual */
	if (trace_reader_open(&r, cli_trace_path(file, buf, sizeof(buf))))
		return false;
	big = (load & VIZ_LOAD_STREAM) || trace_reader_event_count(r) > VIZ_STREAM_AUTO_EVENTS;
	trace_reader_free(r);
	return big;
}

struct stream_job {
	const char *path;
	int (*fn)(const char *path, FILE *out, bool all);
	bool all;                       /* --all */
};

static int write_streamed(const struct viz_model *unused, FILE *out, void *arg)
{
	const struct stream_job *job = arg;

	(void)unused;
	return job->fn(job->path, out, job->all);
}

#define ACCEPT_FORMAT 1u
#define ACCEPT_JSON 2u
#define ACCEPT_SECTIONS 4u
#define ACCEPT_PATH 8u           /* timeline's --critical-path and --depth */
#define ACCEPT_STREAM 16u        /* --stream, --full (docs/report-json.md) */

/* --top N: 1..10000. */
static int parse_top(const char *arg, unsigned *top)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < 1 || n > 10000)
		return cli_usage_error("report", "--top wants a count from 1 to 10000, not '%s'", arg);
	*top = (unsigned)n;
	return 0;
}

/* Report's section options (--latency, --waits, --critical-path, --top N)
 * into *O: 0, or an exit code. */
static int section_option(struct report_options *o, int c, const char *arg)
{
	switch (c) {
	case 'L':
		o->latency = true;
		return 0;
	case 'W':
		o->waits = true;
		return 0;
	case 'C':
		o->critical_path = true;
		return 0;
	default:
		return parse_top(arg, &o->top) ? EXIT_USAGE : 0;
	}
}

#define VIZ_OPTION_OTHER (-1)

/* Option C of a reading command (ARG its value, GIVEN as typed) into A,
 * when ACCEPT has it: 0, an exit code, or VIZ_OPTION_OTHER for an option
 * this does not know (a filter, or none). */
static int viz_option(const char *command, unsigned accept, int c, const char *arg,
		      const char *given, struct viz_args *a)
{
	/* options only some commands take, named by their long form */
	static const struct {
		int c;
		unsigned need;
		const char *name;
	} only_some[] = {
		{ 'f', ACCEPT_FORMAT, "--format" },
		{ 'j', ACCEPT_JSON, "--json" },
		{ 'D', ACCEPT_PATH, "--depth" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(only_some); i++)
		if (c == only_some[i].c && !(accept & only_some[i].need))
			return cli_usage_error(command, "'%s' has no %s option", command,
					       only_some[i].name);
	switch (c) {
	case 'o':
		a->output = arg;
		return 0;
	case 'f':
		a->format = arg;
		return 0;
	case 'j':
		a->json = true;
		return 0;
	case 'D':
		a->depth = true;
		return 0;
	case 'L':
	case 'W':
	case 'C':
	case 'T':
		if (c == 'C' && (accept & ACCEPT_PATH)) {
			a->sections.critical_path = true;
			return 0;
		}
		if (!(accept & ACCEPT_SECTIONS))
			return cli_usage_error(command, "'%s' has no %s option", command, given);
		return section_option(&a->sections, c, arg);
	case 'S':
	case 'F':
		if (!(accept & ACCEPT_STREAM))
			return cli_usage_error(command, "'%s' has no %s option", command, given);
		a->load = c == 'S' ? VIZ_LOAD_STREAM : VIZ_LOAD_FULL;
		return 0;
	}
	return VIZ_OPTION_OTHER;
}

/* Shared option loop of the reading commands; ACCEPT says which of --format,
 * --json and the report sections COMMAND takes.  0, -1 after --help, or an
 * exit code. */
static int parse_viz_args(const char *command, unsigned accept, int argc, char **argv,
			  struct viz_args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "latency", no_argument, NULL, 'L' },
		{ "waits", no_argument, NULL, 'W' },
		{ "critical-path", no_argument, NULL, 'C' },
		{ "depth", no_argument, NULL, 'D' },
		{ "top", required_argument, NULL, 'T' },
		CLI_READ_LONGOPTS,
	};
	int c, ret = 0;

	viz_filter_init(&a->filter);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:jh", longopts, NULL)) != -1) {
		/* the option as typed: the word before its value when that
		 * came as the next word (--top 3) */
		const char *given = optarg && optind >= 2 && optarg == argv[optind - 1] ?
				    argv[optind - 2] : argv[optind - 1];

		if (c == 'h') {
			cli_usage(stdout, command);
			return -1;
		}
		if (c == ':')
			return cli_usage_error(command, "option '%s' needs a value", given);
		ret = viz_option(command, accept, c, optarg, given, a);
		if (ret == VIZ_OPTION_OTHER)
			ret = cli_filter_option(&a->filter, command, c, optarg);
		if (ret < 0)
			return cli_usage_error(command, "unknown option '%s'", given);
		if (ret > 0)
			return ret;
	}
	if (optind >= argc)
		return cli_usage_error(command, "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error(command, "one trace file at a time (extra: '%s')", argv[optind + 1]);
	a->file = argv[optind];
	return 0;
}

/* Parse, load, write with FN, release: the body of each reading command. */
static int run_viz_command(const char *command, unsigned accept, int argc, char **argv,
			   int (*fn)(const struct viz_model *, FILE *, void *),
			   int (*check)(struct viz_args *, void **arg))
{
	struct viz_args a = { 0 };
	struct viz_model m;
	void *arg = NULL;
	int ret = parse_viz_args(command, accept, argc, argv, &a);

	if (!ret && check)
		ret = check(&a, &arg);
	if (!(accept & ACCEPT_STREAM))
		a.load = VIZ_LOAD_FULL;
	if (!ret && a.stream_fn && !viz_filter_active(&a.filter) && cli_wants_stream(a.file, a.load)) {
		char buf[4096];
		struct stream_job job = { cli_trace_path(a.file, buf, sizeof(buf)), a.stream_fn,
					  a.filter.all };

		ret = cli_write_output(a.output, write_streamed, NULL, &job);
	} else if (!ret && !(ret = cli_load_model_with(&m, a.file, &a.filter, a.load))) {
		ret = cli_write_output(a.output, fn, &m, arg);
		viz_model_release(&m);
	}
	viz_filter_release(&a.filter);
	return ret < 0 ? 0 : ret;
}

/* What `trace report` writes: JSON, the summary, or the chosen sections. */
struct report_request {
	bool json;
	struct report_options sections;
};

static int write_report(const struct viz_model *m, FILE *out, void *arg)
{
	const struct report_request *r = arg;
	const struct report_options *o = &r->sections;

	if (r->json)
		return report_json(m, out);
	if (o->latency || o->waits || o->critical_path || o->top)
		return report_text_sections(m, o, out);
	return report_text(m, out);
}

static int check_report(struct viz_args *a, void **arg)
{
	static struct report_request request;

	request = (struct report_request){ a->json, a->sections };
	*arg = &request;
	/* The critical path and the top calls follow every transfer;
	 * --latency and --waits are summed as a stream is read. */
	if (!a->json && (a->sections.critical_path || a->sections.top)) {
		if (a->load == VIZ_LOAD_STREAM)
			return cli_usage_error("report", "--stream gives the summary, --json, "
					       "--latency and --waits, not --critical-path or --top");
		a->load = VIZ_LOAD_FULL;
	}
	return 0;
}

static int check_graph(struct viz_args *a, void **arg)
{
	static enum graph_format fmt;

	if (!a->format || !strcmp(a->format, "svg"))
		fmt = GRAPH_SVG;
	else if (!strcmp(a->format, "dot"))
		fmt = GRAPH_DOT;
	else
		return cli_usage_error("graph", "unknown format '%s' (svg or dot)", a->format);
	*arg = &fmt;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	return run_viz_command("report", ACCEPT_JSON | ACCEPT_SECTIONS | ACCEPT_STREAM, argc, argv,
			       write_report,
			       check_report);
}

int cmd_graph(int argc, char **argv)
{
	return run_viz_command("graph", ACCEPT_FORMAT | ACCEPT_STREAM, argc, argv, cli_draw_graph, check_graph);
}

static int write_timeline(const struct viz_model *m, FILE *out, void *arg)
{
	return timeline_render_with(m, out, arg);
}

static int check_timeline(struct viz_args *a, void **arg)
{
	static struct timeline_options options;

	options.critical_path = a->sections.critical_path;
	options.depth = a->depth;
	*arg = &options;
	/* The critical path walks back through every transfer, the depth
	 * strips through every op; the second streaming pass does not filter. */
	if (options.critical_path || options.depth || viz_filter_active(&a->filter)) {
		if (a->load == VIZ_LOAD_STREAM)
			return cli_usage_error("timeline", "--stream cannot draw %s",
					       options.critical_path ? "--critical-path" :
					       options.depth ? "--depth" : "a filtered trace");
		a->load = VIZ_LOAD_FULL;
	} else {
		a->stream_fn = timeline_render_file;
	}
	return 0;
}

int cmd_timeline(int argc, char **argv)
{
	return run_viz_command("timeline", ACCEPT_PATH | ACCEPT_STREAM, argc, argv, write_timeline,
			       check_timeline);
}

/* The Perfetto trace shows every channel: --all changes nothing. */
static int perfetto_pb_stream(const char *path, FILE *out, bool all)
{
	(void)all;
	return perfetto_pb_render_file(path, out);
}

/* --format json (the default) or proto. */
static int check_perfetto(struct viz_args *a, void **arg)
{
	static bool proto;

	if (!a->format || !strcmp(a->format, "json"))
		proto = false;
	else if (!strcmp(a->format, "proto"))
		proto = true;
	else
		return cli_usage_error("perfetto", "unknown format '%s' (json or proto)", a->format);
	*arg = &proto;
	if (proto) {
		a->stream_fn = perfetto_pb_stream;
	} else {
		if (a->load == VIZ_LOAD_STREAM)
			return cli_usage_error("perfetto", "--stream writes --format proto only");
		/* JSON holds every event in memory: a long trace only on demand */
		if (a->load != VIZ_LOAD_FULL && cli_wants_stream(a->file, 0)) {
			cli_error("'%s' has more than %u events: use --format proto (streamed), "
				  "or --full for JSON in memory", a->file, VIZ_STREAM_AUTO_EVENTS);
			return 1;
		}
		a->load = VIZ_LOAD_FULL;
	}
	return 0;
}

static int draw_perfetto_format(const struct viz_model *m, FILE *out, void *proto)
{
	return *(bool *)proto ? perfetto_pb_render(m, out) : perfetto_render(m, out);
}

int cmd_perfetto(int argc, char **argv)
{
	return run_viz_command("perfetto", ACCEPT_FORMAT | ACCEPT_STREAM, argc, argv,
			       draw_perfetto_format,
			       check_perfetto);
}
