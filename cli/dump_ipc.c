/*
 * dump_ipc - `trace dump` lines of the System V and POSIX IPC calls:
 * message queues, semaphores (and futex handoffs), shared memory, and the
 * first touches of shared pages.
 */
#include <stdio.h>
#include <string.h>
#include "dump.h"
#include "viz/decode.h"

static void key_arg(struct dump_line *line, int64_t key)
{
	if (key == 0)
		dump_arg_word(line, "key", "IPC_PRIVATE");
	else
		dump_arg_hex(line, "key", (uint64_t)key);
}

void dump_line_msg(struct dump_state *st, struct dump_line *line, const struct ipct_event_header *h)
{
	const struct ipct_msg_event *e = (const void *)h;
	size_t name_len = strnlen(e->name, sizeof(e->name));
	bool posix = e->fd >= 0 && e->id < 0;
	static char buf[64], word[160];

	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	switch (e->op) {
	case IPCT_MSG_GET:
		key_arg(line, e->key);
		dump_arg_word(line, "flags", decode_ipcget_flags(word, sizeof(word), e->flags));
		break;
	case IPCT_MSG_SEND:
	case IPCT_MSG_RECV:
		if (posix) {
			dump_arg_fd(line, "mqdes", e->fd, dump_object_text(st, st->fd_text, sizeof(st->fd_text),
								      IPCT_KIND_MSGQ, e->dev, e->ino,
								      0, 0, NULL, NULL));
		} else {
			dump_arg_num(line, "msqid", e->id);
			dump_arg_num(line, "mtype", e->op == IPCT_MSG_SEND ? e->mtype : e->rtype);
		}
		dump_line_payload(line, &e->hdr, sizeof(*e), e->payload_len,
			     e->op == IPCT_MSG_SEND ? (int64_t)e->size : e->ret);
		dump_arg_num(line, "size", (long long)e->size);
		if (posix) {
			dump_arg_num(line, "prio", e->prio);
		} else {
			if (e->op == IPCT_MSG_RECV)
				dump_arg_num(line, "msgtyp", e->mtype);
			dump_arg_word(line, "flags", decode_ipc_flags(word, sizeof(word), e->flags));
		}
		break;
	case IPCT_MSG_CTL:
		dump_arg_num(line, "msqid", e->id);
		dump_arg_word(line, "cmd", decode_msgctl_cmd(word, sizeof(word), e->cmd));
		break;
	case IPCT_MQ_OPEN:
		if (e->ret >= 0 && name_len)
			dump_names_set(&st->names, e->dev, e->ino, e->name, name_len);
		dump_arg_bytes(line, "name", e->name, name_len, false);
		dump_arg_word(line, "flags", decode_open_flags(word, sizeof(word), e->flags));
		if (e->ret >= 0) {
			dump_ret_fd(line, e->ret, dump_object_text(st, st->ret_text, sizeof(st->ret_text),
							      IPCT_KIND_MSGQ, e->dev, e->ino, 0, 0,
							      NULL, NULL));
			dump_duration(line, e->duration_ns);
			return;
		}
		break;
	case IPCT_MQ_UNLINK:
		dump_arg_bytes(line, "name", e->name, name_len, false);
		break;
	}
	dump_ret_timed(line, e->ret, e->duration_ns);
}

