/*
 * test_perfetto - perfetto_render() on hand-built models: exact event
 * counts, flow start/end pairs with matching ids, hostile names escaped,
 * valid JSON (jq), write errors, the transfer cap and a 1M-op export.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "test_util.h"
#include "viz/viz.h"

#define MS 1000000ull

static char *argv_demo[] = { "demos/pipe_sum", "-p", "2", NULL };
static const char hostile[] = "<\"\x01" "evil>";

/* Parent 100 and children 101, 102 (102's comm is hostile); each child
 * writes 8 bytes into a pipe, the parent reads them: 4 ops, 2 transfers.
 * With NOPS > 4, extra reads by the parent pad the model (timing test),
 * and NTRANSFERS > 2 adds transfers between the same two ops. */
static void build_family(struct viz_model *m, size_t nops, size_t ntransfers)
{
	static const uint8_t payload[] = "\x07\0\0\0\0\0\0\"";

	unit_model_start(m, argv_demo, 100, 20 * MS, (struct unit_model_room){
		.processes = 3, .objects = 1, .ops = nops, .transfers = ntransfers, .forks = 2 });

	unit_add_process(m, 100, 1, "pipe_sum", 0, 18 * MS, 0);
	unit_add_process(m, 101, 100, "worker", 1 * MS, 12 * MS, 0);
	unit_add_process(m, 102, 100, hostile, 2 * MS, 13 * MS, 0);
	m->forks[m->nforks++] = (struct viz_fork){ 1 * MS, 100, 101 };
	m->forks[m->nforks++] = (struct viz_fork){ 2 * MS, 100, 102 };
	snprintf(m->objects[0].id, sizeof(m->objects[0].id), "pipe:0:14656");
	m->objects[0].kind = IPCT_KIND_PIPE;
	m->nobjects = 1;
	m->payload = malloc(8);
	assert_non_null(m->payload);
	memcpy(m->payload, payload, 8);
	m->payload_size = 8;

	unit_add_op(m, 101, 0, IPCT_DIR_SEND, 5 * MS, 20000, 8);
	m->ops[0].payload_len = 8;
	unit_add_op(m, 100, 0, IPCT_DIR_RECV, 5 * MS + 1500, 300000, 8);
	unit_add_op(m, 102, 0, IPCT_DIR_SEND, 6 * MS, 20000, 8);
	unit_add_op(m, 100, 0, IPCT_DIR_RECV, 6 * MS + 1500, 300000, 8);
	m->transfers[m->ntransfers++] = (struct viz_transfer){ 0, 1, 8 };
	m->transfers[m->ntransfers++] = (struct viz_transfer){ 2, 3, 8 };
	while (m->nops < nops)
		unit_add_op(m, 100, 0, IPCT_DIR_RECV, 14 * MS + m->nops, 1, 0);
	while (m->ntransfers < ntransfers)
		m->transfers[m->ntransfers++] = (struct viz_transfer){ 2, 3, 1 };
}

/* build_family(M, NOPS, NTRANSFERS) as Perfetto JSON, its length in *SIZE. */
static char *family_json(struct viz_model *m, size_t nops, size_t ntransfers, size_t *size)
{
	build_family(m, nops, ntransfers);
	return unit_render(m, perfetto_render, size);
}

