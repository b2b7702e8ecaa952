/*
 * test_timeline - timeline_render() on hand-built models: every pid shown,
 * one arrow per transfer, well-formed XML (xmllint), hostile names escaped,
 * and a million transfers aggregated into a small file.
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
#include "viz/model_build.h"

#define MS 1000000ull

static char *argv_hostile[] = { "demos/pipe_sum", "<script>alert(1)</script>", NULL };

static void add_process(struct viz_model *m, uint32_t pid, uint32_t ppid,
			const char *comm, uint64_t start, uint64_t end, int32_t status)
{
	struct viz_process *p = unit_add_process(m, pid, ppid, comm, start, end, status);

	snprintf(p->exec_path, sizeof(p->exec_path), "/bin/%s", comm);
}

/* A parent (pid 100) forks NCHILD children (101...), each child writes
 * 8 bytes into one pipe and the parent reads each message: NCHILD
 * transfers.  Child 103's comm is hostile; child 102 exits with status 3. */
static void build_family(struct viz_model *m, uint32_t nchild)
{
	uint32_t i;

	unit_model_start(m, argv_hostile, 100, 20 * MS, (struct unit_model_room){
		.processes = nchild + 1, .objects = 1, .ops = 2 * nchild, .transfers = nchild,
		.flows = nchild, .forks = nchild });

	add_process(m, 100, 1, "pipe_sum", 0, 18 * MS, 0);
	for (i = 0; i < nchild; i++) {
		uint32_t pid = 101 + i;
		uint64_t start = 1 * MS + i * MS / 5;

		add_process(m, pid, 100, pid == 103 ? "<script>alert(1)</script>" : "worker",
			    start, 12 * MS + i * MS / 2, pid == 102 ? 3 << 8 : 0);
		m->forks[m->nforks++] = (struct viz_fork){ start, 100, pid };
	}
	snprintf(m->objects[0].id, sizeof(m->objects[0].id), "pipe:0:14656");
	m->objects[0].kind = IPCT_KIND_PIPE;
	m->objects[0].ino = 14656;
	m->objects[0].users = calloc(nchild + 1, sizeof(uint32_t));
	for (i = 0; i <= nchild; i++)
		m->objects[0].users[i] = 100 + i;
	m->objects[0].nusers = nchild + 1;
	m->objects[0].sent_bytes = m->objects[0].received_bytes = 8ull * nchild;
	m->nobjects = 1;

	for (i = 0; i < nchild; i++) {
		uint64_t ts = 5 * MS + i * MS / 5;

		unit_add_op(m, 101 + i, 0, IPCT_DIR_SEND, ts, 20000, 8);
		unit_add_op(m, 100, 0, IPCT_DIR_RECV, ts + MS / 10, 300000, 8);
		m->transfers[m->ntransfers++] = (struct viz_transfer){ 2 * i, 2 * i + 1, 8 };
		m->flows[m->nflows++] = (struct viz_flow){ 0, 101 + i, 100, 1, 8 };
	}
	unit_model_finish(m);
}

static void test_family(void **state)
{
	struct viz_model m;
	size_t size;
	char *svg;

	build_family(&m, 3);
	svg = unit_render(&m, timeline_render, &size);

	/* Every pid is a lane label, in lane order. */
	assert_non_null(strstr(svg, ">pipe_sum 100</text>"));
	assert_non_null(strstr(svg, ">worker 101</text>"));
	assert_non_null(strstr(svg, ">worker 102</text>"));
	assert_non_null(strstr(svg, ">&lt;script&gt;alert(1) 103</text>"));
	assert_true(strstr(svg, ">pipe_sum 100<") < strstr(svg, ">worker 101<"));
	/* One arrow per transfer (+1 in the legend), each with its tooltip. */
	assert_int_equal(unit_count(svg, "class=\"xfer k-pipe p"), 3);
	assert_int_equal(unit_count(svg, "class=\"xfer k-pipe\""), 1);
	assert_int_equal(unit_count(svg, "class=\"xfer k-pipe p101 p100 o0\""), 1);
	assert_non_null(strstr(svg, "<title>101 → 100: 8 bytes via pipe:0:14656</title>"));
	assert_non_null(strstr(svg, "<title>103 → 100: 8 bytes via pipe:0:14656</title>"));
	/* 6 call blocks: 3 writes, 3 reads (and one of each in the legend). */
	assert_int_equal(unit_count(svg, "class=\"send c-pipe p"), 3);
	assert_int_equal(unit_count(svg, "class=\"recv c-pipe p100\""), 3);
	assert_int_equal(unit_count(svg, "class=\"send c-pipe\""), 1);
	assert_int_equal(unit_count(svg, "class=\"recv c-pipe\""), 1);
	assert_non_null(strstr(svg, ">in write (pipe)</text>"));
	assert_non_null(strstr(svg, ">in read (pipe)</text>"));
	assert_non_null(strstr(svg, "<title>read of 8 bytes from pipe:0:14656, 300 µs in the call</title>"));
	/* Forks and exits: child 102 failed. */
	assert_int_equal(unit_count(svg, "class=\"fork\""), 3 + 1);
	assert_non_null(strstr(svg, "<g class=\"exitbad\"><title>102 exited: exit 3</title>"));
	assert_non_null(strstr(svg, "<g class=\"exit\"><title>101 exited: exit 0</title>"));
	/* Axis in ms for a 20 ms span. */
	assert_non_null(strstr(svg, ">5 ms</text>"));
	/* Hostile strings appear only escaped. */
	/* the page's own script, once; the process named "<script>..." as text */
	assert_int_equal(unit_count(svg, "<script"), 1);
	assert_non_null(strstr(svg, "<script type=\"application/ecmascript\"><![CDATA["));
	assert_non_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_int_equal(unit_xmllint(svg, size), 0);
	free(svg);
	viz_model_release(&m);
}

