/*
 * verify_pkcs1.h - the legacy adbe.x509.rsa_sha1 signature: a bare PKCS#1
 * RSA signature in /Contents, the signer's certificate in /Cert (ISO
 * 32000-1 12.8.3.2; deprecated by PDF 2.0, still found in old documents).
 */
#ifndef SERTEL_VERIFY_PKCS1_H
#define SERTEL_VERIFY_PKCS1_H

#include <stddef.h>

#include <openssl/x509.h>

#include "verify_types.h"

/*
 * verify_pkcs1 - /Contents (v) is a DER OCTET STRING holding an RSA
 * PKCS#1 v1.5 signature whose DigestInfo names the digest (SHA-1, or a
 * SHA-2) of the ranges of p; /Cert holds the signer's certificate first,
 * then chain material.  Sets what verify_cms sets (no timestamp: the format
 * has none; the time is /M).
 */
void verify_pkcs1(struct verify_sig *s, const unsigned char *p, size_t len,
		  const struct verify_value *v, X509_STORE *store, const struct verify_opts *o);

#endif
