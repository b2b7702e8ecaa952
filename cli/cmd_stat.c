/*
 * cmd_stat - `trace stat [options] CMD [ARGS...]` (and `trace -c`): count
 * the calls in the kernel instead of recording each; print the table (or
 * JSON) at the end and, with --interval, what changed every so often.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "record_cmd.h"
#include "stat_print.h"

/* --interval: what changed since the last table. */
static struct {
	struct record_stat *prev;
	size_t nprev;
	bool json;
	size_t top;
} interval;

static void tell_interval(const struct record_stat *st, size_t n, uint64_t elapsed_ns)
{
	struct record_stat *now = malloc((n ? n : 1) * sizeof(*now));
	struct record_stat *delta = malloc((n ? n : 1) * sizeof(*delta));
	size_t nd;

	if (!now || !delta) {
		free(now);
		free(delta);
		return;
	}
	memcpy(now, st, n * sizeof(*now));
	stat_sort_by_key(now, n);
	nd = stat_delta(now, n, interval.prev, interval.nprev, delta);
	stat_sort(delta, nd);
	cli_clear_progress();
	if (interval.json) {
		stat_print_json(stdout, delta, nd, NULL, elapsed_ns);
		fflush(stdout);
	} else {
		fprintf(stderr, "\n--- %.1f s ---\n", elapsed_ns / 1e9);
		stat_print_table(stderr, delta, nd, NULL, false, interval.top);
	}
	free(delta);
	free(interval.prev);
	interval.prev = now;
	interval.nprev = n;
}

int stat_report(struct record_cmd *rc, struct record_result *res)
{
	struct stat_names names;
	int ret = out_user_drop(&rc->owner);

	if (ret) {
		cli_error("cannot become user %u: %s", (unsigned)rc->owner.uid, strerror(-ret));
		free(res->stats);
		return 1;
	}
	if (!rc->quiet)
		record_print_recorded(rc, res, res->events);
	if (res->lost)
		cli_warning("%llu events were lost because the ring buffer was full; "
			    "enlarge it with -b (now %lu MiB)", (unsigned long long)res->lost,
			    rc->buffer_mib);
	stat_names_load(&names, rc->trace_path);
	stat_sort(res->stats, res->nstats);
	if (rc->json) {
		stat_print_json(stdout, res->stats, res->nstats, &names, res->duration_ns);
	} else {
		fprintf(stderr, "\nipctrace stat: %zu counters in %.3f s (calls counted in the "
			"kernel, not recorded)\n", res->nstats, res->duration_ns / 1e9);
		stat_print_table(stderr, res->stats, res->nstats, &names, rc->hist, rc->top);
	}
	stat_names_release(&names);
	free(res->stats);
	free(interval.prev);
	if (!rc->quiet)
		fprintf(stderr, "ipctrace: wrote %s\n", rc->trace_path);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the table: %s", strerror(errno));
		return 1;
	}
	return 0;
}

void stat_prepare(struct record_cmd *rc)
{
	rc->opt.stat_mode = true;
	rc->opt.on_stats = tell_interval;
	interval.json = rc->json;
	interval.top = rc->top;
}

int cmd_stat(int argc, char **argv)
{
	return record_main(argc, argv, true);
}