static void test_empty_model(void **state)
{
	size_t size;
	char *svg = unit_render_empty(timeline_render, &size);

	assert_non_null(strstr(svg, "0 processes, 0 calls, 0 transfers"));
	assert_int_equal(unit_xmllint(svg, size), 0);
	free(svg);
}

static void test_write_error(void **state)
{
	struct viz_model m;

	build_family(&m, 3);
	unit_expect_eio(&m, timeline_render);
	viz_model_release(&m);
}

/* 10 children, 1 000 000 writes of 8 bytes, the parent reading 80 bytes at
 * a time (100 000 reads): 1.1 M calls and 1 M transfers over 1 s. */
static void test_million_transfers(void **state)
{
	if (getenv("IPCT_SANITIZER_PASS"))
		skip();	/* a speed bound; under ASan it measures the sanitizer */

	const uint32_t nchild = 10, nsend = 1000000;
	struct viz_model m;
	struct timespec t0, t1;
	uint32_t i, j, sends_done = 0;
	size_t size;
	char *svg;

	build_family(&m, nchild);
	free(m.ops);
	free(m.transfers);
	free(m.flows);
	m.ops = calloc(nsend + nsend / nchild, sizeof(*m.ops));
	m.transfers = calloc(nsend, sizeof(*m.transfers));
	m.flows = NULL;
	m.nops = m.ntransfers = m.nflows = 0;
	m.duration_ns = 1000 * MS;
	for (i = 0; i < nsend / nchild; i++) {
		uint64_t base = 20 * MS + (uint64_t)i * 9000;
		uint32_t first = m.nops;

		for (j = 0; j < nchild; j++)
			unit_add_op(&m, 101 + j, 0, IPCT_DIR_SEND, base + j * 700, 300, 8);
		unit_add_op(&m, 100, 0, IPCT_DIR_RECV, base + nchild * 700, 2000, 8 * nchild);
		for (j = 0; j < nchild; j++)
			m.transfers[m.ntransfers++] =
				(struct viz_transfer){ first + j, m.nops - 1, 8 };
		sends_done += nchild;
	}
	assert_int_equal(sends_done, nsend);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	svg = unit_render(&m, timeline_render, &size);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("# 1M transfers, %zu calls: %zu bytes of SVG in %.2f s\n",
		      m.nops, size, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_true(size < 5 * 1000 * 1000);
	/* Bundled by pixel cells of 10 px: the writes run from 20 to 920 ms
	 * (about 85 columns) and each reaches the parent 0.7 to 7 us later,
	 * so both ends of an arrow fall in one column: one bundle per (lane
	 * pair, column). */
	{
		uint64_t total = 0;
		size_t bundles = unit_count(svg, " bundle\"");
		const char *p;

		for (p = strstr(svg, " transfers, "); p; p = strstr(p + 1, " transfers, ")) {
			const char *q = p;
			while (q > svg && q[-1] >= '0' && q[-1] <= '9')
				q--;
			if (q - svg >= 2 && q[-2] == ':')	/* a bundle's "P → P: N transfers" */
				total += strtoull(q, NULL, 10);
		}
		/* the arrows alone are those that crossed into the next
		 * column between the send and the receive */
		size_t alone = unit_count(svg, "class=\"xfer k-pipe p") - bundles;

		assert_int_equal(total + alone, nsend);
		assert_true(alone < nsend / 1000);
		assert_true(bundles >= 10 * 80 && bundles <= 10 * 90);
		assert_int_equal(unit_count(svg, "\" style=\"stroke-width"), bundles);
	}
	assert_non_null(strstr(svg, "latency 7 µs (send&apos;s return to receive&apos;s return)"));
	assert_non_null(strstr(svg, "latency 700 ns (send&apos;s return to receive&apos;s return)"));
	assert_non_null(strstr(svg, "transfers, "));
	for (j = 0; j <= nchild; j++) {
		char label[32];

		snprintf(label, sizeof(label), " %u</text>", 100 + j);
		assert_non_null(strstr(svg, label));
	}
	assert_int_equal(unit_xmllint(svg, size), 0);
	free(svg);
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_million_transfers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
