/*
 * socket_sum - the forked parallel sum over sockets.
 *
 *   demos/socket_sum [-n N] [-p P] [--tcp | --udp]   (default: Unix socket)
 *
 * The parent is a tiny server; each worker is a client that connects,
 * sends its 8-byte partial sum and hangs up.
 *   (default) a Unix-domain stream socket, named by a path in a private
 *             directory ($TMPDIR/socket_sum.XXXXXX, made by mkdtemp);
 *   --tcp     a TCP stream socket on 127.0.0.1, at a port the kernel picks
 *             (bind to port 0, then getsockname tells which);
 *   --udp     a UDP socket on 127.0.0.1: no connections, each worker sends
 *             one 8-byte datagram with sendto().
 * For the stream sockets the parent listen()s, and accept()s one
 * connection per worker, reading 8 bytes from each.  The workers learn the
 * address simply by inheriting the parent's variables over fork().
 *
 * Cleanup: sockets are closed on every path; the Unix socket's file and its
 * directory are deleted as soon as all P workers have connected (new
 * connections need the name, established ones do not), or on any abort.
 */
#include "demos/demo_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *const modes[] = { "tcp", "udp", NULL };

/* The server's address, whatever the family (set up before the forks). */
static struct sockaddr_storage addr;
static socklen_t addr_len;
static int family, type;
static char dir[64 + sizeof(((struct sockaddr_un *)0)->sun_path)];

/* Worker index: connect (or not, for UDP), send the partial sum, close. */
static int worker(const struct sum_args *args, unsigned int index)
{
	uint64_t partial = sum_worker_partial(args, index);
	int fd, err = 0;

	fd = socket(family, type, 0);
	if (fd < 0) {
		fprintf(stderr, "error: worker %u: socket failed: %s\n", index, strerror(errno));
		return 1;
	}
	if (type == SOCK_DGRAM) {
		/* One datagram: delivered whole or not at all. */
		if (sendto(fd, &partial, sizeof(partial), 0, (struct sockaddr *)&addr,
			   addr_len) != (ssize_t)sizeof(partial))
			err = -errno;
	} else if (connect(fd, (struct sockaddr *)&addr, addr_len) < 0) {
		err = -errno;
	} else {
		err = demo_write_full(fd, &partial, sizeof(partial));
	}
	close(fd);
	if (err) {
		fprintf(stderr, "error: worker %u: sending failed: %s\n", index, strerror(-err));
		return 1;
	}
	return 0;
}

/* Makes the server socket for args->mode, bound and (streams) listening;
 * the fd, or -1 after an error message. */
static int make_server(const struct sum_args *args)
{
	int fd, err;

	memset(&addr, 0, sizeof(addr));
	if (!args->mode) {
		struct sockaddr_un *un = (struct sockaddr_un *)&addr;

		err = demo_make_tempdir(dir, sizeof(dir), "socket_sum");
		if (err) {
			fprintf(stderr, "error: cannot create a directory in '%s': %s\n",
				demo_tmpdir(), strerror(-err));
			dir[0] = '\0';
			return -1;
		}
		un->sun_family = family = AF_UNIX;
		if ((size_t)snprintf(un->sun_path, sizeof(un->sun_path), "%s/sum.sock", dir) >=
		    sizeof(un->sun_path)) {
			fprintf(stderr, "error: socket path in '%s' is too long\n", dir);
			return -1;
		}
		addr_len = sizeof(*un);
		type = SOCK_STREAM;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&addr;

		in->sin_family = family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* 127.0.0.1 */
		in->sin_port = 0;				/* any free port */
		addr_len = sizeof(*in);
		type = !strcmp(args->mode, "udp") ? SOCK_DGRAM : SOCK_STREAM;
	}

	fd = socket(family, type, 0);
	if (fd < 0) {
		fprintf(stderr, "error: cannot create socket: %s\n", strerror(errno));
		return -1;
	}
	if (type == SOCK_DGRAM) {
		/* Room for every datagram even if we fall behind: a full UDP
		 * receive buffer silently drops. (The kernel caps the request
		 * at net.core.rmem_max; root may exceed it with FORCE.) */
		int bytes = 4096 * (int)args->p + 65536;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	}
	if (bind(fd, (struct sockaddr *)&addr, addr_len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &addr_len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, (int)args->p) < 0)) {
		fprintf(stderr, "error: cannot set up the server socket: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Deletes the Unix socket's file and directory, once. */
static void remove_socket_file(void)
{
	if (dir[0]) {
		unlink(((struct sockaddr_un *)&addr)->sun_path);
		rmdir(dir);
		dir[0] = '\0';
	}
}

/* Receives one partial sum on server into *partial: a datagram, or a
 * connection's 8 bytes.  0, or -1 if the run must stop. */
static int receive_one(struct demo_workers *w, int server, uint64_t *partial)
{
	int conn, err;

	if (demo_wait_readable(w, server))
		return -1;
	if (type == SOCK_DGRAM) {
		if (recv(server, partial, sizeof(*partial), 0) != (ssize_t)sizeof(*partial)) {
			fprintf(stderr, "error: bad datagram: %s\n", strerror(errno));
			return -1;
		}
		return 0;
	}
	conn = accept(server, NULL, NULL);
	if (conn < 0) {
		fprintf(stderr, "error: accept failed: %s\n", strerror(errno));
		return -1;
	}
	if (demo_wait_readable(w, conn)) {
		close(conn);
		return -1;
	}
	err = demo_read_full(conn, partial, sizeof(*partial));
	close(conn);	/* one partial sum per connection */
	if (err) {
		fprintf(stderr, "error: reading a partial sum failed: %s\n",
			err == -EIO ? "connection closed early" : strerror(-err));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sum_args args;
	struct demo_workers workers;
	uint64_t total = 0;
	int server, status = 1;

	sum_parse_args(argc, argv, "socket_sum", modes, DEMO_MAX_WORKERS, &args);
	if (demo_signals_init() || demo_workers_init(&workers, "socket_sum", args.p)) {
		fprintf(stderr, "error: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	server = make_server(&args);
	if (server < 0)
		goto out;

	for (unsigned int i = 0; i < args.p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "error: cannot fork: %s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			demo_worker_begin();
			close(server);		/* the worker is a client only */
			_exit(worker(&args, i));
		}
		demo_workers_add(&workers, pid);
	}

	for (unsigned int got = 0; got < args.p; got++) {
		uint64_t partial;

		if (receive_one(&workers, server, &partial))
			goto out;
		total += partial;
	}
	remove_socket_file();	/* everyone has connected: the name can go */

	if (demo_workers_wait(&workers) == 0)
		status = sum_report("socket_sum", &args, total);
out:
	demo_workers_kill(&workers);
	if (server >= 0)
		close(server);
	remove_socket_file();
	demo_workers_release(&workers);
	demo_exit(status);
}
