/*
 * syscalls.h - the system calls ipctrace follows, in one table that the
 * BPF side and user space both expand.
 *
 * IPCT_SYSCALLS(X) calls X(name, number, handler, kinds) once per call:
 *   name     the call's name, as strace prints it
 *   number   its x86_64 system call number; records carry it in `syscall`
 *   handler  which handle_<handler>() of bpf/ reads it at sys_exit
 *   kinds    the set of enum ipct_kind bits (IPCT_KIND_BIT, IPCT_KINDS_*)
 *            of which one must be selected (-e) for the call to be timed
 *
 * The BPF side builds sys_enter's filter and sys_exit's dispatch from it;
 * user space (lib/syscall_names.c) the names.  Numbers are x86_64's: the
 * trace records them as they are, so a reader uses this table on any host,
 * while the BPF object builds for x86_64 only (bpf/ipctrace.bpf.c).
 *
 * Like events.h, this header has no includes; it needs events.h first.
 */
#ifndef IPCTRACE_SYSCALLS_H
#define IPCTRACE_SYSCALLS_H

#define IPCT_KINDS_PIPE   IPCT_KIND_BIT(IPCT_KIND_PIPE)
#define IPCT_KINDS_OPENED (IPCT_KIND_BIT(IPCT_KIND_FIFO) | IPCT_KIND_BIT(IPCT_KIND_FILE) | \
			   IPCT_KIND_BIT(IPCT_KIND_SHM))
#define IPCT_KINDS_MSGQ   IPCT_KIND_BIT(IPCT_KIND_MSGQ)
#define IPCT_KINDS_SEM    IPCT_KIND_BIT(IPCT_KIND_SEM)
#define IPCT_KINDS_SHM    IPCT_KIND_BIT(IPCT_KIND_SHM)
#define IPCT_KINDS_SIGNAL IPCT_KIND_BIT(IPCT_KIND_SIGNAL)
#define IPCT_KINDS_EVENTFD IPCT_KIND_BIT(IPCT_KIND_EVENTFD)
/* read/write and their vector forms also move eventfd counters */
#define IPCT_KINDS_RW     (IPCT_KINDS_STREAM | IPCT_KIND_BIT(IPCT_KIND_EVENTFD))

