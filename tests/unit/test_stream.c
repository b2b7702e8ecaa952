/*
 * test_stream - the streaming load (viz/stream.c) against the full one:
 * on random byte-stream traces (several pipes and unix stream sockets,
 * several writers and readers, sizes that split and join, events a little
 * out of time order, reads nobody traced wrote) both loads must give the
 * same flows, byte counts, unmatched bytes and call counts; the same on
 * random traces of the message kinds (a SysV queue under every msgrcv
 * rule, a POSIX queue with priorities, a Unix datagram socket), which
 * both loads match by one simulated queue (viz/queue_sim.c); and on
 * random traces of semaphores and files.  Then the
 * duration percentiles past VIZ_CALLS_EXACT and the in-flight bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "test_util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "lib/trace_file.h"
#include "viz/model.h"
#include "viz/hot.h"
#include "viz/viz.h"
#include "ipc_trace.h"
#include "stream_same.h"

#define T0 IT_T0

static char trace_path[512];

static struct trace_writer *open_writer(void)
{
	static char *argv[] = { "stream", NULL };
	struct trace_meta meta = { 0 };
	struct trace_writer *w = NULL;

	unit_temp_file(trace_path, sizeof(trace_path), "test_stream");
	strcpy(meta.host, "testhost");
	meta.argc = 1;
	meta.argv = argv;
	meta.start_monotonic_ns = T0;
	meta.root_pid = 100;
	assert_int_equal(trace_writer_open(&w, trace_path, &meta), 0);
	return w;
}

static void add_io(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_kind kind,
		   uint64_t ino, uint64_t peer, enum ipct_dir dir, int64_t ret, uint64_t duration)
{
	union {
		struct ipct_io_event ev;
		uint8_t bytes[sizeof(struct ipct_io_event) + 16];
	} u;
	struct ipct_io_event *ev = &u.ev;
	uint32_t plen = ret > 0 ? (ret < 16 ? (uint32_t)ret : 16u) : 0;

	memset(&u, 0, sizeof(u));
	ev->hdr.ts_ns = T0 + ts;
	ev->hdr.pid = pid;
	ev->hdr.tid = pid;
	ev->hdr.type = IPCT_EV_IO;
	ev->hdr.size = (uint16_t)(sizeof(*ev) + ((plen + 7) & ~7u));
	ev->duration_ns = duration;
	ev->ret = ret;
	ev->ino = ino;
	ev->dev = kind == IPCT_KIND_UNIX ? 0 : 12;
	ev->peer_ino = peer;
	ev->sock_type = kind == IPCT_KIND_UNIX ? SOCK_STREAM : 0;
	ev->requested = ret > 0 ? (uint64_t)ret : 8;
	ev->syscall = dir == IPCT_DIR_SEND ? 1 : 0;
	ev->kind = kind;
	ev->dir = dir;
	ev->payload_len = plen;
	for (uint32_t i = 0; i < plen; i++)
		u.bytes[sizeof(*ev) + i] = (uint8_t)('a' + (ts + i) % 26);
	assert_int_equal(trace_writer_append(w, &ev->hdr), 0);
}

static uint64_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng_state >> 33) % n);
}

struct planned {
	uint64_t ts, dur;
	uint32_t pid;
	uint8_t kind, dir;
	uint64_t ino, peer;
	int64_t ret;
};

/* A random byte-stream trace of N calls, written a little out of order. */
static void write_random_trace(uint64_t seed, size_t n)
{
	struct planned *p = calloc(n, sizeof(*p));
	struct trace_writer *w = open_writer();
	uint64_t ts = 1000;

	assert_non_null(p);
	rng_state = seed;
	for (size_t i = 0; i < n; i++) {
		unsigned chan = rng(4);
		ts += 1 + rng(300);
		p[i].ts = ts;
		p[i].dur = rng(5) ? rng(200) : 2000 + rng(5000);   /* some block long */
		p[i].dir = rng(2) ? IPCT_DIR_SEND : IPCT_DIR_RECV;
		p[i].pid = 100 + rng(3);
		p[i].ret = rng(10) ? (int64_t)(1 + rng(700)) : (rng(2) ? 0 : -EAGAIN);
		if (chan < 2) {
			p[i].kind = IPCT_KIND_PIPE;
			p[i].ino = 500 + chan;
		} else {
			/* a socket pair: which end says which direction */
			bool a_end = rng(2);
			p[i].kind = IPCT_KIND_UNIX;
			p[i].ino = a_end ? 900 + 2 * chan : 901 + 2 * chan;
			p[i].peer = a_end ? 901 + 2 * chan : 900 + 2 * chan;
		}
	}
	/* swap neighbours: the file is not quite in time order */
	for (size_t i = 0; i + 1 < n; i++)
		if (!rng(8)) {
			struct planned t = p[i];
			p[i] = p[i + 1];
			p[i + 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		add_io(w, p[i].ts, p[i].pid, p[i].kind, p[i].ino, p[i].peer, p[i].dir,
		       p[i].ret, p[i].dur);
	struct trace_stats stats = { .events = n, .end_monotonic_ns = T0 + ts + 10 };
	assert_int_equal(trace_writer_close(w, NULL, 0, &stats), 0);
	free(p);
}

static void load(struct viz_model *m, unsigned flags)
{
	struct trace_reader *r;

	assert_int_equal(trace_reader_open(&r, trace_path), 0);
	assert_int_equal(viz_model_build_with(m, r, flags), 0);
	trace_reader_free(r);
}

/* For seeds 1..40, the trace WRITE makes of 300 + 40 * seed calls: the
 * same both ways, and a quarter of its calls or more delivered. */
static void random_loads_match(void (*write)(uint64_t seed, size_t n))
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct viz_model full, st;

		write(seed, 300 + 40 * seed);
		load(&full, VIZ_LOAD_FULL);
		load(&st, VIZ_LOAD_STREAM);
		assert_same(&full, &st);
		assert_true(full.ntransfers > (300 + 40 * seed) / 4);
		viz_model_release(&full);
		viz_model_release(&st);
	}
}

