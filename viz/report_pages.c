/*
 * report_pages - the first touches of shared pages in the reports: per
 * shm object and page, who touched it first for writing and who touched
 * it (read or write) and when, in time order (model.h struct viz_touch).
 * A touch is a process's first page fault on the page: stores after it
 * are not seen, so a page "read after a write" may hold other data.
 */
#include <inttypes.h>
#include <stdio.h>
#include "model.h"
#include "report_internal.h"
#include "search.h"

#define TEXT_PAGES_MAX 32   /* pages listed per object in the text report */

/* First index in m->touches of OBJECT (they are sorted by object). */
static size_t first_touch(const struct viz_model *m, uint32_t object)
{
	return VIZ_PARTITION(0, m->ntouches, i, m->touches[i].object < object);
}

/* One page: its touches are T[0..N), in time order. */
static void text_page(const struct viz_model *m, const struct viz_touch *t, size_t n, FILE *out)
{
	bool written = false;

	fprintf(out, "    page %" PRIu64 ":", t[0].page);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s %s by ", i ? "," : "",
			t[i].writable ? "read (writable)" : !t[i].write ? "read" :
			written ? "written" : "first written");
		written |= t[i].write;
		report_put_process(m, out, t[i].pid);
		fputs(" at ", out);
		report_put_duration(out, t[i].ts_ns);
	}
	if (!written)
		fputs(" (no write fault)", out);
	fputc('\n', out);
}

void report_text_pages(const struct viz_model *m, FILE *out)
{
	bool head = false;

	for (size_t i = 0, j; i < m->ntouches; i = j) {
		uint32_t object = m->touches[i].object;
		size_t pages = 0;

		for (j = i; j < m->ntouches && m->touches[j].object == object; j++)
			pages += j == i || m->touches[j].page != m->touches[j - 1].page;
		if (!report_channel_shown(m, object))
			continue;	/* report.json has it */
		if (!head)
			fputs("\nshared memory pages (each process's first touch of a page; "
			      "stores after it are not seen; \"read (writable)\": the read\n"
			      "mapped the page writable, so that process's stores fault no more):\n",
			      out);
		head = true;
		fprintf(out, "  %s: %zu page%s touched\n", m->objects[object].id, pages,
			pages == 1 ? "" : "s");
		for (size_t k = i, shown = 0, e; k < j; k = e) {
			for (e = k + 1; e < j && m->touches[e].page == m->touches[k].page; e++)
				;
			if (shown++ == TEXT_PAGES_MAX) {
				fprintf(out, "    ... %zu more pages: see report.json\n",
					pages - TEXT_PAGES_MAX);
				break;
			}
			text_page(m, &m->touches[k], e - k, out);
		}
	}
}

void report_json_pages(const struct viz_model *m, uint32_t object, FILE *out)
{
	size_t i = first_touch(m, object), end = i;

	while (end < m->ntouches && m->touches[end].object == object)
		end++;
	fputs(", \"pages\": [", out);
	for (size_t k = i, e; k < end; k = e) {
		int64_t writer = -1;

		for (e = k; e < end && m->touches[e].page == m->touches[k].page; e++)
			if (writer < 0 && m->touches[e].write)
				writer = m->touches[e].pid;
		fprintf(out, "%s{\"page\": %" PRIu64 ", \"first_writer\": ", k > i ? ", " : "",
			m->touches[k].page);
		if (writer < 0)
			fputs("null", out);
		else
			fprintf(out, "%" PRId64, writer);
		fputs(", \"touches\": [", out);
		for (size_t t = k; t < e; t++)
			fprintf(out, "%s{\"pid\": %" PRIu32 ", \"access\": \"%s\", \"ts_ns\": %"
				PRIu64 ", \"mapped_writable\": %s}", t > k ? ", " : "",
				m->touches[t].pid, m->touches[t].write ? "write" : "read",
				m->touches[t].ts_ns,
				m->touches[t].write || m->touches[t].writable ? "true" : "false");
		fputs("]}", out);
	}
	fputc(']', out);
}
