/*
 * verify.c - PAdES signature verification (see verify.h): verify_pdf runs
 * the pieces over every signature, oldest first, and gives the verdict.
 *
 * The pieces, each with its own error boundary, and what they build on:
 *   verify_bytes.c  raw bytes: revisions ("startxref N %%EOF"), /ByteRange
 *                   sanity and the <hex> hole, on the file as given (never
 *                   on MuPDF's view);
 *   verify_sig.c    structure: MuPDF finds the signature fields and reads
 *                   their dictionaries;
 *   verify_cms.c    crypto: OpenSSL checks our own streamed digest of the
 *                   ranges against the CMS messageDigest, the signature over
 *                   the signed attributes, ESS signing-certificate and
 *                   timestamp tokens (uses verify_bytes, verify_trust);
 *   verify_pkcs1.c  crypto of the legacy adbe.x509.rsa_sha1: a bare PKCS#1
 *                   signature, the certificate in /Cert (uses the same);
 *   verify_trust.c  the chain at the signing time, CRLs among the anchors,
 *                   the registry callback;
 *   verify_diff.c   changes: the signed revision and the whole file opened
 *                   as two MuPDF documents and compared by the policy
 *                   (uses verify_bytes, verify_xref);
 *   verify_xref.c   the cross-reference entries written after a signature
 *                   against the bytes (uses verify_bytes);
 *   verify_lost.c   signatures a later revision took out of the form, found
 *                   in the revision they signed (uses verify_diff, verify_sig);
 *   verify_str.c    the strings all of them write (times, names, serials).
 * A piece calls only the pieces it names as used (and verify_str.c), never
 * this file.  The printers (verify_print.c) take the finished report;
 * verify_pdf does not call them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "../../base/exits.h"
#include "../../base/hex.h"
#include "sniff.h"
#include "verify.h"
#include "verify_bytes.h"
#include "verify_cms.h"
#include "verify_diff.h"
#include "verify_xref.h"
#include "verify_lost.h"
#include "verify_pkcs1.h"
#include "verify_sig.h"
#include "verify_str.h"

/* open_whole - MuPDF's view of the file; NULL with why. */
static pdf_document *
open_whole(fz_context *ctx, const unsigned char *p, size_t len, struct verify_report *r)
{
	pdf_document *doc = NULL;

	fz_var(doc);
	fz_try(ctx) {
		doc = verify_open_prefix(ctx, p, len);
		r->repaired = pdf_was_repaired(ctx, doc);
		/* an encrypted one is read as viewers read it, with the empty password */
		if (pdf_needs_password(ctx, doc))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the document needs a password to open");
		if (!doc->crypt && pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Encrypt)))
			fz_throw(ctx, FZ_ERROR_GENERIC, "its encryption (/Encrypt) cannot be read");
		SETF(r->info_id, "%s", pdf_to_text_string(ctx, pdf_dict_getp(ctx,
			pdf_trailer(ctx, doc), "Info/SertelID")));
	}
	fz_catch(ctx) {
		SETF(r->why, "cannot read the PDF: %s", fz_caught_message(ctx));
		pdf_drop_document(ctx, doc);
		doc = NULL;
	}
	return doc;
}

/*
 * raw_contents - of an encrypted document, /Contents as the file holds it:
 * it is never encrypted (ISO 32000-1 7.6.1), but MuPDF decrypts the strings
 * of every object it loads.  The gap between the two byte ranges when it is
 * a <hex> string; otherwise fd stays as loaded and verify_coverage says why.
 * -1 when out of memory.
 */
static int
raw_contents(const unsigned char *p, size_t len, const struct verify_sig *s,
	     struct verify_found *fd)
{
	unsigned long long a = (unsigned long long)s->br[1], b = (unsigned long long)s->br[2];
	unsigned char *c;
	size_t n;

	if (s->nbr != 4 || s->br[1] < 0 || s->br[2] < 0 || b > len || b < a + 2 ||
	    p[a] != '<' || p[b - 1] != '>' || (b - a - 2) % 2 != 0)
		return 0;
	n = (size_t)(b - a - 2) / 2;
	if ((c = malloc(n ? n : 1)) == NULL)
		return -1;
	if (hex_decode((const char *)p + a + 1, n, c) < 0) {
		free(c);
		return 0;
	}
	free(fd->contents);
	fd->contents = c;
	fd->clen = n;
	fd->missing = 0;
	return 0;
}

