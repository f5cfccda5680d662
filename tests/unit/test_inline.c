/*
 * test_inline.c - stages/pdf/inline.c: the pixmap bytes of the inline images
 * of a content stream, from their dictionaries, with strings, comments,
 * arrays, dictionaries and image data around them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../stages/pdf/inline.h"

static fz_context *ctx;

/* bytes - inline_image_bytes of the content s. */
static uint64_t
bytes(const char *s)
{
	fz_stream *stm = fz_open_memory(ctx, (const unsigned char *)s, strlen(s));
	uint64_t b = inline_image_bytes(ctx, stm);

	fz_drop_stream(ctx, stm);
	return b;
}

static void
test_none(void **state)
{
	(void)state;
	assert_int_equal(bytes(""), 0);
	assert_int_equal(bytes("BT /F1 12 Tf 72 760 Td (Surat) Tj ET 0 0 10 10 re f"), 0);
	assert_int_equal(bytes("/BI 1 0 0 1 0 0 cm"), 0);	/* a name, not the operator */
}

static void
test_components(void **state)
{
	(void)state;
	assert_int_equal(bytes("q BI /W 8 /H 4 /CS /G /BPC 8 ID 12345678901234567890123456789012 EI Q"), 32);
	assert_int_equal(bytes("BI /Width 10 /Height 10 /ColorSpace /DeviceRGB ID x EI"), 300);
	assert_int_equal(bytes("BI /W 10 /H 10 /CS /CMYK ID x EI"), 400);
	assert_int_equal(bytes("BI /W 10 /H 10 /CS /Cs1 ID x EI"), 400);	/* a named space: the most */
	assert_int_equal(bytes("BI /W 10 /H 10 /IM true ID x EI"), 100);
	assert_int_equal(bytes("BI /W 10 /H 10 ID x EI"), 100);
}

static void
test_skipped(void **state)
{
	(void)state;
	assert_int_equal(bytes("% BI /W 99999 /H 99999 ID\n(BI /W 99999 /H 99999 ID) Tj"), 0);
	assert_int_equal(bytes("(a \\) BI /W 99999 /H 99999 ID (nested) ) Tj"), 0);
	/* arrays and dictionaries as values; data with BI in it before its EI */
	assert_int_equal(bytes("BI /W 2 /H 3 /D [1 0] /F [/AHx] /DP <</K -1 /Columns 2>> /CS /G "
			       "ID xBI /W 99999 /H 99999 ID EI"), 6);
}

static void
test_largest(void **state)
{
	(void)state;
	assert_int_equal(bytes("BI /W 2 /H 2 ID ab EI BI /W 65536 /H 65536 /F /JBIG2Decode ID \x01\x02 EI "
			       "BI /W 4 /H 4 ID x EI"), 65536ULL * 65536);
	assert_int_equal(bytes("BI /W 99999999999999 /H 2 ID x EI"), 2000000000ULL);	/* capped */
}

static void
test_cut_short(void **state)
{
	const char *s = "BI /W 8 /H 8 /DP <</K -1>> /CS /G ID abc EI";
	size_t i;

	(void)state;
	for (i = 0; i < strlen(s); i++) {
		char cut[64];
		fz_stream *stm;

		memcpy(cut, s, i);
		stm = fz_open_memory(ctx, (const unsigned char *)cut, i);
		assert_true(inline_image_bytes(ctx, stm) <= 64);
		fz_drop_stream(ctx, stm);
	}
}

/* seen - inline_scan_feed over s cut at i and j: whether it saw BI. */
static int
seen(const char *s, size_t i, size_t j)
{
	struct inline_scan sc = { { 0 }, 0, 0 };
	size_t n = strlen(s);

	inline_scan_feed(&sc, (const unsigned char *)s, i);
	inline_scan_feed(&sc, (const unsigned char *)s + i, j - i);
	inline_scan_feed(&sc, (const unsigned char *)s + j, n - j);
	return sc.seen;
}

static void
test_scan_seams(void **state)
{
	const char *yes[] = { "q BI /W 8", "BI\n/W", "Q\rBI /W", "(a)BI /W" };
	const char *no[] = { "q xBI /W", "q BIx /W", "/ABIG 1", "q BI" };
	size_t k, i, j;

	(void)state;
	for (k = 0; k < 4; k++)
		for (i = 0; i <= strlen(yes[k]); i++)
			for (j = i; j <= strlen(yes[k]); j++) {
				assert_true(seen(yes[k], i, j));
				assert_false(seen(no[k], i < strlen(no[k]) ? i : strlen(no[k]),
						  j < strlen(no[k]) ? j : strlen(no[k])));
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_largest),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_scan_seams),
	};
	int rc;

	ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fz_drop_context(ctx);
	return rc;
}
