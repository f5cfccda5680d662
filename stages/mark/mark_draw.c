/*
 * mark_draw.c - the mark's content stream: its parts laid out in its box.
 *
 * The box holds a row of the kinds in the order the profile lists them (QR
 * code square, image with its aspect kept, text in the width left) and,
 * when the profile has a barcode, a strip below it with the Code 128 bars
 * over the ID in plain text (a barcode alone takes the whole box).  QR and
 * barcode are vector rectangles, one path each, on white with their quiet
 * zones.  Text is wrapped at spaces and shrunk, from font_size down to 4
 * points, until it fits.  Colours are DeviceGray, which PDF/A allows with
 * any output intent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../pdf/content.h"
#include "mark_code.h"
#include "mark_draw.h"

#define GAP 4.0f		/* points between the parts */
#define HRT 8.0f		/* height of the ID under the bars */
#define HRT_SIZE 6.0f
#define LEAD 1.18f		/* line spacing, in font sizes */
#define MIN_SIZE 4.0f
#define MIN_TEXT 30.0f		/* narrowest useful text column, points */

/* bars - the symbol's dark modules in (x, y, w, h) on white. */
static void
bars(fz_context *ctx, fz_buffer *b, const struct mark_bars *s, float x, float y, float w, float h)
{
	float mx = w / s->w, my = h / s->h;
	int i;

	content_put(ctx, b, "1 g %.2f %.2f %.2f %.2f re f 0 g\n", x, y, w, h);
	for (i = 0; i < s->n; i++)
		content_re(ctx, b, x + s->r[i][0] * mx, y + h - (s->r[i][1] + s->r[i][3]) * my,
			   s->r[i][2] * mx, s->r[i][3] * my);
	content_put(ctx, b, "f\n");
}

/* ---- text ------------------------------------------------------------- */

/* One output line: a slice of an expanded template. */
struct tline {
	int bold;
	const char *s;
	size_t n;
};

struct text {
	char *buf[16];		/* expanded templates (at most 16 kept) */
	int bold[16];
	int nbuf;
	struct tline *line;
	int nline, capline;
};

/* expand_into - template t with its placeholders filled, into b. */
static void
expand_into(fz_context *ctx, fz_buffer *b, const char *t, size_t n, const struct mark_text *v)
{
	const struct { const char *key, *val; } subs[] = {
		{ "{name}", v->name }, { "{jabatan}", v->jabatan }, { "{nip}", v->nip },
		{ "{nip_label}", strlen(v->nip) == 16 ? "NIK." : "NIP." }, { "{date}", v->date },
		{ "{time}", v->time }, { "{id}", v->id }, { "{instansi}", v->instansi },
		{ "{url}", v->url },
	};
	size_t i, k;

	while (n > 0) {
		for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if ((k = strlen(subs[i].key)) <= n && !strncmp(t, subs[i].key, k))
				break;
		if (i < sizeof subs / sizeof subs[0]) {
			fz_append_string(ctx, b, subs[i].val ? subs[i].val : "");
			n -= k;
			t += k;
		} else {
			fz_append_byte(ctx, b, *t++);
			n--;
		}
	}
	fz_terminate_buffer(ctx, b);
}

/* expand - template t filled in, as a new string; "**...**" makes the line bold. */
static char *
expand(fz_context *ctx, const char *t, const struct mark_text *v, int *bold)
{
	fz_buffer *b = fz_new_buffer(ctx, 128);
	size_t n = strlen(t);
	char *out = NULL;

	*bold = n >= 4 && !strncmp(t, "**", 2) && !strcmp(t + n - 2, "**");
	fz_try(ctx) {
		expand_into(ctx, b, *bold ? t + 2 : t, *bold ? n - 4 : n, v);
		out = fz_strdup(ctx, fz_string_from_buffer(ctx, b));
	}
	fz_always(ctx)
		fz_drop_buffer(ctx, b);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return out;
}

static void
add_line(fz_context *ctx, struct text *t, int bold, const char *s, size_t n)
{
	if (t->nline == t->capline) {
		t->capline = t->capline ? 2 * t->capline : 16;
		t->line = fz_realloc_array(ctx, t->line, t->capline, struct tline);
	}
	t->line[t->nline].bold = bold;
	t->line[t->nline].s = s;
	t->line[t->nline].n = n;
	t->nline++;
}

