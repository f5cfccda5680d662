/*
 * mark_draw.h - what a mark shows: the layout of QR, barcode, image and
 * text in its box (mark_draw.c).
 */
#ifndef SERTEL_MARK_DRAW_H
#define SERTEL_MARK_DRAW_H

#include <mupdf/fitz.h>

#include "../../base/err.h"
#include "../../config/cfg.h"
#include "mark_font.h"
#include "mark_image.h"

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
