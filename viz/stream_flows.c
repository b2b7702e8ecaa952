/*
 * stream_flows - the flows of a streamed load (stream.c): found by
 * (object, sender, receiver) in a hash, each with the earliest send that
 * fed it as its sample (payload kept in m->payload), and the sums per
 * (process, object, direction) in m->op_sums that the graph's edges draw.
 */
#include "slots.h"
#include "stream_internal.h"

struct flow_key {
	uint32_t object, from, to;
};

static bool flow_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct viz_flow *f = &((const struct stream_state *)ctx)->flows[i];
	const struct flow_key *k = key;

	return f->object == k->object && f->from == k->from && f->to == k->to;
}

static uint64_t flow_hash(const struct flow_key *k)
{
	return model_hash64(((uint64_t)k->object << 32 | k->from) ^ model_hash64(k->to));
}

static uint64_t flow_hash_at(const void *arg, size_t i)
{
	const struct viz_flow *f = &((const struct stream_state *)arg)->flows[i];
	struct flow_key k = { f->object, f->from, f->to };

	return flow_hash(&k);
}

int stream_sample_set(struct builder *b, size_t i, const struct pend_send *send)
{
	struct viz_model *m = b->m;
	struct viz_op *o = &m->samples[i];
	const uint8_t *data = send->data;

	b->stream->sample_seq[i] = send->seq;
	*o = send->op;
	o->payload = 0;
	o->payload_len = 0;
	if (send->op.payload_len) {
		if (m->payload_size + send->op.payload_len > UINT32_MAX)
			return -EOVERFLOW;
		if (model_grow((void **)&m->payload, &b->cap_payload,
			       m->payload_size + send->op.payload_len, 1))
			return -ENOMEM;
		memcpy(m->payload + m->payload_size, data, send->op.payload_len);
		o->payload = m->payload_size;
		o->payload_len = send->op.payload_len;
		m->payload_size += send->op.payload_len;
	}
	return 0;
}

/* Keep SEND as the sample of a new flow: its index with VIZ_FLOW_SAMPLE,
 * or -errno. */
static long sample_add(struct builder *b, const struct pend_send *send)
{
	struct viz_model *m = b->m;
	struct stream_state *s = b->stream;
	size_t cap = s->cap_samples;
	int err;

	if (m->nsamples >= VIZ_FLOW_SAMPLE - 1)
		return -EOVERFLOW;
	size_t cap_lat = cap;
	if (model_grow((void **)&m->samples, &s->cap_samples, m->nsamples + 1,
		       sizeof(*m->samples)) ||
	    model_grow((void **)&s->sample_seq, &cap, m->nsamples + 1, sizeof(*s->sample_seq)) ||
	    stream_grow_zero((void **)&m->flow_lat, &cap_lat, m->nsamples + 1, sizeof(*m->flow_lat)))
		return -ENOMEM;
	if ((err = stream_sample_set(b, m->nsamples, send)))
		return err;
	return (long)(m->nsamples++ | VIZ_FLOW_SAMPLE);
}

struct viz_flow *stream_flow_get(struct builder *b, struct chan *c,
				 const struct pend_send *send, uint32_t to, int *err)
{
	struct stream_state *s = b->stream;
	struct flow_key k = { send->op.object, send->op.pid, to };

	if (c->flow && c->flow_from == k.from && c->flow_to == to)
		return &s->flows[c->flow - 1];
	c->flow_from = k.from;
	c->flow_to = to;

	if ((s->nflows + 1) * 2 > s->nflow_slots &&
	    (*err = slots_rebuild(&s->flow_slots, &s->nflow_slots, 256, s->nflows,
				  flow_hash_at, s)))
		return NULL;
	uint32_t *slot = slots_find(s->flow_slots, s->nflow_slots, flow_hash(&k), flow_eq, s, &k);
	if (*slot) {
		c->flow = *slot;
		return &s->flows[*slot - 1];
	}
	long sample = sample_add(b, send);
	if (sample < 0) {
		*err = (int)sample;
		return NULL;
	}
	if (model_grow((void **)&s->flows, &s->cap_flows, s->nflows + 1, sizeof(*s->flows))) {
		*err = -ENOMEM;
		return NULL;
	}
	s->flows[s->nflows] = (struct viz_flow){ .object = k.object, .from = k.from,
						 .to = k.to, .first_send = (uint32_t)sample };
	*slot = ++s->nflows;
	c->flow = *slot;
	return &s->flows[s->nflows - 1];
}

