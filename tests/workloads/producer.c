/*
 * producer - a test workload: a producer faster than its consumer.
 *
 *   producer COUNT SIZE PRODUCE_MS CONSUME_MS
 *
 * The parent forks a consumer and writes COUNT messages of SIZE bytes
 * (COUNT * SIZE must fit in the pipe: at most 65536 bytes) into a pipe,
 * one every PRODUCE_MS; the consumer reads SIZE bytes every CONSUME_MS
 * (CONSUME_MS > PRODUCE_MS), starting when the first message is there.
 * So by construction the pipe's depth rises while the producer writes,
 * and falls to 0 after it stopped: it peaks at about
 * COUNT * SIZE * (1 - PRODUCE_MS / CONSUME_MS) bytes around the last
 * write; message k waits about k * (CONSUME_MS - PRODUCE_MS) ms in the
 * pipe.  Prints "producer PID consumer PID"; exit status 0 when the
 * consumer got every byte in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int consume(int fd, int count, size_t size, long ms)
{
	char buf[65536];

	for (int k = 0; k < count; k++) {
		size_t got = 0;
		if (k)
			pause_ms(ms);
		while (got < size) {
			ssize_t n = read(fd, buf + got, size - got);
			if (n <= 0)
				return 1;
			got += (size_t)n;
		}
		for (size_t i = 0; i < size; i++)
			if (buf[i] != (char)('a' + k % 26))
				return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 20, fds[2], status;
	long size = argc > 2 ? atol(argv[2]) : 100;
	long produce = argc > 3 ? atol(argv[3]) : 1, consume_ms = argc > 4 ? atol(argv[4]) : 5;
	char buf[65536];
	pid_t pid;

	if (count < 1 || size < 1 || count * size > 65536 || produce < 0 ||
	    consume_ms <= produce) {
		fprintf(stderr, "usage: producer COUNT SIZE PRODUCE_MS CONSUME_MS "
			"(COUNT*SIZE <= 65536, CONSUME_MS > PRODUCE_MS)\n");
		return 2;
	}
	if (pipe(fds) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[1]);
		_exit(consume(fds[0], count, (size_t)size, consume_ms));
	}
	close(fds[0]);
	printf("producer %d consumer %d\n", (int)getpid(), (int)pid);
	fflush(stdout);
	for (int k = 0; k < count; k++) {
		if (k)
			pause_ms(produce);
		memset(buf, 'a' + k % 26, (size_t)size);
		if (write(fds[1], buf, (size_t)size) != size)
			return 1;
	}
	close(fds[1]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	return 0;
}
