/*
 * waits - a process that waits for its children in each of the calls
 * ipctrace records as waits, so tests know what the trace must show.
 *
 * Each round: a child sleeps DELAY ms, then writes one byte to a pipe (or
 * a socketpair for epoll); the parent waits in the call, then reads the
 * byte.  Prints "CALL fd=N peer=PID" per round, and "ppoll timeout" and
 * "epoll data=0x..." lines, for the test to compare with the trace.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DELAY_MS 60

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A child that writes one byte to FD after DELAY_MS; its pid. */
static pid_t late_writer(int fd, int other)
{
	struct timespec ts = { 0, DELAY_MS * 1000000L };
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(other);
		nanosleep(&ts, NULL);
		if (write(fd, "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	return pid;
}

static void take(int fd, pid_t child)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("read");
	waitpid(child, NULL, 0);
}

int main(void)
{
	int p[2], s[2], ep;
	struct pollfd pfd;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xabc }, out[4];
	struct timespec tmo = { 0, 10 * 1000000L };
	fd_set rd;
	pid_t c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* poll */
	if (pipe(p))
		die("pipe");
	c = late_writer(p[1], p[0]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	if (poll(&pfd, 1, -1) != 1)
		die("poll");
	printf("poll fd=%d peer=%d\n", p[0], c);
	take(p[0], c);
	/* ppoll that times out on the same pipe */
	if (ppoll(&pfd, 1, &tmo, NULL) != 0)
		die("ppoll");
	printf("ppoll timeout fd=%d\n", p[0]);
	close(p[0]);
	close(p[1]);
	/* select */
	if (pipe(p))
		die("pipe");
	c = late_writer(p[1], p[0]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	if (select(p[0] + 1, &rd, NULL, NULL, NULL) != 1)
		die("select");
	printf("select fd=%d peer=%d\n", p[0], c);
	take(p[0], c);
	close(p[0]);
	close(p[1]);
	/* epoll over a socketpair */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s))
		die("socketpair");
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, s[0], &ev))
		die("epoll");
	c = late_writer(s[1], s[0]);
	if (epoll_wait(ep, out, 4, 5000) != 1 || out[0].data.u64 != 0xabc)
		die("epoll_wait");
	printf("epoll_wait fd=%d peer=%d data=0xabc\n", s[0], c);
	take(s[0], c);
	return 0;
}