/* wrap - s broken at spaces (or anywhere, for a word too long) into lines of at most max. */
static void
wrap(fz_context *ctx, struct text *t, struct mark_font *f, int bold, const char *s, float max)
{
	const char *line = s, *end = s + strlen(s);

	if (s == end)
		add_line(ctx, t, bold, s, 0);	/* an empty template line is a blank line */
	while (line < end) {
		const char *p = line, *brk = NULL, *q;

		/* grow word by word while the line fits */
		while (p < end) {
			q = p;
			while (q < end && *q == ' ')
				q++;
			while (q < end && *q != ' ')
				q++;
			if (mark_font_width(ctx, f, line, (size_t)(q - line)) > max)
				break;
			brk = p = q;
		}
		if (brk == NULL) {	/* one word wider than the column: cut it */
			int cp;

			brk = line + fz_chartorune(&cp, line);
			while (brk < end && mark_font_width(ctx, f, line, (size_t)(brk - line) +
							    (size_t)fz_chartorune(&cp, brk)) <= max)
				brk += fz_chartorune(&cp, brk);
		}
		add_line(ctx, t, bold, line, (size_t)(brk - line));
		line = brk;
		while (line < end && *line == ' ')
			line++;
	}
}

/* fit - the largest size from m->font_size down (by 0.5) whose wrapped text fits w x h; 0: none. */
static float
fit(fz_context *ctx, struct text *t, struct mark_res *res, const struct cfg_mark *m, float w,
    float h)
{
	float s;
	int i;

	for (s = (float)m->font_size; s >= MIN_SIZE; s -= 0.5f) {
		t->nline = 0;
		for (i = 0; i < t->nbuf; i++)
			wrap(ctx, t, res->font[t->bold[i]], t->bold[i], t->buf[i], w / s);
		if (s + (t->nline - 1) * s * LEAD <= h)
			return s;
	}
	return 0;
}

/* text_use - the per-document use of font f (0 regular, 1 bold), made on first use. */
static struct mark_fontuse *
text_use(fz_context *ctx, struct mark_body *b, struct mark_res *res, int f)
{
	if (!b->use[f])
		b->use[f] = mark_fontuse_new(ctx, res->font[f]);
	return b->use[f];
}

/* draw_text - the text block in (x, y, w, h), vertically centred. */
static int
draw_text(fz_context *ctx, const struct cfg_mark *m, const struct mark_text *v,
	  struct mark_res *res, struct mark_body *b, float x, float y, float w, float h,
	  struct err *e)
{
	struct text t;
	float s = 0, top;
	size_t i;
	int k, cur = -1;

	memset(&t, 0, sizeof t);
	fz_var(t);
	fz_var(s);
	fz_var(cur);
	fz_var(k);
	fz_var(i);
	fz_try(ctx) {
		for (i = 0; i < m->nlines && t.nbuf < 16; i++, t.nbuf++)
			t.buf[t.nbuf] = expand(ctx, m->lines[i], v, &t.bold[t.nbuf]);
		if ((s = fit(ctx, &t, res, m, w, h)) > 0) {
			top = y + h - (h - (s + (t.nline - 1) * s * LEAD)) / 2;
			content_put(ctx, b->content, "BT 0 g %.2f %.2f Td\n", x, top - 0.78f * s);
			for (k = 0; k < t.nline; k++) {
				if (t.line[k].bold != cur)
					content_put(ctx, b->content, "/F%d %.1f Tf\n", cur = t.line[k].bold, s);
				if (k > 0)
					content_put(ctx, b->content, "0 %.2f Td ", -s * LEAD);
				mark_font_show(ctx, text_use(ctx, b, res, cur), b->content, t.line[k].s,
					       t.line[k].n);
			}
			content_put(ctx, b->content, "ET\n");
		}
	}
	fz_always(ctx) {
		for (k = 0; k < t.nbuf; k++)
			fz_free(ctx, t.buf[k]);
		fz_free(ctx, t.line);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	if (s == 0)
		return err_set(e, "mark.placement", "the text of mark profile %s does not fit its "
			       "%.0f x %.0f points even at %.0f points: make the mark wider or "
			       "taller, or shorten its lines", m->name, w, h, MIN_SIZE);
	return 0;
}

/* draw_id - the ID centred under the bars. */
static void
draw_id(fz_context *ctx, struct mark_res *res, struct mark_body *b, const char *id, float x,
	float w)
{
	float s = HRT_SIZE, tw = mark_font_width(ctx, res->font[0], id, strlen(id));

	if (tw * s > w)
		s = w / tw;
	content_put(ctx, b->content, "BT 0 g /F0 %.2f Tf %.2f 1.5 Td ", s, x + (w - tw * s) / 2);
	mark_font_show(ctx, text_use(ctx, b, res, 0), b->content, id, strlen(id));
	content_put(ctx, b->content, "ET\n");
}

/* draw_code - a QR code or barcode of data in (x, y, w, h). */
static int
draw_code(fz_context *ctx, enum cfg_mark_kind k, const char *data, int ecc, fz_buffer *out,
	  float x, float y, float w, float h, struct err *e)
{
	struct mark_bars s;

	if (mark_code(k, data, ecc, &s, e) < 0)
		return -1;
	fz_try(ctx)
		bars(ctx, out, &s, x, y, w, h);
	fz_always(ctx)
		mark_bars_free(&s);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return 0;
}

float
mark_row_height(const struct cfg_mark *m, float h)
{
	return cfg_mark_has(m, MARK_BARCODE) ? h - ((float)m->barcode_height + HRT + GAP) : h;
}

int
mark_draw(fz_context *ctx, const struct cfg_mark *m, const struct mark_text *t,
	  struct mark_res *res, float w, float h, int white, struct mark_body *b, struct err *e)
{
	int i, has_bar = cfg_mark_has(m, MARK_BARCODE), has_text = cfg_mark_has(m, MARK_TEXT);
	int nrow = m->nkinds - has_bar;
	float strip = 0, row_y, row_h, fixed = 0, x, iw = 0, ih = 0, tw = 0;

