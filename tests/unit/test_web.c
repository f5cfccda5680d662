/*
 * test_web.c - the verification page's escaping (web/wbuf.c) and its page
 * (web/page.c): markup and quotes from the database come out as text, bytes
 * that are not UTF-8 and control characters as U+FFFD, JSON strings parse;
 * the NIP is masked unless the configuration says otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../web/page.h"
#include "../../web/wbuf.h"

static void
html_escapes(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Surat <b>Keluar</b>", "Surat &lt;b&gt;Keluar&lt;/b&gt;" },
		{ "a & \"b\" 'c'", "a &amp; &quot;b&quot; &#39;c&#39;" },
		{ "tab\tnl\n", "tab nl " },
		{ "nul\x01" "x\x7f", "nul\xef\xbf\xbdx\xef\xbf\xbd" },
		{ "Jos\xc3\xa9 \xe2\x82\xac", "Jos\xc3\xa9 \xe2\x82\xac" },
		{ "latin1 \xe9!", "latin1 \xef\xbf\xbd!" },
		{ "overlong \xc0\xbc", "overlong \xef\xbf\xbd\xef\xbf\xbd" },
		{ "c1 \xc2\x85.", "c1 \xef\xbf\xbd." },
		{ "cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wbuf b = { 0 };
		wbuf_html(&b, cases[i].in);
		assert_false(b.oom);
		assert_string_equal(b.p, cases[i].out);
		wbuf_free(&b);
	}
}

static void
json_escapes(void **state)
{
	struct wbuf b = { 0 };

	(void)state;
	wbuf_json(&b, "</script><!-- \"q\" \\ \n\x02 \xff");
	assert_string_equal(b.p, "\"\\u003c/script\\u003e\\u003c!-- \\\"q\\\" \\\\ \\n\\ufffd "
			    "\xef\xbf\xbd\"");
	wbuf_free(&b);
}

/* the page of a document whose fields carry markup: none of it survives as markup */
static void
page_escapes_every_field(void **state)
{
	struct cfg c = { 0 };
	struct db_document d = { 0 };
	struct page_view v = { .status = PAGE_VALID, .id = "23456789ABCDEFGH", .doc = &d };
	struct wbuf b = { 0 };

	(void)state;
	c.instansi = "Pemerintah <i>Kabupaten</i>";
	c.web.path = "/verifikasi/";
	c.web.show_nip = WEB_NIP_MASKED;
	strcpy(d.id, "23456789ABCDEFGH");
	strcpy(d.pd, "<pd>");
	strcpy(d.type, "<type>");
	strcpy(d.number, "<number>");
	strcpy(d.subject, "<subject onclick=x>");
	strcpy(d.signer_name, "<name>");
	strcpy(d.signer_nip, "197103012006042006");
	strcpy(d.sha_signed, "<sha>");
	page_html(&b, &c, &v);
	assert_false(b.oom);
	assert_null(strstr(b.p, "<pd>"));
	assert_null(strstr(b.p, "<i>"));
	assert_null(strstr(b.p, "<subject"));
	assert_non_null(strstr(b.p, "&lt;subject onclick=x&gt;"));
	assert_null(strstr(b.p, "197103012006042006"));
	assert_non_null(strstr(b.p, "***************006"));
	assert_null(strstr(b.p, "<script"));
	wbuf_free(&b);
	c.web.show_nip = WEB_NIP_HIDDEN;
	page_json(&b, &c, &v);
	assert_non_null(strstr(b.p, "\"signer_nip\":null"));
	assert_null(strstr(b.p, "<"));
	wbuf_free(&b);
	c.web.show_nip = WEB_NIP_FULL;
	page_json(&b, &c, &v);
	assert_non_null(strstr(b.p, "\"signer_nip\":\"197103012006042006\""));
	wbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escapes),
		cmocka_unit_test(json_escapes),
		cmocka_unit_test(page_escapes_every_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
