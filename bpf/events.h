/*
 * events.h - the event ABI shared by bpf/ipctrace.bpf.c and user space.
 *
 * Every record that the BPF side puts in the ring buffer starts with
 * struct ipct_event_header; `type` says which struct follows and `size` is
 * the length of the whole record in bytes (always a multiple of 8, so the
 * trace file can encode records as 64-bit words).  Timestamps are
 * bpf_ktime_get_ns() (CLOCK_MONOTONIC).  For a system call, ts_ns is the
 * time the call returned and duration_ns the time spent inside it.
 *
 * This header includes only its own parts (events_ipc.h, the SysV and
 * POSIX IPC records; events_layout.h, the layout checks): the BPF side
 * gets __u64 and friends from vmlinux.h, user space from <linux/types.h>.  Never reorder or resize a
 * field: trace files store these records as they are (new fields go at the
 * end of a record, new records get new type numbers).
 */
#ifndef IPCTRACE_EVENTS_H
#define IPCTRACE_EVENTS_H

#define IPCT_COMM_LEN 16
#define IPCT_PATH_LEN 256
#define IPCT_PAYLOAD_MAX 256     /* most payload bytes one record carries (-s) */
#define IPCT_SOCK_PATH_LEN 108   /* sizeof(sun_path) */
#define IPCT_NAME_LEN 64         /* POSIX mq names */
#define IPCT_SEMOPS_MAX 8        /* sembuf entries kept per semop */

/* What a record is. */
enum ipct_event_type {
	IPCT_EV_FORK = 1,        /* struct ipct_fork_event */
	IPCT_EV_EXEC = 2,        /* struct ipct_exec_event */
	IPCT_EV_EXIT = 3,        /* struct ipct_exit_event */
	IPCT_EV_PIPE = 4,        /* struct ipct_pipe_event: pipe()/pipe2() */
	IPCT_EV_IO = 5,          /* struct ipct_io_event: read/write-like call */
	IPCT_EV_OPEN = 6,        /* struct ipct_open_event: open of a FIFO or file */
	IPCT_EV_MSG = 7,         /* struct ipct_msg_event: SysV msg*, POSIX mq_* */
	IPCT_EV_SEM = 8,         /* struct ipct_sem_event: semget/semop/semctl */
	IPCT_EV_SHM = 9,         /* struct ipct_shm_event: shm*, mmap(MAP_SHARED) */
	IPCT_EV_SIGNAL = 10,     /* struct ipct_signal_event */
	IPCT_EV_SOCK = 11,       /* struct ipct_sock_event: socket lifecycle calls */
	IPCT_EV_UNFOLLOWED = 12, /* struct ipct_unfollowed_event: a call that moves data unseen */
	IPCT_EV_TOUCH = 13,      /* struct ipct_touch_event: first touch of a shared page */
	IPCT_EV_FDPASS = 14,     /* struct ipct_fdpass_event: descriptors sent or received
				    over a unix socket (SCM_RIGHTS) */
	IPCT_EV_EVENTFD = 15,    /* struct ipct_eventfd_event: eventfd()/eventfd2() */
	IPCT_EV_UNIX_NAME = 16,  /* struct ipct_unix_name_event: the name a unix
				    socket that received a datagram was bound to */
	IPCT_EV_WAIT = 20,       /* struct ipct_wait_event: poll, select, epoll_wait and kin */
	IPCT_EV_EPOLL_CTL = 21,  /* struct ipct_epoll_ctl_event */
	IPCT_EV_FD = 24,         /* struct ipct_fd_event: a descriptor open when tracing began */
	IPCT_EV_STAT = 28,       /* struct ipct_stat_event: `trace stat` counters */
	IPCT_EV_STREAM = 29,     /* struct ipct_stream_event: a pipe, FIFO or file call
				    (readers see it as IPCT_EV_IO) */
	IPCT_EV_STAT_ENDPOINT = 30, /* struct ipct_stat_endpoint_event: `trace stat`,
				    the endpoints of an inet socket's counter */
	IPCT_EV_TYPE_MAX
};

/* What kind of object a call worked on (also indexes loss counters). */
enum ipct_kind {
	IPCT_KIND_NONE = 0,      /* process lifecycle, not an IPC object */
	IPCT_KIND_PIPE = 1,
	IPCT_KIND_FIFO = 2,
	IPCT_KIND_FILE = 3,
	IPCT_KIND_MSGQ = 4,
	IPCT_KIND_SHM = 5,
	IPCT_KIND_SEM = 6,
	IPCT_KIND_SIGNAL = 7,
	IPCT_KIND_UNIX = 8,
	IPCT_KIND_TCP = 9,
	IPCT_KIND_UDP = 10,
	IPCT_KIND_EVENTFD = 11,  /* an eventfd: 8-byte counters written and read */
	IPCT_KIND_MAX
};

