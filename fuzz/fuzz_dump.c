/*
 * fuzz_dump - libFuzzer entry point over `trace dump`, the command itself.
 *
 * The tool's own main() is built renamed (-Dmain=trace_main, see the
 * Makefile), and each input is handed to `trace dump` as a file: the bytes
 * after the first go into a memfd, named by its /proc/self/fd path, and
 * the first byte picks the options (none, or a filter, which makes dump
 * build the model too).  stdout and stderr are pointed at /dev/null while
 * the command runs, so the formatter does all its work unseen.  Build and
 * run: `make fuzz` (see the Makefile; seeds in fuzz/corpus/).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int trace_main(int argc, char **argv);

static FILE *devnull;
static int memfd = -1;
static char path[64];

static int run_dump(const uint8_t *data, size_t size, const char *const *opts)
{
	char *argv[8] = { "trace", "dump" };
	int argc = 2;
	FILE *out = stdout, *err = stderr;
	int rc;

	if (ftruncate(memfd, 0) || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		__builtin_trap();
	for (int i = 0; i < 3 && opts[i]; i++)
		argv[argc++] = (char *)opts[i];
	argv[argc++] = path;
	optind = 0;		/* a fresh getopt scan for every run */
	stdout = stderr = devnull;
	rc = trace_main(argc, argv);
	stdout = out;
	stderr = err;
	clearerr(devnull);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const opts[][3] = {
		{ NULL },
		{ "--pid", "100" },
		{ "--pid", "100", "--children" },
		{ "--kind", "pipe,unix,tcp,msgq,sem,shm,signal" },
		{ "--comm", "AAAA" },
		{ "--window", "1us,1s" },
		{ "--channel", "pipe:0:0" },
	};
	unsigned int pick;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		__builtin_trap();
	if (memfd < 0) {
		memfd = memfd_create("fuzz_dump", MFD_CLOEXEC);
		if (memfd < 0)
			__builtin_trap();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (!size)
		return 0;
	pick = data[0] % (sizeof(opts) / sizeof(opts[0]));
	run_dump(data + 1, size - 1, opts[pick]);
	return 0;
}
