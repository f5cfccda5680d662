/*
 * docmdp.h - whether a document is certified, and what its certification
 * permits (ISO 32000-1 12.8.2.2: the catalog's /Perms /DocMDP signature, its
 * /Reference with TransformMethod DocMDP, TransformParams /P).
 */
#ifndef SERTEL_DOCMDP_H
#define SERTEL_DOCMDP_H

#include <mupdf/pdf.h>

/*
 * docmdp_level - the certification's P: 1 no changes, 2 form filling and
 * signing (also when /P is absent, its default), 3 also annotations; 0 when
 * the document is not certified.  Throws.
 */
int docmdp_level(fz_context *ctx, pdf_document *doc);

#endif
