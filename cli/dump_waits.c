/*
 * dump_waits - `trace dump` lines for the waits (poll, select, epoll_wait
 * and their kin), epoll_ctl, and the descriptors a process had open when
 * tracing began.
 *
 * A wait lists each descriptor kept as strace lists pollfds, with what it
 * is and what came back ready:
 *   poll([{fd=3<pipe:[45991]>, events=POLLIN, revents=POLLIN}], 1, -1) = 1
 * select's sets are shown the same way (read set POLLIN, write set
 * POLLOUT, except set POLLPRI); epoll_wait lists its ready events with
 * their data, as strace does, and the descriptor epoll_ctl registered
 * under it when the trace shows one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dump.h"
#include "viz/decode.h"

struct bit_name {
	uint32_t bit;
	const char *name;
};

static const struct bit_name poll_bits[] = {
	{ 0x001, "POLLIN" }, { 0x002, "POLLPRI" }, { 0x004, "POLLOUT" }, { 0x008, "POLLERR" },
	{ 0x010, "POLLHUP" }, { 0x020, "POLLNVAL" }, { 0x040, "POLLRDNORM" },
	{ 0x080, "POLLRDBAND" }, { 0x100, "POLLWRNORM" }, { 0x200, "POLLWRBAND" },
	{ 0x400, "POLLMSG" }, { 0x2000, "POLLRDHUP" }, { 0, NULL },
};

static const struct bit_name epoll_bits[] = {
	{ 0x001, "EPOLLIN" }, { 0x002, "EPOLLPRI" }, { 0x004, "EPOLLOUT" }, { 0x008, "EPOLLERR" },
	{ 0x010, "EPOLLHUP" }, { 0x040, "EPOLLRDNORM" }, { 0x080, "EPOLLRDBAND" },
	{ 0x100, "EPOLLWRNORM" }, { 0x200, "EPOLLWRBAND" }, { 0x400, "EPOLLMSG" },
	{ 0x2000, "EPOLLRDHUP" }, { 1u << 28, "EPOLLEXCLUSIVE" }, { 1u << 29, "EPOLLWAKEUP" },
	{ 1u << 30, "EPOLLONESHOT" }, { 1u << 31, "EPOLLET" }, { 0, NULL },
};

/* "POLLIN|POLLOUT", with unknown bits as 0x...; "0" for none. */
static const char *bits_text(char *buf, size_t size, uint32_t v, const struct bit_name *names)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct bit_name *b = names; b->name && len < size; b++) {
		if (v & b->bit) {
			len += snprintf(buf + len, size - len, "%s%s", len ? "|" : "", b->name);
			v &= ~b->bit;
		}
	}
	if (v && len < size)
		snprintf(buf + len, size - len, "%s%#x", len ? "|" : "", v);
	else if (!len)
		snprintf(buf, size, "0");
	return buf;
}

/* A timeout of NS as the call takes it: ms for poll and epoll_wait,
 * a timespec (or timeval for select) for the others; NULL for none. */
static void timeout_arg(struct dump_line *line, uint16_t nr, int64_t ns)
{
	static char word[64];

	if (nr == 7 || nr == 232 || nr == 281) {	/* poll, epoll_wait, epoll_pwait */
		dump_arg_num(line, "timeout", ns < 0 ? -1 : ns / 1000000);
		return;
	}
	if (ns < 0)
		snprintf(word, sizeof(word), "NULL");
	else if (nr == 23)	/* select */
		snprintf(word, sizeof(word), "{tv_sec=%" PRId64 ", tv_usec=%" PRId64 "}",
			 ns / 1000000000, ns % 1000000000 / 1000);
	else
		snprintf(word, sizeof(word), "{tv_sec=%" PRId64 ", tv_nsec=%" PRId64 "}",
			 ns / 1000000000, ns % 1000000000);
	dump_arg_word(line, "timeout", word);
}

/* The end of a list of N entries written as args: "]" after LAST, or the
 * arg KEY=[] when there are none. */
static void list_close(struct dump_line *line, struct dump_arg *last, uint32_t n, const char *key)
{
	if (!n)
		dump_arg_word(line, key, "[]");
	else if (last)
		last->close = ']';
}

/* The descriptors of a poll or select: {fd=N<what>, events=..., revents=...}. */
static void wait_fds(struct dump_state *st, struct dump_line *line, const struct ipct_wait_event *e)
{
	static char keys[IPCT_WAIT_FDS_MAX][3][16];
	static char texts[IPCT_WAIT_FDS_MAX][160];
	static char events[IPCT_WAIT_FDS_MAX][2][160];
	uint32_t n = e->nrecorded < IPCT_WAIT_FDS_MAX ? e->nrecorded : IPCT_WAIT_FDS_MAX;
	struct dump_arg *a = NULL;

	for (uint32_t i = 0; i < n; i++) {
		const struct ipct_wait_fd *w = &e->fds[i];

		snprintf(keys[i][0], sizeof(keys[i][0]), "fd%u", i);
		snprintf(keys[i][1], sizeof(keys[i][1]), "events%u", i);
		snprintf(keys[i][2], sizeof(keys[i][2]), "revents%u", i);
		a = dump_arg_fd(line, keys[i][0], w->fd,
				dump_object_text(st, texts[i], sizeof(texts[i]), w->kind, w->dev, w->ino,
						 0, 0, NULL, NULL));
		if (!a)
			return;
		a->prefix = "{fd=";
		a->open = i == 0 ? '[' : 0;
		a = dump_arg_word(line, keys[i][1], bits_text(events[i][0], sizeof(events[i][0]),
							     w->events, poll_bits));
		if (!a)
			return;
		a->prefix = "events=";
		a = dump_arg_word(line, keys[i][2], bits_text(events[i][1], sizeof(events[i][1]),
							     w->revents, poll_bits));
		if (!a)
			return;
		a->prefix = "revents=";
		a->suffix = "}";
	}
	if (n && e->nfds > n && e->op == IPCT_WAIT_POLL)
		a->suffix = "}, ...";
	list_close(line, a, n, "fds");
}

