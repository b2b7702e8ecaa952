/*
 * test_model - builds traces with the real trace writer (lib/trace_file.h)
 * in a temporary file, loads them with viz_model_load() and asserts on the
 * exact processes, objects, ops, transfers and flows.
 *
 * The main scenario: parent 100 makes a pipe and forks 101, 102 and 103;
 * each child writes 8 bytes; the parent reads 8, then 16, then gets EOF.
 * One event is out of time order in the file, one read fails with EINTR,
 * child 103 is killed by SIGKILL, and pid 200 is only in the process table.
 */
#include "ipc_trace.h"
#include <errno.h>

#define T0 IT_T0                 /* start_monotonic_ns of the test traces */
#define PIPE_DEV 12u
#define PIPE_INO 4242ull

static char trace_path[512];

static void add_fork(struct trace_writer *w, uint64_t ts, uint32_t parent,
		     uint32_t child, uint32_t flags, const char *comm)
{
	struct ipct_fork_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_FORK, sizeof(ev), ts, parent);
	ev.child_pid = flags & IPCT_FORK_THREAD ? parent : child;
	ev.child_tid = child;
	ev.flags = flags;
	strncpy(ev.comm, comm, sizeof(ev.comm) - 1);
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static void add_exec(struct trace_writer *w, uint64_t ts, uint32_t pid,
		     const char *comm, const char *filename)
{
	struct ipct_exec_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_EXEC, sizeof(ev), ts, pid);
	ev.old_tid = pid;
	strncpy(ev.comm, comm, sizeof(ev.comm) - 1);
	strncpy(ev.filename, filename, sizeof(ev.filename) - 1);
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static void add_exit(struct trace_writer *w, uint64_t ts, uint32_t pid,
		     int32_t status, uint32_t flags)
{
	struct ipct_exit_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_EXIT, sizeof(ev), ts, pid);
	ev.exit_code = status;
	ev.flags = flags;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static void add_pipe(struct trace_writer *w, uint64_t ts, uint32_t pid)
{
	struct ipct_pipe_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_PIPE, sizeof(ev), ts, pid);
	ev.duration_ns = 50;
	ev.ino = PIPE_INO;
	ev.dev = PIPE_DEV;
	ev.read_fd = 3;
	ev.write_fd = 4;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

static void add_io(struct trace_writer *w, uint64_t ts, uint32_t pid,
		   enum ipct_kind kind, uint32_t dev, uint64_t ino,
		   enum ipct_dir dir, int64_t ret, uint64_t duration)
{
	struct it_io io = { .ts = ts, .dur = duration, .pid = pid, .kind = kind, .dir = dir,
			    .ret = ret, .dev = dev, .ino = ino,
			    .requested = ret > 0 ? (uint64_t)ret : 8,
			    .fd = dir == IPCT_DIR_SEND ? 4 : 3,
			    .syscall = dir == IPCT_DIR_SEND ? 1 : 0 };

	it_io(w, &io);
}

static struct trace_writer *open_writer(void)
{
	static char *argv[] = { "demos/pipe_sum", "24", "3", NULL };

	return unit_trace_open(trace_path, sizeof(trace_path), "test_model", argv, 100, T0);
}

/* Load the trace written to trace_path into M, then remove the file. */
static void load_trace(struct viz_model *m)
{
	assert_int_equal(viz_model_load(m, trace_path), 0);
	unlink(trace_path);
}

/* Assert that transfer I of M took BYTES from op SEND to op RECV. */
static void expect_transfer(const struct viz_model *m, size_t i, uint32_t send, uint32_t recv,
			    uint64_t bytes)
{
	assert_int_equal(m->transfers[i].send, send);
	assert_int_equal(m->transfers[i].recv, recv);
	assert_int_equal(m->transfers[i].bytes, bytes);
}

/* Assert what a loaded trace M says of itself: cut short or not, with
 * its stats chunk or not, EVENTS events, LOST lost, DURATION ns long. */
static void expect_summary(const struct viz_model *m, bool truncated, bool has_stats,
			   uint64_t events, uint64_t lost, uint64_t duration)
{
	assert_int_equal(m->truncated, truncated);
	assert_int_equal(m->has_stats, has_stats);
	assert_int_equal(m->events, events);
	assert_int_equal(m->lost_total, lost);
	assert_int_equal(m->duration_ns, duration);
}

