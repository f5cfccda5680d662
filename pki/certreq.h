/*
 * certreq.h - a certificate application's key material (Pasal 14): a key
 * pair made here, its PKCS#10 request, and the private key sealed in a
 * PKCS#12 under the holder's passphrase (the only form it is ever written
 * in); and the check of the certificate a CA issued for such a request.
 */
#ifndef SERTEL_CERTREQ_H
#define SERTEL_CERTREQ_H

#include <stddef.h>

#include <openssl/x509.h>

#include "../base/err.h"

/* Who the request is for, as its subject and e-mail say. */
struct certreq_subject {
	const char *name;		/* CN */
	const char *id;			/* serialNumber: the NIP, or the NIK where there is none */
	const char *email;		/* emailAddress and subjectAltName rfc822Name */
	const char *org, *unit;		/* O (the instansi), OU (the unit kerja) */
};

/* The files of a request, in memory (caller frees with certreq_free). */
struct certreq_out {
	char *csr_pem;			/* the PKCS#10 request, PEM */
	size_t csr_len;
	unsigned char *p12;		/* the private key alone, in a PKCS#12 (DER) */
	size_t p12_len;
	char alg[16];			/* "rsa-2048" or "ec-p256" */
	char spki_sha256[65];		/* SHA-256 of the public key's SubjectPublicKeyInfo */
};

/*
 * certreq_make - a new key pair of alg ("rsa": RSA 2048, "ec": P-256), a
 * request for s signed with it, and the key in a PKCS#12 under pass.  0, or
 * -1 with e (cert.key).
 */
int certreq_make(const char *alg, const struct certreq_subject *s, const char *pass,
		 struct certreq_out *out, struct err *e);
/*
 * certreq_make_key - the same with a key made elsewhere (k, e.g. in a
 * token; the caller keeps it); pass NULL: no PKCS#12 (the key stays where
 * it is).  out is zeroed by the caller.
 */
int certreq_make_key(EVP_PKEY *k, const struct certreq_subject *s, const char *pass,
		     struct certreq_out *out, struct err *e);
void certreq_free(struct certreq_out *out);

/* What the certificate says, for the registry. */
struct certreq_issued {
	char serial[80];		/* hex, upper case */
	char issuer[256], subject[256];	/* RFC 2253 */
	long long not_before, not_after;	/* Unix time */
};

/* certreq_describe - what the registry records of certificate x, into d. */
void certreq_describe(X509 *x, struct certreq_issued *d);

/*
 * certreq_check_cert - the certificate in PEM file path (any further
 * certificates in it are its chain) against the request: its public key's
 * SHA-256 is spki_sha256, its serialNumber is one of ids[0..nids), its CN
 * is s->name and its e-mail s->email; it chains to the anchors (PEM files
 * anchors[0..n)) and is valid at now.  0 with x filled and, when chain is
 * not NULL, *chain the verified chain from the certificate to its anchor
 * (sk_X509_pop_free it); -1 with e: cert.file (no certificate),
 * cert.mismatch (the detail names what differs), cert.untrusted (no chain
 * to an anchor, or not valid at now).
 */
int certreq_check_cert(const char *path, const char *spki_sha256, const char *const *ids,
		       size_t nids, const struct certreq_subject *s, char *const *anchors,
		       size_t n, long long now, struct certreq_issued *x, STACK_OF(X509) **chain,
		       struct err *e);

/*
 * certreq_keystore - the signing keystore: the request's key (from its
 * PKCS#12 p12[0..len), opened with pass) with its certificate and chain
 * (as certreq_check_cert gave it), in a new PKCS#12 under the same
 * passphrase, friendly name name.  0 with *out (OPENSSL_free it); -1 with e
 * (cert.keystore: the passphrase does not open it, or another key).
 */
int certreq_keystore(const unsigned char *p12, size_t len, const char *pass,
		     STACK_OF(X509) *chain, const char *name, unsigned char **out, size_t *out_len,
		     struct err *e);

/*
 * certreq_names - whether certificate x names the holder: its CN is name
 * and, when it carries a serialNumber, that is id (a NIP or NIK).  1 yes;
 * 0 no, with why (what it names instead).  The check `signer.identity`
 * will make of a configured signer; `config check` reports it today.
 */
int certreq_names(X509 *x, const char *name, const char *id, char *why, size_t cap);

#endif
