/*
 * test_trace_records - records as the reader hands them on (lib/trace_file.h,
 * lib/trace_event.c): records that break the framing are refused, each
 * known type has its minimum size and a shorter record is refused, an
 * older, shorter io record is widened, a compact stream record reads back
 * as the io record it stands for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_util.h"
#include "test_util_trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_bad_records_rejected(void **state)
{
	struct ipct_event_header h = { .type = 5, .size = 20 };
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = unit_trace_path();

	w = unit_trace_writer(path);
	assert_int_equal(trace_writer_append(w, &h), -EINVAL);
	h.size = 26;
	assert_int_equal(trace_writer_append(w, &h), -EINVAL);
	trace_writer_abort(w);
	unit_fill_meta(&meta);
	meta.argc = 5000;
	assert_int_equal(trace_writer_open(&w, path, &meta), -EINVAL);
	assert_int_equal(trace_writer_open(&w, "/nonexistent/x.ipct", &meta), -EINVAL);
	meta.argc = 1;
	assert_int_equal(trace_writer_open(&w, "/nonexistent/x.ipct", &meta), -ENOENT);
	unlink(path);
}

/* Every known type's minimum is its struct; unknown types have none. */
static void test_min_sizes(void **state)
{
	static const struct { unsigned int type; size_t size; } known[] = {
		{ IPCT_EV_FORK, sizeof(struct ipct_fork_event) },
		{ IPCT_EV_EXEC, sizeof(struct ipct_exec_event) },
		{ IPCT_EV_EXIT, sizeof(struct ipct_exit_event) },
		{ IPCT_EV_PIPE, sizeof(struct ipct_pipe_event) },
		{ IPCT_EV_IO, sizeof(struct ipct_io_event) },
		{ IPCT_EV_STREAM, sizeof(struct ipct_stream_event) },
		{ IPCT_EV_OPEN, sizeof(struct ipct_open_event) },
		{ IPCT_EV_MSG, sizeof(struct ipct_msg_event) },
		{ IPCT_EV_SEM, sizeof(struct ipct_sem_event) },
		{ IPCT_EV_SHM, sizeof(struct ipct_shm_event) },
		{ IPCT_EV_SIGNAL, sizeof(struct ipct_signal_event) },
		{ IPCT_EV_SOCK, sizeof(struct ipct_sock_event) },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_int_equal(trace_event_min_size(known[i].type), known[i].size);
	/* Every type below IPCT_EV_TYPE_MAX that has a size needs a header. */
	for (unsigned int t = 1; t < IPCT_EV_TYPE_MAX; t++)
		assert_true(trace_event_min_size(t) == 0 ||
			    trace_event_min_size(t) >= sizeof(struct ipct_event_header));
	assert_int_equal(trace_event_min_size(0), 0);
	assert_int_equal(trace_event_min_size(60000), 0);
}

/* Write GOOD whole records of type FORK, then BAD, then one more FORK;
 * read back: the good ones come out, BAD is refused with the record detail
 * and nothing after it is returned. */
static void check_refused(const struct ipct_event_header *bad, const char *why)
{
	struct ipct_fork_event fork = { 0 };
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_meta meta;
	char *path = unit_trace_path();

	unit_fill_meta(&meta);
	fork.hdr.type = IPCT_EV_FORK;
	fork.hdr.size = sizeof(fork);
	fork.child_pid = 7;
	assert_int_equal(trace_writer_open(&w, path, &meta), 0);
	assert_int_equal(trace_writer_append(w, &fork.hdr), 0);
	assert_int_equal(trace_writer_append(w, bad), 0);	/* the writer does not judge */
	assert_int_equal(trace_writer_append(w, &fork.hdr), 0);
	assert_int_equal(trace_writer_close(w, NULL, 0, NULL), 0);

	assert_int_equal(trace_reader_open(&r, path), 0);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	assert_int_equal(ev->type, IPCT_EV_FORK);
	assert_int_equal(trace_reader_next(r, &ev), -EBADMSG);
	assert_non_null(strstr(trace_file_strerror(-EBADMSG), why));
	assert_int_equal(trace_reader_next(r, &ev), 0);	/* the stream stopped */
	trace_reader_free(r);
	unlink(path);
}

static void test_short_records_refused(void **state)
{
	uint64_t words[64] = { 0 };
	struct ipct_event_header *h = (struct ipct_event_header *)words;
	struct ipct_io_event *io = (struct ipct_io_event *)words;
	static const unsigned int types[] = { IPCT_EV_FORK, IPCT_EV_EXEC, IPCT_EV_EXIT,
		IPCT_EV_PIPE, IPCT_EV_IO, IPCT_EV_OPEN, IPCT_EV_MSG, IPCT_EV_SEM,
		IPCT_EV_SHM, IPCT_EV_SIGNAL, IPCT_EV_SOCK };
	char why[64];

	/* A bare header, and one word short of the struct, for every type. */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t min = trace_event_min_size(types[i]);

		if (types[i] == IPCT_EV_IO)	/* its older form is widened */
			min = offsetof(struct ipct_io_event, offset);
		if (types[i] == IPCT_EV_OPEN)	/* so is this one's */
			min = offsetof(struct ipct_open_event, generation);

		h->type = (uint16_t)types[i];
		h->size = 24;
		snprintf(why, sizeof(why), "a type %u record of 24 bytes is too short", types[i]);
		check_refused(h, why);
		h->size = (uint16_t)(min - 8);
		snprintf(why, sizeof(why), "a type %u record of %zu bytes", types[i], min - 8);
		check_refused(h, why);
	}
	/* Whole struct, but payload_len past the record's end. */
	memset(words, 0, sizeof(words));
	h->type = IPCT_EV_IO;
	h->size = sizeof(*io) + 8;
	io->payload_len = 9;
	check_refused(h, "too short for its type");
	io->payload_len = 8;
	assert_int_equal(trace_event_check(h), 0);
	io->payload_len = UINT32_MAX;
	assert_int_equal(trace_event_check(h), -EBADMSG);
	/* A type this version does not know passes at any valid size. */
	h->type = 999;
	h->size = 24;
	assert_int_equal(trace_event_check(h), 0);
}

