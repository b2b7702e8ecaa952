/*
 * dump_events - each trace record as a dump_line: the call strace would
 * print, its decoded flags, the descriptors named by what they are, the
 * result with its errno name, and the time spent in the call.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "dump.h"
#include "stat_print.h"
#include "lib/syscall_names.h"
#include "viz/decode.h"

#define IOV_CALL(nr) ((nr) == 19 || (nr) == 20)       /* readv, writev */
#define POS_CALL(nr) ((nr) == 17 || (nr) == 18)       /* pread64, pwrite64 */
#define FLAG_CALL(nr) ((nr) >= 44 && (nr) <= 47)      /* sendto ... recvmsg */

const char *dump_call_name(unsigned int nr, const char *fallback, char *buf, size_t size)
{
	const char *name = ipct_syscall_name(nr);

	if (name)
		return name;
	if (fallback)
		return fallback;
	snprintf(buf, size, "syscall_%u", nr);
	return buf;
}

/* "1.2.3.4:80" or "[::1]:80" into BUF. */
static void inet_text(char *buf, size_t size, const struct ipct_inet_addr *a)
{
	if (a->family == 2) {
		snprintf(buf, size, "%u.%u.%u.%u:%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3],
			 a->port);
	} else if (a->family == 10) {
		size_t len = 0;

		len += snprintf(buf + len, size - len, "[");
		for (int i = 0; i < 16 && len < size; i += 2)
			len += snprintf(buf + len, size - len, "%s%x", i ? ":" : "",
					a->addr[i] << 8 | a->addr[i + 1]);
		if (len < size)
			snprintf(buf + len, size - len, "]:%u", a->port);
	} else {
		snprintf(buf, size, "?");
	}
}

const char *dump_object_text(struct dump_state *st, char *buf, size_t size, unsigned int kind,
			       uint32_t dev, uint64_t ino, uint64_t peer, uint32_t sock_type,
			       const struct ipct_inet_addr *local, const struct ipct_inet_addr *remote)
{
	const char *name = dump_names_get(&st->names, dev, ino);
	char l[64], r[64];

	switch (kind) {
	case IPCT_KIND_PIPE:
		snprintf(buf, size, "pipe:[%" PRIu64 "]", ino);
		break;
	case IPCT_KIND_UNIX:
		if (peer)
			snprintf(buf, size, "UNIX-%s:[%" PRIu64 "->%" PRIu64 "]",
				 sock_type == 2 ? "DGRAM" : sock_type == 5 ? "SEQPACKET" : "STREAM", ino, peer);
		else
			snprintf(buf, size, "UNIX-%s:[%" PRIu64 "]",
				 sock_type == 2 ? "DGRAM" : sock_type == 5 ? "SEQPACKET" : "STREAM", ino);
		break;
	case IPCT_KIND_TCP:
	case IPCT_KIND_UDP:
		if (!local) {
			snprintf(buf, size, "%s:[%" PRIu64 "]", kind == IPCT_KIND_TCP ? "TCP" : "UDP", ino);
			break;
		}
		inet_text(l, sizeof(l), local);
		inet_text(r, sizeof(r), remote);
		snprintf(buf, size, "%s%s:[%s%s%s]", kind == IPCT_KIND_TCP ? "TCP" : "UDP",
			 local->family == 10 ? "v6" : "", l, remote->family ? "->" : "",
			 remote->family ? r : "");
		break;
	default:
		if (name)
			snprintf(buf, size, "%s", name);
		else if (kind == IPCT_KIND_NONE || kind >= IPCT_KIND_MAX)
			buf[0] = '\0';
		else
			snprintf(buf, size, "%s:[%u:%" PRIu64 "]", viz_kind_name(kind), dev, ino);
	}
	return buf;
}

/* The line_* functions keep their text buffers static: the line they
 * fill points into them and is printed after they return. */
void dump_line_payload(struct dump_line *line, const struct ipct_event_header *h, size_t base,
			 uint32_t len, int64_t moved)
{
	if (base + len > h->size)
		len = 0;
	if (moved < 0 || (!len && moved > 0))
		dump_arg_word(line, "buf", "?")->text_only = true;	/* not captured */
	else
		dump_arg_bytes(line, "buf", (const char *)h + base, len, moved > (int64_t)len);
}

