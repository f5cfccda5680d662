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
 * with the whole file, object graph against object graph from the catalog,
 * each pair of objects once.  The policy is the README's table "What may
 * change after a signature", per DocMDP level (none behaves as P=2):
 *   always: /DSS, document timestamps, catalog /Extensions, /Version,
 *     /MarkInfo, the catalog's XMP /Metadata (an XML stream), and anything
 *     not reachable from the catalog (/Info, trailer /ID);
 *   not after P=1: an empty signature field signed (its value, appearance,
 *     /F, new widgets in its /Kids), new signature fields with their widgets
 *     (an empty one's widgets must draw nothing), form field values filled
 *     in with their appearances (not a field the signature's /Lock
 *     protects), /Ff ReadOnly and the quiet /F bits (ReadOnly, Locked,
 *     LockedContents);
 *   only after P=3: other annotations added, changed or removed.
 * Everything else that differs is a disallowed change: page content,
 * resources and page keys, an appearance that changes while its value does
 * not (removed, replaced in place, through an indirect /AP or an object the
 * new signature's appearance shares, /NeedAppearances set), /DV, other /Ff
 * and /F bits, fields or widgets removed or added to other fields, other
 * catalog keys, a signed signature field or its dictionary.  A rule that
 * allows a change never exempts the objects below it from being compared
 * where a page reaches them.  Also tampering: a cross-reference entry
 * written after the signature that points outside the file or at bytes
 * that do not hold its object (verify_xref.h), and a signature that a later
 * revision took out of the form (verify_lost.h: it is found in the revision
 * it signed and judged with the others).  MuPDF's own pdf_validate_changes
 * is not used: it rejects a rewritten page dictionary or catalog, which is
 * how sertel itself (and most signers) add a countersignature.
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


#endif
