/*
 * test_match_ipc - matching of the kinds that carry bytes, on synthetic
 * traces written with the real trace writer (tests/unit/ipc_trace.h) and
 * loaded with viz_model_load(): Unix stream sockets (both directions,
 * partial reads, a peek), TCP (mirrored 4-tuples), UDP and Unix datagrams
 * (two senders, one receiver, a dropped datagram, a wildcard receiver),
 * SysV message queues (msgtyp 0, > 0, < 0, MSG_EXCEPT), POSIX queues
 * (priorities) and files (two writers, an overwrite, a self read,
 * content from before the trace).  Every flow and transfer is exact.
 */
#include "ipc_trace.h"
#include <sys/msg.h>

/* Transfer (send op, recv op) bytes, or -1 when absent. */
static long long transfer_bytes(const struct viz_model *m, uint32_t send, uint32_t recv)
{
	for (size_t i = 0; i < m->ntransfers; i++)
		if (m->transfers[i].send == send && m->transfers[i].recv == recv)
			return m->transfers[i].bytes;
	return -1;
}

/* Index of the op of PID that returned at TS. */
static uint32_t op_at(const struct viz_model *m, uint32_t pid, uint64_t ts)
{
	for (size_t i = 0; i < m->nops; i++)
		if (m->ops[i].pid == pid && m->ops[i].ts_ns == ts)
			return i;
	fail_msg("no op of %u at %llu", pid, (unsigned long long)ts);
	return 0;
}

static void unix_io(struct trace_writer *w, uint64_t ts, uint32_t pid, uint64_t ino,
		    uint64_t peer, enum ipct_dir dir, int64_t ret, uint32_t flags,
		    const char *payload)
{
	struct it_io io = { .ts = ts, .dur = 10, .pid = pid, .kind = IPCT_KIND_UNIX,
			    .dir = dir, .ret = ret, .dev = 9, .ino = ino, .peer = peer,
			    .sock_type = SOCK_STREAM, .flags = flags, .payload = payload };
	it_io(w, &io);
}

static void test_unix_stream(void **state)
{
	struct trace_writer *w = it_open_forks(10, 1);
	struct viz_model m;

	it_sock(w, 20, 10, IPCT_SOCK_SOCKETPAIR, 500, 501, SOCK_STREAM, NULL);
	unix_io(w, 100, 10, 500, 501, IPCT_DIR_SEND, 10, 0, "hello worl");
	unix_io(w, 110, 11, 501, 500, IPCT_DIR_RECV, 4, IPCT_IO_PEEK, "hell");
	unix_io(w, 120, 11, 501, 500, IPCT_DIR_RECV, 4, 0, "hell");
	unix_io(w, 130, 10, 500, 501, IPCT_DIR_SEND, 6, 0, "d!!!!!");
	unix_io(w, 140, 11, 501, 500, IPCT_DIR_RECV, 12, 0, "o world!!!!!");
	unix_io(w, 150, 11, 501, 0, IPCT_DIR_SEND, 5, 0, "reply");   /* peer learnt */
	unix_io(w, 160, 10, 500, 501, IPCT_DIR_RECV, 5, 0, "reply");
	it_load(w, &m);

	const struct viz_object *o = it_expect_object(&m, "unix:500-501", NULL);
	assert_int_equal(o->sent_bytes, 21);
	assert_int_equal(o->received_bytes, 21);       /* the peek does not count */
	assert_int_equal(o->unmatched_bytes, 0);
	assert_int_equal(m.nobjects, 1);
	const struct viz_flow *f = it_expect_flow(&m, "unix:500-501", 10, 11, 2, 16);
	assert_int_equal(m.ops[f->first_send].payload_len, 10);
	assert_memory_equal(m.payload + m.ops[f->first_send].payload, "hello worl", 10);
	it_expect_flow(&m, "unix:500-501", 11, 10, 1, 5);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(m.ntransfers, 4);
	uint32_t s1 = op_at(&m, 10, 100), s2 = op_at(&m, 10, 130);
	uint32_t r1 = op_at(&m, 11, 120), r2 = op_at(&m, 11, 140);
	assert_int_equal(transfer_bytes(&m, s1, r1), 4);
	assert_int_equal(transfer_bytes(&m, s1, r2), 6);
	assert_int_equal(transfer_bytes(&m, s2, r2), 6);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 11, 150), op_at(&m, 10, 160)), 5);
	assert_int_equal(transfer_bytes(&m, s1, op_at(&m, 11, 110)), -1);
	assert_int_equal(m.ops[r2].offset, 4);
	viz_model_release(&m);
}

