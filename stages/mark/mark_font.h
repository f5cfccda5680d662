/*
 * mark_font.h - text: Type 3 fonts built from MuPDF's built-in Helvetica (mark_font.c).
 */
#ifndef SERTEL_MARK_FONT_H
#define SERTEL_MARK_FONT_H

#include <stddef.h>

#include <mupdf/fitz.h>

struct rev;

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

#endif