/* Sets of kinds, as bits (1 << enum ipct_kind): -e selections, the
 * `kinds` setting of the BPF side, and tests of what a kind is. */
#define IPCT_KIND_BIT(k)   (1u << (k))
#define IPCT_KINDS_ALL     ((1u << IPCT_KIND_MAX) - 1 - IPCT_KIND_BIT(IPCT_KIND_NONE))
#define IPCT_KINDS_SOCKET  (IPCT_KIND_BIT(IPCT_KIND_UNIX) | IPCT_KIND_BIT(IPCT_KIND_TCP) | \
			    IPCT_KIND_BIT(IPCT_KIND_UDP))
#define IPCT_KINDS_INET    (IPCT_KIND_BIT(IPCT_KIND_TCP) | IPCT_KIND_BIT(IPCT_KIND_UDP))
#define IPCT_KINDS_STREAM  (IPCT_KIND_BIT(IPCT_KIND_PIPE) | IPCT_KIND_BIT(IPCT_KIND_FIFO) | \
			    IPCT_KIND_BIT(IPCT_KIND_FILE) | IPCT_KINDS_SOCKET)

/* Direction of an I/O call relative to the object. */
enum ipct_dir {
	IPCT_DIR_SEND = 1,       /* write, writev, send... : data into the object */
	IPCT_DIR_RECV = 2,       /* read, readv, recv...  : data out of it */
};

struct ipct_event_header {
	__u64 ts_ns;             /* monotonic time of the event (call return) */
	__u32 pid;               /* thread group id of the acting task */
	__u32 tid;               /* its thread id */
	__u16 type;              /* enum ipct_event_type */
	__u16 size;              /* bytes in the whole record, multiple of 8 */
	__u32 cpu;               /* CPU it ran on */
};

/* A task was created.  The header names the parent (the forking task). */
struct ipct_fork_event {
	struct ipct_event_header hdr;
	__u32 child_pid;         /* tgid of the new task */
	__u32 child_tid;         /* its tid (== child_pid for a new process) */
	__u32 flags;             /* IPCT_FORK_THREAD when it is a thread */
	__u32 pad;
	char comm[IPCT_COMM_LEN];/* child's comm at fork (inherited) */
};
#define IPCT_FORK_THREAD 1u

/* A process exec'd: the header pid is the process after exec. */
struct ipct_exec_event {
	struct ipct_event_header hdr;
	__u32 old_tid;           /* tid that called execve (differs if a thread exec'd) */
	__u32 pad;
	char comm[IPCT_COMM_LEN];
	char filename[IPCT_PATH_LEN]; /* as passed to exec, NUL-terminated, may be cut */
};

/* A task exited. */
struct ipct_exit_event {
	struct ipct_event_header hdr;
	__s32 exit_code;         /* wait(2)-style status: code << 8, or signal number */
	__u32 flags;             /* IPCT_EXIT_GROUP_DEAD when the whole process ended */
};
#define IPCT_EXIT_GROUP_DEAD 1u

/* pipe()/pipe2() returned two descriptors on a new pipe. */
struct ipct_pipe_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__u64 ino;               /* pipe inode (both ends share it) */
	__u32 dev;               /* st_dev of the inode (kernel dev_t encoding) */
	__s32 ret;               /* 0 or -errno */
	__s32 read_fd;
	__s32 write_fd;
	__u32 flags;             /* pipe2 flags */
	__u32 pad;
};

/* An IPv4 or IPv6 endpoint (IPv4 in the first 4 bytes of addr). */
struct ipct_inet_addr {
	__u8 addr[16];
	__u16 port;              /* host byte order */
	__u16 family;            /* AF_INET, AF_INET6, or 0 */
	__u32 pad;
};

/* One data-moving call on a pipe, FIFO, regular file or socket: read,
 * write, readv, writev, pread64, pwrite64, sendto, recvfrom, sendmsg,
 * recvmsg, splice and tee (one record per side).  Message queues have
 * their own record (ipct_msg_event). */
