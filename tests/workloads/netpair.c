/*
 * netpair - a test workload: the two ends of TCP and UDP exchanges on
 * 127.0.0.1, run as two separate programs so that two tracers can record
 * one end each (tests/t6000-merge-loopback.sh).
 *
 *   netpair tcp-server PORTFILE CONNS   listen on 127.0.0.1 (port written to
 *                                       PORTFILE), serve CONNS connections
 *   netpair tcp-client PORT CONNS       make CONNS connections, one at a time
 *   netpair udp-server PORTFILE COUNT   answer COUNT datagrams
 *   netpair udp-client PORT COUNT       send COUNT datagrams, read each answer
 *   netpair tcp-echo PORTFILE 1         echo one connection byte by byte
 *   netpair tcp-ping PORT N             N one-byte round trips (benchmarks:
 *                                       bench/merge-bench.sh)
 *
 * TCP connection I: the client writes a request of 1000 * (I + 1) + 7
 * bytes in writes of at most 1000 bytes, then shuts down its sending side;
 * the server reads it all, then answers 3000 + 500 * I bytes in writes of
 * at most 700 bytes and closes.  UDP datagram I has 100 + I bytes; its
 * answer 200 + I bytes.  Every program prints what it sent, one line per
 * connection or datagram:
 *
 *   sent tcp CONN BYTES WRITES          sent udp SEQ BYTES
 *
 * and checks that what it received has the expected size (exit 1 if not).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t request_size(int i) { return 1000 * (size_t)(i + 1) + 7; }
static size_t reply_size(int i) { return 3000 + 500 * (size_t)i; }

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* Write LEN bytes in pieces of at most PIECE; the number of writes. */
static int send_all(int fd, size_t len, size_t piece, char fill)
{
	char buf[1000];
	int writes = 0;

	memset(buf, fill, sizeof(buf));
	while (len) {
		size_t n = len < piece ? len : piece;
		ssize_t w = write(fd, buf, n);
		if (w <= 0)
			die("write");
		len -= (size_t)w;
		writes++;
	}
	return writes;
}

static size_t read_all(int fd)
{
	char buf[4096];
	size_t total = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += (size_t)r;
	if (r < 0)
		die("read");
	return total;
}

static int bound_socket(int type, const char *portfile)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type, 0);
	FILE *f;

	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 16)) ||
	    getsockname(fd, (void *)&a, &len))
		die("socket");
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	if (!(f = fopen(tmp, "w")) || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 ||
	    fclose(f) || rename(tmp, portfile))
		die(portfile);
	return fd;
}

static int tcp_server(const char *portfile, int conns)
{
	int lfd = bound_socket(SOCK_STREAM, portfile), bad = 0;

	for (int i = 0; i < conns; i++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		size_t got = read_all(fd);
		if (got != request_size(i)) {
			fprintf(stderr, "conn %d: request of %zu bytes, want %zu\n", i, got, request_size(i));
			bad = 1;
		}
		int writes = send_all(fd, reply_size(i), 700, 'r');
		printf("sent tcp %d %zu %d\n", i, reply_size(i), writes);
		close(fd);
	}
	close(lfd);
	return bad;
}

static int tcp_client(int port, int conns)
{
	struct sockaddr_in a = loopback(port);
	int bad = 0;

	for (int i = 0; i < conns; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (void *)&a, sizeof(a)))
			die("connect");
		int writes = send_all(fd, request_size(i), 1000, 'q');
		printf("sent tcp %d %zu %d\n", i, request_size(i), writes);
		shutdown(fd, SHUT_WR);
		size_t got = read_all(fd);
		if (got != reply_size(i)) {
			fprintf(stderr, "conn %d: reply of %zu bytes, want %zu\n", i, got, reply_size(i));
			bad = 1;
		}
		close(fd);
	}
	return bad;
}

static int udp_server(const char *portfile, int count)
{
	int fd = bound_socket(SOCK_DGRAM, portfile), bad = 0;
	char buf[2048];

	memset(buf, 'u', sizeof(buf));
	for (int i = 0; i < count; i++) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &len);
		if (r < 0)
			die("recvfrom");
		if ((size_t)r != 100 + (size_t)i)
			bad = 1;
		if (sendto(fd, buf, 200 + (size_t)i, 0, (void *)&from, len) < 0)
			die("sendto");
		printf("sent udp %d %d\n", i, 200 + i);
	}
	close(fd);
	return bad;
}

static int udp_client(int port, int count)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), bad = 0;
	char buf[2048];

	if (fd < 0)
		die("socket");
	memset(buf, 'v', sizeof(buf));
	for (int i = 0; i < count; i++) {
		if (sendto(fd, buf, 100 + (size_t)i, 0, (void *)&a, sizeof(a)) < 0)
			die("sendto");
		printf("sent udp %d %d\n", i, 100 + i);
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);
		if (r != 200 + i)
			bad = 1;
	}
	close(fd);
	return bad;
}

static int tcp_echo(const char *portfile)
{
	int lfd = bound_socket(SOCK_STREAM, portfile);
	int fd = accept(lfd, NULL, NULL);
	char c;

	if (fd < 0)
		die("accept");
	while (read(fd, &c, 1) == 1)
		if (write(fd, &c, 1) != 1)
			die("write");
	close(fd);
	close(lfd);
	return 0;
}

static int tcp_ping(int port, int n)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char c = 'p';

	if (fd < 0 || connect(fd, (void *)&a, sizeof(a)))
		die("connect");
	for (int i = 0; i < n; i++)
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			die("ping");
	printf("sent tcp 0 %d %d\n", n, n);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: netpair tcp-server|tcp-client|udp-server|udp-client PORT|PORTFILE N\n");
		return 2;
	}
	int n = atoi(argv[3]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "tcp-server"))
		return tcp_server(argv[2], n);
	if (!strcmp(argv[1], "tcp-client"))
		return tcp_client(atoi(argv[2]), n);
	if (!strcmp(argv[1], "udp-server"))
		return udp_server(argv[2], n);
	if (!strcmp(argv[1], "udp-client"))
		return udp_client(atoi(argv[2]), n);
	if (!strcmp(argv[1], "tcp-echo"))
		return tcp_echo(argv[2]);
	if (!strcmp(argv[1], "tcp-ping"))
		return tcp_ping(atoi(argv[2]), n);
	fprintf(stderr, "netpair: unknown mode '%s'\n", argv[1]);
	return 2;
}
