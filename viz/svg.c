/*
 * svg - a small SVG writer (see svg.h).  Each function writes one element
 * on one line; text content and tooltips are escaped with escape_xml().
 * Errors are sticky in the FILE and reported once, by svg_close().
 */
#include <errno.h>
#include <string.h>
#include "escape.h"
#include "svg.h"

#define ARROW_MARKER "arrowhead"

/* Write ` class="CLS"` when CLS is set. */
static void write_class(FILE *out, const char *cls)
{
	if (cls)
		fprintf(out, " class=\"%s\"", cls);
}

/* Write `<title>TOOLTIP</title>` when TOOLTIP is set. */
static void write_title(FILE *out, const char *tooltip)
{
	if (!tooltip)
		return;
	fputs("<title>", out);
	escape_xml(out, tooltip, strlen(tooltip));
	fputs("</title>", out);
}

/* End an element that may hold a tooltip: "/>" or "><title>..</title></NAME>". */
static void end_element(FILE *out, const char *name, const char *tooltip)
{
	if (!tooltip) {
		fputs("/>\n", out);
		return;
	}
	putc('>', out);
	write_title(out, tooltip);
	fprintf(out, "</%s>\n", name);
}

int svg_open(FILE *out, double width, double height, const char *title)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		width, height, width, height);
	write_title(out, title);
	if (title)
		putc('\n', out);
	/* context-stroke is not in SVG 1.1 everywhere, so the head is one
	 * colour; markerUnits=strokeWidth makes it grow with wide arrows. */
	fputs("<defs><marker id=\"" ARROW_MARKER "\" viewBox=\"0 0 10 10\" "
	      "refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
	      "markerUnits=\"strokeWidth\" orient=\"auto\">"
	      "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker></defs>\n",
	      out);
	return ferror(out) ? -EIO : 0;
}

void svg_style_begin(FILE *out)
{
	fputs("<style type=\"text/css\"><![CDATA[\n", out);
}

void svg_style_end(FILE *out)
{
	fputs("]]></style>\n", out);
}

void svg_style(FILE *out, const char *css)
{
	svg_style_begin(out);
	fputs(css, out);
	svg_style_end(out);
}

void svg_rect(FILE *out, double x, double y, double w, double h,
	      const char *cls, const char *tooltip)
{
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		x, y, w, h);
	write_class(out, cls);
	end_element(out, "rect", tooltip);
}

void svg_rect_faded(FILE *out, double x, double y, double w, double h,
		    const char *cls, double opacity, const char *tooltip)
{
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"opacity=\"%.2f\"", x, y, w, h, opacity);
	write_class(out, cls);
	end_element(out, "rect", tooltip);
}

void svg_rect_min(FILE *out, double x, double y, double w, double h, double min_w,
		  const char *cls, double opacity, const char *tooltip)
{
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		x, y, w < min_w ? min_w : w, h);
	if (w < min_w)
		fprintf(out, " data-w=\"%.4f\"", w > 0 ? w : 0);
	if (opacity < 1)
		fprintf(out, " opacity=\"%.2f\"", opacity);
	write_class(out, cls);
	end_element(out, "rect", tooltip);
}

void svg_line(FILE *out, double x1, double y1, double x2, double y2,
	      const char *cls)
{
	fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"",
		x1, y1, x2, y2);
	write_class(out, cls);
	fputs("/>\n", out);
}

void svg_text(FILE *out, double x, double y, const char *cls,
	      const char *anchor, const char *text, size_t len)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
	write_class(out, cls);
	if (anchor && strcmp(anchor, "start") != 0)
		fprintf(out, " text-anchor=\"%s\"", anchor);
	putc('>', out);
	escape_xml(out, text, len);
	fputs("</text>\n", out);
}

void svg_textz(FILE *out, double x, double y, const char *cls,
	       const char *anchor, const char *text)
{
	svg_text(out, x, y, cls, anchor, text, strlen(text));
}

void svg_arrow(FILE *out, double x1, double y1, double x2, double y2,
	       const char *cls, double stroke_width, const char *tooltip)
{
	const char *name;

	if (y1 == y2) {
		/* Same lane: an arc, so it is not lost under the lane's marks. */
		double lift = 6 + (x2 > x1 ? x2 - x1 : x1 - x2) / 8;

		if (lift > 14)
			lift = 14;
		fprintf(out, "<path d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\" fill=\"none\"",
			x1, y1, (x1 + x2) / 2, y1 - 2 * lift, x2, y2);
		name = "path";
	} else {
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"",
			x1, y1, x2, y2);
		name = "line";
	}
	write_class(out, cls);
	if (stroke_width > 0)
		fprintf(out, " style=\"stroke-width: %.1fpx\"", stroke_width);
	fputs(" marker-end=\"url(#" ARROW_MARKER ")\"", out);
	end_element(out, name, tooltip);
}

void svg_path(FILE *out, const char *d, const char *cls, const char *tooltip)
{
	fprintf(out, "<path d=\"%s\"", d);
	write_class(out, cls);
	end_element(out, "path", tooltip);
}

void svg_circle(FILE *out, double cx, double cy, double r, const char *cls)
{
	fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", cx, cy, r);
	write_class(out, cls);
	fputs("/>\n", out);
}

void svg_group_begin(FILE *out, const char *cls, const char *tooltip)
{
	fputs("<g", out);
	write_class(out, cls);
	putc('>', out);
	write_title(out, tooltip);
	putc('\n', out);
}

void svg_group_attrs(FILE *out, const char *attrs)
{
	fprintf(out, "<g %s>\n", attrs);
}

void svg_clip_rect(FILE *out, const char *id, double x, double y, double w, double h)
{
	fprintf(out, "<defs><clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"%.1f\"/></clipPath></defs>\n", id, x, y, w, h);
}

void svg_script_begin(FILE *out)
{
	fputs("<script type=\"application/ecmascript\"><![CDATA[\n", out);
}

void svg_script_end(FILE *out)
{
	fputs("]]></script>\n", out);
}

void svg_group_end(FILE *out)
{
	fputs("</g>\n", out);
}

int svg_close(FILE *out)
{
	fputs("</svg>\n", out);
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}
