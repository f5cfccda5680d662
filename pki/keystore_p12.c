/*
 * keystore_p12.c - the PKCS#12 keystore backend: a file holding the signer's
 * key, certificate and chain (see keystore.h).
 *
 * Scheme "pkcs12", and every keystore written as a plain path.  The
 * passphrase is read and wiped by keystore.c; this file only hands it to
 * OpenSSL and never puts it in an error detail.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "keystore.h"

/* Loaded at most once and kept for the life of the process: keys decoded
 * through them stay usable, and unloading "default" again is not worth it. */
static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_PROVIDER *legacy_prov, *default_prov;

/* load_legacy - OpenSSL 3 providers for RC2/3DES PKCS#12 files (once). */
static void
load_legacy(void)
{
	/* Loading any provider explicitly stops "default" from being loaded
	 * implicitly, so load it too. */
	legacy_prov = OSSL_PROVIDER_load(NULL, "legacy");
	default_prov = OSSL_PROVIDER_load(NULL, "default");
}

/* ossl_reason - the last OpenSSL error as text, for an err detail. */
static const char *
ossl_reason(char *buf, size_t cap)
{
	unsigned long code = ERR_peek_last_error();

	if (code == 0)
		return "unknown error";
	ERR_error_string_n(code, buf, cap);
	return buf;
}

/* read_p12 - the DER PKCS#12 in path, or NULL with e set. */
static PKCS12 *
read_p12(const char *path, struct err *e)
{
	char why[160];
	PKCS12 *p12;
	BIO *in;

	ERR_clear_error();
	errno = 0;
	in = BIO_new_file(path, "rb");
	if (in == NULL) {
		err_set(e, "signer.keystore", "cannot open PKCS#12 %s: %s", path,
			errno ? strerror(errno) : ossl_reason(why, sizeof why));
		return NULL;
	}
	p12 = d2i_PKCS12_bio(in, NULL);
	BIO_free(in);
	if (p12 == NULL)
		err_set(e, "signer.keystore", "not a PKCS#12 file: %s", path);
	return p12;
}

/* mac_ok - whether pass opens p12's integrity MAC (files without one pass). */
static int
mac_ok(PKCS12 *p12, const char *pass)
{
	if (!PKCS12_mac_present(p12))
		return 1;
	if (PKCS12_verify_mac(p12, pass, -1))
		return 1;
	/* An empty passphrase may have been encoded as "no password". */
	return pass[0] == '\0' && PKCS12_verify_mac(p12, NULL, 0);
}

/* is_unsupported - whether the last OpenSSL error is a missing algorithm. */
static int
is_unsupported(void)
{
	unsigned long code;

	while ((code = ERR_get_error()) != 0) {
		int r = ERR_GET_REASON(code);

		if (r == ERR_R_UNSUPPORTED || (ERR_GET_LIB(code) == ERR_LIB_EVP &&
					       r == EVP_R_UNSUPPORTED_ALGORITHM))
			return 1;
	}
	return 0;
}

/* parse_p12 - key, certificate and chain, retrying with the legacy provider. */
static int
parse_p12(PKCS12 *p12, const char *path, const char *pass, struct signer_key *out,
	  struct err *e)
{
	char why[160];

	ERR_clear_error();
	if (PKCS12_parse(p12, pass, &out->pkey, &out->cert, &out->chain))
		return 0;
	if (!is_unsupported())
		return err_set(e, "signer.keystore", "cannot read PKCS#12 %s: %s", path,
			       ossl_reason(why, sizeof why));
	pthread_once(&legacy_once, load_legacy);
	if (legacy_prov == NULL || default_prov == NULL)
		return err_set(e, "signer.keystore",
			       "PKCS#12 %s uses a legacy cipher and OpenSSL's legacy provider "
			       "cannot be loaded", path);
	ERR_clear_error();
	if (PKCS12_parse(p12, pass, &out->pkey, &out->cert, &out->chain))
		return 0;
	return err_set(e, "signer.keystore", "cannot read PKCS#12 %s: %s", path,
		       ossl_reason(why, sizeof why));
}

/* p12_open - a keystore_backend open: key, certificate and chain of the file path. */
static int
p12_open(const struct cfg_signer *s, const char *path, const char *pass, struct signer_key *out,
	 struct err *e)
{
	PKCS12 *p12;
	int rc = -1;

	if (pass == NULL)
		pass = "";
	p12 = read_p12(path, e);
	if (p12 == NULL)
		return -1;
	if (!mac_ok(p12, pass)) {
		err_set(e, "signer.keystore", "wrong passphrase or corrupt PKCS#12: %s", path);
		goto out;
	}
	if (parse_p12(p12, path, pass, out, e) < 0)
		goto out;
	if (out->pkey == NULL || out->cert == NULL) {
		err_set(e, "signer.keystore", "PKCS#12 %s holds no %s", path,
			out->pkey == NULL ? "private key" : "certificate for its key");
		goto out;
	}
	rc = 0;
out:
	PKCS12_free(p12);
	ERR_clear_error();
	return rc;
}

const struct keystore_backend keystore_backend_p12 = { "pkcs12", p12_open };
