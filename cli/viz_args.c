/*
 * viz_args - the options every reading subcommand shares: the filter
 * (--pid, --children, --comm, --kind, --channel, --window, --all;
 * docs/filters.md), and a trace given as the file or as the output
 * directory that holds trace.ipct.
 *
 * A command puts CLI_FILTER_LONGOPTS in its getopt_long table and hands
 * every option it does not know to cli_filter_option().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

/* The filter options that take a value: how F takes it, and what a bad
 * one should have been. */
static const struct {
	int c;
	int (*set)(struct viz_filter *f, const char *arg);
	const char *name, *wants;
} valued[] = {
	{ CLI_OPT_PID, viz_filter_add_pids, "pid", "PID[,PID...]" },
	{ CLI_OPT_COMM, viz_filter_add_comm, "comm", "a process name, at most 15 bytes" },
	{ CLI_OPT_KIND, viz_filter_set_kinds, "kind", "comma-separated: pipe, fifo, file, "
	  "msgq, shm, sem, signal, unix, tcp, udp, eventfd; '!' first excludes" },
	{ CLI_OPT_CHANNEL, viz_filter_add_channel, "channel", "an id from 'trace report'" },
	{ CLI_OPT_WINDOW, viz_filter_set_window, "window",
	  "FROM,TO such as 2.5ms,1s; units ns, us, ms, s" },
};
_Static_assert(IPCT_COMM_LEN == 16, "--comm's message says 15 bytes");

int cli_filter_option(struct viz_filter *f, const char *command, int c, const char *arg)
{
	if (c == CLI_OPT_CHILDREN || c == CLI_OPT_ALL) {
		*(c == CLI_OPT_ALL ? &f->all : &f->children) = true;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(valued); i++) {
		int err;

		if (c != valued[i].c)
			continue;
		err = valued[i].set(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --%s '%s' (%s)", valued[i].name, arg,
					       valued[i].wants);
		if (err) {
			cli_error("%s", strerror(-err));
			return 1;
		}
		return 0;
	}
	return -1;
}

const char *cli_trace_path(const char *arg, char *buf, size_t size)
{
	struct stat st;

	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return arg;
	snprintf(buf, size, "%s%strace.ipct", arg, arg[strlen(arg) - 1] == '/' ? "" : "/");
	return buf;
}