/* The events of the main scenario (see the top of the file). */
static void write_family_events(struct trace_writer *w)
{
	const uint64_t pipe = PIPE_INO;

	add_pipe(w, 100, 100);
	add_fork(w, 200, 100, 101, 0, "pipe_sum");
	add_fork(w, 300, 100, 102, 0, "pipe_sum");
	add_fork(w, 350, 100, 105, IPCT_FORK_THREAD, "pipe_sum");
	add_fork(w, 400, 100, 103, 0, "pipe_sum");
	add_exec(w, 450, 101, "worker", "/usr/bin/worker");
	add_io(w, 500, 101, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_SEND, 8, 100);
	add_io(w, 650, 100, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_RECV, -EINTR, 250);
	add_io(w, 700, 100, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_RECV, 8, 300);
	/* Returned before the read above but reached the file after it. */
	add_io(w, 600, 102, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_SEND, 8, 200);
	add_io(w, 800, 103, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_SEND, 8, 400);
	add_io(w, 900, 100, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_RECV, 16, 500);
	add_exit(w, 950, 101, 0, IPCT_EXIT_GROUP_DEAD);
	add_exit(w, 960, 102, 3 << 8, IPCT_EXIT_GROUP_DEAD);
	add_exit(w, 970, 103, 9, IPCT_EXIT_GROUP_DEAD);
	add_io(w, 1000, 100, IPCT_KIND_PIPE, PIPE_DEV, pipe, IPCT_DIR_RECV, 0, 10);
	add_exit(w, 1500, 100, 0, 0);   /* a thread of 100 ends: not the process */
	add_exit(w, 2000, 100, 0, IPCT_EXIT_GROUP_DEAD);
}

static void write_family_trace(void)
{
	struct trace_writer *w = open_writer();
	struct trace_process procs[] = {
		{ .pid = 100, .ppid = 1, .comm = "pipe_sum", .start_ns = 0,
		  .end_ns = T0 + 2000, .exit_status = 0, .flags = TRACE_PROCESS_EXITED },
		{ .pid = 101, .ppid = 100, .comm = "worker", .start_ns = T0 + 200,
		  .end_ns = T0 + 950, .exit_status = 0,
		  .flags = TRACE_PROCESS_EXITED | TRACE_PROCESS_EXECED },
		{ .pid = 200, .ppid = 100, .comm = "ghost", .start_ns = T0 + 1200,
		  .end_ns = T0 + 1300, .exit_status = 1 << 8, .flags = TRACE_PROCESS_EXITED },
	};
	struct trace_stats stats = { .events = 18, .end_monotonic_ns = T0 + 3000,
				     .exit_status = 0 };

	stats.lost[IPCT_KIND_PIPE] = 2;
	stats.lost[IPCT_KIND_NONE] = 1;
	write_family_events(w);
	assert_int_equal(trace_writer_close(w, procs, 3, &stats), 0);
}

static void test_family_processes(void **state)
{
	struct viz_model m;

	write_family_trace();
	load_trace(&m);

	expect_summary(&m, false, true, 18, 3, 3000);
	assert_int_equal(m.meta.argc, 3);
	assert_string_equal(m.meta.argv[2], "3");
	assert_string_equal(m.meta.host, "testhost");

	assert_int_equal(m.nprocesses, 5);
	const uint32_t pids[] = { 100, 101, 102, 103, 200 };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(m.processes[i].pid, pids[i]);
		assert_int_equal(m.processes[i].lane, i);
	}
	const struct viz_process *p = viz_model_process(&m, 100);
	assert_ptr_equal(p, &m.processes[0]);
	assert_int_equal(p->ppid, 1);
	assert_string_equal(p->comm, "pipe_sum");
	assert_int_equal(p->start_ns, 0);
	assert_int_equal(p->end_ns, 2000);
	assert_true(p->exited);
	assert_int_equal(p->exit_status, 0);

	p = viz_model_process(&m, 101);
	assert_int_equal(p->ppid, 100);
	assert_string_equal(p->comm, "worker");
	assert_string_equal(p->exec_path, "/usr/bin/worker");
	assert_int_equal(p->start_ns, 200);
	assert_int_equal(p->end_ns, 950);

	p = viz_model_process(&m, 102);
	assert_string_equal(p->comm, "pipe_sum");
	assert_string_equal(p->exec_path, "");
	assert_int_equal(p->exit_status, 3 << 8);
	p = viz_model_process(&m, 103);
	assert_int_equal(p->exit_status, 9);
	assert_int_equal(p->end_ns, 970);

	p = viz_model_process(&m, 200);       /* known only from the table */
	assert_string_equal(p->comm, "ghost");
	assert_int_equal(p->start_ns, 1200);
	assert_int_equal(p->exit_status, 256);
	assert_null(viz_model_process(&m, 105));   /* a thread, not a process */
	assert_null(viz_model_process(&m, 999));

	assert_int_equal(m.nforks, 3);
	assert_int_equal(m.forks[0].child, 101);
	assert_int_equal(m.forks[2].child, 103);
	assert_int_equal(m.forks[2].ts_ns, 400);
	assert_int_equal(m.forks[2].parent, 100);
	viz_model_release(&m);
}