static void test_random_traces_match(void **state)
{
	(void)state;
	random_loads_match(write_random_trace);
}

/* One random message call at TS by PID on one of the three queues. */
static void random_message(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	bool send = rng(2);
	uint64_t dur = rng(4) ? rng(200) : 2000 + rng(5000);   /* some began long before */
	int64_t len = 1 + rng(4);

	switch (rng(3)) {
	case 0: {       /* SysV: msgtyp 0, > 0, < 0, MSG_EXCEPT, an rtype or none */
		struct it_msg m = { .ts = ts, .dur = dur, .pid = pid, .id = 7, .size = 8,
				    .op = send ? IPCT_MSG_SEND : IPCT_MSG_RECV,
				    .syscall = send ? 69 : 70 };
		unsigned rule = rng(5);
		int64_t type = 1 + rng(4);
		m.mtype = send || rule == 1 ? type : rule == 2 ? -2 : rule == 3 ? 3 : 0;
		m.flags = !send && rule == 3 ? 020000 : 0;
		m.rtype = !send && rule == 4 ? 1 + rng(4) : 0;
		m.ret = send ? 0 : rng(8) ? 8 : -ENOMSG;
		it_msg(w, &m);
		break;
	}
	case 1: {       /* POSIX: priorities 0..2, the received one recorded or not */
		struct it_msg m = { .ts = ts, .dur = dur, .pid = pid, .id = -1, .dev = 5,
				    .ino = 900, .queue_flags = IPCT_MSG_POSIX,
				    .op = send ? IPCT_MSG_SEND : IPCT_MSG_RECV,
				    .size = send ? (uint64_t)len : 64, .ret = send ? 0 : len,
				    .prio = send || rng(2) ? rng(3) : 0,
				    .syscall = send ? 242 : 243 };
		it_msg(w, &m);
		break;
	}
	default: {      /* Unix datagrams: lengths the look-ahead compares */
		struct it_io io = { .ts = ts, .dur = dur, .pid = pid, .kind = IPCT_KIND_UNIX,
				    .dir = send ? IPCT_DIR_SEND : IPCT_DIR_RECV,
				    .ret = rng(10) ? len : 0, .dev = 9, .ino = 700,
				    .peer = send ? 700 : 0, .sock_type = SOCK_DGRAM,
				    .payload = "abcd" };
		it_io(w, &io);
	}
	}
}

/* One random semaphore or file call at TS by PID: Ps that may have
 * waited, Vs of +1 or +2 on two nums of one set, and reads and writes of
 * two files at offsets that overlap. */
