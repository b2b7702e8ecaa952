/*
 * webserver - a prefork HTTP/1.1 server: one master, W workers, one socket.
 *
 * The master opens the listening socket on 127.0.0.1 and forks W workers
 * that inherit it; each worker accepts connections itself and serves them
 * one at a time (HTTP/1.1 keep-alive, Content-Length, pipelining).  The
 * master never touches a client: it only manages workers, driven by signals
 * and by what the workers tell it over the status pipe.
 *
 *   status channel  one pipe shared by every worker; a worker writes a
 *                   fixed-size record (pid, state, requests served, empty
 *                   wake-ups) after each change.  Records are smaller than
 *                   PIPE_BUF, so writes from different workers never mix.
 *   status page     the master's view, rewritten after each record into a
 *                   shared page that workers copy out for GET /status.
 *
 * Signals to the master (as nginx and apache use them):
 *   SIGTERM, SIGINT  graceful stop: workers finish the current request and
 *                    exit, the master reaps them and exits 0
 *   SIGHUP           restart the workers one by one (start a new one, stop
 *                    an old one, wait for it, go on), never dropping below W
 *   SIGUSR1          print the status table on stdout
 *   SIGTTIN/SIGTTOU  one worker more / one worker less
 * A worker that dies is restarted.  See docs/webserver.md.
 *
 *   demos/webserver -p 0 -w 2      prints "listening on 127.0.0.1:PORT"
 *   curl http://127.0.0.1:PORT/ ; curl http://127.0.0.1:PORT/status
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS  64
#define REQ_MAX      8192       /* request head limit; larger: 400 */
#define IDLE_MS      5000       /* keep-alive connection idle timeout */
#define GRACE_S      10         /* graceful stop: SIGKILL after this */

/* ---- the status channel: worker -> master ---- */

struct report {                 /* one record on the status pipe */
	pid_t pid;
	char state;                 /* 'I' idle (waiting to accept), 'B' busy */
	uint32_t requests;          /* served so far by this worker */
	uint32_t empty_wakeups;     /* woken for a connection another took */
};

struct status_page {            /* the master's view, shared with workers */
	_Atomic unsigned seq;       /* odd while the master rewrites it */
	size_t len;
	char text[16384];
};

struct worker {                 /* the master's row for one worker */
	pid_t pid;                  /* 0: free slot */
	char state;
	uint32_t requests, empty_wakeups;
	time_t started;
	int retiring;               /* told to stop; do not replace */
};

static struct status_page *page;
static int listen_fd = -1, status_pipe[2] = { -1, -1 }, signal_pipe[2] = { -1, -1 };
static const char *root_text = "Hello from a prefork worker";

/* ======================= worker ======================= */

static volatile sig_atomic_t worker_stopping;
static struct report me;

static void worker_on_term(int sig)
{
	worker_stopping = 1;
}

/* Tell the master how we are; never blocks (a full pipe drops a record,
 * which is harmless since every record carries totals). */
static void worker_report(char state)
{
	me.state = state;
	(void)!write(status_pipe[1], &me, sizeof(me));
}

/* Copy the master's status page (a seqlock: retry if it changed under us). */
static size_t read_status_page(char *out, size_t cap)
{
	for (;;) {
		unsigned s1 = atomic_load_explicit(&page->seq, memory_order_acquire);
		size_t len = page->len < cap ? page->len : cap;
		if (s1 & 1)
			continue;
		memcpy(out, page->text, len);
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&page->seq, memory_order_relaxed) == s1)
			return len;
	}
}

/* Escape &, <, >, " for HTML; returns the length written. */
static size_t html_escape(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	for (; *s && n + 7 < cap; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
				*s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if (e)
			n += (size_t)snprintf(out + n, cap - n, "%s", e);
		else
			out[n++] = *s;
	}
	out[n] = '\0';
	return n;
}