/* A read or write of RET bytes on inet socket INO of KIND: TCP (a
 * stream socket) or UDP (a datagram socket). */
static void inet_io(struct trace_writer *w, enum ipct_kind kind, uint64_t ts, uint32_t pid,
		    uint64_t ino, struct ipct_inet_addr local, struct ipct_inet_addr remote,
		    enum ipct_dir dir, int64_t ret)
{
	struct it_io io = { .ts = ts, .dur = 10, .pid = pid, .kind = kind,
			    .dir = dir, .ret = ret, .dev = 9, .ino = ino,
			    .sock_type = kind == IPCT_KIND_TCP ? SOCK_STREAM : SOCK_DGRAM,
			    .local = local, .remote = remote };
	it_io(w, &io);
}

static void test_tcp(void **state)
{
	struct trace_writer *w = it_open_forks(20, 1);
	struct ipct_inet_addr srv = it_inet4("127.0.0.1", 5000), cli = it_inet4("127.0.0.1", 40000);
	struct viz_model m;

	inet_io(w, IPCT_KIND_TCP, 100, 20, 700, cli, srv, IPCT_DIR_SEND, 100);
	inet_io(w, IPCT_KIND_TCP, 120, 21, 701, srv, cli, IPCT_DIR_RECV, 60);
	inet_io(w, IPCT_KIND_TCP, 130, 21, 701, srv, cli, IPCT_DIR_RECV, 40);
	inet_io(w, IPCT_KIND_TCP, 140, 21, 701, srv, cli, IPCT_DIR_SEND, 7);
	inet_io(w, IPCT_KIND_TCP, 150, 20, 700, cli, srv, IPCT_DIR_RECV, 7);
	inet_io(w, IPCT_KIND_TCP, 160, 20, 700, cli, srv, IPCT_DIR_RECV, 0);         /* EOF */
	it_load(w, &m);

	assert_int_equal(m.nobjects, 1);
	assert_string_equal(m.objects[0].id, "tcp:127.0.0.1:5000-127.0.0.1:40000");
	assert_int_equal(m.objects[0].kind, IPCT_KIND_TCP);
	it_expect_flow(&m, m.objects[0].id, 20, 21, 1, 100);
	it_expect_flow(&m, m.objects[0].id, 21, 20, 1, 7);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(m.ntransfers, 3);
	assert_int_equal(m.objects[0].unmatched_bytes, 0);
	viz_model_release(&m);
}

/* Two senders, one receiver bound to 0.0.0.0; 32's 12-byte datagram is
 * dropped and must not shift the matches after it. */
static void test_udp(void **state)
{
	struct trace_writer *w = it_open_forks(30, 2);
	struct ipct_inet_addr rcv = it_inet4("127.0.0.1", 6000), any = it_inet4("0.0.0.0", 6000);
	struct ipct_inet_addr a = it_inet4("127.0.0.1", 41000), b = it_inet4("127.0.0.1", 42000);
	struct viz_model m;

	inet_io(w, IPCT_KIND_UDP, 100, 31, 801, a, rcv, IPCT_DIR_SEND, 8);
	inet_io(w, IPCT_KIND_UDP, 110, 32, 802, b, rcv, IPCT_DIR_SEND, 4);
	inet_io(w, IPCT_KIND_UDP, 120, 31, 801, a, rcv, IPCT_DIR_SEND, 8);
	inet_io(w, IPCT_KIND_UDP, 130, 32, 802, b, rcv, IPCT_DIR_SEND, 12);
	inet_io(w, IPCT_KIND_UDP, 140, 31, 801, a, rcv, IPCT_DIR_SEND, 8);
	inet_io(w, IPCT_KIND_UDP, 150, 32, 802, b, rcv, IPCT_DIR_SEND, 4);
	inet_io(w, IPCT_KIND_UDP, 200, 30, 800, any, a, IPCT_DIR_RECV, 8);
	inet_io(w, IPCT_KIND_UDP, 210, 30, 800, any, b, IPCT_DIR_RECV, 4);
	inet_io(w, IPCT_KIND_UDP, 220, 30, 800, any, a, IPCT_DIR_RECV, 8);
	inet_io(w, IPCT_KIND_UDP, 230, 30, 800, any, a, IPCT_DIR_RECV, 8);
	inet_io(w, IPCT_KIND_UDP, 240, 30, 800, any, b, IPCT_DIR_RECV, 4);
	it_load(w, &m);

	assert_int_equal(m.nobjects, 1);
	assert_string_equal(m.objects[0].id, "udp:127.0.0.1:6000");
	it_expect_flow(&m, "udp:127.0.0.1:6000", 31, 30, 3, 24);
	it_expect_flow(&m, "udp:127.0.0.1:6000", 32, 30, 2, 8);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 31, 140), op_at(&m, 30, 230)), 8);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 32, 150), op_at(&m, 30, 240)), 4);
	assert_int_equal(m.objects[0].unmatched_msgs, 0);
	assert_int_equal(m.objects[0].sent_bytes, 44);
	assert_int_equal(m.objects[0].received_bytes, 32);
	viz_model_release(&m);
}

