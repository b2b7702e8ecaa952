/*
 * msgq_recv - the receiving half of the classic System V message-queue pair.
 *
 *   demos/classic/msgq_recv [-k KEY]
 *
 * Opens (or creates) the queue with KEY (default 0x1234, as msgq_send),
 * receives messages in arrival order (msgrcv with msgtyp 0 = any type),
 * prints each text message with its real byte count, and stops at the end
 * marker (type 2).  Then it removes the queue (msgctl IPC_RMID): a SysV
 * queue outlives every process until someone removes it.  SIGINT/SIGTERM
 * interrupt the wait (the handler is installed without SA_RESTART, so
 * msgrcv fails with EINTR) and the queue is removed all the same.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#define MSG_END  2
#define MAX_TEXT 512

struct text_msg {
	long mtype;
	char text[MAX_TEXT];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

int main(int argc, char **argv)
{
	uint64_t key = 0x1234;
	struct sigaction sa;
	struct text_msg msg;
	unsigned int count = 0;
	int qid, status = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: msgq_recv [-k KEY]\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-k")) {
		if (demo_parse_u64(argv[2], &key) || key == 0 || key > INT32_MAX) {
			fprintf(stderr, "error: bad key '%s': want a number from 1 to %d\n",
				argv[2], INT32_MAX);
			fprintf(stderr, "usage: msgq_recv [-k KEY]\n");
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: msgq_recv [-k KEY]\n");
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* sa_flags 0: no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	qid = msgget((key_t)key, IPC_CREAT | 0600);
	if (qid < 0) {
		fprintf(stderr, "error: cannot open message queue %llu: %s\n",
			(unsigned long long)key, strerror(errno));
		return 1;
	}
	while (!stop) {
		/* msgtyp 0: the oldest message, whatever its type. */
		ssize_t n = msgrcv(qid, &msg, MAX_TEXT, 0, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;	/* the loop checks stop */
			fprintf(stderr, "error: msgrcv failed: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (msg.mtype == MSG_END)
			break;
		count++;
		printf("msgq_recv: received '%.*s' (%zd bytes)\n", (int)n, msg.text, n);
		fflush(stdout);
	}
	if (msgctl(qid, IPC_RMID, NULL) < 0) {
		fprintf(stderr, "error: cannot remove message queue: %s\n", strerror(errno));
		status = 1;
	}
	if (stop) {
		fprintf(stderr, "msgq_recv: interrupted, queue removed\n");
		return 1;
	}
	printf("msgq_recv: %u messages, queue removed\n", count);
	return status;
}
