/*
 * stat_map - the counters of `trace stat` (bpf/stat.bpf.h): read the
 * kernel's counters (the keys from the slot hash, the per-CPU values from
 * the slot array) into one array, and store it in the trace as
 * IPCT_EV_STAT records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record.h"
#include "lib/trace_file.h"

static void add_value(struct ipct_stat_value *sum, const struct ipct_stat_value *v)
{
	sum->calls += v->calls;
	sum->errors += v->errors;
	sum->bytes += v->bytes;
	sum->ns += v->ns;
	for (int b = 0; b < IPCT_STAT_BUCKETS; b++)
		sum->hist[b] += v->hist[b];
}

int stat_map_read(int slots_fd, int values_fd, struct record_stat **out, size_t *count)
{
	int ncpus = libbpf_num_possible_cpus();
	struct ipct_stat_key key, next, *prev = NULL;
	struct ipct_stat_value *percpu;
	struct record_stat *all = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	*out = NULL;
	*count = 0;
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	while (bpf_map_get_next_key(slots_fd, prev, &next) == 0) {
		uint32_t slot;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(slots_fd, &key, &slot) ||
		    bpf_map_lookup_elem(values_fd, &slot, percpu))
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct record_stat *p = realloc(all, ncap * sizeof(*p));

			if (!p) {
				ret = -ENOMEM;
				break;
			}
			all = p;
			cap = ncap;
		}
		memset(&all[n], 0, sizeof(all[n]));
		all[n].key = key;
		for (int c = 0; c < ncpus; c++)
			add_value(&all[n].value, &percpu[c]);
		n++;
	}
	free(percpu);
	if (ret) {
		free(all);
		return ret;
	}
	*out = all;
	*count = n;
	return 0;
}

int stat_map_write(struct trace_writer *w, const struct record_stat *st, size_t n, uint64_t now)
{
	for (size_t i = 0; i < n; i++) {
		struct ipct_stat_event e = {
			.hdr = {
				.ts_ns = now,
				.pid = st[i].key.pid,
				.tid = st[i].key.pid,
				.type = IPCT_EV_STAT,
				.size = sizeof(e),
			},
			.key = st[i].key,
			.value = st[i].value,
		};
		int err = trace_writer_append(w, &e.hdr);

		if (err)
			return err;
	}
	return 0;
}
