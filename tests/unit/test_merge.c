/*
 * test_merge - `trace merge` on two hand-made host traces (viz/merge.h):
 * clocks, joins, qualified pids and host-scoped objects, and the host
 * table in the trace file (lib/trace_file.h).
 *
 * Host "a" (client 10.0.0.1:5000, pid 100) and host "b" (server
 * 10.0.0.2:80, also pid 100) start at the same true instant; b's wall
 * clock reads E = 2 ms ahead and its monotonic clock counts from another
 * boot.  True times: a sends 100 bytes in [1000, 1100], b's read of them
 * returns at 1300; b sends 50 bytes in [2000, 2050], a's read returns at
 * 2250.  So the offset bounds are [E - 250, E + 300]: offset E + 25,
 * uncertainty 275.  A UDP client on a sends datagrams of 10, 15 and 20
 * bytes to b's 0.0.0.0:53; 15 is lost.  Each host also has a pipe with
 * the same (dev, ino), which must stay two channels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "test_util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lib/trace_file.h"
#include "viz/merge.h"
#include "viz/model.h"

#define RA 1700000000000000000ull   /* a's wall clock at the start */
#define MA 1000000ull               /* a's monotonic clock then */
#define MB 7000000000ull            /* b's */
#define E 2000000ll                 /* b's wall clock is this far ahead */

static char path_a[512], path_b[512], path_m[512];

static void inet(struct ipct_inet_addr *a, const char *ip, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->port = port;
	inet_pton(AF_INET, ip, a->addr);
}

