/*
 * palette - the colours and names every picture shares (palette.h): the
 * timeline's CSS and arrow heads from viz_kind_styles, and the one name
 * of each call.
 */
#include <string.h>
#include "../lib/syscall_names.h"
#include "palette.h"

enum ipct_kind viz_op_kind(const struct viz_model *m, const struct viz_op *op)
{
	return op->object < m->nobjects ? m->objects[op->object].kind : IPCT_KIND_NONE;
}

void viz_palette_css(FILE *out)
{
	for (int k = 0; k < IPCT_KIND_MAX; k++) {
		const struct viz_kind_style *st = viz_kind_style(k);
		const char *name = k ? viz_kind_name(k) : "none";

		fprintf(out, ".k-%s { stroke: %s; marker-end: url(#ah-%s); }\n"
			".c-%s { fill: %s; stroke: %s; stroke-width: 0.5; }\n",
			name, st->line, name, name, st->block, st->line);
	}
}

void viz_palette_markers(FILE *out)
{
	fputs("<defs>", out);
	for (int k = 0; k < IPCT_KIND_MAX; k++)
		fprintf(out, "<marker id=\"ah-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			"markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" "
			"orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>",
			k ? viz_kind_name(k) : "none", viz_kind_style(k)->line);
	fputs("</defs>\n", out);
}

/* Is SYSCALL the futex call (a process-shared futex recorded as a sem op)? */
static bool is_futex(const struct viz_op *op)
{
	const char *name = ipct_syscall_name(op->syscall);

	return name && !strcmp(name, "futex");
}

const char *viz_op_call_name(const struct viz_model *m, const struct viz_op *op,
			     char *buf, size_t size)
{
	bool send = op->dir == IPCT_DIR_SEND;
	const char *call = ipct_syscall_name(op->syscall);
	char sig[32];

	(void)m;
	switch (op->type) {
	case VIZ_OP_SEM:
		if (is_futex(op))
			return send ? "futex wake" : "futex wait";
		return send ? "semop V" : "semop P";
	case VIZ_OP_SIG_SEND:
		return viz_concat3(buf, size, call ? call : "kill", " ",
				   viz_signal_name(op->u.sig.sig, sig, sizeof(sig)));
	case VIZ_OP_SIG_GENERATE:
		return viz_concat3(buf, size, "signal", " ",
				   viz_signal_name(op->u.sig.sig, sig, sizeof(sig)));
	case VIZ_OP_SIG_DELIVER:
		return viz_concat3(buf, size, (op->flags & 0xff) == IPCT_SIGACT_WAITED ?
				   "sigwait" : "deliver", " ",
				   viz_signal_name(op->u.sig.sig, sig, sizeof(sig)));
	case VIZ_OP_MSG:
		if (call)
			return call;
		if (op->u.msg.posix)
			return send ? "mq_send" : "mq_receive";
		return send ? "msgsnd" : "msgrcv";
	default:
		/* 0 is read(2): a send with no call recorded is not one */
		if (call && (op->syscall != 0 || !send))
			return call;
		return send ? "write" : "read";
	}
}

const char *viz_op_block_label(const struct viz_model *m, const struct viz_op *op,
			       char *buf, size_t size)
{
	char call[64];
	const char *name = viz_op_call_name(m, op, call, sizeof(call));

	if (op->type == VIZ_OP_SEM && op->dir == IPCT_DIR_RECV && !is_futex(op))
		snprintf(buf, size, "waiting in %s", name);
	else if (op->type == VIZ_OP_SIG_SEND)   /* the call, whatever the signal */
		snprintf(buf, size, "in %s", ipct_syscall_name(op->syscall) ?
			 ipct_syscall_name(op->syscall) : "kill");
	else if (op->type == VIZ_OP_SIG_DELIVER)
		snprintf(buf, size, "in sigwait");
	else
		snprintf(buf, size, "in %s", name);
	return buf;
}

const char *viz_blocked_call_name(uint16_t syscall)
{
	const char *name = ipct_syscall_name(syscall);

	return name && syscall ? name : "a wait";
}

const char *viz_blocked_label(uint16_t syscall, unsigned kind, char *buf, size_t size)
{
	if (kind != IPCT_KIND_NONE && kind < IPCT_KIND_MAX)
		snprintf(buf, size, "in %s (%s)", viz_blocked_call_name(syscall), viz_kind_name(kind));
	else
		snprintf(buf, size, "in %s", viz_blocked_call_name(syscall));
	return buf;
}
