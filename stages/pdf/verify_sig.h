/*
 * verify_sig.h - the signatures of a document as MuPDF finds them: every
 * signed /FT/Sig field of the form, the facts of its signature dictionary
 * (field name, /SubFilter, /SertelID, /M, /ByteRange) and its /Contents, and
 * whether that dictionary holds the /Contents hole.  Every call catches
 * MuPDF's exceptions itself.
 */
#ifndef SERTEL_VERIFY_SIG_H
#define SERTEL_VERIFY_SIG_H

#include <stddef.h>

#include <mupdf/pdf.h>

#include "verify_types.h"

/* One signature as found in the document. */
struct verify_found {
	pdf_obj *field;		/* kept */
	pdf_obj *sig;		/* kept */
	unsigned char *contents;	/* /Contents bytes (malloc) */
	size_t clen;
	int missing;		/* no /Contents string at all */
	unsigned char *cert;	/* /Cert: DER certificates back to back (malloc), NULL none */
	size_t certlen;
	int signum;		/* object number of the signature dictionary, 0 if direct */
	int fieldnum;
	long long sigofs;	/* a lost one's (sig NULL, verify_lost.h): where
				 * its own revision puts the dictionary */
};

/* Every signature found; v[i] goes with r->sig[i]. */
struct verify_finds {
	struct verify_found *v;
	size_t n, cap;
};

/*
 * verify_find_sigs - every signature field with a signature dictionary:
 * r->sig and r->nsig filled with the facts, in form order, each field once
 * however often the form lists it (walk.h).  0, or 0 with r->why when the
 * form cannot be read or holds more than 256 signatures (each would hash up
 * to the whole file), or -1 when out of memory.
 */
int verify_find_sigs(fz_context *ctx, pdf_document *doc, struct verify_finds *f,
		     struct verify_report *r);
/* verify_sort_sigs - oldest signature first (where its signed bytes end), f along. */
void verify_sort_sigs(struct verify_report *r, struct verify_finds *f);
/* verify_finds_free - drop what verify_find_sigs kept. */
void verify_finds_free(fz_context *ctx, struct verify_finds *f);

/*
 * verify_sig_offset - the byte offset doc's xref gives object num (an
 * uncompressed object), or -1 (none, compressed, out of range, unreadable).
 */
long long verify_sig_offset(fz_context *ctx, pdf_document *doc, int num);
/*
 * verify_binding - the signature dictionary must hold the hole: inside the
 * bytes it signs.  s->coverage becomes VC_INVALID when it does not.  Looked
 * up in doc, or for a signature a later revision took out of the form
 * (fd->sig NULL), where its own revision puts it (fd->sigofs).
 */
void verify_binding(fz_context *ctx, pdf_document *doc, const unsigned char *p,
		    const struct verify_found *fd, struct verify_sig *s);

#endif