static void line_io(struct dump_state *st, struct dump_line *line,
		    const struct ipct_event_header *h)
{
	const struct ipct_io_event *e = (const void *)h;
	bool full = e->hdr.size >= sizeof(*e);
	static char buf[64], flags[128];

	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	dump_arg_fd(line, "fd", e->fd, dump_object_text(st, st->fd_text, sizeof(st->fd_text), e->kind,
						    e->dev, e->ino, full ? e->peer_ino : 0,
						    full ? e->sock_type : 0, full ? &e->local : NULL,
						    full ? &e->remote : NULL));
	if (full)
		dump_line_payload(line, &e->hdr, sizeof(*e), e->payload_len, e->ret);
	else
		dump_arg_word(line, "buf", "?")->text_only = true;
	dump_arg_num(line, IOV_CALL(e->syscall) ? "bytes" : "count", (long long)e->requested);
	if (full && POS_CALL(e->syscall))
		dump_arg_num(line, "offset", (long long)e->offset);
	if (FLAG_CALL(e->syscall))
		dump_arg_word(line, "flags", decode_msg_flags(flags, sizeof(flags), e->flags >> 16));
	dump_ret_timed(line, e->ret, e->duration_ns);
}

static void line_pipe(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_pipe_event *e = (const void *)h;
	static char flags[128], obj[64];

	dump_object_text(st, obj, sizeof(obj), IPCT_KIND_PIPE, e->dev, e->ino, 0, 0, NULL, NULL);
	dump_line_init(line, DUMP_CALL, e->flags ? "pipe2" : "pipe");
	if (e->ret == 0) {
		dump_arg_fd(line, "read_fd", e->read_fd, obj)->open = '[';
		dump_arg_fd(line, "write_fd", e->write_fd, obj)->close = ']';
	}
	if (e->flags)
		dump_arg_word(line, "flags", decode_pipe_flags(flags, sizeof(flags), e->flags));
	dump_ret_timed(line, e->ret, e->duration_ns);
}

static void line_open(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_open_event *e = (const void *)h;
	size_t len = strnlen(e->path, sizeof(e->path));
	static char buf[64], flags[160];

	if (e->ret >= 0 && len)
		dump_names_set(&st->names, e->dev, e->ino, e->path, len);
	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, "open", buf, sizeof(buf)));
	dump_arg_bytes(line, "path", e->path, len, false);
	if (e->syscall != 85)	/* creat has no flags */
		dump_arg_word(line, "flags", decode_open_flags(flags, sizeof(flags), e->flags));
	dump_ret_fd(line, e->ret, dump_object_text(st, st->ret_text, sizeof(st->ret_text), e->kind,
						   e->dev, e->ino, 0, 0, NULL, NULL));
	dump_duration(line, e->duration_ns);
}

static void line_signal(struct dump_state *st, struct dump_line *line,
			const struct ipct_event_header *h)
{
	const struct ipct_signal_event *e = (const void *)h;
	static const char *const actions[] = { "default", "ignored", "handler", "waited" };
	static const char *const results[] = {
		"delivered", "ignored", "already pending", "queue full", "info lost",
	};
	static char sig[32], buf[64], word[64];

	viz_signal_name(e->sig, sig, sizeof(sig));
	if (e->op == IPCT_SIG_SEND) {
		const char *name = dump_call_name(e->syscall, "kill", buf, sizeof(buf));

		dump_line_init(line, DUMP_CALL, name);
		if (!strcmp(name, "tgkill"))
			dump_arg_num(line, "tgid", e->target_pid);
		dump_arg_num(line, !strcmp(name, "tkill") || !strcmp(name, "tgkill") ? "tid" : "pid",
			     !strcmp(name, "tkill") || !strcmp(name, "tgkill") ? e->target_tid : e->target_pid);
		dump_arg_word(line, "sig", sig);
		dump_ret_timed(line, e->ret, e->duration_ns);
		return;
	}
	dump_line_init(line, DUMP_SIGNAL, sig);
	dump_arg_word(line, "si_signo", sig);
	dump_arg_word(line, "si_code", decode_si_code(word, sizeof(word), e->sig, e->code));
	if (e->sender_pid)
		dump_arg_num(line, "si_pid", e->sender_pid);
	if (e->value)	/* the siginfo union: a child's status for SIGCHLD */
		dump_arg_num(line, e->sig == 17 ? "si_status" : "si_value", (long long)e->value);
	dump_line_after(line);
	if (e->op == IPCT_SIG_GENERATE) {
		snprintf(word, sizeof(word), "%u/%u", e->target_pid, e->target_tid);
		dump_arg_word(line, "target", word);
		if (e->ret >= 0 && e->ret < 5)
			dump_arg_word(line, "result", results[e->ret]);
		else
			dump_arg_num(line, "result", e->ret);
	} else {
		dump_arg_word(line, "action", e->action < 4 ? actions[e->action] : "?");
	}
}

