/*
 * escape - one escaping function per output language.  Everything that
 * came from the traced system (process names, paths, payload bytes) is
 * hostile and passes through here before it is written: a process may name
 * itself `<script>` or `"},{"pid":1`.
 *
 * Bytes that are not valid UTF-8 are written as \xNN (JSON: the \u00NN
 * escape of the byte value, XML/DOT: the text "\xNN"), so every output stays
 * valid in its language whatever the input.
 */
#ifndef IPCTRACE_VIZ_ESCAPE_H
#define IPCTRACE_VIZ_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Write S (LEN bytes, may hold NULs) as a JSON string, quotes included. */
void escape_json(FILE *out, const char *s, size_t len);
/* The most escape_json_to() or escape_csv_to() writes for LEN bytes:
 * six per byte (\u00XX), plus the quotes. */
#define ESCAPE_MAX(len) (6 * (size_t)(len) + 2)
/* escape_json() and escape_csv() into DST (room for ESCAPE_MAX(LEN)):
 * the bytes written. */
size_t escape_json_to(char *dst, const char *s, size_t len);
size_t escape_csv_to(char *dst, const char *s, size_t len);
/* Write S as XML character data / attribute value (no quotes added). */
void escape_xml(FILE *out, const char *s, size_t len);
/* Return a malloc'd copy of S safe as a Graphviz label string: backslashes
 * doubled (so "\N" or "\G" in a name is not expanded), control and invalid
 * bytes written as \xNN text.  NULL on allocation failure. */
char *escape_dot_label(const char *s, size_t len);
/* Write S (LEN bytes, may hold NULs) for a terminal: printable ASCII as
 * is, a backslash doubled, every other byte as \xNN. */
void escape_text(FILE *out, const char *s, size_t len);
/* Columns escape_text() uses for S. */
size_t escape_text_width(const char *s, size_t len);
/* Write S as one quoted CSV field (RFC 4180: `"` doubled); control
 * characters and invalid bytes become the text \xNN, so a row stays on
 * one line and valid UTF-8. */
void escape_csv(FILE *out, const char *s, size_t len);
/* Length of S up to the first NUL, at most MAX (for fixed char arrays). */
size_t escape_strnlen(const char *s, size_t max);

#endif /* IPCTRACE_VIZ_ESCAPE_H */
