/*
 * echo_client - the classic TCP echo client.
 *
 *   demos/classic/echo_client PORT MESSAGE...
 *
 * socket() + connect() to 127.0.0.1:PORT (where echo_server listens), then
 * for each MESSAGE: write it, read back exactly as many bytes (TCP is a
 * byte stream: one write may come back in several reads, so we loop), and
 * print the echo.  shutdown(SHUT_WR) then tells the server "no more data"
 * (it reads end of file) while we can still read.  Exit status 0 only if
 * every echo matched.
 */
#include "demos/demo_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uint64_t port;
	struct sockaddr_in addr;
	char buf[4096];
	int fd, status = 0;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		printf("usage: echo_client PORT MESSAGE...\n");
		return 0;
	}
	if (argc < 3 || demo_parse_u64(argv[1], &port) || port == 0 || port > 65535) {
		fprintf(stderr, "usage: echo_client PORT MESSAGE...\n");
		return 2;
	}

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		fprintf(stderr, "error: cannot create socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "error: cannot connect to 127.0.0.1:%llu: %s\n",
			(unsigned long long)port, strerror(errno));
		close(fd);
		return 1;
	}

	for (int i = 2; i < argc && status == 0; i++) {
		size_t len = strlen(argv[i]);
		int err;

		if (len > sizeof(buf)) {
			fprintf(stderr, "error: message longer than %zu bytes\n", sizeof(buf));
			status = 1;
			break;
		}
		err = demo_write_full(fd, argv[i], len);
		if (!err)
			err = demo_read_full(fd, buf, len);
		if (err) {
			fprintf(stderr, "error: echo failed: %s\n",
				err == -EIO ? "server closed the connection" : strerror(-err));
			status = 1;
		} else {
			printf("echo_client: sent %zu bytes, got back '%.*s'\n", len,
			       (int)len, buf);
			if (memcmp(buf, argv[i], len) != 0)
				status = 1;
		}
	}
	shutdown(fd, SHUT_WR);	/* we are done sending: the server sees EOF */
	close(fd);
	return status;
}