static bool sum_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct viz_op_sum *a = &((const struct viz_model *)ctx)->op_sums[i], *k = key;

	return a->pid == k->pid && a->object == k->object && a->dir == k->dir;
}

static uint64_t sum_hash(const struct viz_op_sum *k)
{
	return model_hash64(((uint64_t)k->object << 32 | k->pid) * 3 + k->dir);
}

static uint64_t sum_hash_at(const void *arg, size_t i)
{
	return sum_hash(&((const struct viz_model *)arg)->op_sums[i]);
}

int stream_sum_add(struct builder *b, struct chan *c, const struct viz_op *op)
{
	struct stream_state *s = b->stream;
	struct viz_model *m = b->m;
	struct viz_op_sum k = { .pid = op->pid, .object = op->object, .dir = op->dir };
	unsigned d = op->dir == IPCT_DIR_RECV;
	/* a semaphore's V: one release, no bytes */
	bool v = op->type == VIZ_OP_SEM && op->dir == IPCT_DIR_SEND && op->ret == 0;
	int err;

	/* a 0-byte message is a message; a 0-byte write is not */
	if (!v && (op->ret < 0 || (op->ret == 0 && !viz_op_is_message(m, op)) ||
		   (op->type == VIZ_OP_IO && (op->flags & IPCT_IO_PEEK))))
		return 0;
	if (c->sum[d] && c->sum_pid[d] == op->pid) {
		m->op_sums[c->sum[d] - 1].msgs += !d;
		m->op_sums[c->sum[d] - 1].bytes += v ? 0 : (uint64_t)op->ret;
		return 0;
	}
	if ((m->nop_sums + 1) * 2 > s->nsum_slots &&
	    (err = slots_rebuild(&s->sum_slots, &s->nsum_slots, 256, m->nop_sums,
				 sum_hash_at, m)))
		return err;
	uint32_t *slot = slots_find(s->sum_slots, s->nsum_slots, sum_hash(&k), sum_eq, m, &k);
	if (!*slot) {
		if (model_grow((void **)&m->op_sums, &s->cap_sums, m->nop_sums + 1,
			       sizeof(*m->op_sums)))
			return -ENOMEM;
		m->op_sums[m->nop_sums] = k;
		*slot = ++m->nop_sums;
	}
	c->sum_pid[d] = op->pid;
	c->sum[d] = *slot;
	struct viz_op_sum *a = &m->op_sums[*slot - 1];
	a->msgs += op->dir == IPCT_DIR_SEND;
	a->bytes += v ? 0 : (uint64_t)op->ret;
	return 0;
}

uint32_t send_pool_take(struct send_pool *p, const struct held *h, uint32_t refs)
{
	uint32_t i;

	if (p->nfree) {
		i = p->free[--p->nfree];
	} else {
		if (p->n >= UINT32_MAX - 1 || model_grow((void **)&p->v, &p->cap, p->n + 1,
							 sizeof(*p->v)))
			return UINT32_MAX;
		i = (uint32_t)p->n++;
	}
	p->v[i].send = (struct pend_send){ .op = h->op, .seq = h->seq };
	memcpy(p->v[i].send.data, h->data, h->op.payload_len);
	p->v[i].refs = refs;
	return i;
}

int send_pool_put(struct send_pool *p, uint32_t i)
{
	if (--p->v[i].refs)
		return 0;
	if (model_grow((void **)&p->free, &p->cap_free, p->nfree + 1, sizeof(*p->free)))
		return -ENOMEM;
	p->free[p->nfree++] = i;
	return 0;
}

void send_pool_release(struct send_pool *p)
{
	free(p->v);
	free(p->free);
	memset(p, 0, sizeof(*p));
}

const struct viz_op *viz_flow_first(const struct viz_model *m, const struct viz_flow *f)
{
	if (viz_flow_streamed(f)) {
		uint32_t i = f->first_send & ~VIZ_FLOW_SAMPLE;
		return i < m->nsamples ? &m->samples[i] : NULL;
	}
	return f->first_send < m->nops ? &m->ops[f->first_send] : NULL;
}

