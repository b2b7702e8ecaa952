/*
 * test_hot - the hot-path analyses (viz/hot.h) on synthetic traces whose
 * answers are known by construction: delivery latency and its histogram,
 * waits per process/channel/peer, the critical path of a three-process
 * relay, the depth of a message queue, semaphore hand-offs, and the text
 * and JSON outputs.
 */
#include "ipc_trace.h"
#include "viz/hot.h"

#define PIPE_A 11
#define PIPE_B 12
#define PIPE_C 13

static void pipe_io(struct trace_writer *w, uint64_t ts, uint64_t dur, uint32_t pid,
		    uint64_t ino, enum ipct_dir dir, int64_t ret)
{
	it_io(w, &(struct it_io){ .ts = ts, .dur = dur, .pid = pid, .kind = IPCT_KIND_PIPE,
				  .dir = dir, .ret = ret, .dev = 3, .ino = ino });
}

/* 100 passes a token to 101 through A, 101 to 102 through B, 102 back to
 * 100 through C; each reader is blocked before the token comes.  102
 * exits at LAST_EXIT. */
static void write_relay_exit(struct viz_model *m, uint64_t last_exit)
{
	struct trace_writer *w = it_open(100);

	it_fork(w, 10, 100, 101);
	it_fork(w, 20, 100, 102);
	pipe_io(w, 1000, 100, 100, PIPE_A, IPCT_DIR_SEND, 8);
	pipe_io(w, 1100, 1050, 101, PIPE_A, IPCT_DIR_RECV, 8);
	pipe_io(w, 3000, 100, 101, PIPE_B, IPCT_DIR_SEND, 8);
	pipe_io(w, 3100, 3040, 102, PIPE_B, IPCT_DIR_RECV, 8);
	pipe_io(w, 6000, 100, 102, PIPE_C, IPCT_DIR_SEND, 8);
	pipe_io(w, 6100, 4900, 100, PIPE_C, IPCT_DIR_RECV, 8);
	it_exit(w, 3050, 101);
	it_exit(w, last_exit, 102);
	it_exit(w, 7000, 100);
	it_load(w, m);
}

/* When 102 exits in the plain relay: before 100's read returns. */
#define RELAY_EXIT 6050

static void write_relay(struct viz_model *m)
{
	write_relay_exit(m, RELAY_EXIT);
}

/* The relay with 102 exiting at LAST_EXIT, into M, and its waits, into W. */
static void relay_waits(struct viz_model *m, struct wait_table *w, uint64_t last_exit)
{
	write_relay_exit(m, last_exit);
	assert_int_equal(waits_compute(m, w), 0);
}

static long object_of(const struct viz_model *m, const char *id)
{
	for (size_t i = 0; i < m->nobjects; i++)
		if (!strcmp(m->objects[i].id, id))
			return (long)i;
	return -1;
}

static void test_relay_latency(void **state)
{
	struct viz_model m;
	struct latency_table t;

	write_relay(&m);
	assert_int_equal(latency_compute(&m, &t), 0);
	assert_int_equal(m.nflows, 3);
	for (size_t f = 0; f < 3; f++) {
		assert_int_equal(t.flows[f].count, 1);
		assert_int_equal(t.flows[f].min_ns, 100);
		assert_int_equal(t.flows[f].p99_ns, 100);
		assert_int_equal(t.flows[f].hist[6], 1);    /* 64..127 */
	}
	latency_release(&t);
	viz_model_release(&m);
}

static void test_relay_waits(void **state)
{
	struct viz_model m;
	struct wait_table w;

	relay_waits(&m, &w, RELAY_EXIT);
	assert_int_equal(w.nwaits, 3);
	assert_int_equal(w.ngroups, 3);
	/* groups sorted by pid */
	assert_int_equal(w.groups[0].pid, 100);
	assert_int_equal(w.groups[0].peer, 102);
	assert_int_equal(w.groups[0].ns, 4900);
	assert_int_equal(w.groups[0].object, object_of(&m, "pipe:3:13"));
	assert_int_equal(w.groups[1].pid, 101);
	assert_int_equal(w.groups[1].peer, 100);
	assert_int_equal(w.groups[1].ns, 1050);
	assert_int_equal(w.groups[2].peer, 101);
	assert_int_equal(w.blocked_ns[0], 4900);
	assert_int_equal(w.waits[1].wake_ns, 1000);
	waits_release(&w);
	viz_model_release(&m);
}

