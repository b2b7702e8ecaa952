/*
 * dump_calls - a test workload: IPC calls whose flags, results and errors
 * `trace dump` must name as strace does.
 *
 *   dump_calls DIR
 *
 * In order: pipe2(O_CLOEXEC|O_NONBLOCK); a read of the empty pipe
 * (EAGAIN); a write and a read of "hello"; the read end closed and a
 * write that fails with EPIPE (SIGPIPE ignored); an openat of DIR/f with
 * O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC and a write to it; a private SysV
 * queue: msgsnd with IPC_NOWAIT, msgrcv, a second msgrcv with IPC_NOWAIT
 * on the empty queue (ENOMSG), msgctl IPC_RMID; a Unix socketpair with
 * sendto and recvfrom under MSG_DONTWAIT; kill(self, SIGUSR1) caught by a
 * handler.  Exit status 0 when every call did what is described.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "dump_calls: line %d: %s\n", \
	__LINE__, strerror(errno)); return 1; } } while (0)

int main(int argc, char **argv)
{
	struct { long mtype; char mtext[8]; } msg = { 7, "msg" };
	char buf[64], path[4096];
	int p[2], sv[2], fd, q;

	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_usr1);
	CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == -1 && errno == EAGAIN);
	CHECK(write(p[1], "hello", 5) == 5);
	CHECK(read(p[0], buf, sizeof(buf)) == 5);
	close(p[0]);
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	close(p[1]);

	snprintf(path, sizeof(path), "%s/f", argv[1]);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "file", 4) == 4);
	close(fd);

	q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	CHECK(q >= 0);
	CHECK(msgsnd(q, &msg, 4, IPC_NOWAIT) == 0);
	CHECK(msgrcv(q, &msg, sizeof(msg.mtext), 0, 0) == 4);
	CHECK(msgrcv(q, &msg, sizeof(msg.mtext), 0, IPC_NOWAIT) == -1 && errno == ENOMSG);
	CHECK(msgctl(q, IPC_RMID, NULL) == 0);

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(sendto(sv[0], "sock", 4, MSG_DONTWAIT, NULL, 0) == 4);
	CHECK(recvfrom(sv[1], buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) == 4);
	close(sv[0]);
	close(sv[1]);

	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(got_usr1 == SIGUSR1);
	return 0;
}
