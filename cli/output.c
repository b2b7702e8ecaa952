/*
 * output - the files a recording leaves in its output directory (one
 * table, cli_outputs[]) and the drawing of each from the trace.
 */
#include <stdio.h>
#include "cli.h"

static bool json_format = true;
static enum graph_format dot_format = GRAPH_DOT, svg_format = GRAPH_SVG;

const struct cli_output cli_outputs[] = {
	{ CLI_TRACE_FILE, NULL, NULL },
	{ "report.json", cli_draw_report, &json_format },
	{ "graph.dot", cli_draw_graph, &dot_format },
	{ "graph.svg", cli_draw_graph, &svg_format },
	{ "timeline.svg", cli_draw_timeline, NULL },
	{ "perfetto.json", cli_draw_perfetto, NULL },
};
const size_t cli_noutputs = sizeof(cli_outputs) / sizeof(cli_outputs[0]);

int cli_draw_report(const struct viz_model *m, FILE *out, void *json)
{
	return *(bool *)json ? report_json(m, out) : report_text(m, out);
}

int cli_draw_graph(const struct viz_model *m, FILE *out, void *format)
{
	return graph_render(m, out, *(enum graph_format *)format);
}

int cli_draw_timeline(const struct viz_model *m, FILE *out, void *unused)
{
	return timeline_render(m, out);
}

int cli_draw_perfetto(const struct viz_model *m, FILE *out, void *unused)
{
	return perfetto_render(m, out);
}

int cli_render_all(const char *dir, const char *trace_path, FILE *summary,
		   int (*summarize)(const struct viz_model *m, FILE *out))
{
	struct viz_model m;
	char path[4096];
	int ret = 0;

	if (cli_load_model(&m, trace_path, NULL))
		return 1;
	for (size_t i = 0; i < cli_noutputs; i++) {
		const struct cli_output *o = &cli_outputs[i];

		if (!o->draw)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, o->name);
		ret |= cli_write_output(path, o->draw, &m, o->arg);
	}
	if (summary) {
		(summarize ? summarize : report_text)(&m, summary);
		fflush(summary);
	}
	viz_model_release(&m);
	return ret;
}

void cli_print_outputs(FILE *out, const char *prefix, const char *dir)
{
	fprintf(out, "%s %s/{", prefix, dir);
	for (size_t i = 0; i < cli_noutputs; i++)
		fprintf(out, "%s%s", i ? "," : "", cli_outputs[i].name);
	fputs("}\n", out);
}
