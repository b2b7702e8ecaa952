/*
 * dgram_to - a test workload: Unix datagrams sent to a name, without
 * connect().  The parent binds a socket to the path DIR/sink and another
 * to the abstract name "\0ipct-dgram-PID", then forks three children, one
 * after the other (each runs alone, so queue order is send order):
 *
 *   child 1  sendto()   5 datagrams of 100 bytes to the path
 *   child 2  sendmsg()  3 datagrams of 7 bytes to the abstract name
 *   child 3  sendmmsg() 12 datagrams of 50 bytes to the path, in two
 *            calls of 10 and 2 messages
 *   child 4  sendmmsg() COUNT datagrams (default 20, at most 20) of 50
 *            bytes to the abstract name, in one call (20: more than the
 *            tracer follows per call)
 *
 * The parent takes child 1's with recvfrom(), child 2's with recvmsg()
 * (after the child exited), child 3's and child 4's with recvmmsg() while
 * the child sends (a queue holds net.unix.max_dgram_qlen datagrams, 10 by
 * default), until it has them all.  Usage: dgram_to DIR [COUNT].  Every program prints what it moved, one line each:
 *
 *   sent PID CALL DATAGRAMS BYTES       received CALL DATAGRAMS BYTES
 *
 * and the parent checks sizes and counts (exit 1 if wrong).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static socklen_t path_addr(struct sockaddr_un *a, const char *dir)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (snprintf(a->sun_path, sizeof(a->sun_path), "%s/sink", dir) >= (int)sizeof(a->sun_path))
		die("path too long");
	return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, int pid)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	int n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "ipct-dgram-%d", pid);
	return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static int bound(const struct sockaddr_un *a, socklen_t len)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (const struct sockaddr *)a, len))
		die("bind");
	return fd;
}

static int count4 = 20;

static void child(int which, const struct sockaddr_un *a, socklen_t len)
{
	char buf[100];
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	long bytes = 0;
	int sent = 0;

	if (fd < 0)
		die("socket");
	memset(buf, 'a' + which, sizeof(buf));
	if (which == 1) {
		for (; sent < 5; sent++)
			if (sendto(fd, buf, 100, 0, (const struct sockaddr *)a, len) != 100)
				die("sendto");
		bytes = 500;
	} else if (which == 2) {
		struct iovec v = { buf, 7 };
		struct msghdr m = { .msg_name = (void *)a, .msg_namelen = len,
				    .msg_iov = &v, .msg_iovlen = 1 };
		for (; sent < 3; sent++)
			if (sendmsg(fd, &m, 0) != 7)
				die("sendmsg");
		bytes = 21;
	} else {
		struct mmsghdr mm[20];
		struct iovec v = { buf, 50 };
		for (int i = 0; i < 20; i++)
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = (void *)a,
				.msg_namelen = len, .msg_iov = &v, .msg_iovlen = 1 } };
		if (which == 3 && (sendmmsg(fd, mm, 10, 0) != 10 || sendmmsg(fd, mm, 2, 0) != 2))
			die("sendmmsg");
		if (which == 4 && sendmmsg(fd, mm, count4, 0) != count4)
			die("sendmmsg");
		sent = which == 3 ? 12 : count4;
		bytes = sent * 50;
	}
	printf("sent %d %s %d %ld\n", (int)getpid(),
	       which == 1 ? "sendto" : which == 2 ? "sendmsg" : "sendmmsg", sent, bytes);
	exit(0);
}

static pid_t start(int which, const struct sockaddr_un *a, socklen_t len)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		child(which, a, len);
	return pid;
}

static void finish(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || st != 0)
		die("child");
}

/* Start child WHICH sending to A and take its WANT datagrams of 50 bytes
 * from FD with recvmmsg(); 0 when they all came. */
static int mmsg_all(int which, int fd, const struct sockaddr_un *a, socklen_t len, int want)
{
	static char bufs[20][64];
	struct iovec v[20];
	struct mmsghdr mm[20];
	pid_t pid = start(which, a, len);
	long bytes = 0;
	int n = 0;

	while (n < want) {
		for (int i = 0; i < want - n; i++) {
			v[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &v[i], .msg_iovlen = 1 } };
		}
		int got = recvmmsg(fd, mm, want - n, 0, NULL);
		if (got <= 0)
			die("recvmmsg");
		for (int i = 0; i < got; i++)
			bytes += mm[i].msg_len;
		n += got;
	}
	finish(pid);
	printf("received recvmmsg %d %ld\n", n, bytes);
	return bytes == 50L * want ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un pa, aa;
	socklen_t plen, alen;
	char buf[200];
	int pfd, afd, n = 0;
	long bytes = 0;

	if (argc < 2 || argc > 3 || (argc == 3 && (count4 = atoi(argv[2])) < 1) || count4 > 20) {
		fprintf(stderr, "usage: dgram_to DIR [COUNT]\n");
		return 2;
	}
	plen = path_addr(&pa, argv[1]);
	alen = abstract_addr(&aa, getpid());
	unlink(pa.sun_path);
	pfd = bound(&pa, plen);
	afd = bound(&aa, alen);

	finish(start(1, &pa, plen));
	for (; n < 5; n++)
		bytes += recvfrom(pfd, buf, sizeof(buf), 0, NULL, NULL);
	printf("received recvfrom %d %ld\n", n, bytes);
	if (bytes != 500)
		return 1;

	finish(start(2, &aa, alen));
	for (n = 0, bytes = 0; n < 3; n++) {
		struct iovec v = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
		bytes += recvmsg(afd, &m, 0);
	}
	printf("received recvmsg %d %ld\n", n, bytes);
	if (bytes != 21)
		return 1;

	if (mmsg_all(3, pfd, &pa, plen, 12) || mmsg_all(4, afd, &aa, alen, count4))
		return 1;
	unlink(pa.sun_path);
	return 0;
}
