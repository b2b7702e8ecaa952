/*
 * handoff - a test workload: a SysV semaphore and a SysV message queue
 * handed back and forth between a parent and its child.
 *
 *   handoff K HOLD_MS
 *
 * K rounds: the parent holds HOLD_MS (a sleep) and releases the semaphore
 * (semop +1); the child, asleep in semop -1 until then, holds HOLD_MS and
 * answers with one 16-byte message (msgsnd, type 1) that the parent is
 * already waiting for in msgrcv.  Then the parent holds once more and
 * releases the semaphore a last time, which lets the child exit, and
 * reaps it.  So by construction: K + 1 semaphore releases parent → child
 * and K messages (16 * K bytes) child → parent; the child waits K + 1
 * times on the semaphore for the parent, the parent K times on the queue
 * for the child, each wait at least HOLD_MS; the critical path alternates
 * between them: 4 * K + 4 segments.  Prints "parent PID child PID sem ID
 * msgq ID"; removes both objects; exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct message {
	long mtype;
	char text[16];
};

static void hold(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int child(int sem, int q, int k, long ms)
{
	struct sembuf p = { 0, -1, 0 };
	struct message msg = { 1, "" };

	for (int r = 0; r < k; r++) {
		if (semop(sem, &p, 1) < 0)
			return 1;
		hold(ms);
		snprintf(msg.text, sizeof(msg.text), "answer %d", r % 1000);
		if (msgsnd(q, &msg, sizeof(msg.text), 0) < 0)
			return 1;
	}
	return semop(sem, &p, 1) < 0;   /* the parent's last release */
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 3, status, ok = 1;
	long ms = argc > 2 ? atol(argv[2]) : 20;
	struct sembuf v = { 0, 1, 0 };
	struct message msg;
	int sem, q;
	pid_t pid;

	if (k < 1 || ms < 0) {
		fprintf(stderr, "usage: handoff K HOLD_MS\n");
		return 2;
	}
	sem = semget(IPC_PRIVATE, 1, 0600);
	q = msgget(IPC_PRIVATE, 0600);
	if (sem < 0 || q < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(child(sem, q, k, ms));
	printf("parent %d child %d sem %d msgq %d\n", (int)getpid(), (int)pid, sem, q);
	fflush(stdout);
	for (int r = 0; r < k && ok; r++) {
		char want[16];
		hold(ms);
		snprintf(want, sizeof(want), "answer %d", r % 1000);
		if (semop(sem, &v, 1) < 0 ||
		    msgrcv(q, &msg, sizeof(msg.text), 1, 0) != sizeof(msg.text) ||
		    strcmp(msg.text, want))
			ok = 0;
	}
	hold(ms);
	if (semop(sem, &v, 1) < 0)
		ok = 0;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		ok = 0;
	semctl(sem, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	return ok ? 0 : 1;
}
