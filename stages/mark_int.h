/*
 * mark_int.h - the parts of the visual mark, shared by stages/mark*.c only.
 *
 *   mark.c        the stage (pick the profile, prepare the plan) and the
 *                 appearance callback pades_sign calls (write the objects)
 *   mark_place.c  where: pages, corners, anchors, rotation, UserUnit, boxes
 *   mark_draw.c   what: the layout of QR, barcode, image and text in the box
 *   mark_code.c   QR code and Code 128 modules (libzint)
 *   mark_font.c   text: Type 3 fonts built from MuPDF's built-in Helvetica
 *   mark_image.c  PNG/JPEG into an image XObject in the right colour space
 *
 * Geometry: the mark is drawn in its own space, points, origin at the lower
 * left corner of its box, y up, upright as the reader sees it.  Placement
 * maps that box onto the page (mark_place.c), whatever the page's rotation.
 */
#ifndef SERTEL_MARK_INT_H
#define SERTEL_MARK_INT_H

#include <stddef.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../config/cfg.h"
#include "../base/err.h"

struct rev;

/* The colours a mark may use: what the document's PDF/A output intent allows. */
enum mark_colour {
	MC_FREE,		/* not PDF/A: any device colour, transparency allowed */
	MC_GRAY,		/* PDF/A, output intent Gray (N 1) */
	MC_RGB,			/* PDF/A, output intent RGB (N 3) */
	MC_CMYK,		/* PDF/A, output intent CMYK (N 4) */
};

/* ---- mark_code.c ----------------------------------------------------- */

/* Dark modules as rectangles, in modules, y down from the symbol's top, quiet zone included. */
struct mark_bars {
	float w, h;		/* the whole symbol with its quiet zone */
	float (*r)[4];		/* x, y, width, height */
	int n;
};

/* mark_code - the QR code (ecc 1..4 = L..H) or Code 128 (ecc ignored) of data. */
int mark_code(enum cfg_mark_kind kind, const char *data, int ecc, struct mark_bars *out,
	      struct err *e);
void mark_bars_free(struct mark_bars *b);

/* ---- mark_font.c ----------------------------------------------------- */

struct mark_font;		/* one face and its glyphs, kept by a worker */
struct mark_fontuse;		/* the glyphs one document's mark shows */

/* mark_font_new - MuPDF's built-in Helvetica (bold or not); throws. */
struct mark_font *mark_font_new(fz_context *ctx, int bold);
void mark_font_drop(fz_context *ctx, struct mark_font *f);
/* mark_font_width - width of n bytes of UTF-8 at size 1 (in text space units / 1000). */
float mark_font_width(fz_context *ctx, struct mark_font *f, const char *s, size_t n);
/* mark_fontuse_new - an empty per-document use of f. */
struct mark_fontuse *mark_fontuse_new(fz_context *ctx, struct mark_font *f);
void mark_fontuse_drop(fz_context *ctx, struct mark_fontuse *u);
/* mark_font_show - "<codes>Tj" for n bytes of UTF-8, noting the glyphs used. */
void mark_font_show(fz_context *ctx, struct mark_fontuse *u, fz_buffer *out, const char *s,
		    size_t n);
/* mark_font_put - the Type 3 font of the glyphs used, into the revision; its object number. */
int mark_font_put(fz_context *ctx, struct mark_fontuse *u, struct rev *rv);

/* ---- mark_image.c ---------------------------------------------------- */

/* An image XObject ready to write: the same bytes for every document of a worker. */
struct mark_image {
	char *path;
	enum mark_colour colour;
	float height_pt;	/* drawn at most this tall (with path and colour: the cache key) */
	float aspect;		/* width / height */
	char dict[160];		/* entries of the stream dictionary but /Length and /SMask */
	unsigned char *data;
	size_t len;
	unsigned char *alpha;	/* Flate of the soft mask (MC_FREE only), or NULL */
	size_t alpha_len;
	int w, h;		/* pixels */
	struct mark_image *next;
};

/* mark_image_load - path drawn height_pt tall under colour; throws (bad file). */
struct mark_image *mark_image_load(fz_context *ctx, const char *path, enum mark_colour colour,
				   float height_pt);
void mark_image_drop(fz_context *ctx, struct mark_image *im);
/* mark_image_put - the XObject (and its soft mask) into the revision; its object number. */
int mark_image_put(fz_context *ctx, const struct mark_image *im, struct rev *rv);

/* ---- mark_place.c ---------------------------------------------------- */

/* One place the mark goes: a widget. */
struct mark_spot {
	int page;		/* 0-based */
	float w, h;		/* the mark's box in points */
	fz_rect rect;		/* /Rect in the page's default user space */
	fz_matrix m;		/* the appearance's /Matrix: mark space onto rect */
	fz_rect cover;		/* the anchor's box in mark space, to paint white; empty: none */
};

/*
 * mark_place - where profile m goes on doc: fills *spots (fz_malloc'd, *n of
 * them).  Codes: mark.anchor_missing, mark.placement.  MuPDF errors throw.
 */
int mark_place(fz_context *ctx, pdf_document *doc, const struct cfg_mark *m,
	       struct mark_spot **spots, int *n, struct err *e);
/* mark_colour_of - what colours doc allows: 0, or -1 with mark.pdfa. */
int mark_colour_of(fz_context *ctx, pdf_document *doc, enum mark_colour *c, struct err *e);

/* ---- mark_draw.c ----------------------------------------------------- */

/* mark_put - printf into a content stream (short lines; plain C formats, unlike
 * fz_append_printf). */
void mark_put(fz_context *ctx, fz_buffer *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What varies per document, as text. */
struct mark_text {
	const char *id, *url, *name, *jabatan, *nip, *instansi;
	char date[40], time[24];
};

/* The worker's fonts and images (mark.c's cache). */
struct mark_res {
	struct mark_font *font[2];	/* regular, bold */
	struct mark_image *image;	/* NULL: the profile has none */
};

/* A mark drawn once per document, the same on every spot. */
struct mark_body {
	fz_buffer *content;	/* the form's content stream */
	struct mark_fontuse *use[2];	/* /F0, /F1; NULL when unused */
	const struct mark_image *image;	/* /Im0, or NULL */
	float w, h;
};

/* mark_row_height - the height of the row beside the barcode strip (all of h without one). */
float mark_row_height(const struct cfg_mark *m, float h);
/* mark_draw - the content of profile m in a w x h box; mark.placement when it does not fit. */
int mark_draw(fz_context *ctx, const struct cfg_mark *m, const struct mark_text *t,
	      struct mark_res *res, float w, float h, int white, struct mark_body *b,
	      struct err *e);
void mark_body_free(fz_context *ctx, struct mark_body *b);

#endif
