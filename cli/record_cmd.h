/*
 * record_cmd - what the pieces of `trace record` and `trace stat` share
 * (cli/ only): the command's state, filled by parsing and used by the
 * stages.  record_options.c parses the options and checks the machine,
 * record_outputs.c makes the output directory and its files,
 * record_progress.c draws the status line, cmd_record.c runs and renders,
 * cmd_stat.c prints the counters.
 */
#ifndef IPCTRACE_CLI_RECORD_CMD_H
#define IPCTRACE_CLI_RECORD_CMD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "outdir.h"
#include "tracer/record.h"

#define DEFAULT_BUFFER_MIB 16
#define DEFAULT_PAYLOAD 32
#define DEFAULT_STAT_TOP 30

/* What one `trace record` does, filled by parsing, used by the stages. */
struct record_cmd {
	struct record_options opt;
	const char *outdir;
	bool outdir_given;         /* -o: leading links may be followed */
	char defdir[PATH_MAX], trace_path[PATH_MAX];
	unsigned long buffer_mib;
	bool quiet;
	bool counts;            /* -c: per-process and per-channel time, not the report */
	bool force;             /* --force: replace a non-empty -o DIR */
	const char *run_base;      /* without -o: <cmd> of ipctrace-out/<cmd>-<time> */
	int parentfd;              /* then ipctrace-out, else -1 */
	bool made_parent;          /* ipctrace-out was made by this run */
	bool made_outdir;          /* the output directory was made by this run */
	int argc;               /* the command line as given, for the no-root hint */
	char **argv;
	struct out_user owner;     /* who the outputs are for */
	int dirfd;                 /* the output directory */
	int trace_fd;              /* the trace, kept to read it back */
	char trace_tmp[OUTDIR_TMP_LEN]; /* its name until the recording starts */
	int trace_named;           /* 0 when renamed to CLI_TRACE_FILE, else -errno */
	bool written[16];          /* per cli_outputs[] entry: in place */
	bool stat;                 /* `trace stat`: count, do not record */
	bool json, hist;           /* stat: print JSON / histograms */
	unsigned long top;         /* stat: lines in the table (0: all) */
	const char *name;          /* "record" or "stat", for messages */
};

/* cmd_record.c: `trace record` (STAT false) or `trace stat`: parse, run,
 * render; the exit code. */
int record_main(int argc, char **argv, bool stat);

/* record_options.c: options, environment, output directory name.  -1 to
 * go on, else the exit code. */
int record_parse(struct record_cmd *rc, int argc, char **argv);

/* record_outputs.c: open (making it) the output directory and create the
 * trace in it, as the user the outputs are for.  0 or the exit code. */
int record_open_outputs(struct record_cmd *rc);
/* Remove the trace, if its name still leads to the file we created. */
void record_remove_trace(struct record_cmd *rc);
/* Remove the directories this run made, now empty. */
void record_remove_made_dirs(struct record_cmd *rc);
/* After a recording: --force removes what DIR held before; a new run's
 * directory becomes ipctrace-out/latest. */
void record_finish_outputs(struct record_cmd *rc);

/* record_progress.c: BYTES as "N bytes", "N.N KiB" or "N.N MiB". */
void cli_print_size(FILE *out, uint64_t bytes);
/* The live status line on a terminal (record_options.on_progress). */
void cli_tell_progress(const struct record_progress *p);
/* Erase the status line, if shown. */
void cli_clear_progress(void);
/* Say the command exited and its orphans are followed (on_orphans). */
void cli_tell_orphans(size_t n);

/* cmd_record.c: the line on what was recorded.  STORED: events the trace
 * holds. */
void record_print_recorded(const struct record_cmd *rc, const struct record_result *res,
			   uint64_t stored);

/* cmd_stat.c: set up counting mode; print the final table (or JSON) from
 * the finished recording.  0 or 1. */
void stat_prepare(struct record_cmd *rc);
int stat_report(struct record_cmd *rc, struct record_result *res);

#endif
