/*
 * cmd_export - `trace export [--format ndjson|csv] [FILTERS] -o DIR FILE`:
 * the model of a trace as one file per table (viz/export.h,
 * docs/export.md).  FILE may be a run directory; the filters of the other
 * reading commands choose what is exported.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "viz/export.h"

/* mkdir -p DIR: 0, or -1 with errno set. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* Make (mkdir -p) and open the output directory DIR: its fd, or -1 after
 * saying why. */
static int open_output_dir(const char *dir)
{
	int fd;

	if (make_dirs(dir)) {
		cli_error("cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		cli_error("cannot open '%s': %s", dir, strerror(errno));
	return fd;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		CLI_READ_LONGOPTS,
	};
	struct viz_filter filter;
	enum export_format format = EXPORT_NDJSON;
	const char *dir = NULL, *failed = NULL;
	struct viz_model m;
	unsigned load = 0;
	bool streamed;
	int c, dirfd, err;

	viz_filter_init(&filter);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "ndjson"))
				format = EXPORT_NDJSON;
			else if (!strcmp(optarg, "csv"))
				format = EXPORT_CSV;
			else
				return cli_usage_error("export", "unknown format '%s' (ndjson or csv)", optarg);
			break;
		case 'o':
			dir = optarg;
			break;
		case 'S':
		case 'F':
			load = c == 'S' ? VIZ_LOAD_STREAM : VIZ_LOAD_FULL;
			break;
		case 'h':
			cli_usage(stdout, "export");
			return 0;
		default:
			if ((err = cli_filter_option(&filter, "export", c, optarg)) >= 0) {
				if (err)
					return err;
				break;
			}
			return cli_usage_error("export", "bad option");
		}
	}
	if (!dir)
		return cli_usage_error("export", "no output directory: give -o DIR");
	if (argc - optind != 1)
		return cli_usage_error("export", argc - optind ? "one trace file at a time" :
				       "no trace file given");
	/* a long trace is written as it is read (a filter needs it whole) */
	streamed = !viz_filter_active(&filter) && cli_wants_stream(argv[optind], load);
	memset(&m, 0, sizeof(m));
	if (!streamed && cli_load_model(&m, argv[optind], &filter))
		return 1;
	dirfd = open_output_dir(dir);
	if (dirfd < 0) {
		viz_model_release(&m);
		return 1;
	}
	if (streamed) {
		char buf[4096];
		err = export_tables_file(cli_trace_path(argv[optind], buf, sizeof(buf)), dirfd,
					 format, &failed);
	} else {
		err = export_tables(&m, dirfd, format, &failed);
	}
	if (err)
		cli_error("cannot write '%s/%s': %s", dir, failed ? failed : "?", strerror(-err));
	viz_model_release(&m);
	close(dirfd);
	return err ? 1 : 0;
}
