/*
 * pdfa.h - what a PDF/A claim asks of the revisions sertel appends.
 */
#ifndef SERTEL_PDFA_H
#define SERTEL_PDFA_H

#include <mupdf/pdf.h>

/* pdfa_claimed - the catalog's XMP metadata names a PDF/A part (throws). */
int pdfa_claimed(fz_context *ctx, pdf_obj *root);

#endif