static void random_sync(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	bool give = rng(2);

	if (rng(2)) {
		uint64_t dur = give ? rng(100) : rng(4) ? rng(200) : 2000 + rng(5000);
		it_sem(w, ts, dur, pid, IPCT_SEM_OP, 3, 0, (uint16_t)rng(2),
		       give ? (int16_t)(1 + rng(2)) : -1);
		return;
	}
	struct it_io io = { .ts = ts, .dur = rng(300), .pid = pid, .kind = IPCT_KIND_FILE,
			    .dir = rng(3) ? IPCT_DIR_RECV : IPCT_DIR_SEND, .ret = 1 + rng(24),
			    .dev = 5, .ino = 800 + rng(2), .offset = rng(64),
			    .payload = "abcdefghijklmnopqrstuvwxyz" };
	it_io(w, &io);
}

/* A random trace of N calls CALL writes, some written a little out of
 * time order, with pauses past the horizons of the simulated queue and
 * of the semaphores. */
static void write_random_calls(uint64_t seed, size_t n,
			       void (*call)(struct trace_writer *w, uint64_t ts, uint32_t pid))
{
	struct trace_writer *w = open_writer();
	uint64_t ts = 1000;

	rng_state = seed;
	for (size_t i = 0; i < n; i++) {
		ts += 1 + rng(300);
		if (!rng(100))
			ts += 200000000;        /* 200 ms of nothing */
		call(w, rng(8) ? ts : ts - rng(ts < 500 ? ts : 500), 100 + rng(3));
	}
	struct trace_stats stats = { .events = n, .end_monotonic_ns = T0 + ts + 10 };
	assert_int_equal(trace_writer_close(w, NULL, 0, &stats), 0);
}

/* One random call at TS by PID: a read or write of one of two pipes and
 * a socket pair's ends (as write_random_trace() makes them), or a poll
 * or epoll_wait that one of them ended, that timed out or that a signal
 * interrupted (an epoll_wait after the epoll_ctl that registers it). */
static void random_poll(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	unsigned chan = rng(4);
	bool a_end = rng(2);
	uint64_t ino = chan < 2 ? 500 + chan : (a_end ? 900 + 2 * chan : 901 + 2 * chan);
	uint64_t peer = chan < 2 ? 0 : (a_end ? 901 + 2 * chan : 900 + 2 * chan);
	enum ipct_kind kind = chan < 2 ? IPCT_KIND_PIPE : IPCT_KIND_UNIX;
	uint64_t dur = rng(5) ? rng(2000) : 2000 + rng(50000);

	if (rng(3)) {
		int64_t ret = rng(10) ? (int64_t)(1 + rng(700)) : (rng(2) ? 0 : -EAGAIN);
		add_io(w, ts, pid, kind, ino, peer, rng(2) ? IPCT_DIR_SEND : IPCT_DIR_RECV, ret, dur);
		return;
	}
	union {
		struct ipct_wait_event ev;
		uint8_t bytes[sizeof(struct ipct_wait_event) + sizeof(struct ipct_wait_fd)];
	} u;
	struct ipct_wait_event *ev = &u.ev;

	memset(&u, 0, sizeof(u));
	ev->hdr.ts_ns = T0 + ts;
	ev->hdr.pid = pid;
	ev->hdr.tid = pid;
	ev->hdr.type = IPCT_EV_WAIT;
	ev->hdr.size = sizeof(u);
	ev->duration_ns = dur;
	ev->ret = rng(8) ? 1 : (rng(2) ? 0 : -EINTR);
	ev->timeout_ns = -1;
	ev->nfds = 1;
	ev->nrecorded = 1;
	ev->syscall = 7;
	ev->op = IPCT_WAIT_POLL;
	ev->epfd = -1;
	ev->fds[0] = (struct ipct_wait_fd){ .fd = 3 + (int)chan, .events = 1,
					    .revents = ev->ret > 0 ? 1 : 0, .ino = ino,
					    .dev = kind == IPCT_KIND_UNIX ? 0 : 12, .kind = kind };
	if (rng(2)) {
		struct ipct_epoll_ctl_event ctl = {
			.hdr = { .ts_ns = T0 + ts - 1, .pid = pid, .tid = pid,
				 .type = IPCT_EV_EPOLL_CTL, .size = sizeof(ctl) },
			.ep_id = 77, .data = chan + 1, .ino = ino, .epfd = 9, .fd = 3 + (int)chan,
			.events = 1, .dev = ev->fds[0].dev, .syscall = 233, .op = 1, .kind = kind };
		assert_int_equal(trace_writer_append(w, &ctl.hdr), 0);
		ev->op = IPCT_WAIT_EPOLL;
		ev->syscall = 232;
		ev->ep_id = 77;
		ev->epfd = 9;
		ev->fds[0] = (struct ipct_wait_fd){ .revents = ev->fds[0].revents,
						    .data = chan + 1 };
	}
	assert_int_equal(trace_writer_append(w, &ev->hdr), 0);
}