/* Send one response; HEAD gets the headers only. */
static int send_response(int fd, int code, const char *type, const char *body,
			 size_t len, int keep_alive, int head_only)
{
	const char *reason = code == 200 ? "OK" : code == 404 ? "Not Found" :
			     code == 405 ? "Method Not Allowed" : "Bad Request";
	char hdr[512];
	struct iovec iov[2];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nServer: ipctrace-webserver\r\n"
			 "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: %s\r\n%s\r\n",
			 code, reason, type, len, keep_alive ? "keep-alive" : "close",
			 code == 405 ? "Allow: GET, HEAD\r\n" : "");

	/* head and body in one system call: two small writes would meet
	 * Nagle's algorithm and the client's delayed ACK (40 ms a request) */
	iov[0].iov_base = hdr;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)body;
	iov[1].iov_len = head_only ? 0 : len;
	for (;;) {
		ssize_t w = writev(fd, iov, 2);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		if ((size_t)w >= iov[0].iov_len + iov[1].iov_len)
			return 0;
		if ((size_t)w < iov[0].iov_len) {   /* partial: finish by hand */
			if (demo_write_full(fd, hdr + w, iov[0].iov_len - w) < 0)
				return -1;
			w = (ssize_t)iov[0].iov_len;
		}
		return demo_write_full(fd, body + (w - iov[0].iov_len), iov[1].iov_len - (w - iov[0].iov_len));
	}
}

/* Is a client waiting in the accept queue?  A prefork worker owns one
 * connection at a time, so keep-alive must give way to waiting clients. */
static int clients_waiting(void)
{
	struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
	return poll(&pfd, 1, 0) > 0;
}

/* Find the value of header name (case-insensitive) in a request head. */
static const char *header_value(const char *head, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	for (const char *l = strstr(head, "\r\n"); l && l[2]; l = strstr(l + 2, "\r\n")) {
		const char *p = l + 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			p += nl + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			*len = strcspn(p, "\r");
			return p;
		}
	}
	return NULL;
}

/* Parse and answer one request whose head is buf[0..head_len) (NUL at the
 * end).  Sets *keep_alive; *body_len is a request body to skip.  Returns 0
 * or -1 when the connection must be closed. */
static int serve_request(int fd, char *buf, int *keep_alive, size_t *body_len)
{
	char method[16], path[1024], version[16], body[20000], esc[512];
	const char *v;
	size_t vlen, len;
	int code = 200, head_only;

	*body_len = 0;
	/* request line: METHOD SP PATH SP HTTP/1.x, every other line "Name: value" */
	if (sscanf(buf, "%15s %1023s HTTP/%15s", method, path, version) != 3 ||
	    (strcmp(version, "1.1") && strcmp(version, "1.0")) || path[0] != '/') {
		*keep_alive = 0;
		len = (size_t)snprintf(body, sizeof(body), "<h1>400 Bad Request</h1>\n");
		return send_response(fd, 400, "text/html", body, len, 0, 0) < 0 ? -1 : 0;
	}
	for (char *l = strstr(buf, "\r\n"); l && l[2]; l = strstr(l + 2, "\r\n")) {
		char *end = strstr(l + 2, "\r\n");
		char *colon = memchr(l + 2, ':', end ? (size_t)(end - l - 2) : 0);
		if (!colon || colon == l + 2) {
			*keep_alive = 0;
			len = (size_t)snprintf(body, sizeof(body), "<h1>400 Bad Request</h1>\n");
			return send_response(fd, 400, "text/html", body, len, 0, 0) < 0 ? -1 : 0;
		}
	}
	/* HTTP/1.1 keeps the connection unless told not to; 1.0 the reverse */
	v = header_value(buf, "Connection", &vlen);
	if (!strcmp(version, "1.1"))
		*keep_alive = !(v && vlen == 5 && !strncasecmp(v, "close", 5));
	else
		*keep_alive = v && vlen == 10 && !strncasecmp(v, "keep-alive", 10);
	if (worker_stopping || clients_waiting())
		*keep_alive = 0;   /* stopping, or someone waits: last request */
	v = header_value(buf, "Content-Length", &vlen);
	if (v)
		*body_len = strtoul(v, NULL, 10);

	head_only = !strcmp(method, "HEAD");
	me.requests++;
	if (strcmp(method, "GET") && !head_only) {
		code = 405;
		len = (size_t)snprintf(body, sizeof(body), "<h1>405 Method Not Allowed</h1>\n");
	} else if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
		html_escape(esc, sizeof(esc), root_text);
		len = (size_t)snprintf(body, sizeof(body),
			"<!doctype html>\n<html><head><title>ipctrace webserver</title></head>\n"
			"<body><h1>%s</h1>\n<p>Served by worker pid %d (request %u of this worker),"
			" master pid %d.</p>\n<p><a href=\"/status\">status</a></p></body></html>\n",
			esc, (int)getpid(), me.requests, (int)getppid());
	} else if (!strcmp(path, "/status")) {
		len = read_status_page(body, sizeof(body));
		return send_response(fd, 200, "text/plain; charset=utf-8", body, len,
				     *keep_alive, head_only) < 0 ? -1 : 0;
	} else {
		code = 404;
		len = (size_t)snprintf(body, sizeof(body), "<h1>404 Not Found</h1>\n");
	}
	return send_response(fd, code, "text/html; charset=utf-8", body, len,
			     *keep_alive, head_only) < 0 ? -1 : 0;
}

