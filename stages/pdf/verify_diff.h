/*
 * verify_diff.h - the later-revision comparison: what the bytes after a
 * signature changed in what it signed, each change allowed or not (the
 * rules are in verify.h).
 */
#ifndef SERTEL_VERIFY_DIFF_H
#define SERTEL_VERIFY_DIFF_H

#include <stddef.h>

#include <mupdf/pdf.h>

#include "verify_types.h"

/*
 * verify_mods - s->mods (with why) and s->changes: the document as signed
 * (p cut at s->end) against whole, the whole file as MuPDF opened it.
 * fieldnum and signum are the object numbers of the signature's field and
 * dictionary (its /Lock and DocMDP).  Catches MuPDF's exceptions itself.
 */
void verify_mods(fz_context *ctx, pdf_document *whole, const unsigned char *p, size_t len,
		 int fieldnum, int signum, struct verify_sig *s);


#endif