static void write_random_polls(uint64_t seed, size_t n)
{
	write_random_calls(seed, n, random_poll);
}

static void test_random_polls_match(void **state)
{
	(void)state;
	random_loads_match(write_random_polls);
}

static size_t sig_calls;        /* random_signal()'s calls in this trace */

/* A signal event; a SIGKILL delivery is the one without siginfo. */
static void sig_event(struct trace_writer *w, uint64_t ts, uint32_t pid, uint8_t op,
		      uint32_t sig, uint32_t target, int64_t ret, uint8_t action)
{
	bool group_exit = op == IPCT_SIG_DELIVER && sig == 9;

	it_signal_action(w, ts, pid, op, sig, target, ret, group_exit ? 0 : -6 /* SI_TKILL */,
			 group_exit ? 0 : pid, action);
}

/* One random signal at TS from PID: a kill call alone, or a generation
 * for one of four processes (queued, ignored, merged or dropped for a
 * full queue), most of them delivered a little later, some as a
 * handler's, some with the default action, a few group-exit deliveries
 * (SIGKILL without siginfo); at the 150th call process 103 dies of a
 * SIGUSR2 through a group exit, and is signalled after too. */
static void random_signal(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	static const uint32_t sigs[] = { 10, 12, 34 };
	uint32_t target = 100 + rng(4), sig = sigs[rng(3)];
	unsigned r = rng(10);

	if (++sig_calls == 150) {       /* SIGUSR2 for 103, its group exit, its death */
		struct ipct_exit_event ev = { 0 };
		sig_event(w, ts, pid, IPCT_SIG_GENERATE, 12, 103, 0, IPCT_SIGACT_DEFAULT);
		sig_event(w, ts + 2, 103, IPCT_SIG_DELIVER, 9, 103, 0, IPCT_SIGACT_DEFAULT);
		it_header(&ev.hdr, IPCT_EV_EXIT, sizeof(ev), ts + 4, 103);
		ev.exit_code = 12;
		ev.flags = IPCT_EXIT_GROUP_DEAD;
		assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
		return;
	}
	if (!rng(8)) {
		sig_event(w, ts, pid, IPCT_SIG_SEND, sig, target, 0, 0);
		return;
	}
	int64_t ret = r < 7 ? 0 : r == 7 ? 1 : r == 8 ? 2 : 3;
	uint8_t action = ret == 1 ? IPCT_SIGACT_IGNORE : rng(4) ? IPCT_SIGACT_HANDLER :
			 IPCT_SIGACT_DEFAULT;
	sig_event(w, ts, pid, IPCT_SIG_GENERATE, sig, target, ret, action);
	if (!rng(20))
		sig_event(w, ts + 1 + rng(300), target, IPCT_SIG_DELIVER, 9, target, 0,
			  IPCT_SIGACT_DEFAULT);
	else if (ret != 1 && rng(4))
		sig_event(w, ts + 1 + rng(300), target, IPCT_SIG_DELIVER, sig, target, 0, action);
}

static void write_random_signals(uint64_t seed, size_t n)
{
	sig_calls = 0;
	write_random_calls(seed, n, random_signal);
}

static void test_random_signals_match(void **state)
{
	(void)state;
	random_loads_match(write_random_signals);
}

static void write_random_queues(uint64_t seed, size_t n)
{
	write_random_calls(seed, n, random_message);
}

static void write_random_sync(uint64_t seed, size_t n)
{
	write_random_calls(seed, n, random_sync);
}

static void test_random_sync_match(void **state)
{
	(void)state;
	random_loads_match(write_random_sync);
}

static void test_random_queues_match(void **state)
{
	(void)state;
	random_loads_match(write_random_queues);
}