/* Serve one connection until the client closes, asks to close, goes idle
 * for IDLE_MS, or we are told to stop (after the request in hand). */
static void serve_connection(int fd, const sigset_t *waitmask)
{
	char buf[REQ_MAX + 1];
	size_t have = 0, skip = 0;
	int keep_alive = 1, served = 0;

	while (keep_alive) {
		char *end;

		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end && have == REQ_MAX) {
			send_response(fd, 400, "text/html", "<h1>400 Bad Request</h1>\n", 25, 0, 0);
			return;
		}
		if (!end) {   /* wait for more bytes, waking for SIGTERM */
			struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
						 { .fd = listen_fd, .events = POLLIN } };
			struct timespec idle = { IDLE_MS / 1000, 0 };
			ssize_t n;

			if (worker_stopping && have == 0)
				return;
			/* between requests, also give way to a new client
			 * (but a new connection gets its first request served) */
			if (ppoll(pfd, have || !served ? 1 : 2, &idle, waitmask) <= 0 ||
			    !(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
				return;   /* idle, a signal, or a client waiting */
			n = read(fd, buf + have, REQ_MAX - have);
			if (n <= 0)
				return;
			/* drop a body the client sent with its previous request */
			if (skip) {
				size_t k = (size_t)n < skip ? (size_t)n : skip;
				memmove(buf + have, buf + have + k, n - k);
				n -= k;
				skip -= k;
			}
			have += n;
			continue;
		}
		end[2] = '\0';   /* keep the last header's CRLF, cut the blank line */
		if (serve_request(fd, buf, &keep_alive, &skip) < 0)
			return;
		served++;
		worker_report('B');
		/* pipelined bytes after this request stay for the next round */
		have -= (size_t)(end + 4 - buf);
		memmove(buf, end + 4, have);
		if (skip) {
			size_t k = have < skip ? have : skip;
			memmove(buf, buf + k, have - k);
			have -= k;
			skip -= k;
		}
	}
}

/* A worker's life: wait for a connection, serve it, report, repeat. */
static void worker_main(void)
{
	struct sigaction sa = { .sa_handler = worker_on_term };
	sigset_t block, waitmask;

	prctl(PR_SET_PDEATHSIG, SIGTERM);   /* the master died: stop too */
	close(signal_pipe[0]);
	close(signal_pipe[1]);
	close(status_pipe[0]);
	signal(SIGINT, SIG_IGN);    /* the terminal's ^C is for the master */
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);   /* a client that left: write gets EPIPE */
	signal(SIGCHLD, SIG_DFL);
	sigaction(SIGTERM, &sa, NULL);
	/* SIGTERM stays blocked except inside ppoll, so it can only arrive
	 * while we wait: no window between "check the flag" and "sleep". */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);

	me.pid = getpid();
	worker_report('I');
	while (!worker_stopping) {
		struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
		int fd;

		if (ppoll(&pfd, 1, NULL, &waitmask) < 0)
			continue;   /* EINTR: SIGTERM, checked above */
		/* Every idle worker wakes for a new connection (the thundering
		 * herd); one accept wins, the others get EAGAIN. */
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			me.empty_wakeups++;
			continue;
		}
		worker_report('B');
		serve_connection(fd, &waitmask);
		close(fd);
		worker_report('I');
	}
	_exit(0);
}

/* ======================= master ======================= */

static struct worker workers[MAX_WORKERS];
static int wanted;              /* how many workers should be running */
static int shutting_down;
static pid_t restart_queue[MAX_WORKERS];   /* SIGHUP: old workers to replace */
static int restart_len;