/* The ready events of an epoll wait: {events=..., data=...}. */
static void epoll_events(struct dump_line *line, const struct ipct_wait_event *e)
{
	static char keys[IPCT_WAIT_FDS_MAX][2][16];
	static char bits[IPCT_WAIT_FDS_MAX][160];
	uint32_t n = e->nrecorded < IPCT_WAIT_FDS_MAX ? e->nrecorded : IPCT_WAIT_FDS_MAX;
	struct dump_arg *a = NULL;

	for (uint32_t i = 0; i < n; i++) {
		snprintf(keys[i][0], sizeof(keys[i][0]), "events%u", i);
		snprintf(keys[i][1], sizeof(keys[i][1]), "data%u", i);
		a = dump_arg_word(line, keys[i][0], bits_text(bits[i], sizeof(bits[i]),
							     e->fds[i].revents, epoll_bits));
		if (!a)
			return;
		a->open = i == 0 ? '[' : 0;
		a->prefix = "{events=";
		a = dump_arg_hex(line, keys[i][1], e->fds[i].data);
		if (!a)
			return;
		a->prefix = "data=";
		a->suffix = "}";
	}
	list_close(line, a, n, "events");
}

void dump_line_wait(struct dump_state *st, struct dump_line *line,
		    const struct ipct_event_header *h)
{
	const struct ipct_wait_event *e = (const void *)h;
	static char buf[32], epfd[160];

	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	switch (e->op) {
	case IPCT_WAIT_EPOLL:
		dump_arg_fd(line, "epfd", e->epfd, strcpy(epfd, "anon_inode:[eventpoll]"));
		epoll_events(line, e);
		dump_arg_num(line, "maxevents", e->nfds);
		break;
	case IPCT_WAIT_SELECT:
		dump_arg_num(line, "nfds", e->nfds);
		wait_fds(st, line, e);
		break;
	default:
		wait_fds(st, line, e);
		dump_arg_num(line, "nfds", e->nfds);
		break;
	}
	timeout_arg(line, e->syscall, e->timeout_ns);
	dump_ret_timed(line, e->ret, e->duration_ns);
}

void dump_line_epoll_ctl(struct dump_state *st, struct dump_line *line,
			 const struct ipct_event_header *h)
{
	const struct ipct_epoll_ctl_event *e = (const void *)h;
	static const char *const ops[] = { "0", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD" };
	static char epfd[64], text[160], bits[160];
	struct dump_arg *a;

	dump_line_init(line, DUMP_CALL, "epoll_ctl");
	dump_arg_fd(line, "epfd", e->epfd, strcpy(epfd, "anon_inode:[eventpoll]"));
	if (e->op < 4)
		dump_arg_word(line, "op", ops[e->op]);
	else
		dump_arg_num(line, "op", e->op);
	dump_arg_fd(line, "fd", e->fd, dump_object_text(st, text, sizeof(text), e->kind, e->dev,
							 e->ino, 0, 0, NULL, NULL));
	if (e->op == 2) {	/* DEL takes no event */
		dump_arg_word(line, "event", "NULL");
	} else {
		a = dump_arg_word(line, "events", bits_text(bits, sizeof(bits), e->events, epoll_bits));
		if (a)
			a->prefix = "{events=";
		a = dump_arg_hex(line, "data", e->data);
		if (a) {
			a->prefix = "data=";
			a->suffix = "}";
		}
	}
	dump_ret_timed(line, e->ret, e->duration_ns);
}

void dump_line_fd(struct dump_state *st, struct dump_line *line, const struct ipct_event_header *h)
{
	const struct ipct_fd_event *e = (const void *)h;
	size_t len = e->path_len < sizeof(e->path) ? e->path_len : sizeof(e->path);
	static char text[512], flags[160];

	len = strnlen(e->path, len);
	if (len && e->kind != IPCT_KIND_UNIX)
		dump_names_set(&st->names, e->dev, e->ino, e->path, len);
	dump_line_init(line, DUMP_RECORD, "open-at-start");
	dump_line_after(line);
	dump_arg_fd(line, "fd", e->fd, dump_object_text(st, text, sizeof(text), e->kind, e->dev,
							 e->ino, e->peer_ino, e->sock_type,
							 e->kind == IPCT_KIND_UNIX ? NULL : &e->local,
							 e->kind == IPCT_KIND_UNIX ? NULL : &e->remote));
	dump_arg_word(line, "flags", decode_open_flags(flags, sizeof(flags), e->open_flags));
	if (e->kind == IPCT_KIND_UNIX && len)
		dump_arg_bytes(line, "address", e->path, len, false);
	if (e->flags & IPCT_FD_CLOEXEC)
		dump_arg_word(line, "cloexec", "yes");
}
