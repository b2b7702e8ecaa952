/*
 * cli - the `trace` command: a table of subcommands (record, report,
 * graph, timeline, help), each a function taking its own argv, in the way
 * of bpftool and perf.  Only this layer talks to the user: errors are one
 * lowercase line on stderr, "error: cannot open 'x': reason".
 *
 * Exit codes: 0 ok, 1 failure, 2 usage error; `trace CMD` (record) exits
 * with CMD's own status, 128+signal when it was killed.
 */
#ifndef IPCTRACE_CLI_H
#define IPCTRACE_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "viz/viz.h"

#define EXIT_USAGE 2
#define IPCTRACE_VERSION "0.1.0"

extern const char *cli_name;   /* argv[0] as invoked, for messages */

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_perfetto(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

/* The subcommand within two edits of WORD (the closest), or NULL. */
const char *cli_similar_subcommand(const char *word);

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "usage" help for COMMAND (NULL: the overview) on OUT. */
void cli_usage(FILE *out, const char *command);
/* Report a usage error and return EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Load a trace for a viz command, reporting errors; 0 or 1. */
int cli_load_model(struct viz_model *m, const char *path);
/* Write one output to PATH ("-" or NULL: stdout) with FN; reports errors,
 * removes a half-written file.  Returns 0 or 1. */
int cli_write_output(const char *path, int (*fn)(const struct viz_model *, FILE *, void *),
		     const struct viz_model *m, void *arg);

/* Write report.json, graph.dot, graph.svg, timeline.svg and perfetto.json of TRACE_PATH
 * into DIR, and the text summary on SUMMARY (NULL: none).  0 or 1. */
int cli_render_all(const char *dir, const char *trace_path, FILE *summary);

#endif