static void master_on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	(void)!write(signal_pipe[1], &c, 1);   /* the main loop does the work */
	errno = saved;
}

static struct worker *find_worker(pid_t pid)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		if (workers[i].pid == pid && pid > 0)
			return &workers[i];
	return NULL;
}

static int count_workers(int include_retiring)
{
	int n = 0;
	for (int i = 0; i < MAX_WORKERS; i++)
		n += workers[i].pid > 0 && (include_retiring || !workers[i].retiring);
	return n;
}

/* Rewrite the shared status page from the master's table. */
static void publish_status(void)
{
	char text[sizeof(page->text)];
	size_t n = 0;
	uint64_t total = 0;

	n += snprintf(text + n, sizeof(text) - n,
		      "master %d, %d workers (%d wanted)%s\n"
		      "pid      state     requests  empty-wakeups  up(s)\n",
		      (int)getpid(), count_workers(1), wanted,
		      shutting_down ? ", shutting down" : "");
	for (int i = 0; i < MAX_WORKERS && n < sizeof(text) - 128; i++) {
		struct worker *w = &workers[i];
		if (!w->pid)
			continue;
		total += w->requests;
		n += snprintf(text + n, sizeof(text) - n, "%-8d %-9s %8u  %13u  %5ld\n",
			      (int)w->pid, w->retiring ? "stopping" : w->state == 'B' ? "busy" : "idle",
			      w->requests, w->empty_wakeups, (long)(time(NULL) - w->started));
	}
	n += snprintf(text + n, sizeof(text) - n, "total requests %llu\n",
		      (unsigned long long)total);
	atomic_fetch_add_explicit(&page->seq, 1, memory_order_acq_rel);   /* odd */
	memcpy(page->text, text, n);
	page->len = n;
	atomic_fetch_add_explicit(&page->seq, 1, memory_order_release);   /* even */
}

static int spawn_worker(void)
{
	struct worker *w = NULL;
	pid_t pid;

	for (int i = 0; i < MAX_WORKERS && !w; i++)
		if (!workers[i].pid)
			w = &workers[i];
	if (!w)
		return -1;
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "webserver: cannot fork a worker: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		worker_main();
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->state = 'I';
	w->started = time(NULL);
	fprintf(stderr, "webserver: worker %d started\n", (int)pid);
	return 0;
}

static void retire(struct worker *w)
{
	w->retiring = 1;
	kill(w->pid, SIGTERM);
}

/* SIGHUP work: if no worker is stopping, replace the next old one. */
static void restart_step(void)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		if (workers[i].pid && workers[i].retiring)
			return;   /* wait until the previous one has gone */
	while (restart_len > 0) {
		struct worker *w = find_worker(restart_queue[--restart_len]);
		if (!w || w->retiring)
			continue;
		spawn_worker();    /* the new one first: capacity never drops */
		retire(w);
		return;
	}
}

/* Collect every dead worker; replace those that were not meant to stop. */
static void reap_workers(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct worker *w = find_worker(pid);
		if (!w)
			continue;
		if (!w->retiring && !shutting_down) {
			if (WIFSIGNALED(status))
				fprintf(stderr, "webserver: worker %d killed by signal %d, restarting\n",
					(int)pid, WTERMSIG(status));
			else
				fprintf(stderr, "webserver: worker %d exited with %d, restarting\n",
					(int)pid, WEXITSTATUS(status));
		} else {
			fprintf(stderr, "webserver: worker %d stopped\n", (int)pid);
		}
		w->pid = 0;
	}
	if (!shutting_down) {
		while (count_workers(0) < wanted && spawn_worker() == 0)
			;
		restart_step();
	}
}

