/*
 * events_ipc.h - the System V and POSIX IPC records of the event ABI:
 * message queues (msg*, mq_*), semaphores (sem*, futex handoffs), shared
 * memory (shm*, mmap of shared objects) and the first touches of shared
 * pages.  Included by events.h, whose rules hold here: no includes, never
 * reorder or resize a field.
 */
#ifndef IPCTRACE_EVENTS_IPC_H
#define IPCTRACE_EVENTS_IPC_H

enum ipct_msg_op {
	IPCT_MSG_GET = 1,        /* msgget(key, flags) -> id */
	IPCT_MSG_SEND = 2,       /* msgsnd / mq_timedsend */
	IPCT_MSG_RECV = 3,       /* msgrcv / mq_timedreceive */
	IPCT_MSG_CTL = 4,        /* msgctl(id, cmd) */
	IPCT_MQ_OPEN = 5,        /* mq_open(name) -> fd */
	IPCT_MQ_UNLINK = 6,      /* mq_unlink(name) */
};

/* A message-queue call.  SysV queues are named by id (and key); POSIX
 * queues by (dev, ino) of the mqueue inode, plus the name at mq_open. */
struct ipct_msg_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;               /* msgget/mq_open: id/fd; send: 0; recv: bytes; or -errno */
	__s64 id;                /* SysV msqid (or -1) */
	__s64 key;               /* msgget key */
	__s64 mtype;             /* send: type sent; recv: msgtyp asked for */
	__s64 rtype;             /* recv: type of the message received */
	__u64 size;              /* msgsz / msg_len asked for */
	__u64 ino;               /* POSIX mq: inode of the queue */
	__u32 dev;
	__u32 flags;             /* msgflg (IPC_NOWAIT, MSG_EXCEPT...) or O_* */
	__u32 prio;              /* POSIX mq priority */
	__s32 fd;                /* POSIX mq descriptor */
	__u16 syscall;
	__u8 op;                 /* enum ipct_msg_op */
	__u8 kind;               /* IPCT_KIND_MSGQ */
	__s32 cmd;               /* msgctl cmd */
	char name[IPCT_NAME_LEN];/* POSIX mq name (open/unlink) */
	__u32 payload_len;
	__u32 queue_flags;       /* IPCT_MSG_POSIX (0 in older files) */
	__u8 payload[];          /* first bytes of mtext / msg_ptr */
};
#define IPCT_MSG_POSIX 1u        /* a POSIX queue (mq_*), not a SysV one (msg*) */

struct ipct_sembuf {
	__u16 num;
	__s16 op;
	__s16 flags;
	__u16 pad;
};

enum ipct_sem_op {
	IPCT_SEM_GET = 1,        /* semget(key, nsems, flags) -> id */
	IPCT_SEM_OP = 2,         /* semop / semtimedop */
	IPCT_SEM_CTL = 3,        /* semctl(id, num, cmd) */
	IPCT_SEM_FUTEX_WAIT = 4, /* futex(FUTEX_WAIT[_BITSET]) on a process-shared word */
	IPCT_SEM_FUTEX_WAKE = 5, /* futex(FUTEX_WAKE[_BITSET]): ret = tasks woken */
};

/* For the futex ops (POSIX semaphores and other process-shared futexes:
 * only calls without FUTEX_PRIVATE_FLAG are recorded), id is -1, key is
 * the futex word's user address, nsems the value argument and cmd the
 * futex op; a shared mapping (shm record) turns the address into an
 * object and offset. */
struct ipct_sem_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;       /* for semop: time blocked waiting */
	__s64 ret;
	__s64 id;
	__s64 key;
	__u32 nsops;             /* semop: entries in the call (ops holds the first 8) */
	__s32 nsems;             /* semget: count; semctl: semnum */
	__s32 cmd;               /* semctl cmd; semget flags */
	__u16 syscall;
	__u8 op;                 /* enum ipct_sem_op */
	__u8 kind;               /* IPCT_KIND_SEM */
	struct ipct_sembuf ops[IPCT_SEMOPS_MAX];
};

enum ipct_shm_op {
	IPCT_SHM_GET = 1,        /* shmget(key, size, flags) -> id */
	IPCT_SHM_AT = 2,         /* shmat(id) -> address */
	IPCT_SHM_DT = 3,         /* shmdt(address) */
	IPCT_SHM_CTL = 4,        /* shmctl(id, cmd) */
	IPCT_SHM_MMAP = 5,       /* mmap(MAP_SHARED, fd): (dev, ino) */
	IPCT_SHM_MUNMAP = 6,     /* munmap(address, size) */
};

struct ipct_shm_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__s64 id;                /* SysV shmid, or -1 */
	__s64 key;
	__u64 size;
	__u64 addr;              /* attach/map address (the result for at/mmap) */
	__u64 ino;               /* mmap: inode of the file or shm object;
				    shmat: inode of the SysV segment */
	__u32 dev;
	__u32 flags;             /* shmflg, or mmap prot << 16 | flags & 0xffff */
	__s32 cmd;               /* shmctl cmd */
	__s32 fd;                /* mmap fd */
	__u16 syscall;
	__u8 op;                 /* enum ipct_shm_op */
	__u8 kind;               /* IPCT_KIND_SHM */
	__u32 generation;        /* mmap: the inode's i_generation (0 in older files) */
};

/* A traced process touched a page of a shared mapping (MAP_SHARED of a
 * file, shm_open object, SysV segment, memfd or MAP_SHARED|MAP_ANONYMOUS)
 * for the first time in this trace, for reading or for writing: the user
 * page-fault tracepoint (docs/tracing.md "Shared memory pages").  One record
 * per (process, object, page, read or write); the header's time is the
 * fault's. */
struct ipct_touch_event {
	struct ipct_event_header hdr;
	__u64 addr;              /* the faulting user address */
	__u64 ino;               /* the mapped inode (SysV: its number is the shmid) */
	__u64 page;              /* page index in the object: vm_pgoff + (addr - map_start) / 4096 */
	__u64 map_start;         /* start address of the mapping (vm_start) */
	__u32 dev;
	__u32 generation;        /* the inode's i_generation */
	__u32 error_code;        /* the x86 page-fault error code (bit 1: write) */
	__u8 flags;              /* IPCT_TOUCH_* */
	__u8 kind;               /* IPCT_KIND_SHM */
	__u16 pad;
};
#define IPCT_TOUCH_WRITE 1u      /* a write fault (error code bit 1) */
#define IPCT_TOUCH_WRITABLE 2u   /* a read fault that mapped the page writable (the
				    mapping's page protection allows writes: shmem,
				    SysV, shared anonymous memory): this process's
				    later stores to the page fault no more, unseen */
#define IPCT_TOUCH_SEEN_MAX 65536 /* (process, object, page, access) keys kept; a touch
				     past them is counted in lost[IPCT_KIND_SHM] */

#endif /* IPCTRACE_EVENTS_IPC_H */
