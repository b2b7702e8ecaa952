/*
 * cmd_dump - `trace dump [--json] [filters] FILE`: every event of a trace
 * in file order, one line each, the way strace prints a call: its name,
 * decoded flags, descriptors named by what they are (3<pipe:[45991]>),
 * the result with its errno name and the time spent in it; or one JSON
 * object per line for scripts.  The lines are made in dump_events.c and
 * written by dump_line.c.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include "cli.h"
#include "dump.h"

/* Parse dump's options into *F and *FILE: 0, -1 after --help, or an exit code. */
static int parse_dump_args(int argc, char **argv, struct viz_filter *f, const char **file,
			   bool *json)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		CLI_FILTER_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hj", longopts, NULL)) != -1) {
		if (c == 'j') {
			*json = true;
			continue;
		}
		if (c == 'h') {
			cli_usage(stdout, "dump");
			return -1;
		}
		if (c == ':')
			return cli_usage_error("dump", "option '%s' needs a value", argv[optind - 1]);
		ret = cli_filter_option(f, "dump", c, optarg);
		if (ret < 0)
			return cli_usage_error("dump", "unknown option '%s'", argv[optind - 1]);
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return cli_usage_error("dump", "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error("dump", "one trace file at a time (extra: '%s')", argv[optind + 1]);
	*file = argv[optind];
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct trace_reader *r;
	const struct ipct_event_header *h;
	struct viz_filter filter;
	struct viz_model m = { 0 };
	struct dump_state st = { 0 };
	const char *file = NULL;
	char buf[4096];
	bool filtered;
	int err;

	viz_filter_init(&filter);
	err = parse_dump_args(argc, argv, &filter, &file, &st.json);
	if (err) {
		viz_filter_release(&filter);
		return err < 0 ? 0 : err;
	}
	file = cli_trace_path(file, buf, sizeof(buf));
	/* The filter needs the process tree and the channels: the model of
	 * the same file, cut by the filter, decides event by event. */
	filtered = viz_filter_active(&filter);
	if (filtered && cli_load_model(&m, file, &filter)) {
		viz_filter_release(&filter);
		return 1;
	}
	err = trace_reader_open(&r, file);
	if (err) {
		if (err == -ENOENT || err == -EACCES || err == -EISDIR)
			cli_error("cannot open '%s': %s", file, strerror(-err));
		else
			cli_error("cannot read '%s': %s", file, trace_file_strerror(err));
		viz_model_release(&m);
		viz_filter_release(&filter);
		return 1;
	}
	dump_names_init(&st.names);
	st.t0 = trace_reader_meta(r)->start_monotonic_ns;
	while ((err = trace_reader_next(r, &h)) == 1)
		if (!filtered || viz_filter_event(&filter, &m, h))
			dump_event(&st, stdout, h);
	dump_names_release(&st.names);
	if (err < 0)
		cli_error("cannot read '%s': %s", file, trace_file_strerror(err));
	if (trace_reader_truncated(r))
		cli_warning("'%s' was cut short; shown up to the cut", file);
	trace_reader_free(r);
	viz_model_release(&m);
	viz_filter_release(&filter);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write to stdout: %s", strerror(errno));
		return 1;
	}
	return err < 0;
}
