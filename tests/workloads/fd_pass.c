/*
 * fd_pass - a parent hands three descriptors to its child over a unix
 * socketpair with SCM_RIGHTS, in one message: the read end of a pipe, a
 * file and one end of a second socketpair.  The child then reads the pipe
 * (the parent wrote 5 bytes into it), reads the file (7 bytes) and writes
 * 9 bytes into the socket, which the parent reads.  Prints
 * "parent PID child PID pipe_r PASSED_FDS RECEIVED_FDS" so a test knows
 * every number: "passed R F S got R2 F2 S2".
 */
#include <fcntl.h>
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
	int chan[2], pipefd[2], sp[2], file, got[3];
	char buf[64];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, chan) || pipe(pipefd) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		die("setup");
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
		if (recv_fds(chan[1], got, 3) != 3)
			die("recv_fds");
		if (read(got[0], buf, sizeof(buf)) != 5 || read(got[1], buf, sizeof(buf)) != 7 ||
		    write(got[2], "from-kid!", 9) != 9)
			die("child io");
		printf("got %d %d %d\n", got[0], got[1], got[2]);
		fflush(stdout);
		_exit(0);
	}
	close(chan[1]);
	int fds[3] = { pipefd[0], file, sp[1] };
	send_fds(chan[0], fds, 3);
	if (write(pipefd[1], "hello", 5) != 5)
		die("write pipe");
	if (read(sp[0], buf, sizeof(buf)) != 9)
		die("read sock");
	int st;
	waitpid(child, &st, 0);
	printf("parent %d child %d passed %d %d %d\n", (int)getpid(), (int)child,
	       fds[0], fds[1], fds[2]);
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