static void io(struct trace_writer *w, uint64_t mono, uint64_t t_end, uint64_t dur,
	       uint32_t pid, enum ipct_kind kind, enum ipct_dir dir, int64_t ret,
	       const char *lip, uint16_t lport, const char *rip, uint16_t rport)
{
	struct ipct_io_event ev = { 0 };

	ev.hdr.ts_ns = mono + t_end;
	ev.hdr.pid = ev.hdr.tid = pid;
	ev.hdr.type = IPCT_EV_IO;
	ev.hdr.size = sizeof(ev);
	ev.duration_ns = dur;
	ev.ret = ret;
	ev.requested = (uint64_t)ret;
	ev.kind = kind;
	ev.dir = dir;
	ev.ino = 77;
	ev.dev = 9;
	if (kind == IPCT_KIND_PIPE) {
		ev.ino = 4242;
		ev.dev = 12;
	} else {
		inet(&ev.local, lip, lport);
		inet(&ev.remote, rip, rport);
		ev.sock_type = kind == IPCT_KIND_TCP ? SOCK_STREAM : SOCK_DGRAM;
	}
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static void write_host(const char *path, const char *host, uint64_t real, uint64_t mono,
		       bool client)
{
	static char *argv[] = { "netpair", NULL };
	struct trace_meta meta = { 0 };
	struct trace_writer *w;
	struct trace_process procs[1] = { { .pid = 100, .ppid = 1, .comm = "netpair",
					    .exit_status = 0, .flags = TRACE_PROCESS_EXITED } };
	struct trace_stats stats = { .events = 0, .exit_status = 0 };

	snprintf(meta.host, sizeof(meta.host), "%s", host);
	strcpy(meta.kernel, "6.18.0 x86_64");
	meta.argc = 1;
	meta.argv = argv;
	meta.start_realtime_ns = real;
	meta.start_monotonic_ns = mono;
	meta.root_pid = 100;
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	if (client) {
		io(w, mono, 500, 10, 100, IPCT_KIND_PIPE, IPCT_DIR_SEND, 8, 0, 0, 0, 0);
		io(w, mono, 1100, 100, 100, IPCT_KIND_TCP, IPCT_DIR_SEND, 100,
		   "10.0.0.1", 5000, "10.0.0.2", 80);
		io(w, mono, 2250, 300, 100, IPCT_KIND_TCP, IPCT_DIR_RECV, 50,
		   "10.0.0.1", 5000, "10.0.0.2", 80);
		for (int i = 0; i < 3; i++)
			io(w, mono, 3000 + 1000 * i, 10, 100, IPCT_KIND_UDP, IPCT_DIR_SEND, 10 + 5 * i,
			   "0.0.0.0", 6000, "10.0.0.2", 53);
	} else {
		io(w, mono, 600, 10, 100, IPCT_KIND_PIPE, IPCT_DIR_SEND, 8, 0, 0, 0, 0);
		io(w, mono, 1300, 500, 100, IPCT_KIND_TCP, IPCT_DIR_RECV, 100,
		   "10.0.0.2", 80, "10.0.0.1", 5000);
		io(w, mono, 2050, 50, 100, IPCT_KIND_TCP, IPCT_DIR_SEND, 50,
		   "10.0.0.2", 80, "10.0.0.1", 5000);
		io(w, mono, 3400, 10, 100, IPCT_KIND_UDP, IPCT_DIR_RECV, 10,
		   "0.0.0.0", 53, "10.0.0.1", 6000);
		io(w, mono, 5400, 10, 100, IPCT_KIND_UDP, IPCT_DIR_RECV, 20,
		   "0.0.0.0", 53, "10.0.0.1", 6000);
	}
	assert_int_equal(trace_writer_close(w, procs, 1, &stats), 0);
}

static int setup(void **state)
{
	(void)state;

	unit_temp_file(path_a, sizeof(path_a), "test_merge_a");
	unit_temp_file(path_b, sizeof(path_b), "test_merge_b");
	unit_temp_file(path_m, sizeof(path_m), "test_merge_m");
	write_host(path_a, "web one", RA, MA, true);
	write_host(path_b, "db", RA + E, MB, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path_a);
	unlink(path_b);
	unlink(path_m);
	return 0;
}

static void merge_two(struct merge_result *res)
{
	struct merge_input in[2] = { { path_a, NULL }, { path_b, NULL } };

	assert_int_equal(merge_traces(in, 2, path_m, res), 0);
}

static void test_offset_and_uncertainty(void **state)
{
	(void)state;
	static struct merge_result res;

	merge_two(&res);
	assert_int_equal(res.nhosts, 2);
	assert_string_equal(res.hosts[0].name, "web_one");   /* sanitized */
	assert_string_equal(res.hosts[1].name, "db");
	assert_int_equal(res.hosts[1].offset_ns, E + 25);
	assert_int_equal(res.hosts[1].uncertainty_ns, 275);
	assert_int_equal(res.hosts[1].flags, TRACE_HOST_LOWER | TRACE_HOST_UPPER);
	assert_int_equal(res.hosts[1].pairs, 2 + 2);     /* tcp both ways, 2 datagrams */
	assert_int_equal(res.tcp_joined, 2);
	assert_int_equal(res.udp_joined, 2);
	assert_int_equal(res.tcp_one_sided + res.udp_one_sided, 0);
	assert_int_equal(res.udp_unmatched, 0);
	assert_int_equal(res.events, 6 + 5);
}

static void test_merged_model(void **state)
{
	(void)state;
	static struct merge_result res;
	struct viz_model m;
	size_t pipes = 0, cross = 0;

	merge_two(&res);
	assert_int_equal(viz_model_load(&m, path_m), 0);
	assert_int_equal(m.meta.nhosts, 2);
	assert_int_equal(m.nprocesses, 2);
	char buf[48];
	assert_string_equal(viz_pid_label(&m, m.processes[0].pid, buf, sizeof(buf)), "web_one:100");
	assert_string_equal(viz_pid_label(&m, m.processes[1].pid, buf, sizeof(buf)), "db:100");
	for (size_t i = 0; i < m.nobjects; i++) {
		if (m.objects[i].kind == IPCT_KIND_PIPE)
			pipes++;
		assert_false(m.objects[i].one_sided);
	}
	assert_int_equal(pipes, 2);    /* same (dev, ino) on two hosts: two pipes */
	for (size_t i = 0; i < m.nflows; i++) {
		const struct viz_flow *f = &m.flows[i];
		const struct viz_object *o = &m.objects[f->object];
		if (trace_host_of_pid(f->from) == trace_host_of_pid(f->to))
			continue;
		cross++;
		if (o->kind == IPCT_KIND_TCP && trace_host_of_pid(f->from) == 0)
			assert_int_equal(f->bytes, 100);
		else if (o->kind == IPCT_KIND_TCP)
			assert_int_equal(f->bytes, 50);
		else
			assert_true(o->kind == IPCT_KIND_UDP && f->bytes == 30 && f->messages == 2);
	}
	assert_int_equal(cross, 3);
	/* On the merged clock nothing arrives before it left. */
	for (size_t i = 0; i < m.ntransfers; i++) {
		const struct viz_op *s = &m.ops[m.transfers[i].send];
		const struct viz_op *r = &m.ops[m.transfers[i].recv];
		assert_true(r->ts_ns >= viz_op_begin(s));
	}
	viz_model_release(&m);
}

static void test_one_sided_and_labels(void **state)
{
	(void)state;
	static struct merge_result res;
	struct merge_input in[3] = { { path_a, NULL }, { path_a, NULL }, { path_b, "client" } };

	/* The same host twice: labels made unique, its sockets meet no peer. */
	assert_int_equal(merge_traces(in, 2, path_m, &res), 0);
	assert_true(res.labels_renamed);
	assert_string_equal(res.hosts[0].name, "web_one");
	assert_string_equal(res.hosts[1].name, "web_one-2");
	assert_int_equal(res.tcp_one_sided, 2);
	assert_int_equal(res.udp_one_sided, 2);
	assert_int_equal(res.hosts[1].uncertainty_ns, TRACE_HOST_UNBOUNDED);
	assert_int_equal(res.hosts[1].offset_ns, 0);
	/* With b too, a's two copies both talk to b: the connection joins
	 * one of them (the first), the other copy stays one-sided. */
	assert_int_equal(merge_traces(in, 3, path_m, &res), 0);
	assert_string_equal(res.hosts[2].name, "client");
	assert_int_equal(res.tcp_joined, 2);
	assert_int_equal(res.tcp_one_sided, 1);
	assert_int_equal(res.hosts[2].offset_ns, E + 25);
}

static void test_merged_input_refused(void **state)
{
	(void)state;
	static struct merge_result res;
	struct merge_input in[1] = { { path_m, NULL } };
	char out[512];

	unit_temp_file(out, sizeof(out), "test_merge_x");
	merge_two(&res);
	assert_int_equal(merge_traces(in, 1, out, &res), -EMEDIUMTYPE);
	assert_int_equal(res.failed_input, 0);
	unlink(out);
}

static void test_host_table_round_trip(void **state)
{
	(void)state;
	static struct trace_host hosts[2] = {
		{ .name = "h1", .source = "a.ipct", .command = "x y", .offset_ns = -5,
		  .uncertainty_ns = TRACE_HOST_UNBOUNDED, .pairs = 3, .flags = 1 },
		{ .name = "h-2.x", .shift_ns = -123456789, .offset_ns = 42 },
	};
	struct trace_meta meta = { .host = "m", .kernel = "k", .nhosts = 2, .hosts = hosts };
	struct trace_writer *w;
	struct trace_reader *r;

	assert_int_equal(trace_writer_open(&w, path_m, &meta), 0);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(trace_reader_open(&r, path_m), 0);
	const struct trace_meta *got = trace_reader_meta(r);
	assert_int_equal(got->nhosts, 2);
	assert_memory_equal(&got->hosts[0], &hosts[0], sizeof(hosts[0]));
	assert_memory_equal(&got->hosts[1], &hosts[1], sizeof(hosts[1]));
	trace_reader_free(r);

	strcpy(hosts[1].name, "bad name");
	assert_int_equal(trace_writer_open(&w, path_m, &meta), -EINVAL);
	assert_false(trace_host_name_valid(""));
	assert_false(trace_host_name_valid("0123456789012345678901234567890123"));
	assert_true(trace_host_name_valid("web-1.example_x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_offset_and_uncertainty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_sided_and_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_input_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_table_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
