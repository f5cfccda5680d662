/*
 * layout.h - simple page layout for the documents sertel writes itself (the
 * berita acara of deletion; later the supervision report): A4 pages filled
 * from the top, text blocks wrapped at word boundaries, a letterhead, and
 * tables whose cells wrap and which continue on a new page with their header
 * repeated.  Drawn through MuPDF's device API into its PDF writer (fonts: the
 * built-in Helvetica faces, embedded as subsets), so the output is an
 * ordinary PDF that the sign path (pades.c, the mark stage) can then sign.
 *
 * Every call may throw (MuPDF); callers wrap them in fz_try.  Coordinates are
 * points; the cursor moves down the page as blocks are added.
 */
#ifndef SERTEL_LAYOUT_H
#define SERTEL_LAYOUT_H

#include <stddef.h>

#include <mupdf/fitz.h>

struct layout;

enum layout_align { LAYOUT_LEFT, LAYOUT_CENTRE, LAYOUT_RIGHT };

/* A table: ncols columns of the given widths (points; 0: share what is left). */
struct layout_table {
	size_t ncols;
	const float *widths;
	const char *const *header;	/* ncols cells, bold, repeated on each page; NULL: none */
	int borders;			/* 1: ruled grid; 0: no lines (a list of fields) */
	float size;			/* font size */
};

/* layout_new - an empty document written to out when closed; out is the layout's then. */
struct layout *layout_new(fz_context *ctx, fz_output *out);
/* layout_close - finish the last page and the PDF; then layout_drop. */
void layout_close(fz_context *ctx, struct layout *L);
void layout_drop(fz_context *ctx, struct layout *L);

/* layout_width - the width between the margins. */
float layout_width(const struct layout *L);
/* layout_text_width - the width of UTF-8 s at size, bold or not. */
float layout_text_width(fz_context *ctx, struct layout *L, const char *s, float size, int bold);
/* layout_space - move the cursor down by pt (a new page when past the bottom). */
void layout_space(fz_context *ctx, struct layout *L, float pt);
/* layout_need - a new page unless pt of room is left (keep a block together). */
void layout_need(fz_context *ctx, struct layout *L, float pt);
/*
 * layout_text - a paragraph of UTF-8 s wrapped to the width (x0 points in
 * from the left margin), aligned; continues on a new page when it must.
 */
void layout_text(fz_context *ctx, struct layout *L, const char *s, float size, int bold,
		 enum layout_align align, float x0);
/* layout_rule - a horizontal line across the width, thickness pt. */
void layout_rule(fz_context *ctx, struct layout *L, float pt);
/*
 * layout_letterhead - the kop: lines centred, the first ones (all but the
 * last two when there are more than two) bold and larger, then a double rule.
 */
void layout_letterhead(fz_context *ctx, struct layout *L, const char *const *lines, size_t n);
/* layout_row - one row of t (ncols cells), wrapped; a page break repeats the header. */
void layout_row(fz_context *ctx, struct layout *L, const struct layout_table *t,
		const char *const *cells);
/* layout_table_begin - the header row of t (nothing when it has none). */
void layout_table_begin(fz_context *ctx, struct layout *L, const struct layout_table *t);
/* layout_table_end - the table is over: no header on later pages. */
void layout_table_end(struct layout *L);
/* layout_pages - pages begun so far. */
int layout_pages(const struct layout *L);

#endif
