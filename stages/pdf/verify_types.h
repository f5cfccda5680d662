/*
 * verify_types.h - the vocabulary of a verification: the states a signature
 * is judged in, the registry callback, the options and the report that
 * verify_pdf fills (see verify.h for what each check means).
 *
 * Types only, no functions: the public API (verify.h) and every piece of
 * the verifier (verify_*.c) share them, and none of them depends on the
 * orchestration in verify.c.
 */
#ifndef SERTEL_VERIFY_TYPES_H
#define SERTEL_VERIFY_TYPES_H

#include <stddef.h>
#include <time.h>

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

struct verify_certcache;

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
	char revoked_why[48];		/* the registry's reason, "" none */
	time_t recorded_at;		/* when sertel's database recorded the ID signed, 0 unknown:
					 * a revocation after it came after the signature */
	char detail[160];		/* for the report, e.g. why the lookup failed */
};

/*
 * verify_lookup_fn - a registry: fill out (zeroed by the caller) for q.
 * Returns 0, or -1 with out->detail (the report says "error", the verdict is
 * unaffected).  The CLI answers from sertel.db: the store part from its
 * documents, revocation from its certificate registry.
 */
typedef int (*verify_lookup_fn)(void *arg, const struct verify_query *q,
				struct verify_lookup_result *out);

struct verify_opts {
	X509_STORE *anchors;	/* trust anchors (and CRLs) for signers and TSAs; NULL = none */
	verify_lookup_fn lookup;	/* NULL = no registry */
	void *lookup_arg;
	time_t now;		/* 0 = time(NULL); chain time when a signature has no time */
	struct verify_certcache *certs;	/* certificates parsed before (verify_certs.h);
					 * NULL = parse each CMS whole */
};

/*
 * What a signature dictionary holds for the cryptography (verify_sig.c reads
 * it, verify_cms.c and verify_pkcs1.c judge it).
 */
struct verify_value {
	const unsigned char *contents;	/* /Contents bytes, NULL when there are none */
	size_t clen;
	int missing;			/* no /Contents string at all (else empty or set) */
	const unsigned char *cert;	/* /Cert: DER certificates back to back, NULL none */
	size_t certlen;
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
	char weak_digest[16];	/* the weak digest that binds the document ("SHA1"), "" none */

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
	time_t revoked_after;	/* revoked, but at this time, after the signature's proven
				 * time (timestamp, or sertel's record): it stays valid; 0 not */
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

#endif
