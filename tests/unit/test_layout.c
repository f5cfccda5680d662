/*
 * test_layout.c - stages/pdf/layout.c read back with MuPDF's text
 * extraction: words wrap inside the width, a word wider than a line is cut
 * (nothing lost, no endless loop), a long table goes on to a new page with
 * its header repeated, and what is on a page stays inside its margins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../stages/pdf/layout.h"

/* render - fn's layout into a PDF, reopened; *pages its page count. */
static fz_document *
render(fz_context *ctx, void (*fn)(fz_context *, struct layout *), int *pages)
{
	fz_buffer *buf = fz_new_buffer(ctx, 4096);
	struct layout *L = layout_new(ctx, fz_new_output_with_buffer(ctx, buf));
	fz_stream *stm;
	fz_document *doc;

	fn(ctx, L);
	layout_close(ctx, L);
	*pages = layout_pages(L);
	layout_drop(ctx, L);
	stm = fz_open_buffer(ctx, buf);
	doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
	fz_drop_stream(ctx, stm);
	fz_drop_buffer(ctx, buf);
	return doc;
}

/* page_text - the text of page i, lines joined by '\n' (fz_free it). */
static char *
page_text(fz_context *ctx, fz_document *doc, int i, fz_rect *bounds)
{
	fz_page *p = fz_load_page(ctx, doc, i);
	fz_stext_page *sp = fz_new_stext_page_from_page(ctx, p, NULL);
	fz_buffer *b = fz_new_buffer_from_stext_page(ctx, sp);
	fz_stext_block *blk;
	char *s;

	*bounds = fz_empty_rect;
	for (blk = sp->first_block; blk; blk = blk->next)
		*bounds = fz_union_rect(*bounds, blk->bbox);
	fz_terminate_buffer(ctx, b);
	s = fz_strdup(ctx, fz_string_from_buffer(ctx, b));
	fz_drop_buffer(ctx, b);
	fz_drop_stext_page(ctx, sp);
	fz_drop_page(ctx, p);
	return s;
}

/* squeeze - s without whitespace, in place (wrapping moves spaces and newlines). */
static char *
squeeze(char *s)
{
	char *w = s, *r;

	for (r = s; *r; r++)
		if (*r != ' ' && *r != '\n' && *r != '\t')
			*w++ = *r;
	*w = '\0';
	return s;
}

static char longword[400];

static void
draw_paragraphs(fz_context *ctx, struct layout *L)
{
	layout_text(ctx, L, "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas "
		    "dua belas tiga belas empat belas lima belas enam belas tujuh belas delapan "
		    "belas sembilan belas dua puluh", 12, 0, LAYOUT_LEFT, 0);
	layout_text(ctx, L, longword, 12, 1, LAYOUT_CENTRE, 0);
}

static void
wraps_and_cuts(void **state)
{
	fz_context *ctx = *state;
	fz_document *doc;
	fz_rect r;
	char *t;
	int pages;

	memset(longword, 'W', sizeof longword - 1);
	doc = render(ctx, draw_paragraphs, &pages);
	assert_int_equal(pages, 1);
	t = page_text(ctx, doc, 0, &r);
	/* more lines than the two paragraphs: both wrapped */
	assert_true(strchr(strchr(strchr(t, '\n') + 1, '\n') + 1, '\n') != NULL);
	assert_non_null(strstr(t, "satu dua"));
	/* inside the margins (70 left, 60 right of 595) */
	assert_true(r.x0 >= 69 && r.x1 <= 536);
	squeeze(t);
	assert_non_null(strstr(t, "sembilanbelasduapuluh"));
	assert_non_null(strstr(t, longword));	/* the long word whole, across its lines */
	fz_free(ctx, t);
	fz_drop_document(ctx, doc);
}

static void
draw_table(fz_context *ctx, struct layout *L)
{
	static const float w[] = { 30, 130, 0 };
	static const char *const head[] = { "No", "No ID Dokumen", "Alasan" };
	const struct layout_table t = { 3, w, head, 1, 10 };
	char no[16];
	int i;

	layout_table_begin(ctx, L, &t);
	for (i = 1; i <= 60; i++) {
		const char *row[3] = { no, "ABCDEFGHJKLMNPQR", "Dokumen direvisi karena salah "
				       "ketik pada bagian dasar hukum dan tanggal surat" };
		snprintf(no, sizeof no, "%d", i);
		layout_row(ctx, L, &t, row);
	}
	layout_table_end(L);
	layout_text(ctx, L, "Penutup", 10, 0, LAYOUT_LEFT, 0);
}

static void
table_continues(void **state)
{
	fz_context *ctx = *state;
	fz_document *doc;
	fz_rect r;
	char *t;
	int pages, i;

	doc = render(ctx, draw_table, &pages);
	assert_true(pages >= 2);
	assert_int_equal(fz_count_pages(ctx, doc), pages);
	for (i = 0; i < pages; i++) {
		t = page_text(ctx, doc, i, &r);
		assert_non_null(strstr(t, "No ID Dokumen"));	/* the header on every page */
		assert_true(r.y1 <= 842 - 59);	/* above the bottom margin */
		if (i == pages - 1) {
			assert_non_null(strstr(t, "Penutup"));
			assert_non_null(strstr(t, "60"));
		}
		fz_free(ctx, t);
	}
	fz_drop_document(ctx, doc);
}

static int
setup(void **state)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);

	if (!ctx)
		return -1;
	fz_register_document_handlers(ctx);
	*state = ctx;
	return 0;
}

static int
teardown(void **state)
{
	fz_drop_context(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wraps_and_cuts),
		cmocka_unit_test(table_continues),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
