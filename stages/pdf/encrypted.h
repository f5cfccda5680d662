/*
 * encrypted.h - whether sertel may sign an encrypted document, and if not,
 * why (for the administrator, in Bahasa Indonesia).
 *
 * It may when the document opens with the empty user password and its
 * permissions (/P, ISO 32000-2 table 22) allow what signing does: a new
 * signature field is a form field and an annotation, which takes bits 4
 * (modify) and 6 (annotations, form filling); bit 9 alone allows filling
 * existing fields only.  The new revision is then encrypted with the
 * document's own key (revision.h), as Acrobat and pyHanko do.
 */
#ifndef SERTEL_ENCRYPTED_H
#define SERTEL_ENCRYPTED_H

#include <stddef.h>

#include <mupdf/pdf.h>

/* encrypted_perms_allow - whether permissions p allow a new signature field. */
int encrypted_perms_allow(int p);

/*
 * encrypted_refusal - NULL when doc is not encrypted or sertel may sign it;
 * else the reason in msg (n bytes), which is returned.  Throws.
 */
const char *encrypted_refusal(fz_context *ctx, pdf_document *doc, char *msg, size_t n);

#endif
