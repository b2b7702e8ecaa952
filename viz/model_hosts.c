/*
 * model_hosts - the hosts of a merged trace (`trace merge`): which host a
 * qualified pid belongs to and how a person reads it ("web1:1234").
 */
#include <stdio.h>
#include "model.h"

const struct trace_host *viz_model_host(const struct viz_model *m, uint32_t pid)
{
	static const struct trace_host unknown = { .name = "unknown" };
	uint32_t h = trace_host_of_pid(pid);

	if (!m->meta.nhosts || !m->meta.hosts)
		return NULL;
	return h < m->meta.nhosts ? &m->meta.hosts[h] : &unknown;
}

const char *viz_pid_label(const struct viz_model *m, uint32_t pid, char *buf, size_t size)
{
	const struct trace_host *h = viz_model_host(m, pid);

	if (h)
		snprintf(buf, size, "%s:%u", h->name, pid & TRACE_HOST_PID_MASK);
	else
		snprintf(buf, size, "%u", pid);
	return buf;
}