/* An io record of the older, shorter form (before offset, peers and
 * payload) comes back widened to the full struct, the new fields zero. */
static void test_old_io_widened(void **state)
{
	uint64_t words[sizeof(struct ipct_io_event) / 8 + 1];
	struct ipct_io_event *io = (struct ipct_io_event *)words;
	const struct ipct_io_event *got;
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	char *path = unit_trace_path();

	memset(words, 0xab, sizeof(words));	/* garbage past the old end */
	memset(io, 0, offsetof(struct ipct_io_event, offset));
	io->hdr.type = IPCT_EV_IO;
	io->hdr.size = offsetof(struct ipct_io_event, offset);
	io->ret = 8;
	io->ino = 42;
	w = unit_trace_writer(path);
	assert_int_equal(trace_writer_append(w, &io->hdr), 0);
	r = unit_trace_reread(w, path);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	got = (const void *)ev;
	assert_int_equal(ev->size, sizeof(struct ipct_io_event));
	assert_int_equal(got->ret, 8);
	assert_int_equal(got->ino, 42);
	assert_int_equal(got->offset, 0);
	assert_int_equal(got->payload_len, 0);
	assert_int_equal(got->remote.port, 0);
	assert_int_equal(trace_reader_next(r, &ev), 0);
	trace_reader_free(r);
	unlink(path);
}

/* A compact stream record reads back as the io record it stands for:
 * the shared fields, the payload, zero socket fields; one whose payload
 * does not fit its size is refused. */
static void test_stream_read_as_io(void **state)
{
	uint64_t words[(sizeof(struct ipct_stream_event) + 16) / 8];
	struct ipct_stream_event *s = (struct ipct_stream_event *)words;
	const struct ipct_io_event *got;
	const struct ipct_event_header *ev;
	struct trace_reader *r;
	struct trace_writer *w;
	char *path = unit_trace_path();

	memset(words, 0, sizeof(words));
	s->hdr.type = IPCT_EV_STREAM;
	s->hdr.size = sizeof(words);
	s->hdr.pid = 7;
	s->duration_ns = 5;
	s->ret = 11;
	s->ino = 42;
	s->requested = 64;
	s->dev = 3;
	s->fd = 9;
	s->syscall = 1;
	s->kind = IPCT_KIND_FILE;
	s->dir = IPCT_DIR_SEND;
	s->offset = 100;
	s->payload_len = 11;
	memcpy(s->payload, "hello world", 11);
	w = unit_trace_writer(path);
	assert_int_equal(trace_writer_append(w, &s->hdr), 0);
	s->payload_len = 17;	/* claims more than its 16 bytes */
	assert_int_equal(trace_writer_append(w, &s->hdr), 0);
	r = unit_trace_reread(w, path);
	assert_int_equal(trace_reader_next(r, &ev), 1);
	got = (const void *)ev;
	assert_int_equal(ev->type, IPCT_EV_IO);
	assert_int_equal(ev->size, sizeof(struct ipct_io_event) + 16);
	assert_int_equal(ev->pid, 7);
	assert_int_equal(got->duration_ns, 5);
	assert_int_equal(got->ret, 11);
	assert_int_equal(got->ino, 42);
	assert_int_equal(got->requested, 64);
	assert_int_equal(got->dev, 3);
	assert_int_equal(got->fd, 9);
	assert_int_equal(got->syscall, 1);
	assert_int_equal(got->kind, IPCT_KIND_FILE);
	assert_int_equal(got->dir, IPCT_DIR_SEND);
	assert_int_equal(got->offset, 100);
	assert_int_equal(got->peer_ino, 0);
	assert_int_equal(got->remote.family, 0);
	assert_int_equal(got->sock_type, 0);
	assert_int_equal(got->payload_len, 11);
	assert_memory_equal(got->payload, "hello world\0\0\0\0\0", 16);
	assert_int_equal(trace_reader_next(r, &ev), -EBADMSG);
	trace_reader_free(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_records_rejected),
		cmocka_unit_test(test_min_sizes),
		cmocka_unit_test(test_short_records_refused),
		cmocka_unit_test(test_old_io_widened),
		cmocka_unit_test(test_stream_read_as_io),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
