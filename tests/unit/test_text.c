/*
 * test_text.c - text_yaml_quote: every string, whatever its bytes, comes out
 * as a YAML scalar that libyaml reads back, and text that is already good
 * UTF-8 comes back unchanged.  The bytes that are not (found by
 * tests/fuzz/fuzz_pdf and fuzz_sidecar in refusal reports) are escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "../../base/err.h"
#include "../../base/hex.h"
#include "../../base/text.h"

static const struct {
	const char *in;
	const char *out;	/* text_yaml_quote's output */
	const char *back;	/* the scalar libyaml reads from it (UTF-8) */
} cases[] = {
	{ "Budi Santoso", "\"Budi Santoso\"", "Budi Santoso" },
	{ "a \"b\" \\c", "\"a \\\"b\\\" \\\\c\"", "a \"b\" \\c" },
	{ "tab\there\n", "\"tab\\x09here\\x0a\"", "tab\there\n" },
	{ "Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x84", "\"Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x84\"",
	  "Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x84" },			/* kept as written */
	{ "/\xb6ype", "\"/\\xb6ype\"", "/\xc2\xb6ype" },		/* a Latin-1 byte */
	{ "memuat '\xce'", "\"memuat '\\xce'\"", "memuat '\xc3\x8e'" },	/* half a character */
	{ "cut \xe2\x82", "\"cut \\xe2\\x82\"", "cut \xc3\xa2\xc2\x82" },	/* cut short */
	{ "\xc0\xaf", "\"\\xc0\\xaf\"", "\xc3\x80\xc2\xaf" },		/* overlong '/' */
	{ "\xed\xa0\x80", "\"\\xed\\xa0\\x80\"", "\xc3\xad\xc2\xa0\xc2\x80" },	/* a surrogate */
	{ "\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\"",
	  "\xc3\xb4\xc2\x90\xc2\x80\xc2\x80" },			/* past U+10FFFF */
	{ "c1 \xc2\x85 \xc2\x9f", "\"c1 \\x85 \\x9f\"", "c1 \xc2\x85 \xc2\x9f" },	/* C1 controls */
	{ "ls \xe2\x80\xa8 bom \xef\xbb\xbf", "\"ls \\u2028 bom \\ufeff\"",
	  "ls \xe2\x80\xa8 bom \xef\xbb\xbf" },			/* a break YAML folds, a BOM */
	{ "\x7f", "\"\\x7f\"", "\x7f" },
};

/* quoted - text_yaml_quote(s) as a string (malloc'd). */
static char *
quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	text_yaml_quote(f, s);
	fclose(f);
	return buf;
}

/* read_back - the one scalar in doc, as libyaml reads it (malloc'd), or NULL. */
static char *
read_back(const char *doc)
{
	yaml_parser_t p;
	yaml_event_t ev;
	char *v = NULL;
	int done = 0;

	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)doc, strlen(doc));
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			free(v);
			v = NULL;
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT && !v)
			v = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return v;
}

static void
test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *q = quoted(cases[i].in), *back = read_back(q);
		if (strcmp(q, cases[i].out))
			fail_msg("case %zu: wrote %s, want %s", i, q, cases[i].out);
		if (!back || strcmp(back, cases[i].back))
			fail_msg("case %zu: %s reads back as %s", i, q, back ? back : "(not YAML)");
		free(q);
		free(back);
	}
}

/* every byte value, alone and after each lead byte: always YAML */
static void
test_any_bytes(void **state)
{
	char s[3] = { 0 };
	int a, b;

	(void)state;
	for (a = 1; a < 256; a++)
		for (b = 0; b < 256; b++) {
			s[0] = (char)a;
			s[1] = (char)b;
			char *q = quoted(s), *back = read_back(q);
			if (!back)
				fail_msg("bytes %02x %02x: %s is not YAML", a, b, q);
			free(q);
			free(back);
		}
}

/* text_json_quote: quotes, backslash, newline and controls escaped; UTF-8 kept; a stray byte U+FFFD */
static void
test_json_quote(void **state)
{
	char *txt = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&txt, &len);

	(void)state;
	text_json_quote(m, "a\"b\\c\n\x01 \xc3\xa9 \xff end");
	fclose(m);
	assert_string_equal(txt, "\"a\\\"b\\\\c\\n\\u0001 \xc3\xa9 \\ufffd end\"");
	free(txt);
}

/* err_text: every {helpdesk} filled in; text without it as it is; a small buffer stays a string */
static void
test_helpdesk(void **state)
{
	const char *plain = "Laporkan.";
	char buf[64], small[12];

	(void)state;
	assert_ptr_equal(err_text(plain, buf, sizeof buf), plain);
	assert_string_equal(err_text("Hubungi {helpdesk}.", buf, sizeof buf), "Hubungi Diskominfo.");
	err_set_helpdesk("Dinas Kominfo Musi Rawas");
	assert_string_equal(err_text("{helpdesk}: minta {helpdesk} x", buf, sizeof buf),
			    "Dinas Kominfo Musi Rawas: minta Dinas Kominfo Musi Rawas x");
	assert_string_equal(err_text("Hubungi {helpdesk} {helpdesk}.", small, sizeof small),
			    "Hubungi Din");
	assert_string_equal(err_info("signer.unknown")->advice,
			    "Periksa NIP penandatangan atau minta {helpdesk} mendaftarkannya.");
	err_set_helpdesk("");
	assert_string_equal(err_text("{helpdesk}", buf, sizeof buf), "Diskominfo");
}

/* hex_digit: the 22 hex digits and nothing else, whatever the int (EOF, bytes, past a byte) */
static void
test_hex_digit(void **state)
{
	const char *lower = "0123456789abcdef", *upper = "0123456789ABCDEF";
	int c, want;

	(void)state;
	for (c = -300; c < 1300; c++) {
		want = -1;
		if (c > 0 && c < 256 && strchr(lower, c))
			want = (int)(strchr(lower, c) - lower);
		if (c > 0 && c < 256 && strchr(upper, c))
			want = (int)(strchr(upper, c) - upper);
		assert_int_equal(hex_digit(c), want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_any_bytes),
		cmocka_unit_test(test_json_quote),
		cmocka_unit_test(test_helpdesk),
		cmocka_unit_test(test_hex_digit),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
