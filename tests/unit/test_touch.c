/*
 * test_touch - first touches of shared pages in the model (viz/model_touch.c):
 * the page table per object, the estimated flows from a writer to each
 * later toucher, repeats dropped, the bound on writers per page, and a
 * mapping nobody wrote into marked not communication.
 */
#include "ipc_trace.h"

#define ADDR 0x7f0000000000ull
#define PAGE 4096ull

/* A trace whose metadata says page touches were recorded. */
static struct trace_writer *open_touches(uint32_t root)
{
	static char *argv[] = { "touch-test", NULL };
	struct trace_meta meta = { 0 };
	struct trace_writer *w = NULL;

	unit_temp_file(it_path, sizeof(it_path), "test_touch");
	strcpy(meta.host, "testhost");
	strcpy(meta.kernel, "6.18.0 x86_64");
	meta.argc = 1;
	meta.argv = argv;
	meta.start_monotonic_ns = IT_T0;
	meta.root_pid = root;
	meta.flags = TRACE_META_SHM_TOUCHES;
	assert_int_equal(trace_writer_open(&w, it_path, &meta), 0);
	return w;
}

static void touch(struct trace_writer *w, uint64_t ts, uint32_t pid, uint64_t addr,
		  uint8_t flags)
{
	struct ipct_touch_event ev = { 0 };

	it_header(&ev.hdr, IPCT_EV_TOUCH, sizeof(ev), ts, pid);
	ev.addr = addr;
	ev.ino = 7;             /* a SysV segment: its inode number is its id */
	ev.dev = 1;
	ev.page = (addr - ADDR) / PAGE;
	ev.map_start = ADDR;
	ev.flags = flags;
	ev.kind = IPCT_KIND_SHM;
	assert_int_equal(trace_writer_append(w, &ev.hdr), 0);
}

/* Segment 7 of 4 pages, attached by 100 at ADDR, inherited by 101 and 102. */
static struct trace_writer *segment(void)
{
	struct trace_writer *w = open_touches(100);

	it_shm(w, 10, 100, IPCT_SHM_GET, 7, 0, 4 * PAGE, 0, 0, 0);
	it_shm(w, 20, 100, IPCT_SHM_AT, 7, 0, 0, ADDR, 0, 0);
	it_fork(w, 30, 100, 101);
	it_fork(w, 40, 100, 102);
	return w;
}

static const struct viz_flow *shm_flow(const struct viz_model *m, uint32_t from, uint32_t to)
{
	for (size_t i = 0; i < m->nflows; i++)
		if (m->flows[i].from == from && m->flows[i].to == to &&
		    m->objects[m->flows[i].object].kind == IPCT_KIND_SHM)
			return &m->flows[i];
	return NULL;
}

static void test_writer_then_reader(void **state)
{
	struct trace_writer *w = segment();
	struct viz_model m;
	const struct viz_flow *f;

	(void)state;
	touch(w, 100, 101, ADDR + 8, IPCT_TOUCH_WRITE);              /* page 0 */
	touch(w, 110, 101, ADDR + 16, IPCT_TOUCH_WRITE);             /* repeat: dropped */
	touch(w, 120, 102, ADDR + PAGE, IPCT_TOUCH_WRITE);           /* page 1 */
	touch(w, 130, 101, ADDR + 2 * PAGE, 0);                      /* page 2: read */
	touch(w, 200, 100, ADDR, 0);
	touch(w, 210, 100, ADDR + PAGE + 5, 0);
	touch(w, 220, 100, ADDR + 3 * PAGE, IPCT_TOUCH_WRITE);       /* nobody after */
	it_load(w, &m);

	assert_int_equal(m.ntouches, 6);
	assert_int_equal(m.touches[0].page, 0);
	assert_int_equal(m.touches[0].pid, 101);
	assert_true(m.touches[0].write);
	assert_int_equal(m.touches[1].pid, 100);
	assert_false(m.touches[1].write);
	f = shm_flow(&m, 101, 100);
	assert_non_null(f);
	assert_true(f->touched && f->estimated);
	assert_int_equal(f->messages, 1);
	assert_int_equal(f->bytes, 0);
	f = shm_flow(&m, 102, 100);
	assert_non_null(f);
	assert_int_equal(f->messages, 1);
	assert_null(shm_flow(&m, 100, 101));    /* page 3: no one touched it after */
	assert_null(shm_flow(&m, 101, 102));    /* 102 touched only page 1, before */
	assert_true(m.objects[f->object].flags & VIZ_OBJ_SHOWN);
	assert_false(m.objects[f->object].flags & VIZ_OBJ_NOT_COMM);
	assert_true(f->shown);
	viz_model_release(&m);
}

