/*
 * verify.h - verify the PAdES signatures of a PDF, telling integrity apart from trust.
 *
 * For every signature (oldest first): the /ByteRange on the raw bytes (it must
 * be [0 a b c] with the hole exactly the <hex> of /Contents and b+c the end of
 * a revision), the digest of the ranges against the CMS messageDigest, the
 * signature over the signed attributes (or over the digest itself; the
 * formats and keys are in verify_cms.h and verify_pkcs1.h), the signature
 * dictionary inside the bytes it signs, an RFC 3161 signature timestamp if
 * there is one, the chain to the anchors at the signing time, revocation
 * (CRLs among the anchors, and the lookup callback), a weak digest (SHA-1:
 * not trusted) and, when later revisions follow, whether they changed what
 * the signature protects.
 *
 * Later revisions are judged by comparing the document as the signer saw it
 * (the file cut at the end of the signed revision, opened by MuPDF on its own)
 * with the whole file, object graph against object graph from the catalog.
 * Allowed: new signed signature fields of the form and their widgets (each
 * such signature is verified in its own right), form field values with their
 * appearances, /AcroForm /SigFlags and /DR, /DSS, /Perms and /Extensions in the catalog,
 * and anything not reachable from the catalog (Info, trailer /ID).  Everything
 * else that differs is a disallowed change: page content, resources and page
 * keys, other annotations, a widget outside the form or of an empty signature
 * field (it could paint over the page), other catalog keys (/Metadata too), a
 * field value the signature's /Lock protects; with DocMDP P=1, any change.  MuPDF's own
 * pdf_validate_changes is not used: it rejects a rewritten page dictionary or
 * catalog, which is how sertel itself (and most signers) add a countersignature.
 *
 * Verdict (and exit code): tampered (1) beats could-not-decide (2) beats
 * not-trusted (3) beats intact-and-trusted (0).
 */
#ifndef SERTEL_VERIFY_H
#define SERTEL_VERIFY_H

#include <stdio.h>

#include <mupdf/fitz.h>

#include "verify_types.h"

/*
 * verify_pdf - fill r (caller zeroes nothing; free with verify_report_free)
 * from the file bytes.  ctx is the caller's MuPDF context; its warnings are
 * the caller's business.  Returns 0 when r holds a verdict (possibly
 * VV_UNDECIDED with r->why, e.g. not a PDF), -1 when out of memory.
 */
int verify_pdf(fz_context *ctx, const unsigned char *pdf, size_t len, const struct verify_opts *o,
	       struct verify_report *r);
void verify_report_free(struct verify_report *r);

/* verify_exit_code - 0 intact and trusted, 1 tampered, 3 not trusted, 2 undecided. */
int verify_exit_code(const struct verify_report *r);

/* verify_print_text / verify_print_json - the report for people / for programs. */
void verify_print_text(FILE *out, const char *file, const struct verify_report *r);
void verify_print_json(FILE *out, const char *file, const struct verify_report *r);

/* Names of the states, as JSON gives them (for tests and other printers). */
const char *verify_integrity_name(enum verify_integrity v);
const char *verify_coverage_name(enum verify_coverage v);
const char *verify_mods_name(enum verify_mods v);
const char *verify_trust_name(enum verify_trust v);
const char *verify_verdict_name(enum verify_verdict v);
const char *verify_store_name(enum verify_store v);

/* verify_json_string - s as a JSON string literal (quotes included) on out. */
void verify_json_string(FILE *out, const char *s);

#endif
