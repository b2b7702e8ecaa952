/*
 * test_util - see test_util.h.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "viz/viz.h"
#include "viz/model_build.h"
#include "test_util.h"

void unit_temp_file(char *path, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");
	int n, fd;

	if (!dir || !*dir)
		dir = "/tmp";
	n = snprintf(path, size, "%s/%s.XXXXXX", dir, name);
	assert_true(n > 0 && (size_t)n < size);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

void unit_temp_text(char *path, size_t size, const char *name, const char *text, size_t len)
{
	FILE *f;

	unit_temp_file(path, size, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

char *unit_render(const struct viz_model *m, unit_render_fn fn, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	assert_non_null(out);
	assert_int_equal(fn(m, out), 0);
	assert_int_equal(fclose(out), 0);
	if (len)
		*len = size;
	return buf;
}

char *unit_render_empty(unit_render_fn fn, size_t *len)
{
	struct viz_model m;

	memset(&m, 0, sizeof(m));
	return unit_render(&m, fn, len);
}

int unit_graph_dot(const struct viz_model *m, FILE *out)
{
	return graph_render(m, out, GRAPH_DOT);
}

int unit_graph_svg(const struct viz_model *m, FILE *out)
{
	return graph_render(m, out, GRAPH_SVG);
}

size_t unit_count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

void unit_expect_texts(const struct viz_model *m, const struct unit_text *want)
{
	unit_render_fn fn = NULL;
	char *out = NULL;

	for (; want->fn; want++) {
		if (want->fn != fn) {
			free(out);
			fn = want->fn;
			out = unit_render(m, fn, NULL);
		}
		if (!strstr(out, want->text) != want->absent)
			fail_msg("%s'%s' in the output", want->absent ? "" : "no ", want->text);
	}
	free(out);
}

int unit_xmllint(const char *text, size_t len)
{
	char path[512], cmd[600];
	int rc;

	unit_temp_text(path, sizeof(path), "unit-xml", text, len);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	rc = system(cmd);
	unlink(path);
	return rc;
}

char *unit_jq(const char *json, const char *filter)
{
	char path[512], cmd[1024], *out = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *p;
	int status;

	unit_temp_text(path, sizeof(path), "unit-json", json, strlen(json));
	snprintf(cmd, sizeof(cmd), "jq -c '%s' '%s' 2>/dev/null", filter, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = getdelim(&out, &cap, '\0', p);
	status = pclose(p);
	unlink(path);
	if (n < 0 || status != 0) {
		free(out);
		return NULL;
	}
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return out;
}

void unit_expect_jq(const char *json, const char *filter, const char *want)
{
	char *got = unit_jq(json, filter);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* N zeroed entries of SIZE bytes, or NULL when N is 0. */
static void *room_for(size_t n, size_t size)
{
	void *p = n ? calloc(n, size) : NULL;

	assert_true(p || !n);
	return p;
}

void unit_model_start(struct viz_model *m, char *const argv[], uint32_t root,
		      uint64_t duration, struct unit_model_room room)
{
	int argc = 0;

	memset(m, 0, sizeof(*m));
	while (argv && argv[argc])
		argc++;
	if (argv) {
		m->meta.argv = room_for(argc + 1, sizeof(*m->meta.argv));
		for (int i = 0; i < argc; i++) {
			m->meta.argv[i] = strdup(argv[i]);
			assert_non_null(m->meta.argv[i]);
		}
		m->meta.argc = argc;
	}
	m->meta.root_pid = root;
	m->duration_ns = duration;
	m->processes = room_for(room.processes, sizeof(*m->processes));
	m->objects = room_for(room.objects, sizeof(*m->objects));
	m->ops = room_for(room.ops, sizeof(*m->ops));
	m->transfers = room_for(room.transfers, sizeof(*m->transfers));
	m->flows = room_for(room.flows, sizeof(*m->flows));
	m->forks = room_for(room.forks, sizeof(*m->forks));
}

struct viz_process *unit_add_process(struct viz_model *m, uint32_t pid, uint32_t ppid,
				     const char *comm, uint64_t start, uint64_t end,
				     int32_t status)
{
	struct viz_process *p = &m->processes[m->nprocesses];
	size_t len = strlen(comm);

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	memcpy(p->comm, comm, len < sizeof(p->comm) ? len : sizeof(p->comm));
	p->start_ns = start;
	p->end_ns = end;
	p->exit_status = status;
	p->exited = true;
	p->lane = m->nprocesses;
	m->nprocesses++;
	return p;
}

struct viz_op *unit_add_op(struct viz_model *m, uint32_t pid, uint32_t object,
			   enum ipct_dir dir, uint64_t ts, uint64_t duration, int64_t ret)
{
	struct viz_op *op = &m->ops[m->nops++];

	memset(op, 0, sizeof(*op));
	op->ts_ns = ts;
	op->duration_ns = duration;
	op->pid = op->tid = pid;
	op->object = object;
	op->dir = dir;
	op->ret = ret;
	op->requested = ret > 0 ? (uint64_t)ret : 8;
	op->syscall = dir == IPCT_DIR_SEND ? 1 : 0;
	return op;
}

void unit_model_finish(struct viz_model *m)
{
	free(m->pid_order);
	m->pid_order = NULL;
	assert_int_equal(model_build_pid_order(m), 0);
	assert_int_equal(viz_model_decide_shown(m), 0);
}

struct trace_writer *unit_trace_open(char *path, size_t size, const char *name,
				     char **argv, uint32_t root, uint64_t t0)
{
	struct trace_meta meta = { .argv = argv, .start_monotonic_ns = t0, .root_pid = root };
	struct trace_writer *w = NULL;

	while (argv[meta.argc])
		meta.argc++;
	unit_temp_file(path, size, name);
	strcpy(meta.host, "testhost");
	strcpy(meta.kernel, "6.18.0 x86_64");
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	return w;
}

void unit_event_header(struct ipct_event_header *h, uint16_t type, size_t size,
		       uint64_t ts, uint32_t pid)
{
	h->ts_ns = ts;
	h->pid = pid;
	h->tid = pid;
	h->type = type;
	h->size = (uint16_t)size;
}

void unit_expect_eio(const struct viz_model *m, unit_render_fn fn)
{
	FILE *full = fopen("/dev/full", "w");

	if (!full)
		skip();
	assert_int_equal(fn(m, full), -EIO);
	fclose(full);
}
