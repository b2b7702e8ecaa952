/*
 * trace_event - the minimum size of each event record type, and the check
 * every consumer of records relies on (see trace_file.h).
 *
 * A record shorter than its type's struct would make a consumer read past its
 * end, so the reader refuses such records before anyone sees them (records of
 * an older, shorter form of a type it widens to the full struct), and the
 * model, `trace dump` and the tracer's process table check again with the
 * same function.  A record type added to bpf/events.h gets its line in
 * min_size[] here.  The compact stream record (IPCT_EV_STREAM) reaches
 * consumers as the IPCT_EV_IO record it stands for
 * (trace_event_stream_to_io).  Types without a line (written by a newer tracer) are
 * passed through: consumers skip types they do not know.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "trace_file.h"

static const uint16_t min_size[] = {
	[IPCT_EV_FORK] = sizeof(struct ipct_fork_event),
	[IPCT_EV_EXEC] = sizeof(struct ipct_exec_event),
	[IPCT_EV_EXIT] = sizeof(struct ipct_exit_event),
	[IPCT_EV_PIPE] = sizeof(struct ipct_pipe_event),
	[IPCT_EV_IO] = sizeof(struct ipct_io_event),
	[IPCT_EV_OPEN] = sizeof(struct ipct_open_event),
	[IPCT_EV_MSG] = sizeof(struct ipct_msg_event),
	[IPCT_EV_SEM] = sizeof(struct ipct_sem_event),
	[IPCT_EV_SHM] = sizeof(struct ipct_shm_event),
	[IPCT_EV_SIGNAL] = sizeof(struct ipct_signal_event),
	[IPCT_EV_SOCK] = sizeof(struct ipct_sock_event),
	[IPCT_EV_UNFOLLOWED] = sizeof(struct ipct_unfollowed_event),
	[IPCT_EV_TOUCH] = sizeof(struct ipct_touch_event),
	[IPCT_EV_FDPASS] = sizeof(struct ipct_fdpass_event),
	[IPCT_EV_EVENTFD] = sizeof(struct ipct_eventfd_event),
	[IPCT_EV_UNIX_NAME] = sizeof(struct ipct_unix_name_event),
	[IPCT_EV_WAIT] = sizeof(struct ipct_wait_event),
	[IPCT_EV_EPOLL_CTL] = sizeof(struct ipct_epoll_ctl_event),
	[IPCT_EV_FD] = sizeof(struct ipct_fd_event),
	[IPCT_EV_STAT] = sizeof(struct ipct_stat_event),
	[IPCT_EV_STREAM] = sizeof(struct ipct_stream_event),
	[IPCT_EV_STAT_ENDPOINT] = sizeof(struct ipct_stat_endpoint_event),
};

_Static_assert(sizeof(min_size) / sizeof(min_size[0]) <= IPCT_EV_TYPE_MAX,
	       "min_size[] has a type past IPCT_EV_TYPE_MAX");

/* Types whose struct grew at its end after traces were written with the
 * shorter form: the reader widens such a record to min_size[] with the
 * later fields zero.  io events grew (offset, peers and payload), open events
 * (generation, created). */
static const uint16_t oldest_size[] = {
	[IPCT_EV_IO] = offsetof(struct ipct_io_event, offset),
	[IPCT_EV_OPEN] = offsetof(struct ipct_open_event, generation),
};

size_t trace_event_min_size(unsigned int type)
{
	return type < sizeof(min_size) / sizeof(min_size[0]) ? min_size[type] : 0;
}

size_t tf_event_oldest_size(unsigned int type)
{
	if (type < sizeof(oldest_size) / sizeof(oldest_size[0]) && oldest_size[type])
		return oldest_size[type];
	return trace_event_min_size(type);
}

/* Payload bytes a record of a variable-size type claims to carry past its
 * struct, or 0 for a fixed-size type. */
static uint32_t claimed_payload(const struct ipct_event_header *ev)
{
	switch (ev->type) {
	case IPCT_EV_IO:
		return ((const struct ipct_io_event *)ev)->payload_len;
	case IPCT_EV_MSG:
		return ((const struct ipct_msg_event *)ev)->payload_len;
	case IPCT_EV_WAIT: {
		uint32_t n = ((const struct ipct_wait_event *)ev)->nrecorded;

		/* more than a record can hold claims more than its size */
		return n > IPCT_WAIT_FDS_MAX ? UINT32_MAX : n * sizeof(struct ipct_wait_fd);
	}
	case IPCT_EV_STREAM:
		return ((const struct ipct_stream_event *)ev)->payload_len;
	default:
		return 0;
	}
}

int trace_event_check(const struct ipct_event_header *ev)
{
	size_t min = trace_event_min_size(ev->type);

	if (ev->size < sizeof(*ev) || ev->size < min)
		return -EBADMSG;
	if (min && claimed_payload(ev) > ev->size - min)
		return -EBADMSG;
	return 0;
}

size_t trace_event_stream_to_io(const struct ipct_event_header *ev, void *out, size_t room)
{
	const struct ipct_stream_event *s = (const struct ipct_stream_event *)ev;
	struct ipct_io_event *io = out;
	size_t size;

	if (ev->type != IPCT_EV_STREAM || trace_event_check(ev) ||
	    s->payload_len > IPCT_PAYLOAD_MAX)
		return 0;
	size = sizeof(*io) + ((s->payload_len + 7) & ~7u);
	if (size > room)
		return 0;
	memset(io, 0, size);
	memcpy(io, s, offsetof(struct ipct_stream_event, payload_len));
	io->hdr.type = IPCT_EV_IO;
	io->hdr.size = (uint16_t)size;
	io->payload_len = s->payload_len;
	/* the padding too: a record that left junk there shows it */
	memcpy(io->payload, s->payload, size - sizeof(*io));
	return size;
}
