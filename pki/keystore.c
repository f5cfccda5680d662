/*
 * keystore.c - opening a signer's keystore once (see keystore.h): the
 * passphrase, the choice of backend and the checks every signing key must
 * pass, whichever backend holds it.
 *
 * The passphrase is read with read(2) into one stack buffer, never through
 * stdio (whose buffer would keep a copy we cannot wipe), and is wiped with
 * OPENSSL_cleanse on every path.  It never appears in an error detail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "../config/cfg.h"
#include "keystore.h"

#define PASS_MAX 1024

/* The backends, by scheme; a keystore without a scheme is a PKCS#12 file. */
static const struct keystore_backend *const backends[] = {
	&keystore_backend_p12,
	&keystore_backend_p11,
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

/*
 * backend_for - the backend named scheme (config/cfg_signers.c splits
 * "keystore: [SCHEME:]WHERE"); NULL with e for an unknown one.  The detail
 * names the scheme only: WHERE of an unknown kind may hold a PIN.
 */
static const struct keystore_backend *
backend_for(const char *scheme, struct err *e)
{
	size_t i, len = 0;
	char known[128] = "";

	for (i = 0; i < NBACKENDS; i++)
		if (!strcmp(scheme, backends[i]->name))
			return backends[i];
	for (i = 0; i < NBACKENDS && len < sizeof known; i++)
		len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
					backends[i]->name);
	err_set(e, "signer.keystore", "unknown keystore scheme '%.32s:' (known: %s; a path "
		"without a scheme is a PKCS#12 file)", scheme, known);
	return NULL;
}

/* set_serial - the certificate serial as upper-case hex into k->serial. */
static int
set_serial(struct signer_key *k, const char *where, struct err *e)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(k->cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;	/* BN_bn2hex is upper-case */
	int rc = 0;

	if (hex == NULL || strlen(hex) >= sizeof k->serial)
		rc = err_set(e, "signer.keystore", "unusable certificate serial in %s", where);
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
key_check(EVP_PKEY *k, const char *where, struct err *e)
{
	char curve[32] = "";

	if (EVP_PKEY_is_a(k, "RSA")) {
		if (EVP_PKEY_get_bits(k) < 2048)
			return err_set(e, "signer.keystore", "the RSA key in %s has %d bits; at least "
				       "2048 are required", where, EVP_PKEY_get_bits(k));
		return 0;
	}
	if (EVP_PKEY_is_a(k, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(k, "group", curve, sizeof curve, NULL) ||
		    (strcmp(curve, "prime256v1") && strcmp(curve, "secp384r1") &&
		     strcmp(curve, "secp521r1")))
			return err_set(e, "signer.keystore", "the EC key in %s is on curve %s; P-256, "
				       "P-384 or P-521 is required", where, curve[0] ? curve : "?");
		return 0;
	}
	if (EVP_PKEY_is_a(k, "RSA-PSS"))
		return err_set(e, "signer.keystore", "the certificate in %s has an RSA-PSS-only key, "
			       "which poppler/NSS cannot verify; use an RSA (rsaEncryption) certificate "
			       "and rsa_padding: pss", where);
	return err_set(e, "signer.keystore", "the key in %s is %s; RSA or ECDSA is required", where,
		       EVP_PKEY_get0_type_name(k));
}

/*
 * read_certificate - the signer's certificate: configuration (the first in
 * the PEM file path) and the chain after it, in place of the keystore's.
 */
static int
read_certificate(const char *path, struct signer_key *out, struct err *e)
{
	BIO *in = BIO_new_file(path, "r");
	X509 *x;

	X509_free(out->cert);
	sk_X509_pop_free(out->chain, X509_free);
	out->chain = sk_X509_new_null();
	out->cert = in ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;
	while (out->cert && out->chain && (x = PEM_read_bio_X509(in, NULL, NULL, NULL)))
		if (!sk_X509_push(out->chain, x))
			X509_free(x);
	BIO_free(in);
	if (out->cert == NULL || out->chain == NULL)
		return err_set(e, "signer.keystore", "certificate %s: not a readable PEM "
			       "certificate", path);
	return 0;
}

/* open_with - where through backend b, then the checks every signing key must pass. */
static int
open_with(const struct keystore_backend *b, const struct cfg_signer *s, const char *where,
	  const char *pass, struct signer_key *out, struct err *e)
{
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (b->open(s, where, pass, out, e) < 0)
		goto out;
	if (s && s->certificate && read_certificate(s->certificate, out, e) < 0)
		goto out;
	if (!X509_check_private_key(out->cert, out->pkey)) {
		err_set(e, "signer.keystore", "private key does not match the certificate in %s",
			where);
		goto out;
	}
	if (key_check(out->pkey, where, e) < 0)
		goto out;
	if (out->chain == NULL && (out->chain = sk_X509_new_null()) == NULL) {
		err_set(e, "signer.keystore", "out of memory reading %s", where);
		goto out;
	}
	rc = set_serial(out, where, e);
out:
	ERR_clear_error();
	if (rc < 0)
		keystore_free(out);
	return rc;
}

int
keystore_open_p12(const char *path, const char *pass, struct signer_key *out, struct err *e)
{
	return open_with(&keystore_backend_p12, NULL, path, pass, out, e);
}

int
keystore_read_pass_file(const char *path, char *buf, size_t cap, struct err *e)
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
		return err_set(e, "signer.keystore", "passphrase variable %s is not set (sertel "
			       "reads it once at start-up and then removes it from its environment: "
			       "after changing this signer's keystore, restart sertel, a reload "
			       "cannot read it again)", name);
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
	return keystore_load_pass(s, NULL, out, e);
}

