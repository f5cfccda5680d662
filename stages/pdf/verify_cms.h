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
 * verify_cms - a CAdES/PKCS#7 detached signature (contents: its /Contents,
 * clen bytes) over the ranges of p: integrity, the signature timestamp, the
 * signing time, trust.  Sets s->integrity, s->digest, signer facts, s->tst,
 * the time and s->trust.
 */
void verify_cms(struct verify_sig *s, const unsigned char *p, size_t len,
		const unsigned char *contents, size_t clen, X509_STORE *store,
		const struct verify_opts *o);
/*
 * verify_doc_ts - an ETSI.RFC3161 document timestamp: the token's imprint
 * covers the ranges; the TSA takes the signer's place in s.
 */
void verify_doc_ts(struct verify_sig *s, const unsigned char *p, size_t len,
		   const unsigned char *contents, size_t clen, X509_STORE *store);

#endif
