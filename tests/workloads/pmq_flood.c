/*
 * pmq_flood - one process sends N 8-byte messages at priority 0 into a
 * POSIX message queue and receives each right after (mq_send, then
 * mq_receive, which records the priority it got: 0).  A streamed load
 * decides such a receive only 100 ms of stream time after it (a later
 * send of a higher priority could have been taken), so what it holds is
 * about 100 ms of messages, however long the flood.
 *
 *   pmq_flood N
 *
 * Prints "messages N" on success.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	struct mq_attr attr = { .mq_maxmsg = 8, .mq_msgsize = 8 };
	char name[64], buf[8] = "message";
	unsigned prio;
	mqd_t q;

	snprintf(name, sizeof(name), "/ipctrace-flood-%d", (int)getpid());
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	mq_unlink(name);
	for (long i = 0; i < n; i++) {
		if (mq_send(q, buf, sizeof(buf), 0) || mq_receive(q, buf, sizeof(buf), &prio) != 8) {
			perror("mq_send/mq_receive");
			return 1;
		}
	}
	printf("messages %ld\n", n);
	return 0;
}
