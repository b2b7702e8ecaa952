/*
 * fd_pass - a parent hands four descriptors to its child over a unix
 * socketpair with SCM_RIGHTS, in one message: the read end of a pipe, a
 * file, one end of a second socketpair and the accepted end of a TCP
 * connection on 127.0.0.1.  The child then reads the pipe (the parent
 * wrote 5 bytes into it), reads the file (7 bytes), writes 9 bytes into
 * the socket and 8 into the TCP connection, which the parent reads.
 * Prints "got R F S T" (the child's descriptors) and "parent PID child
 * PID passed R F S T" (the parent's), so a test knows every number.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void send_fds(int sock, const int *fds, int n)
{
	char byte = 'F';
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(8 * sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	memset(&u, 0, sizeof(u));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	if (sendmsg(sock, &m, 0) != 1)
		die("sendmsg");
}

static int recv_fds(int sock, int *fds, int max)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(8 * sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;

	if (recvmsg(sock, &m, 0) != 1)
		die("recvmsg");
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		die("no SCM_RIGHTS");
	int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	if (n > max)
		n = max;
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	return n;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "fd_pass.data";
	int chan[2], pipefd[2], sp[2], file, got[4], lsn, cli, acc;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	char buf[64];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, chan) || pipe(pipefd) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		die("setup");
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0 || cli < 0 || bind(lsn, (struct sockaddr *)&a, sizeof(a)) || listen(lsn, 1) ||
	    getsockname(lsn, (struct sockaddr *)&a, &alen) ||
	    connect(cli, (struct sockaddr *)&a, sizeof(a)) || (acc = accept(lsn, NULL, NULL)) < 0)
		die("tcp");
	file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (file < 0 || write(file, "content", 7) != 7 || lseek(file, 0, SEEK_SET))
		die(path);
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(chan[0]);
		close(pipefd[0]);
		close(pipefd[1]);
		close(sp[0]);
		close(sp[1]);
		close(file);
		close(lsn);
		close(cli);
		close(acc);
		if (recv_fds(chan[1], got, 4) != 4)
			die("recv_fds");
		if (read(got[0], buf, sizeof(buf)) != 5 || read(got[1], buf, sizeof(buf)) != 7 ||
		    write(got[2], "from-kid!", 9) != 9 || write(got[3], "tcp-data", 8) != 8)
			die("child io");
		printf("got %d %d %d %d\n", got[0], got[1], got[2], got[3]);
		fflush(stdout);
		_exit(0);
	}
	close(chan[1]);
	int fds[4] = { pipefd[0], file, sp[1], acc };
	send_fds(chan[0], fds, 4);
	if (write(pipefd[1], "hello", 5) != 5)
		die("write pipe");
	if (read(sp[0], buf, sizeof(buf)) != 9)
		die("read sock");
	for (int n = 0; n < 8;) {
		int r = read(cli, buf + n, 8 - n);
		if (r <= 0)
			die("read tcp");
		n += r;
	}
	int st;
	waitpid(child, &st, 0);
	printf("parent %d child %d passed %d %d %d %d\n", (int)getpid(), (int)child,
	       fds[0], fds[1], fds[2], fds[3]);
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
