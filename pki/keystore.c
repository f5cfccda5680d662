/*
 * keystore.c - opening a signer's PKCS#12 once (see keystore.h).
 *
 * The passphrase is read with read(2) into one stack buffer, never through
 * stdio (whose buffer would keep a copy we cannot wipe), and is wiped with
 * OPENSSL_cleanse on every path.  It never appears in an error detail.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "../config/cfg.h"
#include "keystore.h"

#define PASS_MAX 1024

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

/* set_serial - the certificate serial as upper-case hex into k->serial. */
static int
set_serial(struct signer_key *k, const char *path, struct err *e)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(k->cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;	/* BN_bn2hex is upper-case */
	int rc = 0;

	if (hex == NULL || strlen(hex) >= sizeof k->serial)
		rc = err_set(e, "signer.keystore", "unusable certificate serial in %s", path);
	else
		memcpy(k->serial, hex, strlen(hex) + 1);
	OPENSSL_free(hex);
	BN_free(bn);
	return rc;
}

/*
 * key_check - keys every PAdES verifier accepts: RSA of at least 2048 bits and
 * ECDSA on P-256/384/521.  A certificate whose key is typed RSA-PSS (rsassaPss
 * SPKI) verifies in OpenSSL but not in poppler/NSS, so it is refused here, at
 * start-up, rather than producing signatures a court's tool calls invalid;
 * RSASSA-PSS signatures come from an ordinary RSA key with rsa_padding: pss.
 */
static int
key_check(EVP_PKEY *k, const char *path, struct err *e)
{
	char curve[32] = "";

	if (EVP_PKEY_is_a(k, "RSA")) {
		if (EVP_PKEY_get_bits(k) < 2048)
			return err_set(e, "signer.keystore", "the RSA key in %s has %d bits; at least "
				       "2048 are required", path, EVP_PKEY_get_bits(k));
		return 0;
	}
	if (EVP_PKEY_is_a(k, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(k, "group", curve, sizeof curve, NULL) ||
		    (strcmp(curve, "prime256v1") && strcmp(curve, "secp384r1") &&
		     strcmp(curve, "secp521r1")))
			return err_set(e, "signer.keystore", "the EC key in %s is on curve %s; P-256, "
				       "P-384 or P-521 is required", path, curve[0] ? curve : "?");
		return 0;
	}
	if (EVP_PKEY_is_a(k, "RSA-PSS"))
		return err_set(e, "signer.keystore", "the certificate in %s has an RSA-PSS-only key, "
			       "which poppler/NSS cannot verify; use an RSA (rsaEncryption) certificate "
			       "and rsa_padding: pss", path);
	return err_set(e, "signer.keystore", "the key in %s is %s; RSA or ECDSA is required", path,
		       EVP_PKEY_get0_type_name(k));
}

int
keystore_open_p12(const char *path, const char *pass, struct signer_key *out, struct err *e)
{
	PKCS12 *p12;
	int rc = -1;

	memset(out, 0, sizeof *out);
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
	if (!X509_check_private_key(out->cert, out->pkey)) {
		err_set(e, "signer.keystore", "private key does not match the certificate in %s",
			path);
		goto out;
	}
	if (key_check(out->pkey, path, e) < 0)
		goto out;
	if (out->chain == NULL && (out->chain = sk_X509_new_null()) == NULL) {
		err_set(e, "signer.keystore", "out of memory reading %s", path);
		goto out;
	}
	rc = set_serial(out, path, e);
out:
	PKCS12_free(p12);
	ERR_clear_error();
	if (rc < 0)
		keystore_free(out);
	return rc;
}

/* read_pass_file - the first line of path (without \r\n) into buf. */
static int
read_pass_file(const char *path, char *buf, size_t cap, struct err *e)
{
	size_t len = 0;
	char *nl = NULL;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_set(e, "signer.keystore", "cannot read passphrase file %s: %s", path,
			       strerror(errno));
	while (len < cap - 1 && nl == NULL) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			return err_set(e, "signer.keystore", "cannot read passphrase file %s: %s",
				       path, strerror(err));
		}
		if (n == 0)
			break;
		nl = memchr(buf + len, '\n', (size_t)n);
		len += (size_t)n;
	}
	close(fd);
	if (nl == NULL && len == cap - 1)
		return err_set(e, "signer.keystore", "passphrase in %s is longer than %zu bytes",
			       path, cap - 2);
	if (nl != NULL)
		len = (size_t)(nl - buf);
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return 0;
}

/* read_pass_env - the value of environment variable name into buf. */
static int
read_pass_env(const char *name, char *buf, size_t cap, struct err *e)
{
	const char *v = getenv(name);
	size_t len;

	if (v == NULL)
		return err_set(e, "signer.keystore", "passphrase variable %s is not set", name);
	len = strlen(v);
	if (len >= cap)
		return err_set(e, "signer.keystore", "passphrase in %s is longer than %zu bytes",
			       name, cap - 1);
	memcpy(buf, v, len + 1);
	return 0;
}

int
keystore_load(const struct cfg_signer *s, struct signer_key *out, struct err *e)
{
	char pass[PASS_MAX];
	int rc;

	memset(out, 0, sizeof *out);
	if (s->keystore == NULL)
		return err_set(e, "signer.keystore", "no keystore configured for signer %s",
			       s->nip ? s->nip : "?");
	if (s->pass_file != NULL)
		rc = read_pass_file(s->pass_file, pass, sizeof pass, e);
	else if (s->pass_env != NULL)
		rc = read_pass_env(s->pass_env, pass, sizeof pass, e);
	else
		rc = err_set(e, "signer.keystore", "no passphrase source for keystore %s",
			     s->keystore);
	if (rc == 0)
		rc = keystore_open_p12(s->keystore, pass, out, e);
	OPENSSL_cleanse(pass, sizeof pass);
	return rc;
}

void
keystore_free(struct signer_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	X509_free(k->cert);
	sk_X509_pop_free(k->chain, X509_free);
	memset(k, 0, sizeof *k);
}
