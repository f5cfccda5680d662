/*
 * mark.h - the visual mark: a QR code, barcode, image and/or text block with
 * the document's ID TTE, drawn as the appearance of the signature's widget,
 * so it lies inside the revision the signature covers (Lampiran I A).
 *
 * The mark stage (between validate and sign) picks the document's profile
 * (config marks:), finds where it goes and draws it into a plan; sign passes
 * mark_appearance with that plan to pades_sign, which calls it to write the
 * objects.  Fonts and images are loaded once per worker into a mark_cache.
 *
 *   mark.c              the stage (pick the profile, prepare the plan) and the
 *                       appearance callback pades_sign calls (write the objects)
 *   mark/mark_place.c   where: pages, corners, anchors, rotation, UserUnit, boxes
 *   mark/mark_draw.c    what: the layout of QR, barcode, image and text in the box
 *   mark/mark_code.c    QR code and Code 128 modules (libzint)
 *   mark/mark_font.c    text: Type 3 fonts built from MuPDF's built-in Helvetica
 *   mark/mark_image.c   PNG/JPEG into an image XObject in the right colour space
 *
 * Geometry: the mark is drawn in its own space, points, origin at the lower
 * left corner of its box, y up, upright as the reader sees it.  Placement
 * maps that box onto the page (mark_place.c), whatever the page's rotation.
 */
#ifndef SERTEL_MARK_H
#define SERTEL_MARK_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../base/err.h"
#include "pdf/pades.h"

struct mark_cache;
struct mark_plan;

/* mark_cache_new - an empty cache (NULL when out of memory); filled on first use. */
struct mark_cache *mark_cache_new(void);
void mark_cache_free(fz_context *ctx, struct mark_cache *mc);
void mark_plan_free(fz_context *ctx, struct mark_plan *p);

struct doc;
struct cfg_mark;
/*
 * mark_prepare - the mark stage's run with profile m given (NULL: no mark):
 * d->mark set, or -1 with the findings in d->errs.  For documents sertel
 * writes itself (the berita acara), which no marks: rule names.
 */
int mark_prepare(struct doc *d, const struct cfg_mark *m);

/* mark_appearance - pades_appearance_fn over a struct mark_plan. */
int mark_appearance(void *plan, fz_context *ctx, pdf_document *doc, struct rev *rv,
		    const struct pades_widget **w, int *nw, struct err *e);

#endif
