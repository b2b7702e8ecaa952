/*
 * match_file - files: a read gets, for each byte it read, the last write
 * (by return time) that covered that byte before the read returned
 * (docs/matching.md).
 *
 * The file's content is kept as a map of byte ranges to the write that
 * last stored them: a sorted array of disjoint segments [start, end) ->
 * op.  Ops are taken in time order: a write of n bytes at offset o
 * replaces [o, o + n) in the map; a read of n bytes at o reports one
 * transfer per segment that overlaps [o, o + n) (the overlapping bytes),
 * and counts the bytes no traced write covered (content from before the
 * trace, or written through mmap) in unmatched_bytes.  Offsets are the
 * file positions recorded by the tracer (O_APPEND writes included).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "match_internal.h"
#include "search.h"

/* Index of the first segment whose end is after OFFSET. */
static size_t first_after(const struct file_map *f, uint64_t offset)
{
	return VIZ_PARTITION(0, f->n, i, f->seg[i].end <= offset);
}

int file_map_store(struct file_map *f, uint64_t a, uint64_t b, uint32_t ref)
{
	size_t i = first_after(f, a), j = i;
	struct file_segment left = { 0 }, right = { 0 };
	bool has_left = false, has_right = false;

	/* Segments i..j-1 overlap [a, b); keep their parts outside it. */
	while (j < f->n && f->seg[j].start < b)
		j++;
	if (i < j && f->seg[i].start < a) {
		left = f->seg[i];
		left.end = a;
		has_left = true;
	}
	if (i < j && f->seg[j - 1].end > b) {
		right = f->seg[j - 1];
		right.start = b;
		has_right = true;
	}
	size_t add = 1 + has_left + has_right, removed = j - i;
	if (f->n - removed + add > f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		while (ncap < f->n - removed + add)
			ncap *= 2;
		struct file_segment *ns = realloc(f->seg, ncap * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		f->seg = ns;
		f->cap = ncap;
	}
	memmove(f->seg + i + add, f->seg + j, (f->n - j) * sizeof(*f->seg));
	f->n = f->n - removed + add;
	if (has_left)
		f->seg[i++] = left;
	f->seg[i++] = (struct file_segment){ a, b, ref };
	if (has_right)
		f->seg[i] = right;
	return 0;
}

int file_map_read(const struct file_map *f, uint64_t a, uint64_t b,
		  int (*fn)(void *ctx, const struct file_segment *s, uint64_t bytes), void *ctx,
		  uint64_t *covered)
{
	int err = 0;

	*covered = 0;
	for (size_t i = first_after(f, a); i < f->n && f->seg[i].start < b && !err; i++) {
		uint64_t lo = f->seg[i].start > a ? f->seg[i].start : a;
		uint64_t hi = f->seg[i].end < b ? f->seg[i].end : b;
		*covered += hi - lo;
		err = fn(ctx, &f->seg[i], hi - lo);
	}
	return err;
}

struct file_full {
	struct transfer_sink *t;
	uint32_t recv;
};

static int full_transfer(void *ctx, const struct file_segment *s, uint64_t bytes)
{
	struct file_full *x = ctx;

	return match_add_transfer(x->t, s->ref, x->recv, bytes);
}

int match_file(struct transfer_sink *t, struct viz_object *obj,
	       const uint32_t *ops, size_t n)
{
	const struct viz_model *m = t->m;
	struct file_map f = { 0 };
	int err = 0;

	for (size_t k = 0; k < n && !err; k++) {
		const struct viz_op *op = &m->ops[ops[k]];
		uint64_t a = op->offset, b = a + (op->ret > 0 ? (uint64_t)op->ret : 0), covered;
		struct file_full x = { t, ops[k] };

		if (b == a)
			continue;
		if (op->dir == IPCT_DIR_SEND) {
			err = file_map_store(&f, a, b, ops[k]);
			continue;
		}
		err = file_map_read(&f, a, b, full_transfer, &x, &covered);
		obj->unmatched_bytes += (b - a) - covered;
	}
	free(f.seg);
	return err;
}