static void test_family(void **state)
{
	struct viz_model m;
	size_t size;
	char *json = family_json(&m, 4, 2, &size);

	assert_int_equal(strlen(json), size);
	unit_expect_jq(json, "type", "\"object\"");	/* valid JSON */

	/* 3 process lifetimes + 4 calls + a zero-length slice at each end of
	 * the 2 transfers. */
	assert_int_equal(unit_count(json, "\"ph\":\"X\""), 3 + 4 + 4);
	unit_expect_jq(json, "[.traceEvents[] | select(.ph == \"X\")] | length", "11");
	unit_expect_jq(json, "[.traceEvents[] | select(.cat == \"flow\" and .dur == 0)] | length", "4");
	assert_int_equal(unit_count(json, "\"ph\":\"s\""), 2);
	assert_int_equal(unit_count(json, "\"ph\":\"f\""), 2);
	assert_int_equal(unit_count(json, "\"bp\":\"e\""), 2);
	/* Each start has its end with the same id; starts at the writers. */
	unit_expect_jq(json, "[.traceEvents[] | select(.ph == \"s\") | [.id, .pid]]",
			    "[[1,101],[2,102]]");
	unit_expect_jq(json, "[.traceEvents[] | select(.ph == \"f\") | [.id, .pid]]",
			    "[[1,100],[2,100]]");
	/* The flow starts at the send's return (5 ms), named by its kind, and
	 * ends at the receive's return: never before its start. */
	assert_non_null(strstr(json, "{\"ph\":\"s\",\"id\":1,\"pid\":101,\"tid\":101,"
			  "\"cat\":\"transfer\",\"name\":\"pipe\",\"ts\":5000.000,"));
	unit_expect_jq(json, "[.traceEvents[] | select(.ph == \"s\" or .ph == \"f\")]"
		       " | group_by(.id) | map((.[] | select(.ph == \"f\") | .ts) >="
		       " (.[] | select(.ph == \"s\") | .ts)) | all", "true");
	/* The receive: starts 300 us before its return, fractional us kept. */
	assert_non_null(strstr(json, "\"cat\":\"pipe\",\"name\":\"read pipe\",\"ts\":4701.500,\"dur\":300.000,"
			  "\"args\":{\"channel\":\"pipe:0:14656\",\"bytes\":8,\"requested\":8}"));
	assert_non_null(strstr(json, "\"name\":\"write pipe\""));
	assert_non_null(strstr(json, "\"payload\":\"\\u0007\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\\"\""));
	/* Names and order. */
	unit_expect_jq(json, "[.traceEvents[] | select(.name == \"process_name\") | .args.name]",
			    "[\"pipe_sum 100\",\"worker 101\",\"<\\\"\\u0001evil> 102\"]");
	unit_expect_jq(json, "[.traceEvents[] | select(.name == \"process_sort_index\") | .args.sort_index]",
			    "[0,1,2]");
	unit_expect_jq(json, "[.traceEvents[] | select(.name == \"thread_name\")] | length", "3");
	/* The hostile comm appears only escaped. */
	assert_null(strstr(json, hostile));
	assert_non_null(strstr(json, "\"<\\\"\\u0001evil>\""));
	/* Forks and metadata. */
	assert_int_equal(unit_count(json, "\"ph\":\"i\""), 2);
	unit_expect_jq(json, ".metadata | [.transfers, .transfers_written, .transfers_truncated, .command[0]]",
			    "[2,2,false,\"demos/pipe_sum\"]");
	unit_expect_jq(json, ".displayTimeUnit", "\"ns\"");
	free(json);
	viz_model_release(&m);
}

static void test_deterministic(void **state)
{
	struct viz_model m;
	size_t a_size, b_size;
	char *a, *b;

	build_family(&m, 4, 2);
	a = unit_render(&m, perfetto_render, &a_size);
	b = unit_render(&m, perfetto_render, &b_size);
	assert_int_equal(a_size, b_size);
	assert_memory_equal(a, b, a_size);
	free(a);
	free(b);
	viz_model_release(&m);
}

static void test_empty_model(void **state)
{
	char *json = unit_render_empty(perfetto_render, NULL);

	unit_expect_jq(json, ".traceEvents | length", "0");
	unit_expect_jq(json, ".metadata.command", "[]");
	free(json);
}

static void test_write_error(void **state)
{
	struct viz_model m;

	build_family(&m, 4, 2);
	unit_expect_eio(&m, perfetto_render);
	viz_model_release(&m);
}

/* More than 100 000 transfers: only the first 100 000 written, and said. */
static void test_transfer_cap(void **state)
{
	struct viz_model m;
	size_t size;
	char *json = family_json(&m, 4, 100005, &size);

	assert_int_equal(unit_count(json, "\"ph\":\"s\""), 100000);
	assert_int_equal(unit_count(json, "\"ph\":\"f\""), 100000);
	unit_expect_jq(json, ".metadata | [.transfers, .transfers_written, .transfers_truncated,"
		       " .transfers_left_out, (.transfers_left_out_why | test(\"only the first 100000\"))]",
		       "[100005,100000,true,5,true]");
	free(json);
	viz_model_release(&m);
}

/* A million ops stream out in linear time.  The bound is on CPU time and
 * loose (a quadratic pass would take hours), so a loaded machine cannot
 * fail it; `make bench` measures the real speed. */
static void test_million_ops(void **state)
{
	if (getenv("IPCT_SANITIZER_PASS"))
		skip();	/* a speed bound; under ASan it measures the sanitizer */

	struct viz_model m;
	struct timespec t0, t1;
	FILE *null = fopen("/dev/null", "w");
	double seconds;

	assert_non_null(null);
	build_family(&m, 1000000, 2);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	assert_int_equal(perfetto_render(&m, null), 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("1M ops exported in %.3f s of CPU\n", seconds);
	assert_true(seconds < 30.0);
	fclose(null);
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_transfer_cap),
		cmocka_unit_test(test_million_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
