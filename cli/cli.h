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

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include "viz/viz.h"
#include "viz/filter.h"

#define EXIT_USAGE 2
#define IPCTRACE_VERSION "0.1.0"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

extern const char *cli_name;   /* argv[0] as invoked, for messages */

int cmd_record(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_perfetto(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_export(int argc, char **argv);
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

/* ---- viz_args.c: the options of every reading subcommand ---- */

/* getopt_long values of the filter options (docs/filters.md). */
enum {
	CLI_OPT_PID = 0x100, CLI_OPT_CHILDREN, CLI_OPT_COMM, CLI_OPT_KIND,
	CLI_OPT_CHANNEL, CLI_OPT_WINDOW, CLI_OPT_ALL,
};
#define CLI_FILTER_LONGOPTS \
	{ "pid", required_argument, NULL, CLI_OPT_PID }, \
	{ "children", no_argument, NULL, CLI_OPT_CHILDREN }, \
	{ "comm", required_argument, NULL, CLI_OPT_COMM }, \
	{ "kind", required_argument, NULL, CLI_OPT_KIND }, \
	{ "channel", required_argument, NULL, CLI_OPT_CHANNEL }, \
	{ "window", required_argument, NULL, CLI_OPT_WINDOW }, \
	{ "all", no_argument, NULL, CLI_OPT_ALL }
/* The end of a reading command's long options: --stream ('S'), --full
 * ('F'), --help ('h'), the filters and the terminator. */
#define CLI_READ_LONGOPTS \
	{ "stream", no_argument, NULL, 'S' }, \
	{ "full", no_argument, NULL, 'F' }, \
	{ "help", no_argument, NULL, 'h' }, \
	CLI_FILTER_LONGOPTS, \
	{ NULL, 0, NULL, 0 }
/* Help text lines of the filter options, for the usage texts. */
#define CLI_FILTER_HELP \
	"Filters (docs/filters.md):\n" \
	"  --pid PID[,PID...]   only these processes and what they talk to\n" \
	"  --children           with --pid or --comm: their descendants too\n" \
	"  --comm NAME          only processes named NAME\n" \
	"  --kind KINDS         only these kinds (pipe,unix,...); !KINDS: all but these\n" \
	"  --channel ID         only this channel (an id from report --json)\n" \
	"  --window FROM,TO     only this time range from the command's start (2.5ms,1s)\n" \
	"  --all                also draw what is not communication (folded by default)\n"
/* Apply filter option C (ARG) of COMMAND to F: 0, a usage error's exit
 * code (reported), or -1 when C is not a filter option. */
int cli_filter_option(struct viz_filter *f, const char *command, int c, const char *arg);
/* ARG if it is not a directory, else ARG/trace.ipct written into BUF. */
const char *cli_trace_path(const char *arg, char *buf, size_t size);

/* Load a trace (a file or a run's output directory) for a viz command and
 * apply filter F (NULL: none), reporting errors; 0 or 1. */
int cli_load_model(struct viz_model *m, const char *path, struct viz_filter *f);
/* The same with VIZ_LOAD_* FLAGS (0: stream a long trace); a filter loads
 * the whole model. */
int cli_load_model_with(struct viz_model *m, const char *path, struct viz_filter *f,
			unsigned flags);
/* Should FILE (a trace or a run directory) be streamed under VIZ_LOAD_*
 * flags LOAD (0: past VIZ_STREAM_AUTO_EVENTS)?  A file that cannot be
 * read is left to the whole load to report. */
bool cli_wants_stream(const char *file, unsigned load);
/* Write one output to PATH ("-" or NULL: stdout) with FN; reports errors,
 * removes a half-written file.  Returns 0 or 1. */
int cli_write_output(const char *path, int (*fn)(const struct viz_model *, FILE *, void *),
		     const struct viz_model *m, void *arg);

/* Draw one output of M on OUT; ARG as in struct cli_output.  0 or -errno. */
int cli_draw_report(const struct viz_model *m, FILE *out, void *json);      /* bool * */
int cli_draw_graph(const struct viz_model *m, FILE *out, void *format);     /* enum graph_format * */
int cli_draw_timeline(const struct viz_model *m, FILE *out, void *unused);
int cli_draw_perfetto(const struct viz_model *m, FILE *out, void *unused);

/* The files a recording leaves in its output directory, in the order they
 * are written: the trace (written by the tracer, draw == NULL), then each
 * picture and report drawn from it.  Rendering, ownership and the summary
 * line all go through this one table. */
struct cli_output {
	const char *name;
	int (*draw)(const struct viz_model *m, FILE *out, void *arg);
	void *arg;
	/* Whether this trace gets the output (NULL: always). */
	bool (*wanted)(const struct viz_model *m);
};
/* After a recording, the Perfetto export is JSON up to this many calls,
 * and the protobuf trace beyond, none for a streamed trace (docs/perfetto.md). */
#define CLI_PERFETTO_JSON_MAX_OPS 100000
extern const struct cli_output cli_outputs[];
extern const size_t cli_noutputs;
#define CLI_TRACE_FILE "trace.ipct"

/* Draw every output of M, loaded from the trace file PATH, into the
 * directory DIRFD (named DIR in messages); a streamed M's timeline reads
 * PATH again.  WRITTEN[i] is set for each
 * cli_outputs[i] put in place.  A stop signal
 * (SIGINT, SIGTERM, SIGHUP) ends it: its number goes to *STOPPED, else 0.
 * 0 or 1 (some output failed, said on stderr). */
int cli_render_outputs(int dirfd, const char *dir, const struct viz_model *m, const char *path,
		       bool *written, int *stopped);
/* Print "PREFIX DIR/{a,b,...}" naming the files of the table that are
 * WRITTEN (NULL: all). */
void cli_print_outputs(FILE *out, const char *prefix, const char *dir, const bool *written);

#endif