/* A read fault that mapped the page writable makes a possible writer. */
static void test_writable_read(void **state)
{
	struct trace_writer *w = segment();
	struct viz_model m;
	const struct viz_flow *f;

	(void)state;
	touch(w, 100, 101, ADDR, IPCT_TOUCH_WRITABLE);
	touch(w, 150, 102, ADDR, IPCT_TOUCH_WRITABLE);
	touch(w, 200, 100, ADDR, IPCT_TOUCH_WRITABLE);
	it_load(w, &m);

	assert_true(m.touches[0].writable && !m.touches[0].write);
	assert_non_null(f = shm_flow(&m, 101, 102));
	assert_non_null(shm_flow(&m, 101, 100));
	assert_non_null(shm_flow(&m, 102, 100));
	assert_null(shm_flow(&m, 102, 101));
	assert_false(m.objects[f->object].flags & VIZ_OBJ_NOT_COMM);
	viz_model_release(&m);
}

/* Mapped writable by all, read by all, written by none: no channel. */
static void test_nobody_wrote(void **state)
{
	struct trace_writer *w = segment();
	struct viz_model m;

	(void)state;
	touch(w, 100, 101, ADDR, 0);
	touch(w, 200, 100, ADDR, 0);
	it_load(w, &m);

	assert_int_equal(m.nobjects, 1);
	assert_true(m.objects[0].flags & VIZ_OBJ_NOT_COMM);
	assert_false(m.objects[0].flags & VIZ_OBJ_SHOWN);
	assert_int_equal(m.objects[0].nusers, 3);
	assert_null(shm_flow(&m, 101, 100));
	viz_model_release(&m);
}

/* Without the metadata flag (an older trace), an untouched mapping is
 * still what its attachments say. */
static void test_no_touches_recorded(void **state)
{
	struct trace_writer *w = it_open(100);
	struct viz_model m;

	(void)state;
	it_shm(w, 10, 100, IPCT_SHM_GET, 7, 0, PAGE, 0, 0, 0);
	it_shm(w, 20, 100, IPCT_SHM_AT, 7, 0, 0, ADDR, 0, 0);
	it_fork(w, 30, 100, 101);
	it_load(w, &m);
	assert_false(m.shm_touches);
	assert_true(m.objects[0].flags & VIZ_OBJ_SHOWN);
	viz_model_release(&m);
}

/* 100 writers of one page, then a reader: at most 64 earlier writers are
 * joined to a touch; a touch outside every attachment names the object
 * by its inode. */
static void test_bounds(void **state)
{
	struct trace_writer *w = open_touches(1);
	struct viz_model m;
	size_t to_reader = 0;

	(void)state;
	for (uint32_t p = 0; p < 100; p++)
		touch(w, 100 + p, 1000 + p, ADDR, IPCT_TOUCH_WRITE);
	touch(w, 500, 5000, ADDR, 0);
	it_load(w, &m);
	assert_int_equal(m.ntouches, 101);
	assert_int_equal(m.nobjects, 1);
	assert_int_equal(m.objects[0].kind, IPCT_KIND_SHM);
	assert_int_equal(m.objects[0].ino, 7);
	for (size_t i = 0; i < m.nflows; i++)
		to_reader += m.flows[i].to == 5000;
	assert_int_equal(to_reader, 64);
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_then_reader),
		cmocka_unit_test(test_writable_read),
		cmocka_unit_test(test_nobody_wrote),
		cmocka_unit_test(test_no_touches_recorded),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
