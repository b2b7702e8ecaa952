/*
 * echo_server - the classic TCP echo server (iterative: one client at a time).
 *
 *   demos/classic/echo_server [-c COUNT] [PORT]     (default port 0 = any)
 *   demos/classic/echo_client PORT MESSAGE...       (in another terminal)
 *
 * The server's system calls, in the order every TCP server makes them:
 *   socket(AF_INET, SOCK_STREAM)   a TCP endpoint;
 *   setsockopt(SO_REUSEADDR)       restartable at once on the same port;
 *   bind(127.0.0.1:PORT)           PORT 0: the kernel picks a free one;
 *   listen()                       accept connections into a queue;
 *   accept()                       take the next one: a NEW socket per client;
 *   read()/write()                 echo until the client closes (read = 0).
 * It prints "echo_server: listening on 127.0.0.1:PORT" first (so a script
 * can learn the port), serves COUNT clients (default: until SIGINT/SIGTERM)
 * and closes everything.  Signals: the handler only sets a flag; without
 * SA_RESTART the blocked accept()/read() fails with EINTR and we stop.
 */
#include "demos/demo_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

/* Echoes everything from conn back to it until EOF; bytes echoed or -1. */
static long long echo(int conn)
{
	char buf[4096];
	long long total = 0;

	for (;;) {
		ssize_t n = read(conn, buf, sizeof(buf));

		if (n == 0)
			return total;		/* the client closed its side */
		if (n < 0)
			return -1;		/* error, or EINTR: stop */
		if (demo_write_full(conn, buf, (size_t)n) < 0)
			return -1;
		total += n;
	}
}

static void usage(FILE *stream)
{
	fprintf(stream, "usage: echo_server [-c COUNT] [PORT]\n");
}

int main(int argc, char **argv)
{
	uint64_t port = 0, count = 0;	/* count 0: serve until stopped */
	struct sockaddr_in addr;
	socklen_t addr_len = sizeof(addr);
	struct sigaction sa;
	int server, one = 1, i = 1;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (i + 1 < argc && !strcmp(argv[i], "-c")) {
		if (demo_parse_u64(argv[i + 1], &count) || count == 0) {
			fprintf(stderr, "error: bad count '%s'\n", argv[i + 1]);
			usage(stderr);
			return 2;
		}
		i += 2;
	}
	if (i < argc && (demo_parse_u64(argv[i++], &port) || port > 65535)) {
		fprintf(stderr, "error: bad port '%s': want 0..65535\n", argv[i - 1]);
		usage(stderr);
		return 2;
	}
	if (i != argc) {
		usage(stderr);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a vanished client: EPIPE, not death */

	server = socket(AF_INET, SOCK_STREAM, 0);
	if (server < 0) {
		fprintf(stderr, "error: cannot create socket: %s\n", strerror(errno));
		return 1;
	}
	setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)port);	/* network byte order */
	if (bind(server, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(server, 16) < 0 ||
	    getsockname(server, (struct sockaddr *)&addr, &addr_len) < 0) {
		fprintf(stderr, "error: cannot listen on port %llu: %s\n",
			(unsigned long long)port, strerror(errno));
		close(server);
		return 1;
	}
	printf("echo_server: listening on 127.0.0.1:%u\n", ntohs(addr.sin_port));
	fflush(stdout);

	for (uint64_t served = 0; !stop && (count == 0 || served < count); served++) {
		long long bytes;
		int conn = accept(server, NULL, NULL);

		if (conn < 0) {
			if (errno != EINTR)
				fprintf(stderr, "error: accept failed: %s\n", strerror(errno));
			break;
		}
		bytes = echo(conn);
		close(conn);
		if (bytes >= 0)
			printf("echo_server: client %llu: echoed %lld bytes\n",
			       (unsigned long long)served + 1, bytes);
		fflush(stdout);
	}
	close(server);
	if (stop)
		printf("echo_server: stopped by signal %d\n", (int)stop);
	return 0;
}
