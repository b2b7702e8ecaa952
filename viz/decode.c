/*
 * decode - names for the numbers of the x86_64 Linux ABI, as strace
 * prints them (see decode.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "decode.h"

struct flag_name {
	uint32_t value;         /* the bits... */
	uint32_t mask;          /* ...within these (0: value itself) */
	const char *name;
};

#define FLAG(v, n) { v, 0, n }

/* Append to BUF at *LEN, never past SIZE. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* FLAGS as the names of TABLE joined by '|', in table order, then what is
 * left as 0x... (octal 0... with OCTAL_REST, for modes); "0" when empty.
 * An entry with a mask matches when (flags & mask) == value, so a field
 * such as the access mode is one name even at 0. */
static char *decode_flags(char *buf, size_t size, uint32_t flags, const struct flag_name *table,
			  size_t n, bool octal_rest)
{
	size_t len = 0;
	uint32_t rest = flags;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		uint32_t mask = table[i].mask ? table[i].mask : table[i].value;

		if (!mask || (flags & mask) != table[i].value || (rest & mask) != table[i].value)
			continue;
		append(buf, size, &len, "%s%s", len ? "|" : "", table[i].name);
		rest &= ~mask;
	}
	if (rest || !len)
		append(buf, size, &len, octal_rest ? "%s%#o" : "%s%#x", len ? "|" : "", rest);
	return buf;
}

static char *decode_value(char *buf, size_t size, int value, const char *const *names, size_t n)
{
	if (value >= 0 && (size_t)value < n && names[value])
		snprintf(buf, size, "%s", names[value]);
	else
		snprintf(buf, size, "%d", value);
	return buf;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ---- */

const char *decode_errno_name(int errnum)
{
	return errnum > 0 ? strerrorname_np(errnum) : NULL;
}

/* ---- flags ---- */

/* The access mode, then the other open flags; pipe2 takes only the latter. */
static const struct flag_name open_flags[] = {
		{ 0, 03, "O_RDONLY" }, { 01, 03, "O_WRONLY" }, { 02, 03, "O_RDWR" },
		FLAG(0100, "O_CREAT"), FLAG(0200, "O_EXCL"), FLAG(0400, "O_NOCTTY"),
		FLAG(01000, "O_TRUNC"), FLAG(02000, "O_APPEND"), FLAG(04000, "O_NONBLOCK"),
		FLAG(04010000, "O_SYNC"), FLAG(010000, "O_DSYNC"), FLAG(020000, "O_ASYNC"),
		FLAG(040000, "O_DIRECT"), FLAG(0100000, "O_LARGEFILE"),
		FLAG(020200000, "O_TMPFILE"), FLAG(0200000, "O_DIRECTORY"),
		FLAG(0400000, "O_NOFOLLOW"), FLAG(01000000, "O_NOATIME"),
		FLAG(02000000, "O_CLOEXEC"), FLAG(010000000, "O_PATH"),
};

char *decode_open_flags(char *buf, size_t size, uint32_t flags)
{
	return decode_flags(buf, size, flags, open_flags, N(open_flags), false);
}

char *decode_pipe_flags(char *buf, size_t size, uint32_t flags)
{
	return decode_flags(buf, size, flags, open_flags + 3, N(open_flags) - 3, false);
}

char *decode_msg_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		FLAG(0x1, "MSG_OOB"), FLAG(0x2, "MSG_PEEK"), FLAG(0x4, "MSG_DONTROUTE"),
		FLAG(0x8, "MSG_CTRUNC"), FLAG(0x10, "MSG_PROXY"), FLAG(0x20, "MSG_TRUNC"),
		FLAG(0x40, "MSG_DONTWAIT"), FLAG(0x80, "MSG_EOR"), FLAG(0x100, "MSG_WAITALL"),
		FLAG(0x200, "MSG_FIN"), FLAG(0x400, "MSG_SYN"), FLAG(0x800, "MSG_CONFIRM"),
		FLAG(0x1000, "MSG_RST"), FLAG(0x2000, "MSG_ERRQUEUE"), FLAG(0x4000, "MSG_NOSIGNAL"),
		FLAG(0x8000, "MSG_MORE"), FLAG(0x10000, "MSG_WAITFORONE"), FLAG(0x40000, "MSG_BATCH"),
		FLAG(0x4000000, "MSG_ZEROCOPY"), FLAG(0x20000000, "MSG_FASTOPEN"),
		FLAG(0x40000000, "MSG_CMSG_CLOEXEC"),
	};

	return decode_flags(buf, size, flags, t, N(t), false);
}

char *decode_ipc_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		FLAG(04000, "IPC_NOWAIT"), FLAG(010000, "MSG_NOERROR"), FLAG(020000, "MSG_EXCEPT"),
		FLAG(040000, "MSG_COPY"),
	};

	return decode_flags(buf, size, flags, t, N(t), true);
}

char *decode_ipcget_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		FLAG(01000, "IPC_CREAT"), FLAG(02000, "IPC_EXCL"), FLAG(04000, "SHM_HUGETLB"),
		FLAG(010000, "SHM_NORESERVE"),
	};

	return decode_flags(buf, size, flags, t, N(t), true);
}

char *decode_shmat_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		FLAG(010000, "SHM_RDONLY"), FLAG(020000, "SHM_RND"), FLAG(040000, "SHM_REMAP"),
		FLAG(0100000, "SHM_EXEC"),
	};

	return decode_flags(buf, size, flags, t, N(t), false);
}

