/*
 * export - write the model as five tables (see export.h, docs/export.md).
 *
 * A small row writer knows the two formats: NDJSON rows are objects whose
 * keys are the column names; CSV files start with a header line and quote
 * every string.  Strings from the traced system go through escape_json or
 * escape_csv.  Times are nanoseconds since the trace started (ts_ns) and
 * on the wall clock (ts_wall_ns, from the header's start time).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include "escape.h"
#include "export.h"
#include "pbuf.h"
#include "stream.h"

#define KEY_SLOT 32         /* a column's prefix: `,"name":` padded */
#define MAX_COLS 16

/* A table being written: its rows are formatted into BUF, which goes to
 * OUT in large writes.  KEYS[i] is what goes before column i's value:
 * `{"name":` or `,"name":` in NDJSON, "" or "," in CSV. */
struct table {
	FILE *out;
	const char *file;       /* its name in the output directory */
	struct pbuf buf;
	enum export_format format;
	size_t ncols, col;
	char keys[MAX_COLS][KEY_SLOT];
	uint8_t keylen[MAX_COLS];
};

#define FLUSH_AT (256 * 1024)

static void table_begin(struct table *t, FILE *out, enum export_format format,
			const char *const *cols, size_t ncols)
{
	*t = (struct table){ .out = out, .format = format, .ncols = ncols };
	for (size_t i = 0; i < ncols && i < MAX_COLS; i++) {
		int n = format == EXPORT_NDJSON ?
			snprintf(t->keys[i], KEY_SLOT, "%c\"%s\":", i ? ',' : '{', cols[i]) :
			snprintf(t->keys[i], KEY_SLOT, "%s", i ? "," : "");
		t->keylen[i] = (uint8_t)n;
	}
	if (format == EXPORT_CSV) {
		for (size_t i = 0; i < ncols; i++) {
			if (i)
				pbuf_put(&t->buf, ",", 1);
			pbuf_put(&t->buf, cols[i], strlen(cols[i]));
		}
		pbuf_put(&t->buf, "\n", 1);
	}
}

static void field_start(struct table *t)
{
	/* the whole slot is copied (a fixed size is faster), its length kept */
	uint8_t *p = pbuf_room(&t->buf, KEY_SLOT);

	if (p) {
		memcpy(p, t->keys[t->col], KEY_SLOT);
		t->buf.len += t->keylen[t->col];
	}
	t->col++;
}

static void field_u64(struct table *t, uint64_t v)
{
	field_start(t);
	pbuf_decimal(&t->buf, v, 0);
}

