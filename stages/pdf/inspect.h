/*
 * inspect.h - read a document the way a viewer does before it is signed: run
 * every page (contents, resources, annotation appearances, Type 3 glyphs),
 * decode every stream (and count the pixmaps of inline images and the
 * bitmaps of JBIG2 images before anything unpacks them), and compare what MuPDF read with a strict reading of
 * the bytes.  A file a viewer would have to repair or guess at, or whose
 * reading exceeds a budget, gets a refusal code (issue 13).
 */
#ifndef SERTEL_INSPECT_H
#define SERTEL_INSPECT_H

#include <stddef.h>

#include <mupdf/pdf.h>

/* What MuPDF said while reading: its warnings and the errors it recovered from. */
struct inspect_log {
	int n;			/* messages */
	char first[200];	/* the first of them */
	fz_warning_cb *old_warn;
	void *old_warn_user;
	fz_error_cb *old_err;
	void *old_err_user;
};

/* inspect_listen - count MuPDF's messages on ctx from now on (until inspect_unlisten). */
void inspect_listen(fz_context *ctx, struct inspect_log *log);
/* inspect_unlisten - give ctx its previous callbacks back. */
void inspect_unlisten(fz_context *ctx, struct inspect_log *log);

/*
 * inspect_document - the checks, on doc opened from pdf[0..len) while log
 * listens.  NULL when the document is sound; else the code (pdf.loop,
 * pdf.bomb, pdf.ambiguous, pdf.corrupt) with what was found in msg.
 * Never throws.
 */
const char *inspect_document(fz_context *ctx, pdf_document *doc, const unsigned char *pdf,
			     size_t len, struct inspect_log *log, char *msg, size_t cap);

/*
 * inspect_xref_chain - follow startxref and every /Prev in the bytes: a chain
 * that comes back to a section it has read is a loop (MuPDF repairs such a
 * file silently; qpdf reports it): pdf.loop; a section naming many more
 * object numbers than the file's bytes could hold (MuPDF would build a table
 * entry for each: hundreds of MB for a 2 KB file): pdf.corrupt.  The code
 * with msg, or NULL.  Reads only the bytes: call it before MuPDF opens them.
 */
const char *inspect_xref_chain(const unsigned char *pdf, size_t len, char *msg, size_t cap);

#endif
