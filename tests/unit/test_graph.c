/*
 * test_graph - graph_render() on hand-built models: the DOT text has the
 * expected nodes, edges and labels; the SVG from Graphviz is well-formed
 * (xmllint) and shows hostile names literally; big trees still render.
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
			const char *comm, int32_t status)
{
	uint64_t i = m->nprocesses;

	unit_add_process(m, pid, ppid, comm, i * MS, 10 * MS + i * MS, status);
}

static void add_op(struct viz_model *m, uint32_t pid, uint32_t object,
		   enum ipct_dir dir, int64_t ret)
{
	unit_add_op(m, pid, object, dir, 2 * MS + m->nops * 1000, 500, ret);
}

static void add_object(struct viz_model *m, enum ipct_kind kind, const char *id,
		       const char *name, const uint32_t *users, size_t nusers)
{
	struct viz_object *o = &m->objects[m->nobjects++];

	memset(o, 0, sizeof(*o));
	snprintf(o->id, sizeof(o->id), "%s", id);
	o->kind = kind;
	o->ino = 14656 + m->nobjects;
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->users = malloc(nusers * sizeof(*o->users));
	memcpy(o->users, users, nusers * sizeof(*o->users));
	o->nusers = nusers;
}

/* pid 100 forks 101..103; each child writes 8 bytes into pipe o0 and 100
 * reads them (3 msgs, 24 bytes); 101 sends 5 bytes to 102 through a fifo
 * with a hostile path (o1); 103 alone uses a file (o2, left out).
 * 101's comm holds "\N", 102's an invalid byte and exits 3, 103's is
 * "<script>alert(1)" (16 bytes, no NUL). */
static void build_family(struct viz_model *m)
{
	static const uint32_t pipe_users[] = { 100, 101, 102, 103 };
	static const uint32_t fifo_users[] = { 101, 102 };
	static const uint32_t file_users[] = { 103 };
	uint32_t i;

	unit_model_start(m, argv_hostile, 100, 20 * MS, (struct unit_model_room){
		.processes = 4, .objects = 3, .ops = 16, .transfers = 8, .flows = 8, .forks = 4 });

	add_process(m, 100, 1, "pipe_sum", 0);
	add_process(m, 101, 100, "a\\Nb", 0);
	add_process(m, 102, 100, "bad\xff", 3 << 8);
	add_process(m, 103, 100, "<script>alert(1)</script>", 0);
	for (i = 1; i < 4; i++)
		m->forks[m->nforks++] = (struct viz_fork){ i * MS, 100, 100 + i };

	add_object(m, IPCT_KIND_PIPE, "pipe:0:14657", "", pipe_users, 4);
	add_object(m, IPCT_KIND_FIFO, "fifo:0:14658", "/tmp/a&#1;b\\", fifo_users, 2);
	add_object(m, IPCT_KIND_FILE, "file:0:14659", "/tmp/alone", file_users, 1);

	for (i = 1; i < 4; i++) {
		add_op(m, 100 + i, 0, IPCT_DIR_SEND, 8);
		add_op(m, 100, 0, IPCT_DIR_RECV, 8);
		m->transfers[m->ntransfers++] = (struct viz_transfer){ m->nops - 2, m->nops - 1, 8 };
		m->flows[m->nflows++] = (struct viz_flow){ 0, 100 + i, 100, 1, 8 };
	}
	add_op(m, 101, 1, IPCT_DIR_SEND, 5);
	add_op(m, 102, 1, IPCT_DIR_RECV, 5);
	m->transfers[m->ntransfers++] = (struct viz_transfer){ m->nops - 2, m->nops - 1, 5 };
	m->flows[m->nflows++] = (struct viz_flow){ 1, 101, 102, 1, 5 };
	add_op(m, 103, 2, IPCT_DIR_SEND, 100);
	unit_model_finish(m);
}

/* 0 when `dot -Tsvg` parses TEXT and its SVG is well-formed. */
static int dot_to_svg_ok(const char *text, size_t size)
{
	char path[512], cmd[1700];
	int rc;

	unit_temp_text(path, sizeof(path), "test_graph_dot", text, size);
	snprintf(cmd, sizeof(cmd), "dot -Tsvg -o '%s.svg' '%s' && xmllint --noout '%s.svg'",
		 path, path, path);
	rc = system(cmd);
	unlink(path);
	strcat(path, ".svg");
	unlink(path);
	return rc;
}

/* build_family(M) rendered by FN, its length in *SIZE. */
static char *family_render(struct viz_model *m, unit_render_fn fn, size_t *size)
{
	build_family(m);
	return unit_render(m, fn, size);
}

