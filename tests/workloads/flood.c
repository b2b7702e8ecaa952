/*
 * flood - a test workload: many cheap IPC calls of one kind, counted.
 *
 *   flood msgq N     msgget, N x (msgsnd + msgrcv) on one SysV queue, msgctl(IPC_RMID)
 *   flood unix N     socketpair, N x (write + read) of 8 bytes, close of both ends
 *
 * One process does it all, so the calls run back to back as fast as the
 * kernel allows.  It prints "calls C" on stdout: the number of calls of
 * that kind it made (successful or not), which a tracer recording only
 * that kind must account for exactly as recorded + lost events.  Exit 0
 * when every call succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <unistd.h>

struct msg {
	long mtype;
	char mtext[8];
};

static long flood_msgq(long n, int *bad)
{
	struct msg m = { 1, "partial" };
	long calls = 0;
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	calls++;
	if (id < 0) {
		*bad = 1;
		return calls;
	}
	for (long i = 0; i < n; i++) {
		calls += 2;
		if (msgsnd(id, &m, sizeof(m.mtext), 0) < 0 ||
		    msgrcv(id, &m, sizeof(m.mtext), 0, 0) != sizeof(m.mtext))
			*bad = 1;
	}
	calls++;
	if (msgctl(id, IPC_RMID, NULL) < 0)
		*bad = 1;
	return calls;
}

static long flood_unix(long n, int *bad)
{
	char buf[8] = "partial";
	long calls = 0;
	int sv[2];

	calls++;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		*bad = 1;
		return calls;
	}
	for (long i = 0; i < n; i++) {
		calls += 2;
		if (write(sv[0], buf, sizeof(buf)) != sizeof(buf) ||
		    read(sv[1], buf, sizeof(buf)) != sizeof(buf))
			*bad = 1;
	}
	calls += 2;
	if (close(sv[0]) || close(sv[1]))
		*bad = 1;
	return calls;
}

int main(int argc, char **argv)
{
	long n, calls;
	int bad = 0;

	if (argc != 3 || (n = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: flood msgq|unix N\n");
		return 2;
	}
	if (!strcmp(argv[1], "msgq"))
		calls = flood_msgq(n, &bad);
	else if (!strcmp(argv[1], "unix"))
		calls = flood_unix(n, &bad);
	else {
		fprintf(stderr, "flood: unknown kind '%s'\n", argv[1]);
		return 2;
	}
	printf("calls %ld\n", calls);
	return bad;
}
