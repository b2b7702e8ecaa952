/*
 * thread_writers - a test workload: the threads of one process write into
 * one pipe, a child process reads it.
 *
 *   thread_writers THREADS MESSAGES
 *
 * The parent makes a pipe and forks a reader, then starts THREADS (1..8)
 * threads; thread i writes MESSAGES messages of 8 bytes, 2 ms apart, and
 * the main thread only waits.  Output, one line per thread then the
 * reader's:
 *
 *   thread I tid TID wrote N
 *   reader pid PID got B bytes
 *
 * Exit status 0 when the reader got every byte.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pipe_w;
static int messages;

struct writer {
	pthread_t thread;
	int index;
	pid_t tid;
	int wrote;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct timespec gap = { 0, 2 * 1000 * 1000 };
	uint64_t word;

	w->tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < messages; i++) {
		word = (uint64_t)w->index << 32 | (uint64_t)i;
		if (write(pipe_w, &word, sizeof(word)) == (ssize_t)sizeof(word))
			w->wrote++;
		nanosleep(&gap, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct writer writers[8];
	int threads, fds[2], status;
	long got = 0;
	pid_t reader;

	if (argc != 3 || (threads = atoi(argv[1])) < 1 || threads > 8 ||
	    (messages = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: thread_writers THREADS(1-8) MESSAGES\n");
		return 2;
	}
	if (pipe(fds) < 0)
		return 1;
	reader = fork();
	if (reader < 0)
		return 1;
	if (reader == 0) {
		char buf[64];
		ssize_t n;

		close(fds[1]);
		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			got += n;
		printf("reader pid %d got %ld bytes\n", (int)getpid(), got);
		return got == 8L * threads * messages ? 0 : 1;
	}
	close(fds[0]);
	pipe_w = fds[1];
	for (int i = 0; i < threads; i++) {
		writers[i] = (struct writer){ .index = i };
		if (pthread_create(&writers[i].thread, NULL, writer_main, &writers[i]))
			return 1;
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(writers[i].thread, NULL);
		printf("thread %d tid %d wrote %d\n", i, (int)writers[i].tid, writers[i].wrote);
	}
	fflush(stdout);
	close(pipe_w);
	if (waitpid(reader, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