void dump_line_sem(struct dump_state *st, struct dump_line *line, const struct ipct_event_header *h)
{
	const struct ipct_sem_event *e = (const void *)h;
	static char buf[64], word[128];

	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	switch (e->op) {
	case IPCT_SEM_GET:
		key_arg(line, e->key);
		dump_arg_num(line, "nsems", e->nsems);
		dump_arg_word(line, "flags", decode_ipcget_flags(word, sizeof(word), (uint32_t)e->cmd));
		break;
	case IPCT_SEM_OP: {
		char ops[DUMP_WORD_LEN];
		size_t len = 0;

		dump_arg_num(line, "semid", e->id);
		len += snprintf(ops + len, sizeof(ops) - len, "[");
		for (uint32_t i = 0; i < e->nsops && i < IPCT_SEMOPS_MAX && len < sizeof(ops); i++)
			len += snprintf(ops + len, sizeof(ops) - len,
					"%s{sem_num=%u, sem_op=%d, sem_flg=%s}", i ? ", " : "",
					e->ops[i].num, e->ops[i].op,
					decode_sem_flags(word, sizeof(word), (uint16_t)e->ops[i].flags));
		if (len < sizeof(ops))
			snprintf(ops + len, sizeof(ops) - len, "%s]",
				 e->nsops > IPCT_SEMOPS_MAX ? ", ..." : "");
		dump_arg_word(line, "sops", ops);
		dump_arg_num(line, "nsops", e->nsops);
		break;
	}
	case IPCT_SEM_CTL:
		dump_arg_num(line, "semid", e->id);
		dump_arg_num(line, "semnum", e->nsems);
		dump_arg_word(line, "cmd", decode_semctl_cmd(word, sizeof(word), e->cmd));
		break;
	case IPCT_SEM_FUTEX_WAIT:
	case IPCT_SEM_FUTEX_WAKE:
		dump_arg_hex(line, "uaddr", (uint64_t)e->key);
		dump_arg_word(line, "futex_op", decode_futex_op(word, sizeof(word), e->cmd));
		dump_arg_num(line, "val", e->nsems);
		break;
	}
	dump_ret_timed(line, e->ret, e->duration_ns);
}

void dump_line_shm(struct dump_state *st, struct dump_line *line, const struct ipct_event_header *h)
{
	const struct ipct_shm_event *e = (const void *)h;
	static char buf[64], word[160];

	dump_line_init(line, DUMP_CALL, dump_call_name(e->syscall, NULL, buf, sizeof(buf)));
	switch (e->op) {
	case IPCT_SHM_GET:
		key_arg(line, e->key);
		dump_arg_num(line, "size", (long long)e->size);
		dump_arg_word(line, "flags", decode_ipcget_flags(word, sizeof(word), e->flags));
		break;
	case IPCT_SHM_AT:
		dump_arg_num(line, "shmid", e->id);
		dump_arg_word(line, "flags", decode_shmat_flags(word, sizeof(word), e->flags));
		dump_ret_hex(line, (uint64_t)e->ret);
		dump_duration(line, e->duration_ns);
		return;
	case IPCT_SHM_DT:
		dump_arg_hex(line, "addr", e->addr);
		break;
	case IPCT_SHM_CTL:
		dump_arg_num(line, "shmid", e->id);
		dump_arg_word(line, "cmd", decode_shmctl_cmd(word, sizeof(word), e->cmd));
		break;
	case IPCT_SHM_MMAP:
		dump_arg_num(line, "length", (long long)e->size);
		dump_arg_word(line, "prot", decode_mmap_prot(word, sizeof(word), e->flags >> 16));
		dump_arg_word(line, "flags", decode_mmap_flags(word, sizeof(word), e->flags & 0xffff));
		dump_arg_fd(line, "fd", e->fd, dump_object_text(st, st->fd_text, sizeof(st->fd_text), e->kind,
							    e->dev, e->ino, 0, 0, NULL, NULL));
		dump_ret_hex(line, (uint64_t)e->ret);
		dump_duration(line, e->duration_ns);
		return;
	case IPCT_SHM_MUNMAP:
		dump_arg_hex(line, "addr", e->addr);
		dump_arg_num(line, "length", (long long)e->size);
		break;
	}
	dump_ret_timed(line, e->ret, e->duration_ns);
}

/* A first touch of a shared page: touch addr=0x... access=read object=... page=N
 * mapped=writable (a read fault that mapped the page writable) */
void dump_line_touch(struct dump_state *st, struct dump_line *line,
		     const struct ipct_event_header *h)
{
	const struct ipct_touch_event *e = (const void *)h;

	dump_line_init(line, DUMP_RECORD, "touch");
	dump_line_after(line);
	dump_arg_hex(line, "addr", e->addr);
	dump_arg_word(line, "access", e->flags & IPCT_TOUCH_WRITE ? "write" : "read");
	dump_arg_word(line, "object", dump_object_text(st, st->fd_text, sizeof(st->fd_text),
						       IPCT_KIND_SHM, e->dev, e->ino, 0, 0,
						       NULL, NULL));
	dump_arg_num(line, "page", (long long)e->page);
	if (e->flags & IPCT_TOUCH_WRITABLE)
		dump_arg_word(line, "mapped", "writable");
}
