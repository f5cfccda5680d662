/*
 * pades.h - PAdES baseline B-B (or B-T) signatures written as an incremental update.
 *
 * The original bytes are never rewritten: the output is the original followed
 * by one new revision holding the signature dictionary, its field/widget, the
 * updated page, catalog/AcroForm and Info, and a cross-reference section of
 * the same kind as the original's (table or stream).  The digest is streamed
 * over the two byte ranges; the CMS (detached, ESS signing-certificate-v2,
 * no signing-time attribute) is written into the /Contents hole, whose size
 * comes from the real CMS length.  With a timestamp callback the signature
 * becomes PAdES B-T: an RFC 3161 token over the signature value is added as
 * the unsigned attribute id-aa-signatureTimeStampToken before the CMS is
 * encoded, in room kept free by reserve.
 */
#ifndef SERTEL_PADES_H
#define SERTEL_PADES_H

#include <stddef.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openssl/evp.h>

#include "../../base/err.h"
#include "../../pki/keystore.h"

/*
 * pades_timestamp_fn - an RFC 3161 TimeStampToken (DER ContentInfo) over sig,
 * the SignerInfo's signature value, in *token allocated with OPENSSL_malloc
 * (pades_sign frees it).  Returns 0; 1 when there is no token but the
 * signature may go without one (B-B; the room stays reserved for
 * pades_augment); or -1 with e set: its code becomes the document's (e.g.
 * timestamp.unavailable) and nothing is written.
 */
typedef int (*pades_timestamp_fn)(void *arg, const unsigned char *sig, size_t siglen,
				  unsigned char **token, size_t *tokenlen, struct err *e);

/*
 * pades_sign_fn - the signature value over tbs (the DER SET OF signed
 * attributes) with md, RSASSA-PSS when pss, in *sig (OPENSSL_malloc, freed
 * by pades_sign): how a process without the private key signs (the key
 * process, pki/keyclient.h).  0, or -1 with e set (its code becomes the
 * document's).
 */
typedef int (*pades_sign_fn)(void *arg, const EVP_MD *md, int pss, const unsigned char *tbs,
			     size_t tbslen, unsigned char **sig, size_t *siglen, struct err *e);

struct rev;

/*
 * The visible signature (the visual mark).  pades_sign calls appearance while
 * it builds the revision, after the signature dictionary: the callback adds
 * its objects (the appearance form XObjects, fonts, images) with revision.h's
 * calls, and points *w at its own array of *nw widgets (0: invisible), which
 * must stay valid until pades_sign returns: for each, the page, the /Rect in
 * that page's default user space and the appearance's object number.  One
 * widget is merged with the signature field; several become the field's
 * /Kids (a mark on every page, or at every anchor).  The mark is thus inside
 * the revision the signature covers.  Returns 0, or -1 with e set (its code
 * becomes the document's); it may also throw (MuPDF).
 */
struct pades_widget {
	int page;		/* 0-based */
	fz_rect rect;
	int ap;			/* object number of the /AP /N form XObject */
};
typedef int (*pades_appearance_fn)(void *arg, fz_context *ctx, pdf_document *doc, struct rev *rv,
				   const struct pades_widget **w, int *nw, struct err *e);

struct pades_request {
	const unsigned char *pdf;	/* the original file, e.g. mmapped */
	size_t len;
	const struct signer_key *key;	/* its pkey may be the public key alone when sign is set */
	pades_sign_fn sign;		/* NULL: key->pkey signs here */
	void *sign_arg;
	const char *doc_id;		/* ID Tanda Tangan Elektronik (sig dict + Info) */
	const char *name;		/* /Name: the signer's name */
	const char *reason;		/* /Reason */
	const char *location;		/* /Location */
	time_t when;			/* /M */
	const EVP_MD *md;		/* NULL means SHA-256 */
	int pss;			/* RSA keys: RSASSA-PSS instead of PKCS#1 v1.5 */
	int certify;			/* 1-3: a certification signature with DocMDP /P
					 * this value when the document has no signature
					 * yet (else approval); 0: approval */
	size_t reserve;			/* extra bytes kept free in /Contents, e.g. 8192
					 * for an RFC 3161 token; 0 = none */
	pades_appearance_fn appearance;	/* NULL: invisible signature */
	void *appearance_arg;
	pades_timestamp_fn timestamp;	/* NULL: no timestamp (B-B) */
	void *timestamp_arg;
	int append;			/* out_fd is the original file itself: write only the
					 * new revision, at offset len (an incremental update
					 * in place: no copy, no new file) */
};

struct pades_result {
	int deferred;			/* the timestamp callback returned 1: B-B */
	int certified;			/* DocMDP /P written (0: approval signature) */
	unsigned char sha256[32];	/* of the whole signed output */
	size_t size;			/* bytes written */
};

/*
 * pades_sign - sign rq->pdf, already opened by the caller as doc (same bytes),
 * writing the complete signed file to out_fd (from offset 0, not fsynced), or
 * with rq->append only the revision after the original already in out_fd.
 * Errors: pdf.encrypted, pdf.corrupt (e.g. a file MuPDF had to repair, whose
 * xref an incremental update cannot extend), sign.failed (also a token that
 * does not fit the reserve), io.error, and whatever rq->timestamp reports.
 */
int pades_sign(fz_context *ctx, pdf_document *doc, const struct pades_request *rq,
	       int out_fd, struct pades_result *res, struct err *e);

/*
 * pades_augment - add the signature timestamp later (B-B to B-T): hole is
 * the "<hex>" of a signature's /Contents, outside the bytes it signs.  Its
 * CMS gets an RFC 3161 token over its signature value from ts (which must
 * give one) as the unsigned attribute id-aa-signatureTimeStampToken, and is
 * written back into hole, zero-padded: the file keeps its size and every
 * signed byte.  Errors: sign.failed (not a CMS, stamped already, no room),
 * and whatever ts reports.
 */
int pades_augment(char *hole, size_t hole_len, pades_timestamp_fn ts, void *arg, struct err *e);

#endif