char *decode_sem_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		FLAG(04000, "IPC_NOWAIT"), FLAG(010000, "SEM_UNDO"),
	};

	return decode_flags(buf, size, flags, t, N(t), false);
}

char *decode_mmap_prot(char *buf, size_t size, uint32_t prot)
{
	static const struct flag_name t[] = {
		FLAG(1, "PROT_READ"), FLAG(2, "PROT_WRITE"), FLAG(4, "PROT_EXEC"),
	};

	if (!prot)
		return snprintf(buf, size, "PROT_NONE"), buf;
	return decode_flags(buf, size, prot, t, N(t), false);
}

char *decode_mmap_flags(char *buf, size_t size, uint32_t flags)
{
	static const struct flag_name t[] = {
		{ 1, 3, "MAP_SHARED" }, { 2, 3, "MAP_PRIVATE" }, { 3, 3, "MAP_SHARED_VALIDATE" },
		FLAG(0x10, "MAP_FIXED"), FLAG(0x20, "MAP_ANONYMOUS"), FLAG(0x40, "MAP_32BIT"),
		FLAG(0x100, "MAP_GROWSDOWN"), FLAG(0x800, "MAP_DENYWRITE"), FLAG(0x1000, "MAP_EXECUTABLE"),
		FLAG(0x2000, "MAP_LOCKED"), FLAG(0x4000, "MAP_NORESERVE"), FLAG(0x8000, "MAP_POPULATE"),
		FLAG(0x10000, "MAP_NONBLOCK"), FLAG(0x20000, "MAP_STACK"), FLAG(0x40000, "MAP_HUGETLB"),
		FLAG(0x80000, "MAP_SYNC"), FLAG(0x100000, "MAP_FIXED_NOREPLACE"),
	};

	return decode_flags(buf, size, flags, t, N(t), false);
}

char *decode_sock_type(char *buf, size_t size, uint32_t type)
{
	static const char *const names[] = {
		[1] = "SOCK_STREAM", [2] = "SOCK_DGRAM", [3] = "SOCK_RAW", [4] = "SOCK_RDM",
		[5] = "SOCK_SEQPACKET", [6] = "SOCK_DCCP", [10] = "SOCK_PACKET",
	};

	return decode_value(buf, size, (int)type, names, N(names));
}

/* ---- commands ---- */

static const char *const ipc_cmds[] = {
	"IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO",
};

/* A SysV ctl command: the IPC_* of every kind, then the kind's own from
 * 11 on; IPC_64 (0x100) as glibc may add it. */
static char *decode_ctl(char *buf, size_t size, int cmd, const char *const *own, size_t n)
{
	const char *prefix = (cmd & 0x100) ? "IPC_64|" : "";
	int c = cmd & ~0x100;

	if (c >= 0 && c < 4)
		snprintf(buf, size, "%s%s", prefix, ipc_cmds[c]);
	else if (c >= 11 && (size_t)(c - 11) < n && own[c - 11])
		snprintf(buf, size, "%s%s", prefix, own[c - 11]);
	else
		snprintf(buf, size, "%d", cmd);
	return buf;
}

char *decode_msgctl_cmd(char *buf, size_t size, int cmd)
{
	static const char *const own[] = { "MSG_STAT", "MSG_INFO", "MSG_STAT_ANY" };

	return decode_ctl(buf, size, cmd, own, N(own));
}

char *decode_semctl_cmd(char *buf, size_t size, int cmd)
{
	static const char *const own[] = {
		"GETPID", "GETVAL", "GETALL", "GETNCNT", "GETZCNT", "SETVAL", "SETALL",
		"SEM_STAT", "SEM_INFO", "SEM_STAT_ANY",
	};

	return decode_ctl(buf, size, cmd, own, N(own));
}

char *decode_shmctl_cmd(char *buf, size_t size, int cmd)
{
	static const char *const own[] = {
		"SHM_LOCK", "SHM_UNLOCK", "SHM_STAT", "SHM_INFO", "SHM_STAT_ANY",
	};

	return decode_ctl(buf, size, cmd, own, N(own));
}

char *decode_futex_op(char *buf, size_t size, int op)
{
	static const char *const names[] = {
		"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
		"FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
		"FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
		"FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
	};
	int cmd = op & 127;

	if ((size_t)cmd >= N(names) || (op & ~(127 | 128 | 256)))
		return snprintf(buf, size, "%#x", (unsigned)op), buf;
	snprintf(buf, size, "%s%s%s", names[cmd], op & 128 ? "_PRIVATE" : "",
		 op & 256 ? "|FUTEX_CLOCK_REALTIME" : "");
	return buf;
}

char *decode_shutdown_how(char *buf, size_t size, int how)
{
	static const char *const names[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };

	return decode_value(buf, size, how, names, N(names));
}

char *decode_si_code(char *buf, size_t size, unsigned int sig, int code)
{
	static const char *const user[] = {	/* by -code */
		"SI_USER", "SI_QUEUE", "SI_TIMER", "SI_MESGQ", "SI_ASYNCIO", "SI_SIGIO", "SI_TKILL",
		"SI_DETHREAD",
	};
	static const char *const chld[] = {
		NULL, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
		"CLD_CONTINUED",
	};

	if (code == 0x80)
		snprintf(buf, size, "SI_KERNEL");
	else if (code <= 0 && (size_t)-code < N(user) && user[-code])
		snprintf(buf, size, "%s", user[-code]);
	else if (sig == 17 && code > 0 && (size_t)code < N(chld))
		snprintf(buf, size, "%s", chld[code]);
	else
		snprintf(buf, size, "%d", code);
	return buf;
}