struct ipct_io_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;       /* entry to return */
	__s64 ret;               /* bytes moved, or -errno */
	__u64 ino;               /* object identity: (dev, ino); for a unix socket the
				    socket's id (see peer_ino) and dev 0 */
	__u64 requested;         /* byte count asked for (sum of iovecs for *v) */
	__u32 dev;
	__s32 fd;
	__u16 syscall;           /* x86_64 syscall number */
	__u8 kind;               /* enum ipct_kind */
	__u8 dir;                /* enum ipct_dir */
	__u32 flags;             /* IPCT_IO_*; send/recv flags in the upper 16 bits */
	/* Older files' records end here; the reader widens them with zeros. */
	__u64 offset;            /* files: position of the first byte; else 0 */
	__u64 peer_ino;          /* unix sockets: the peer socket's id, 0 if none.  Unix
				    sockets are named by an opaque 32-bit id of their
				    kernel sock (the server end of a connection has no
				    inode until accept), the same in ino and peer_ino */
	struct ipct_inet_addr local;   /* inet sockets: this end */
	struct ipct_inet_addr remote;  /* inet: the other end (sendto/recvfrom address for
					* unconnected UDP); unix: unused */
	__u32 sock_type;         /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, or 0 */
	__u32 payload_len;       /* bytes in payload[] (record is padded to 8) */
	__u8 payload[];          /* first bytes moved, up to -s N */
};
#define IPCT_IO_PEEK 1u          /* MSG_PEEK: bytes were not consumed */
/* Set by `trace merge`, never by the BPF side: this inet socket's peer was
 * recorded on another host (the channel joins both), or on no host. */
#define IPCT_IO_HOSTS_JOINED 0x4000u
#define IPCT_IO_HOSTS_ONE_SIDED 0x8000u

/* The compact form of ipct_io_event for pipes, FIFOs and regular files,
 * which have no socket fields: the same fields at the same offsets up to
 * `offset`, then the payload.  The trace reader hands it to consumers as
 * the ipct_io_event it stands for (peer_ino, local, remote, sock_type
 * zero), so only the BPF side and the reader know this form. */
struct ipct_stream_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__u64 ino;
	__u64 requested;
	__u32 dev;
	__s32 fd;
	__u16 syscall;
	__u8 kind;               /* IPCT_KIND_PIPE, FIFO or FILE */
	__u8 dir;
	__u32 flags;
	__u64 offset;
	__u32 payload_len;
	__u32 pad;
	__u8 payload[];
};

/* open/openat/openat2/creat of a FIFO, a regular file, or a file in
 * /dev/shm (shm_open), and mq_open (kind msgq, see msg event for its use). */
struct ipct_open_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;               /* the new fd, or -errno */
	__u64 ino;
	__u32 dev;
	__u32 flags;             /* open flags */
	__u32 mode;              /* inode mode (S_IFIFO, S_IFREG...) */
	__u16 syscall;
	__u8 kind;               /* IPCT_KIND_FIFO, IPCT_KIND_FILE, IPCT_KIND_SHM */
	__u8 pad;
	char path[IPCT_PATH_LEN];/* as passed by the caller */
	__u32 generation;        /* the inode's i_generation (0 in older files) */
	__u32 created;           /* IPCT_OPEN_CREATED when this call created the file */
};
#define IPCT_OPEN_CREATED 1u

enum ipct_signal_op {
	IPCT_SIG_SEND = 1,       /* kill/tkill/tgkill/rt_sigqueueinfo/rt_tgsigqueueinfo/pidfd_send_signal */
	IPCT_SIG_GENERATE = 2,   /* signal_generate: a signal was queued (or not) for target */
	IPCT_SIG_DELIVER = 3,    /* signal_deliver: the target is acting on it, or
				    rt_sigtimedwait returned it (action WAITED) */
};

enum ipct_signal_action {
	IPCT_SIGACT_DEFAULT = 0,
	IPCT_SIGACT_IGNORE = 1,
	IPCT_SIGACT_HANDLER = 2,
	IPCT_SIGACT_WAITED = 3,  /* taken by sigwaitinfo/sigtimedwait (no delivery) */
};

/* Header pid/tid: the acting task (sender for SEND/GENERATE, receiver for
 * DELIVER). */
