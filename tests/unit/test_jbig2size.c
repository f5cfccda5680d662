/*
 * test_jbig2size.c - stages/pdf/jbig2size.c: the bitmap bytes a JBIG2
 * stream's segment headers ask for (ITU T.88 7.2, 7.4.1, 7.4.8), on segments
 * built here byte by byte, and on every prefix of them (no read past the end).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../stages/pdf/jbig2size.h"

static size_t
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return 4;
}

/* segment - a header (no referred-to segments, 1-byte page) and data of dlen bytes, dlen given. */
static size_t
segment(unsigned char *p, uint32_t num, unsigned type, uint32_t dlen)
{
	size_t n = put32(p, num);

	p[n++] = (unsigned char)type;
	p[n++] = 0;	/* no referred-to segments */
	p[n++] = 1;	/* page 1 */
	return n + put32(p + n, dlen);
}

/* page_info - segment 48: w x h, 19 bytes of data. */
static size_t
page_info(unsigned char *p, uint32_t num, uint32_t w, uint32_t h)
{
	size_t n = segment(p, num, 48, 19);

	n += put32(p + n, w);
	n += put32(p + n, h);
	memset(p + n, 0, 11);
	return n + 11;
}

/* region - an immediate generic region (38) of w x h at (0, y), with 8 bytes of coded data. */
static size_t
region(unsigned char *p, uint32_t num, uint32_t w, uint32_t h, uint32_t y, uint32_t dlen)
{
	size_t n = segment(p, num, 38, dlen);

	n += put32(p + n, w);
	n += put32(p + n, h);
	n += put32(p + n, 0);
	n += put32(p + n, y);
	p[n++] = 0;			/* combination operator */
	p[n++] = 0x08;			/* TPGDON */
	memset(p + n, 0, 8 + 8);	/* AT pixels, data */
	return n + 16;
}

static void
test_page_and_region(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 65536, 65536);

	(void)state;
	n += region(b + n, 1, 65536, 65536, 0, 17 + 1 + 8 + 8);
	/* the page and the region, each 65536 / 8 x 65536 bytes */
	assert_int_equal(jbig2_bitmap_bytes(b, n), 2ULL << 29);
}

/* A region wider than its page: the part past the edge is what jbig2dec decodes for nothing. */
static void
test_outside(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 2480, 3508);

	(void)state;
	n += region(b + n, 1, 2480, 3508, 0, 17 + 1 + 8 + 8);
	assert_int_equal(jbig2_outside_bytes(b, n), 0);		/* the whole page: nothing outside */
	n = page_info(b, 0, 2480, 3508);
	n += region(b + n, 1, 133552, 3508, 0, 17 + 1 + 8 + 8);
	assert_int_equal(jbig2_outside_bytes(b, n), (133552 / 8 - 2480 / 8) * 3508ULL);
	n = page_info(b, 0, 2480, 3508);
	n += region(b + n, 1, 2480, 100, 3500, 17 + 1 + 8 + 8);
	assert_int_equal(jbig2_outside_bytes(b, n), 310 * 92);	/* 92 of its rows below the page */
	n = page_info(b, 0, 800, 0xffffffffu);
	n += region(b + n, 1, 800, 50, 100000, 17 + 1 + 8 + 8);
	assert_int_equal(jbig2_outside_bytes(b, n), 0);		/* a striped page grows to it */
	n = region(b, 1, 133552, 3508, 0, 17 + 1 + 8 + 8);
	assert_int_equal(jbig2_outside_bytes(b, n), 0);		/* no page yet: nothing to be past */
}

static void
test_rows_padded(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 9, 10);

	(void)state;
	assert_int_equal(jbig2_bitmap_bytes(b, n), 20);	/* 9 pixels take 2 bytes a row */
}

static void
test_striped_page(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 800, 0xffffffffu);

	(void)state;
	n += region(b + n, 1, 800, 50, 100, 17 + 1 + 8 + 8);
	/* the page grows to the region's bottom: 150 rows of 100 bytes, and the region's 50 */
	assert_int_equal(jbig2_bitmap_bytes(b, n), 100 * 150 + 100 * 50);
}

static void
test_unknown_length_stops(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 16, 16);

	(void)state;
	n += region(b + n, 1, 16, 16, 0, 0xffffffffu);
	n += page_info(b + n, 2, 65536, 65536);	/* behind a segment of unknown length: unread */
	assert_int_equal(jbig2_bitmap_bytes(b, n), 32 + 32);
}

static void
test_referred_segments(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 8, 8), at;

	(void)state;
	/* segment 300 refers to two segments (2 bytes each, its number is over 256) */
	at = n;
	n += put32(b + n, 300);
	b[n++] = 38;
	b[n++] = 2 << 5;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 1;
	b[n++] = 1;	/* page */
	n += put32(b + n, 8 + 18 + 8);
	n += put32(b + n, 64);
	n += put32(b + n, 64);
	memset(b + n, 0, 18 + 8);
	n += 18 + 8;
	assert_true(n > at);
	assert_int_equal(jbig2_bitmap_bytes(b, n), 8 + 8 * 64);
}

static void
test_long_form_count_past_end(void **state)
{
	unsigned char b[64];
	size_t n = put32(b, 1);

	(void)state;
	b[n++] = 38;
	n += put32(b + n, 0xe0000000u | 100000000u);	/* 7 << 29: 100 million referred-to segments */
	memset(b + n, 0, 16);
	assert_int_equal(jbig2_bitmap_bytes(b, n + 16), 0);
}

static void
test_every_prefix(void **state)
{
	unsigned char b[256];
	size_t n = page_info(b, 0, 800, 0xffffffffu), i;
	uint64_t full;

	(void)state;
	n += region(b + n, 1, 800, 50, 100, 17 + 1 + 8 + 8);
	full = jbig2_bitmap_bytes(b, n);
	for (i = 0; i <= n; i++) {
		unsigned char cut[256];

		memcpy(cut, b, i);	/* a copy just i bytes long, for ASan to watch */
		assert_true(jbig2_bitmap_bytes(cut, i) <= full + 100 * 150);
	}
	assert_int_equal(jbig2_bitmap_bytes(b, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_and_region),
		cmocka_unit_test(test_rows_padded),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_striped_page),
		cmocka_unit_test(test_unknown_length_stops),
		cmocka_unit_test(test_referred_segments),
		cmocka_unit_test(test_long_form_count_past_end),
		cmocka_unit_test(test_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