#define IPCT_SYSCALLS(X) \
	X(read,                0, io,          IPCT_KINDS_RW    ) \
	X(write,               1, io,          IPCT_KINDS_RW    ) \
	X(open,                2, open,        IPCT_KINDS_OPENED) \
	X(close,               3, sock,        IPCT_KINDS_SOCKET) \
	X(poll,                7, wait,        IPCT_KINDS_STREAM) \
	X(mmap,                9, shm,         IPCT_KINDS_SHM) \
	X(munmap,             11, shm,         IPCT_KINDS_SHM) \
	X(pread64,            17, io,          IPCT_KINDS_STREAM) \
	X(pwrite64,           18, io,          IPCT_KINDS_STREAM) \
	X(readv,              19, io,          IPCT_KINDS_RW    ) \
	X(writev,             20, io,          IPCT_KINDS_RW    ) \
	X(pipe,               22, pipe,        IPCT_KINDS_PIPE) \
	X(select,             23, wait,        IPCT_KINDS_STREAM) \
	X(shmget,             29, shm,         IPCT_KINDS_SHM) \
	X(shmat,              30, shm,         IPCT_KINDS_SHM) \
	X(shmctl,             31, shm,         IPCT_KINDS_SHM) \
	X(socket,             41, sock,        IPCT_KINDS_SOCKET) \
	X(connect,            42, sock,        IPCT_KINDS_SOCKET) \
	X(accept,             43, sock,        IPCT_KINDS_SOCKET) \
	X(sendto,             44, io,          IPCT_KINDS_SOCKET) \
	X(recvfrom,           45, io,          IPCT_KINDS_SOCKET) \
	X(sendmsg,            46, io,          IPCT_KINDS_SOCKET) \
	X(recvmsg,            47, io,          IPCT_KINDS_SOCKET) \
	X(shutdown,           48, sock,        IPCT_KINDS_SOCKET) \
	X(bind,               49, sock,        IPCT_KINDS_SOCKET) \
	X(listen,             50, sock,        IPCT_KINDS_SOCKET) \
	X(socketpair,         53, sock,        IPCT_KINDS_SOCKET) \
	X(kill,               62, signal_send, IPCT_KINDS_SIGNAL) \
	X(semget,             64, sem,         IPCT_KINDS_SEM) \
	X(semop,              65, sem,         IPCT_KINDS_SEM) \
	X(semctl,             66, sem,         IPCT_KINDS_SEM) \
	X(shmdt,              67, shm,         IPCT_KINDS_SHM) \
	X(msgget,             68, msg,         IPCT_KINDS_MSGQ) \
	X(msgsnd,             69, msg,         IPCT_KINDS_MSGQ) \
	X(msgrcv,             70, msg,         IPCT_KINDS_MSGQ) \
	X(msgctl,             71, msg,         IPCT_KINDS_MSGQ) \
	X(creat,              85, open,        IPCT_KINDS_OPENED) \
	X(rt_sigtimedwait,   128, signal_wait, IPCT_KINDS_SIGNAL) \
	X(rt_sigqueueinfo,   129, signal_send, IPCT_KINDS_SIGNAL) \
	X(tkill,             200, signal_send, IPCT_KINDS_SIGNAL) \
	X(futex,             202, sem,         IPCT_KINDS_SEM) \
	X(semtimedop,        220, sem,         IPCT_KINDS_SEM) \
	X(epoll_wait,        232, wait,        IPCT_KINDS_STREAM) \
	X(epoll_ctl,         233, epoll_ctl,   IPCT_KINDS_STREAM) \
	X(tgkill,            234, signal_send, IPCT_KINDS_SIGNAL) \
	X(mq_open,           240, msg,         IPCT_KINDS_MSGQ) \
	X(mq_unlink,         241, msg,         IPCT_KINDS_MSGQ) \
	X(mq_timedsend,      242, msg,         IPCT_KINDS_MSGQ) \
	X(mq_timedreceive,   243, msg,         IPCT_KINDS_MSGQ) \
	X(openat,            257, open,        IPCT_KINDS_OPENED) \
	X(pselect6,          270, wait,        IPCT_KINDS_STREAM) \
	X(ppoll,             271, wait,        IPCT_KINDS_STREAM) \
	X(splice,            275, splice,      IPCT_KINDS_STREAM) \
	X(tee,               276, splice,      IPCT_KINDS_STREAM) \
	X(epoll_pwait,       281, wait,        IPCT_KINDS_STREAM) \
	X(eventfd,           284, eventfd,     IPCT_KINDS_EVENTFD) \
	X(accept4,           288, sock,        IPCT_KINDS_SOCKET) \
	X(eventfd2,          290, eventfd,     IPCT_KINDS_EVENTFD) \
	X(pipe2,             293, pipe,        IPCT_KINDS_PIPE) \
	X(rt_tgsigqueueinfo, 297, signal_send, IPCT_KINDS_SIGNAL) \
	X(recvmmsg,          299, mmsg,        IPCT_KINDS_SOCKET) \
	X(sendmmsg,          307, mmsg,        IPCT_KINDS_SOCKET) \
	X(pidfd_send_signal, 424, signal_send, IPCT_KINDS_SIGNAL) \
	X(io_uring_enter,    426, unfollowed,  IPCT_KINDS_STREAM) \
	X(openat2,           437, open,        IPCT_KINDS_OPENED) \
	X(epoll_pwait2,      441, wait,        IPCT_KINDS_STREAM)

/* NR_<name>: the number of each call of the table, for the handlers. */
#define IPCT_SYSCALL_ENUM(name, number, handler, kinds) NR_##name = number,
enum ipct_syscall_nr {
	IPCT_SYSCALLS(IPCT_SYSCALL_ENUM)
};
#undef IPCT_SYSCALL_ENUM

#endif /* IPCTRACE_SYSCALLS_H */
