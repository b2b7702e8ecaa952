/*
 * dump - `trace dump`: every record of a trace as a line a strace user
 * reads (dump_events.c fills a dump_line per record, dump_line.c writes
 * it as text or JSON).
 */
#ifndef IPCTRACE_CLI_DUMP_H
#define IPCTRACE_CLI_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "dump_line.h"
#include "dump_names.h"
#include "lib/trace_file.h"

struct dump_state {
	struct dump_names names;  /* paths and queue names seen so far */
	uint64_t t0;              /* start of the trace (monotonic ns) */
	bool json;                /* --json: one object per line */
	char fd_text[512];        /* what the line's descriptor is */
	char ret_text[512];       /* what a returned descriptor is */
};

/* What a descriptor is, in the words of strace -yy, into BUF: the
 * object of KIND (DEV, INO; unix: PEER and SOCK_TYPE; inet: the ends), or
 * the name dump_names knows for it. */
const char *dump_object_text(struct dump_state *st, char *buf, size_t size, unsigned int kind,
			     uint32_t dev, uint64_t ino, uint64_t peer, uint32_t sock_type,
			     const struct ipct_inet_addr *local, const struct ipct_inet_addr *remote);

/* The name of system call NR, else FALLBACK, else "syscall_NR" in BUF. */
const char *dump_call_name(unsigned int nr, const char *fallback, char *buf, size_t size);

/* The payload argument "buf": the LEN bytes at BASE of record H, of the
 * MOVED the call moved ("?" when they were not captured). */
void dump_line_payload(struct dump_line *line, const struct ipct_event_header *h, size_t base,
		       uint32_t len, int64_t moved);

/* Fill a dump line for record H, of the type the function is named for. */
typedef void dump_line_fn(struct dump_state *st, struct dump_line *line,
			  const struct ipct_event_header *h);

/* dump_ipc.c: SysV and POSIX message queues, semaphores, shared memory,
 * first touches of shared pages. */
dump_line_fn dump_line_msg, dump_line_sem, dump_line_shm, dump_line_touch;

/* dump_waits.c: poll, select and epoll_wait-like calls, epoll_ctl, and
 * the descriptors open when tracing began. */
dump_line_fn dump_line_wait, dump_line_epoll_ctl, dump_line_fd;

/* dump_passes.c: descriptors passed over unix sockets, eventfd creation,
 * the names of unix sockets that received datagrams. */
dump_line_fn dump_line_fdpass, dump_line_eventfd, dump_line_unix_name;

/* Write record H (read by trace_reader_next) as one line. */
void dump_event(struct dump_state *st, FILE *out, const struct ipct_event_header *h);

#endif
