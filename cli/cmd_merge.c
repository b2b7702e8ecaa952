/*
 * cmd_merge - `trace merge [--host-label FILE=NAME]... -o OUT FILE...`:
 * join several hosts' recordings into one trace (viz/merge.h) and say how
 * each host's clock was aligned.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "viz/merge.h"

/* "5.000012 s" / "31.4 us" for a human; exact ns are in the trace. */
static void format_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns >= 1000000000ull)
		snprintf(buf, size, "%.6f s", ns / 1e9);
	else if (ns >= 1000000ull)
		snprintf(buf, size, "%.3f ms", ns / 1e6);
	else
		snprintf(buf, size, "%.1f us", ns / 1e3);
}

static void print_hosts(const struct merge_result *res, const char *out)
{
	const struct trace_host *ref = &res->hosts[0];

	printf("merged %u hosts, %llu events into '%s'\n", res->nhosts,
	       (unsigned long long)res->events, out);
	printf("  %s: reference clock (%s)\n", ref->name, ref->source);
	for (uint32_t h = 1; h < res->nhosts; h++) {
		const struct trace_host *x = &res->hosts[h];
		uint64_t mag = x->offset_ns < 0 ? -(uint64_t)x->offset_ns : (uint64_t)x->offset_ns;
		char off[32], unc[32];

		format_ns(off, sizeof(off), mag);
		if (x->uncertainty_ns == TRACE_HOST_UNBOUNDED) {
			printf("  %s: clock %s %s %s, by the wall clock%s (%s)\n", x->name, off,
			       x->offset_ns < 0 ? "behind" : "ahead of", ref->name,
			       x->flags ? " and traffic one way only" : " only: no traffic with another host",
			       x->source);
		} else {
			format_ns(unc, sizeof(unc), x->uncertainty_ns);
			printf("  %s: clock %s %s %s, +- %s, from %llu send/receive pairs%s (%s)\n",
			       x->name, off, x->offset_ns < 0 ? "behind" : "ahead of", ref->name, unc,
			       (unsigned long long)x->pairs,
			       x->flags & TRACE_HOST_INCONSISTENT ? ", bounds crossed: clocks drift?" : "",
			       x->source);
		}
		printf("    offset_ns=%lld uncertainty_ns=%lld\n", (long long)x->offset_ns,
		       x->uncertainty_ns == TRACE_HOST_UNBOUNDED ? -1LL : (long long)x->uncertainty_ns);
	}
	printf("  socket ends joined across hosts: %llu tcp, %llu udp; one-sided: %llu tcp, %llu udp\n",
	       (unsigned long long)res->tcp_joined, (unsigned long long)res->udp_joined,
	       (unsigned long long)res->tcp_one_sided, (unsigned long long)res->udp_one_sided);
	if (res->udp_unmatched)
		printf("  %llu datagrams received on a joined pair matched no send of the same length\n",
		       (unsigned long long)res->udp_unmatched);
}

/* FILE=NAME: the label for the input given as FILE. */
static int parse_label(char *arg, const char **file, const char **name)
{
	char *eq = strrchr(arg, '=');

	if (!eq || eq == arg)
		return cli_usage_error("merge", "--host-label wants FILE=NAME, not '%s'", arg);
	*eq = '\0';
	*file = arg;
	*name = eq + 1;
	if (!trace_host_name_valid(*name))
		return cli_usage_error("merge", "bad host label '%s': 1 to %d of A-Z a-z 0-9 . _ -",
				       *name, TRACE_HOST_NAME_LEN - 1);
	return 0;
}

/* A run directory stands for the trace.ipct inside it. */
static char *input_path(const char *arg)
{
	char buf[4096];

	return strdup(cli_trace_path(arg, buf, sizeof(buf)));
}

static bool same_file(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

static int run_merge(struct merge_input *in, size_t n, const char *out)
{
	struct merge_result *res = malloc(sizeof(*res));
	int err;

	if (!res) {
		cli_error("out of memory");
		return 1;
	}
	err = merge_traces(in, n, out, res);
	if (err) {
		const char *what = res->failed_input >= 0 ? in[res->failed_input].path : out;
		if (err == -EMEDIUMTYPE)
			cli_error("'%s' is a merged trace already: merge the hosts' own traces", what);
		else if (err == -ENOENT || err == -EACCES || err == -EISDIR || err == -ENOSPC ||
			 err == -EROFS || err == -ENOTDIR)
			cli_error("cannot %s '%s': %s", res->failed_input >= 0 ? "open" : "write",
				  what, strerror(-err));
		else if (res->failed_input >= 0)
			cli_error("cannot read '%s': %s", what, trace_file_strerror(err));
		else
			cli_error("cannot write '%s': %s", what, strerror(-err));
		if (res->failed_input < 0 || res->events)
			unlink(out);
		free(res);
		return 1;
	}
	if (res->labels_renamed)
		cli_warning("two traces name the same host; labels were made unique (see --host-label)");
	print_hosts(res, out);
	free(res);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write '<stdout>': %s", strerror(errno));
		return 1;
	}
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "host-label", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	const char *label_file[TRACE_HOSTS_MAX], *label_name[TRACE_HOSTS_MAX];
	size_t nlabels = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:l:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			if (nlabels == TRACE_HOSTS_MAX)
				return cli_usage_error("merge", "too many --host-label options");
			if ((rc = parse_label(optarg, &label_file[nlabels], &label_name[nlabels])))
				return rc;
			nlabels++;
			break;
		case 'h':
			cli_usage(stdout, "merge");
			return 0;
		default:
			return cli_usage_error("merge", "bad option");
		}
	}
	size_t n = (size_t)(argc - optind);
	if (!out)
		return cli_usage_error("merge", "no output file: give -o OUT");
	if (n < 1)
		return cli_usage_error("merge", "no trace files to merge");
	if (n > TRACE_HOSTS_MAX)
		return cli_usage_error("merge", "at most %d traces", TRACE_HOSTS_MAX);

	struct merge_input *in = calloc(n, sizeof(*in));
	if (!in) {
		cli_error("out of memory");
		return 1;
	}
	rc = 0;
	for (size_t i = 0; i < n; i++) {
		in[i].path = input_path(argv[optind + i]);
		for (size_t k = 0; k < nlabels; k++)
			if (!strcmp(label_file[k], argv[optind + i]) || same_file(label_file[k], in[i].path))
				in[i].label = label_name[k];
		if (!in[i].path)
			rc = 1;
		else if (same_file(in[i].path, out))
			rc = cli_usage_error("merge", "output '%s' is also an input", out);
	}
	for (size_t k = 0; !rc && k < nlabels; k++) {
		bool used = false;
		for (size_t i = 0; i < n; i++)
			used |= in[i].label == label_name[k];
		if (!used)
			rc = cli_usage_error("merge", "--host-label: '%s' is not one of the inputs",
					     label_file[k]);
	}
	if (!rc)
		rc = run_merge(in, n, out);
	for (size_t i = 0; i < n; i++)
		free((char *)in[i].path);
	free(in);
	return rc;
}