struct ipct_signal_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;       /* SEND only */
	__s64 ret;               /* SEND: syscall result; GENERATE: TRACE_SIGNAL_* result */
	__u32 sig;
	__u32 target_pid;        /* GENERATE/SEND: tgid of the target (0 unknown); DELIVER: own */
	__u32 target_tid;
	__s32 code;              /* si_code */
	__u32 sender_pid;        /* si_pid where the siginfo carries one, else 0 */
	__u32 group;             /* GENERATE: sent to the whole process */
	__u64 value;             /* si_value (sigqueue) */
	__u64 handler;           /* DELIVER: sa_handler; GENERATE: the target's (0 in older files) */
	__u16 syscall;           /* SEND */
	__u8 op;                 /* enum ipct_signal_op */
	__u8 action;             /* DELIVER, GENERATE: enum ipct_signal_action of handler */
	__u32 flags;             /* GENERATE, DELIVER: IPCT_SIG_* (0 in older files) */
};
/* The kernel generated the signal without a siginfo: SEND_SIG_NOINFO (as
 * if the current task had sent it with kill: SIGPIPE, SIGXFSZ, a
 * parent-death signal) or SEND_SIG_PRIV (its own: alarm timers, the OOM
 * killer, the terminal).  code is then SI_USER (0) or SI_KERNEL (0x80). */
#define IPCT_SIG_NOINFO 1u
#define IPCT_SIG_PRIV 2u

enum ipct_sock_op {
	IPCT_SOCK_SOCKET = 1,
	IPCT_SOCK_SOCKETPAIR = 2,
	IPCT_SOCK_BIND = 3,
	IPCT_SOCK_LISTEN = 4,
	IPCT_SOCK_CONNECT = 5,
	IPCT_SOCK_ACCEPT = 6,
	IPCT_SOCK_SHUTDOWN = 7,
	IPCT_SOCK_CLOSE = 8,
};

/* A socket lifecycle call.  ino is the socket's inode, or for a unix
 * socket its id as in ipct_io_event (socketpair: the first end; accept:
 * the new socket); peer_ino the unix peer's id. */
struct ipct_sock_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__u64 ino;
	__u64 peer_ino;          /* unix: peer's inode when connected */
	__u32 dev;
	__s32 fd;                /* the call's socket fd (or the new one) */
	__s32 fd2;               /* socketpair: second fd; accept: listening fd */
	__u16 syscall;
	__u8 op;                 /* enum ipct_sock_op */
	__u8 kind;               /* IPCT_KIND_UNIX, TCP or UDP */
	__u32 family;
	__u32 sock_type;
	__s32 arg;               /* listen backlog, shutdown how */
	__u32 pad;
	struct ipct_inet_addr local;
	struct ipct_inet_addr remote;
	char path[IPCT_SOCK_PATH_LEN]; /* unix address: bind/connect path; abstract
					  names start with '@' */
	__u32 path_len;
	__u32 pad2;
	__u32 pad3;              /* to the 8-byte alignment of the record */
};

/* `trace stat`: calls counted in the kernel instead of recorded, per
 * (process, kind, object, direction).  Objects: stream I/O by (dev, ino)
 * (a unix socket by its id, peer its peer's id; a UDP send by its
 * destination in peer, see ipct_stat_endpoint_event); a SysV queue by
 * msqid (dev 0), a POSIX queue by (dev, ino); a SysV semaphore set by
 * semid, a process-shared futex by its address (peer 1), where a P or a
 * futex wait that slept in the call (the task switched out voluntarily)
 * counts under dev 1, the others under dev 0; a signal by the target's
 * pid with the signal number in dev, and in peer 0x100 when the target
 * ignored it, and a SIGCHLD's si_code in the low byte.  The same key and value are
 * the body of an IPCT_EV_STAT record, written to the trace at the end. */
#define IPCT_STAT_BUCKETS 32     /* log2 histogram of ns in the call: bucket
				    b counts calls of [2^b, 2^(b+1)) ns, bucket
				    0 also 0 ns; the last one everything above */
struct ipct_stat_key {
	__u32 pid;               /* the calling process (tgid) */
	__u8 kind;               /* enum ipct_kind */
	__u8 dir;                /* enum ipct_dir; 0 for semaphores */
	__u16 pad;
	__u32 dev;
	__u32 pad2;
	__u64 obj;
	__u64 peer;
};

struct ipct_stat_value {
	__u64 calls;
	__u64 errors;            /* calls that returned -errno */
	__u64 bytes;             /* bytes moved (messages: bytes of the messages) */
	__u64 ns;                /* time spent in the calls */
	__u32 hist[IPCT_STAT_BUCKETS];
};

/* One counter at the end of a `trace stat` recording (type IPCT_EV_STAT). */
struct ipct_stat_event {
	struct ipct_event_header hdr;
	struct ipct_stat_key key;
	struct ipct_stat_value value;
};

