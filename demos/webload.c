/*
 * webload - a small HTTP/1.1 load generator for demos/webserver.
 *
 * C threads each open a connection to a loopback URL and send their share
 * of the R requests, one after another (keep-alive: one connection per
 * thread; -K: a new connection per request).  Each request is timed from
 * the first byte sent to the last byte of the body read, the response must
 * be "200" with a Content-Length body, and at the end the program prints
 * requests/s and the latency percentiles over every request.
 *
 * Only http://127.0.0.1:PORT/path (or localhost) is accepted: this is a
 * test tool for a server on this machine.  A request that fails (refused,
 * timed out after 5 s, not 200, short body) is counted, and any failure
 * makes the exit status 1.  A keep-alive connection that the server closed
 * between requests is reopened once, as browsers do for idempotent GETs.
 *
 *   demos/webload -c 4 -n 1000 http://127.0.0.1:8080/
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256

struct target {
	int port;
	char path[1024];
	int keep_alive;
};

struct client {                 /* one thread's share and results */
	pthread_t thread;
	const struct target *t;
	unsigned long requests;
	uint64_t *latency_ns;       /* one per request sent */
	unsigned long done, failed;
	char error[128];            /* the first failure, for the report */
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Connect to 127.0.0.1:port with 5 s send/receive timeouts; fd or -errno. */
static int open_connection(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Send one GET and read the whole response.  Returns the HTTP status, 0 if
 * the server closed the connection before answering (may retry), or -1 on
 * any other failure (message in err).  *server_closes: "Connection: close". */
static int do_request(int fd, const struct target *t, int *server_closes, char *err, size_t errlen)
{
	char req[1300], buf[65536];
	size_t have = 0, body_len = 0;
	char *head_end = NULL;
	int n, code;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n",
		     t->path, t->port, t->keep_alive ? "" : "Connection: close\r\n");
	if (write(fd, req, n) != n) {
		snprintf(err, errlen, "cannot send: %s", strerror(errno));
		return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
	}
	/* read until the end of the head */
	while (!head_end) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (r <= 0) {
			snprintf(err, errlen, "%s", r == 0 ? "connection closed" : strerror(errno));
			return have == 0 && (r == 0 || errno == ECONNRESET) ? 0 : -1;
		}
		have += r;
		buf[have] = '\0';
		head_end = strstr(buf, "\r\n\r\n");
		if (!head_end && have == sizeof(buf) - 1) {
			snprintf(err, errlen, "response head too long");
			return -1;
		}
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &code) != 1) {
		snprintf(err, errlen, "not an HTTP response");
		return -1;
	}
	*server_closes = 0;
	for (char *l = strstr(buf, "\r\n"); l && l < head_end; l = strstr(l + 2, "\r\n")) {
		if (!strncasecmp(l + 2, "Content-Length:", 15))
			body_len = strtoul(l + 17, NULL, 10);
		else if (!strncasecmp(l + 2, "Connection: close", 17))
			*server_closes = 1;
	}
	/* the body: what came with the head, then the rest */
	have -= (size_t)(head_end + 4 - buf);
	while (have < body_len) {
		ssize_t r = read(fd, buf, sizeof(buf) < body_len - have ? sizeof(buf) : body_len - have);
		if (r <= 0) {
			snprintf(err, errlen, "short body: %s", r == 0 ? "connection closed" : strerror(errno));
			return -1;
		}
		have += r;
	}
	if (have != body_len) {
		snprintf(err, errlen, "%zu bytes after the body", have - body_len);
		return -1;
	}
	return code;
}

