/*
 * dump_line - render one dump line as strace text or as JSON (see
 * dump_line.h).  Bytes from the traced system go through the escapers of
 * viz/escape.h only.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "dump_line.h"
#include "viz/decode.h"
#include "viz/escape.h"

void dump_line_init(struct dump_line *line, enum dump_form form, const char *name)
{
	memset(line, 0, offsetof(struct dump_line, args));	/* add() clears each arg */
	line->form = form;
	line->nbefore = -1;
	snprintf(line->name, sizeof(line->name), "%s", name);
}

static struct dump_arg *add(struct dump_line *line, const char *key, enum dump_arg_type type)
{
	struct dump_arg *a;

	if (line->nargs >= DUMP_MAX_ARGS)
		return NULL;
	a = &line->args[line->nargs++];
	memset(a, 0, sizeof(*a));
	a->key = key;
	a->type = type;
	return a;
}

struct dump_arg *dump_arg_num(struct dump_line *line, const char *key, long long num)
{
	struct dump_arg *a = add(line, key, DUMP_NUM);

	if (a)
		a->num = num;
	return a;
}

struct dump_arg *dump_arg_hex(struct dump_line *line, const char *key, unsigned long long num)
{
	struct dump_arg *a = add(line, key, DUMP_HEX);

	if (a)
		a->num = (long long)num;
	return a;
}

struct dump_arg *dump_arg_word(struct dump_line *line, const char *key, const char *word)
{
	struct dump_arg *a = add(line, key, DUMP_WORD);

	if (a)
		snprintf(a->word, sizeof(a->word), "%s", word);
	return a;
}

struct dump_arg *dump_arg_bytes(struct dump_line *line, const char *key, const void *bytes,
				size_t len, bool cut)
{
	struct dump_arg *a = add(line, key, DUMP_BYTES);

	if (a) {
		a->bytes = bytes;
		a->len = len;
		a->cut = cut;
	}
	return a;
}

struct dump_arg *dump_arg_fd(struct dump_line *line, const char *key, long long fd, const char *desc)
{
	struct dump_arg *a = add(line, key, DUMP_FD);

	if (a) {
		a->num = fd;
		a->bytes = desc;
		a->len = desc ? strlen(desc) : 0;
	}
	return a;
}

void dump_line_after(struct dump_line *line)
{
	line->nbefore = line->nargs;
}

void dump_ret_num(struct dump_line *line, long long ret)
{
	line->has_ret = true;
	line->ret.type = DUMP_NUM;
	line->ret.num = ret;
}

void dump_ret_hex(struct dump_line *line, unsigned long long ret)
{
	line->has_ret = true;
	line->ret.type = (long long)ret < 0 && (long long)ret > -4096 ? DUMP_NUM : DUMP_HEX;
	line->ret.num = (long long)ret;
}

void dump_ret_fd(struct dump_line *line, long long fd, const char *desc)
{
	line->has_ret = true;
	line->ret.type = fd >= 0 ? DUMP_FD : DUMP_NUM;
	line->ret.num = fd;
	line->ret.bytes = desc;
	line->ret.len = desc ? strlen(desc) : 0;
}

void dump_duration(struct dump_line *line, uint64_t ns)
{
	line->has_duration = true;
	line->duration_ns = ns;
}

void dump_ret_timed(struct dump_line *line, long long ret, uint64_t ns)
{
	dump_ret_num(line, ret);
	dump_duration(line, ns);
}

/* ---- text, as strace ---- */

static void text_value(FILE *out, const struct dump_arg *a)
{
	switch (a->type) {
	case DUMP_NUM:
		fprintf(out, "%lld", a->num);
		break;
	case DUMP_HEX:
		fprintf(out, "%#llx", (unsigned long long)a->num);
		break;
	case DUMP_WORD:
		fputs(a->word, out);
		break;
	case DUMP_BYTES:
		fputc('"', out);
		for (size_t i = 0; i < a->len; i++) {
			if (a->bytes[i] == '"')
				fputs("\\\"", out);
			else
				escape_text(out, a->bytes + i, 1);
		}
		fputs(a->cut ? "\"..." : "\"", out);
		break;
	case DUMP_FD:
		fprintf(out, "%lld", a->num);
		if (a->len) {
			fputc('<', out);
			escape_text(out, a->bytes, a->len);
			fputc('>', out);
		}
		break;
	}
}

