/*
 * test_report - the JSON and text reports of a model loaded from a trace
 * built with the real writer: the JSON parses (checked with jq), hostile
 * strings are escaped, latency statistics are exact, output is
 * deterministic and a write error is reported.
 *
 * The trace: root 100 exec's and names itself `<"\evil>`, forks 101 (comm
 * with an ANSI escape), which writes 100 one-byte messages into a fifo
 * with durations 1..100 ns (shuffled); 100 reads them back in one call.
 */
#include "ipc_trace.h"
#include <errno.h>

#define T0 IT_T0
#define EVIL_COMM "<\"\\evil>"
#define KID_COMM "kid\x1b[31m"
#define FIFO_NAME "/tmp/fi\nfo\xff"

static char trace_path[512];

/* Write the trace; FINISH false leaves it without its end (cut short). */
static void write_trace(bool finish, int32_t exit_status)
{
	static char *argv[] = { "./evil", "a b", "\"q\"", NULL };
	struct trace_meta meta = { .argc = 3, .argv = argv,
				   .start_monotonic_ns = T0, .root_pid = 100 };
	struct trace_writer *w;
	struct ipct_exec_event ex = { 0 };
	struct ipct_fork_event fk = { 0 };
	struct it_io io = { .pid = 101, .kind = IPCT_KIND_FIFO, .dir = IPCT_DIR_SEND, .ret = 1,
			    .dev = 2049, .ino = 77, .syscall = 1 };

	strcpy(meta.host, "host\"1");
	strcpy(meta.kernel, "6.18.0 x86_64");
	unit_temp_file(trace_path, sizeof(trace_path), "test_report");
	assert_int_equal(trace_writer_open(&w, trace_path, &meta), 0);

	it_header(&ex.hdr, IPCT_EV_EXEC, sizeof(ex), 10, 100);
	memcpy(ex.comm, EVIL_COMM, sizeof(EVIL_COMM));
	strcpy(ex.filename, "/bin/odd\npath\xff");
	assert_int_equal(trace_writer_append(w, &ex.hdr), 0);
	it_header(&fk.hdr, IPCT_EV_FORK, sizeof(fk), 20, 100);
	fk.child_pid = fk.child_tid = 101;
	memcpy(fk.comm, KID_COMM, sizeof(KID_COMM));
	assert_int_equal(trace_writer_append(w, &fk.hdr), 0);

	for (int i = 0; i < 100; i++) {
		io.ts = 1000 + 10 * i;
		io.dur = (i * 37) % 100 + 1;    /* 1..100, shuffled */
		it_io(w, &io);
	}
	io = (struct it_io){ .ts = 3000, .dur = 2500, .pid = 100, .kind = IPCT_KIND_FIFO,
			     .dir = IPCT_DIR_RECV, .ret = 100, .requested = 4096, .dev = 2049,
			     .ino = 77 };
	it_io(w, &io);

	if (finish) {
		struct trace_stats st = { .events = 103, .end_monotonic_ns = T0 + 4000,
					  .exit_status = exit_status };
		assert_int_equal(trace_writer_close(w, NULL, 0, &st), 0);
	} else {
		assert_int_equal(trace_writer_flush(w), 0);
		trace_writer_abort(w);
	}
}

/* Load the trace and give the fifo its (hostile) path. */
static void load(struct viz_model *m, bool finish, int32_t exit_status)
{
	write_trace(finish, exit_status);
	assert_int_equal(viz_model_load(m, trace_path), 0);
	unlink(trace_path);
	assert_int_equal(m->nobjects, 1);
	strcpy(m->objects[0].name, FIFO_NAME);
}

/* The whole trace of a run that exited with EXIT_STATUS: the texts WANT. */
static void expect_report(const struct unit_text *want, int32_t exit_status)
{
	struct viz_model m;

	load(&m, true, exit_status);
	unit_expect_texts(&m, want);
	viz_model_release(&m);
}

