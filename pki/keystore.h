/*
 * keystore.h - a signer's private key and certificate chain, loaded once.
 *
 * Keys come from PKCS#12 files whose passphrase is read from a file or an
 * environment variable (never argv).  The passphrase is wiped as soon as the
 * file is open; the key stays in memory for the life of the process.
 */
#ifndef SERTEL_KEYSTORE_H
#define SERTEL_KEYSTORE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "../base/err.h"

struct cfg_signer;

struct signer_key {
	EVP_PKEY *pkey;
	X509 *cert;			/* the signer's certificate */
	STACK_OF(X509) *chain;		/* intermediates/roots from the PKCS#12, may be empty */
	char serial[80];		/* cert serial, upper-case hex */
};

/*
 * keystore_load - read s's passphrase from its source and open its PKCS#12
 * (with OpenSSL 3's legacy provider as a fallback for old RC2/3DES files).
 * On failure: code "signer.keystore", detail names the file and the cause
 * (never the passphrase).
 */
int keystore_load(const struct cfg_signer *s, struct signer_key *out, struct err *e);
/* keystore_open_p12 - the same with the passphrase given (wiped by the caller). */
int keystore_open_p12(const char *path, const char *pass, struct signer_key *out, struct err *e);
void keystore_free(struct signer_key *k);

#endif