static void dgram_io(struct trace_writer *w, uint64_t ts, uint32_t pid, uint64_t ino,
		     uint64_t peer, enum ipct_dir dir, int64_t ret)
{
	struct it_io io = { .ts = ts, .dur = 10, .pid = pid, .kind = IPCT_KIND_UNIX,
			    .dir = dir, .ret = ret, .dev = 9, .ino = ino, .peer = peer,
			    .sock_type = SOCK_DGRAM };
	it_io(w, &io);
}

static void test_unix_datagrams(void **state)
{
	struct trace_writer *w = it_open_forks(40, 2);
	struct viz_model m;

	it_sock(w, 20, 40, IPCT_SOCK_BIND, 700, 0, SOCK_DGRAM, "/tmp/dgram.sock");
	dgram_io(w, 100, 41, 601, 700, IPCT_DIR_SEND, 3);
	dgram_io(w, 110, 42, 602, 700, IPCT_DIR_SEND, 5);
	dgram_io(w, 120, 41, 601, 700, IPCT_DIR_SEND, 3);
	dgram_io(w, 200, 40, 700, 0, IPCT_DIR_RECV, 3);
	dgram_io(w, 210, 40, 700, 0, IPCT_DIR_RECV, 5);
	dgram_io(w, 220, 40, 700, 0, IPCT_DIR_RECV, 3);
	dgram_io(w, 230, 40, 700, 0, IPCT_DIR_RECV, 6);   /* sent before tracing */
	it_load(w, &m);

	const struct viz_object *o = it_expect_object(&m, "unix:700", "/tmp/dgram.sock");
	it_expect_flow(&m, "unix:700", 41, 40, 2, 6);
	it_expect_flow(&m, "unix:700", 42, 40, 1, 5);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(o->unmatched_msgs, 1);
	assert_int_equal(o->unmatched_bytes, 6);
	viz_model_release(&m);
}

static void test_msg_select(void **state)
{
	struct match_msg q[] = { { 3, false }, { 1, false }, { 2, true }, { 2, false }, { 1, false } };

	assert_int_equal(match_msg_select(q, 5, 0, 0, 0), 0);
	assert_int_equal(match_msg_select(q, 5, 2, 0, 0), 3);        /* q[2] is taken */
	assert_int_equal(match_msg_select(q, 5, 3, MSG_EXCEPT, 0), 1);
	assert_int_equal(match_msg_select(q, 5, -3, 0, 0), 1);       /* lowest type first */
	assert_int_equal(match_msg_select(q, 5, -2, 0, 0), 1);
	assert_int_equal(match_msg_select(q, 5, 7, 0, 0), -1);
	assert_int_equal(match_msg_select(q, 5, 0, 0, 2), 3);        /* rtype wins */
	assert_int_equal(match_msg_select(q, 5, 0, 0, 9), 0);        /* unknown rtype: rule */
	assert_int_equal(match_msg_select(q, 0, 0, 0, 0), -1);
}

static void sysv_msg(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_msg_op op,
		     int64_t mtype, uint64_t size, int64_t ret, uint32_t flags)
{
	struct it_msg msg = { .ts = ts, .dur = 10, .pid = pid, .op = op, .id = 7,
			      .mtype = mtype, .size = size, .ret = ret, .flags = flags,
			      .syscall = op == IPCT_MSG_SEND ? 69 : 70 };
	it_msg(w, &msg);
}

/* The receiver asks for type 2, then -3, 0, "not 5" and 0: the queue order
 * and the type rules decide who sent each message (rtype not recorded). */
