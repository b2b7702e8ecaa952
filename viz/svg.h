/*
 * svg - a small SVG writer, in the manner of perf timechart's svghelper:
 * the drawing code says "a rectangle here, a labelled arrow there" and this
 * module writes the elements.  Every text and tooltip goes through
 * escape_xml(), so callers may pass strings from the traced system as they
 * are.  Coordinates are user units (pixels), written with one decimal.
 *
 * CLASS arguments name a CSS class (a fixed identifier chosen by the
 * caller, not escaped; NULL for none); TOOLTIP arguments become a <title>
 * child, which browsers show on hover (NULL for none).
 *
 * Usage: svg_open(), any drawing calls, svg_close() (which reports write
 * errors).  Only svg_open() and svg_close() return a status.
 */
#ifndef IPCTRACE_VIZ_SVG_H
#define IPCTRACE_VIZ_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Write the XML prolog, the <svg> root of WIDTH x HEIGHT, a <title> (TITLE
 * escaped, may be NULL) and the arrow-head marker used by svg_arrow().
 * 0, or -EIO if OUT is already in error. */
int svg_open(FILE *out, double width, double height, const char *title);
/* A <style> element holding CSS (written as is: caller's constant text). */
void svg_style(FILE *out, const char *css);
/* The same in pieces, for CSS the caller writes to OUT itself. */
void svg_style_begin(FILE *out);
void svg_style_end(FILE *out);
/* A rectangle. */
void svg_rect(FILE *out, double x, double y, double w, double h,
	      const char *cls, const char *tooltip);
/* A rectangle drawn with OPACITY (0..1), e.g. to show how full it is. */
void svg_rect_faded(FILE *out, double x, double y, double w, double h,
		    const char *cls, double opacity, const char *tooltip);
/* A rectangle at least MIN_W wide; when it was narrower, its true width
 * in a data-w attribute (for a script that zooms).  OPACITY < 1 fades it. */
void svg_rect_min(FILE *out, double x, double y, double w, double h, double min_w,
		  const char *cls, double opacity, const char *tooltip);
/* A straight line. */
void svg_line(FILE *out, double x1, double y1, double x2, double y2,
	      const char *cls);
/* Text at (X, Y) with ANCHOR "start", "middle" or "end"; TEXT is LEN bytes
 * of anything (escaped). */
void svg_text(FILE *out, double x, double y, const char *cls,
	      const char *anchor, const char *text, size_t len);
/* Like svg_text for a NUL-terminated string. */
void svg_textz(FILE *out, double x, double y, const char *cls,
	       const char *anchor, const char *text);
/* An arrow from (X1, Y1) to (X2, Y2) ending in the arrow-head marker,
 * STROKE_WIDTH wide (0: from the CSS).  When both ends are at the same
 * height it is drawn as an arc above them, so it stays visible. */
void svg_arrow(FILE *out, double x1, double y1, double x2, double y2,
	       const char *cls, double stroke_width, const char *tooltip);
/* A path of the caller's outline D (numbers and commands, written as is). */
void svg_path(FILE *out, const char *d, const char *cls, const char *tooltip);
/* A small circle. */
void svg_circle(FILE *out, double cx, double cy, double r, const char *cls);
/* Open a <g> with an optional class and <title> tooltip; close it with
 * svg_group_end(). */
void svg_group_begin(FILE *out, const char *cls, const char *tooltip);
void svg_group_end(FILE *out);
/* Open a <g ATTRS> (ATTRS: the caller's constant text, e.g. `id="plot"`). */
void svg_group_attrs(FILE *out, const char *attrs);
/* A <clipPath> ID holding one rectangle, in its own <defs>. */
void svg_clip_rect(FILE *out, const char *id, double x, double y, double w, double h);
/* A <script> of the caller's constant ECMAScript, in a CDATA section: the
 * caller writes no "]]>" and nothing from the traced system. */
void svg_script_begin(FILE *out);
void svg_script_end(FILE *out);
/* Close the root element and flush: 0, or -EIO if anything failed to be
 * written. */
int svg_close(FILE *out);

#endif /* IPCTRACE_VIZ_SVG_H */
