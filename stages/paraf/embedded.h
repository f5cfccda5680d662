/*
 * embedded.h - the paraf metadata carried inside the PDF, for document-
 * management systems that cannot write a sidecar: the same schema-1 YAML as
 * an attached file named SPOOL_EMBEDDED_NAME ("sertel-paraf.yaml") in the
 * catalog's /Names /EmbeddedFiles.
 *
 * Attaching the file changes the PDF's bytes, so a paraf cannot name the
 * hash of the file that carries it.  The rule: the attachment is added as
 * an incremental update, the last revision of the file, and the parafs'
 * sha256 is the SHA-256 of the file before that revision (the draft as
 * approved).  That revision may only add objects and re-write the catalog
 * (/Names and /Metadata may change, nothing else), the /Names dictionary
 * (/EmbeddedFiles may change), the document information dictionary and the
 * XMP stream: nothing a reader renders.  Anything else, or an attachment that
 * is not in an incremental update, refuses the document (sidecar.embedded).
 */
#ifndef SERTEL_EMBEDDED_H
#define SERTEL_EMBEDDED_H

#include <stddef.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../../base/err.h"

struct embedded {
	char *yaml;		/* the attached file's bytes, NUL-terminated; malloc'd */
	size_t len;
	size_t approved;	/* bytes of the file the parafs approved (before the attachment) */
	size_t bare;		/* the same without the end of line after its %%EOF, which a
				 * writer adds when the draft ended without one */
};

/*
 * embedded_load - the attached sidecar of doc (whose raw bytes are p, len).
 * 1 with out filled (free out->yaml), 0 when there is none, -1 with a
 * sidecar.embedded violation appended to errs when it cannot be used.
 */
int embedded_load(fz_context *ctx, pdf_document *doc, const unsigned char *p, size_t len,
		  struct embedded *out, struct errs *errs);

#endif