static void test_sysv_msgq(void **state)
{
	struct trace_writer *w = it_open_forks(50, 2);
	struct it_msg get = { .ts = 5, .pid = 50, .op = IPCT_MSG_GET, .key = 0x1234, .ret = 7,
			      .id = -1, .syscall = 68 };
	struct viz_model m;

	it_msg(w, &get);
	sysv_msg(w, 100, 51, IPCT_MSG_SEND, 1, 10, 0, 0);
	sysv_msg(w, 110, 51, IPCT_MSG_SEND, 2, 20, 0, 0);
	sysv_msg(w, 120, 51, IPCT_MSG_SEND, 3, 30, 0, 0);
	sysv_msg(w, 130, 52, IPCT_MSG_SEND, 1, 11, 0, 0);
	sysv_msg(w, 140, 52, IPCT_MSG_SEND, 5, 50, 0, 0);
	sysv_msg(w, 150, 52, IPCT_MSG_SEND, 9, 99, -11, IPC_NOWAIT);   /* EAGAIN */
	sysv_msg(w, 200, 50, IPCT_MSG_RECV, 2, 100, 20, 0);
	sysv_msg(w, 210, 50, IPCT_MSG_RECV, -3, 100, 10, 0);
	sysv_msg(w, 220, 50, IPCT_MSG_RECV, 0, 100, 30, 0);
	sysv_msg(w, 230, 50, IPCT_MSG_RECV, 5, 100, 11, MSG_EXCEPT);
	sysv_msg(w, 240, 50, IPCT_MSG_RECV, 0, 100, 50, 0);
	sysv_msg(w, 250, 50, IPCT_MSG_RECV, 0, 100, -42, IPC_NOWAIT);  /* ENOMSG */
	it_load(w, &m);

	const struct viz_object *o = it_expect_object(&m, "msgq:7", "key 0x1234");
	assert_int_equal(o->sent_bytes, 121);
	assert_int_equal(o->received_bytes, 121);
	it_expect_flow(&m, "msgq:7", 51, 50, 3, 60);
	it_expect_flow(&m, "msgq:7", 52, 50, 2, 61);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 51, 100), op_at(&m, 50, 210)), 10);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 51, 120), op_at(&m, 50, 220)), 30);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 52, 130), op_at(&m, 50, 230)), 11);
	assert_int_equal(o->unmatched_msgs, 0);
	viz_model_release(&m);
}

/* A large queue: N sends of types 1..4 first, then N receives under every
 * rule (msgtyp 0, > 0, < 0, MSG_EXCEPT, a recorded rtype).  Each receive
 * must take the message that match_msg_select() picks from the queue as
 * it stands (the reference, quadratic), and the matcher's work must stay
 * linear in the number of calls (queue_steps), not grow with the queue. */
static void test_msgq_large(void **state)
{
	enum { N = 6000 };
	struct trace_writer *w = it_open_forks(50, 1);
	struct viz_model m;

	for (int i = 0; i < N; i++)
		sysv_msg(w, 100 + 10 * (uint64_t)i, 51, IPCT_MSG_SEND, 1 + i % 4, 8, 0, 0);
	for (int i = 0; i < N; i++) {
		uint64_t ts = 100 + 10 * (uint64_t)(N + i);
		struct it_msg r = { .ts = ts, .dur = 5, .pid = 50, .op = IPCT_MSG_RECV, .id = 7,
				    .size = 8, .ret = 8, .syscall = 70 };
		switch (i % 5) {
		case 1: r.mtype = 1 + (i / 5) % 4; break;
		case 2: r.mtype = -2; break;
		case 3: r.mtype = 3; r.flags = MSG_EXCEPT; break;
		case 4: r.rtype = 1 + (i / 5) % 4; break;
		}
		it_msg(w, &r);
	}
	it_load(w, &m);

	struct match_msg *view = calloc(N, sizeof(*view));
	uint32_t *send = calloc(N, sizeof(*send)), *where = calloc(N, sizeof(*where));
	bool *taken = calloc(N, sizeof(*taken));
	size_t nsend = 0, matched = 0;
	assert_non_null(view); assert_non_null(send); assert_non_null(where); assert_non_null(taken);
	for (size_t k = 0; k < m.nops; k++) {
		const struct viz_op *op = &m.ops[k];
		if (op->type != VIZ_OP_MSG)
			continue;
		if (op->dir == IPCT_DIR_SEND) {
			send[nsend++] = k;
			continue;
		}
		size_t nv = 0;
		for (size_t i = 0; i < nsend; i++)
			if (!taken[i]) {
				view[nv] = (struct match_msg){ m.ops[send[i]].u.msg.mtype, false };
				where[nv++] = i;
			}
		long v = match_msg_select(view, nv, op->u.msg.mtype, op->flags, op->u.msg.rtype);
		if (v < 0) {
			for (size_t t = 0; t < m.ntransfers; t++)
				assert_int_not_equal(m.transfers[t].recv, k);
			continue;
		}
		taken[where[v]] = true;
		assert_int_equal(transfer_bytes(&m, send[where[v]], k), 8);
		matched++;
	}
	assert_int_equal(nsend, N);
	assert_int_equal(matched, m.ntransfers);
	assert_true(matched > N * 9 / 10);
	assert_true(m.queue_steps <= 16ull * N);
	free(view);
	free(send);
	free(where);
	free(taken);
	viz_model_release(&m);
}

