/*
 * filter_parse - the reading commands' filter options (filter.h,
 * docs/filters.md): a filter's lists of pids, comms, channels and kinds
 * and its time window, parsed from the command line.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"

void viz_filter_init(struct viz_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->to_ns = UINT64_MAX;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void viz_filter_release(struct viz_filter *f)
{
	free(f->pids);
	free_strings(f->comms, f->ncomms);
	free_strings(f->channels, f->nchannels);
	free(f->selected);
	viz_filter_init(f);
}

bool viz_filter_active(const struct viz_filter *f)
{
	return f->npids || f->ncomms || f->kinds || f->nchannels || f->window;
}

int viz_filter_add_pids(struct viz_filter *f, const char *list)
{
	const char *s = list;

	if (!*s)
		return -EINVAL;
	while (*s) {
		char *end;
		unsigned long v;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v == 0 || v > INT_MAX || (*end && *end != ','))
			return -EINVAL;
		uint32_t *np = realloc(f->pids, (f->npids + 1) * sizeof(*np));
		if (!np)
			return -ENOMEM;
		f->pids = np;
		f->pids[f->npids++] = v;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -EINVAL;     /* trailing comma */
	}
	return 0;
}

static int add_string(char ***v, size_t *n, const char *s)
{
	char **nv;
	char *copy;

	if (!*s)
		return -EINVAL;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	(*v)[(*n)++] = copy;
	return 0;
}

int viz_filter_add_comm(struct viz_filter *f, const char *name)
{
	if (strlen(name) >= IPCT_COMM_LEN)
		return -EINVAL;     /* no comm is that long: a mistake */
	return add_string(&f->comms, &f->ncomms, name);
}

int viz_filter_add_channel(struct viz_filter *f, const char *id)
{
	if (strlen(id) >= sizeof(((struct viz_object *)0)->id))
		return -EINVAL;
	return add_string(&f->channels, &f->nchannels, id);
}

int viz_filter_set_kinds(struct viz_filter *f, const char *list)
{
	bool exclude = list[0] == '!';
	const char *s = list + exclude;
	uint32_t mask = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		size_t len = strcspn(s, ",");
		int k;

		for (k = 1; k < IPCT_KIND_MAX; k++)
			if (strlen(viz_kind_name(k)) == len && !strncmp(s, viz_kind_name(k), len))
				break;
		if (len == 3 && !strncmp(s, "all", 3))
			mask |= ((1u << IPCT_KIND_MAX) - 1) & ~1u;
		else if (k == IPCT_KIND_MAX)
			return -EINVAL;
		else
			mask |= 1u << k;
		s += len;
		if (*s == ',' && !*++s)
			return -EINVAL;
	}
	if (exclude)
		mask = ((1u << IPCT_KIND_MAX) - 1) & ~1u & ~mask;
	if (!mask)
		return -EINVAL;     /* "!all": nothing left to show */
	f->kinds = mask;
	return 0;
}

int viz_parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e9 },
	};
	char *end;
	double v;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || !isfinite(v) || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		v *= units[i].scale;
		if (v >= 1.8e19)
			return -EINVAL;
		*ns = (uint64_t)(v + 0.5);
		return 0;
	}
	return -EINVAL;
}

int viz_filter_set_window(struct viz_filter *f, const char *spec)
{
	const char *comma = strchr(spec, ',');
	char from[64];
	uint64_t a = 0, b = UINT64_MAX;

	if (!comma || (size_t)(comma - spec) >= sizeof(from) || strchr(comma + 1, ','))
		return -EINVAL;
	memcpy(from, spec, comma - spec);
	from[comma - spec] = '\0';
	if (*from && viz_parse_duration(from, &a))
		return -EINVAL;
	if (comma[1] && viz_parse_duration(comma + 1, &b))
		return -EINVAL;
	if (b <= a)
		return -EINVAL;
	f->window = true;
	f->from_ns = a;
	f->to_ns = b;
	return 0;
}