static void text_args(FILE *out, const struct dump_arg *args, int from, int to, const char *sep,
		      bool keys)
{
	for (int i = from; i < to; i++) {
		if (i > from)
			fputs(sep, out);
		if (keys)
			fprintf(out, "%s=", args[i].key);
		if (args[i].open)
			fputc(args[i].open, out);
		if (args[i].prefix)
			fputs(args[i].prefix, out);
		text_value(out, &args[i]);
		if (args[i].suffix)
			fputs(args[i].suffix, out);
		if (args[i].close)
			fputc(args[i].close, out);
	}
}

static void text_ret(FILE *out, const struct dump_arg *ret)
{
	if (ret->type == DUMP_NUM && ret->num < 0 && ret->num > -4096) {
		const char *name = decode_errno_name((int)-ret->num);

		if (name)
			fprintf(out, "-1 %s (%s)", name, strerror((int)-ret->num));
		else
			fprintf(out, "-1 errno %lld", -ret->num);
		return;
	}
	text_value(out, ret);
}

void dump_line_text(FILE *out, const struct dump_line *line, double t, uint32_t pid, uint32_t tid)
{
	int before = line->nbefore < 0 ? line->nargs : line->nbefore;

	fprintf(out, "%12.6f %6u/%-6u ", t, pid, tid);
	switch (line->form) {
	case DUMP_CALL:
		fprintf(out, "%s(", line->name);
		text_args(out, line->args, 0, before, ", ", false);
		fputc(')', out);
		if (line->has_ret) {
			fputs(" = ", out);
			text_ret(out, &line->ret);
		}
		break;
	case DUMP_SIGNAL:
		fprintf(out, "--- %s {", line->name);
		text_args(out, line->args, 0, before, ", ", true);
		fputs("} ---", out);
		break;
	case DUMP_END:
		fprintf(out, "+++ %s +++", line->name);
		break;
	case DUMP_RECORD:
		fputs(line->name, out);
		break;
	}
	if (before < line->nargs) {
		fputc(' ', out);
		text_args(out, line->args, before, line->nargs, " ", true);
	}
	if (line->has_duration)
		fprintf(out, " <%.6f>", line->duration_ns / 1e9);
	fputc('\n', out);
}

/* ---- JSON, one object per line ---- */

static void json_value(FILE *out, const struct dump_arg *a)
{
	switch (a->type) {
	case DUMP_NUM:
	case DUMP_FD:
		fprintf(out, "%lld", a->num);
		break;
	case DUMP_HEX:
		fprintf(out, "\"%#llx\"", (unsigned long long)a->num);
		break;
	case DUMP_WORD:
		escape_json(out, a->word, strlen(a->word));
		break;
	case DUMP_BYTES:
		escape_json(out, a->bytes, a->len);
		break;
	}
}

static void json_fd_name(FILE *out, const char *key, const struct dump_arg *a)
{
	if (a->type == DUMP_FD && a->len) {
		fprintf(out, ",\"%s_name\":", key);
		escape_json(out, a->bytes, a->len);
	}
	if (a->type == DUMP_BYTES && a->cut)
		fprintf(out, ",\"%s_cut\":true", key);
}

void dump_line_json(FILE *out, const struct dump_line *line, double t, uint32_t pid, uint32_t tid)
{
	static const char *const forms[] = { "call", "signal", "end", "record" };

	fprintf(out, "{\"time\":%.9f,\"pid\":%u,\"tid\":%u,\"event\":\"%s\",\"name\":", t, pid, tid,
		forms[line->form]);
	escape_json(out, line->name, strlen(line->name));
	if (line->kind)
		fprintf(out, ",\"kind\":\"%s\"", line->kind);
	fputs(",\"args\":{", out);
	for (int i = 0, n = 0; i < line->nargs; i++) {
		if (line->args[i].text_only)
			continue;
		fprintf(out, "%s\"%s\":", n++ ? "," : "", line->args[i].key);
		json_value(out, &line->args[i]);
		json_fd_name(out, line->args[i].key, &line->args[i]);
	}
	fputc('}', out);
	if (line->has_ret) {
		fputs(",\"ret\":", out);
		json_value(out, &line->ret);
		json_fd_name(out, "ret", &line->ret);
		if (line->ret.type == DUMP_NUM && line->ret.num < 0 && line->ret.num > -4096 &&
		    decode_errno_name((int)-line->ret.num))
			fprintf(out, ",\"errno\":\"%s\"", decode_errno_name((int)-line->ret.num));
	}
	if (line->has_duration)
		fprintf(out, ",\"duration_ns\":%llu", (unsigned long long)line->duration_ns);
	fputs("}\n", out);
}
