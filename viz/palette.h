/*
 * palette - one colour, one shape and one name per kind, for every picture
 * and the Perfetto export (the name is viz_kind_name()).
 */
#ifndef IPCTRACE_VIZ_PALETTE_H
#define IPCTRACE_VIZ_PALETTE_H

#include "model.h"

struct viz_kind_style {
	const char *shape;      /* Graphviz node shape */
	const char *fill;       /* node fill */
	const char *line;       /* node border, edges, timeline arrows */
};

static const struct viz_kind_style viz_kind_styles[IPCT_KIND_MAX] = {
	[IPCT_KIND_NONE]   = { "ellipse",  "#eeeeee", "#777777" },
	[IPCT_KIND_PIPE]   = { "cds",      "#d5f5e3", "#1e8449" },
	[IPCT_KIND_FIFO]   = { "cds",      "#fcf3cf", "#b7950b" },
	[IPCT_KIND_FILE]   = { "note",     "#fdedec", "#a93226" },
	[IPCT_KIND_MSGQ]   = { "box3d",    "#e8daef", "#6c3483" },
	[IPCT_KIND_SHM]    = { "folder",   "#d6eaf8", "#1f618d" },
	[IPCT_KIND_SEM]    = { "octagon",  "#fae5d3", "#a04000" },
	[IPCT_KIND_SIGNAL] = { "diamond",  "#f9ebea", "#922b21" },
	[IPCT_KIND_UNIX]   = { "hexagon",  "#d1f2eb", "#117864" },
	[IPCT_KIND_TCP]    = { "hexagon",  "#ebf5fb", "#2471a3" },
	[IPCT_KIND_UDP]    = { "hexagon",  "#fef9e7", "#9a7d0a" },
};

static inline const struct viz_kind_style *viz_kind_style(unsigned kind)
{
	return kind < IPCT_KIND_MAX ? &viz_kind_styles[kind] : &viz_kind_styles[0];
}

#endif /* IPCTRACE_VIZ_PALETTE_H */
