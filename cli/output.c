/*
 * output - the files a recording leaves in its output directory (one
 * table, cli_outputs[]) and the drawing of each from the trace: in a child
 * process, into a new file under a temporary name that is renamed into
 * place once it is whole.  A stop signal ends the drawing and leaves the
 * outputs finished so far; nothing half-written stays.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "outdir.h"

static bool json_format = true;
/* The trace file the model was loaded from: a streamed model (a long
 * trace) holds no history, so the timeline reads the file again. */
static const char *source;

static bool small_trace(const struct viz_model *m)
{
	return !m->streamed && m->nops <= CLI_PERFETTO_JSON_MAX_OPS;
}

/* A streamed trace gets none: its protobuf would take ~105 bytes an
 * event (1 GB at 10M events); `trace perfetto --format proto` on request. */
static bool large_trace(const struct viz_model *m)
{
	return !m->streamed && m->nops > CLI_PERFETTO_JSON_MAX_OPS;
}

static int cli_draw_perfetto_pb(const struct viz_model *m, FILE *out, void *unused)
{
	return perfetto_pb_render(m, out);
}
static enum graph_format dot_format = GRAPH_DOT, svg_format = GRAPH_SVG;

const struct cli_output cli_outputs[] = {
	{ CLI_TRACE_FILE, NULL, NULL },
	{ "report.json", cli_draw_report, &json_format },
	{ "graph.dot", cli_draw_graph, &dot_format },
	{ "graph.svg", cli_draw_graph, &svg_format },
	{ "timeline.svg", cli_draw_timeline, NULL },
	{ "perfetto.json", cli_draw_perfetto, NULL, small_trace },
	{ "perfetto.pftrace", cli_draw_perfetto_pb, NULL, large_trace },
};
const size_t cli_noutputs = sizeof(cli_outputs) / sizeof(cli_outputs[0]);

int cli_draw_report(const struct viz_model *m, FILE *out, void *json)
{
	return *(bool *)json ? report_json(m, out) : report_text(m, out);
}

int cli_draw_graph(const struct viz_model *m, FILE *out, void *format)
{
	return graph_render(m, out, *(enum graph_format *)format);
}

int cli_draw_timeline(const struct viz_model *m, FILE *out, void *unused)
{
	return timeline_render_from(m, out, NULL, m->streamed ? source : NULL);
}

int cli_draw_perfetto(const struct viz_model *m, FILE *out, void *unused)
{
	if (m->ntransfers > PERFETTO_MAX_TRANSFERS)
		cli_warning("perfetto: %zu of %zu transfers have no arrow (only the first %d get one); "
			    "narrow the trace with --window or --pid", m->ntransfers - PERFETTO_MAX_TRANSFERS,
			    m->ntransfers, PERFETTO_MAX_TRANSFERS);
	return perfetto_render(m, out);
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Draw O from M into a new file FD in a child process, so that a stop
 * ends the drawing at once whatever it is doing.  0 when it finished,
 * -1 when it failed (the child said why), or the stop signal. */
static int draw_in_child(const struct cli_output *o, const struct viz_model *m, int fd,
			 const char *dir)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_error("cannot fork to draw '%s/%s': %s", dir, o->name, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		FILE *out;
		int err;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		/* test hook: drawing this output takes a minute */
		if (getenv("IPCTRACE_TEST_DRAW_DELAY") &&
		    !strcmp(getenv("IPCTRACE_TEST_DRAW_DELAY"), o->name))
			sleep(60);
		out = fdopen(fd, "w");
		if (!out)
			_exit(1);
		errno = 0;
		err = o->draw(m, out, o->arg);
		/* a write that failed on the way left its errno (ENOSPC...),
		 * which says more than the drawer's -EIO */
		if (err == -EIO && errno && errno != EIO)
			err = -errno;
		if (!err && (fflush(out) || ferror(out)))
			err = errno ? -errno : -EIO;
		if (fclose(out) && !err)
			err = -errno;
		if (err)
			cli_error("cannot write '%s/%s': %s", dir, o->name, strerror(-err));
		_exit(err ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			cli_error("cannot wait for the drawing of '%s': %s", o->name, strerror(errno));
			return -1;
		}
		if (stop_signal)
			kill(pid, SIGKILL);	/* it is ours, and it may not have seen the signal */
	}
	if (stop_signal)
		return stop_signal;
	if (WIFSIGNALED(status)) {
		cli_error("drawing '%s/%s' was killed by signal %d", dir, o->name, WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status) == 0 ? 0 : -1;
}

int cli_render_outputs(int dirfd, const char *dir, const struct viz_model *m, const char *path,
		       bool *written, int *stopped)
{
	static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, saved[3];
	int ret = 0;

	source = path;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: waitpid() returns */
	stop_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &sa, &saved[i]);
	for (size_t i = 0; i < cli_noutputs && !stop_signal; i++) {
		const struct cli_output *o = &cli_outputs[i];
		char tmp[OUTDIR_TMP_LEN];
		int fd, r;

		if (!o->draw || (o->wanted && !o->wanted(m)))
			continue;
		fd = outdir_create_file(dirfd, o->name, tmp);
		if (fd < 0) {
			cli_error("cannot create '%s/%s': %s", dir, o->name, strerror(-fd));
			ret = 1;
			continue;
		}
		r = draw_in_child(o, m, fd, dir);
		close(fd);
		if (r == 0 && (r = outdir_commit_file(dirfd, tmp, o->name))) {
			cli_error("cannot rename '%s/%s' to '%s': %s", dir, tmp, o->name,
				  strerror(-r));
			r = -1;
		}
		if (r) {
			unlinkat(dirfd, tmp, 0);
			ret = 1;
		} else {
			written[i] = true;
		}
	}
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &saved[i], NULL);
	*stopped = stop_signal;
	return ret;
}

void cli_print_outputs(FILE *out, const char *prefix, const char *dir, const bool *written)
{
	int n = 0;

	for (size_t i = 0; i < cli_noutputs; i++)
		n += !written || written[i];
	if (!n) {
		fprintf(out, "%s no file in %s\n", prefix, dir);
		return;
	}
	fprintf(out, "%s %s/%s", prefix, dir, n > 1 ? "{" : "");
	n = 0;
	for (size_t i = 0; i < cli_noutputs; i++)
		if (!written || written[i])
			fprintf(out, "%s%s", n++ ? "," : "", cli_outputs[i].name);
	fputs(n > 1 ? "}\n" : "\n", out);
}