static void handle_signal(int sig)
{
	if (shutting_down && sig != SIGCHLD && sig != SIGUSR1)
		return;   /* stopping: no restarts, no new workers */
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (shutting_down)
			break;
		fprintf(stderr, "webserver: graceful stop\n");
		shutting_down = 1;
		close(listen_fd);   /* new connections are refused from now on */
		for (int i = 0; i < MAX_WORKERS; i++)
			if (workers[i].pid)
				retire(&workers[i]);
		break;
	case SIGHUP:
		fprintf(stderr, "webserver: restarting workers one by one\n");
		restart_len = 0;
		for (int i = 0; i < MAX_WORKERS; i++)
			if (workers[i].pid && !workers[i].retiring)
				restart_queue[restart_len++] = workers[i].pid;
		restart_step();
		break;
	case SIGUSR1:
		publish_status();
		fwrite(page->text, 1, page->len, stdout);
		fflush(stdout);
		break;
	case SIGTTIN:
		if (wanted < MAX_WORKERS && spawn_worker() == 0)
			wanted++;
		break;
	case SIGTTOU:
		if (wanted > 1) {
			for (int i = MAX_WORKERS - 1; i >= 0; i--)
				if (workers[i].pid && !workers[i].retiring) {
					retire(&workers[i]);
					wanted--;
					break;
				}
		}
		break;
	case SIGCHLD:
		reap_workers();
		break;
	}
	publish_status();
}

/* Read every pending worker record from the status pipe. */
static void drain_reports(void)
{
	struct report r;

	while (read(status_pipe[0], &r, sizeof(r)) == sizeof(r)) {
		struct worker *w = find_worker(r.pid);
		if (!w)
			continue;
		w->state = r.state;
		w->requests = r.requests;
		w->empty_wakeups = r.empty_wakeups;
	}
	publish_status();
}

static int open_listener(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int one = 1;

	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -errno;
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listen_fd, 128) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&sa, &len) < 0)
		return -errno;
	return ntohs(sa.sin_port);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: demos/webserver [-p PORT] [-w WORKERS] [-r TEXT]\n"
		"  -p PORT     port on 127.0.0.1 (default 8080; 0 = any free port)\n"
		"  -w WORKERS  worker processes, 1..%d (default 4)\n"
		"  -r TEXT     heading of the page served at /\n"
		"signals: TERM/INT stop gracefully, HUP restarts the workers,\n"
		"         USR1 prints the status, TTIN/TTOU add/remove a worker\n",
		MAX_WORKERS);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = master_on_signal };
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGTTIN, SIGTTOU, SIGCHLD };
	int port = 8080, opt, actual;
	time_t deadline = 0;

	wanted = 4;
	while ((opt = getopt(argc, argv, "p:w:r:h")) != -1) {
		char *end;
		long v;
		switch (opt) {
		case 'p':
		case 'w':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < (opt == 'w') ||
			    v > (opt == 'w' ? MAX_WORKERS : 65535)) {
				fprintf(stderr, "error: bad %s '%s'\n",
					opt == 'p' ? "port" : "worker count", optarg);
				return 2;
			}
			*(opt == 'p' ? &port : &wanted) = (int)v;
			break;
		case 'r':
			root_text = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	actual = open_listener(port);
	if (actual < 0) {
		fprintf(stderr, "error: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(-actual));
		return 1;
	}
	page = mmap(NULL, sizeof(*page), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || pipe2(status_pipe, O_CLOEXEC) < 0 ||
	    pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "error: cannot set up the master: %s\n", strerror(errno));
		return 1;
	}
	/* the master reads reports without blocking; workers never block writing */
	fcntl(status_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(status_pipe[1], F_SETFL, O_NONBLOCK);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	printf("listening on 127.0.0.1:%d\n", actual);
	fflush(stdout);
	for (int i = 0; i < wanted; i++)
		spawn_worker();
	publish_status();

	/* The master's loop: signals (through the self-pipe) and reports. */
	while (!shutting_down || count_workers(1) > 0) {
		struct pollfd pfd[2] = { { .fd = signal_pipe[0], .events = POLLIN },
					 { .fd = status_pipe[0], .events = POLLIN } };
		unsigned char sig;

		if (shutting_down && !deadline)
			deadline = time(NULL) + GRACE_S;
		if (deadline && time(NULL) >= deadline) {
			for (int i = 0; i < MAX_WORKERS; i++)
				if (workers[i].pid)
					kill(workers[i].pid, SIGKILL);
		}
		if (poll(pfd, 2, shutting_down ? 200 : -1) < 0 && errno != EINTR)
			break;
		while (read(signal_pipe[0], &sig, 1) == 1)
			handle_signal(sig);
		if (pfd[1].revents & POLLIN)
			drain_reports();
		if (shutting_down)
			reap_workers();   /* a SIGCHLD byte may have been eaten */
	}
	fprintf(stderr, "webserver: stopped\n");
	return 0;
}
