/*
 * mark_place.h - where a mark goes: pages, corners, anchors, rotation,
 * UserUnit, boxes (mark_place.c).
 */
#ifndef SERTEL_MARK_PLACE_H
#define SERTEL_MARK_PLACE_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../../base/err.h"
#include "../../config/cfg.h"
#include "mark_colour.h"

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
 * them).  Codes: mark.anchor_missing, mark.placement.  MuPDF errors, and a
 * page tree walk_pages_check refuses, throw.
 */
int mark_place(fz_context *ctx, pdf_document *doc, const struct cfg_mark *m,
	       struct mark_spot **spots, int *n, struct err *e);
/* mark_colour_of - what colours doc allows (throws: XMP that cannot be read). */
enum mark_colour mark_colour_of(fz_context *ctx, pdf_document *doc);

#endif