/* verdict - tampered beats undecided beats untrusted beats intact. */
static void
verdict(struct verify_report *r)
{
	int tampered = 0, undecided = r->nsig == 0, untrusted = 0;
	size_t i;

	for (i = 0; i < r->nsig; i++) {
		const struct verify_sig *s = &r->sig[i];

		tampered |= s->integrity == VI_FAILED || s->coverage == VC_INVALID ||
			    s->mods == VM_DISALLOWED;
		undecided |= s->integrity == VI_UNDECIDED || s->mods == VM_UNDECIDED ||
			     s->trust == VT_UNDECIDED;
		untrusted |= s->trust == VT_UNTRUSTED;
	}
	if (r->nsig == 0 && !r->why[0])
		SETF(r->why, "the document has no signature");
	r->verdict = tampered ? VV_TAMPERED : undecided ? VV_UNDECIDED
				: untrusted ? VV_UNTRUSTED : VV_INTACT;
}

/* check_one - every check of one signature. */
static void
check_one(fz_context *ctx, pdf_document *doc, const unsigned char *p, size_t len,
	  const struct verify_revs *rv, const struct verify_found *fd, struct verify_sig *s,
	  X509_STORE *store, const struct verify_opts *o)
{
	struct verify_value v = { fd->contents, fd->clen, fd->missing, fd->cert, fd->certlen };

	verify_coverage(s, p, len, rv, fd->contents, fd->clen);
	verify_binding(ctx, doc, p, fd, s);
	if (s->doc_timestamp)
		verify_doc_ts(s, p, len, &v, store);
	else if (!strcmp(s->subfilter, "adbe.x509.rsa_sha1"))
		verify_pkcs1(s, p, len, &v, store, o);
	else
		verify_cms(s, p, len, &v, store, o);
	verify_mods(ctx, doc, p, len, fd->fieldnum, fd->signum, s);
}

int
verify_pdf(fz_context *ctx, const unsigned char *pdf, size_t len, const struct verify_opts *o,
	   struct verify_report *r)
{
	struct verify_opts opts = *o;
	X509_STORE *store = o->anchors;
	pdf_document *doc = NULL;
	struct verify_finds f;
	struct verify_revs rv;
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof *r);
	memset(&f, 0, sizeof f);
	r->size = len;
	if (opts.now == 0)
		opts.now = time(NULL);
	if (!sniff_pdf(pdf, len)) {
		SETF(r->why, "not a PDF (no %%PDF- header)");
		r->verdict = VV_UNDECIDED;
		return 0;
	}
	if (verify_revs_find(pdf, len, &rv) < 0 ||
	    (store == NULL && (store = X509_STORE_new()) == NULL)) {
		rc = -1;
		goto out;
	}
	r->revisions = rv.n;
	if (rv.n > 0 && !verify_only_ws(pdf, rv.end[rv.n - 1], len))
		r->trailing = len - rv.end[rv.n - 1];
	if ((doc = open_whole(ctx, pdf, len, r)) == NULL ||
	    (rc = verify_find_sigs(ctx, doc, &f, r)) < 0 ||
	    (rc = verify_lost_sigs(ctx, pdf, len, &rv, &f, r)) < 0)
		goto out;
	if (r->nsig == 0 && !r->why[0] && memmem(pdf, len, "/ByteRange", 10))
		SETF(r->why, "no signature is reachable from the form, yet the file holds signature "
		     "dictionaries (/ByteRange): damaged, or a signature was detached");
	verify_sort_sigs(r, &f);
	for (i = 0; i < r->nsig; i++) {
		if (doc->crypt && raw_contents(pdf, len, &r->sig[i], &f.v[i]) < 0) {
			rc = -1;
			goto out;
		}
		check_one(ctx, doc, pdf, len, &rv, &f.v[i], &r->sig[i], store, &opts);
	}
out:
	verdict(r);
	verify_finds_free(ctx, &f);
	pdf_drop_document(ctx, doc);
	if (store != o->anchors)
		X509_STORE_free(store);
	verify_revs_free(&rv);
	ERR_clear_error();
	return rc;
}

void
verify_report_free(struct verify_report *r)
{
	free(r->sig);
	memset(r, 0, sizeof *r);
}

int
verify_exit_code(const struct verify_report *r)
{
	static const int code[] = { EX_OK, EX_TAMPERED, EX_UNTRUSTED, EX_UNDECIDED };

	return code[r->verdict];
}