/* A POSIX mq call on queue 5:INO that took DUR ns; a receive records
 * no priority. */
static void posix_msg_on(struct trace_writer *w, uint64_t ino, uint64_t ts, uint64_t dur,
			 uint32_t pid, enum ipct_msg_op op, uint32_t prio, uint64_t size)
{
	struct it_msg msg = { .ts = ts, .dur = dur, .pid = pid, .op = op, .id = -1,
			      .size = op == IPCT_MSG_SEND ? size : 64,
			      .ret = op == IPCT_MSG_SEND ? 0 : (int64_t)size,
			      .prio = op == IPCT_MSG_SEND ? prio : 0, .dev = 5, .ino = ino,
			      .queue_flags = IPCT_MSG_POSIX,
			      .syscall = op == IPCT_MSG_SEND ? 242 : 243 };
	it_msg(w, &msg);
}

static void posix_msg(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_msg_op op,
		      uint32_t prio, uint64_t size)
{
	posix_msg_on(w, 900, ts, 10, pid, op, prio, size);
}

static void test_posix_mq(void **state)
{
	struct trace_writer *w = it_open_forks(60, 2);
	struct it_msg open = { .ts = 5, .pid = 60, .op = IPCT_MQ_OPEN, .ret = 3, .id = -1,
			       .dev = 5, .ino = 900, .name = "/sumq", .syscall = 240 };
	struct viz_model m;

	it_msg(w, &open);
	posix_msg(w, 100, 61, IPCT_MSG_SEND, 1, 8);
	posix_msg(w, 110, 62, IPCT_MSG_SEND, 5, 9);
	posix_msg(w, 120, 61, IPCT_MSG_SEND, 5, 10);
	posix_msg(w, 130, 62, IPCT_MSG_SEND, 0, 11);
	posix_msg(w, 200, 60, IPCT_MSG_RECV, 0, 9);
	posix_msg(w, 210, 60, IPCT_MSG_RECV, 0, 10);
	posix_msg(w, 220, 60, IPCT_MSG_RECV, 0, 8);
	posix_msg(w, 230, 60, IPCT_MSG_RECV, 0, 11);
	it_load(w, &m);

	it_expect_object(&m, "msgq:5:900", "/sumq");
	it_expect_flow(&m, "msgq:5:900", 61, 60, 2, 18);
	it_expect_flow(&m, "msgq:5:900", 62, 60, 2, 20);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 62, 110), op_at(&m, 60, 200)), 9);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 61, 120), op_at(&m, 60, 210)), 10);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 61, 100), op_at(&m, 60, 220)), 8);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 62, 130), op_at(&m, 60, 230)), 11);
	viz_model_release(&m);
}

static void file_io(struct trace_writer *w, uint64_t ts, uint32_t pid, enum ipct_dir dir,
		    uint64_t offset, int64_t ret)
{
	struct it_io io = { .ts = ts, .dur = 10, .pid = pid, .kind = IPCT_KIND_FILE,
			    .dir = dir, .ret = ret, .dev = 8, .ino = 1000, .offset = offset };
	it_io(w, &io);
}

/* 80 writes [0,8), 81 writes [8,16), 82 reads [0,16); 81 overwrites
 * [4,12), 82 reads [0,16) again; 80 reads back [0,4) (its own bytes) and
 * 82 reads [100,110), written before the trace. */
/* A send that began before a receive returned may still feed it when it
 * returns later (the sender woke the receiver), but not past the queue's
 * horizon (100 ms after the receive): queue 900, a priority-5 send
 * returning 50 ns after the receive wins over the queued priority-0 one;
 * queue 901, one returning 150 ms after does not. */
