/*
 * trace_hosts - encode and decode the host table that `trace merge`
 * appends to the META payload.  Older readers stop at argv and ignore it;
 * readers of this version check every field of it.
 *
 *   u32 nhosts (1..TRACE_HOSTS_MAX), then per host:
 *   string name, string source, string command,
 *   u64 start_realtime_ns, u64 start_monotonic_ns, u64 shift_ns (s64),
 *   u64 offset_ns (s64), u64 uncertainty_ns, u64 pairs, u32 flags
 */
#include <stdlib.h>
#include <string.h>
#include "trace_hosts.h"

bool trace_host_name_valid(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++) {
		char ch = name[n];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return n > 0 && n < TRACE_HOST_NAME_LEN;
}

int tf_encode_hosts(struct tf_buf *b, const struct trace_meta *m)
{
	int err;

	if (!m->nhosts)
		return 0;
	if (m->nhosts > TRACE_HOSTS_MAX || !m->hosts)
		return -EINVAL;
	if ((err = tf_buf_put_u32(b, m->nhosts)))
		return err;
	for (uint32_t i = 0; i < m->nhosts; i++) {
		const struct trace_host *h = &m->hosts[i];

		if (!trace_host_name_valid(h->name))
			return -EINVAL;
		if ((err = tf_buf_put_string(b, h->name, strlen(h->name))) ||
		    (err = tf_buf_put_string(b, h->source, strnlen(h->source, sizeof(h->source) - 1))) ||
		    (err = tf_buf_put_string(b, h->command, strnlen(h->command, sizeof(h->command) - 1))) ||
		    (err = tf_buf_put_u64(b, h->start_realtime_ns)) ||
		    (err = tf_buf_put_u64(b, h->start_monotonic_ns)) ||
		    (err = tf_buf_put_u64(b, (uint64_t)h->shift_ns)) ||
		    (err = tf_buf_put_u64(b, (uint64_t)h->offset_ns)) ||
		    (err = tf_buf_put_u64(b, h->uncertainty_ns)) ||
		    (err = tf_buf_put_u64(b, h->pairs)) ||
		    (err = tf_buf_put_u32(b, h->flags)))
			return err;
	}
	return 0;
}

static int get_string(struct tf_cursor *c, char *dst, size_t size)
{
	const char *s;
	size_t n;

	if (tf_get_string(c, &s, &n, size))
		return -EBADMSG;
	memcpy(dst, s, n);
	return 0;
}

static int parse_host(struct tf_cursor *c, struct trace_host *h)
{
	uint64_t shift, offset;

	if (get_string(c, h->name, sizeof(h->name)) || !trace_host_name_valid(h->name) ||
	    get_string(c, h->source, sizeof(h->source)) ||
	    get_string(c, h->command, sizeof(h->command)) ||
	    tf_get_u64(c, &h->start_realtime_ns) || tf_get_u64(c, &h->start_monotonic_ns) ||
	    tf_get_u64(c, &shift) || tf_get_u64(c, &offset) ||
	    tf_get_u64(c, &h->uncertainty_ns) || tf_get_u64(c, &h->pairs) ||
	    tf_get_u32(c, &h->flags))
		return -EBADMSG;
	h->shift_ns = (int64_t)shift;
	h->offset_ns = (int64_t)offset;
	return 0;
}

int tf_parse_hosts(struct tf_cursor *c, struct trace_host **hosts, uint32_t *n)
{
	struct trace_host *t;
	uint32_t count;

	*hosts = NULL;
	*n = 0;
	if (!c->left)
		return 0;
	if (tf_get_u32(c, &count) || count == 0 || count > TRACE_HOSTS_MAX ||
	    count > c->left / 60)   /* each host takes at least 60 bytes */
		return -EBADMSG;
	t = calloc(count, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		if (parse_host(c, &t[i])) {
			free(t);
			return -EBADMSG;
		}
	}
	*hosts = t;
	*n = count;
	return 0;
}
