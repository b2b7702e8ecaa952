/*
 * eventfd_pass - a test workload: eventfd counters between processes.
 *
 *   child 1  writes 1, 2 and 3 to a counting eventfd and exits; the
 *            parent then reads it once (6: the three writes in one read)
 *   child 2  writes 3 once to an EFD_SEMAPHORE eventfd and exits; the
 *            parent reads it three times (1 each)
 *
 * Prints "parent PID child1 PID child2 PID" and exits 0 when every value
 * read was the expected one.  With the argument "init": the parent makes
 * an EFD_SEMAPHORE eventfd with the initial value 2 and a child reads it
 * twice (1 each); prints "parent PID child PID".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t run(int fd, const uint64_t *values, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < n; i++)
			if (write(fd, &values[i], sizeof(values[i])) != sizeof(values[i]))
				_exit(1);
		_exit(0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) {
		fprintf(stderr, "eventfd_pass: child failed\n");
		exit(1);
	}
	return pid;
}

static uint64_t take(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v)) {
		perror("eventfd_pass: read");
		exit(1);
	}
	return v;
}

static int init_value(void)
{
	int fd = eventfd(2, EFD_SEMAPHORE);
	pid_t pid;
	int st;

	if (fd < 0) {
		perror("eventfd_pass: eventfd");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(take(fd) == 1 && take(fd) == 1 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		return 1;
	printf("parent %d child %d\n", (int)getpid(), (int)pid);
	return 0;
}

int main(int argc, char **argv)
{
	static const uint64_t one_two_three[] = { 1, 2, 3 }, three[] = { 3 };
	int counting = eventfd(0, 0), semaphore = eventfd(0, EFD_SEMAPHORE);
	pid_t c1, c2;

	if (argc > 1 && !strcmp(argv[1], "init"))
		return init_value();
	if (counting < 0 || semaphore < 0) {
		perror("eventfd_pass: eventfd");
		return 1;
	}
	c1 = run(counting, one_two_three, 3);
	if (take(counting) != 6)
		return 1;
	c2 = run(semaphore, three, 1);
	for (int i = 0; i < 3; i++)
		if (take(semaphore) != 1)
			return 1;
	printf("parent %d child1 %d child2 %d\n", (int)getpid(), (int)c1, (int)c2);
	return 0;
}
