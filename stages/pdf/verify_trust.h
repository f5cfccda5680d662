/*
 * verify_trust.h - whether the signer of an intact signature is trusted.
 */
#ifndef SERTEL_VERIFY_TRUST_H
#define SERTEL_VERIFY_TRUST_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "verify_types.h"

/*
 * verify_trust_check - s->trust (with why) and s->revocation for signer:
 * the chain to store at s->signing_time (o->now when none), keyUsage, CRLs
 * among the anchors, the registry (o->lookup).  An invalid signature
 * timestamp (s->tst) or a weak digest (s->weak_digest) makes the signature
 * untrusted too.  certs: untrusted chain material from the CMS.
 */
void verify_trust_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *certs,
			X509_STORE *store, const struct verify_opts *o);

/*
 * verify_md_weak - whether a digest no longer binds a document: SHA-1 and
 * older (MD5, MD4, MD2), for which collisions can be made, so a signature
 * over them does not show what was signed.
 */
int verify_md_weak(const EVP_MD *md);

#endif
