/*
 * mark_font.c - text for the mark in a Type 3 font built from the glyph
 * outlines of MuPDF's built-in Helvetica (URW Nimbus Sans).
 *
 * PDF/A wants every font embedded.  A Type 3 font carries its glyphs as
 * small content streams, so only the glyphs a mark shows go into the file
 * (a few KB, against 20-40 KB for a whole font program, which MuPDF 1.21
 * cannot subset), nothing has to be read from the system at run time, and
 * with a ToUnicode CMap the text stays searchable and extractable.  Codes
 * are Latin-1 where they can be, so the content stream reads as the text;
 * characters outside it get spare codes (128-159, 1-31) per document.
 *
 * Glyph outlines and widths are computed once per worker (the cache lives as
 * long as the font); a document only picks the glyphs it needs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../pdf/content.h"
#include "../pdf/revision.h"
#include "mark_font.h"

#define NDIRECT 0x250		/* Latin-1 and Latin Extended-A/B: cached by code point */

struct glyph {
	int ready;		/* gid and adv known */
	int gid, adv;		/* adv in 1/1000 em */
	int cp;			/* the character it stands for (after '?' substitution) */
	unsigned char *proc;	/* the glyph's content stream, maybe Flate */
	size_t len;
	int deflated, bbox[4];
};

struct mark_font {
	fz_font *font;
	struct glyph direct[NDIRECT];
	struct glyph *more;	/* other code points, searched */
	int nmore, capmore;
	/* the last ToUnicode CMap written, Flate: the next document with the
	 * same codes (a name and a title in bold, every time) reuses it */
	int cmap_cp[256];
	unsigned char *cmap;
	size_t cmaplen;
};

struct mark_fontuse {
	struct mark_font *f;
	int cp[256];		/* code -> character; 0 unused */
};

struct mark_font *
mark_font_new(fz_context *ctx, int bold)
{
	struct mark_font *f = fz_malloc_struct(ctx, struct mark_font);

	fz_try(ctx)
		f->font = fz_new_base14_font(ctx, bold ? "Helvetica-Bold" : "Helvetica");
	fz_catch(ctx) {
		fz_free(ctx, f);
		fz_rethrow(ctx);
	}
	return f;
}

static void
glyph_free(fz_context *ctx, struct glyph *g)
{
	fz_free(ctx, g->proc);
}

void
mark_font_drop(fz_context *ctx, struct mark_font *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < NDIRECT; i++)
		glyph_free(ctx, &f->direct[i]);
	for (i = 0; i < f->nmore; i++)
		glyph_free(ctx, &f->more[i]);
	fz_free(ctx, f->more);
	fz_free(ctx, f->cmap);
	fz_drop_font(ctx, f->font);
	fz_free(ctx, f);
}

/* glyph_of - the glyph for character cp ('?' when the font has none). */
static struct glyph *
glyph_of(fz_context *ctx, struct mark_font *f, int cp)
{
	struct glyph *g = NULL;
	int i;

	if (cp >= 0 && cp < NDIRECT) {
		g = &f->direct[cp];
	} else {
		for (i = 0; i < f->nmore; i++)
			if (f->more[i].cp == cp)
				return &f->more[i];
		if (f->nmore == f->capmore) {
			int cap = f->capmore ? 2 * f->capmore : 16;

			f->more = fz_realloc_array(ctx, f->more, cap, struct glyph);
			f->capmore = cap;
		}
		g = &f->more[f->nmore++];
		memset(g, 0, sizeof *g);
		g->cp = cp;
	}
	if (!g->ready) {
		g->gid = fz_encode_character(ctx, f->font, cp);
		g->cp = cp;
		if (g->gid == 0 && cp != '?') {	/* not in the font: shown as '?' */
			struct glyph *q = glyph_of(ctx, f, '?');

			g->gid = q->gid;
			g->cp = '?';
		}
		g->adv = (int)lrintf(fz_advance_glyph(ctx, f->font, g->gid, 0) * 1000);
		g->ready = 1;
	}
	return g;
}