static void test_dot(void **state)
{
	static const struct unit_text want[] = {
		/* the file used by 103 alone is left out */
		{ unit_graph_dot, "/tmp/alone", true },
		/* the pipe to its reader, drawn backwards */
		{ unit_graph_dot, "dir=back,\n\t\tfontcolor=\"#1e8449\",\n\t\tlabel=\"3 msgs\\n24 bytes\"" },
		/* tooltips with the details */
		{ unit_graph_dot, "tooltip=\"pid 101, parent 100\\nexit 0, lived 10.0 ms\"" },
		{ unit_graph_dot, "tooltip=\"pid 101 \xe2\x86\x92 pipe: 1 msg, 8 bytes\"" },
		/* labels, escaped for Graphviz */
		{ unit_graph_dot, "label=\"pipe_sum\\npid 100\"" },
		{ unit_graph_dot, "label=\"a\\\\Nb\\npid 101\"" },
		{ unit_graph_dot, "label=\"bad\\\\xff\\npid 102\\nexit 3\"" },
		{ unit_graph_dot, "label=\"<script>alert(1)\\npid 103\"" },
		{ unit_graph_dot, "label=\"pipe\\n0:14657\"" },
		{ unit_graph_dot, "label=\"fifo\\n/tmp/a&amp;#1;b\\\\\"" },
		{ 0 }
	};
	struct viz_model m;
	size_t size;
	char *dot = family_render(&m, unit_graph_dot, &size);

	/* Nodes: 4 processes, 2 channels. */
	assert_int_equal(unit_count(dot, "shape="), 6);
	/* 3 forks, 3 writes into the pipe, its delivery, the fifo's two */
	assert_int_equal(unit_count(dot, " -> "), 9);
	/* Fork tree, children in pid order. */
	assert_int_equal(unit_count(dot, "label=fork"), 3);
	assert_true(strstr(dot, "\\npid 101\"") < strstr(dot, "\\npid 102\\n"));
	/* Writers into the pipe and the fifo. */
	assert_int_equal(unit_count(dot, "label=\"1 msg\\n8 bytes\""), 3);
	assert_int_equal(unit_count(dot, "label=\"1 msg\\n5 bytes\""), 2);
	unit_expect_texts(&m, want);
	free(dot);
	viz_model_release(&m);
}

static void test_svg(void **state)
{
	static const struct unit_text want[] = {
		{ unit_graph_svg, "<svg" },
		{ unit_graph_svg, "<script", true },
		/* labels render literally: no \N expansion, no entity decoding */
		{ unit_graph_svg, ">a\\Nb</text>" },
		{ unit_graph_svg, ">bad\\xff</text>" },
		{ unit_graph_svg, ">&lt;script&gt;alert(1)</text>" },
		{ unit_graph_svg, ">/tmp/a&amp;#1;b\\</text>" },
		{ unit_graph_svg, ">ipctrace: demos/pipe_sum &lt;script&gt;alert(1)&lt;/script&gt;</text>" },
		{ unit_graph_svg, ">pid 103</text>" },
		{ unit_graph_svg, ">exit 3</text>" },
		{ unit_graph_svg, ">3 msgs</text>" },
		{ unit_graph_svg, ">24 bytes</text>" },
		{ 0 }
	};
	struct viz_model m;
	size_t size;
	char *svg = family_render(&m, unit_graph_svg, &size);

	assert_int_equal(unit_xmllint(svg, size), 0);
	unit_expect_texts(&m, want);
	free(svg);
	viz_model_release(&m);
}

static void test_write_error(void **state)
{
	struct viz_model m;

	build_family(&m);
	unit_expect_eio(&m, unit_graph_svg);
	unit_expect_eio(&m, unit_graph_dot);
	viz_model_release(&m);
}

/* Root 1000 and NCHILD children 1001...; every STRIDE-th child, NWRITERS
 * of them, writes 8 bytes that the root reads.  With DISTINCT each child
 * has a name of its own ("c0", "c1"...) and writes into a pipe of its own;
 * else all are "child" and write into one pipe. */
static void build_fan(struct viz_model *m, uint32_t nchild, uint32_t nwriters,
		      uint32_t stride, bool distinct)
{
	uint32_t *users = calloc(nwriters + 1, sizeof(*users));
	char comm[16], id[32];

	unit_model_start(m, NULL, 1000, 0, (struct unit_model_room){
		.processes = nchild + 1, .objects = distinct ? nwriters : 1, .ops = 2 * nwriters,
		.transfers = nwriters, .flows = nwriters });
	assert_non_null(users);
	add_process(m, 1000, 1, "root", 0);
	for (uint32_t i = 0; i < nchild; i++) {
		snprintf(comm, sizeof(comm), distinct ? "c%u" : "child", i);
		add_process(m, 1001 + i, 1000, comm, 0);
	}
	users[0] = 1000;
	for (uint32_t i = 0; i < nwriters; i++) {
		uint32_t pid = 1001 + i * stride, object = distinct ? i : 0;

		users[i + 1] = pid;
		if (distinct) {
			snprintf(id, sizeof(id), "pipe:0:%u", i);
			add_object(m, IPCT_KIND_PIPE, id, "", (uint32_t[]){ 1000, pid }, 2);
		}
		add_op(m, pid, object, IPCT_DIR_SEND, 8);
		add_op(m, 1000, object, IPCT_DIR_RECV, 8);
		m->flows[m->nflows++] = (struct viz_flow){ object, pid, 1000, 1, 8 };
		m->transfers[m->ntransfers++] = (struct viz_transfer){ m->nops - 2, m->nops - 1, 8 };
	}
	if (!distinct)
		add_object(m, IPCT_KIND_PIPE, "pipe:0:1", "", users, nwriters + 1);
	free(users);
	unit_model_finish(m);
}

