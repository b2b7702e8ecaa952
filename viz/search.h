/*
 * search - the binary search viz/ runs over its sorted arrays.
 */
#ifndef IPCTRACE_VIZ_SEARCH_H
#define IPCTRACE_VIZ_SEARCH_H

#include <stddef.h>

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

#endif
