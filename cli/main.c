/*
 * main - dispatch `trace SUBCOMMAND ...`; anything that is not a known
 * subcommand is a command to record, as in `trace demos/pipe_sum`.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define IPCTRACE_VERSION "0.1.0"

const char *cli_name = "trace";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "record", cmd_record },
	{ "report", cmd_report },
	{ "graph", cmd_graph },
	{ "timeline", cmd_timeline },
	{ "perfetto", cmd_perfetto },
	{ "dump", cmd_dump },
	{ "help", cmd_help },
};

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\nTry '%s %s --help' for more information.\n", cli_name, command);
	else
		fprintf(stderr, "\nTry '%s --help' for more information.\n", cli_name);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc > 0 && argv[0])
		cli_name = argv[0];
	if (argc < 2) {
		cli_usage(stderr, NULL);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(stdout, NULL);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ipctrace %s\n", IPCTRACE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	/* `trace [options] CMD ...` is `trace record [options] CMD ...`. */
	return cmd_record(argc, argv);
}
