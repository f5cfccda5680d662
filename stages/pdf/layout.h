/*
 * layout.h - simple page layout for the documents sertel writes itself (the
 * berita acara of deletion, the supervision report): A4 pages filled from
 * the top, text blocks wrapped at word boundaries, a letterhead, tables
 * whose cells wrap and which continue on a new page with their header
 * repeated, and boxes to draw in (chart.h draws charts into them).  Drawn through MuPDF's device API into its PDF writer (fonts: the
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
/* layout_page_break - the next block starts on a new page. */
void layout_page_break(fz_context *ctx, struct layout *L);
/*
 * layout_box - h points of height across the width, kept on one page (a new
 * page when they do not fit); its rectangle (y down from the page's top).
 */
fz_rect layout_box(fz_context *ctx, struct layout *L, float h);
/* layout_room - the height left on the page (one is begun when none is). */
float layout_room(fz_context *ctx, struct layout *L);
/* layout_fill - rectangle r filled with colour rgb. */
void layout_fill(fz_context *ctx, struct layout *L, fz_rect r, const float rgb[3]);
/* layout_polyline - the points p[0..n) joined, thickness t, colour rgb. */
void layout_polyline(fz_context *ctx, struct layout *L, const fz_point *p, size_t n, float t,
		     const float rgb[3]);
/*
 * layout_label - one line of UTF-8 s with its baseline at y: starting at x
 * (LEFT), centred on x or ending at x (RIGHT); cut to fit max points (0: no
 * limit).
 */
void layout_label(fz_context *ctx, struct layout *L, const char *s, float size, int bold, float x,
		  float y, enum layout_align align, float max);
/* layout_pages - pages begun so far. */
int layout_pages(const struct layout *L);

#endif