float
mark_font_width(fz_context *ctx, struct mark_font *f, const char *s, size_t n)
{
	const char *end = s + n;
	long w = 0;
	int cp;

	while (s < end) {
		s += fz_chartorune(&cp, s);
		w += glyph_of(ctx, f, cp)->adv;
	}
	return w / 1000.0f;
}

struct mark_fontuse *
mark_fontuse_new(fz_context *ctx, struct mark_font *f)
{
	struct mark_fontuse *u = fz_malloc_struct(ctx, struct mark_fontuse);

	u->f = f;
	return u;
}

void
mark_fontuse_drop(fz_context *ctx, struct mark_fontuse *u)
{
	fz_free(ctx, u);
}

/* code_of - the byte that shows character cp in this document's encoding. */
static int
code_of(struct mark_fontuse *u, int cp)
{
	static const int spare[][2] = { { 128, 159 }, { 1, 31 }, { 127, 127 } };
	size_t i;
	int c;

	if ((cp >= 32 && cp <= 126) || (cp >= 160 && cp <= 255)) {
		u->cp[cp] = cp;
		return cp;
	}
	for (i = 0; i < sizeof spare / sizeof spare[0]; i++)
		for (c = spare[i][0]; c <= spare[i][1]; c++)
			if (u->cp[c] == cp || u->cp[c] == 0) {
				u->cp[c] = cp;
				return c;
			}
	u->cp['?'] = '?';
	return '?';	/* more than 64 characters outside Latin-1 in one mark */
}

void
mark_font_show(fz_context *ctx, struct mark_fontuse *u, fz_buffer *out, const char *s, size_t n)
{
	const char *end = s + n;
	int cp, c;

	fz_append_byte(ctx, out, '(');
	while (s < end) {
		s += fz_chartorune(&cp, s);
		cp = glyph_of(ctx, u->f, cp)->cp;
		c = code_of(u, cp);
		if (c == '(' || c == ')' || c == '\\')
			content_put(ctx, out, "\\%c", c);
		else if (c < 32 || c > 126)
			content_put(ctx, out, "\\%03o", c);
		else
			fz_append_byte(ctx, out, c);
	}
	fz_append_string(ctx, out, ")Tj\n");
}

/* ---- the glyph procedures -------------------------------------------- */

/* Walking an outline into "x y m / l / c / h", integers in 1/1000 em. */
struct walk {
	fz_buffer *b;
	float cx, cy;
	int bbox[4], any;
};

static void
walk_pt(struct walk *w, float x, float y)
{
	int ix = (int)lrintf(x), iy = (int)lrintf(y);

	if (!w->any || ix < w->bbox[0]) w->bbox[0] = ix;
	if (!w->any || iy < w->bbox[1]) w->bbox[1] = iy;
	if (!w->any || ix > w->bbox[2]) w->bbox[2] = ix;
	if (!w->any || iy > w->bbox[3]) w->bbox[3] = iy;
	w->any = 1;
}

static void
walk_move(fz_context *ctx, void *arg, float x, float y)
{
	struct walk *w = arg;

	walk_pt(w, x, y);
	content_put(ctx, w->b, "%d %d m\n", (int)lrintf(x), (int)lrintf(y));
	w->cx = x, w->cy = y;
}

static void
walk_line(fz_context *ctx, void *arg, float x, float y)
{
	struct walk *w = arg;

	walk_pt(w, x, y);
	content_put(ctx, w->b, "%d %d l\n", (int)lrintf(x), (int)lrintf(y));
	w->cx = x, w->cy = y;
}

static void
walk_curve(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2, float x3, float y3)
{
	struct walk *w = arg;

	walk_pt(w, x1, y1);
	walk_pt(w, x2, y2);
	walk_pt(w, x3, y3);
	content_put(ctx, w->b, "%d %d %d %d %d %d c\n", (int)lrintf(x1), (int)lrintf(y1),
			 (int)lrintf(x2), (int)lrintf(y2), (int)lrintf(x3), (int)lrintf(y3));
	w->cx = x3, w->cy = y3;
}

static void
walk_quad(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2)
{
	struct walk *w = arg;

	/* the cubic with the same shape as the quadratic */
	walk_curve(ctx, arg, w->cx + 2 * (x1 - w->cx) / 3, w->cy + 2 * (y1 - w->cy) / 3,
		   x2 + 2 * (x1 - x2) / 3, y2 + 2 * (y1 - y2) / 3, x2, y2);
}