static void line_sock(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_sock_event *e = (const void *)h;
	static const char *const families[] = { [1] = "AF_UNIX", [2] = "AF_INET", [10] = "AF_INET6" };
	const char *family = e->family < 11 && families[e->family] ? families[e->family] : NULL;
	size_t path_len = e->path_len < sizeof(e->path) ? e->path_len : sizeof(e->path);
	static char buf[64], word[64];
	char *obj = st->fd_text;
	long long fd = e->fd;

	dump_object_text(st, obj, sizeof(st->fd_text), e->kind, e->dev, e->ino, e->peer_ino, e->sock_type,
		    e->kind == IPCT_KIND_UNIX ? NULL : &e->local,
		    e->kind == IPCT_KIND_UNIX ? NULL : &e->remote);
	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	switch (e->op) {
	case IPCT_SOCK_SOCKET:
	case IPCT_SOCK_SOCKETPAIR:
		if (family)
			dump_arg_word(line, "domain", family);
		else
			dump_arg_num(line, "domain", e->family);
		dump_arg_word(line, "type", decode_sock_type(word, sizeof(word), e->sock_type));
		if (e->op == IPCT_SOCK_SOCKET) {
			dump_ret_fd(line, e->ret, obj);
			dump_duration(line, e->duration_ns);
			return;
		}
		if (e->ret == 0) {
			dump_arg_fd(line, "fd0", e->fd, obj)->open = '[';
			dump_arg_fd(line, "fd1", e->fd2,
				    dump_object_text(st, st->ret_text, sizeof(st->ret_text), e->kind, e->dev,
						e->peer_ino, e->ino, e->sock_type, NULL, NULL))->close = ']';
		}
		break;
	case IPCT_SOCK_ACCEPT:
		dump_arg_fd(line, "fd", e->fd2, NULL);
		dump_ret_fd(line, e->ret, obj);
		dump_duration(line, e->duration_ns);
		return;
	default:
		dump_arg_fd(line, "fd", fd, obj);
		if ((e->op == IPCT_SOCK_BIND || e->op == IPCT_SOCK_CONNECT) && path_len)
			dump_arg_bytes(line, "path", e->path, path_len, false);
		if (e->op == IPCT_SOCK_LISTEN)
			dump_arg_num(line, "backlog", e->arg);
		if (e->op == IPCT_SOCK_SHUTDOWN)
			dump_arg_word(line, "how", decode_shutdown_how(word, sizeof(word), e->arg));
	}
	dump_ret_timed(line, e->ret, e->duration_ns);
}

/* A counter of `trace stat`: what was counted, the totals as arguments. */
static void line_stat(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_stat_event *e = (const void *)h;
	static char obj[96];

	stat_object_id(&e->key, obj, sizeof(obj));
	dump_line_init(line, DUMP_CALL, "counted");
	dump_arg_word(line, "object", obj);
	dump_arg_word(line, "dir", stat_dir_name(&e->key));
	dump_arg_num(line, "errors", e->value.errors);
	dump_arg_num(line, "bytes", e->value.bytes);
	dump_arg_num(line, "ns", e->value.ns);
	dump_ret_num(line, e->value.calls);
}

static void line_stat_endpoint(struct dump_state *st, struct dump_line *line,
			       const struct ipct_event_header *h)
{
	const struct ipct_stat_endpoint_event *e = (const void *)h;
	static char obj[96], ends[256];

	stat_object_id(&e->key, obj, sizeof(obj));
	dump_object_text(st, ends, sizeof(ends), e->key.kind, e->key.dev, e->key.obj, 0, 0,
			 &e->local, &e->remote);
	dump_line_init(line, DUMP_CALL, "counted_endpoints");
	dump_arg_word(line, "object", obj);
	dump_arg_word(line, "dir", stat_dir_name(&e->key));
	dump_arg_word(line, "socket", ends);
	dump_ret_num(line, 0);
}

static void line_fork(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_fork_event *e = (const void *)h;
	bool thread = e->flags & IPCT_FORK_THREAD;

	dump_line_init(line, DUMP_CALL, thread ? "clone" : "fork");
	if (thread)
		dump_arg_word(line, "flags", "CLONE_THREAD");
	dump_ret_num(line, thread ? e->child_tid : e->child_pid);
	dump_line_after(line);
	dump_arg_bytes(line, "comm", e->comm, strnlen(e->comm, sizeof(e->comm)), false);
}

static void line_exec(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_exec_event *e = (const void *)h;

	dump_line_init(line, DUMP_CALL, "execve");
	dump_arg_bytes(line, "filename", e->filename, strnlen(e->filename, sizeof(e->filename)),
		       false);
	dump_ret_num(line, 0);
	dump_line_after(line);
	dump_arg_bytes(line, "comm", e->comm, strnlen(e->comm, sizeof(e->comm)), false);
}

static void line_exit(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_exit_event *e = (const void *)h;
	char how[80], word[64];

	viz_exit_describe(e->exit_code, word, sizeof(word));
	snprintf(how, sizeof(how), "%s%s", e->flags & IPCT_EXIT_GROUP_DEAD ? "" : "thread ", word);
	dump_line_init(line, DUMP_END, how);
	dump_arg_num(line, "status", e->exit_code);	/* JSON; the text says it in words */
}

