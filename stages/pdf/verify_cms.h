/*
 * verify_cms.h - the cryptography of one signature: integrity (our digest of
 * the /ByteRange against what the signer signed), the signing time, and for
 * a CMS signature its trust (verify_trust.h).
 */
#ifndef SERTEL_VERIFY_CMS_H
#define SERTEL_VERIFY_CMS_H

#include <stddef.h>

#include <openssl/x509.h>

#include "verify_types.h"

/*
 * verify_cms - a CMS signature (v: the signature dictionary's /Contents)
 * over the ranges of p, as the /SubFilter says: ETSI.CAdES.detached and
 * adbe.pkcs7.detached sign the ranges (a CMS that carries content must
 * carry exactly them), adbe.pkcs7.sha1 carries their SHA-1 digest and signs
 * that; with or without signed attributes; RSA (PKCS#1 v1.5, PSS), ECDSA,
 * Ed25519, Ed448.  Integrity, the signature timestamp, the signing time,
 * trust.  Sets s->integrity, s->digest (s->weak_digest), signer facts,
 * s->tst, the time and s->trust.  No signature value is a failed integrity;
 * another /SubFilter is undecided.
 */
void verify_cms(struct verify_sig *s, const unsigned char *p, size_t len,
		const struct verify_value *v, X509_STORE *store, const struct verify_opts *o);
/*
 * verify_doc_ts - an ETSI.RFC3161 document timestamp: the token's imprint
 * covers the ranges; the TSA takes the signer's place in s.
 */
void verify_doc_ts(struct verify_sig *s, const unsigned char *p, size_t len,
		   const struct verify_value *v, X509_STORE *store);

#endif
