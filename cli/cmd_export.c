/*
 * cmd_export - `trace export [--format ndjson|csv] -o DIR FILE`: the
 * model of a trace as one file per table (viz/export.h, docs/export.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "viz/export.h"

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum export_format format = EXPORT_NDJSON;
	const char *dir = NULL, *failed = NULL;
	struct viz_model m;
	int c, dirfd, err;

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
		case 'h':
			cli_usage(stdout, "export");
			return 0;
		default:
			return cli_usage_error("export", "bad option");
		}
	}
	if (!dir)
		return cli_usage_error("export", "no output directory: give -o DIR");
	if (argc - optind != 1)
		return cli_usage_error("export", argc - optind ? "one trace file at a time" :
				       "no trace file given");
	if (mkdir(dir, 0755) && errno != EEXIST) {
		cli_error("cannot create '%s': %s", dir, strerror(errno));
		return 1;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		cli_error("cannot open '%s': %s", dir, strerror(errno));
		return 1;
	}
	if (cli_load_model(&m, argv[optind])) {
		close(dirfd);
		return 1;
	}
	err = export_tables(&m, dirfd, format, &failed);
	if (err)
		cli_error("cannot write '%s/%s': %s", dir, failed ? failed : "?", strerror(-err));
	viz_model_release(&m);
	close(dirfd);
	return err ? 1 : 0;
}