static void field_s64(struct table *t, int64_t v)
{
	field_start(t);
	pbuf_decimal(&t->buf, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

static void field_str(struct table *t, const char *s, size_t len)
{
	uint8_t *p;

	field_start(t);
	if (!(p = pbuf_room(&t->buf, ESCAPE_MAX(len))))
		return;
	t->buf.len += t->format == EXPORT_NDJSON ? escape_json_to((char *)p, s, len) :
						   escape_csv_to((char *)p, s, len);
}

/* A string of ipctrace's own (a kind, a type, a direction): plain ASCII,
 * quoted in both formats, not escaped. */
static void field_name(struct table *t, const char *s)
{
	size_t n = strlen(s);
	uint8_t *p;

	field_start(t);
	if (!(p = pbuf_room(&t->buf, n + 2)))
		return;
	p[0] = '"';
	memcpy(p + 1, s, n);
	p[n + 1] = '"';
	t->buf.len += n + 2;
}

static void field_cstr(struct table *t, const char *s, size_t max)
{
	field_str(t, s, escape_strnlen(s, max));
}

static void field_bool(struct table *t, bool v)
{
	field_start(t);
	pbuf_put(&t->buf, v ? "true" : "false", v ? 4 : 5);
}

static void row_end(struct table *t)
{
	pbuf_put(&t->buf, t->format == EXPORT_NDJSON ? "}\n" : "\n",
		 t->format == EXPORT_NDJSON ? 2 : 1);
	t->col = 0;
	if (t->buf.len >= FLUSH_AT)
		pbuf_flush(&t->buf, t->out);
}

/* ---- what the rows say ---- */

static const char *host_of(const struct viz_model *m, uint32_t pid)
{
	const struct trace_host *h = viz_model_host(m, pid);

	return h ? h->name : m->meta.host;
}

static uint32_t native_pid(const struct viz_model *m, uint32_t pid)
{
	return m->meta.nhosts ? pid & TRACE_HOST_PID_MASK : pid;
}

/* Two columns: PID's host and its pid on that host. */
static void field_host_pid(struct table *t, const struct viz_model *m, uint32_t pid)
{
	field_cstr(t, host_of(m, pid), sizeof(m->meta.host));
	field_u64(t, native_pid(m, pid));
}

/* A channel's host: the label its id is qualified with in a merged trace
 * ("web1/pipe:0:42"), "" for a channel joined across hosts; the trace's
 * host otherwise. */
static void field_channel_host(struct table *t, const struct viz_model *m,
			       const struct viz_object *o)
{
	const char *slash = strchr(o->id, '/');

	if (!m->meta.nhosts)
		field_cstr(t, m->meta.host, sizeof(m->meta.host));
	else
		field_str(t, o->id, slash ? (size_t)(slash - o->id) : 0);
}

static const char *op_type_name(uint8_t type)
{
	static const char *const names[] = {
		[VIZ_OP_IO] = "io", [VIZ_OP_MSG] = "msg", [VIZ_OP_SEM] = "sem",
		[VIZ_OP_SIG_SEND] = "signal_send", [VIZ_OP_SIG_GENERATE] = "signal_generate",
		[VIZ_OP_SIG_DELIVER] = "signal_deliver",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "other";
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const process_cols[] = {
	"host", "pid", "ppid", "comm", "exec", "start_ns", "end_ns",
	"exited", "exit_status",
};

static const char *const channel_cols[] = {
	"host", "channel", "kind", "name", "users", "sent_bytes", "received_bytes",
	"unmatched_bytes", "unmatched_messages", "one_sided",
};

static const char *const operation_cols[] = {
	"host", "op", "ts_ns", "ts_wall_ns", "duration_ns", "pid", "tid", "channel",
	"kind", "type", "dir", "syscall", "ret", "bytes",
};

static const char *const transfer_cols[] = {
	"channel", "send_op", "recv_op", "bytes", "from_host", "from_pid",
	"to_host", "to_pid", "send_ts_ns", "recv_ts_ns", "latency_ns",
};

static const char *const flow_cols[] = {
	"host", "channel", "kind", "from_host", "from_pid", "to_host", "to_pid",
	"messages", "bytes",
};

static void process_rows(struct table *t, const struct viz_model *m, uint64_t base)
{
	for (size_t i = 0; i < m->nprocesses; i++) {
		const struct viz_process *p = &m->processes[i];

		field_host_pid(t, m, p->pid);
		field_u64(t, native_pid(m, p->ppid));
		field_cstr(t, p->comm, sizeof(p->comm));
		field_cstr(t, p->exec_path, sizeof(p->exec_path));
		field_u64(t, p->start_ns);
		field_u64(t, p->end_ns);
		field_bool(t, p->exited);
		field_s64(t, p->exit_status);
		row_end(t);
	}
}

static void channel_rows(struct table *t, const struct viz_model *m, uint64_t base)
{
	for (size_t i = 0; i < m->nobjects; i++) {
		const struct viz_object *o = &m->objects[i];

		field_channel_host(t, m, o);
		field_cstr(t, o->id, sizeof(o->id));
		field_name(t, viz_kind_name(o->kind));
		field_cstr(t, o->name, sizeof(o->name));
		field_u64(t, o->nusers);
		field_u64(t, o->sent_bytes);
		field_u64(t, o->received_bytes);
		field_u64(t, o->unmatched_bytes);
		field_u64(t, o->unmatched_msgs);
		field_bool(t, o->one_sided);
		row_end(t);
	}
}

/* The row of op OP, numbered ID. */
static void operation_row(struct table *t, const struct viz_model *m, const struct viz_op *op,
			  uint64_t id)
{
	const struct viz_object *o = &m->objects[op->object];

	field_cstr(t, host_of(m, op->pid), sizeof(m->meta.host));
	field_u64(t, id);
	field_u64(t, op->ts_ns);
	field_u64(t, m->meta.start_realtime_ns + op->ts_ns);
	field_u64(t, op->duration_ns);
	field_u64(t, native_pid(m, op->pid));
	field_u64(t, native_pid(m, op->tid));
	field_cstr(t, o->id, sizeof(o->id));
	field_name(t, viz_kind_name(o->kind));
	field_name(t, op_type_name(op->type));
	field_name(t, op->dir == IPCT_DIR_SEND ? "send" : "recv");
	field_u64(t, op->syscall);
	field_s64(t, op->ret);
	field_u64(t, op->type == VIZ_OP_IO || op->type == VIZ_OP_MSG ?
		  (op->ret > 0 ? (uint64_t)op->ret : 0) : 0);
	row_end(t);
}

/* The row of BYTES from send S (numbered SEND) to receive R (its ts_ns
 * and pid; numbered RECV). */
static void transfer_row(struct table *t, const struct viz_model *m, const struct viz_op *s,
			 uint64_t send, const struct viz_op *r, uint64_t recv, uint64_t bytes)
{
	field_cstr(t, m->objects[s->object].id, sizeof(m->objects[0].id));
	field_u64(t, send);
	field_u64(t, recv);
	field_u64(t, bytes);
	field_host_pid(t, m, s->pid);
	field_host_pid(t, m, r->pid);
	field_u64(t, s->ts_ns);
	field_u64(t, r->ts_ns);
	field_s64(t, (int64_t)(r->ts_ns - viz_op_begin(s)));
	row_end(t);
}

/* M's ops and transfers, their ops numbered from BASE. */
static void operation_rows(struct table *t, const struct viz_model *m, uint64_t base)
{
	for (size_t i = 0; i < m->nops; i++)
		operation_row(t, m, &m->ops[i], base + i);
}

static void transfer_rows(struct table *t, const struct viz_model *m, uint64_t base)
{
	for (size_t i = 0; i < m->ntransfers; i++) {
		const struct viz_transfer *x = &m->transfers[i];
		transfer_row(t, m, &m->ops[x->send], base + x->send, &m->ops[x->recv],
			     base + x->recv, x->bytes);
	}
}

static void flow_rows(struct table *t, const struct viz_model *m, uint64_t base)
{
	for (size_t i = 0; i < m->nflows; i++) {
		const struct viz_flow *fl = &m->flows[i];
		const struct viz_object *o = &m->objects[fl->object];

		field_cstr(t, host_of(m, fl->from), sizeof(m->meta.host));
		field_cstr(t, o->id, sizeof(o->id));
		field_name(t, viz_kind_name(o->kind));
		field_host_pid(t, m, fl->from);
		field_host_pid(t, m, fl->to);
		field_u64(t, fl->messages);
		field_u64(t, fl->bytes);
		row_end(t);
	}
}

/* The tables, in the order export_tables writes them (the streamed
 * ones at T_OPERATIONS and T_TRANSFERS).  The streamed
 * export writes the STREAMED ones while it reads, the others after. */
static const struct table_def {
	const char *name;
	const char *const *cols;
	size_t ncols;
	void (*rows)(struct table *t, const struct viz_model *m, uint64_t base);
	bool streamed;
} tables[] = {
	{ "processes", process_cols, ARRAY_SIZE(process_cols), process_rows, false },
	{ "channels", channel_cols, ARRAY_SIZE(channel_cols), channel_rows, false },
	{ "operations", operation_cols, ARRAY_SIZE(operation_cols), operation_rows, true },
	{ "transfers", transfer_cols, ARRAY_SIZE(transfer_cols), transfer_rows, true },
	{ "flows", flow_cols, ARRAY_SIZE(flow_cols), flow_rows, false },
};
enum { T_OPERATIONS = 2, T_TRANSFERS = 3 };

/* Create table D's file in DIRFD and begin it in T (*FAILED names the
 * file). */
static int table_open(int dirfd, const struct table_def *d, enum export_format format,
		      struct table *t, const char **failed)
{
	static char files[ARRAY_SIZE(tables)][32];     /* outlive T, for *FAILED */
	char *file = files[d - tables];
	FILE *out;

	snprintf(file, sizeof(files[0]), "%s.%s", d->name, format == EXPORT_CSV ? "csv" : "ndjson");
	*failed = file;
	int fd = openat(dirfd, file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	out = fdopen(fd, "w");
	if (!out) {
		int err = -errno;
		close(fd);
		return err;
	}
	errno = 0;
	table_begin(t, out, format, d->cols, d->ncols);
	t->file = file;
	return 0;
}

/* Write out and close T's file (when open). */
static int table_close(struct table *t)
{
	int err;

	if (!t->out)
		return 0;
	err = pbuf_flush(&t->buf, t->out);
	if (!err && (fflush(t->out) || ferror(t->out)))
		err = -(errno ? errno : EIO);
	if (fclose(t->out) && !err)
		err = -errno;
	t->out = NULL;
	pbuf_release(&t->buf);
	return err;
}

/* Write table D of M into its file in DIRFD (*FAILED names the file). */
static int write_table(int dirfd, const struct table_def *d, const struct viz_model *m,
		       enum export_format format, const char **failed)
{
	struct table t;
	int err = table_open(dirfd, d, format, &t, failed);

	if (err)
		return err;
	d->rows(&t, m, 0);
	return table_close(&t);
}

int export_tables(const struct viz_model *m, int dirfd, enum export_format format,
		  const char **failed)
{
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		int err = write_table(dirfd, &tables[i], m, format, failed);

		if (err)
			return err;
	}
	*failed = NULL;
	return 0;
}
/* ---- streamed ---- */

/* What the streaming export writes as the stream hands the calls over. */
struct export_pass {
	struct table ops, transfers;
	uint64_t nstreamed;             /* streamed ops: the kept ones are numbered after */
};

static int on_op(void *ctx, const struct viz_model *m, const struct viz_op *op, uint64_t seq)
{
	struct export_pass *x = ctx;

	operation_row(&x->ops, m, op, seq);
	if (seq + 1 > x->nstreamed)
		x->nstreamed = seq + 1;         /* time order is not file order */
	return x->ops.buf.err;
}

static int on_transfer(void *ctx, const struct viz_model *m, const struct viz_op *send,
		       uint64_t send_seq, const struct viz_op *recv, uint64_t recv_seq,
		       uint64_t bytes)
{
	struct export_pass *x = ctx;

	transfer_row(&x->transfers, m, send, send_seq, recv, recv_seq, bytes);
	return x->transfers.buf.err;
}

int export_tables_file(const char *path, int dirfd, enum export_format format,
		       const char **failed)
{
	struct export_pass x = { 0 };
	struct stream_sink sink = { &x, on_op, on_transfer };
	struct viz_model m;
	int err;

	memset(&m, 0, sizeof(m));
	if ((err = table_open(dirfd, &tables[T_OPERATIONS], format, &x.ops, failed)) ||
	    (err = table_open(dirfd, &tables[T_TRANSFERS], format, &x.transfers, failed)))
		goto out;
	*failed = NULL;
	if ((err = stream_load(&m, path, &sink))) {
		/* a write that failed stopped the stream: name its file */
		if (x.ops.buf.err || x.transfers.buf.err)
			*failed = x.ops.buf.err ? x.ops.file : x.transfers.file;
		goto out;
	}
	/* the calls the stream kept, numbered after the streamed ones */
	operation_rows(&x.ops, &m, x.nstreamed);
	transfer_rows(&x.transfers, &m, x.nstreamed);
	*failed = x.ops.file;
	err = table_close(&x.ops);
	*failed = x.transfers.file;
	if (!err)
		err = table_close(&x.transfers);
	for (size_t i = 0; !err && i < ARRAY_SIZE(tables); i++)
		if (!tables[i].streamed)
			err = write_table(dirfd, &tables[i], &m, format, failed);
	if (!err)
		*failed = NULL;
out:
	table_close(&x.ops);
	table_close(&x.transfers);
	viz_model_release(&m);
	return err;
}
