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

int cli_filter_option(struct viz_filter *f, const char *command, int c, const char *arg)
{
	int err;

	switch (c) {
	case CLI_OPT_PID:
		err = viz_filter_add_pids(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --pid '%s' (PID[,PID...])", arg);
		break;
	case CLI_OPT_CHILDREN:
		f->children = true;
		return 0;
	case CLI_OPT_COMM:
		err = viz_filter_add_comm(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --comm '%s' (a process name, at most %d bytes)",
					       arg, IPCT_COMM_LEN - 1);
		break;
	case CLI_OPT_KIND:
		err = viz_filter_set_kinds(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --kind '%s' (comma-separated: pipe, fifo, file, "
					       "msgq, shm, sem, signal, unix, tcp, udp, eventfd; '!' first excludes)", arg);
		break;
	case CLI_OPT_CHANNEL:
		err = viz_filter_add_channel(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --channel '%s' (an id from 'trace report')", arg);
		break;
	case CLI_OPT_WINDOW:
		err = viz_filter_set_window(f, arg);
		if (err == -EINVAL)
			return cli_usage_error(command, "bad --window '%s' (FROM,TO such as 2.5ms,1s; "
					       "units ns, us, ms, s)", arg);
		break;
	case CLI_OPT_ALL:
		f->all = true;
		return 0;
	default:
		return -1;
	}
	if (err) {
		cli_error("%s", strerror(-err));
		return 1;
	}
	return 0;
}

const char *cli_trace_path(const char *arg, char *buf, size_t size)
{
	struct stat st;

	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return arg;
	snprintf(buf, size, "%s%strace.ipct", arg, arg[strlen(arg) - 1] == '/' ? "" : "/");
	return buf;
}