static void test_json_parses_and_has_values(void **state)
{
	struct viz_model m;
	char *json;

	load(&m, true, 9);      /* the command was killed by SIGKILL */
	json = unit_render(&m, report_json, NULL);
	unit_expect_jq(json, ".format, .version, .exit_status, .lost_events, .truncated",
		  "\"ipctrace-report\"\n1\n137\n0\nfalse");
	unit_expect_jq(json, ".command", "[\"./evil\",\"a b\",\"\\\"q\\\"\"]");
	unit_expect_jq(json, ".duration_ns, .events, .host", "4000\n103\n\"host\\\"1\"");
	unit_expect_jq(json, ".lost_by_kind | keys_unsorted",
		  "[\"none\",\"pipe\",\"fifo\",\"file\",\"msgq\",\"shm\",\"sem\","
		  "\"signal\",\"unix\",\"tcp\",\"udp\",\"eventfd\"]");
	unit_expect_jq(json, ".processes | map(del(.blocked_ns, .waits))",
		  "[{\"pid\":100,\"ppid\":0,\"comm\":\"<\\\"\\\\evil>\",\"start_ns\":0,"
		  "\"end_ns\":4000,\"exit_code\":null,\"exec\":\"/bin/odd\\npath\xc3\xbf\",\"folded\":false},"
		  "{\"pid\":101,\"ppid\":100,\"comm\":\"kid\\u001b[31m\",\"start_ns\":20,"
		  "\"end_ns\":4000,\"exit_code\":null,\"exec\":null,\"folded\":false}]");
	unit_expect_jq(json, ".processes | map([.blocked_ns, .waits])",
		  "[[2500,[{\"channel\":\"fifo:2049:77\",\"peer\":101,\"call\":\"read\",\"count\":1,"
		  "\"ns\":2500}]],[0,[]]]");
	unit_expect_jq(json, ".channels | map(del(.messages, .blocked_ns, .depth_unit, .max_depth,"
		  " .max_depth_ns, .latency_ns))",
		  "[{\"id\":\"fifo:2049:77\",\"kind\":\"fifo\",\"name\":\"/tmp/fi\\nfo\xc3\xbf\","
		  "\"users\":[100,101],\"bytes_sent\":100,\"bytes_received\":100,"
		  "\"bytes_unmatched\":0,\"messages_unmatched\":0,\"communication\":true,"
		  "\"folded\":false}]");
	unit_expect_jq(json, ".flows | map(del(.latency_ns))",
		  "[{\"channel\":\"fifo:2049:77\",\"kind\":\"fifo\",\"from\":101,\"to\":100,"
		  "\"messages\":100,\"bytes\":100,\"sample\":null,\"folded\":false}]");
	unit_expect_jq(json, ".stats[0].send",
		  "{\"calls\":100,\"errors\":0,\"bytes\":100,\"total_ns\":5050,\"min_ns\":1,"
		  "\"p50_ns\":50,\"p99_ns\":99,\"max_ns\":100}");
	unit_expect_jq(json, ".stats[0].recv",
		  "{\"calls\":1,\"errors\":0,\"bytes\":100,\"total_ns\":2500,\"min_ns\":2500,"
		  "\"p50_ns\":2500,\"p99_ns\":2500,\"max_ns\":2500}");
	free(json);
	viz_model_release(&m);
}

/* The exact escaped bytes, as written (not as jq re-encodes them). */
static const struct unit_text json_escaped[] = {
	{ report_json, "\"comm\": \"<\\\"\\\\evil>\"" },
	{ report_json, "\"name\": \"/tmp/fi\\u000afo\\u00ff\"" },
	{ report_json, "\"exec\": \"/bin/odd\\u000apath\\u00ff\"" },
	{ report_json, "\"comm\": \"kid\\u001b[31m\"" },
	{ report_json, "\"exit_status\": 0," },
	{ report_json, "\x1b", true },
	{ report_json, "\xff", true },
	{ 0 }
};

static void test_json_escaping(void **state)
{
	expect_report(json_escaped, 0);
}

static void test_output_is_deterministic(void **state)
{
	struct viz_model a, b;

	load(&a, true, 0);
	load(&b, true, 0);
	char *ja = unit_render(&a, report_json, NULL), *jb = unit_render(&b, report_json, NULL);
	char *ta = unit_render(&a, report_text, NULL), *tb = unit_render(&b, report_text, NULL);
	assert_string_equal(ja, jb);
	assert_string_equal(ta, tb);
	free(ja);
	free(jb);
	free(ta);
	free(tb);
	viz_model_release(&a);
	viz_model_release(&b);
}

/* No statistics (cut short): exit status unknown, truncated flagged. */
static void test_truncated_unknown_status(void **state)
{
	struct viz_model m;
	char *json, *text;

	load(&m, false, 0);
	json = unit_render(&m, report_json, NULL);
	unit_expect_jq(json, ".exit_status, .truncated, .duration_ns, .events",
		  "null\ntrue\n3000\n103");
	text = unit_render(&m, report_text, NULL);
	assert_non_null(strstr(text, "exit status: unknown\n"));
	assert_non_null(strstr(text, "warning: the trace file was cut short"));
	free(json);
	free(text);
	viz_model_release(&m);
}

static const struct unit_text text_summary[] = {
	{ report_text, "command:     ./evil a b \"q\"\n" },
	{ report_text, "exit status: 3\n" },
	{ report_text, "duration:    4.0 \xc2\xb5s\n" },
	{ report_text, "events:      103 (0 lost)\n" },
	{ report_text, "warning", true },
	{ report_text, "\n       100        0  <\"\\\\evil>        -                 4.0 \xc2\xb5s\n"
	  "       101      100  kid\\x1b[31m      -                 4.0 \xc2\xb5s\n" },
	{ report_text, "\n  fifo:2049:77                 fifo          100        100"
	  "      101  100 101  /tmp/fi\\x0afo\\xff\n" },
	{ report_text, "channels (1 that carried data or a synchronisation between processes):\n" },
	{ report_text, "\n  101 kid\\x1b[31m \xe2\x86\x92 100 <\"\\\\evil> via "
	  "fifo:2049:77: 100 messages, 100 bytes\n" },
	{ report_text, "\n  fifo:2049:77                 send      100"
	  "          5.050       0.050       0.099       0.100  /tmp/fi\\x0afo\\xff\n"
	  "  fifo:2049:77                 recv        1"
	  "          2.500       2.500       2.500       2.500  /tmp/fi\\x0afo\\xff\n" },
	{ report_text, "\x1b", true },
	{ 0 }
};

static void test_text_summary(void **state)
{
	expect_report(text_summary, 3 << 8);
}

/* A full disk is an error, not a short file. */
static void test_write_error_is_eio(void **state)
{
	struct viz_model m;

	load(&m, true, 0);
	unit_expect_eio(&m, report_json);
	unit_expect_eio(&m, report_text);
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parses_and_has_values),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_output_is_deterministic),
		cmocka_unit_test(test_truncated_unknown_status),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_write_error_is_eio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
