/*
 * dump_passes - `trace dump` lines of descriptors passed over unix
 * sockets (SCM_RIGHTS), of eventfd creation, and of the names of unix
 * sockets that received datagrams.
 */
#include <string.h>
#include "dump.h"

void dump_line_fdpass(struct dump_state *st, struct dump_line *line,
		      const struct ipct_event_header *h)
{
	const struct ipct_fdpass_event *e = (const void *)h;
	static const char *const keys[IPCT_FDPASS_MAX] = {
		"fd1", "fd2", "fd3", "fd4", "fd5", "fd6", "fd7", "fd8",
	};
	static char sock[512], fds[IPCT_FDPASS_MAX][256];
	unsigned n = e->nrecorded < IPCT_FDPASS_MAX ? e->nrecorded : IPCT_FDPASS_MAX;

	dump_line_init(line, DUMP_RECORD, "scm_rights");
	dump_line_after(line);
	dump_arg_fd(line, "socket", e->sock_fd,
		    dump_object_text(st, sock, sizeof(sock), IPCT_KIND_UNIX, 0, e->ino,
				     e->peer_ino, 0, NULL, NULL));
	dump_arg_word(line, "dir", e->dir == IPCT_DIR_SEND ? "sent" : "received");
	for (unsigned i = 0; i < n; i++) {
		const struct ipct_passed_fd *p = &e->fds[i];

		dump_arg_fd(line, keys[i], p->fd,
			    dump_object_text(st, fds[i], sizeof(fds[i]), p->kind, p->dev,
					     p->ino, p->peer_ino, p->sock_type, NULL, NULL));
	}
	dump_arg_num(line, "passed", e->npassed);
	if (e->flags & IPCT_FDPASS_CTRUNC)
		dump_arg_word(line, "truncated", "MSG_CTRUNC");
}

void dump_line_eventfd(struct dump_state *st, struct dump_line *line,
		       const struct ipct_event_header *h)
{
	const struct ipct_eventfd_event *e = (const void *)h;
	static char desc[64];
	static char flags[64];
	static char name[64];
	const char *call = dump_call_name(e->syscall, "eventfd2", name, sizeof(name));

	snprintf(desc, sizeof(desc), "eventfd:[0:%llu]", (unsigned long long)e->id);
	dump_line_init(line, DUMP_CALL, call);
	dump_arg_num(line, "initval", e->initval);
	if (strcmp(call, "eventfd")) {   /* eventfd(2) has no flags argument */
		snprintf(flags, sizeof(flags), "%s%s%s",
			 e->flags & IPCT_EFD_SEMAPHORE ? "EFD_SEMAPHORE|" : "",
			 e->flags & 04000 ? "EFD_NONBLOCK|" : "",
			 e->flags & 02000000 ? "EFD_CLOEXEC|" : "");
		size_t len = strlen(flags);
		if (len)
			flags[len - 1] = '\0';
		else
			snprintf(flags, sizeof(flags), "0");
		dump_arg_word(line, "flags", flags);
	}
	dump_ret_fd(line, e->ret, desc);
	dump_duration(line, e->duration_ns);
}

void dump_line_unix_name(struct dump_state *st, struct dump_line *line,
			 const struct ipct_event_header *h)
{
	const struct ipct_unix_name_event *e = (const void *)h;
	static char id[48];
	size_t len = e->path_len < sizeof(e->path) ? e->path_len : sizeof(e->path);

	if (e->path[0] != '@')
		len = strnlen(e->path, len);
	snprintf(id, sizeof(id), "UNIX:[%llu]", (unsigned long long)e->ino);
	dump_line_init(line, DUMP_RECORD, "unix-name");
	dump_line_after(line);
	dump_arg_word(line, "socket", id);
	dump_arg_bytes(line, "address", e->path, len, false);
	if (e->file_ino) {
		dump_arg_num(line, "file_dev", e->file_dev);
		dump_arg_num(line, "file_ino", (long long)e->file_ino);
	}
}
