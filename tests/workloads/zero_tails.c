/*
 * zero_tails - check that every record of a trace has zeros where it
 * carries no data: the padding fields, the bytes after the NUL of comm,
 * filename and path strings, and the bytes between the end of a payload
 * and the end of the record.  The BPF side writes records into reused ring
 * buffer memory, so a byte it does not set holds whatever was there before.
 *
 *   zero_tails TRACE   -> prints "records N, checked N, dirty N"; exit 1
 *                         when a byte is not zero (each one is listed)
 */
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include "lib/trace_file.h"

static unsigned long dirty;

/* Every byte of [FROM, TO) in record EV must be 0. */
static void zeros(const struct ipct_event_header *ev, size_t from, size_t to, const char *what)
{
	const unsigned char *p = (const unsigned char *)ev;

	for (size_t i = from; i < to && i < ev->size; i++) {
		if (p[i] == 0)
			continue;
		if (dirty++ < 20)
			printf("type %u at %llu: %s byte %zu is 0x%02x\n", ev->type,
			       (unsigned long long)ev->ts_ns, what, i - from, p[i]);
	}
}

/* The bytes after the first NUL of the string field at OFF, LEN long. */
static void string_tail(const struct ipct_event_header *ev, size_t off, size_t len, const char *what)
{
	const char *s = (const char *)ev + off;

	zeros(ev, off + strnlen(s, len) + 1, off + len, what);
}

#define FIELD(type, f) offsetof(struct type, f), sizeof(((struct type *)0)->f)
#define AFTER(type, f) (offsetof(struct type, f) + sizeof(((struct type *)0)->f))
/* The bytes of field F of struct TYPE, as zeros() takes them. */
#define SPAN(type, f) offsetof(struct type, f), AFTER(type, f)

static void check_inet(const struct ipct_event_header *ev, size_t off)
{
	zeros(ev, off + offsetof(struct ipct_inet_addr, pad), off + sizeof(struct ipct_inet_addr),
	      "inet pad");
}

/* The pads of the two addresses (fields local and remote) of struct TYPE. */
#define CHECK_ENDS(ev, type) do {					\
	check_inet(ev, offsetof(struct type, local));			\
	check_inet(ev, offsetof(struct type, remote));			\
} while (0)

/* The bytes of a path field at OFF, SIZE long, after its first USED ones
 * (when they fit). */
static void path_tail(const struct ipct_event_header *ev, size_t off, size_t size, size_t used)
{
	if (used <= size)
		zeros(ev, off + used, off + size, "path tail");
}

/* Records whose one unused field is `pad`. */
static const struct {
	uint16_t type;
	size_t from, to;
} pad_only[] = {
	{ IPCT_EV_PIPE, SPAN(ipct_pipe_event, pad) },
	{ IPCT_EV_TOUCH, SPAN(ipct_touch_event, pad) },
	{ IPCT_EV_EPOLL_CTL, SPAN(ipct_epoll_ctl_event, pad) },
};

/* Records whose unused bytes sit at fixed places: 1, or 0 for another type. */
static int check_fixed(const struct ipct_event_header *ev)
{
	for (size_t i = 0; i < sizeof(pad_only) / sizeof(pad_only[0]); i++)
		if (ev->type == pad_only[i].type) {
			zeros(ev, pad_only[i].from, pad_only[i].to, "pad");
			return 1;
		}
	switch (ev->type) {
	case IPCT_EV_FORK:
		zeros(ev, SPAN(ipct_fork_event, pad), "pad");
		string_tail(ev, FIELD(ipct_fork_event, comm), "comm");
		return 1;
	case IPCT_EV_EXEC:
		zeros(ev, SPAN(ipct_exec_event, pad), "pad");
		string_tail(ev, FIELD(ipct_exec_event, comm), "comm");
		string_tail(ev, FIELD(ipct_exec_event, filename), "filename");
		return 1;
	case IPCT_EV_OPEN:
		zeros(ev, SPAN(ipct_open_event, pad), "pad");
		string_tail(ev, FIELD(ipct_open_event, path), "path");
		return 1;
	case IPCT_EV_SEM:
		for (int i = 0; i < IPCT_SEMOPS_MAX; i++)
			zeros(ev, offsetof(struct ipct_sem_event, ops) + i * sizeof(struct ipct_sembuf) +
				  offsetof(struct ipct_sembuf, pad),
			      offsetof(struct ipct_sem_event, ops) + (i + 1) * sizeof(struct ipct_sembuf),
			      "sembuf pad");
		return 1;
	case IPCT_EV_STAT_ENDPOINT:
		zeros(ev, SPAN(ipct_stat_endpoint_event, key.pad), "key pad");
		zeros(ev, SPAN(ipct_stat_endpoint_event, key.pad2), "key pad2");
		CHECK_ENDS(ev, ipct_stat_endpoint_event);
		return 1;
	case IPCT_EV_EVENTFD:
		zeros(ev, offsetof(struct ipct_eventfd_event, pad), sizeof(struct ipct_eventfd_event),
		      "pad, pad2");
		return 1;
	}
	return 0;
}

