/*
 * certreq.c - key pair, PKCS#10 request and sealed key of a certificate
 * application, and the check of the certificate issued for it (see
 * certreq.h).
 *
 * The private key never leaves this file unencrypted: it is made here and
 * handed back only inside the PKCS#12 (AES-256-CBC under PBKDF2, OpenSSL
 * 3's defaults, with a SHA-256 MAC), and freed with its memory cleared.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../base/hex.h"
#include "anchors.h"
#include "certreq.h"

/* ssl_fail - e from the OpenSSL error queue, prefixed with what; -1. */
static int
ssl_fail(struct err *e, const char *code, const char *what)
{
	char buf[256];

	return err_set(e, code, "%s: %s", what, err_openssl(buf, sizeof buf));
}

/* spki_sha256 - SHA-256 of k's SubjectPublicKeyInfo (DER), hex. */
static int
spki_sha256(EVP_PKEY *k, char out[65])
{
	unsigned char *der = NULL, md[32];
	int len = i2d_PUBKEY(k, &der);
	unsigned int mdlen = 0;
	int ok = len > 0 && EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL) &&
		 mdlen == 32;

	OPENSSL_free(der);
	if (ok)
		hex_encode(md, 32, out);
	return ok ? 0 : -1;
}

/* subject - the request's name: C=ID, O, OU, CN, serialNumber, emailAddress. */
static X509_NAME *
subject(const struct certreq_subject *s)
{
	const char *const f[][2] = { { "C", "ID" }, { "O", s->org }, { "OU", s->unit },
				     { "CN", s->name }, { "serialNumber", s->id },
				     { "emailAddress", s->email } };
	X509_NAME *n = X509_NAME_new();
	size_t i;

	for (i = 0; n && i < sizeof f / sizeof f[0]; i++)
		if (f[i][1] && *f[i][1] &&
		    !X509_NAME_add_entry_by_txt(n, f[i][0], MBSTRING_UTF8,
						(const unsigned char *)f[i][1], -1, -1, 0)) {
			X509_NAME_free(n);
			n = NULL;
		}
	return n;
}

/* email_ext - the request asks for subjectAltName email:ADDR. */
static int
email_ext(X509_REQ *req, const char *email)
{
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	X509_EXTENSION *x;
	char val[160];
	int ok;

	snprintf(val, sizeof val, "email:%s", email);
	x = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, val);
	ok = exts && x && sk_X509_EXTENSION_push(exts, x) && X509_REQ_add_extensions(req, exts);
	if (!ok || !exts)
		X509_EXTENSION_free(x);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return ok ? 0 : -1;
}

/* keygen - a new key of alg, its name into out->alg. */
static EVP_PKEY *
keygen(const char *alg, struct certreq_out *out, struct err *e)
{
	EVP_PKEY *k = NULL;

	if (!strcmp(alg, "rsa")) {
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
		snprintf(out->alg, sizeof out->alg, "rsa-2048");
	} else if (!strcmp(alg, "ec")) {
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		snprintf(out->alg, sizeof out->alg, "ec-p256");
	} else {
		err_set(e, "cert.key", "key type '%s': use rsa or ec", alg);
		return NULL;
	}
	if (!k)
		ssl_fail(e, "cert.key", "key generation");
	return k;
}

int
certreq_make(const char *alg, const struct certreq_subject *s, const char *pass,
	     struct certreq_out *out, struct err *e)
{
	EVP_PKEY *k;
	int rc;

	memset(out, 0, sizeof *out);
	if (!(k = keygen(alg, out, e)))
		return -1;
	rc = certreq_make_key(k, s, pass, out, e);
	EVP_PKEY_free(k);
	return rc;
}

int
certreq_make_key(EVP_PKEY *k, const struct certreq_subject *s, const char *pass,
		 struct certreq_out *out, struct err *e)
{
	X509_REQ *req = NULL;
	X509_NAME *name = NULL;
	PKCS12 *p12 = NULL;
	BIO *mem = NULL;
	char *p;
	long n;
	int len = 0, rc = -1;