/* M drawn as SVG, checked well-formed; the time it took is printed after
 * WHAT.  *SIZE is its length. */
static char *svg_timed(const struct viz_model *m, const char *what, size_t *size)
{
	struct timespec t0, t1;
	char *svg;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	svg = unit_render(m, unit_graph_svg, size);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("# %s: %zu bytes of SVG in %.2f s\n", what, *size,
		      (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(unit_xmllint(svg, *size), 0);
	return svg;
}

/* A fan-out (build_fan) and what its SVG must show. */
struct fan_case {
	const char *what;
	uint32_t nchild, nwriters, stride;
	bool distinct;
	size_t nodes;                   /* class="node" elements */
	const char *present[8];         /* texts the SVG holds */
	const char *absent;             /* a text it does not hold, or NULL */
};

static void check_fan(const struct fan_case *c)
{
	struct viz_model m;
	size_t size;
	char *svg;

	build_fan(&m, c->nchild, c->nwriters, c->stride, c->distinct);
	svg = svg_timed(&m, c->what, &size);
	for (size_t i = 0; i < 8 && c->present[i]; i++)
		if (!strstr(svg, c->present[i]))
			fail_msg("no '%s' in the SVG of %s", c->present[i], c->what);
	if (c->absent)
		assert_null(strstr(svg, c->absent));
	assert_int_equal(unit_count(svg, "class=\"node\""), c->nodes);
	free(svg);
	viz_model_release(&m);
}

/* A root with 2999 children, 100 of which write into one pipe that the
 * root reads: the 2899 others are folded into one node; the 100 writers
 * are identical siblings: one node. */
static void test_big_tree(void **state)
{
	check_fan(&(struct fan_case){
		"3000 processes", 2999, 100, 29, false, 4,
		{ ">2899 processes without IPC folded</text>", ">+2899 processes</text>",
		  ">100 \xc3\x97 child</text>",
		  ">99 processes drawn with an identical sibling (N \xc3\x97 name)</text>",
		  "pids 1001 1030 1059 ", ">100 msgs</text>", ">800 bytes</text>" },
		">pid 1001</text>" });
}

/* 1500 children that all write into the root's pipe: identical siblings,
 * drawn as one node. */
static void test_many_talkers(void **state)
{
	check_fan(&(struct fan_case){
		"1501 processes, all talking", 1500, 1500, 1, false, 3,
		{ ">fork \xc3\x97 1500</text>", ">1500 \xc3\x97 child</text>",
		  ">1500 msgs</text>", ">11.7 KiB</text>" }, NULL });
}

/* 400 children with 400 different names, each writing into its own pipe
 * to the root: past the layout budget even by name, so the children fold
 * by parent, their pipes with them, and the title says so. */
static void test_budget(void **state)
{
	check_fan(&(struct fan_case){
		"400 names, 400 pipes", 400, 400, 1, true, 3,
		{ "summary: 801 nodes and 1200 edges are past the layout budget",
		  "so processes are folded by parent", ">400 processes</text>",
		  ">400 \xc3\x97 pipe</text>", ">400 msgs</text>", ">3.1 KiB</text>" }, NULL });
}

/* Random bytes in every comm and path still give well-formed SVG. */
static void test_random_names(void **state)
{
	struct viz_model m;
	size_t size, i, j;
	char *svg;

	build_family(&m);
	srandom(7);
	for (i = 0; i < 200; i++) {
		for (j = 0; j < m.nprocesses; j++)
			for (size_t k = 0; k < sizeof(m.processes[j].comm); k++)
				m.processes[j].comm[k] = (char)(random() % 4 ? random() % 256 : "\\&<\"#;\n"[random() % 7]);
		for (j = 0; j < 40; j++)
			m.objects[1].name[j] = (char)random();
		m.objects[1].name[40] = '\0';
		svg = unit_render(&m, unit_graph_svg, &size);
		assert_int_equal(unit_xmllint(svg, size), 0);
		free(svg);
		if (i % 20 == 0) {
			/* The DOT text reads back with dot(1), into valid SVG. */
			char *dot = unit_render(&m, unit_graph_dot, &size);

			assert_int_equal(dot_to_svg_ok(dot, size), 0);
			free(dot);
		}
	}
	viz_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_random_names),
		cmocka_unit_test(test_big_tree),
		cmocka_unit_test(test_many_talkers),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
