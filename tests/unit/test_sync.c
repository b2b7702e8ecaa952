/*
 * test_sync - the kinds without bytes, on synthetic traces written with the
 * real trace writer (tests/unit/ipc_trace.h): semaphores (a P released by
 * another process's V, Ps that did not wait, the last of two Vs wins),
 * signals (two senders, one receiver, an already-pending one, the
 * kernel's ignored SIGCHLD, an untraced sender, a delivery nothing
 * explains) and shared-memory attachments (shmat, inherited at fork,
 * shmdt, exit, mmap/munmap of a /dev/shm object).  Then what the reports
 * and pictures make of them: JSON fields, text lines, graph labels,
 * timeline arrows and bands.
 */
#include "ipc_trace.h"

#define SIGUSR1_ 10
#define SIGUSR2_ 12
#define SIGTERM_ 15
#define SIGCHLD_ 17

static void write_semaphores(struct trace_writer *w)
{
	it_fork(w, 1, 70, 71);
	it_fork(w, 2, 70, 72);
	it_sem(w, 5, 10, 70, IPCT_SEM_GET, 3, 0x99, 0, 0);
	it_sem(w, 100, 50, 70, IPCT_SEM_OP, 3, 0, 0, -1);      /* did not wait */
	it_sem(w, 5000, 4800, 71, IPCT_SEM_OP, 3, 0, 0, -1);   /* waited 200..5000 */
	it_sem(w, 4100, 100, 70, IPCT_SEM_OP, 3, 0, 0, 1);     /* V began at 4000 */
	it_sem(w, 6000, 10, 71, IPCT_SEM_OP, 3, 0, 0, 1);
	it_sem(w, 7000, 500, 70, IPCT_SEM_OP, 3, 0, 0, -1);    /* no V in 6500..7000 */
	it_sem(w, 8510, 10, 70, IPCT_SEM_OP, 3, 0, 0, 1);      /* began 8500 */
	it_sem(w, 8710, 10, 71, IPCT_SEM_OP, 3, 0, 0, 1);      /* began 8700: the last */
	it_sem(w, 9000, 1000, 72, IPCT_SEM_OP, 3, 0, 0, -1);   /* waited 8000..9000 */
	it_sem(w, 9500, 10, 72, IPCT_SEM_OP, 3, 0, 1, -1);     /* other num: no V */
}

static void test_semaphores(void **state)
{
	struct viz_model m;

	it_write_load(&m, 70, write_semaphores);

	const struct viz_object *o = it_expect_object(&m, "sem:3", "key 0x99");
	assert_int_equal(o->nusers, 3);
	it_expect_flow(&m, "sem:3", 70, 71, 1, 0);
	it_expect_flow(&m, "sem:3", 71, 72, 1, 0);
	assert_int_equal(m.nflows, 2);
	assert_int_equal(m.ntransfers, 2);
	assert_int_equal(o->sent_bytes, 0);
	viz_model_release(&m);
}

static void write_signals(struct trace_writer *w)
{
	it_fork(w, 1, 80, 81);
	it_fork(w, 2, 80, 82);
	it_signal(w, 100, 81, IPCT_SIG_SEND, SIGUSR1_, 80, 0, 0, 0);
	it_signal(w, 100, 81, IPCT_SIG_GENERATE, SIGUSR1_, 80, 0, 0, 81);
	it_signal(w, 110, 82, IPCT_SIG_GENERATE, SIGUSR2_, 80, 0, 0, 82);
	it_signal(w, 120, 81, IPCT_SIG_GENERATE, SIGUSR1_, 80, 2, 0, 81);   /* pending */
	it_signal(w, 130, 0, IPCT_SIG_GENERATE, SIGTERM_, 80, 0, 0, 999);   /* untraced */
	it_signal(w, 200, 80, IPCT_SIG_DELIVER, SIGUSR2_, 80, 0, 0, 0);
	it_signal(w, 210, 80, IPCT_SIG_DELIVER, SIGUSR1_, 80, 0, 0, 0);
	it_signal(w, 220, 80, IPCT_SIG_DELIVER, SIGTERM_, 80, 0, 0, 0);
	it_signal(w, 230, 80, IPCT_SIG_DELIVER, SIGUSR1_, 80, 0, 0, 0);     /* unexplained */
	it_signal(w, 300, 81, IPCT_SIG_GENERATE, SIGCHLD_, 80, 1, 1, 81);   /* ignored */
	it_exit(w, 300, 81);
}

