/*
 * layout.c - A4 pages of wrapped text, letterhead and tables (see layout.h).
 *
 * MuPDF's device coordinates are y down from the top left corner of the
 * page; a glyph's text matrix flips it back (size, -size).  Wrapping is
 * greedy at spaces; a word wider than the line is cut between characters.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define PAGE_W 595.0f		/* A4 in points */
#define PAGE_H 842.0f
#define MARGIN_L 70.0f
#define MARGIN_R 60.0f
#define MARGIN_T 56.0f
#define MARGIN_B 60.0f
#define LEADING 1.25f		/* line height over font size */
#define PAD 3.0f		/* cell padding */

struct layout {
	fz_document_writer *w;
	fz_device *dev;			/* the page being drawn; NULL: none begun */
	fz_font *font[2];		/* regular, bold */
	float y;			/* the cursor: top of the next block */
	int pages;
	const struct layout_table *table;	/* its header is repeated on a new page */
};

struct layout *
layout_new(fz_context *ctx, fz_output *out)
{
	struct layout *L = fz_malloc_struct(ctx, struct layout);

	fz_try(ctx) {
		/* first: the writer owns out from here on, even when this throws */
		L->w = fz_new_pdf_writer_with_output(ctx, out, "compress");
		L->font[0] = fz_new_base14_font(ctx, "Helvetica");
		L->font[1] = fz_new_base14_font(ctx, "Helvetica-Bold");
	}
	fz_catch(ctx) {
		layout_drop(ctx, L);
		fz_rethrow(ctx);
	}
	return L;
}

void
layout_drop(fz_context *ctx, struct layout *L)
{
	if (!L)
		return;
	fz_drop_document_writer(ctx, L->w);
	fz_drop_font(ctx, L->font[0]);
	fz_drop_font(ctx, L->font[1]);
	fz_free(ctx, L);
}

/* page - begin a page when none is open. */
static void
page(fz_context *ctx, struct layout *L)
{
	if (L->dev)
		return;
	L->dev = fz_begin_page(ctx, L->w, fz_make_rect(0, 0, PAGE_W, PAGE_H));
	L->y = MARGIN_T;
	L->pages++;
}

/* new_page - close the page and open the next, repeating a table's header. */
static void
new_page(fz_context *ctx, struct layout *L)
{
	const struct layout_table *t = L->table;

	if (L->dev) {
		fz_end_page(ctx, L->w);
		L->dev = NULL;
	}
	page(ctx, L);
	if (t && t->header) {
		L->table = NULL;	/* the header row itself must not recurse */
		layout_row(ctx, L, t, t->header);
		L->table = t;
	}
}

void
layout_close(fz_context *ctx, struct layout *L)
{
	page(ctx, L);
	fz_end_page(ctx, L->w);
	L->dev = NULL;
	fz_close_document_writer(ctx, L->w);
}

float
layout_width(const struct layout *L)
{
	(void)L;
	return PAGE_W - MARGIN_L - MARGIN_R;
}

int
layout_pages(const struct layout *L)
{
	return L->pages;
}

/* width - n bytes of UTF-8 at size. */
static float
width(fz_context *ctx, fz_font *f, const char *s, size_t n, float size)
{
	const char *end = s + n;
	float w = 0;
	int c;

	while (s < end && *s) {
		s += fz_chartorune(&c, s);
		w += fz_advance_glyph(ctx, f, fz_encode_character(ctx, f, c), 0);
	}
	return w * size;
}

float
layout_text_width(fz_context *ctx, struct layout *L, const char *s, float size, int bold)
{
	return width(ctx, L->font[bold != 0], s, strlen(s), size);
}