	memset(b, 0, sizeof *b);
	b->w = w;
	b->h = h;
	b->content = fz_new_buffer(ctx, 8192);
	if (white)
		content_put(ctx, b->content, "1 g 0 0 %.2f %.2f re f\n", w, h);
	if (has_bar) {
		strip = nrow ? (float)m->barcode_height + HRT : h;
		if (draw_code(ctx, MARK_BARCODE, t->id, 0, b->content, 0, HRT, w, strip - HRT, e) < 0)
			return -1;
		draw_id(ctx, res, b, t->id, 0, w);
	}
	row_h = mark_row_height(m, h);
	row_y = h - row_h;
	if (nrow == 0)
		return 0;
	/* widths: the QR is square, the image keeps its aspect, the text takes the rest */
	if (cfg_mark_has(m, MARK_QR))
		fixed += row_h;
	fixed += GAP * (float)(nrow - 1);
	if (res->image) {
		float avail = w - fixed;

		/* beside text, the image takes at most half the room */
		iw = fz_min(row_h * res->image->aspect,
			    has_text ? fz_min(avail / 2, avail - MIN_TEXT) : avail);
		ih = iw / res->image->aspect;
		b->image = res->image;
	}
	tw = w - fixed - iw;
	if ((has_text && tw < MIN_TEXT) || (res->image && iw < 8) || fixed > w)
		return err_set(e, "mark.placement", "mark profile %s is %.0f points wide: too narrow "
			       "for its parts side by side; make it wider", m->name, w);
	for (i = 0, x = 0; i < m->nkinds; i++) {
		switch (m->kind[i]) {
		case MARK_QR:
			if (draw_code(ctx, MARK_QR, t->url, m->qr_ecc, b->content, x, row_y, row_h,
				      row_h, e) < 0)
				return -1;
			x += row_h + GAP;
			break;
		case MARK_IMAGE:
			content_put(ctx, b->content, "q %.2f 0 0 %.2f %.2f %.2f cm /Im0 Do Q\n", iw, ih, x,
			    row_y + (row_h - ih) / 2);
			x += iw + GAP;
			break;
		case MARK_TEXT:
			if (draw_text(ctx, m, t, res, b, x, row_y, tw, row_h, e) < 0)
				return -1;
			x += tw + GAP;
			break;
		default:
			break;
		}
	}
	return 0;
}

void
mark_body_free(fz_context *ctx, struct mark_body *b)
{
	fz_drop_buffer(ctx, b->content);
	mark_fontuse_drop(ctx, b->use[0]);
	mark_fontuse_drop(ctx, b->use[1]);
	memset(b, 0, sizeof *b);
}
