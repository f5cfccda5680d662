/*
 * verify_xref.h - the cross-reference sections written after a signature,
 * checked against the bytes of the file: every entry must point inside the
 * file at the object it names.  An entry that lies makes readers differ
 * (MuPDF rebuilds the table by scanning, others trust it), so it is
 * tampering, whatever the objects then say.
 */
#ifndef SERTEL_VERIFY_XREF_H
#define SERTEL_VERIFY_XREF_H

#include <stddef.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

/*
 * verify_xref_lies - 1 with why (what lies, and where) when a cross-reference
 * section after byte end (a signed revision's end) of the len bytes at p has
 * an entry outside the file or at bytes that do not hold its object, or
 * cannot be read as written while the signed revision's can; else 0.
 * Catches MuPDF's exceptions itself (out of memory: 0).
 */
int verify_xref_lies(fz_context *ctx, const unsigned char *p, size_t len, size_t end, char *why,
		     size_t cap);

/* verify_open_prefix - MuPDF's view of the file cut at end (a revision); throws. */
pdf_document *verify_open_prefix(fz_context *ctx, const unsigned char *p, size_t end);

#endif
