/*
 * trace_reader_events - the event stream of a trace file: one EVENTS chunk
 * inflated at a time, each record decoded against the history of its type,
 * widened when an older writer stored a shorter form, and checked against
 * its type's minimum size before a consumer sees it.
 */
#include <errno.h>
#include <string.h>

#include "trace_reader_private.h"

/* Build the 24 chunk-header bytes of C back (the CRC covers them). */
static void chunk_header_bytes(const struct chunk_ref *c, uint16_t type,
			       uint32_t crc, uint8_t *hdr)
{
	tf_chunk_header(hdr, type, c->flags, c->stored_len, c->raw_len, c->count, crc);
}

/* Load the next EVENTS chunk: 1, 0 when there is none, or -errno. */
static int load_next_chunk(struct trace_reader *r)
{
	const struct chunk_ref *c;
	const uint8_t *h;
	uint8_t hdr[TF_CHUNK_HEADER_SIZE];
	int err;

	if (r->next_chunk >= r->nchunks)
		return 0;
	c = &r->chunks[r->next_chunk++];
	/* Re-read the header: the CRC must still match (the file may change). */
	if ((err = tf_reader_source_get(r, c->offset, TF_CHUNK_HEADER_SIZE, &h)))
		return err;
	chunk_header_bytes(c, TF_CHUNK_EVENTS, tf_load32(h + TF_CHUNK_CRC_OFFSET), hdr);
	if (memcmp(hdr, h, sizeof(hdr)))
		return tf_reader_fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
	if ((err = tf_reader_chunk_load(r, c, hdr)))
		return err == -EBADMSG ? tf_reader_fail(err, TF_DETAIL_EVENTS, 0) : err;
	r->cur.p = r->raw.data;
	r->cur.left = r->raw.len;
	r->left = c->count;
	tf_history_reset(&r->hist);
	return 1;
}

/* EV itself, or when it has an older, shorter form of its type, a copy
 * widened to the type's minimum size with the later fields zero; a
 * compact stream record becomes the io record it stands for. */
static const struct ipct_event_header *widen(struct trace_reader *r,
					     const struct ipct_event_header *ev)
{
	size_t min = trace_event_min_size(ev->type);
	struct ipct_event_header *wide = (struct ipct_event_header *)r->wide;

	if (ev->type == IPCT_EV_STREAM)
		return trace_event_stream_to_io(ev, r->wide, sizeof(r->wide)) ? wide : ev;
	if (ev->size >= min || ev->size < tf_event_oldest_size(ev->type) ||
	    min > sizeof(r->wide))
		return ev;
	memset(r->wide, 0, min);
	memcpy(r->wide, ev, ev->size);
	wide->size = (uint16_t)min;
	return wide;
}

/* End the event stream after a bad record: what follows is not trustworthy. */
static void stop(struct trace_reader *r)
{
	r->left = 0;
	r->cur.left = 0;
	r->next_chunk = r->nchunks;
}

int trace_reader_next(struct trace_reader *r, const struct ipct_event_header **ev)
{
	uint64_t type, nwords, delta;
	struct tf_slot *slot;
	uint32_t i, m;
	int err = 0;

	while (!r->left) {
		if (r->cur.left)	/* bytes after the last record */
			return tf_reader_fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
		if ((err = load_next_chunk(r)) <= 0)
			return err;
	}
	if (tf_get_varint(&r->cur, &type) || type > UINT16_MAX ||
	    tf_get_varint(&r->cur, &nwords) || nwords < TF_MIN_RECORD / 8 ||
	    nwords > TF_MAX_RECORD / 8 || nwords > r->cur.left)
		goto bad;
	slot = tf_history_slot(&r->hist, (uint16_t)type, (uint32_t)nwords, &err);
	if (!slot)
		return err == -ENOMEM ? err : tf_reader_fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
	m = nwords < slot->nwords ? (uint32_t)nwords : slot->nwords;
	/* the words the previous record of the type had: deltas to it; the
	 * rest from 0 */
	struct tf_cursor c = r->cur;
	for (i = 0; i < nwords; i++) {
		if (tf_get_varint(&c, &delta))
			goto bad;
		slot->words[i] = (i < m ? slot->words[i] : 0) + tf_unzigzag(delta);
	}
	r->cur = c;
	slot->nwords = (uint16_t)nwords;
	/* The record's own header (word 2: type, size, cpu) must agree with
	 * its envelope, so callers may trust hdr->size. */
	if ((slot->words[2] & 0xffff) != type ||
	    ((slot->words[2] >> 16) & 0xffff) != nwords * 8)
		goto bad;
	*ev = widen(r, (struct ipct_event_header *)slot->words);
	/* No consumer ever sees a record shorter than its type. */
	if (trace_event_check(*ev)) {
		stop(r);
		return tf_reader_fail(-EBADMSG, TF_DETAIL_RECORD, type | nwords * 8 << 16);
	}
	r->left--;
	return 1;
bad:
	stop(r);
	return tf_reader_fail(-EBADMSG, TF_DETAIL_EVENTS, 0);
}

int trace_reader_rewind(struct trace_reader *r)
{
	r->next_chunk = 0;
	r->left = 0;
	r->cur.left = 0;
	return 0;
}

uint64_t trace_reader_event_count(const struct trace_reader *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->nchunks; i++)
		n += r->chunks[i].count;
	return n;
}
