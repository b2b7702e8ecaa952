/*
 * usage - the help texts of `trace` and its subcommands, with examples.
 */
#include <string.h>
#include "cli.h"

/* The recording options, shown by `trace --help` and `trace help record`. */
#define RECORD_OPTIONS \
	  "  -o, --output DIR     output directory, empty or new (default: a new\n" \
	  "                       ipctrace-out/<CMD name>-<YYYYmmdd-HHMMSS>, and\n" \
	  "                       ipctrace-out/latest pointing at it)\n" \
	  "      --force          with -o: replace what DIR holds with this run's files\n" \
	  "  -p, --pid PID        attach to a running process (and its new children)\n" \
	  "                       instead of running CMD; Ctrl-C detaches\n" \
	  "  -e, --events KINDS   record only these kinds, comma-separated: pipe, fifo,\n" \
	  "                       file, msgq, shm, sem, signal, unix, tcp, udp, eventfd (default all);\n" \
	  "                       as strace: -e trace=KINDS, and -e '!KINDS' for all others\n" \
	  "  -s, --snaplen N      capture the first N bytes of each message, 0 to %2$d\n" \
	  "                       (default 32; 0 turns payload capture off)\n" \
	  "  -b, --buffer MIB     ring buffer size in MiB, a power of two (default 16)\n" \
	  "      --duration SECS  stop after SECS seconds (e.g. 10 or 2.5): CMD gets\n" \
	  "                       SIGTERM, then SIGKILL 2 s later, as with timeout -k\n" \
	  "      --max-size MIB   keep the trace within MIB MiB; later events are\n" \
	  "                       counted, not stored, and the count is reported\n" \
	  "  -c                   count the calls in the kernel instead of recording\n" \
	  "                       each one, as strace -c: the same as 'stat'\n" \
	  "      --summary        summary: time in IPC calls per process and per channel,\n" \
	  "                       sorted by time, from the recording, instead of the report\n" \
	  "  -q, --quiet          print no summary\n" \
	  "  -v, --verbose        show libbpf's messages (verifier log on failure)\n" \
	  "  -f, --follow-forks   accepted for strace's sake: children are always followed\n" \
	  "  -T, -y               accepted for strace's sake: the time in each call and\n" \
	  "                       what each descriptor is are always recorded\n"

/* The end of a reading command's options: the filters, what FILE is and
 * the examples' heading; FULL_FILTERS_FILE starts with --full. */
#define FILTERS_FILE \
	  "\n" \
	  CLI_FILTER_HELP \
	  "FILE is a trace file or a run's output directory (holding trace.ipct).\n" \
	  "\n" \
	  "Examples:\n"
#define FULL_FILTERS_FILE \
	  "      --full           load every event, however long the trace\n" \
	  FILTERS_FILE