	if (!out->alg[0])	/* a key made elsewhere (a token's) */
		snprintf(out->alg, sizeof out->alg, "%s-%d", EVP_PKEY_is_a(k, "RSA") ? "rsa" : "ec",
			 EVP_PKEY_is_a(k, "RSA") ? EVP_PKEY_get_bits(k) : 256);
	if (!(req = X509_REQ_new()) || !(name = subject(s)) || !X509_REQ_set_version(req, 0) ||
	    !X509_REQ_set_subject_name(req, name) || !X509_REQ_set_pubkey(req, k) ||
	    (s->email && email_ext(req, s->email) < 0) || !X509_REQ_sign(req, k, EVP_sha256())) {
		ssl_fail(e, "cert.key", "certificate request");
		goto out;
	}
	if (!(mem = BIO_new(BIO_s_mem())) || !PEM_write_bio_X509_REQ(mem, req) ||
	    (n = BIO_get_mem_data(mem, &p)) <= 0 || !(out->csr_pem = malloc((size_t)n + 1))) {
		ssl_fail(e, "cert.key", "certificate request PEM");
		goto out;
	}
	memcpy(out->csr_pem, p, (size_t)n);
	out->csr_pem[n] = '\0';
	out->csr_len = (size_t)n;
	/* the key alone: the certificate joins it when the holder imports it with the passphrase */
	if (pass && (!(p12 = PKCS12_create(pass, s->name, k, NULL, NULL, NID_aes_256_cbc,
					   NID_aes_256_cbc, PKCS12_DEFAULT_ITER,
					   PKCS12_DEFAULT_ITER, 0)) ||
		     (len = i2d_PKCS12(p12, &out->p12)) <= 0)) {
		ssl_fail(e, "cert.key", "PKCS#12");
		goto out;
	}
	out->p12_len = pass ? (size_t)len : 0;
	if (spki_sha256(k, out->spki_sha256) < 0) {
		ssl_fail(e, "cert.key", "public key");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		certreq_free(out);
	PKCS12_free(p12);
	BIO_free(mem);
	X509_NAME_free(name);
	X509_REQ_free(req);
	return rc;
}

void
certreq_free(struct certreq_out *out)
{
	free(out->csr_pem);
	OPENSSL_free(out->p12);
	memset(out, 0, sizeof *out);
}

/* name_entry - the text of the first nid entry of n into buf ("" when none). */
static void
name_entry(const X509_NAME *n, int nid, char *buf, size_t cap)
{
	int i = X509_NAME_get_index_by_NID(n, nid, -1);
	unsigned char *u = NULL;
	int len;

	buf[0] = '\0';
	if (i < 0 || (len = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(
				X509_NAME_get_entry(n, i)))) < 0)
		return;
	snprintf(buf, cap, "%.*s", len, (const char *)u);
	OPENSSL_free(u);
}

/* has_email - x names email (subjectAltName rfc822Name, or emailAddress in its subject). */
static int
has_email(X509 *x, const char *email)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char buf[160];
	int i, found = 0;

	for (i = 0; i < sk_GENERAL_NAME_num(gens) && !found; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_EMAIL &&
		    ASN1_STRING_length(g->d.rfc822Name) == (int)strlen(email) &&
		    !strncasecmp((const char *)ASN1_STRING_get0_data(g->d.rfc822Name), email,
				 strlen(email)))
			found = 1;
	}
	GENERAL_NAMES_free(gens);
	name_entry(X509_get_subject_name(x), NID_pkcs9_emailAddress, buf, sizeof buf);
	return found || !strcasecmp(buf, email);
}

/* match - x is the certificate of this request: key, serialNumber, name, e-mail. */
static int
match(X509 *x, const char *spki, const char *const *ids, size_t nids,
      const struct certreq_subject *s, struct err *e)
{
	char have[65], buf[160];
	size_t i;

	if (spki_sha256(X509_get0_pubkey(x), have) < 0 || strcmp(have, spki))
		return err_set(e, "cert.mismatch", "the certificate's public key is not the "
			       "request's (another key pair)");
	name_entry(X509_get_subject_name(x), NID_serialNumber, buf, sizeof buf);
	for (i = 0; i < nids && strcmp(buf, ids[i]); i++)
		;
	if (i == nids)
		return err_set(e, "cert.mismatch", "the certificate's serialNumber '%s' is not "
			       "the holder's NIP or NIK (%s)", buf, ids[0]);
	name_entry(X509_get_subject_name(x), NID_commonName, buf, sizeof buf);
	if (strcmp(buf, s->name))
		return err_set(e, "cert.mismatch", "the certificate names '%s', the request '%s'",
			       buf, s->name);
	if (s->email && !has_email(x, s->email))
		return err_set(e, "cert.mismatch", "the certificate does not carry the e-mail %s",
			       s->email);
	/* a holder's certificate signs: not a CA, and for signatures when it says what for */
	if (X509_check_ca(x) ||
	    ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
	     !(X509_get_key_usage(x) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))))
		return err_set(e, "cert.mismatch", "the certificate is not for signatures (a CA "
			       "certificate, or keyUsage without digitalSignature and "
			       "nonRepudiation)");
	return 0;
}

/* chain - x chains to the anchors through the other certificates of its file, at now (into *out). */
static int
chain(X509 *x, STACK_OF(X509) *more, char *const *anchors, size_t n, long long now,
      STACK_OF(X509) **out, struct err *e)
{
	X509_STORE *st = anchors_load(anchors, n, NULL, 0, "cert.untrusted", "trust anchor", e);
	X509_STORE_CTX *ctx = st ? X509_STORE_CTX_new() : NULL;
	int rc = -1;

	if (!st)
		return -1;
	if (!ctx || !X509_STORE_CTX_init(ctx, st, x, more)) {
		ssl_fail(e, "cert.untrusted", "chain");
	} else {
		X509_STORE_CTX_set_time(ctx, 0, (time_t)now);
		if (X509_verify_cert(ctx) == 1) {
			rc = 0;
			if (out)
				*out = X509_STORE_CTX_get1_chain(ctx);
		}
		else
			err_set(e, "cert.untrusted", "the certificate does not chain to the trust "
				"anchors at this time: %s", X509_verify_cert_error_string(
					X509_STORE_CTX_get_error(ctx)));
	}
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return rc;
}