/* A client thread: its share of requests, reconnecting when needed. */
static void *client_main(void *arg)
{
	struct client *c = arg;
	int fd = -1;

	for (unsigned long i = 0; i < c->requests; i++) {
		char err[96] = "";
		int code = -1, closes = 1;
		uint64_t t0 = now_ns();

		for (int attempt = 0; attempt < 2; attempt++) {
			if (fd < 0) {
				fd = open_connection(c->t->port);
				if (fd < 0) {
					snprintf(err, sizeof(err), "cannot connect: %s", strerror(-fd));
					code = -1;
					break;
				}
				t0 = now_ns();
			}
			code = do_request(fd, c->t, &closes, err, sizeof(err));
			if (code != 0 || attempt == 1)
				break;
			close(fd);   /* closed while idle: reopen once and resend */
			fd = -1;
		}
		c->latency_ns[c->done++] = now_ns() - t0;
		if (code != 200) {
			c->failed++;
			if (code > 0)
				snprintf(err, sizeof(err), "HTTP status %d", code);
			if (!c->error[0])
				snprintf(c->error, sizeof(c->error), "%s", err[0] ? err : "failed");
		}
		if (fd >= 0 && (code != 200 || closes || !c->t->keep_alive)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Accept http://127.0.0.1:PORT/path or http://localhost:PORT/path. */
static int parse_url(const char *url, struct target *t)
{
	const char *p, *slash;
	char *end;
	long port;

	if (!strncmp(url, "http://127.0.0.1:", 17))
		p = url + 17;
	else if (!strncmp(url, "http://localhost:", 17))
		p = url + 17;
	else
		return -1;
	port = strtol(p, &end, 10);
	if (end == p || port < 1 || port > 65535 || (*end && *end != '/'))
		return -1;
	slash = *end ? end : "/";
	if (strlen(slash) >= sizeof(t->path) || strpbrk(slash, " \r\n"))
		return -1;
	t->port = (int)port;
	strcpy(t->path, slash);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: demos/webload [-c CONNS] [-n REQUESTS] [-k | -K] URL\n"
		"  -c CONNS     concurrent connections, 1..%d (default 4)\n"
		"  -n REQUESTS  requests in all, 1..10000000 (default 1000)\n"
		"  -k           keep connections alive (the default)\n"
		"  -K           a new connection for every request\n"
		"  URL          http://127.0.0.1:PORT/path (loopback only)\n", MAX_CONNS);
}

int main(int argc, char **argv)
{
	struct target t = { .keep_alive = 1 };
	unsigned long conns = 4, total = 1000, done = 0, failed = 0;
	struct client *clients;
	uint64_t *all, t0, elapsed;
	int opt;

	while ((opt = getopt(argc, argv, "c:n:kKh")) != -1) {
		char *end;
		unsigned long v;
		switch (opt) {
		case 'c':
		case 'n':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 1 ||
			    v > (opt == 'c' ? MAX_CONNS : 10000000UL)) {
				fprintf(stderr, "error: bad %s '%s'\n",
					opt == 'c' ? "connection count" : "request count", optarg);
				return 2;
			}
			*(opt == 'c' ? &conns : &total) = v;
			break;
		case 'k':
			t.keep_alive = 1;
			break;
		case 'K':
			t.keep_alive = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (parse_url(argv[optind], &t) < 0) {
		fprintf(stderr, "error: bad URL '%s' (want http://127.0.0.1:PORT/path)\n", argv[optind]);
		return 2;
	}
	if (conns > total)
		conns = total;

	clients = calloc(conns, sizeof(*clients));
	all = malloc(total * sizeof(*all));
	if (!clients || !all) {
		fprintf(stderr, "error: out of memory\n");
		return 1;
	}
	t0 = now_ns();
	for (unsigned long i = 0, off = 0; i < conns; i++) {
		struct client *c = &clients[i];
		c->t = &t;
		c->requests = total / conns + (i < total % conns);
		c->latency_ns = all + off;   /* each thread fills its own slice */
		off += c->requests;
		if (pthread_create(&c->thread, NULL, client_main, c) != 0) {
			fprintf(stderr, "error: cannot start a client thread\n");
			return 1;
		}
	}
	for (unsigned long i = 0; i < conns; i++) {
		pthread_join(clients[i].thread, NULL);
		done += clients[i].done;
		failed += clients[i].failed;
	}
	elapsed = now_ns() - t0;

	/* the slices are contiguous and full: sort them together */
	qsort(all, done, sizeof(*all), cmp_u64);
	printf("requests: %lu ok, %lu failed, %lu connections, keep-alive %s, %.3f s\n",
	       done - failed, failed, conns, t.keep_alive ? "on" : "off", elapsed / 1e9);
	printf("requests/s: %.1f\n", done * 1e9 / (double)(elapsed ? elapsed : 1));
	printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
	       all[(done - 1) / 2] / 1e6, all[(done * 90 + 99) / 100 - 1] / 1e6,
	       all[(done * 99 + 99) / 100 - 1] / 1e6, all[done - 1] / 1e6);
	for (unsigned long i = 0; i < conns; i++)
		if (clients[i].error[0]) {
			fprintf(stderr, "error: %s\n", clients[i].error);
			break;
		}
	free(clients);
	free(all);
	if (fflush(stdout) || ferror(stdout))
		return 1;
	return failed ? 1 : 0;
}