static void test_queue_horizon(void **state)
{
	const uint64_t ms = 1000000;
	struct trace_writer *w = it_open(50);
	struct viz_model m;

	(void)state;
	posix_msg_on(w, 900, 100, 10, 51, IPCT_MSG_SEND, 0, 8);
	posix_msg_on(w, 900, 200, 100, 50, IPCT_MSG_RECV, 0, 9);
	posix_msg_on(w, 900, 250, 100, 52, IPCT_MSG_SEND, 5, 9);
	posix_msg_on(w, 900, 400, 10, 53, IPCT_MSG_RECV, 0, 8);
	posix_msg_on(w, 901, 1000 * ms + 100, 10, 51, IPCT_MSG_SEND, 0, 8);
	posix_msg_on(w, 901, 1000 * ms + 200, 100, 50, IPCT_MSG_RECV, 0, 8);
	posix_msg_on(w, 901, 1150 * ms + 200, 150 * ms + 50, 52, IPCT_MSG_SEND, 5, 9);
	posix_msg_on(w, 901, 1200 * ms, 10, 53, IPCT_MSG_RECV, 0, 9);
	it_load(w, &m);

	it_expect_flow(&m, "msgq:5:900", 52, 50, 1, 9);
	it_expect_flow(&m, "msgq:5:900", 51, 53, 1, 8);
	it_expect_flow(&m, "msgq:5:901", 51, 50, 1, 8);
	it_expect_flow(&m, "msgq:5:901", 52, 53, 1, 9);
	assert_int_equal(m.nflows, 4);
	viz_model_release(&m);
}

static void test_files(void **state)
{
	struct trace_writer *w = it_open_forks(80, 2);
	struct viz_model m;

	it_open_event(w, 20, 80, IPCT_KIND_FILE, 8, 1000, "/tmp/handoff");
	file_io(w, 100, 80, IPCT_DIR_SEND, 0, 8);
	file_io(w, 110, 81, IPCT_DIR_SEND, 8, 8);
	file_io(w, 120, 82, IPCT_DIR_RECV, 0, 16);
	file_io(w, 130, 81, IPCT_DIR_SEND, 4, 8);
	file_io(w, 140, 82, IPCT_DIR_RECV, 0, 16);
	file_io(w, 150, 80, IPCT_DIR_RECV, 0, 4);
	file_io(w, 160, 82, IPCT_DIR_RECV, 100, 10);
	it_load(w, &m);

	const struct viz_object *o = it_expect_object(&m, "file:8:1000", "/tmp/handoff");
	it_expect_flow(&m, "file:8:1000", 80, 82, 1, 12);
	it_expect_flow(&m, "file:8:1000", 81, 82, 2, 20);
	it_expect_flow(&m, "file:8:1000", 80, 80, 1, 4);
	assert_int_equal(m.nflows, 3);
	uint32_t r2 = op_at(&m, 82, 140);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 80, 100), r2), 4);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 81, 130), r2), 8);
	assert_int_equal(transfer_bytes(&m, op_at(&m, 81, 110), r2), 4);
	assert_int_equal(o->unmatched_bytes, 10);
	assert_int_equal(m.ops[r2].offset, 0);
	assert_int_equal(m.ops[op_at(&m, 82, 160)].offset, 100);
	viz_model_release(&m);
}

/* Older io records end at `offset`: still read, as pipes. */
static void test_old_io_records(void **state)
{
	struct trace_writer *w = it_open_forks(1, 1);
	struct ipct_io_event ev = { 0 };
	struct viz_model m;

	it_header(&ev.hdr, IPCT_EV_IO, offsetof(struct ipct_io_event, offset), 100, 2);
	ev.ret = 8;
	ev.dev = 3;
	ev.ino = 42;
	ev.kind = IPCT_KIND_PIPE;
	ev.dir = IPCT_DIR_SEND;
	assert_int_equal(ev.hdr.size % 8, 0);
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
	it_header(&ev.hdr, IPCT_EV_IO, offsetof(struct ipct_io_event, offset), 200, 1);
	ev.dir = IPCT_DIR_RECV;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
	it_load(w, &m);
	it_expect_flow(&m, "pipe:3:42", 2, 1, 1, 8);
	assert_int_equal(m.ops[0].payload_len, 0);
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_stream),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_unix_datagrams),
		cmocka_unit_test(test_msg_select),
		cmocka_unit_test(test_sysv_msgq),
		cmocka_unit_test(test_msgq_large),
		cmocka_unit_test(test_posix_mq),
		cmocka_unit_test(test_queue_horizon),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_old_io_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
