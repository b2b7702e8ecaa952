/*
 * cmd_record - `trace [record] [options] CMD [ARGS...]`: check the machine,
 * record CMD with tracer/record.c, draw the outputs, print the summary and
 * exit with CMD's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "record_cmd.h"

static int exit_code_of(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return 1;
}

/* Run: open the outputs, record, say what failed.  -1 to go on to
 * rendering, else the exit code. */
static int record_execute(struct record_cmd *rc, struct record_result *res)
{
	char err[RECORD_ERR_LEN];
	int ret;

	if ((ret = record_open_outputs(rc)))
		return ret;
	ret = record_run(&rc->opt, res, err);
	cli_clear_progress();
	if (rc->trace_named) {
		/* never got its name: the recording did not start */
		unlinkat(rc->dirfd, rc->trace_tmp, 0);
		if (!ret) {
			cli_error("cannot rename '%s/%s' to '%s': %s", rc->outdir, rc->trace_tmp,
				  CLI_TRACE_FILE, strerror(-rc->trace_named));
			return 1;
		}
	}
	if (ret) {
		cli_error("%s", err);
		/* nothing ran: leave no empty trace, nor its directories */
		record_remove_trace(rc);
		record_remove_made_dirs(rc);
		return res->exec_failed ? 127 : 1;	/* 127: as a shell says "not found" */
	}
	if (res->write_error)
		cli_error("cannot write '%s': %s; the trace stops at its last whole chunk",
			  rc->trace_path, strerror(-res->write_error));
	return -1;
}

void record_print_recorded(const struct record_cmd *rc, const struct record_result *res,
			   uint64_t stored)
{
	struct stat st;
	uint64_t bytes = 0;

	if (fstat(rc->trace_fd, &st) == 0)
		bytes = st.st_size;
	if (!res->write_error)
		fprintf(stderr, "\nipctrace: recorded %llu events in %.3f s, %llu lost; trace ",
			(unsigned long long)stored, res->duration_ns / 1e9,
			(unsigned long long)res->lost);
	else
		fprintf(stderr, "\nipctrace: recorded %llu of %llu events in %.3f s (the others "
			"could not be written), %llu lost; trace ", (unsigned long long)stored,
			(unsigned long long)(res->events_seen - res->unrecorded), res->duration_ns / 1e9,
			(unsigned long long)res->lost);
	cli_print_size(stderr, bytes);
	if (stored)
		fprintf(stderr, " (%.1f bytes/event)", (double)bytes / stored);
	fputc('\n', stderr);
}

/* The trace file written, whatever was done to its name since. */
static const char *trace_source(const struct record_cmd *rc, char *path, size_t size)
{
	snprintf(path, size, "/proc/self/fd/%d", rc->trace_fd);
	return path;
}

/* Read the trace back from the file written. */
static int load_trace(const struct record_cmd *rc, struct viz_model *m)
{
	char path[64];
	int err;

	trace_source(rc, path, sizeof(path));
	/* a long trace is streamed (bounded memory); --summary needs the calls */
	err = viz_model_load_with(m, path, rc->counts ? VIZ_LOAD_FULL : 0);
	if (err) {
		cli_error("cannot read '%s': %s", rc->trace_path, trace_file_strerror(err));
		return 1;
	}
	if (m->truncated)
		cli_warning("'%s' was cut short; showing what it holds up to the cut", rc->trace_path);
	return 0;
}

/* Render: as the user, read the trace back, draw every output, tell what
 * was written.  0, 1, or 128+N when signal N stopped the drawing. */
static int record_render(struct record_cmd *rc, const struct record_result *res)
{
	struct viz_model m;
	uint64_t stored = 0;
	int ret, stopped = 0;
	bool loaded;

	ret = out_user_drop(&rc->owner);
	if (ret) {
		cli_error("cannot become user %u: %s", (unsigned)rc->owner.uid, strerror(-ret));
		return 1;
	}
	loaded = load_trace(rc, &m) == 0;
	if (loaded)
		stored = m.events;
	if (!rc->quiet)
		record_print_recorded(rc, res, loaded ? stored : 0);
	if (res->timed_out && !rc->quiet)
		fprintf(stderr, "ipctrace: --duration reached: the recording stopped after %.3f s\n",
			rc->opt.duration_ns / 1e9);
	if (res->unrecorded)
		cli_warning("--max-size reached: %llu later events were counted but not recorded",
			    (unsigned long long)res->unrecorded);
	if (res->lost)
		cli_warning("%llu events were lost because the ring buffer was full; "
			    "enlarge it with -b (now %lu MiB)", (unsigned long long)res->lost,
			    rc->buffer_mib);
	if (res->lost && loaded && m.has_stats && m.stats.lost[IPCT_KIND_SHM])
		cli_warning("%llu of them are shm events: first touches of shared pages past the %u "
			    "the tracer remembers count as lost too (docs/tracing.md)",
			    (unsigned long long)m.stats.lost[IPCT_KIND_SHM], IPCT_TOUCH_SEEN_MAX);
	if (!loaded) {
		struct stat st;

		/* a trace that holds nothing at all is not left behind */
		if (fstat(rc->trace_fd, &st) == 0 && st.st_size == 0) {
			record_remove_trace(rc);
			record_remove_made_dirs(rc);
		}
		ret = 1;
	} else {
		char path[64];

		ret = cli_render_outputs(rc->dirfd, rc->outdir, &m,
					 trace_source(rc, path, sizeof(path)), rc->written, &stopped);
		if (!rc->quiet && !stopped && m.streamed)
			fprintf(stderr, "ipctrace: %llu events: report, graph and timeline drawn "
				"from the stream; for a Perfetto trace run "
				"`trace perfetto --format proto` on the trace\n",
				(unsigned long long)m.events);
		if (!rc->quiet && !stopped) {
			(rc->counts ? report_counts : report_text)(&m, stderr);
			fflush(stderr);
		}
		viz_model_release(&m);
	}
	if (stopped)
		cli_print_outputs(stderr, "ipctrace: stopped while drawing; kept", rc->outdir,
				  rc->written);
	else if (!rc->quiet)
		cli_print_outputs(stderr, "ipctrace: wrote", rc->outdir, rc->written);
	return stopped ? 128 + stopped : ret;
}

int record_main(int argc, char **argv, bool stat)
{
	struct record_cmd rc = { .dirfd = -1, .trace_fd = -1, .parentfd = -1, .stat = stat,
				 .name = stat ? "stat" : "record", .top = DEFAULT_STAT_TOP };
	struct record_result res;
	int ret;

	if ((ret = record_parse(&rc, argc, argv)) < 0) {
		stat = rc.stat;		/* -c chose it too */
		if (stat)
			stat_prepare(&rc);
		if ((ret = record_execute(&rc, &res)) < 0) {
			ret = stat ? stat_report(&rc, &res) : record_render(&rc, &res);
			if (rc.written[0])
				record_finish_outputs(&rc);
			if (ret == 0 && res.write_error)
				ret = 1;
			else if (ret == 0)
				/* -p: we did not start it; its status is in the report */
				ret = rc.opt.attach_pid ? 0 : exit_code_of(res.wait_status);
		}
	}
	if (rc.trace_fd >= 0)
		close(rc.trace_fd);
	if (rc.dirfd >= 0)
		close(rc.dirfd);
	if (rc.parentfd >= 0)
		close(rc.parentfd);
	return ret;
}

int cmd_record(int argc, char **argv)
{
	return record_main(argc, argv, false);
}
