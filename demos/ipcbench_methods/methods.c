/*
 * ipcbench_methods/methods.c - the twelve IPC methods ipcbench measures.
 *
 * Each method fills a struct method (ipcbench.h): setup() runs in the parent
 * before fork and leaves descriptors, queues or mappings that both processes
 * inherit; send() and recv() move one message of a known length in one
 * direction (0 = parent to child, 1 = child to parent); teardown() frees what
 * setup() made.  Every object is private: FIFOs, POSIX queues, the
 * shared-memory file and the data file are unlinked right after they are
 * opened (descriptors and mappings outlive the name), and only the SysV
 * queue needs IPC_RMID, at teardown or from ipc_emergency_cleanup().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ipcbench.h"

#define UDP_MAX     65507UL     /* largest IPv4 UDP payload */
#define DGRAM_MAX   (64 * KiB)  /* what we ask of a Unix datagram */

/* ---- state shared with the driver's signal handlers ---- */

volatile sig_atomic_t ipc_stop;          /* child died or cell timed out */
static volatile int g_msqid = -1;        /* SysV queue to remove on exit */
static char g_paths[2][PATH_MAX + 16];        /* FIFO paths alive for a moment */
static char g_dir[PATH_MAX];

/* Remove whatever still has a name; async-signal-safe (a handler calls it). */
void ipc_emergency_cleanup(void)
{
	if (g_msqid >= 0)
		msgctl(g_msqid, IPC_RMID, NULL);
	for (int i = 0; i < 2; i++)
		if (g_paths[i][0])
			unlink(g_paths[i]);
	if (g_dir[0])
		rmdir(g_dir);
}

/* Should a wait interrupted by a signal give up?  Only in the parent, when
 * the child died or the cell timed out. */
static int interrupted(void)
{
	return ipc_stop;
}

/* ---- byte streams and datagrams over file descriptors ---- */