static void test_family_matching(void **state)
{
	struct viz_model m;

	write_family_trace();
	load_trace(&m);

	assert_int_equal(m.nobjects, 1);
	const struct viz_object *o = &m.objects[0];
	assert_string_equal(o->id, "pipe:12:4242");
	assert_int_equal(o->kind, IPCT_KIND_PIPE);
	assert_string_equal(o->name, "");
	assert_int_equal(o->nusers, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(o->users[i], 100 + i);
	assert_int_equal(o->sent_bytes, 24);
	assert_int_equal(o->received_bytes, 24);
	assert_int_equal(o->unmatched_bytes, 0);

	/* Ops in time order; the out-of-order send of 102 is second. */
	assert_int_equal(m.nops, 7);
	const struct { uint64_t ts; uint32_t pid; int64_t ret; uint64_t offset; } want[] = {
		{ 500, 101, 8, 0 }, { 600, 102, 8, 8 }, { 650, 100, -EINTR, 0 },
		{ 700, 100, 8, 0 }, { 800, 103, 8, 16 }, { 900, 100, 16, 8 },
		{ 1000, 100, 0, 24 },
	};
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(m.ops[i].ts_ns, want[i].ts);
		assert_int_equal(m.ops[i].pid, want[i].pid);
		assert_int_equal(m.ops[i].ret, want[i].ret);
		assert_int_equal(m.ops[i].offset, want[i].offset);
		assert_int_equal(m.ops[i].object, 0);
	}
	assert_int_equal(m.ops[1].duration_ns, 200);
	assert_int_equal(m.ops[1].dir, IPCT_DIR_SEND);
	assert_int_equal(m.ops[1].syscall, 1);
	assert_int_equal(m.ops[5].requested, 16);

	assert_int_equal(m.ntransfers, 3);
	expect_transfer(&m, 0, 0, 3, 8);
	expect_transfer(&m, 1, 1, 5, 8);
	expect_transfer(&m, 2, 4, 5, 8);

	assert_int_equal(m.nflows, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(m.flows[i].object, 0);
		assert_int_equal(m.flows[i].from, 101 + i);
		assert_int_equal(m.flows[i].to, 100);
		assert_int_equal(m.flows[i].messages, 1);
		assert_int_equal(m.flows[i].bytes, 8);
	}
	viz_model_release(&m);
}

/* The JSON of the main scenario carries the shell-style exit codes. */
static void test_family_json_exit_codes(void **state)
{
	struct viz_model m;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	write_family_trace();
	load_trace(&m);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(report_json(&m, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "{\"pid\": 103, \"ppid\": 100, \"comm\": \"pipe_sum\", "
			       "\"start_ns\": 400, \"end_ns\": 970, \"exit_code\": 137, "
			       "\"exec\": null, \"folded\": false, "));
	assert_non_null(strstr(buf, "\"pid\": 102, \"ppid\": 100, \"comm\": \"pipe_sum\", "
			       "\"start_ns\": 300, \"end_ns\": 960, \"exit_code\": 3,"));
	assert_non_null(strstr(buf, "\"exit_status\": 0,"));
	assert_non_null(strstr(buf, "\"lost_events\": 3,"));
	free(buf);
	viz_model_release(&m);
}

/* A fifo read that returned before any traced write began: its 5 bytes
 * were written before tracing started and are unmatched.  The next read
 * gets the first 2 of the 3 bytes written by pid 300. */
