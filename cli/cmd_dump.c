/*
 * cmd_dump - `trace dump FILE`: every event of a trace as one text line,
 * in file order, as perf script does.  Strings from the traced system are
 * printed with non-printable bytes as \xNN.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/socket.h>
#include "cli.h"

/* A kind as the dump names it: "-" for none, "?" past the known ones. */
static const char *kind_name(unsigned int k)
{
	return k == IPCT_KIND_NONE ? "-" : k < IPCT_KIND_MAX ? viz_kind_name(k) : "?";
}

/* NAMES[V], or "?" for a value past the table. */
static const char *name_in(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "?";
}
#define NAME_IN(names, v) name_in(names, ARRAY_SIZE(names), v)

/* Print LEN bytes of S, safe for a terminal. */
static void put_safe(FILE *out, const void *s, size_t len)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			fputc(p[i], out);
		else
			fprintf(out, "\\x%02x", p[i]);
	}
}

static void put_str(FILE *out, const char *s, size_t max)
{
	put_safe(out, s, strnlen(s, max));
}

static void put_inet(FILE *out, const struct ipct_inet_addr *a)
{
	if (a->family == AF_INET)
		fprintf(out, "%u.%u.%u.%u:%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3], a->port);
	else if (a->family == AF_INET6) {
		fputc('[', out);
		for (size_t i = 0; i < sizeof(a->addr); i += 2)
			fprintf(out, "%s%x", i ? ":" : "", a->addr[i] << 8 | a->addr[i + 1]);
		fprintf(out, "]:%u", a->port);
	} else
		fputc('-', out);
}

static void put_payload(FILE *out, const struct ipct_event_header *h, size_t base, uint32_t len)
{
	if (!len || base + len > h->size)
		return;
	fputs(" data=\"", out);
	put_safe(out, (const char *)h + base, len);
	fputc('"', out);
}

static void dump_event(FILE *out, const struct ipct_event_header *h, uint64_t t0)
{
	fprintf(out, "%12.6f %6u/%-6u ", (h->ts_ns > t0 ? h->ts_ns - t0 : 0) / 1e9, h->pid, h->tid);
	if (trace_event_check(h)) {	/* the reader refuses these; never read past the end */
		fprintf(out, "type=%u size=%u too short for its type\n", h->type, h->size);
		return;
	}
	switch (h->type) {
	case IPCT_EV_FORK: {
		const struct ipct_fork_event *e = (const void *)h;

		fprintf(out, "fork child=%u/%u%s comm=", e->child_pid, e->child_tid,
			e->flags & IPCT_FORK_THREAD ? " thread" : "");
		put_str(out, e->comm, sizeof(e->comm));
		break;
	}
	case IPCT_EV_EXEC: {
		const struct ipct_exec_event *e = (const void *)h;

		fputs("exec comm=", out);
		put_str(out, e->comm, sizeof(e->comm));
		fputs(" file=", out);
		put_str(out, e->filename, sizeof(e->filename));
		break;
	}
	case IPCT_EV_EXIT: {
		const struct ipct_exit_event *e = (const void *)h;

		fprintf(out, "exit status=0x%x%s", e->exit_code,
			e->flags & IPCT_EXIT_GROUP_DEAD ? " process" : " thread");
		break;
	}
	case IPCT_EV_PIPE: {
		const struct ipct_pipe_event *e = (const void *)h;

		fprintf(out, "pipe ret=%d fds=%d,%d obj=%u:%llu", e->ret, e->read_fd, e->write_fd, e->dev,
			(unsigned long long)e->ino);
		break;
	}
	case IPCT_EV_IO: {
		const struct ipct_io_event *e = (const void *)h;

		fprintf(out, "%s %s nr=%u fd=%d ret=%lld req=%llu obj=%u:%llu dur=%lluns",
			e->dir == IPCT_DIR_SEND ? "send" : "recv", kind_name(e->kind), e->syscall, e->fd,
			(long long)e->ret, (unsigned long long)e->requested, e->dev,
			(unsigned long long)e->ino, (unsigned long long)e->duration_ns);
		if (e->kind == IPCT_KIND_FILE)
			fprintf(out, " off=%llu", (unsigned long long)e->offset);
		if (e->kind == IPCT_KIND_UNIX)
			fprintf(out, " peer=%llu type=%u", (unsigned long long)e->peer_ino, e->sock_type);
		if (e->kind == IPCT_KIND_TCP || e->kind == IPCT_KIND_UDP) {
			fputs(" local=", out);
			put_inet(out, &e->local);
			fputs(" remote=", out);
			put_inet(out, &e->remote);
		}
		if (e->flags & IPCT_IO_PEEK)
			fputs(" peek", out);
		put_payload(out, h, sizeof(*e), e->payload_len);
		break;
	}
	case IPCT_EV_OPEN: {
		const struct ipct_open_event *e = (const void *)h;

		fprintf(out, "open %s ret=%lld flags=0%o obj=%u:%llu path=", kind_name(e->kind),
			(long long)e->ret, e->flags, e->dev, (unsigned long long)e->ino);
		put_str(out, e->path, sizeof(e->path));
		break;
	}
	case IPCT_EV_MSG: {
		static const char *const ops[] = { "?", "get", "send", "recv", "ctl", "mq_open", "mq_unlink" };
		const struct ipct_msg_event *e = (const void *)h;

		fprintf(out, "msg %s nr=%u ret=%lld id=%lld key=0x%llx type=%lld rtype=%lld size=%llu "
			"flags=0%o prio=%u obj=%u:%llu", NAME_IN(ops, e->op), e->syscall,
			(long long)e->ret, (long long)e->id, (unsigned long long)e->key, (long long)e->mtype,
			(long long)e->rtype, (unsigned long long)e->size, e->flags, e->prio, e->dev,
			(unsigned long long)e->ino);
		if (e->name[0]) {
			fputs(" name=", out);
			put_str(out, e->name, sizeof(e->name));
		}
		put_payload(out, h, sizeof(*e), e->payload_len);
		break;
	}
	case IPCT_EV_SEM: {
		static const char *const ops[] = { "?", "get", "op", "ctl", "futex_wait", "futex_wake" };
		const struct ipct_sem_event *e = (const void *)h;

		fprintf(out, "sem %s nr=%u ret=%lld id=%lld key=0x%llx nsems=%d cmd=%d dur=%lluns",
			NAME_IN(ops, e->op), e->syscall, (long long)e->ret, (long long)e->id,
			(unsigned long long)e->key, e->nsems, e->cmd, (unsigned long long)e->duration_ns);
		for (uint32_t i = 0; i < e->nsops && i < IPCT_SEMOPS_MAX; i++)
			fprintf(out, " [%u %+d 0%o]", e->ops[i].num, e->ops[i].op, (unsigned)(uint16_t)e->ops[i].flags);
		break;
	}
	case IPCT_EV_SHM: {
		static const char *const ops[] = { "?", "get", "at", "dt", "ctl", "mmap", "munmap" };
		const struct ipct_shm_event *e = (const void *)h;

		fprintf(out, "shm %s nr=%u ret=%lld id=%lld key=0x%llx size=%llu addr=0x%llx obj=%u:%llu",
			NAME_IN(ops, e->op), e->syscall, (long long)e->ret, (long long)e->id,
			(unsigned long long)e->key, (unsigned long long)e->size, (unsigned long long)e->addr,
			e->dev, (unsigned long long)e->ino);
		break;
	}
	case IPCT_EV_SIGNAL: {
		static const char *const ops[] = { "?", "send", "generate", "deliver" };
		static const char *const acts[] = { "default", "ignore", "handler", "waited" };
		const struct ipct_signal_event *e = (const void *)h;

		fprintf(out, "signal %s sig=%u target=%u/%u ret=%lld code=%d sender=%u value=%llu",
			NAME_IN(ops, e->op), e->sig, e->target_pid, e->target_tid,
			(long long)e->ret, e->code, e->sender_pid, (unsigned long long)e->value);
		if (e->op == IPCT_SIG_DELIVER)
			fprintf(out, " action=%s", NAME_IN(acts, e->action));
		break;
	}
	case IPCT_EV_SOCK: {
		static const char *const ops[] = { "?", "socket", "socketpair", "bind", "listen", "connect",
						   "accept", "shutdown", "close" };
		const struct ipct_sock_event *e = (const void *)h;

		fprintf(out, "sock %s %s ret=%lld fd=%d fd2=%d obj=%u:%llu peer=%llu type=%u",
			NAME_IN(ops, e->op), kind_name(e->kind), (long long)e->ret, e->fd, e->fd2,
			e->dev, (unsigned long long)e->ino, (unsigned long long)e->peer_ino, e->sock_type);
		if (e->kind == IPCT_KIND_TCP || e->kind == IPCT_KIND_UDP) {
			fputs(" local=", out);
			put_inet(out, &e->local);
			fputs(" remote=", out);
			put_inet(out, &e->remote);
		}
		if (e->path_len) {
			fputs(" path=", out);
			put_safe(out, e->path, e->path_len < sizeof(e->path) ? e->path_len : sizeof(e->path));
		}
		break;
	}
	default:
		fprintf(out, "type=%u size=%u", h->type, h->size);
	}
	fputc('\n', out);
}

/* Parse dump's options into *F and *FILE: 0, -1 after --help, or an exit code. */
static int parse_dump_args(int argc, char **argv, struct viz_filter *f, const char **file)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		CLI_FILTER_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			cli_usage(stdout, "dump");
			return -1;
		}
		if (c == ':')
			return cli_usage_error("dump", "option '%s' needs a value", argv[optind - 1]);
		ret = cli_filter_option(f, "dump", c, optarg);
		if (ret < 0)
			return cli_usage_error("dump", "unknown option '%s'", argv[optind - 1]);
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return cli_usage_error("dump", "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error("dump", "one trace file at a time (extra: '%s')", argv[optind + 1]);
	*file = argv[optind];
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct trace_reader *r;
	const struct ipct_event_header *h;
	struct viz_filter filter;
	struct viz_model m = { 0 };
	const char *file = NULL;
	char buf[4096];
	bool filtered;
	int err;

	viz_filter_init(&filter);
	err = parse_dump_args(argc, argv, &filter, &file);
	if (err) {
		viz_filter_release(&filter);
		return err < 0 ? 0 : err;
	}
	file = cli_trace_path(file, buf, sizeof(buf));
	/* The filter needs the process tree and the channels: the model of
	 * the same file, cut by the filter, decides event by event. */
	filtered = viz_filter_active(&filter);
	if (filtered && cli_load_model(&m, file, &filter)) {
		viz_filter_release(&filter);
		return 1;
	}
	err = trace_reader_open(&r, file);
	if (err) {
		if (err == -ENOENT || err == -EACCES || err == -EISDIR)
			cli_error("cannot open '%s': %s", file, strerror(-err));
		else
			cli_error("cannot read '%s': %s", file, trace_file_strerror(err));
		viz_model_release(&m);
		viz_filter_release(&filter);
		return 1;
	}
	while ((err = trace_reader_next(r, &h)) == 1)
		if (!filtered || viz_filter_event(&filter, &m, h))
			dump_event(stdout, h, trace_reader_meta(r)->start_monotonic_ns);
	if (err < 0)
		cli_error("cannot read '%s': %s", file, trace_file_strerror(err));
	if (trace_reader_truncated(r))
		cli_warning("'%s' was cut short; shown up to the cut", file);
	trace_reader_free(r);
	viz_model_release(&m);
	viz_filter_release(&filter);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write to stdout: %s", strerror(errno));
		return 1;
	}
	return err < 0;
}
