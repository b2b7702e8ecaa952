/*
 * cmd_viz - `trace report`, `trace graph`, `trace timeline`, `trace perfetto`: read a trace
 * file (no root needed) and write one output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

int cli_load_model(struct viz_model *m, const char *path)
{
	int err = viz_model_load(m, path);

	if (err) {
		if (err == -ENOENT || err == -EACCES || err == -EISDIR)
			cli_error("cannot open '%s': %s", path, strerror(-err));
		else
			cli_error("cannot read '%s': %s", path, trace_file_strerror(err));
		return 1;
	}
	if (m->truncated)
		cli_warning("'%s' was cut short; showing what it holds up to the cut", path);
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

/* Shared option loop of the three commands.  FORMAT is NULL where
 * --format is not accepted; JSON likewise. */
static int parse_viz_args(const char *command, int argc, char **argv, const char **output,
			  const char **format, bool *json, const char **file)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			*output = optarg;
			break;
		case 'f':
			if (!format)
				return cli_usage_error(command, "'%s' has no --format option", command);
			*format = optarg;
			break;
		case 'j':
			if (!json)
				return cli_usage_error(command, "'%s' has no --json option", command);
			*json = true;
			break;
		case 'h':
			cli_usage(stdout, command);
			return -1;
		case ':':
			return cli_usage_error(command, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(command, "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error(command, "one trace file at a time (extra: '%s')", argv[optind + 1]);
	*file = argv[optind];
	return 0;
}

int cmd_report(int argc, char **argv)
{
	const char *output = NULL, *file;
	bool json = false;
	struct viz_model m;
	int ret = parse_viz_args("report", argc, argv, &output, NULL, &json, &file);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (cli_load_model(&m, file))
		return 1;
	ret = cli_write_output(output, cli_draw_report, &m, &json);
	viz_model_release(&m);
	return ret;
}

int cmd_graph(int argc, char **argv)
{
	const char *output = NULL, *format = "svg", *file;
	enum graph_format fmt;
	struct viz_model m;
	int ret = parse_viz_args("graph", argc, argv, &output, &format, NULL, &file);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (!strcmp(format, "svg"))
		fmt = GRAPH_SVG;
	else if (!strcmp(format, "dot"))
		fmt = GRAPH_DOT;
	else
		return cli_usage_error("graph", "unknown format '%s' (svg or dot)", format);
	if (cli_load_model(&m, file))
		return 1;
	ret = cli_write_output(output, cli_draw_graph, &m, &fmt);
	viz_model_release(&m);
	return ret;
}

int cmd_timeline(int argc, char **argv)
{
	const char *output = NULL, *file;
	struct viz_model m;
	int ret = parse_viz_args("timeline", argc, argv, &output, NULL, NULL, &file);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (cli_load_model(&m, file))
		return 1;
	ret = cli_write_output(output, cli_draw_timeline, &m, NULL);
	viz_model_release(&m);
	return ret;
}

int cmd_perfetto(int argc, char **argv)
{
	const char *output = NULL, *file;
	struct viz_model m;
	int ret = parse_viz_args("perfetto", argc, argv, &output, NULL, NULL, &file);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (cli_load_model(&m, file))
		return 1;
	ret = cli_write_output(output, cli_draw_perfetto, &m, NULL);
	viz_model_release(&m);
	return ret;
}
