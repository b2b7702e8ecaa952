/*
 * escape - one escaping function per output language (see escape.h).
 *
 * All three escapers walk the input with the same strict UTF-8 decoder
 * (utf8_sequence): a well-formed sequence of 2 to 4 bytes (no overlong
 * forms, no surrogates, nothing above U+10FFFF) is copied through
 * unchanged; any other byte >= 0x80 is "invalid" and escaped on its own.
 *
 * Choices, per language:
 *  - CSV: the field is always quoted and `"` doubled; control characters
 *    and invalid bytes become the text \xNN (a backslash stays as is).
 *  - JSON: `"` and `\` get a backslash; control characters (0x00-0x1f and
 *    0x7f) become \u00XX.  An invalid byte 0xNN also becomes \u00NN: the
 *    output stays valid JSON and the byte value can still be read, at the
 *    price of an ambiguity (the byte 0xff and the character U+00FF "ÿ" decode
 *    to the same JSON string).  We prefer that to dropping bytes or writing
 *    U+FFFD, which would lose the value.
 *  - XML: & < > " ' become entities; tab, newline and carriage return become
 *    character references (&#9; &#10; &#13;) so they survive attribute-value
 *    normalisation.  Characters XML 1.0 forbids (other control characters,
 *    0x7f, U+FFFE, U+FFFF) and invalid bytes are written as the four
 *    characters "\xNN" per byte.  A backslash is left as is.
 *  - DOT label (for agsafeset or a quoted DOT string): Graphviz expands \N \G
 *    \n \l \r in labels and turns "\\" into "\", so a backslash is doubled.
 *    `"` is kept as is: the value goes through agsafeset, and agwrite quotes
 *    it as \" itself (a \" in the value would be written \\" and break the
 *    DOT file; checked with Graphviz 2.43).  `&` becomes "&amp;" because
 *    Graphviz decodes HTML entities in plain labels ("&#1;" would otherwise
 *    put a forbidden byte into the SVG).  Control characters, XML-forbidden
 *    characters and invalid bytes become the text \xNN, written "\\xNN" so
 *    that it renders with one backslash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"

/* Length (2..4) of the well-formed UTF-8 sequence starting at S (N bytes
 * available), with its code point in *CP; 0 if S[0] does not start one. */
static size_t utf8_sequence(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t v, min;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; v = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; v = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* True when code point CP may not appear in an XML 1.0 document. */
static int xml_forbidden(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return cp == 0x7f || cp == 0xfffe || cp == 0xffff;
}

/* Write the LEN bytes at P: a well-formed UTF-8 sequence as is, or as
 * \xNN per byte when FORBIDDEN (if any) rejects its code point; every
 * other byte through BYTE. */
static void escape_walk(FILE *out, const unsigned char *p, size_t len,
			void (*byte)(FILE *, unsigned char), int (*forbidden)(uint32_t))
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] >= 0x80 && (n = utf8_sequence(p + i, len - i, &cp)) != 0) {
			if (forbidden && forbidden(cp))
				for (size_t k = 0; k < n; k++)
					fprintf(out, "\\x%02x", p[i + k]);
			else
				fwrite(p + i, 1, n, out);
			i += n;
		} else {
			byte(out, p[i++]);
		}
	}
}

/* The most escape_chunk() writes for one step: \u00XX. */
#define STEP_MAX 6

static const char hex[] = "0123456789abcdef";

static size_t hex_byte(char *o, const char *prefix, size_t n, unsigned char c)
{
	memcpy(o, prefix, n);
	o[n] = hex[c >> 4];
	o[n + 1] = hex[c & 15];
	return n + 2;
}

/* How many of S[0..N) are printable ASCII other than '"' and EXTRA: the
 * run each escaper copies as it is. */
static size_t plain_run(const unsigned char *s, size_t n, unsigned char extra)
{
	size_t i = 0;

	while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != extra)
		i++;
	return i;
}

/* Copy the plain run at P[*I..LEN) into DST + *O, leaving STEP_MAX of
 * ROOM free. */
static void copy_plain(char *dst, size_t room, const unsigned char *p, size_t len, size_t *i,
		       size_t *o, unsigned char extra)
{
	size_t free = room - *o - STEP_MAX;
	size_t n = plain_run(p + *i, len - *i < free ? len - *i : free, extra);

	memcpy(dst + *o, p + *i, n);
	*i += n;
	*o += n;
}

/* The loop of the JSON and CSV escapers: S[0..LEN) escaped into DST
 * while at least STEP_MAX bytes of its ROOM are left; returns the bytes
 * written, *USED the bytes of S consumed. */