/* 3000 calls of 1000..3999 ns: past VIZ_CALLS_EXACT, p50 and p99 from
 * the histogram within 1.6%, min and max exact. */
static void test_percentiles_past_exact(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model st, full;

	(void)state;
	for (uint64_t i = 0; i < 3000; i++)
		add_io(w, 10000 + 10000 * i, 100, IPCT_KIND_PIPE, 77, 0, IPCT_DIR_SEND, 1,
		       1000 + (i * 7919) % 3000);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	load(&st, VIZ_LOAD_STREAM);
	load(&full, VIZ_LOAD_FULL);
	assert_int_equal(st.nobjects, 1);
	const struct viz_call_summary *c = &st.calls[0];
	assert_int_equal(c->calls, 3000);
	assert_int_equal(c->min_ns, 1000);
	assert_int_equal(c->max_ns, 3999);
	assert_null(c->exact);
	assert_non_null(c->hist);
	uint64_t p50 = viz_calls_percentile(c, 50), p99 = viz_calls_percentile(c, 99);
	/* exact nearest rank: 1000 + 1499 and 1000 + 2969 */
	assert_true(p50 * 1000 >= 2499 * 984 && p50 * 1000 <= 2499 * 1016);
	assert_true(p99 * 1000 >= 3969 * 984 && p99 * 1000 <= 3969 * 1016);
	assert_int_equal(viz_calls_percentile(c, 100), 3999);
	viz_model_release(&st);
	viz_model_release(&full);
}

/* Siblings fold by the channels they sent into: a V that released nobody
 * is no send (as a kept op that moved nothing), one that released a P
 * is; the streamed graph folds them as the whole one does. */
static void test_sem_siblings_fold(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model full, st;

	(void)state;
	for (uint32_t k = 0; k < 4; k++)
		it_fork(w, 10 + k, 100, 101 + k);
	it_sem(w, 1000, 10, 101, IPCT_SEM_OP, 3, 0, 0, 1);     /* nobody waited */
	it_sem(w, 2000, 10, 102, IPCT_SEM_OP, 3, 0, 0, 1);     /* releases 103 */
	it_sem(w, 3000, 1500, 103, IPCT_SEM_OP, 3, 0, 0, -1);
	it_sem(w, 4000, 10, 104, IPCT_SEM_OP, 3, 0, 0, 1);     /* nobody waited */
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	load(&full, VIZ_LOAD_FULL);
	load(&st, VIZ_LOAD_STREAM);
	assert_same(&full, &st);
	assert_int_equal(st.nflows, 1);
	assert_int_equal(st.flows[0].from, 102);
	assert_int_equal(st.flows[0].to, 103);
	viz_model_release(&full);
	viz_model_release(&st);
}

/* A writer nobody traced reads: the queue keeps the newest sends. */
static void test_in_flight_bound(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model st;
	const uint64_t n = (1u << 16) + 10;

	(void)state;
	for (uint64_t i = 0; i < n; i++)
		add_io(w, 1000 + 100 * i, 100, IPCT_KIND_PIPE, 78, 0, IPCT_DIR_SEND, 3, 10);
	/* a reader at the end gets the newest bytes, as far as the queue holds */
	add_io(w, 1000 + 100 * n, 101, IPCT_KIND_PIPE, 78, 0, IPCT_DIR_RECV, 6, 10);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	load(&st, VIZ_LOAD_STREAM);
	assert_int_equal(st.stream_dropped, 10);
	assert_int_equal(st.objects[0].sent_bytes, 3 * n);
	assert_int_equal(st.objects[0].received_bytes, 6);
	assert_int_equal(st.nflows, 1);
	assert_int_equal(st.flows[0].messages, 2);
	assert_int_equal(st.flows[0].bytes, 6);
	/* the sample is the oldest send kept, the 11th */
	assert_int_equal(viz_flow_first(&st, &st.flows[0])->ts_ns, 1000 + 100 * 10);
	viz_model_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_traces_match),
		cmocka_unit_test(test_random_queues_match),
		cmocka_unit_test(test_random_sync_match),
		cmocka_unit_test(test_random_signals_match),
		cmocka_unit_test(test_random_polls_match),
		cmocka_unit_test(test_sem_siblings_fold),
		cmocka_unit_test(test_percentiles_past_exact),
		cmocka_unit_test(test_in_flight_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