static void test_signals(void **state)
{
	struct viz_model m;

	it_write_load(&m, 80, write_signals);

	const struct viz_object *o = it_expect_object(&m, "signal:80", NULL);
	assert_int_equal(m.nobjects, 1);
	assert_int_equal(o->nusers, 3);        /* 80, 81, 82: not 999 */
	assert_int_equal(m.nprocesses, 3);
	assert_null(viz_model_process(&m, 999));
	const struct viz_flow *f = it_expect_flow(&m, "signal:80", 81, 80, 1, 0);
	assert_int_equal(f->signals, 1ull << (SIGUSR1_ - 1));
	f = it_expect_flow(&m, "signal:80", 82, 80, 1, 0);
	assert_int_equal(f->signals, 1ull << (SIGUSR2_ - 1));
	f = it_expect_flow(&m, "signal:80", 999, 80, 1, 0);
	assert_int_equal(f->signals, 1ull << (SIGTERM_ - 1));
	assert_int_equal(m.nflows, 3);
	assert_int_equal(o->unmatched_msgs, 1);
	viz_model_release(&m);
}

static void write_shm(struct trace_writer *w)
{
	it_shm(w, 10, 90, IPCT_SHM_GET, 11, 0, 4096, 0, 0, 0);
	it_shm(w, 100, 90, IPCT_SHM_AT, 11, 0, 0, 0x7000, 0, 0);
	it_fork(w, 200, 90, 91);
	it_fork(w, 250, 90, 92);
	it_open_event(w, 280, 92, IPCT_KIND_SHM, 5, 777, "/dev/shm/x");
	it_shm(w, 300, 92, IPCT_SHM_MMAP, -1, 0, 8, 0x9000, 5, 777);
	it_shm(w, 400, 92, IPCT_SHM_MUNMAP, -1, 0, 8, 0x9000, 0, 0);
	it_exit(w, 500, 91);
	it_shm(w, 600, 90, IPCT_SHM_DT, 11, 0, 0, 0x7000, 0, 0);
	it_exit(w, 700, 92);
}

static void test_shm(void **state)
{
	struct viz_model m;

	it_write_load(&m, 90, write_shm);

	const struct viz_object *o = it_expect_object(&m, "shm:11", "private");
	assert_int_equal(o->size, 4096);
	assert_int_equal(o->nusers, 3);
	o = it_expect_object(&m, "shm:5:777", "/dev/shm/x");
	assert_int_equal(m.nflows, 0);
	assert_int_equal(m.nattachments, 4);
	const struct viz_attachment *a = m.attachments;
	assert_int_equal(a[0].pid, 90);
	assert_int_equal(a[0].start_ns, 100);
	assert_int_equal(a[0].end_ns, 600);
	assert_int_equal(a[0].addr, 0x7000);
	assert_int_equal(a[0].size, 4096);
	assert_false(a[0].inherited);
	assert_int_equal(a[1].pid, 91);
	assert_int_equal(a[1].start_ns, 200);
	assert_int_equal(a[1].end_ns, 500);
	assert_true(a[1].inherited);
	assert_int_equal(a[2].pid, 92);
	assert_int_equal(a[2].start_ns, 250);
	assert_int_equal(a[2].end_ns, 700);
	assert_int_equal(a[3].pid, 92);
	assert_int_equal(a[3].start_ns, 300);
	assert_int_equal(a[3].end_ns, 400);
	assert_int_equal(a[3].size, 8);
	assert_string_equal(m.objects[a[3].object].id, "shm:5:777");
	viz_model_release(&m);
}

/* A pipe whose first write carries hostile bytes, plus the three traces
 * above in one: what the outputs say. */
static void write_everything(struct trace_writer *w)
{
	static const char hostile[] = "<script>\xff\0" "ab";
	struct it_io wr = { .ts = 20000, .dur = 10, .pid = 90, .kind = IPCT_KIND_PIPE,
			    .dir = IPCT_DIR_SEND, .ret = 12, .dev = 3, .ino = 42,
			    .payload = hostile };
	struct it_io rd = wr;

	it_fork(w, 0, 90, 80);
	it_fork(w, 0, 90, 70);
	write_shm(w);
	write_semaphores(w);
	write_signals(w);
	it_io(w, &wr);
	rd.ts = 20100;
	rd.pid = 80;
	rd.dir = IPCT_DIR_RECV;
	it_io(w, &rd);
}

/* The trace of write_everything(): the texts WANT, and what SVG writes
 * (an SVG picture) is well-formed XML. */
