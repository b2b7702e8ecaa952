/*
 * msgq_send - the sending half of the classic System V message-queue pair.
 *
 *   demos/classic/msgq_send [-k KEY] MESSAGE...
 *   demos/classic/msgq_recv [-k KEY]            (in another terminal)
 *
 * Two unrelated programs find the same queue through a shared KEY (a
 * number; default 0x1234 - pick your own, e.g. from $$, to keep runs
 * apart).  msgget(KEY, IPC_CREAT | 0600) returns the queue with that key,
 * creating it if needed, so either side may start first.  msgq_send sends
 * each MESSAGE as one message of type 1, then an empty message of type 2
 * meaning "that was all", and exits: the messages wait in the kernel until
 * msgq_recv takes them.  msgq_recv removes the queue when done.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#define MSG_TEXT 1		/* a message of text */
#define MSG_END  2		/* no more messages */
#define MAX_TEXT 512

struct text_msg {
	long mtype;		/* must be > 0 */
	char text[MAX_TEXT];	/* the payload: not NUL-terminated */
};

static void usage(FILE *stream)
{
	fprintf(stream, "usage: msgq_send [-k KEY] MESSAGE...\n");
}

int main(int argc, char **argv)
{
	uint64_t key = 0x1234;
	struct text_msg msg;
	int i = 1, qid;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-k")) {
		if (demo_parse_u64(argv[2], &key) || key == 0 || key > INT32_MAX) {
			fprintf(stderr, "error: bad key '%s': want a number from 1 to %d\n",
				argv[2], INT32_MAX);
			usage(stderr);
			return 2;
		}
		i = 3;
	}
	if (i >= argc || argv[i][0] == '-') {
		usage(stderr);
		return 2;
	}

	qid = msgget((key_t)key, IPC_CREAT | 0600);
	if (qid < 0) {
		fprintf(stderr, "error: cannot open message queue %llu: %s\n",
			(unsigned long long)key, strerror(errno));
		return 1;
	}
	for (; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (len > MAX_TEXT) {
			fprintf(stderr, "error: message longer than %d bytes\n", MAX_TEXT);
			return 1;
		}
		msg.mtype = MSG_TEXT;
		memcpy(msg.text, argv[i], len);
		/* The size counts only the payload; flags 0: wait if full. */
		if (msgsnd(qid, &msg, len, 0) < 0) {
			fprintf(stderr, "error: msgsnd failed: %s\n", strerror(errno));
			return 1;
		}
		printf("msgq_send: sent '%s' (%zu bytes)\n", argv[i], len);
	}
	msg.mtype = MSG_END;
	if (msgsnd(qid, &msg, 0, 0) < 0) {
		fprintf(stderr, "error: msgsnd failed: %s\n", strerror(errno));
		return 1;
	}
	printf("msgq_send: sent end marker\n");
	return 0;
}
