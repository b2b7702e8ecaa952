/*
 * test_util_trace - the trace-file fixtures shared by the unit tests of
 * the writer and reader (test_trace_file.c, test_trace_damage.c,
 * test_trace_records.c): a known header, process table and statistics,
 * records of several types, and a small complete file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "test_util_trace.h"

char *unit_trace_path(void)
{
	static char path[512];

	unit_temp_file(path, sizeof(path), "test_trace_file");
	return path;
}

uint8_t *unit_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

uint32_t unit_load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void unit_store32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static char *unit_argv[] = { "./demos/pipe_sum", "an arg with spaces",
			     "caf\xc3\xa9 \xff\x01 \xe2\x82\xac", "", NULL };

void unit_fill_meta(struct trace_meta *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->host, sizeof(m->host), "host-\xc3\xa9.example");
	snprintf(m->kernel, sizeof(m->kernel), "6.18.0-test x86_64");
	m->argc = 4;
	m->argv = unit_argv;
	m->start_realtime_ns = 1764042000123456789ull;
	m->start_monotonic_ns = 987654321012ull;
	m->root_pid = 4242;
}

void unit_check_meta(const struct trace_meta *m)
{
	assert_string_equal(m->host, "host-\xc3\xa9.example");
	assert_string_equal(m->kernel, "6.18.0-test x86_64");
	assert_int_equal(m->argc, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(m->argv[i], unit_argv[i]);
	assert_null(m->argv[4]);
	assert_int_equal(m->start_realtime_ns, 1764042000123456789ull);
	assert_int_equal(m->start_monotonic_ns, 987654321012ull);
	assert_int_equal(m->root_pid, 4242);
	assert_int_equal(m->flags, 0);
}

struct trace_writer *unit_trace_writer(const char *path)
{
	struct trace_writer *w;
	struct trace_meta meta;

	unit_fill_meta(&meta);
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	return w;
}

struct trace_reader *unit_trace_reread(struct trace_writer *w, const char *path)
{
	struct trace_reader *r;

	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);
	assert_int_equal(trace_reader_open(&r, path), 0);
	return r;
}

static uint64_t rng_state = UNIT_RNG_SEED;

void unit_rng_seed(uint64_t seed)
{
	rng_state = seed;
}

uint32_t unit_rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

void unit_fill_stats(struct trace_stats *s, uint64_t events)
{
	memset(s, 0, sizeof(*s));
	s->events = events;
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		s->lost[k] = (uint64_t)k * 1000003u + 7;
	s->end_monotonic_ns = 999999999999ull;
	s->exit_status = 256;
	s->flags = TRACE_STATS_INTERRUPTED;
}

void unit_check_stats(const struct trace_stats *s, uint64_t events)
{
	assert_non_null(s);
	assert_int_equal(s->events, events);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		assert_int_equal(s->lost[k], (uint64_t)k * 1000003u + 7);
	assert_int_equal(s->end_monotonic_ns, 999999999999ull);
	assert_int_equal(s->exit_status, 256);
	assert_int_equal(s->flags, TRACE_STATS_INTERRUPTED);
}

const struct trace_process unit_procs[UNIT_NPROCS] = {
	{ 4242, 1, "pipe_sum", 100, 900, 0, TRACE_PROCESS_EXITED | TRACE_PROCESS_EXECED },
	{ 4243, 4242, "pipe_sum", 200, 0, -1, 0 },
	{ 4244, 4242, "<script>\xff", 0, 850, 9, TRACE_PROCESS_EXITED },
};

static uint64_t mixed_words[UNIT_MIXED_EVENTS][512];

/* H as a record of TYPE, SIZE bytes long. */
static void *record_as(struct ipct_event_header *h, uint16_t type, size_t size)
{
	h->type = type;
	h->size = size;
	return h;
}

const struct ipct_event_header *unit_mixed_event(int i)
{
	uint64_t *w = mixed_words[i];
	struct ipct_event_header *h = (struct ipct_event_header *)w;

	memset(w, 0, sizeof(mixed_words[i]));
	h->ts_ns = 1000000 + (uint64_t)i * 777;
	h->pid = 4242 + i % 2;
	h->tid = h->pid + (i == 3);
	h->cpu = (uint32_t)i % 2;
	switch (i) {
	case 0: {
		struct ipct_fork_event *e = record_as(h, IPCT_EV_FORK, sizeof(*e));

		e->child_pid = e->child_tid = 4243;
		strcpy(e->comm, "pipe_sum");
		break;
	}
	case 1: {
		struct ipct_exec_event *e = record_as(h, IPCT_EV_EXEC, sizeof(*e));

		e->old_tid = 4243;
		strcpy(e->comm, "cat");
		strcpy(e->filename, "/usr/bin/cat with space \xc3\xa9");
		break;
	}
	case 2: {
		struct ipct_pipe_event *e = record_as(h, IPCT_EV_PIPE, sizeof(*e));

		e->ino = 14656;
		e->dev = 0xd;
		e->read_fd = 3;
		e->write_fd = 4;
		e->flags = 02000000;
		break;
	}
	case 3: {
		struct ipct_io_event *e = record_as(h, IPCT_EV_IO, sizeof(*e));

		e->ret = -11;	/* -EAGAIN: a negative field */
		e->ino = 14656;
		e->requested = 4096;
		e->fd = -1;
		e->syscall = 0;
		e->kind = IPCT_KIND_PIPE;
		e->dir = IPCT_DIR_RECV;
		break;
	}
	case 4:	/* a type this version does not know */
		record_as(h, 200, 40);
		w[3] = 0xdeadbeefcafef00dull;
		w[4] = UINT64_MAX;
		break;
	case 5:	/* a 4 KiB record */
		record_as(h, 201, 4096);
		for (int k = 3; k < 512; k++)
			w[k] = (uint64_t)k * 0x0101010101010101ull ^ (uint64_t)unit_rng();
		break;
	default: {
		struct ipct_exit_event *e = record_as(h, IPCT_EV_EXIT, sizeof(*e));

		e->exit_code = 9;
		e->flags = IPCT_EXIT_GROUP_DEAD;
		break;
	}
	}
	return h;
}

uint8_t *unit_small_file(size_t *len)
{
	const struct ipct_event_header *ev;
	struct trace_writer *w;
	struct trace_stats st;
	char *path = unit_trace_path();
	uint8_t *data;

	w = unit_trace_writer(path);
	for (int i = 0; i < UNIT_MIXED_EVENTS; i++) {
		if (i == 5)	/* keep the 4 KiB record out: small seeds */
			continue;
		ev = unit_mixed_event(i);
		assert_int_equal(trace_writer_append(w, ev), 0);
		if (i == 1 || i == 3)
			assert_int_equal(trace_writer_flush(w), 0);
	}
	unit_fill_stats(&st, UNIT_MIXED_EVENTS - 1);
	assert_int_equal(trace_writer_close(w, unit_procs, UNIT_NPROCS, &st), 0);
	data = unit_slurp(path, len);
	unlink(path);
	return data;
}