int
keystore_load_pass(const struct cfg_signer *s, const char *given, struct signer_key *out,
		   struct err *e)
{
	const struct keystore_backend *b;
	char pass[PASS_MAX];
	int rc;

	memset(out, 0, sizeof *out);
	if (s->keystore == NULL)
		return err_set(e, "signer.keystore", "no keystore configured for signer %s",
			       s->nip ? s->nip : "?");
	/* before the passphrase: no secret is read for a keystore that cannot be opened */
	if ((b = backend_for(s->keystore_scheme ? s->keystore_scheme : "pkcs12", e)) == NULL)
		return -1;
	if (given != NULL) {
		rc = strlen(given) < sizeof pass ? 0 :
		     err_set(e, "signer.keystore", "passphrase of %s too long", s->keystore);
		if (rc == 0)
			memcpy(pass, given, strlen(given) + 1);
	} else if (s->pass_file != NULL)
		rc = keystore_read_pass_file(s->pass_file, pass, sizeof pass, e);
	else if (s->pass_env != NULL)
		rc = read_pass_env(s->pass_env, pass, sizeof pass, e);
	else
		rc = err_set(e, "signer.keystore", "no passphrase source for keystore %s",
			     s->keystore);
	if (rc == 0)
		rc = open_with(b, s, s->keystore, pass, out, e);
	OPENSSL_cleanse(pass, sizeof pass);
	return rc;
}

void
keystore_forget_env(const char *name)
{
	extern char **environ;
	char *seen[16];
	size_t len = strlen(name), n = 0, i;
	char **ep;

	/* every NAME=... (a crafted environment may hold it twice) */
	for (ep = environ; ep && *ep && n < sizeof seen / sizeof seen[0]; ep++)
		if (!strncmp(*ep, name, len) && (*ep)[len] == '=')
			seen[n++] = *ep;
	/*
	 * Out of environ first (getenv, and any child's environment), then the
	 * bytes themselves: unsetenv only drops the pointer, and the original
	 * block at the top of the stack is what /proc/PID/environ shows.  glibc
	 * never frees an environment string, so they are still ours to wipe.
	 */
	unsetenv(name);
	for (i = 0; i < n; i++)
		OPENSSL_cleanse(seen[i], strlen(seen[i]));
}

int
keystore_adopt(struct signer_key *k, X509 *cert, STACK_OF(X509) *chain, struct err *e)
{
	memset(k, 0, sizeof *k);
	err_clear(e);
	k->cert = cert;
	k->chain = chain ? chain : sk_X509_new_null();
	if (cert == NULL || k->chain == NULL || (k->pkey = X509_get_pubkey(cert)) == NULL ||
	    set_serial(k, "the key process's certificate", e) < 0) {
		if (!e->code)
			err_set(e, "signer.keystore", "unusable certificate from the key process");
		keystore_free(k);
		ERR_clear_error();
		return -1;
	}
	return 0;
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