static int stream_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(ch->fd[dir][1], buf, len);
		if (n < 0) {
			if (errno == EINTR && !interrupted())
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

static int stream_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(ch->fd[dir][0], buf, len);
		if (n == 0)
			return -EPIPE;
		if (n < 0) {
			if (errno == EINTR && !interrupted())
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

static int dgram_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	for (;;) {
		ssize_t n = send(ch->fd[dir][1], buf, len, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			return -EMSGSIZE;
		if (errno == ENOBUFS || (errno == EINTR && !interrupted()))
			continue;
		return -errno;
	}
}

static int dgram_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	for (;;) {
		ssize_t n = recv(ch->fd[dir][0], buf, len, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			return -EMSGSIZE;
		if (errno == EINTR && !interrupted())
			continue;
		return errno == EAGAIN ? -ETIMEDOUT : -errno;  /* lost datagram */
	}
}

static void fd_close_all(struct channel *ch)
{
	for (int d = 0; d < 2; d++)
		for (int e = 0; e < 2; e++) {
			if (ch->fd[d][e] < 0)
				continue;
			/* sockets appear twice: close each descriptor once */
			for (int d2 = 0; d2 < 2; d2++)
				for (int e2 = 0; e2 < 2; e2++)
					if ((d2 != d || e2 != e) && ch->fd[d2][e2] == ch->fd[d][e])
						ch->fd[d2][e2] = -1;
			close(ch->fd[d][e]);
			ch->fd[d][e] = -1;
		}
}

static size_t no_limit(void) { return SIZE_MAX; }
static size_t dgram_limit(void) { return DGRAM_MAX; }
static size_t udp_limit(void) { return UDP_MAX; }

/* Read one number from a /proc file; fallback when it cannot be read. */
static size_t proc_number(const char *path, size_t fallback)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return fallback;
	if (fscanf(f, "%lu", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

/* pipe: one pipe per direction. */
static int pipe_setup(struct channel *ch)
{
	for (int d = 0; d < 2; d++) {
		int p[2];
		if (pipe(p) < 0)
			return -errno;
		ch->fd[d][0] = p[0];
		ch->fd[d][1] = p[1];
		/* let a large message go through in one write if we may */
		if (ch->max > 64 * KiB)
			fcntl(p[1], F_SETPIPE_SZ, (int)(ch->max < MiB ? ch->max : MiB));
	}
	return 0;
}

/* fifo: two named pipes in a private directory, unlinked once open. */
static int fifo_setup(struct channel *ch)
{
	int err = 0;

	snprintf(g_dir, sizeof(g_dir), "%s/ipcbench.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(g_dir)) {
		g_dir[0] = '\0';
		return -errno;
	}
	for (int d = 0; d < 2 && !err; d++) {
		snprintf(g_paths[d], sizeof(g_paths[d]), "%s/fifo%d", g_dir, d);
		if (mkfifo(g_paths[d], 0600) < 0) {
			err = -errno;
			g_paths[d][0] = '\0';
			break;
		}
		/* O_RDWR never blocks waiting for the other end (Linux). */
		ch->fd[d][0] = open(g_paths[d], O_RDWR);
		ch->fd[d][1] = open(g_paths[d], O_WRONLY);
		if (ch->fd[d][0] < 0 || ch->fd[d][1] < 0)
			err = -errno;
		else if (ch->max > 64 * KiB)   /* as for pipe: room for a message */
			fcntl(ch->fd[d][1], F_SETPIPE_SZ, (int)(ch->max < MiB ? ch->max : MiB));
	}
	for (int d = 0; d < 2; d++)
		if (g_paths[d][0]) {
			unlink(g_paths[d]);
			g_paths[d][0] = '\0';
		}
	rmdir(g_dir);
	g_dir[0] = '\0';
	return err;
}

/* unix_stream / unix_dgram: a socketpair; side 0 is the parent's end. */
static int socketpair_setup(struct channel *ch, int type)
{
	int sv[2];

	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		return -errno;
	ch->fd[0][1] = ch->fd[1][0] = sv[0];  /* parent writes dir 0, reads dir 1 */
	ch->fd[0][0] = ch->fd[1][1] = sv[1];
	if (type == SOCK_DGRAM) {
		int sz = 4 * MiB;
		for (int i = 0; i < 2; i++) {
			setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
			setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		}
	}
	return 0;
}

static int unix_stream_setup(struct channel *ch) { return socketpair_setup(ch, SOCK_STREAM); }
static int unix_dgram_setup(struct channel *ch) { return socketpair_setup(ch, SOCK_DGRAM); }

/* A loopback address with the port the kernel gave fd. */
static int bound_addr(int fd, struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	return getsockname(fd, (struct sockaddr *)sa, &len) < 0 ? -errno : 0;
}

/* tcp: listen on 127.0.0.1:0, connect, accept, close the listener. */
static int tcp_setup(struct channel *ch)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, lfd, a = -1, b = -1, err = 0;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		return -errno;
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0 ||
	    (err = bound_addr(lfd, &sa)) < 0)
		goto out;
	a = socket(AF_INET, SOCK_STREAM, 0);
	if (a < 0 || connect(a, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto out;
	b = accept(lfd, NULL, NULL);
	if (b < 0)
		goto out;
	setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ch->fd[0][1] = ch->fd[1][0] = a;
	ch->fd[0][0] = ch->fd[1][1] = b;
	close(lfd);
	return 0;
out:
	if (!err)
		err = -errno;
	close(lfd);
	if (a >= 0)
		close(a);
	return err;
}

/* udp: two sockets on 127.0.0.1, each connected to the other. */
static int udp_setup(struct channel *ch)
{
	struct sockaddr_in sa[2];
	struct timeval tv = { .tv_sec = 2 };   /* a lost datagram: fail, not hang */
	int s[2], big = 4 * MiB;

	for (int i = 0; i < 2; i++) {
		s[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (s[i] < 0)
			return -errno;
		ch->fd[i][1] = s[i];   /* stored now so teardown closes it */
		memset(&sa[i], 0, sizeof(sa[i]));
		sa[i].sin_family = AF_INET;
		sa[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(s[i], (struct sockaddr *)&sa[i], sizeof(sa[i])) < 0)
			return -errno;
		bound_addr(s[i], &sa[i]);
		/* as root, go past rmem_max; otherwise take what we may have */
		if (setsockopt(s[i], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
			setsockopt(s[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		setsockopt(s[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	for (int i = 0; i < 2; i++)
		if (connect(s[i], (struct sockaddr *)&sa[!i], sizeof(sa[!i])) < 0)
			return -errno;
	ch->fd[0][1] = ch->fd[1][0] = s[0];
	ch->fd[0][0] = ch->fd[1][1] = s[1];
	return 0;
}

/* sysv_msgq: one private queue, message type 1 + direction. */
static size_t msgq_limit(void)
{
	size_t max = proc_number("/proc/sys/kernel/msgmax", 8192);
	size_t mnb = proc_number("/proc/sys/kernel/msgmnb", 16384);
	return max < mnb ? max : mnb;
}

static int msgq_setup(struct channel *ch)
{
	ch->msg = malloc(sizeof(*ch->msg) + ch->max);
	if (!ch->msg)
		return -ENOMEM;
	ch->msqid = g_msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	return ch->msqid < 0 ? -errno : 0;
}

static int msgq_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	ch->msg->mtype = 1 + dir;
	memcpy(ch->msg->data, buf, len);
	while (msgsnd(ch->msqid, ch->msg, len, 0) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	return 0;
}

static int msgq_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	ssize_t n;

	while ((n = msgrcv(ch->msqid, ch->msg, ch->max, 1 + dir, 0)) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	memcpy(buf, ch->msg->data, len);
	return 0;
}

static void msgq_teardown(struct channel *ch)
{
	if (ch->msqid >= 0)
		msgctl(ch->msqid, IPC_RMID, NULL);
	ch->msqid = g_msqid = -1;
	free(ch->msg);
	ch->msg = NULL;
}

/* posix_mq: two queues, unlinked as soon as they are open. */
static size_t mq_limit(void)
{
	return proc_number("/proc/sys/fs/mqueue/msgsize_max", 8192);
}

static int mq_setup(struct channel *ch)
{
	struct mq_attr attr = { .mq_maxmsg = 8, .mq_msgsize = (long)ch->max };
	char name[64];

	for (int d = 0; d < 2; d++) {
		snprintf(name, sizeof(name), "/ipcbench-%d-%d", (int)getpid(), d);
		ch->mq[d] = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
		if (ch->mq[d] == (mqd_t)-1)
			return -errno;
		mq_unlink(name);
	}
	return 0;
}

static int mq_send_msg(struct channel *ch, int dir, const char *buf, size_t len)
{
	while (mq_send(ch->mq[dir], buf, len, 0) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	return 0;
}

static int mq_recv_msg(struct channel *ch, int dir, char *buf, size_t len)
{
	ssize_t n;

	/* mq_receive wants room for the largest message of the queue */
	while ((n = mq_receive(ch->mq[dir], ch->shm_data[0], ch->max, NULL)) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	memcpy(buf, ch->shm_data[0], len);
	return 0;
}

static int mq_setup_all(struct channel *ch)
{
	ch->shm_data[0] = malloc(ch->max);   /* receive buffer, not shared */
	return ch->shm_data[0] ? mq_setup(ch) : -ENOMEM;
}

static void mq_teardown(struct channel *ch)
{
	for (int d = 0; d < 2; d++)
		if (ch->mq[d] != (mqd_t)-1)
			mq_close(ch->mq[d]);
	free(ch->shm_data[0]);
	ch->shm_data[0] = NULL;
}

/* shm_sem / shm_futex: a shm_open region, unlinked once mapped, with one
 * buffer per direction guarded by a "full" and an "empty" semaphore. */
static int shm_setup(struct channel *ch)
{
	char name[64];
	size_t head = (sizeof(struct shm_header) + 63) & ~63UL;
	int fd;

	snprintf(name, sizeof(name), "/ipcbench-%d", (int)getpid());
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		return -errno;
	shm_unlink(name);
	ch->shm_len = head + 2 * ch->max;
	if (ftruncate(fd, ch->shm_len) < 0) {
		close(fd);
		return -errno;
	}
	ch->shm = mmap(NULL, ch->shm_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (ch->shm == MAP_FAILED) {
		ch->shm = NULL;
		return -errno;
	}
	for (int d = 0; d < 2; d++) {
		sem_init(&ch->shm->full[d], 1, 0);   /* 1 = shared between processes */
		sem_init(&ch->shm->empty[d], 1, 1);
		ch->shm->fempty[d].count = 1;
		ch->shm_data[d] = (char *)ch->shm + head + d * ch->max;
	}
	return 0;
}

static void shm_teardown(struct channel *ch)
{
	if (ch->shm) {
		for (int d = 0; d < 2; d++) {
			sem_destroy(&ch->shm->full[d]);
			sem_destroy(&ch->shm->empty[d]);
		}
		munmap(ch->shm, ch->shm_len);
	}
	ch->shm = NULL;
}

static int sem_wait_eintr(sem_t *s)
{
	while (sem_wait(s) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	return 0;
}

static int shm_sem_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	int err = sem_wait_eintr(&ch->shm->empty[dir]);
	if (err)
		return err;
	memcpy(ch->shm_data[dir], buf, len);
	sem_post(&ch->shm->full[dir]);
	return 0;
}

static int shm_sem_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	int err = sem_wait_eintr(&ch->shm->full[dir]);
	if (err)
		return err;
	memcpy(buf, ch->shm_data[dir], len);
	sem_post(&ch->shm->empty[dir]);
	return 0;
}

/* Take one unit; sleep in the kernel (FUTEX_WAIT) while the count is 0. */
static int fsem_wait(struct fsem *s)
{
	for (;;) {
		int v = atomic_load(&s->count);
		while (v > 0)
			if (atomic_compare_exchange_weak(&s->count, &v, v - 1))
				return 0;
		atomic_fetch_add(&s->waiters, 1);
		/* sleeps only if count is still 0 when the kernel looks */
		long r = syscall(SYS_futex, &s->count, FUTEX_WAIT, 0, NULL, NULL, 0);
		atomic_fetch_sub(&s->waiters, 1);
		if (r < 0 && errno == EINTR && interrupted() && atomic_load(&s->count) <= 0)
			return -EINTR;
	}
}

/* Give one unit; enter the kernel only if someone sleeps. */
static void fsem_post(struct fsem *s)
{
	atomic_fetch_add(&s->count, 1);
	if (atomic_load(&s->waiters) > 0)
		syscall(SYS_futex, &s->count, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static int shm_futex_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	int err = fsem_wait(&ch->shm->fempty[dir]);
	if (err)
		return err;
	memcpy(ch->shm_data[dir], buf, len);
	fsem_post(&ch->shm->ffull[dir]);
	return 0;
}

static int shm_futex_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	int err = fsem_wait(&ch->shm->ffull[dir]);
	if (err)
		return err;
	memcpy(buf, ch->shm_data[dir], len);
	fsem_post(&ch->shm->fempty[dir]);
	return 0;
}

/* signal: sigqueue() carries one int; SIGRTMIN goes to the child, SIGRTMIN+1
 * to the parent.  Both are blocked (see main) and taken with sigwaitinfo. */
static size_t signal_limit(void) { return sizeof(int); }
static int signal_setup(struct channel *ch) { return 0; }

static int signal_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	union sigval v = { .sival_int = 0 };

	memcpy(&v.sival_int, buf, len);
	while (sigqueue(ch->peer, SIGRTMIN + dir, v) < 0) {
		if (errno == EAGAIN)    /* the receiver's queue is full: wait */
			sched_yield();
		else if (errno != EINTR || interrupted())
			return -errno;
	}
	return 0;
}

static int signal_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + dir);
	while (sigwaitinfo(&set, &si) < 0)
		if (errno != EINTR || interrupted())
			return -errno;
	memcpy(buf, &si.si_value.sival_int, len);
	return 0;
}

/* file: an unlinked temporary file.  Each direction has a sequence number
 * (offset 64*dir) and an acknowledgement (offset 64*dir + 8) in the first
 * page, and a data area after it; the reader polls with pread, yielding the
 * CPU between looks.  Any change of a counter means the write before it is
 * complete, so a torn 8-byte read cannot hand out half-written data. */
static int file_setup(struct channel *ch)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/ipcbench.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ch->file_fd = mkstemp(path);
	if (ch->file_fd < 0)
		return -errno;
	unlink(path);
	if (ftruncate(ch->file_fd, 4096 + 2 * ch->max) < 0)
		return -errno;
	return 0;
}

static int file_wait_until(struct channel *ch, off_t off, uint64_t want, int equal)
{
	uint64_t v;

	for (;;) {
		if (pread(ch->file_fd, &v, sizeof(v), off) != sizeof(v))
			return -EIO;
		if (equal ? v == want : v != want)
			return 0;
		if (interrupted())
			return -EINTR;
		sched_yield();
	}
}

static int file_send(struct channel *ch, int dir, const char *buf, size_t len)
{
	int err = file_wait_until(ch, 64 * dir + 8, ch->sent[dir], 1);  /* read? */
	if (err)
		return err;
	if (pwrite(ch->file_fd, buf, len, 4096 + dir * ch->max) != (ssize_t)len)
		return -EIO;
	ch->sent[dir]++;
	if (pwrite(ch->file_fd, &ch->sent[dir], 8, 64 * dir) != 8)
		return -EIO;
	return 0;
}

static int file_recv(struct channel *ch, int dir, char *buf, size_t len)
{
	int err = file_wait_until(ch, 64 * dir, ch->got[dir], 0);  /* new one? */
	if (err)
		return err;
	if (pread(ch->file_fd, buf, len, 4096 + dir * ch->max) != (ssize_t)len)
		return -EIO;
	ch->got[dir]++;
	if (pwrite(ch->file_fd, &ch->got[dir], 8, 64 * dir + 8) != 8)
		return -EIO;
	return 0;
}

static void file_teardown(struct channel *ch)
{
	if (ch->file_fd >= 0)
		close(ch->file_fd);
	ch->file_fd = -1;
}

static void no_teardown(struct channel *ch) { }

const struct method ipc_methods[] = {
	{ "pipe", no_limit, pipe_setup, stream_send, stream_recv, no_teardown, 0 },
	{ "fifo", no_limit, fifo_setup, stream_send, stream_recv, no_teardown, 0 },
	{ "unix_stream", no_limit, unix_stream_setup, stream_send, stream_recv, no_teardown, 0 },
	{ "unix_dgram", dgram_limit, unix_dgram_setup, dgram_send, dgram_recv, no_teardown, 0 },
	{ "tcp", no_limit, tcp_setup, stream_send, stream_recv, no_teardown, 0 },
	{ "udp", udp_limit, udp_setup, dgram_send, dgram_recv, no_teardown, 1 },
	{ "sysv_msgq", msgq_limit, msgq_setup, msgq_send, msgq_recv, msgq_teardown, 0 },
	{ "posix_mq", mq_limit, mq_setup_all, mq_send_msg, mq_recv_msg, mq_teardown, 0 },
	{ "shm_sem", no_limit, shm_setup, shm_sem_send, shm_sem_recv, shm_teardown, 0 },
	{ "shm_futex", no_limit, shm_setup, shm_futex_send, shm_futex_recv, shm_teardown, 0 },
	{ "signal", signal_limit, signal_setup, signal_send, signal_recv, no_teardown, 0 },
	{ "file", no_limit, file_setup, file_send, file_recv, file_teardown, 0 },
};
const size_t ipc_nmethods = sizeof(ipc_methods) / sizeof(ipc_methods[0]);

void channel_init(struct channel *ch, size_t max)
{
	memset(ch, 0, sizeof(*ch));
	ch->max = max;
	memset(ch->fd, -1, sizeof(ch->fd));
	ch->msqid = -1;
	ch->mq[0] = ch->mq[1] = (mqd_t)-1;
	ch->file_fd = -1;
}

void channel_release(const struct method *m, struct channel *ch)
{
	m->teardown(ch);
	fd_close_all(ch);
}