static void test_relay_critical_path(void **state)
{
	static const struct { uint32_t pid; uint8_t state; uint64_t from, to; } want[] = {
		{ 100, PATH_RUNNING, 0, 1000 },
		{ 101, PATH_BLOCKED, 1000, 1100 },
		{ 101, PATH_RUNNING, 1100, 3000 },
		{ 102, PATH_BLOCKED, 3000, 3100 },
		{ 102, PATH_RUNNING, 3100, 6000 },
		{ 100, PATH_BLOCKED, 6000, 6100 },
		{ 100, PATH_RUNNING, 6100, 7000 },
	};
	struct viz_model m;
	struct wait_table w;
	struct critical_path p;

	relay_waits(&m, &w, RELAY_EXIT);
	assert_int_equal(critical_path_compute(&m, &w, &p), 0);
	assert_int_equal(p.end_ns, 7000);
	assert_int_equal(p.nsegs, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(p.segs[i].pid, want[i].pid);
		assert_int_equal(p.segs[i].state, want[i].state);
		assert_int_equal(p.segs[i].from_ns, want[i].from);
		assert_int_equal(p.segs[i].to_ns, want[i].to);
	}
	assert_int_equal(p.segs[1].peer, 100);
	assert_int_equal(p.segs[5].object, object_of(&m, "pipe:3:13"));
	critical_path_release(&p);
	waits_release(&w);
	viz_model_release(&m);
}

/* 80 queues three messages, 81 takes them later without waiting; 70
 * waits in a P that 71's V releases. */
static void write_queue_and_sem(struct viz_model *m)
{
	struct trace_writer *w = it_open(80);

	it_fork(w, 5, 80, 81);
	for (int i = 0; i < 3; i++)
		it_msg(w, &(struct it_msg){ .ts = 100 + 100 * i, .dur = 10, .pid = 80,
					    .op = IPCT_MSG_SEND, .id = 7, .mtype = 1,
					    .size = 16 });
	for (int i = 0; i < 3; i++)
		it_msg(w, &(struct it_msg){ .ts = 1000 + 100 * i, .dur = 5, .pid = 81,
					    .op = IPCT_MSG_RECV, .id = 7, .rtype = 1,
					    .ret = 16, .size = 64 });
	it_sem(w, 1500, 400, 70, IPCT_SEM_OP, 3, 0, 0, -1);  /* P from 1100 */
	it_sem(w, 1300, 10, 71, IPCT_SEM_OP, 3, 0, 0, 1);    /* V began at 1290 */
	it_exit(w, 2000, 81);
	it_exit(w, 2100, 80);
	it_load(w, m);
}

/* 102 exits after 100 got the token: 100 (reaping it, unrecorded) waits
 * for that exit, and the path goes through 102 up to it. */
static void test_wait_for_child(void **state)
{
	struct viz_model m;
	struct wait_table w;
	struct critical_path p;

	relay_waits(&m, &w, 6600);
	assert_int_equal(critical_path_compute(&m, &w, &p), 0);
	assert_int_equal(p.nsegs, 6);
	assert_int_equal(p.segs[4].pid, 102);
	assert_int_equal(p.segs[4].state, PATH_RUNNING);
	assert_int_equal(p.segs[4].from_ns, 3100);
	assert_int_equal(p.segs[4].to_ns, 6600);
	assert_int_equal(p.segs[5].pid, 100);
	assert_int_equal(p.segs[5].state, PATH_BLOCKED);
	assert_int_equal(p.segs[5].why, WAIT_CHILD);
	assert_int_equal(p.segs[5].peer, 102);
	assert_int_equal(p.segs[5].from_ns, 6600);
	assert_int_equal(p.segs[5].to_ns, 7000);
	critical_path_release(&p);
	waits_release(&w);
	viz_model_release(&m);
}

