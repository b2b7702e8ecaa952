/*
 * pipe_writers - a test workload: several writers on one pipe, one reader.
 *
 *   pipe_writers WRITERS CHUNK
 *
 * The parent makes a pipe and forks a reader, then WRITERS (1..6) writers.
 * Writer i writes 3 + i times a block of 1000 + 517 * i bytes, every byte
 * 'A' + i (odd writers use writev with two halves); blocks stay under
 * PIPE_BUF, so each write lands in the pipe in one piece.  The reader reads
 * CHUNK bytes at a time until end of file, so its reads cut across writes
 * and writers, and counts from the bytes themselves how many came from
 * each writer.  Output (one line each, order not fixed):
 *
 *   writer I pid PID writes N bytes B     (the parent, what it asked for)
 *   reader pid PID got B from writer I    (the reader, what arrived)
 *
 * A tracer must attribute to writer I exactly N messages and B bytes.
 * Exit status 0 when every child exited 0 and the counts agree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WRITERS 6

static size_t block_size(int i)
{
	return 1000 + 517 * (size_t)i;
}

static int writes_of(int i)
{
	return 3 + i;
}

/* Writer i: its blocks, all or nothing; exit status. */
static int writer(int fd, int i)
{
	char buf[4096];
	size_t len = block_size(i);

	memset(buf, 'A' + i, len);
	for (int k = 0; k < writes_of(i); k++) {
		ssize_t n;

		if (i % 2) {
			struct iovec iov[2] = {
				{ buf, len / 2 }, { buf + len / 2, len - len / 2 },
			};
			n = writev(fd, iov, 2);
		} else {
			n = write(fd, buf, len);
		}
		if (n != (ssize_t)len) {
			fprintf(stderr, "pipe_writers: writer %d: %s\n", i,
				n < 0 ? strerror(errno) : "short write");
			return 1;
		}
	}
	return 0;
}

/* The reader: count bytes per writer until EOF, print them; exit status. */
static int reader(int fd, int writers, size_t chunk)
{
	unsigned long long got[MAX_WRITERS] = { 0 };
	char *buf = malloc(chunk);
	ssize_t n;

	if (!buf)
		return 1;
	while ((n = read(fd, buf, chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("pipe_writers: read");
			return 1;
		}
		for (ssize_t k = 0; k < n; k++) {
			int i = buf[k] - 'A';

			if (i < 0 || i >= writers) {
				fprintf(stderr, "pipe_writers: stray byte %d\n", buf[k]);
				return 1;
			}
			got[i]++;
		}
	}
	for (int i = 0; i < writers; i++)
		printf("reader pid %d got %llu from writer %d\n", (int)getpid(), got[i], i);
	for (int i = 0; i < writers; i++)
		if (got[i] != (unsigned long long)writes_of(i) * block_size(i))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_WRITERS + 1];
	int fds[2], writers, status = 0;
	long chunk;

	if (argc != 3 || (writers = atoi(argv[1])) < 1 || writers > MAX_WRITERS ||
	    (chunk = atol(argv[2])) < 1 || chunk > (1 << 20)) {
		fprintf(stderr, "usage: pipe_writers WRITERS(1..%d) CHUNK\n", MAX_WRITERS);
		return 2;
	}
	if (pipe(fds) < 0) {
		perror("pipe_writers: pipe");
		return 1;
	}
	fflush(stdout);
	for (int i = 0; i <= writers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("pipe_writers: fork");
			return 1;
		}
		if (pids[i] == 0) {
			if (i == 0) {
				close(fds[1]);
				status = reader(fds[0], writers, (size_t)chunk);
				fflush(stdout);
				_exit(status);
			}
			close(fds[0]);
			_exit(writer(fds[1], i - 1));
		}
	}
	close(fds[0]);
	close(fds[1]);
	for (int i = 0; i < writers; i++)
		printf("writer %d pid %d writes %d bytes %llu\n", i, (int)pids[i + 1],
		       writes_of(i), (unsigned long long)writes_of(i) * block_size(i));
	fflush(stdout);
	for (int i = 0; i <= writers; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			status = 1;
	}
	return status;
}