/* `trace stat`: the endpoints of the inet socket behind a counter (TCP
 * and UDP keys), written once when the counter is made, so that readers
 * join the two ends of a connection as a full recording does (by the
 * 4-tuple).  A UDP send's key has the destination in peer (family << 48 |
 * port << 32 | IPv4 address, or a hash of the IPv6 one): one counter per
 * destination, whose remote endpoint it is. */
struct ipct_stat_endpoint_event {
	struct ipct_event_header hdr;
	struct ipct_stat_key key;
	struct ipct_inet_addr local;
	struct ipct_inet_addr remote;
};

/* A call that moves data the tracer does not follow, counted so the report
 * can say so: io_uring_enter (arg: to_submit, ret: submitted), sendmmsg and
 * recvmmsg (arg: vlen, ret: messages). */
struct ipct_unfollowed_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__u64 arg;
	__u16 syscall;
	__u16 pad;
	__u32 pad2;
};

/* A descriptor the traced process already had open when tracing began:
 * inherited from outside the trace (a redirected stdout), or open before
 * -p attached.  Written for the root process only, at the start (its
 * children inherit it: readers take the object from each call's record).
 * Descriptors marked close-on-exec are left out for a command the tracer
 * starts, since its exec closes them. */
struct ipct_fd_event {
	struct ipct_event_header hdr;  /* pid/tid: the process whose table it is */
	__u64 ino;               /* (dev, ino) as in ipct_io_event; unix: the socket's id */
	__u64 peer_ino;          /* unix: the peer socket's id, 0 if none */
	__u32 dev;
	__s32 fd;
	__u32 mode;              /* inode mode: S_IFREG, S_IFIFO, S_IFSOCK, S_IFCHR... */
	__u32 open_flags;        /* f_flags: O_ACCMODE, O_APPEND, O_NONBLOCK... */
	__u32 generation;        /* the inode's i_generation */
	__u32 sock_type;         /* sockets: SOCK_STREAM, SOCK_DGRAM...; else 0 */
	__u8 kind;               /* enum ipct_kind; NONE for a terminal, a device... */
	__u8 flags;              /* IPCT_FD_* */
	__u16 path_len;          /* bytes in path before its NUL */
	__u32 pad;
	struct ipct_inet_addr local;   /* inet sockets: this end */
	struct ipct_inet_addr remote;  /* inet sockets: the other end */
	char path[IPCT_PATH_LEN];      /* files, FIFOs, devices: the path (d_path, may
					  be cut); unix sockets: the bound address of
					  this end, else of the peer ('@' for abstract) */
};
#define IPCT_FD_CLOEXEC 1u       /* close-on-exec was set */
#define IPCT_FDS_MAX 4096        /* records one start writes at most */

/* What kind of wait an ipct_wait_event is. */
enum ipct_wait_op {
	IPCT_WAIT_POLL = 1,      /* poll, ppoll */
	IPCT_WAIT_SELECT = 2,    /* select, pselect6 */
	IPCT_WAIT_EPOLL = 3,     /* epoll_wait, epoll_pwait, epoll_pwait2 */
};

#define IPCT_WAIT_FDS_MAX 16     /* descriptors kept per wait */
#define IPCT_SELECT_FDS 64       /* select: descriptors below this are seen */

/* One descriptor of a wait.  poll: a pollfd, in the caller's order.
 * select: a descriptor of the sets (events POLLIN for the read set,
 * POLLOUT for the write set, POLLPRI for the except set; revents the
 * same for the sets returned).  epoll: a ready event (revents its EPOLL*
 * bits, data its data; fd and the object are -1 and 0: the epoll_ctl
 * records that registered data tell them). */
struct ipct_wait_fd {
	__s32 fd;
	__u16 events;            /* POLL* bits asked for */
	__u16 revents;           /* POLL* (epoll: EPOLL*) bits ready on return */
	__u64 ino;               /* the object behind fd, as in ipct_io_event */
	__u64 data;              /* epoll: the event's data; else 0 */
	__u32 dev;
	__u8 kind;               /* enum ipct_kind, NONE for what is no IPC object */
	__u8 pad[3];
};

/* A poll, select or epoll_wait-like call.  The record ends after
 * nrecorded entries of fds[]. */