static void test_queue_depth_and_sem(void **state)
{
	struct viz_model m;
	struct hot_report h;
	long q, s;

	write_queue_and_sem(&m);
	q = object_of(&m, "msgq:7");
	s = object_of(&m, "sem:3");
	assert_true(q >= 0 && s >= 0);
	assert_int_equal(hot_compute(&m, &h), 0);
	assert_int_equal(h.series.channels[q].unit, DEPTH_MESSAGES);
	assert_int_equal(h.series.channels[q].messages, 3);
	assert_int_equal(h.series.channels[q].bytes, 48);
	assert_int_equal(h.series.channels[q].max_depth, 3);
	assert_int_equal(h.series.channels[q].max_depth_ns, 300);
	assert_int_equal(h.latency.channels[q].count, 3);
	assert_int_equal(h.latency.channels[q].min_ns, 900);
	assert_int_equal(h.latency.channels[q].max_ns, 900);
	assert_int_equal(h.latency.channels[q].hist[9], 3);   /* 512..1023 */
	assert_int_equal(h.waits.channel_ns[q], 0);           /* never empty when read */
	assert_int_equal(h.latency.channels[s].count, 1);
	assert_int_equal(h.latency.channels[s].p50_ns, 200);  /* V returned 1300, P 1500 */
	assert_int_equal(h.waits.channel_ns[s], 400);
	hot_release(&h);

	struct series_table st;
	assert_int_equal(series_compute(&m, true, &st), 0);
	assert_int_equal(st.channels[q].npoints, 6);
	assert_int_equal(st.channels[q].points[2].depth, 3);
	assert_int_equal(st.channels[q].points[5].depth, 0);
	series_release(&st);
	viz_model_release(&m);
}

