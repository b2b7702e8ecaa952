/*
 * filter - what part of a trace the reading commands show (docs/filters.md).
 *
 * One filter serves report, graph, timeline, perfetto and dump:
 *   pids      --pid PID[,PID...]    these processes (--children: and their
 *                                   descendants)
 *   comms     --comm NAME           processes whose comm is NAME
 *   kinds     --kind KINDS          pipe,unix...; "!file,shm" keeps all but those
 *   channels  --channel ID          one channel by its report id ("pipe:0:123")
 *   window    --window FROM,TO      times relative to the command's start
 *                                   ("2.5ms,1s", either side may be empty)
 *   all       --all                 draw what the pictures fold by default
 *
 * The viz_filter_set_* parsers take the option's argument and return 0 or
 * -EINVAL.  viz_model_filter() applies a filter to a loaded model: what is
 * left is an ordinary model, so every output reads it unchanged.  A
 * transfer is kept when its channel and both its ends pass the kind,
 * channel and window tests and at least one end belongs to a selected
 * process; the other end's process is then kept as its peer.
 *
 * Library code: returns 0 or a negative errno, never prints.
 */
#ifndef IPCTRACE_VIZ_FILTER_H
#define IPCTRACE_VIZ_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

struct viz_filter {
	uint32_t *pids; size_t npids;   /* --pid */
	bool children;                  /* --children: descendants of pids and comms too */
	char **comms; size_t ncomms;    /* --comm (any of them) */
	uint32_t kinds;                 /* bit per enum ipct_kind kept; 0: every kind */
	char **channels; size_t nchannels; /* --channel ids (any of them) */
	bool window;                    /* --window given */
	uint64_t from_ns, to_ns;        /* relative to the command's start; to UINT64_MAX: open */
	bool all;                       /* --all: show what the pictures fold */

	/* filled by viz_filter_resolve() against a model */
	uint32_t *selected; size_t nselected; /* pids chosen by pids/comms, ascending */
	bool by_process;                /* pids or comms were given */
	uint64_t window_from, window_to;/* the window in model time (since trace start) */
};

void viz_filter_init(struct viz_filter *f);
void viz_filter_release(struct viz_filter *f);
/* True when anything but --all is set: the model must be filtered. */
bool viz_filter_active(const struct viz_filter *f);

/* Parsers of the option arguments (they add to what is there). */
int viz_filter_add_pids(struct viz_filter *f, const char *list);
int viz_filter_add_comm(struct viz_filter *f, const char *name);
int viz_filter_set_kinds(struct viz_filter *f, const char *list);
int viz_filter_add_channel(struct viz_filter *f, const char *id);
int viz_filter_set_window(struct viz_filter *f, const char *spec);
/* "2.5ms", "10us", "3s", "1500ns", "0.25" (seconds) into *NS; -EINVAL. */
int viz_parse_duration(const char *s, uint64_t *ns);

/* Work out the selected pids and the window's model times on M. */
int viz_filter_resolve(struct viz_filter *f, const struct viz_model *m);
/* Keep in M only what F selects (resolving F on M first). 0 or -ENOMEM. */
int viz_model_filter(struct viz_model *m, struct viz_filter *f);

/* For `trace dump`: does event EV pass F?  M is the model of the same
 * trace already cut by viz_model_filter(M, F).  Lifecycle events pass on
 * their pid and time alone (and not at all under --channel). */
bool viz_filter_event(const struct viz_filter *f, const struct viz_model *m,
		      const struct ipct_event_header *ev);

#endif /* IPCTRACE_VIZ_FILTER_H */
