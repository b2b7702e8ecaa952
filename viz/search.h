/*
 * search - the order viz/ sorts its arrays by, and the binary search it
 * runs over them.
 */
#ifndef IPCTRACE_VIZ_SEARCH_H
#define IPCTRACE_VIZ_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* -1, 0 or 1 as A sorts before, with or after B: one key of a qsort
 * comparator.  Keys chain with ?: (the first that differs decides):
 * `return VIZ_ORDER(x->pid, y->pid) ?: VIZ_ORDER(x->ts, y->ts);`, and a
 * key sorts high first as VIZ_ORDER(y->k, x->k).  A and B are read twice. */
#define VIZ_ORDER(a, b) (((a) > (b)) - ((a) < (b)))

/* The first index I in [LO, HI) for which BELOW, an expression of I, is
 * false (HI when there is none); BELOW must hold for a prefix of the range
 * and not after it, as "element I sorts before the key" does. */
#define VIZ_PARTITION(lo, hi, i, below) ({				\
	size_t lo_ = (lo), hi_ = (hi);					\
	while (lo_ < hi_) {						\
		size_t i = lo_ + (hi_ - lo_) / 2;			\
		if (below)						\
			lo_ = i + 1;					\
		else							\
			hi_ = i;					\
	}								\
	lo_;								\
})

/* VIZ_PARTITION's index, sought from LO upward in steps that double: a
 * few reads when it lies near LO, twice the binary search's at worst. */
#define VIZ_GALLOP(lo, hi, i, below) ({					\
	size_t glo_ = (lo), ghi_ = (hi), gstep_ = 1;			\
	for (; glo_ + gstep_ <= ghi_; gstep_ *= 2) {			\
		size_t i = glo_ + gstep_ - 1;				\
		if (!(below))						\
			break;						\
		glo_ = i + 1;						\
	}								\
	VIZ_PARTITION(glo_, glo_ + gstep_ - 1 < ghi_ ? glo_ + gstep_ - 1 : ghi_, i, below); \
})

/* An index into an array, found by pid in a table sorted by
 * viz_pid_index_compare: perfetto's processes, the timeline's lanes. */
struct viz_pid_index {
	uint32_t pid;
	uint32_t index;
};

static inline int viz_pid_index_compare(const void *a, const void *b)
{
	const struct viz_pid_index *x = a, *y = b;

	return VIZ_ORDER(x->pid, y->pid);
}

/* The entry of PID among the N sorted entries at V, or NULL. */
static inline struct viz_pid_index *viz_pid_index_find(const struct viz_pid_index *v, size_t n,
							uint32_t pid)
{
	struct viz_pid_index key = { .pid = pid };

	return bsearch(&key, v, n, sizeof(key), viz_pid_index_compare);
}

#endif
