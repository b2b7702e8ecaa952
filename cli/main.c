/*
 * main - dispatch `trace SUBCOMMAND ...`; anything that is not a known
 * subcommand is a command to record, as in `trace demos/pipe_sum`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_version.h>
#include "cli.h"
#include "lib/trace_file.h"
#include "tracer/record.h"

const char *cli_name = "trace";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "record", cmd_record },
	{ "stat", cmd_stat },
	{ "report", cmd_report },
	{ "graph", cmd_graph },
	{ "timeline", cmd_timeline },
	{ "perfetto", cmd_perfetto },
	{ "dump", cmd_dump },
	{ "merge", cmd_merge },
	{ "export", cmd_export },
	{ "help", cmd_help },
	{ "version", cmd_version },
};

int cmd_version(int argc, char **argv)
{
	printf("ipctrace %s\n", IPCTRACE_VERSION);
	printf("trace format %d\n", TRACE_FILE_VERSION);
	printf("libbpf %s (built with %d.%d)\n", libbpf_version_string(),
	       LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	return 0;
}

/* Edit distance between A and B (insert, delete, substitute, swap two
 * neighbours), stopping early past LIMIT; words are short. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[3][33];	/* rows i-2, i-1, i of the table, modulo 3 */

	if (la > 32 || lb > 32)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *row = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i + 1) % 3];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = up[j - 1] + cost;

			if (up[j] + 1 < v)
				v = up[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    up2[j - 2] + 1 < v)
				v = up2[j - 2] + 1;
			row[j] = v;
		}
	}
	return d[la % 3][lb];
}

const char *cli_similar_subcommand(const char *word)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		size_t dist = edit_distance(word, commands[i].name, 2);

		if (dist < best_d) {
			best_d = dist;
			best = commands[i].name;
		}
	}
	return best;
}

/* "PREFIX message" and a newline on stderr. */
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "Try '%s %s --help' for more information.\n", cli_name, command);
	else
		fprintf(stderr, "Try '%s --help' for more information.\n", cli_name);
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
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	/* A near-miss of a subcommand that is no program either is a typo. */
	if (argv[1][0] != '-' && !strchr(argv[1], '/') && record_find_command(argv[1]) == -ENOENT) {
		const char *similar = cli_similar_subcommand(argv[1]);

		if (similar)
			return cli_usage_error(NULL, "'%s' is neither a subcommand nor a command on PATH; "
					       "did you mean '%s'?", argv[1], similar);
	}
	/* `trace [options] CMD ...` is `trace record [options] CMD ...`. */
	return cmd_record(argc, argv);
}