/* show - n bytes of s with its baseline at (x, y). */
static void
show(fz_context *ctx, struct layout *L, const char *s, size_t n, float size, int bold, float x,
     float y)
{
	static const float black[1] = { 0 };
	fz_text *text = NULL;
	char *tmp = fz_malloc(ctx, n + 1);

	memcpy(tmp, s, n);
	tmp[n] = '\0';
	fz_var(text);
	fz_try(ctx) {
		text = fz_new_text(ctx);
		fz_show_string(ctx, text, L->font[bold != 0], fz_make_matrix(size, 0, 0, -size, x, y),
			       tmp, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
		fz_fill_text(ctx, L->dev, text, fz_identity, fz_device_gray(ctx), black, 1,
			     fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_text(ctx, text);
		fz_free(ctx, tmp);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/*
 * next_line - the length of the first line of s that fits in w (at least one
 * character); *skip is where the next line starts (past the spaces).
 */
static size_t
next_line(fz_context *ctx, fz_font *f, const char *s, float size, float w, size_t *skip)
{
	size_t n = 0, fit = 0;
	int c;

	for (;;) {
		size_t end = n;
		while (s[end] && s[end] != ' ' && s[end] != '\n')
			end++;
		if (width(ctx, f, s, end, size) > w) {
			if (fit == 0) {		/* one word too long: cut it */
				for (end = 0; s[end];) {
					size_t k = end + (size_t)fz_chartorune(&c, s + end);
					if (end > 0 && width(ctx, f, s, k, size) > w)
						break;
					end = k;
				}
				fit = end;
			}
			break;
		}
		fit = end;
		if (!s[end] || s[end] == '\n')
			break;
		n = end + 1;
	}
	*skip = fit;
	while (s[*skip] == ' ')
		(*skip)++;
	if (s[*skip] == '\n' && (s[fit] == '\n' || *skip > fit))
		(*skip)++;
	return fit;
}

/* lines - how many lines s takes in w. */
static int
lines(fz_context *ctx, fz_font *f, const char *s, float size, float w)
{
	size_t skip;
	int n = 0;

	do {
		next_line(ctx, f, s, size, w, &skip);
		s += skip;
		n++;
	} while (*s);
	return n;
}

void
layout_space(fz_context *ctx, struct layout *L, float pt)
{
	page(ctx, L);
	L->y += pt;
	if (L->y > PAGE_H - MARGIN_B)
		new_page(ctx, L);
}

void
layout_need(fz_context *ctx, struct layout *L, float pt)
{
	page(ctx, L);
	if (L->y + pt > PAGE_H - MARGIN_B)
		new_page(ctx, L);
}

/* block - s wrapped into the column [x, x + w] from top y; returns the height used. */
static float
block(fz_context *ctx, struct layout *L, const char *s, float size, int bold,
      enum layout_align align, float x, float w, float y)
{
	fz_font *f = L->font[bold != 0];
	float lead = size * LEADING, top = y;
	size_t n, skip;

	do {
		float lx = x;
		n = next_line(ctx, f, s, size, w, &skip);
		if (align != LAYOUT_LEFT) {
			float lw = width(ctx, f, s, n, size);
			lx = align == LAYOUT_CENTRE ? x + (w - lw) / 2 : x + w - lw;
		}
		show(ctx, L, s, n, size, bold, lx, y + size);
		y += lead;
		s += skip;
	} while (*s);
	return y - top;
}

void
layout_text(fz_context *ctx, struct layout *L, const char *s, float size, int bold,
	    enum layout_align align, float x0)
{
	fz_font *f = L->font[bold != 0];
	float w = layout_width(L) - x0, lead = size * LEADING;
	size_t skip;

	page(ctx, L);
	/* line by line, so that a long paragraph continues on the next page */
	do {
		size_t n = next_line(ctx, f, s, size, w, &skip);
		float lx = MARGIN_L + x0;
		layout_need(ctx, L, lead);
		if (align != LAYOUT_LEFT) {
			float lw = width(ctx, f, s, n, size);
			lx += align == LAYOUT_CENTRE ? (w - lw) / 2 : w - lw;
		}
		show(ctx, L, s, n, size, bold, lx, L->y + size);
		L->y += lead;
		s += skip;
	} while (*s);
}

/* line - from (x0, y0) to (x1, y1), thickness t, black. */
static void
line(fz_context *ctx, struct layout *L, float x0, float y0, float x1, float y1, float t)
{
	static const float black[3] = { 0, 0, 0 };
	const fz_point p[2] = { { x0, y0 }, { x1, y1 } };

	layout_polyline(ctx, L, p, 2, t, black);
}

void
layout_polyline(fz_context *ctx, struct layout *L, const fz_point *p, size_t n, float t,
		const float rgb[3])
{
	fz_stroke_state *st = NULL;
	fz_path *path = NULL;
	size_t i;

	page(ctx, L);
	fz_var(st);
	fz_var(path);
	fz_try(ctx) {
		path = fz_new_path(ctx);
		for (i = 0; i < n; i++)
			(i ? fz_lineto : fz_moveto)(ctx, path, p[i].x, p[i].y);
		st = fz_new_stroke_state(ctx);
		st->linewidth = t;
		st->linejoin = FZ_LINEJOIN_ROUND;
		fz_stroke_path(ctx, L->dev, path, st, fz_identity, fz_device_rgb(ctx), rgb, 1,
			       fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_path(ctx, path);
		fz_drop_stroke_state(ctx, st);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void
layout_fill(fz_context *ctx, struct layout *L, fz_rect r, const float rgb[3])
{
	fz_path *path = NULL;

	page(ctx, L);
	fz_var(path);
	fz_try(ctx) {
		path = fz_new_path(ctx);
		fz_rectto(ctx, path, r.x0, r.y0, r.x1, r.y1);
		fz_fill_path(ctx, L->dev, path, 0, fz_identity, fz_device_rgb(ctx), rgb, 1,
			     fz_default_color_params);
	}
	fz_always(ctx)
		fz_drop_path(ctx, path);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void
layout_label(fz_context *ctx, struct layout *L, const char *s, float size, int bold, float x,
	     float y, enum layout_align align, float max)
{
	fz_font *f = L->font[bold != 0];
	size_t n = strlen(s);
	float w;

	page(ctx, L);
	/* cut at a character boundary until it fits */
	while ((w = width(ctx, f, s, n, size)) > max && max > 0 && n > 0)
		while (n > 0 && ((unsigned char)s[--n] & 0xc0) == 0x80)
			;
	x -= align == LAYOUT_CENTRE ? w / 2 : align == LAYOUT_RIGHT ? w : 0;
	show(ctx, L, s, n, size, bold, x, y);
}

void
layout_page_break(fz_context *ctx, struct layout *L)
{
	new_page(ctx, L);
}

float
layout_room(fz_context *ctx, struct layout *L)
{
	page(ctx, L);
	return PAGE_H - MARGIN_B - L->y;
}

fz_rect
layout_box(fz_context *ctx, struct layout *L, float h)
{
	fz_rect r;

	layout_need(ctx, L, h);
	r = fz_make_rect(MARGIN_L, L->y, MARGIN_L + layout_width(L), L->y + h);
	L->y += h;
	return r;
}

void
layout_rule(fz_context *ctx, struct layout *L, float pt)
{
	page(ctx, L);
	line(ctx, L, MARGIN_L, L->y, MARGIN_L + layout_width(L), L->y, pt);
	L->y += pt;
}

void
layout_letterhead(fz_context *ctx, struct layout *L, const char *const *lines_, size_t n)
{
	size_t big = n > 2 ? n - 2 : n, i;

	for (i = 0; i < n; i++)
		layout_text(ctx, L, lines_[i], i < big ? 14 : 9, i < big, LAYOUT_CENTRE, 0);
	layout_space(ctx, L, 4);
	layout_rule(ctx, L, 1.5f);
	layout_space(ctx, L, 1.5f);
	layout_rule(ctx, L, 0.5f);
	layout_space(ctx, L, 12);
}

/* col_widths - t's widths, 0s sharing what is left. */
static void
col_widths(const struct layout *L, const struct layout_table *t, float *w)
{
	float used = 0;
	size_t i, free_ = 0;

	for (i = 0; i < t->ncols; i++) {
		used += t->widths[i];
		free_ += t->widths[i] <= 0;
	}
	for (i = 0; i < t->ncols; i++)
		w[i] = t->widths[i] > 0 ? t->widths[i] :
		       (layout_width(L) - used) / (float)(free_ ? free_ : 1);
}

void
layout_row(fz_context *ctx, struct layout *L, const struct layout_table *t,
	   const char *const *cells)
{
	float w[16], h = 0, x = MARGIN_L, lead = t->size * LEADING;
	int bold = cells == t->header;
	size_t i;

	if (t->ncols > 16)
		fz_throw(ctx, FZ_ERROR_GENERIC, "layout: more than 16 columns");
	page(ctx, L);
	col_widths(L, t, w);
	for (i = 0; i < t->ncols; i++) {
		float ch = (float)lines(ctx, L->font[bold], cells[i] ? cells[i] : "", t->size,
					w[i] - 2 * PAD) * lead + 2 * PAD;
		if (ch > h)
			h = ch;
	}
	if (L->y + h > PAGE_H - MARGIN_B)
		new_page(ctx, L);
	for (i = 0; i < t->ncols; i++) {
		block(ctx, L, cells[i] ? cells[i] : "", t->size, bold,
		      bold ? LAYOUT_CENTRE : LAYOUT_LEFT, x + PAD, w[i] - 2 * PAD, L->y + PAD);
		if (t->borders) {
			line(ctx, L, x, L->y, x, L->y + h, 0.5f);
			if (i + 1 == t->ncols)
				line(ctx, L, x + w[i], L->y, x + w[i], L->y + h, 0.5f);
		}
		x += w[i];
	}
	if (t->borders) {
		line(ctx, L, MARGIN_L, L->y, x, L->y, 0.5f);
		line(ctx, L, MARGIN_L, L->y + h, x, L->y + h, 0.5f);
	}
	L->y += h;
}

void
layout_table_begin(fz_context *ctx, struct layout *L, const struct layout_table *t)
{
	L->table = t;
	if (t->header)
		layout_row(ctx, L, t, t->header);
}

void
layout_table_end(struct layout *L)
{
	L->table = NULL;
}