static size_t escape_chunk(char *dst, size_t room, const unsigned char *p, size_t len,
			   size_t *used, bool csv)
{
	size_t i = 0, o = 0, n;
	uint32_t cp;

	while (i < len && o + STEP_MAX <= room) {
		unsigned char c;

		copy_plain(dst, room, p, len, &i, &o, csv ? '"' : '\\');
		if (i == len)
			break;
		c = p[i];
		if (c >= 0x80 && (n = utf8_sequence(p + i, len - i, &cp)) != 0) {
			memcpy(dst + o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		if (c == '"' || (c == '\\' && !csv)) {
			dst[o++] = csv ? '"' : '\\';
			dst[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {     /* a control character, an invalid byte */
			o += csv ? hex_byte(dst + o, "\\x", 2, c) : hex_byte(dst + o, "\\u00", 4, c);
		} else {
			dst[o++] = (char)c;
		}
		i++;
	}
	*used = i;
	return o;
}

/* S quoted and escaped (CSV or JSON) onto OUT, a chunk at a time. */
static void write_chunked(FILE *out, const char *s, size_t len, bool csv)
{
	const unsigned char *p = (const unsigned char *)s;
	char buf[1024];
	size_t used, n;

	putc('"', out);
	while (len) {
		n = escape_chunk(buf, sizeof(buf), p, len, &used, csv);
		fwrite(buf, 1, n, out);
		p += used;
		len -= used;
	}
	putc('"', out);
}

/* S quoted and escaped (CSV or JSON) into DST (room for ESCAPE_MAX(LEN)). */
static size_t escape_to(char *dst, const char *s, size_t len, bool csv)
{
	size_t used, n;

	dst[0] = '"';
	n = escape_chunk(dst + 1, ESCAPE_MAX(len) - 2, (const unsigned char *)s, len, &used, csv);
	dst[n + 1] = '"';
	return n + 2;
}

void escape_json(FILE *out, const char *s, size_t len)
{
	write_chunked(out, s, len, false);
}

size_t escape_json_to(char *dst, const char *s, size_t len)
{
	return escape_to(dst, s, len, false);
}

static void xml_byte(FILE *out, unsigned char c)
{
	switch (c) {
	case '&': fputs("&amp;", out); return;
	case '<': fputs("&lt;", out); return;
	case '>': fputs("&gt;", out); return;
	case '"': fputs("&quot;", out); return;
	case '\'': fputs("&apos;", out); return;
	case '\t': case '\n': case '\r':
		fprintf(out, "&#%d;", c); return;
	}
	if (c >= 0x80 || xml_forbidden(c))
		fprintf(out, "\\x%02x", c);
	else
		putc(c, out);
}

void escape_xml(FILE *out, const char *s, size_t len)
{
	escape_walk(out, (const unsigned char *)s, len, xml_byte, xml_forbidden);
}

char *escape_dot_label(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	/* Worst case: every byte becomes "\\xNN" (5 bytes). */
	char *buf, *o;
	size_t i = 0, n, k;
	uint32_t cp;

	if (len > (SIZE_MAX - 1) / 5)
		return NULL;
	buf = malloc(len * 5 + 1);
	if (!buf)
		return NULL;
	o = buf;
	while (i < len) {
		unsigned char c = p[i];

		if (c == '\\') {
			*o++ = '\\'; *o++ = '\\'; i++;
		} else if (c == '&') {
			memcpy(o, "&amp;", 5); o += 5; i++;
		} else if (c < 0x20 || c == 0x7f) {
			o += sprintf(o, "\\\\x%02x", c); i++;
		} else if (c < 0x80) {
			*o++ = (char)c; i++;
		} else if ((n = utf8_sequence(p + i, len - i, &cp)) != 0) {
			if (xml_forbidden(cp)) {
				for (k = 0; k < n; k++)
					o += sprintf(o, "\\\\x%02x", p[i + k]);
			} else {
				memcpy(o, p + i, n);
				o += n;
			}
			i += n;
		} else {
			o += sprintf(o, "\\\\x%02x", c); i++;
		}
	}
	*o = '\0';
	return buf;
}

size_t escape_strnlen(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);

	return nul ? (size_t)(nul - s) : max;
}

void escape_text(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\\')
			fputs("\\\\", out);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

size_t escape_text_width(const char *s, size_t len)
{
	size_t w = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		w += c == '\\' ? 2 : (c >= 0x20 && c < 0x7f) ? 1 : 4;
	}
	return w;
}

void escape_csv(FILE *out, const char *s, size_t len)
{
	write_chunked(out, s, len, true);
}

size_t escape_csv_to(char *dst, const char *s, size_t len)
{
	return escape_to(dst, s, len, true);
}