/* asn1_unix - t as Unix time (0 when it cannot be read). */
static long long
asn1_unix(const ASN1_TIME *t)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (long long)timegm(&tm);
}

void
certreq_describe(X509 *x, struct certreq_issued *d)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	BIO *mem = BIO_new(BIO_s_mem());
	char *p;
	long n;

	memset(d, 0, sizeof *d);
	snprintf(d->serial, sizeof d->serial, "%s", hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
	if (mem && X509_NAME_print_ex(mem, X509_get_issuer_name(x), 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_get_mem_data(mem, &p)) > 0)
		snprintf(d->issuer, sizeof d->issuer, "%.*s", (int)n, p);
	BIO_reset(mem);
	if (mem && X509_NAME_print_ex(mem, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_get_mem_data(mem, &p)) > 0)
		snprintf(d->subject, sizeof d->subject, "%.*s", (int)n, p);
	BIO_free(mem);
	d->not_before = asn1_unix(X509_get0_notBefore(x));
	d->not_after = asn1_unix(X509_get0_notAfter(x));
}

int
certreq_check_cert(const char *path, const char *spki, const char *const *ids, size_t nids,
		   const struct certreq_subject *s, char *const *anchors, size_t n,
		   long long now, struct certreq_issued *d, STACK_OF(X509) **path_out,
		   struct err *e)
{
	BIO *b = BIO_new_file(path, "r");
	STACK_OF(X509) *more = sk_X509_new_null();
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL, *y;
	int rc = -1;

	if (!x) {
		err_set(e, "cert.file", "%s: no PEM certificate in it", path);
		goto out;
	}
	while ((y = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(more, y))
			X509_free(y);
	ERR_clear_error();
	if (match(x, spki, ids, nids, s, e) < 0 ||
	    chain(x, more, anchors, n, now, path_out, e) < 0)
		goto out;
	certreq_describe(x, d);
	rc = 0;
out:
	ERR_clear_error();
	sk_X509_pop_free(more, X509_free);
	X509_free(x);
	BIO_free(b);
	return rc;
}

int
certreq_names(X509 *x, const char *name, const char *id, char *why, size_t cap)
{
	char cn[160], sn[64];

	name_entry(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
	name_entry(X509_get_subject_name(x), NID_serialNumber, sn, sizeof sn);
	if (!strcmp(cn, name) && (!sn[0] || !strcmp(sn, id)))
		return 1;
	snprintf(why, cap, "the certificate names '%s'%s%s%s, the signer is '%s' (%s)", cn,
		 sn[0] ? " (serialNumber " : "", sn, sn[0] ? ")" : "", name, id);
	return 0;
}

int
certreq_keystore(const unsigned char *p12, size_t len, const char *pass, STACK_OF(X509) *chain,
		 const char *name, unsigned char **out, size_t *out_len, struct err *e)
{
	const unsigned char *p = p12;
	PKCS12 *in = d2i_PKCS12(NULL, &p, (long)len), *made = NULL;
	STACK_OF(X509) *cas = sk_X509_new_null();
	EVP_PKEY *key = NULL;
	X509 *leaf = sk_X509_value(chain, 0);
	int i, n, rc = -1;

	*out = NULL;
	if (!in || !PKCS12_parse(in, pass, &key, NULL, NULL) || !key) {
		ssl_fail(e, "cert.keystore", "the request's PKCS#12 does not open with this "
			 "passphrase");
		goto out;
	}
	if (!leaf || !X509_check_private_key(leaf, key)) {
		err_set(e, "cert.keystore", "the certificate is not for the request's key");
		goto out;
	}
	for (i = 1; i < sk_X509_num(chain); i++)
		if (!sk_X509_push(cas, sk_X509_value(chain, i)))
			goto fail;
	if (!(made = PKCS12_create(pass, name, key, leaf, cas, NID_aes_256_cbc, NID_aes_256_cbc,
				   PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER, 0)) ||
	    (n = i2d_PKCS12(made, out)) <= 0)
		goto fail;
	*out_len = (size_t)n;
	rc = 0;
	goto out;
fail:
	ssl_fail(e, "cert.keystore", "PKCS#12");
out:
	ERR_clear_error();
	sk_X509_free(cas);	/* the certificates are chain's */
	PKCS12_free(made);
	PKCS12_free(in);
	EVP_PKEY_free(key);
	return rc;
}