static void check_everything(const struct unit_text *want, unit_render_fn svg)
{
	struct viz_model m;
	char *s;

	it_write_load(&m, 90, write_everything);
	unit_expect_texts(&m, want);
	s = unit_render(&m, svg, NULL);
	assert_int_equal(unit_xmllint(s, strlen(s)), 0);
	free(s);
	viz_model_release(&m);
}

static void test_outputs(void **state)
{
	static const struct unit_text want[] = {
		{ report_json, "{\"channel\": \"pipe:3:42\", \"kind\": \"pipe\", \"from\": 90, "
		  "\"to\": 80, \"messages\": 1, \"bytes\": 12, "
		  "\"sample\": \"<script>\\u00ff\\u0000ab\", \"folded\": false, " },
		{ report_json, "{\"channel\": \"signal:80\", \"kind\": \"signal\", \"from\": 81, "
		  "\"to\": 80, \"messages\": 1, \"bytes\": 0, \"sample\": null, "
		  "\"signals\": [\"SIGUSR1\"], \"folded\": false, " },
		{ report_json, "{\"channel\": \"sem:3\", \"kind\": \"sem\", \"from\": 70, "
		  "\"to\": 71, \"messages\": 1, \"bytes\": 0, \"sample\": null, \"folded\": false, " },
		{ report_json, "\"id\": \"shm:11\", \"kind\": \"shm\", \"name\": \"private\"" },
		{ report_json, "\"messages_unmatched\": 0, \"communication\": true, \"folded\": false, "
		  "\"size\": 4096, \"attachments\": "
		  "[{\"pid\": 90, \"start_ns\": 100, \"end_ns\": 600, \"addr\": 28672, "
		  "\"size\": 4096, \"inherited\": false, \"writable\": true}, {\"pid\": 91, "
		  "\"start_ns\": 200, \"end_ns\": 500, \"addr\": 28672, \"size\": 4096, "
		  "\"inherited\": true, \"writable\": true}, " },
		{ report_json, "\"id\": \"signal:80\", \"kind\": \"signal\", \"name\": \"\", "
		  "\"users\": [80, 81, 82], \"bytes_sent\": 0, \"bytes_received\": 0, "
		  "\"bytes_unmatched\": 0, \"messages_unmatched\": 1, \"communication\": true, "
		  "\"folded\": false, " },
		{ report_text, " via signal:80: 1 \xc3\x97 SIGUSR1\n" },
		{ report_text, " via sem:3: 1 release\n" },
		{ report_text, " via pipe:3:42: 1 message, 12 bytes\n" },
		{ report_text, "shared memory attachments (3):\n" },  /* not the read-only mmap */
		{ report_text, "from 200 ns to 500 ns, 4096 bytes at 0x7000 (inherited)\n" },
		{ timeline_render, "class=\"xfer k-signal\"" },
		{ timeline_render, "<title>81 \xe2\x86\x92 80: SIGUSR1 via signal:80</title>" },
		{ timeline_render, "<title>70 \xe2\x86\x92 71: V released a waiting P on sem:3 (key 0x99)</title>" },
		{ timeline_render, "<title>90 \xe2\x86\x92 80: 12 bytes via pipe:3:42&#10;"
		  "&quot;&lt;script&gt;\\xff\\x00ab&quot;</title>" },
		{ timeline_render, "90 had shm:11 (private) mapped: 4096 bytes at 0x7000" },
		{ timeline_render, "91 had shm:11 (private) mapped (inherited at fork)" },
		{ timeline_render, "<script>", true },
		{ 0 }
	};

	check_everything(want, timeline_render);
}

static void test_graph_labels(void **state)
{
	/* Signals are edges from sender to target, counting deliveries: 81's
	 * second SIGUSR1 found one pending; 81 and 82, two kids that each
	 * signal 80, are identical siblings; the untraced sender has no node. */
	static const struct unit_text want[] = {
		{ unit_graph_dot, "label=\"2 \xc3\x97 kid\"" },
		{ unit_graph_dot, "label=\"2 \xc3\x97 SIGUSR1, SIGUSR2\"" },
		{ unit_graph_dot, "SIGTERM", true },
		{ unit_graph_dot, "SIGCHLD", true },
		{ unit_graph_dot, "1 release" },
		{ unit_graph_dot, "to pid 80", true },
		{ unit_graph_dot, "label=\"shm\\nprivate\"" },
		{ unit_graph_dot, "label=inherited" },
		{ unit_graph_dot, "dir=none" },
		{ unit_graph_dot, "label=\"1 msg\\n12 bytes\"" },
		{ unit_graph_svg, "SIGUSR1" },
		{ 0 }
	};

	check_everything(want, unit_graph_svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semaphores),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_shm),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_graph_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
