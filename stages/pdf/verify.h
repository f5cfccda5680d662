/*
 * verify.h - verify the PAdES signatures of a PDF, telling integrity apart from trust.
 *
 * For every signature (oldest first): the /ByteRange on the raw bytes (it must
 * be [0 a b c] with the hole exactly the <hex> of /Contents and b+c the end of
 * a revision), the digest of the ranges against the CMS messageDigest, the
 * signature over the signed attributes, the signature dictionary inside the
 * bytes it signs, an RFC 3161 signature timestamp if there is one, the chain
 * to the anchors at the signing time, revocation (CRLs among the anchors, and
 * the lookup callback) and, when later revisions follow, whether they changed
 * what the signature protects.
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

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <openssl/x509.h>

enum verify_integrity { VI_OK, VI_FAILED, VI_UNDECIDED };
enum verify_coverage { VC_WHOLE, VC_REVISION, VC_INVALID };
enum verify_mods { VM_NONE, VM_ALLOWED, VM_DISALLOWED, VM_UNDECIDED };
enum verify_trust { VT_TRUSTED, VT_UNTRUSTED, VT_UNDECIDED };
enum verify_tst { VTS_NONE, VTS_VALID, VTS_UNTRUSTED, VTS_INVALID };
enum verify_time { VTIME_NONE, VTIME_CLAIMED, VTIME_TIMESTAMP };
enum verify_verdict { VV_INTACT, VV_TAMPERED, VV_UNTRUSTED, VV_UNDECIDED };

/* What a registry knows about a document ID and a certificate. */
enum verify_store { VS_NOT_CHECKED, VS_STORED, VS_DELETED, VS_NOT_FOUND, VS_ERROR };
enum verify_revocation { VR_NOT_CHECKED, VR_GOOD, VR_REVOKED };

struct verify_query {
	const char *doc_id;	/* /SertelID of the signature, or NULL */
	X509 *signer;		/* the signer's certificate */
	const char *serial;	/* its serial, upper-case hex (as sertel's database keeps it) */
	time_t signing_time;	/* 0 when unknown */
};

struct verify_lookup_result {
	enum verify_store store;	/* the document ID in the store */
	char store_serial[80];		/* certificate serial recorded for the ID, "" unknown */
	enum verify_revocation revocation;	/* the certificate */
	time_t revoked_at;		/* 0 = unknown (counts as before signing) */
	char detail[160];		/* for the report, e.g. why the lookup failed */
};

/*
 * verify_lookup_fn - a registry: fill out (zeroed by the caller) for q.
 * Returns 0, or -1 with out->detail (the report says "error", the verdict is
 * unaffected).  Today the CLI answers the store part from sertel.db; a
 * certificate registry answers revocation through the same call later.
 */
typedef int (*verify_lookup_fn)(void *arg, const struct verify_query *q,
				struct verify_lookup_result *out);

struct verify_opts {
	X509_STORE *anchors;	/* trust anchors (and CRLs) for signers and TSAs; NULL = none */
	verify_lookup_fn lookup;	/* NULL = no registry */
	void *lookup_arg;
	time_t now;		/* 0 = time(NULL); chain time when a signature has no time */
};

#define VERIFY_CHANGES 12	/* changes listed per signature; more are counted */

struct verify_sig {
	char field[128];	/* fully qualified field name */
	char subfilter[48];
	char sertel_id[40];	/* /SertelID of the signature dictionary, "" none */
	int doc_timestamp;	/* /Type/DocTimeStamp (ETSI.RFC3161) */
	long long br[4];	/* /ByteRange as found */
	int nbr;		/* number of entries in /ByteRange (4 expected) */
	size_t end;		/* b + c: where the signed bytes end */
	int revision;		/* 1-based revision ending at end, 0 if none does */

	char subject[256], issuer[256], serial[80];
	char digest[16];	/* e.g. "SHA256" */

	enum verify_time time_source;
	time_t signing_time;	/* timestamp genTime, else /M, else 0 */
	time_t claimed_time;	/* /M, 0 when absent */

	enum verify_integrity integrity;
	char integrity_why[240];
	enum verify_coverage coverage;
	char coverage_why[240];
	enum verify_mods mods;
	char mods_why[240];
	char changes[VERIFY_CHANGES][160];	/* "allowed: ..." / "DISALLOWED: ..." */
	int nchanges, changes_dropped;
	enum verify_tst tst;
	time_t tst_time;
	char tst_why[240];
	enum verify_trust trust;
	char trust_why[240];
	struct verify_lookup_result reg;	/* registry answer (store + revocation) */
	enum verify_revocation revocation;	/* CRLs among the anchors and the registry */
	char crl_why[160];	/* what the CRLs said, "" none applies */
};

struct verify_report {
	size_t size;		/* bytes in the file */
	int revisions;		/* "startxref N %%EOF" sections found */
	size_t trailing;	/* bytes after the last revision (other than white space) */
	int repaired;		/* MuPDF had to repair the cross-reference table */
	char info_id[40];	/* /SertelID of the Info dictionary, "" none */
	char why[240];		/* document-level reason when verdict is undecided */
	struct verify_sig *sig;	/* oldest first */
	size_t nsig;
	enum verify_verdict verdict;
};

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
