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

/* dump_ipc.c: SysV and POSIX message queues, semaphores, shared memory,
 * first touches of shared pages. */
void dump_line_msg(struct dump_state *st, struct dump_line *line, const struct ipct_msg_event *e);
void dump_line_sem(struct dump_state *st, struct dump_line *line, const struct ipct_sem_event *e);
void dump_line_shm(struct dump_state *st, struct dump_line *line, const struct ipct_shm_event *e);
void dump_line_touch(struct dump_state *st, struct dump_line *line,
		     const struct ipct_touch_event *e);

/* dump_waits.c: poll, select and epoll_wait-like calls, epoll_ctl, and
 * the descriptors open when tracing began. */
void dump_line_wait(struct dump_state *st, struct dump_line *line, const struct ipct_wait_event *e);
void dump_line_epoll_ctl(struct dump_state *st, struct dump_line *line,
			 const struct ipct_epoll_ctl_event *e);
void dump_line_fd(struct dump_state *st, struct dump_line *line, const struct ipct_fd_event *e);

/* dump_passes.c: descriptors passed over unix sockets, eventfd creation,
 * the names of unix sockets that received datagrams. */
void dump_line_fdpass(struct dump_state *st, struct dump_line *line,
		      const struct ipct_fdpass_event *e);
void dump_line_eventfd(struct dump_line *line, const struct ipct_eventfd_event *e);
void dump_line_unix_name(struct dump_line *line, const struct ipct_unix_name_event *e);

/* Write record H (read by trace_reader_next) as one line. */
void dump_event(struct dump_state *st, FILE *out, const struct ipct_event_header *h);

#endif
