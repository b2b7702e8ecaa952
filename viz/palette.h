/*
 * palette - one colour, one shape and one name per kind, and one name per
 * call, for every picture and the Perfetto export.  The graph takes its
 * node shapes and colours from viz_kind_styles; the timeline its CSS and
 * arrow heads from viz_palette_css() and viz_palette_markers(); the
 * timeline's tooltips and legend and Perfetto's slices name calls with
 * viz_op_call_name(); kinds are named by viz_kind_name() everywhere.
 */
#ifndef IPCTRACE_VIZ_PALETTE_H
#define IPCTRACE_VIZ_PALETTE_H

#include <stdio.h>
#include "model.h"

struct viz_kind_style {
	const char *shape;      /* Graphviz node shape */
	const char *fill;       /* node fill */
	const char *line;       /* node border, edges, timeline arrows */
	const char *block;      /* timeline: time inside a call on this kind */
};

static const struct viz_kind_style viz_kind_styles[IPCT_KIND_MAX] = {
	[IPCT_KIND_NONE]   = { "ellipse",  "#eeeeee", "#777777", "#a6acaf" },
	[IPCT_KIND_PIPE]   = { "cds",      "#d5f5e3", "#1e8449", "#58d68d" },
	[IPCT_KIND_FIFO]   = { "cds",      "#fcf3cf", "#b7950b", "#f4d03f" },
	[IPCT_KIND_FILE]   = { "note",     "#fdedec", "#a93226", "#f1948a" },
	[IPCT_KIND_MSGQ]   = { "box3d",    "#e8daef", "#6c3483", "#bb8fce" },
	[IPCT_KIND_SHM]    = { "folder",   "#d6eaf8", "#1f618d", "#7fb3d5" },
	[IPCT_KIND_SEM]    = { "octagon",  "#fae5d3", "#a04000", "#eb984e" },
	[IPCT_KIND_SIGNAL] = { "diamond",  "#f9ebea", "#922b21", "#e6b0aa" },
	[IPCT_KIND_UNIX]   = { "hexagon",  "#d1f2eb", "#117864", "#48c9b0" },
	[IPCT_KIND_TCP]    = { "hexagon",  "#ebf5fb", "#2471a3", "#85c1e9" },
	[IPCT_KIND_UDP]    = { "hexagon",  "#fef9e7", "#9a7d0a", "#d4ac0d" },
	[IPCT_KIND_EVENTFD] = { "ellipse", "#f4ecf7", "#76448a", "#c39bd3" },
};

static inline const struct viz_kind_style *viz_kind_style(unsigned kind)
{
	return kind < IPCT_KIND_MAX ? &viz_kind_styles[kind] : &viz_kind_styles[0];
}

/* The kind of OP's channel (IPCT_KIND_NONE when out of range). */
enum ipct_kind viz_op_kind(const struct viz_model *m, const struct viz_op *op);

/* CSS for every kind K (its name from viz_kind_name()): `.k-K` strokes an
 * arrow in the kind's line colour and ends it with the head `ah-K`; `.c-K`
 * fills a call block.  Constant text, for svg_style(). */
void viz_palette_css(FILE *out);
/* The <defs> of the arrow heads `ah-K`, one per kind, in its colour. */
void viz_palette_markers(FILE *out);

/* The call of OP as every picture names it: the system call as strace
 * prints it ("read", "recvfrom", "msgrcv", "mq_timedreceive"), "semop P"
 * or "semop V", "futex wait" or "futex wake", "kill SIGUSR1" (the sender),
 * "signal SIGUSR1" (its generation), "deliver SIGUSR1", "sigwait SIGUSR1";
 * "write"/"read" when the record names no call.  Into BUF (>= 48 bytes). */
const char *viz_op_call_name(const struct viz_model *m, const struct viz_op *op,
			     char *buf, size_t size);
/* What a process was doing during OP, for a legend: "waiting in semop P",
 * "in read", "in msgrcv", "in futex wait".  Into BUF (>= 64 bytes). */
const char *viz_op_block_label(const struct viz_model *m, const struct viz_op *op,
			       char *buf, size_t size);

/* A call that blocked without moving data (accept, connect, poll,
 * epoll_wait...) by its SYSCALL as the record gives it: its name ("a
 * wait" when the record names none), and its legend label, "in accept4
 * (tcp)", "in ppoll (pipe)", "in epoll_wait" (KIND IPCT_KIND_NONE). */
const char *viz_blocked_call_name(uint16_t syscall);
const char *viz_blocked_label(uint16_t syscall, unsigned kind, char *buf, size_t size);

#endif /* IPCTRACE_VIZ_PALETTE_H */
