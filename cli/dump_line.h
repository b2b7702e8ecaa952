/*
 * dump_line - one event of `trace dump` as a call, its arguments and its
 * result, written either the way strace writes a line
 * (`write(4<pipe:[45991]>, "x", 1) = 1 <0.000012>`) or as one JSON object
 * (`--json`).  cmd_dump.c fills a line per event; this renders it.
 */
#ifndef IPCTRACE_CLI_DUMP_LINE_H
#define IPCTRACE_CLI_DUMP_LINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DUMP_MAX_ARGS 56         /* a wait: 3 per descriptor kept, and 8 more */
#define DUMP_WORD_LEN 512

enum dump_arg_type {
	DUMP_NUM,       /* a signed number */
	DUMP_HEX,       /* an address or key: 0x... */
	DUMP_WORD,      /* text of our own making: decoded flags, names */
	DUMP_BYTES,     /* bytes from the traced system: quoted and escaped */
	DUMP_FD,        /* a descriptor and what it is: 3<pipe:[45991]> */
};

struct dump_arg {
	const char *key;          /* its JSON name */
	enum dump_arg_type type;
	long long num;            /* NUM, HEX, FD */
	const char *bytes;        /* BYTES: the bytes; FD: its description (may be NULL) */
	size_t len;
	bool cut;                 /* BYTES: more were moved than captured ("...") */
	char open, close;         /* text: '[' before, ']' after (a list of fds), or 0 */
	const char *prefix;       /* text: written before the value ("{fd="), or NULL */
	const char *suffix;       /* text: written after it ("}"), or NULL */
	bool text_only;           /* shown in text ("?"), left out of JSON */
	char word[DUMP_WORD_LEN]; /* WORD */
};

enum dump_form {
	DUMP_CALL,      /* name(args) = ret */
	DUMP_SIGNAL,    /* --- SIGUSR1 {args} --- */
	DUMP_END,       /* +++ killed by SIGPIPE +++ */
	DUMP_RECORD,    /* name key=value...: a record dump has no call for */
};


struct dump_line {
	enum dump_form form;
	char name[64];            /* call name, signal name, or how it ended */
	int nargs;
	int nbefore;              /* args shown inside the parentheses; the rest after the result */
	bool has_ret;
	struct dump_arg ret;      /* NUM (negative: -errno), HEX, or FD */
	bool has_duration;
	uint64_t duration_ns;
	const char *kind;         /* JSON: the kind of object, "none" for lifecycle */
	struct dump_arg args[DUMP_MAX_ARGS]; /* last: dump_line_init() clears what is before */
};

/* Start LINE of FORM named NAME. */
void dump_line_init(struct dump_line *line, enum dump_form form, const char *name);
/* Add an argument; returns it for its value (NULL when full). */
struct dump_arg *dump_arg_num(struct dump_line *line, const char *key, long long num);
struct dump_arg *dump_arg_hex(struct dump_line *line, const char *key, unsigned long long num);
struct dump_arg *dump_arg_word(struct dump_line *line, const char *key, const char *word);
struct dump_arg *dump_arg_bytes(struct dump_line *line, const char *key, const void *bytes,
				size_t len, bool cut);
struct dump_arg *dump_arg_fd(struct dump_line *line, const char *key, long long fd,
			     const char *desc);
/* What follows the result (`= 3 comm="sh"`): the args added from now on. */
void dump_line_after(struct dump_line *line);
/* The result: a number (negative: -errno), an address, or a new fd. */
void dump_ret_num(struct dump_line *line, long long ret);
void dump_ret_hex(struct dump_line *line, unsigned long long ret);
void dump_ret_fd(struct dump_line *line, long long fd, const char *desc);
void dump_duration(struct dump_line *line, uint64_t ns);
/* dump_ret_num and dump_duration: a call's result and its time. */
void dump_ret_timed(struct dump_line *line, long long ret, uint64_t ns);

/* Write LINE after "TIME PID/TID ", as strace does. */
void dump_line_text(FILE *out, const struct dump_line *line, double t, uint32_t pid, uint32_t tid);
/* Write LINE as one JSON object and a newline. */
void dump_line_json(FILE *out, const struct dump_line *line, double t, uint32_t pid, uint32_t tid);

#endif