struct ipct_wait_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;               /* ready descriptors (epoll: events), 0 on timeout, -errno */
	__s64 timeout_ns;        /* the timeout asked for; -1: none (wait until ready) */
	__u64 ep_id;             /* epoll: an id of the epoll instance (as for unix
				    sockets: opaque, the same in epoll_ctl records) */
	__u32 nfds;              /* poll: nfds; select: nfds (highest + 1); epoll: maxevents */
	__u32 nrecorded;         /* entries in fds[] */
	__u16 syscall;
	__u8 op;                 /* enum ipct_wait_op */
	__u8 pad;
	__s32 epfd;              /* epoll: the epoll descriptor; else -1 */
	struct ipct_wait_fd fds[];
};

/* epoll_ctl(epfd, op, fd, event): registers FD's object under DATA. */
struct ipct_epoll_ctl_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__u64 ep_id;             /* as in ipct_wait_event */
	__u64 data;              /* event->data */
	__u64 ino;               /* the object behind fd */
	__s32 epfd;
	__s32 fd;
	__u32 events;            /* EPOLL* bits asked for */
	__u32 dev;
	__u16 syscall;
	__u8 op;                 /* EPOLL_CTL_ADD (1), EPOLL_CTL_DEL (2), EPOLL_CTL_MOD (3) */
	__u8 kind;               /* enum ipct_kind of fd's object */
	__u32 pad;
};

/* One descriptor carried by an SCM_RIGHTS message, classified as the
 * tracer classifies descriptors: the object as ipct_io_event names it
 * (kind NONE for what is no IPC object: a terminal, a directory...). */
struct ipct_passed_fd {
	__u64 ino;               /* (dev, ino); unix socket, eventfd: its id, dev 0 */
	__u64 peer_ino;          /* unix: the peer socket's id, 0 if none */
	__u32 dev;
	__s32 fd;                /* the descriptor number in the acting process */
	__u32 generation;        /* the inode's i_generation */
	__u16 sock_type;         /* sockets: SOCK_STREAM, SOCK_DGRAM...; else 0 */
	__u8 kind;               /* enum ipct_kind */
	__u8 pad;
};

#define IPCT_FDPASS_MAX 8        /* descriptors recorded per message */

/* sendmsg/recvmsg on a unix socket that carried SCM_RIGHTS control data.
 * Follows the call's io record.  dir SEND: the sender's descriptors, peer_ino
 * the receiving socket; RECV: the descriptors the receiver got, ino its own
 * socket.  npassed counts every descriptor of the message; fds[] holds the
 * first nrecorded (at most IPCT_FDPASS_MAX), the rest are zero. */
struct ipct_fdpass_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;
	__u64 ino;               /* the unix socket's id (as in ipct_io_event) */
	__u64 peer_ino;          /* the socket the message went to (SEND), or our peer */
	__s32 sock_fd;
	__u16 syscall;
	__u8 dir;                /* enum ipct_dir */
	__u8 nrecorded;
	__u32 npassed;
	__u32 flags;             /* IPCT_FDPASS_* */
	struct ipct_passed_fd fds[IPCT_FDPASS_MAX];
};
#define IPCT_FDPASS_CTRUNC 1u    /* recvmsg: MSG_CTRUNC, descriptors were dropped */

/* eventfd(initval) / eventfd2(initval, flags) that made a new eventfd. */
struct ipct_eventfd_event {
	struct ipct_event_header hdr;
	__u64 duration_ns;
	__s64 ret;               /* the new descriptor, or -errno */
	__u64 id;                /* the eventfd's id, as io records name it (0 on error) */
	__u32 initval;
	__u32 flags;             /* EFD_SEMAPHORE (1), EFD_NONBLOCK, EFD_CLOEXEC */
	__u16 syscall;
	__u16 pad;
	__u32 pad2;
};
#define IPCT_EFD_SEMAPHORE 1u

/* The address a unix socket is bound to, for a socket that a traced
 * process sent a datagram to without knowing its name from a traced bind
 * (bound before tracing, by an untraced process, or through a relative
 * path from another directory): read from the receiving socket itself,
 * once per socket.  path as in ipct_sock_event ('@' starts an abstract
 * name; a path as it was given to bind, maybe relative). */
struct ipct_unix_name_event {
	struct ipct_event_header hdr;
	__u64 ino;               /* the receiving socket's id */
	__u64 file_ino;          /* a path name: the socket file's inode, else 0 */
	__u32 file_dev;
	__u32 path_len;
	char path[IPCT_SOCK_PATH_LEN];
	__u32 sock_type;
};

#include "events_ipc.h"
#include "events_layout.h"

#endif /* IPCTRACE_EVENTS_H */