static void
walk_curvev(fz_context *ctx, void *arg, float x2, float y2, float x3, float y3)
{
	struct walk *w = arg;

	walk_curve(ctx, arg, w->cx, w->cy, x2, y2, x3, y3);
}

static void
walk_curvey(fz_context *ctx, void *arg, float x1, float y1, float x3, float y3)
{
	walk_curve(ctx, arg, x1, y1, x3, y3, x3, y3);
}

static void
walk_close(fz_context *ctx, void *arg)
{
	struct walk *w = arg;

	fz_append_string(ctx, w->b, "h\n");
}

static void
walk_rect(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2)
{
	struct walk *w = arg;

	walk_pt(w, x1, y1);
	walk_pt(w, x2, y2);
	content_put(ctx, w->b, "%d %d %d %d re\n", (int)lrintf(x1), (int)lrintf(y1),
			 (int)lrintf(x2 - x1), (int)lrintf(y2 - y1));
}

static const fz_path_walker walker = {
	walk_move, walk_line, walk_curve, walk_close, walk_quad, walk_curvev, walk_curvey,
	walk_rect,
};

/* glyph_proc - g's content stream: "wx 0 bbox d1", its outline, "f" (once per worker). */
static void
glyph_proc(fz_context *ctx, struct mark_font *f, struct glyph *g)
{
	fz_buffer *path = fz_new_buffer(ctx, 512), *out = NULL;
	fz_path *p = NULL;
	struct walk w;
	unsigned char *data;
	size_t len, zlen = 0;

	memset(&w, 0, sizeof w);
	w.b = path;
	fz_var(out);
	fz_var(p);
	fz_try(ctx) {
		p = fz_outline_glyph(ctx, f->font, g->gid, fz_scale(1000, 1000));
		if (p)
			fz_walk_path(ctx, p, &walker, &w);
		memcpy(g->bbox, w.bbox, sizeof g->bbox);
		out = fz_new_buffer(ctx, 64 + path->len);
		/* d1: the glyph is a shape; the colour is the text's */
		content_put(ctx, out, "%d 0 %d %d %d %d d1\n", g->adv, w.bbox[0], w.bbox[1],
				 w.bbox[2], w.bbox[3]);
		if (w.any) {
			fz_append_buffer(ctx, out, path);
			fz_append_string(ctx, out, "f\n");
		}
		len = fz_buffer_storage(ctx, out, &data);
		g->proc = content_deflate(ctx, data, len, 9, &zlen);	/* once per worker */
		g->deflated = 1;
		g->len = zlen;
		if (zlen >= len) {	/* tiny glyphs (a space) gain nothing */
			fz_free(ctx, g->proc);
			g->proc = NULL;
			g->proc = fz_malloc(ctx, len);
			memcpy(g->proc, data, len);
			g->len = len;
			g->deflated = 0;
		}
	}
	fz_always(ctx) {
		fz_drop_path(ctx, p);
		fz_drop_buffer(ctx, path);
		fz_drop_buffer(ctx, out);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* cmap_text - the CMap from u's codes to Unicode, in b. */
static void
cmap_text(fz_context *ctx, const struct mark_fontuse *u, fz_buffer *b)
{
	int c, n = 0, i;

	fz_append_string(ctx, b, "/CIDInit/ProcSet findresource begin 12 dict begin "
			 "begincmap/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)"
			 "/Supplement 0>>def/CMapName/Adobe-Identity-UCS def/CMapType 2 def\n"
			 "1 begincodespacerange<00><FF>endcodespacerange\n");
	for (c = 0; c < 256; c++)
		n += u->cp[c] != 0;
	for (c = 0, i = 0; c < 256; c++) {
		if (!u->cp[c])
			continue;
		if (i % 100 == 0)	/* at most 100 per block */
			content_put(ctx, b, "%d beginbfchar\n", n - i < 100 ? n - i : 100);
		if (u->cp[c] > 0xFFFF)	/* UTF-16 surrogates */
			content_put(ctx, b, "<%02X><%04X%04X>\n", c,
					 0xD800 + ((u->cp[c] - 0x10000) >> 10),
					 0xDC00 + ((u->cp[c] - 0x10000) & 0x3FF));
		else
			content_put(ctx, b, "<%02X><%04X>\n", c, u->cp[c]);
		if (++i % 100 == 0 || i == n)
			fz_append_string(ctx, b, "endbfchar\n");
	}
	fz_append_string(ctx, b, "endcmap CMapName currentdict/CMap defineresource pop "
			 "end end\n");
}

/*
 * put_tounicode - the CMap from this document's codes to Unicode (text
 * extraction); the font's last one when the codes are the same.
 */
static int
put_tounicode(fz_context *ctx, const struct mark_fontuse *u, struct rev *rv)
{
	struct mark_font *f = u->f;
	fz_buffer *b = NULL;
	int num = rev_alloc(rv);
	unsigned char *data;
	size_t len;

	if (f->cmap == NULL || memcmp(f->cmap_cp, u->cp, sizeof f->cmap_cp)) {
		fz_free(ctx, f->cmap);
		f->cmap = NULL;
		b = fz_new_buffer(ctx, 1024);
		fz_try(ctx) {
			cmap_text(ctx, u, b);
			len = fz_buffer_storage(ctx, b, &data);
			f->cmap = content_deflate(ctx, data, len, CONTENT_Z_DOC, &f->cmaplen);
			memcpy(f->cmap_cp, u->cp, sizeof f->cmap_cp);
		}
		fz_always(ctx)
			fz_drop_buffer(ctx, b);
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
	rev_stream(ctx, rv, num, "/Filter/FlateDecode", f->cmap, f->cmaplen);
	return num;
}

int
mark_font_put(fz_context *ctx, struct mark_fontuse *u, struct rev *rv)
{
	struct glyph *g[256] = { NULL };
	int procs[256], c, first = -1, last = 0, bbox[4] = { 0, 0, 0, 0 }, num, cmap;

	for (c = 0; c < 256; c++) {
		if (!u->cp[c])
			continue;
		g[c] = glyph_of(ctx, u->f, u->cp[c]);
		if (!g[c]->proc)
			glyph_proc(ctx, u->f, g[c]);
		procs[c] = rev_alloc(rv);
		rev_stream(ctx, rv, procs[c], g[c]->deflated ? "/Filter/FlateDecode" : NULL,
			   g[c]->proc, g[c]->len);
		if (first < 0)
			first = c;
		last = c;
		bbox[0] = fz_mini(bbox[0], g[c]->bbox[0]);
		bbox[1] = fz_mini(bbox[1], g[c]->bbox[1]);
		bbox[2] = fz_maxi(bbox[2], g[c]->bbox[2]);
		bbox[3] = fz_maxi(bbox[3], g[c]->bbox[3]);
	}
	if (first < 0)
		fz_throw(ctx, FZ_ERROR_GENERIC, "a font with no glyphs");
	cmap = put_tounicode(ctx, u, rv);
	num = rev_alloc(rv);
	rev_begin(ctx, rv, num, 0);
	rev_printf(ctx, rv, "<</Type/Font/Subtype/Type3/FontBBox[%d %d %d %d]"
		   "/FontMatrix[0.001 0 0 0.001 0 0]/Resources<<>>/CharProcs<<", bbox[0], bbox[1],
		   bbox[2], bbox[3]);
	for (c = first; c <= last; c++)
		if (g[c])
			rev_printf(ctx, rv, "/g%02X %d 0 R", c, procs[c]);
	rev_puts(ctx, rv, ">>/Encoding<</Type/Encoding/Differences[");
	for (c = first; c <= last; c++)
		if (g[c])
			rev_printf(ctx, rv, " %d/g%02X", c, c);
	rev_printf(ctx, rv, "]>>/FirstChar %d/LastChar %d/Widths[", first, last);
	for (c = first; c <= last; c++)
		rev_printf(ctx, rv, "%s%d", c > first ? " " : "", g[c] ? g[c]->adv : 0);
	rev_printf(ctx, rv, "]/ToUnicode %d 0 R>>", cmap);
	rev_end(ctx, rv);
	return num;
}
