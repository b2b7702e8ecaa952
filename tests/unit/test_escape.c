/*
 * test_escape - the three escapers, byte for byte, on hostile input
 * (markup, JSON injection, Graphviz escapes, invalid UTF-8, NUL, control
 * characters, 4-byte UTF-8), plus random bytes checked by xmllint and jq.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "test_util.h"
#include "viz/escape.h"

enum lang { JSON, XML, DOT, CSV };

/* Escape LEN bytes of IN for LANG into a malloc'd NUL-terminated string:
 * escape_dot_label(), or what the stream escaper writes. */
static char *escaped(enum lang lang, const char *in, size_t len)
{
	char *buf = NULL;
	size_t size;
	FILE *f;

	if (lang == DOT)
		return escape_dot_label(in, len);
	f = open_memstream(&buf, &size);
	assert_non_null(f);
	if (lang == JSON)
		escape_json(f, in, len);
	else if (lang == CSV)
		escape_csv(f, in, len);
	else
		escape_xml(f, in, len);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* One case: the LEN bytes of IN escaped for LANG are WANT. */
struct escape_case {
	enum lang lang;
	const char *in;
	size_t len;
	const char *want;
};

#define CASE(lang, literal, want) { lang, literal, sizeof(literal) - 1, want }

static const struct escape_case cases[] = {
	CASE(JSON, "", "\"\""),
	CASE(JSON, "<script>", "\"<script>\""),
	CASE(JSON, "\"},{\"pid\":1", "\"\\\"},{\\\"pid\\\":1\""),
	CASE(JSON, "\\N", "\"\\\\N\""),
	CASE(JSON, "\xff\xfe", "\"\\u00ff\\u00fe\""),
	CASE(JSON, "a\0b", "\"a\\u0000b\""),
	CASE(JSON, "\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\""),       /* U+1F600 */
	CASE(JSON, "caf\xc3\xa9", "\"caf\xc3\xa9\""),
	CASE(JSON, "\n\t\r\x01\x1f\x7f", "\"\\u000a\\u0009\\u000d\\u0001\\u001f\\u007f\""),
	/* Not UTF-8: overlong '/', a surrogate, a cut sequence, > U+10FFFF. */
	CASE(JSON, "\xc0\xaf", "\"\\u00c0\\u00af\""),
	CASE(JSON, "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""),
	CASE(JSON, "\xe2\x82", "\"\\u00e2\\u0082\""),
	CASE(JSON, "\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""),
	/* A valid sequence right after an invalid byte is kept. */
	CASE(JSON, "\x80\xe2\x82\xac", "\"\\u0080\xe2\x82\xac\""),

	CASE(XML, "", ""),
	CASE(XML, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
	CASE(XML, "\"},{\"pid\":1", "&quot;},{&quot;pid&quot;:1"),
	CASE(XML, "'&'", "&apos;&amp;&apos;"),
	CASE(XML, "\\N", "\\N"),
	CASE(XML, "\xff\xfe", "\\xff\\xfe"),
	CASE(XML, "a\0b", "a\\x00b"),
	CASE(XML, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	CASE(XML, "\n\t\r", "&#10;&#9;&#13;"),
	CASE(XML, "\x01\x1f\x7f", "\\x01\\x1f\\x7f"),
	/* U+FFFE is valid UTF-8 but not an XML character. */
	CASE(XML, "\xef\xbf\xbe", "\\xef\\xbf\\xbe"),
	CASE(XML, "\xed\xa0\x80", "\\xed\\xa0\\x80"),

	CASE(DOT, "", ""),
	CASE(DOT, "<script>", "<script>"),
	CASE(DOT, "\"},{\"pid\":1", "\"},{\"pid\":1"),
	CASE(DOT, "\\N \\G \\n", "\\\\N \\\\G \\\\n"),
	CASE(DOT, "\xff\xfe", "\\\\xff\\\\xfe"),
	CASE(DOT, "a\0b", "a\\\\x00b"),
	CASE(DOT, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	CASE(DOT, "a\nb\x7f", "a\\\\x0ab\\\\x7f"),
	CASE(DOT, "&#1; &amp;", "&amp;#1; &amp;amp;"),
	CASE(DOT, "\xef\xbf\xbf", "\\\\xef\\\\xbf\\\\xbf"),
	/* Worst case: every byte grows to 5. */
	CASE(DOT, "\x01\x02\x03", "\\\\x01\\\\x02\\\\x03"),
};

/* Every case of LANG, byte for byte. */
static void check_lang(enum lang lang)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got;

		if (cases[i].lang != lang)
			continue;
		got = escaped(lang, cases[i].in, cases[i].len);
		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
		free(got);
		n++;
	}
	assert_true(n > 0);
}

static void test_json(void **state)
{
	check_lang(JSON);
}

static void test_xml(void **state)
{
	check_lang(XML);
}

static void test_dot_label(void **state)
{
	check_lang(DOT);
}

static void test_strnlen(void **state)
{
	char full[16];

	memset(full, 'x', sizeof(full));
	assert_int_equal(escape_strnlen("abc\0def", 8), 3);
	assert_int_equal(escape_strnlen(full, sizeof(full)), 16);
	assert_int_equal(escape_strnlen("abcdef", 2), 2);
	assert_int_equal(escape_strnlen("", 5), 0);
}

/* The buffer escapers write what the stream ones do, within ESCAPE_MAX,
 * also past the stream's 1024-byte chunks with UTF-8 across them. */
static void test_to_buffer(void **state)
{
	static const char piece[] = "ab\"\\\x01\x7f\xc3\xa9\xf0\x9f\x98\x80\xff\xe2\x82";
	char in[3000], *out = malloc(ESCAPE_MAX(sizeof(in)));
	size_t n;

	(void)state;
	assert_non_null(out);
	n = escape_csv_to(out, "a\"b\x01\xc3\xa9\xff\\", 8);
	assert_int_equal(n, 17);
	assert_memory_equal(out, "\"a\"\"b\\x01\xc3\xa9\\xff\\\"", n);
	srand(7);
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)rand() % sizeof(in);

		for (size_t i = 0; i < len; i++)
			in[i] = round & 1 ? piece[rand() % (sizeof(piece) - 1)] : (char)rand();
		for (int csv = 0; csv < 2; csv++) {
			char *want = escaped(csv ? CSV : JSON, in, len);

			n = csv ? escape_csv_to(out, in, len) : escape_json_to(out, in, len);
			assert_true(n <= ESCAPE_MAX(len));
			assert_int_equal(n, strlen(want));
			assert_memory_equal(out, want, n);
			free(want);
		}
	}
	free(out);
}

/* Random byte strings (biased towards UTF-8 lead and continuation bytes)
 * must always give well-formed XML and valid JSON. */
static void test_random_bytes_stay_valid(void **state)
{
	char xml_path[512], json_path[512], cmd[1100], in[64];
	FILE *xml, *json;
	int i, j;

	unit_temp_file(xml_path, sizeof(xml_path), "test_escape_xml");
	xml = fopen(xml_path, "w");
	assert_non_null(xml);
	unit_temp_file(json_path, sizeof(json_path), "test_escape_json");
	json = fopen(json_path, "w");
	assert_non_null(json);
	srandom(42);
	fputs("<r>\n", xml);
	fputs("[\n", json);
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < (int)sizeof(in); j++) {
			static const unsigned char pool[] = {
				0x00, 0x01, 0x0a, 0x1f, '<', '&', '"', '\\', 'a',
				0x7f, 0x80, 0xbf, 0xc2, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff };

			in[j] = (char)(random() % 3 ? pool[random() % sizeof(pool)] : random());
		}
		fputs("<s a=\"", xml);
		escape_xml(xml, in, sizeof(in));
		fputs("\">", xml);
		escape_xml(xml, in, sizeof(in));
		fputs("</s>\n", xml);
		if (i)
			fputs(",\n", json);
		escape_json(json, in, sizeof(in));
	}
	fputs("</r>\n", xml);
	fputs("]\n", json);
	assert_int_equal(fclose(xml), 0);
	assert_int_equal(fclose(json), 0);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", xml_path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "jq -e 'length == 2000' '%s' >/dev/null", json_path);
	assert_int_equal(system(cmd), 0);
	unlink(xml_path);
	unlink(json_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_dot_label),
		cmocka_unit_test(test_strnlen),
		cmocka_unit_test(test_random_bytes_stay_valid),
		cmocka_unit_test(test_to_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