static void test_fifo_unmatched(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model m;

	add_io(w, 10, 100, IPCT_KIND_FIFO, 2049, 77, IPCT_DIR_RECV, 5, 1);
	add_io(w, 20, 300, IPCT_KIND_FIFO, 2049, 77, IPCT_DIR_SEND, 3, 1);
	add_io(w, 30, 100, IPCT_KIND_FIFO, 2049, 77, IPCT_DIR_RECV, 2, 1);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	load_trace(&m);

	assert_int_equal(m.nobjects, 1);
	assert_string_equal(m.objects[0].id, "fifo:2049:77");
	assert_int_equal(m.objects[0].kind, IPCT_KIND_FIFO);
	assert_int_equal(m.objects[0].nusers, 2);
	assert_int_equal(m.objects[0].users[0], 100);
	assert_int_equal(m.objects[0].users[1], 300);
	assert_int_equal(m.objects[0].unmatched_bytes, 5);
	assert_int_equal(m.objects[0].sent_bytes, 3);
	assert_int_equal(m.objects[0].received_bytes, 7);
	assert_int_equal(m.ops[2].offset, 5);
	assert_int_equal(m.ntransfers, 1);
	expect_transfer(&m, 0, 1, 2, 2);
	assert_int_equal(m.nflows, 1);
	assert_int_equal(m.flows[0].from, 300);
	assert_int_equal(m.flows[0].bytes, 2);
	/* 300 is seen only in events; no table: it ends with the trace. */
	assert_int_equal(m.nprocesses, 2);
	assert_int_equal(m.processes[1].pid, 300);
	assert_int_equal(m.processes[1].end_ns, 30);
	assert_int_equal(m.processes[1].exit_status, -1);
	viz_model_release(&m);
}

/* Lanes follow time, not file order: the child's first event reached the
 * file before its fork, the parent's first event after both. */
static void test_lanes_follow_time(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model m;

	add_io(w, 50, 301, IPCT_KIND_PIPE, 1, 9, IPCT_DIR_SEND, 4, 1);
	add_fork(w, 40, 300, 301, 0, "child");
	add_io(w, 30, 300, IPCT_KIND_PIPE, 1, 9, IPCT_DIR_RECV, -EAGAIN, 1);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	load_trace(&m);

	assert_int_equal(m.nprocesses, 3);
	assert_int_equal(m.processes[0].pid, 100);      /* root, from the metadata */
	assert_int_equal(m.processes[1].pid, 300);
	assert_int_equal(m.processes[2].pid, 301);
	assert_int_equal(m.processes[2].lane, 2);
	assert_int_equal(viz_model_process(&m, 301)->ppid, 300);
	assert_string_equal(viz_model_process(&m, 301)->comm, "child");
	assert_int_equal(m.ops[0].pid, 300);
	assert_int_equal(m.ops[0].ret, -EAGAIN);
	assert_int_equal(m.ntransfers, 0);
	assert_int_equal(m.objects[0].nusers, 2);
	viz_model_release(&m);
}

/* A file without its end chunk still loads, with what was flushed. */
static void test_truncated_file_loads(void **state)
{
	struct trace_writer *w = open_writer();
	struct viz_model m;

	write_family_events(w);
	assert_int_equal(trace_writer_flush(w), 0);
	trace_writer_abort(w);
	load_trace(&m);

	expect_summary(&m, true, false, 18, 0, 2000);      /* ends at the last event */
	assert_int_equal(m.nprocesses, 4);
	assert_string_equal(m.processes[0].comm, "");   /* root never forked/exec'd here */
	assert_int_equal(m.nflows, 3);
	assert_int_equal(m.flows[2].from, 103);
	assert_int_equal(m.flows[2].messages, 1);
	viz_model_release(&m);
}

static void test_missing_file(void **state)
{
	struct viz_model m;

	assert_int_equal(viz_model_load(&m, "/nonexistent/x.ipct"), -ENOENT);
	assert_int_equal(m.nprocesses, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_processes),
		cmocka_unit_test(test_family_matching),
		cmocka_unit_test(test_family_json_exit_codes),
		cmocka_unit_test(test_fifo_unmatched),
		cmocka_unit_test(test_lanes_follow_time),
		cmocka_unit_test(test_truncated_file_loads),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