/* Records whose unused bytes follow from a length they carry: 1, or 0
 * for another type. */
static int check_sized(const struct ipct_event_header *ev)
{
	switch (ev->type) {
	case IPCT_EV_IO: {
		const struct ipct_io_event *e = (const void *)ev;

		CHECK_ENDS(ev, ipct_io_event);
		zeros(ev, sizeof(*e) + e->payload_len, ev->size, "payload padding");
		return 1;
	}
	case IPCT_EV_MSG: {
		const struct ipct_msg_event *e = (const void *)ev;

		string_tail(ev, FIELD(ipct_msg_event, name), "name");
		zeros(ev, sizeof(*e) + e->payload_len, ev->size, "payload padding");
		return 1;
	}
	case IPCT_EV_SOCK: {
		const struct ipct_sock_event *e = (const void *)ev;

		zeros(ev, SPAN(ipct_sock_event, pad), "pad");
		CHECK_ENDS(ev, ipct_sock_event);
		path_tail(ev, FIELD(ipct_sock_event, path), e->path_len);
		zeros(ev, offsetof(struct ipct_sock_event, pad2), sizeof(*e), "pad2, pad3");
		return 1;
	}
	case IPCT_EV_WAIT: {
		const struct ipct_wait_event *e = (const void *)ev;

		zeros(ev, SPAN(ipct_wait_event, pad), "pad");
		for (uint32_t i = 0; i < e->nrecorded && i < IPCT_WAIT_FDS_MAX; i++) {
			size_t at = sizeof(*e) + i * sizeof(struct ipct_wait_fd);

			zeros(ev, at + offsetof(struct ipct_wait_fd, pad), at + sizeof(struct ipct_wait_fd),
			      "wait fd pad");
		}
		zeros(ev, sizeof(*e) + e->nrecorded * sizeof(struct ipct_wait_fd), ev->size,
		      "wait record tail");
		return 1;
	}
	case IPCT_EV_FDPASS: {
		const struct ipct_fdpass_event *e = (const void *)ev;

		for (uint32_t i = 0; i < IPCT_FDPASS_MAX; i++) {
			size_t at = offsetof(struct ipct_fdpass_event, fds) +
				    i * sizeof(struct ipct_passed_fd);

			if (i < e->nrecorded)
				zeros(ev, at + offsetof(struct ipct_passed_fd, pad),
				      at + sizeof(struct ipct_passed_fd), "passed fd pad");
			else
				zeros(ev, at, at + sizeof(struct ipct_passed_fd), "unused passed fd");
		}
		return 1;
	}
	case IPCT_EV_UNIX_NAME: {
		const struct ipct_unix_name_event *e = (const void *)ev;

		path_tail(ev, FIELD(ipct_unix_name_event, path), e->path_len);
		return 1;
	}
	case IPCT_EV_FD: {
		const struct ipct_fd_event *e = (const void *)ev;

		zeros(ev, SPAN(ipct_fd_event, pad), "pad");
		CHECK_ENDS(ev, ipct_fd_event);
		path_tail(ev, FIELD(ipct_fd_event, path), e->path_len + 1);	/* and its NUL */
		return 1;
	}
	}
	return 0;
}

/* 1 when record EV is of a type checked here, its unused bytes checked. */
static int check(const struct ipct_event_header *ev)
{
	return check_fixed(ev) || check_sized(ev);
}

int main(int argc, char **argv)
{
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	unsigned long records = 0, checked = 0;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: zero_tails TRACE\n");
		return 2;
	}
	if ((err = trace_reader_open(&r, argv[1]))) {
		fprintf(stderr, "error: cannot open '%s': %s\n", argv[1], trace_file_strerror(err));
		return 1;
	}
	while ((err = trace_reader_next(r, &ev)) == 1) {
		records++;
		checked += check(ev);
	}
	trace_reader_free(r);
	if (err < 0) {
		fprintf(stderr, "error: cannot read '%s': %s\n", argv[1], trace_file_strerror(err));
		return 1;
	}
	printf("records %lu, checked %lu, dirty %lu\n", records, checked, dirty);
	return dirty ? 1 : 0;
}