static const struct {
	const char *command;
	const char *text;
} helps[] = {
	{ NULL,
	  "Usage: %1$s [record options] CMD [ARGS...]\n"
	  "       %1$s SUBCOMMAND [options] ...\n"
	  "\n"
	  "Run CMD, follow it and all its descendants, record every IPC operation\n"
	  "with eBPF, and draw who talked to whom.  Recording needs root.\n"
	  "\n"
	  "Subcommands:\n"
	  "  record     run and trace a command (the default)\n"
	  "  stat       run a command and count its IPC calls in the kernel (cheaper)\n"
	  "  report     summary of a trace file, as text or JSON\n"
	  "  graph      process-communication graph (SVG or DOT)\n"
	  "  timeline   one lane per process, arrows from each send to its receive\n"
	  "  perfetto   Chrome trace-event JSON for ui.perfetto.dev\n"
	  "  dump       every event of a trace, one line each\n"
	  "  merge      join several hosts' traces into one (docs/multi-host.md)\n"
	  "  export     write a trace as NDJSON or CSV tables (docs/export.md)\n"
	  "  help       show help for a subcommand\n"
	  "  version    versions of ipctrace, its trace format and libbpf\n"
	  "\n"
	  "Examples:\n"
	  "  sudo %1$s demos/pipe_sum                 # trace, write ipctrace-out/pipe_sum-<time>/\n"
	  "  sudo %1$s -o out demos/pipe_sum -n 100 -p 4\n"
	  "  %1$s report out/trace.ipct               # no root needed from here on\n"
	  "  %1$s report --json out/trace.ipct\n"
	  "  %1$s graph out/trace.ipct -o graph.svg\n"
	  "  %1$s timeline out/trace.ipct -o timeline.svg\n"
	  "  %1$s perfetto out/trace.ipct -o perfetto.json\n"
	  "\n"
	  "Recording options:\n"
	  RECORD_OPTIONS
	  "\n"
	  "See '%1$s help SUBCOMMAND' for the options of the others.\n" },
	{ "record",
	  "Usage: %1$s [record] [options] CMD [ARGS...]\n"
	  "\n"
	  "Run CMD under the BPF probes, follow it and every process it starts, and\n"
	  "record process lifecycle (fork, exec, exit) and every IPC operation:\n"
	  "pipes, FIFOs, files, SysV and POSIX message queues, shared memory,\n"
	  "semaphores, signals, Unix, TCP and UDP sockets, with the time spent in\n"
	  "each call.  When CMD and every process it started have exited, write\n"
	  "into the output directory:\n"
	  "  trace.ipct     the compressed trace (read it with the other subcommands)\n"
	  "  report.json    the JSON report          graph.dot, graph.svg   the graph\n"
	  "  timeline.svg   the timeline        perfetto.json  for ui.perfetto.dev\n"
	  "                 (perfetto.pftrace, the protobuf trace, past 100000 calls)\n"
	  "(past 1000000 events, the report and graph only, drawn in one pass in\n"
	  "bounded memory) and print a summary on stderr.  Exits with CMD's exit\n"
	  "status (128+N when it was killed by signal N).  Ctrl-C stops CMD and\n"
	  "still writes everything; a second Ctrl-C kills it.  Under sudo, CMD runs\n"
	  "as the invoking user (SUDO_UID/SUDO_GID) and the outputs belong to that\n"
	  "user.\n"
	  "\n"
	  "Options:\n"
	  RECORD_OPTIONS
	  "  -h, --help           this help\n"
	  "\n"
	  "Examples:\n"
	  "  sudo %1$s demos/pipe_sum -n 100000000 -p 10\n"
	  "  sudo %1$s -o /tmp/sh sh -c 'echo hi | cat'\n"
	  "  sudo %1$s -e msgq,signal demos/msgq_sum\n"
	  "  sudo %1$s -p 1234 -o /tmp/attach      # until 1234 exits or Ctrl-C\n"
	  "  sudo %1$s record report    # trace a program that is named 'report'\n" },
	{ "stat",
	  "Usage: %1$s stat [options] CMD [ARGS...]\n"
	  "\n"
	  "Run CMD like record, but count the data-moving calls in the kernel\n"
	  "instead of recording each one, as strace -c and perf trace -s do: per\n"
	  "process, object (pipe, FIFO, file, socket, queue, semaphore set, futex,\n"
	  "signal target) and direction, the calls, errors, bytes and time spent in\n"
	  "them, with a log2 histogram of that time.  Process lifecycle, opens and\n"
	  "the creation of pipes and sockets are recorded as usual; the counters are\n"
	  "stored at the end of the trace.  The table goes to stderr, sorted by time.\n"
	  "\n"
	  "Options: those of record (-o, -p, -e, -b, --duration, --max-size, -q, -v), and\n"
	  "      --interval SECS  also print what changed in each interval of SECS\n"
	  "      --json           print JSON on stdout instead of the table (CMD's own\n"
	  "                       stdout goes there too: redirect it inside CMD)\n"
	  "      --hist           a log2 histogram of the time per call under each line\n"
	  "      --top N          the first N lines of the table (default 30; 0: all)\n"
	  "\n"
	  "Examples:\n"
	  "  sudo %1$s stat demos/pipe_sum -n 100000000 -p 10\n"
	  "  sudo %1$s stat --interval 1 -p 1234\n"
	  "  sudo %1$s stat --json sh -c 'make -j4 >/dev/null' | jq '.counters[0]'\n" },
	{ "report",
	  "Usage: %1$s report [--json] [--latency] [--waits] [--critical-path] [--top N]\n"
	  "       [--stream|--full] [FILTERS] FILE|DIR\n"
	  "\n"
	  "Summarize a trace: processes, channels, who sent how much to whom, and\n"
	  "call latencies per channel.  --json prints the machine-readable report\n"
	  "(docs/report-json.md), which always holds the hot-path fields too.\n"
	  "The hot-path options print those sections instead of the summary\n"
	  "(docs/hot-paths.md).\n"
	  "\n"
	  "Options:\n"
	  "  -j, --json           JSON instead of text\n"
	  "  -o, --output FILE    write to FILE instead of stdout\n"
	  "      --latency        delivery latency per channel (log2 histogram) and flow\n"
	  "      --waits          time each process was blocked, by channel and peer\n"
	  "      --critical-path  the running and waiting that decided the end time\n"
	  "      --top N          the N channels with the most bytes, messages, time\n"
	  "                       blocked and p99 latency\n"
	  "      --stream         match byte streams while reading, in bounded memory\n"
	  "                       (the default past 1M events; no --critical-path or\n"
	  "                       --top then: docs/report-json.md)\n"
	  FULL_FILTERS_FILE
	  "  %1$s report ipctrace-out/latest\n"
	  "  %1$s report --json ipctrace-out/latest | jq '.flows'\n"
	  "  %1$s report --waits --critical-path ipctrace-out/latest\n" },
	{ "graph",
	  "Usage: %1$s graph [--format svg|dot] [-o OUT] [--stream|--full] [FILTERS]\n"
	  "       FILE|DIR\n"
	  "\n"
	  "Draw the process-communication graph with Graphviz: processes and IPC\n"
	  "objects are nodes, the fork tree is dashed, and each edge carries the\n"
	  "messages and bytes that went through it.\n"
	  "\n"
	  "Options:\n"
	  "  -f, --format FMT     svg (default) or dot\n"
	  "  -o, --output OUT     write to OUT instead of stdout\n"
	  "      --stream         match byte streams while reading, in bounded memory\n"
	  "                       (the default past 1M events; the same graph)\n"
	  FULL_FILTERS_FILE
	  "  %1$s graph trace.ipct -o graph.svg\n"
	  "  %1$s graph --format dot trace.ipct | dot -Tpng > graph.png\n" },
	{ "timeline",
	  "Usage: %1$s timeline [-o OUT] [--critical-path] [--depth] [--stream|--full]\n"
	  "       [FILTERS] FILE|DIR\n"
	  "\n"
	  "Draw an SVG timeline: one lane per process, fork and exit marks, the\n"
	  "time spent in each call, and an arrow from each write to the read(s)\n"
	  "that consumed its bytes.\n"
	  "\n"
	  "Options:\n"
	  "  -o, --output OUT     write to OUT instead of stdout\n"
	  "      --critical-path  highlight the critical path (docs/hot-paths.md);\n"
	  "                       loads every event\n"
	  "      --depth          under the lanes, a strip for each of the 8 busiest\n"
	  "                       channels: its depth (sent, not yet received) and\n"
	  "                       what was sent per few pixels of time; loads every\n"
	  "                       event\n"
	  "      --stream         sum byte streams' calls and transfers per pixel\n"
	  "                       column, in bounded memory (the default past 1M\n"
	  "                       events; docs/pictures.md)\n"
	  FULL_FILTERS_FILE
	  "  %1$s timeline trace.ipct -o timeline.svg\n"
	  "  %1$s timeline --depth --kind pipe ipctrace-out/latest -o depth.svg\n" },
	{ "perfetto",
	  "Usage: %1$s perfetto [--format json|proto] [-o OUT] [--stream|--full]\n"
	  "       [FILTERS] FILE|DIR\n"
	  "\n"
	  "Write the trace as Chrome trace-event JSON: one track per process and\n"
	  "thread, a slice per call, and a flow arrow from each send to the\n"
	  "receive that consumed its bytes.  Open it in ui.perfetto.dev (Open\n"
	  "trace file) or chrome://tracing.  See docs/perfetto.md.\n"
	  "\n"
	  "Options:\n"
	  "  -f, --format FMT     json (default) or proto: Perfetto's native\n"
	  "                       protobuf trace, about half the size, no cap\n"
	  "  -o, --output OUT     write to OUT instead of stdout\n"
	  "      --stream         proto: write it in two passes over the file, in\n"
	  "                       bounded memory (the default past 1M events;\n"
	  "                       JSON past 1M events needs --full)\n"
	  FULL_FILTERS_FILE
	  "  %1$s perfetto trace.ipct -o perfetto.json\n"
	  "  %1$s perfetto --format proto trace.ipct -o trace.pftrace\n" },
	{ "dump",
	  "Usage: %1$s dump [--json] [FILTERS] FILE|DIR\n"
	  "\n"
	  "Print every event of a trace in file order, one line each, as strace\n"
	  "does: time since the start, pid/tid, the call with its decoded flags,\n"
	  "descriptors named by what they are (3<pipe:[45991]>, 4</tmp/f>), the\n"
	  "result with its errno name (-1 EPIPE (Broken pipe)) and the time in the\n"
	  "call; signals as --- SIGUSR1 {...} ---, ends as +++ killed by SIGPIPE +++.\n"
	  "Only what the trace holds is shown: a call's other arguments are not.\n"
	  "\n"
	  "Options:\n"
	  "  -j, --json           one JSON object per line: time, pid, tid, event,\n"
	  "                       name, args, ret, errno, duration_ns\n"
	  FILTERS_FILE
	  "  %1$s dump ipctrace-out/latest | grep EPIPE\n"
	  "  %1$s dump --json --kind pipe ipctrace-out/latest | jq -c 'select(.errno)'\n" },
	{ "merge",
	  "Usage: %1$s merge [--host-label FILE=NAME]... -o OUT FILE...\n"
	  "\n"
	  "Join traces recorded on several hosts into one trace that every other\n"
	  "subcommand reads.  Processes become HOST:PID; a TCP connection or UDP\n"
	  "traffic recorded on both ends becomes one channel, matched byte by byte\n"
	  "(datagrams in order, by length).  Clocks are aligned by each trace's\n"
	  "wall-clock start, then by that traffic: nothing is received before it\n"
	  "was sent.  Prints each host's clock offset and its uncertainty.  A FILE\n"
	  "may be a run directory (its trace.ipct).  See docs/multi-host.md.\n"
	  "\n"
	  "Options:\n"
	  "  -o, --output OUT         the merged trace (required)\n"
	  "  -l, --host-label FILE=NAME  call FILE's host NAME (default: the host\n"
	  "                           name in its header)\n"
	  "\n"
	  "Example:\n"
	  "  %1$s merge --host-label web.ipct=web1 web.ipct db.ipct -o all.ipct\n" },
	{ "export",
	  "Usage: %1$s export [--format ndjson|csv] [--stream|--full] [FILTERS] -o DIR\n"
	  "       FILE|DIR\n"
	  "\n"
	  "Write the model of a trace as tables, one file per table in DIR:\n"
	  "processes, channels, operations, transfers and flows, each row with a\n"
	  "host column, for DuckDB, ClickHouse and friends (docs/export.md).\n"
	  "\n"
	  "Options:\n"
	  "  -f, --format FMT     ndjson (default) or csv\n"
	  "  -o, --output DIR     directory to write (created if missing)\n"
	  "      --stream         write while reading, in bounded memory (the default\n"
	  "                       past 1M events; ops numbered in another order)\n"
	  "      --full           load every event, however long the trace\n"
	  CLI_FILTER_HELP
	  "\n"
	  "Example:\n"
	  "  %1$s export --format csv -o tables all.ipct\n" },
	{ "help",
	  "Usage: %1$s help [SUBCOMMAND]\n" },
	{ "version",
	  "Usage: %1$s version\n"
	  "\n"
	  "Print the versions of ipctrace, of the trace format it writes and\n"
	  "reads, and of libbpf (the one loaded, and the one it was built with).\n"
	  "'%1$s --version' does the same.\n" },
};

void cli_usage(FILE *out, const char *command)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if ((command == NULL) != (helps[i].command == NULL))
			continue;
		if (command && strcmp(command, helps[i].command))
			continue;
		fprintf(out, helps[i].text, cli_name, IPCT_PAYLOAD_MAX);
		return;
	}
	fprintf(out, helps[0].text, cli_name, IPCT_PAYLOAD_MAX);
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stdout, NULL);
		return 0;
	}
	for (size_t i = 1; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if (!strcmp(argv[1], helps[i].command)) {
			cli_usage(stdout, argv[1]);
			return 0;
		}
	}
	if (cli_similar_subcommand(argv[1]))
		return cli_usage_error(NULL, "no such subcommand: '%s'; did you mean '%s'?", argv[1],
				       cli_similar_subcommand(argv[1]));
	return cli_usage_error(NULL, "no such subcommand: '%s'", argv[1]);
}
