/*
 * decode - names for the numbers a trace records, as strace prints them:
 * open/pipe2/socket flags, send/recv flags, SysV IPC flags
 * and commands, futex operations, mmap protections and flags, errno and
 * si_code names.  The values are those of the x86_64 Linux ABI the trace
 * was recorded on, not of the host reading it; system call names are in
 * lib/syscall_names.h.
 *
 * Each decode_* writes into BUF (SIZE bytes, always NUL-terminated) and
 * returns BUF; a value without a name is written as a number.
 */
#ifndef IPCTRACE_VIZ_DECODE_H
#define IPCTRACE_VIZ_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* "EPIPE" for 32 (ERRNO > 0), or NULL when it has no name. */
const char *decode_errno_name(int errnum);

/* A flag word as NAME|NAME|0x..: */
char *decode_open_flags(char *buf, size_t size, uint32_t flags);   /* O_RDONLY|O_CLOEXEC */
char *decode_pipe_flags(char *buf, size_t size, uint32_t flags);   /* O_NONBLOCK|O_CLOEXEC */
char *decode_msg_flags(char *buf, size_t size, uint32_t flags);    /* MSG_DONTWAIT */
char *decode_ipc_flags(char *buf, size_t size, uint32_t flags);    /* IPC_NOWAIT|MSG_NOERROR */
char *decode_ipcget_flags(char *buf, size_t size, uint32_t flags); /* IPC_CREAT|IPC_EXCL|0600 */
char *decode_shmat_flags(char *buf, size_t size, uint32_t flags);  /* SHM_RDONLY */
char *decode_sem_flags(char *buf, size_t size, uint32_t flags);    /* IPC_NOWAIT|SEM_UNDO */
char *decode_mmap_prot(char *buf, size_t size, uint32_t prot);     /* PROT_READ|PROT_WRITE */
char *decode_mmap_flags(char *buf, size_t size, uint32_t flags);   /* MAP_SHARED */
char *decode_sock_type(char *buf, size_t size, uint32_t type);     /* SOCK_STREAM */

/* Commands: "IPC_RMID", "SETVAL", "FUTEX_WAIT_BITSET_PRIVATE"... */
char *decode_msgctl_cmd(char *buf, size_t size, int cmd);
char *decode_semctl_cmd(char *buf, size_t size, int cmd);
char *decode_shmctl_cmd(char *buf, size_t size, int cmd);
char *decode_futex_op(char *buf, size_t size, int op);
char *decode_shutdown_how(char *buf, size_t size, int how);
/* si_code of a signal SIG: "SI_USER", "SI_QUEUE", "CLD_EXITED"... */
char *decode_si_code(char *buf, size_t size, unsigned int sig, int code);

#endif /* IPCTRACE_VIZ_DECODE_H */
