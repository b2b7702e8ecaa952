/*
 * epoll_pingpong - one byte bounced ROUNDS times between two processes
 * over two nonblocking pipes, each side waiting in epoll_wait for its
 * read end before it reads: a small event loop whose traffic and waits
 * the test knows.
 *
 *   epoll_pingpong [-n ROUNDS] [-e]
 *
 * Per round: the parent writes a byte, waits, reads the answer; the child
 * waits, reads, answers.  Each epoll_wait returns exactly one ready
 * descriptor (its pipe).  With -e each side also reads once more after
 * the byte and gets EAGAIN (the event loop's "drain until empty").
 * Prints "parent PID child PID rounds N waits W" (W per process).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Wait for FD (registered in EP) and read its byte; with DRAIN read
 * again until EAGAIN.  The number of epoll_wait calls made. */
static long take(int ep, int fd, int drain)
{
	struct epoll_event ev;
	char c;
	long waits = 0;
	ssize_t n;

	for (;;) {
		waits++;
		if (epoll_wait(ep, &ev, 1, -1) != 1) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		n = read(fd, &c, 1);
		if (n == 1)
			break;
		if (n < 0 && errno != EAGAIN)
			die("read");
	}
	if (drain && (read(fd, &c, 1) != -1 || errno != EAGAIN))
		die("drain");
	return waits;
}

static int loop_ep(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x5157 };
	int ep = epoll_create1(0);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		die("epoll");
	return ep;
}

int main(int argc, char **argv)
{
	long rounds = 1000, waits = 0;
	int drain = 0, opt, down[2], up[2], st;
	pid_t child;

	while ((opt = getopt(argc, argv, "n:e")) != -1) {
		if (opt == 'n')
			rounds = atol(argv[optind - 1]);
		else if (opt == 'e')
			drain = 1;
		else
			return 2;
	}
	if (pipe2(down, O_NONBLOCK) || pipe2(up, O_NONBLOCK))
		die("pipe2");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		int ep = loop_ep(down[0]);

		for (long i = 0; i < rounds; i++) {
			waits += take(ep, down[0], drain);
			if (write(up[1], "b", 1) != 1)
				die("write");
		}
		printf("child waits %ld\n", waits);
		return 0;
	}
	int ep = loop_ep(up[0]);
	for (long i = 0; i < rounds; i++) {
		if (write(down[1], "a", 1) != 1)
			die("write");
		waits += take(ep, up[0], drain);
	}
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st))
		die("child");
	printf("parent %d child %d rounds %ld waits %ld\n", (int)getpid(), (int)child, rounds,
	       waits);
	return 0;
}