/* The line of each record type dump knows. */
static dump_line_fn *const line_of[] = {
	[IPCT_EV_FORK] = line_fork,
	[IPCT_EV_EXEC] = line_exec,
	[IPCT_EV_EXIT] = line_exit,
	[IPCT_EV_PIPE] = line_pipe,
	[IPCT_EV_IO] = line_io,
	[IPCT_EV_OPEN] = line_open,
	[IPCT_EV_MSG] = dump_line_msg,
	[IPCT_EV_SEM] = dump_line_sem,
	[IPCT_EV_SHM] = dump_line_shm,
	[IPCT_EV_TOUCH] = dump_line_touch,
	[IPCT_EV_SIGNAL] = line_signal,
	[IPCT_EV_SOCK] = line_sock,
	[IPCT_EV_STAT] = line_stat,
	[IPCT_EV_STAT_ENDPOINT] = line_stat_endpoint,
	[IPCT_EV_WAIT] = dump_line_wait,
	[IPCT_EV_EPOLL_CTL] = dump_line_epoll_ctl,
	[IPCT_EV_FD] = dump_line_fd,
	[IPCT_EV_FDPASS] = dump_line_fdpass,
	[IPCT_EV_EVENTFD] = dump_line_eventfd,
	[IPCT_EV_UNIX_NAME] = dump_line_unix_name,
};

/* Fill LINE for H; false for a record dump does not know. */
static bool event_line(struct dump_state *st, struct dump_line *line, const struct ipct_event_header *h)
{
	if (h->type >= ARRAY_SIZE(line_of) || !line_of[h->type])
		return false;
	line_of[h->type](st, line, h);
	return true;
}

/* The kind of object each record type is about: FIXED, or the byte at AT
 * in the record (0: none). */
static const struct {
	uint8_t fixed;
	uint16_t at;
} kind_of[] = {
	[IPCT_EV_PIPE] = { IPCT_KIND_PIPE, 0 },
	[IPCT_EV_IO] = { 0, offsetof(struct ipct_io_event, kind) },
	[IPCT_EV_OPEN] = { 0, offsetof(struct ipct_open_event, kind) },
	[IPCT_EV_MSG] = { IPCT_KIND_MSGQ, 0 },
	[IPCT_EV_SEM] = { IPCT_KIND_SEM, 0 },
	[IPCT_EV_SHM] = { IPCT_KIND_SHM, 0 },
	[IPCT_EV_TOUCH] = { IPCT_KIND_SHM, 0 },
	[IPCT_EV_SIGNAL] = { IPCT_KIND_SIGNAL, 0 },
	[IPCT_EV_SOCK] = { 0, offsetof(struct ipct_sock_event, kind) },
	[IPCT_EV_STAT] = { 0, offsetof(struct ipct_stat_event, key.kind) },
	[IPCT_EV_STAT_ENDPOINT] = { 0, offsetof(struct ipct_stat_endpoint_event, key.kind) },
	[IPCT_EV_EPOLL_CTL] = { 0, offsetof(struct ipct_epoll_ctl_event, kind) },
	[IPCT_EV_FD] = { 0, offsetof(struct ipct_fd_event, kind) },
	[IPCT_EV_FDPASS] = { IPCT_KIND_UNIX, 0 },
	[IPCT_EV_UNIX_NAME] = { IPCT_KIND_UNIX, 0 },
	[IPCT_EV_EVENTFD] = { IPCT_KIND_EVENTFD, 0 },
};

/* The kind of object record H is about, as -e and --kind name kinds. */
static const char *event_kind(const struct ipct_event_header *h)
{
	unsigned int kind = IPCT_KIND_NONE;

	if (h->type < ARRAY_SIZE(kind_of))
		kind = kind_of[h->type].at ? ((const uint8_t *)h)[kind_of[h->type].at] :
		       kind_of[h->type].fixed;
	return kind == IPCT_KIND_NONE ? "none" : kind < IPCT_KIND_MAX ? viz_kind_name(kind) : "?";
}

void dump_event(struct dump_state *st, FILE *out, const struct ipct_event_header *h)
{
	double t = (h->ts_ns > st->t0 ? h->ts_ns - st->t0 : 0) / 1e9;
	struct dump_line line;

	if (!trace_event_check(h) && event_line(st, &line, h)) {
		line.kind = event_kind(h);
	} else {
		/* too short for its type (the reader refuses these), or a type
		 * this dump does not know: say so, read nothing past the header */
		dump_line_init(&line, DUMP_RECORD, "record");
		dump_line_after(&line);
		dump_arg_num(&line, "type", h->type);
		dump_arg_num(&line, "size", h->size);
	}
	if (st->json)
		dump_line_json(out, &line, t, h->pid, h->tid);
	else
		dump_line_text(out, &line, t, h->pid, h->tid);
}