static void test_outputs(void **state)
{
	struct viz_model m;
	struct report_options o = { .latency = true, .waits = true, .critical_path = true,
				    .top = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	write_relay(&m);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(report_text_sections(&m, &o, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "        64 -> 127        : 1        |****************************************|"));
	assert_non_null(strstr(buf, "101 kid waited 1 time, 1.1 \xc2\xb5s in read on pipe:3:11 for 100 "));
	assert_non_null(strstr(buf, "  3.1 \xc2\xb5s  102 kid ran 2.9 \xc2\xb5s\n"));
	assert_non_null(strstr(buf, "top 2 channels by time blocked on it:\n  pipe:3:13"));
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	assert_int_equal(report_json(&m, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"latency_ns\": {\"count\": 1, \"min\": 100, \"p50\": 100, "
				"\"p90\": 100, \"p99\": 100, \"max\": 100, \"histogram\": "
				"[{\"from\": 64, \"to\": 127, \"count\": 1}]}"));
	assert_non_null(strstr(buf, "{\"pid\": 102, \"state\": \"blocked\", \"channel\": "
				"\"pipe:3:12\", \"peer\": 101, \"from_ns\": 3000, \"to_ns\": 3100}"));
	free(buf);
	viz_model_release(&m);
}

/* A ping-pong of ROUNDS round trips between 100 and 101: a critical path
 * of four segments per round; JSON keeps the first and last 5000. */
static void test_long_path_json(void **state)
{
	enum { ROUNDS = 3000 };
	struct trace_writer *w = it_open(100);
	struct viz_model m;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	uint64_t t = 1000;

	it_fork(w, 10, 100, 101);
	for (int r = 0; r < ROUNDS; r++, t += 400) {
		pipe_io(w, t, 10, 100, PIPE_A, IPCT_DIR_SEND, 1);
		pipe_io(w, t + 100, 150, 101, PIPE_A, IPCT_DIR_RECV, 1);
		pipe_io(w, t + 200, 10, 101, PIPE_B, IPCT_DIR_SEND, 1);
		pipe_io(w, t + 300, 150, 100, PIPE_B, IPCT_DIR_RECV, 1);
	}
	it_exit(w, t, 101);
	it_exit(w, t + 50, 100);
	it_load(w, &m);
	out = open_memstream(&buf, &len);
	assert_int_equal(report_json(&m, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"critical_path_truncated\": true"));
	/* by process: 100 and 101, adding up to the end */
	char want[160];
	snprintf(want, sizeof(want), "\"critical_path_end_ns\": %llu,\n  \"critical_path_segments\": ",
		 (unsigned long long)(t + 50));
	assert_non_null(strstr(buf, want));
	const char *seg = strstr(buf, "\"critical_path\": [");
	size_t n = 0;
	for (const char *p = seg; (p = strstr(p, "{\"pid\"")); p++)
		n++;
	assert_int_equal(n, 10000);
	const char *by = strstr(buf, "\"critical_path_by_process\": [");
	unsigned long long r0, b0, r1, b1;
	assert_int_equal(sscanf(by, "\"critical_path_by_process\": [{\"pid\": 100, \"running_ns\": %llu, "
				"\"blocked_ns\": %llu}, {\"pid\": 101, \"running_ns\": %llu, "
				"\"blocked_ns\": %llu}]", &r0, &b0, &r1, &b1), 4);
	assert_int_equal(r0 + b0 + r1 + b1, t + 50);
	free(buf);
	viz_model_release(&m);
}

/* Depth: 6000 rounds of 8 bytes written and read back, 12000 changes, so
 * the Perfetto track is cut to 5000 slices; about half of them end with
 * the pipe empty, and the track must show it (not only each slice's
 * highest value, 8).  And a 256-byte write whose four 64-byte reads
 * return before it does never shows more than was in the pipe. */
static void test_depth_slices(void **state)
{
	struct trace_writer *w = it_open(100);
	struct series_table s;
	struct viz_model m;
	char *buf = NULL;
	size_t len = 0, zeros = 0;
	FILE *out;

	(void)state;
	it_fork(w, 10, 100, 101);
	for (uint64_t i = 0; i < 6000; i++) {
		pipe_io(w, 1000 + i * 100, 10, 101, PIPE_A, IPCT_DIR_SEND, 8);
		pipe_io(w, 1050 + i * 100, 10, 100, PIPE_A, IPCT_DIR_RECV, 8);
	}
	for (uint64_t i = 0; i < 4; i++)
		pipe_io(w, 700000 + i * 1000, 900, 100, PIPE_B, IPCT_DIR_RECV, 64);
	pipe_io(w, 704000, 4500, 101, PIPE_B, IPCT_DIR_SEND, 256);
	it_exit(w, 800000, 101);
	it_exit(w, 800100, 100);
	it_load(w, &m);
	assert_int_equal(series_compute(&m, false, &s), 0);
	assert_int_equal(s.channels[object_of(&m, "pipe:3:11")].max_depth, 8);
	assert_int_equal(s.channels[object_of(&m, "pipe:3:12")].max_depth, 0);
	series_release(&s);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(perfetto_render(&m, out), 0);
	fclose(out);
	for (const char *p = buf; (p = strstr(p, "\"name\":\"depth pipe:3:11\"")); p++)
		if (!strncmp(strstr(p, "\"args\":{"), "\"args\":{\"bytes\":0}", 18))
			zeros++;
	assert_true(zeros >= 1000);
	free(buf);
	viz_model_release(&m);
}

static void test_buckets(void **state)
{
	assert_int_equal(latency_bucket(0), 0);
	assert_int_equal(latency_bucket(1), 0);
	assert_int_equal(latency_bucket(2), 1);
	assert_int_equal(latency_bucket(1023), 9);
	assert_int_equal(latency_bucket(1024), 10);
	assert_int_equal(latency_bucket(UINT64_MAX), 63);
	assert_int_equal(latency_bucket_low(10), 1024);
	assert_int_equal(latency_bucket_high(10), 2047);
	assert_true(latency_bucket_high(63) == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_relay_latency),
		cmocka_unit_test(test_relay_waits),
		cmocka_unit_test(test_relay_critical_path),
		cmocka_unit_test(test_wait_for_child),
		cmocka_unit_test(test_queue_depth_and_sem),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_long_path_json),
		cmocka_unit_test(test_depth_slices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
