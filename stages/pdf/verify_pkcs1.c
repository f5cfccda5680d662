/*
 * verify_pkcs1.c - adbe.x509.rsa_sha1 (see verify_pkcs1.h): the digest is
 * learnt from the DigestInfo the signature recovers, then the signature is
 * verified again the strict way (OpenSSL re-encodes the DigestInfo of our
 * own digest and compares it whole), so a lax parse never decides.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "verify_bytes.h"
#include "verify_pkcs1.h"
#include "verify_str.h"
#include "verify_trust.h"

/* What the signature dictionary gave. */
struct pkcs1 {
	X509 *signer;			/* the first certificate of /Cert */
	STACK_OF(X509) *certs;		/* the others: untrusted chain material */
	ASN1_OCTET_STRING *sig;
};

/* fail - integrity failed (or undecided) for why; returns -1. */
static int
fail(struct verify_sig *s, enum verify_integrity v, const char *why)
{
	s->integrity = v;
	SETF(s->integrity_why, "%s", why);
	return -1;
}

/* read_certs - /Cert's certificates, back to back in DER. */
static int
read_certs(struct verify_sig *s, const struct verify_value *v, struct pkcs1 *k)
{
	const unsigned char *q = v->cert, *end = v->cert ? v->cert + v->certlen : NULL;
	X509 *x;

	if ((k->certs = sk_X509_new_null()) == NULL)
		return fail(s, VI_UNDECIDED, "out of memory");
	while (q && q < end && (x = d2i_X509(NULL, &q, end - q)) != NULL) {
		if (k->signer == NULL)
			k->signer = x;
		else if (!sk_X509_push(k->certs, x))
			X509_free(x);
	}
	ERR_clear_error();
	if (k->signer == NULL)
		return fail(s, VI_FAILED, "adbe.x509.rsa_sha1 without the signer's certificate "
			    "(/Cert is missing or holds no certificate)");
	verify_name_str(X509_get_subject_name(k->signer), s->subject, sizeof s->subject);
	verify_name_str(X509_get_issuer_name(k->signer), s->issuer, sizeof s->issuer);
	verify_serial_str(k->signer, s->serial, sizeof s->serial);
	return 0;
}

/* recover_md - the digest the signature's DigestInfo names, NULL if it does not recover. */
static const EVP_MD *
recover_md(EVP_PKEY *pk, const ASN1_OCTET_STRING *sig)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pk, NULL);
	unsigned char *buf = NULL;
	const unsigned char *q;
	size_t n = 0;
	X509_SIG *di = NULL;
	const X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	const EVP_MD *md = NULL;

	if (pc == NULL || EVP_PKEY_verify_recover_init(pc) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_verify_recover(pc, NULL, &n, ASN1_STRING_get0_data(sig),
				    (size_t)ASN1_STRING_length(sig)) <= 0 ||
	    (buf = malloc(n)) == NULL ||
	    EVP_PKEY_verify_recover(pc, buf, &n, ASN1_STRING_get0_data(sig),
				    (size_t)ASN1_STRING_length(sig)) <= 0)
		goto out;
	q = buf;
	if ((di = d2i_X509_SIG(NULL, &q, (long)n)) == NULL)
		goto out;
	X509_SIG_get0(di, &alg, NULL);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	md = EVP_get_digestbyobj(obj);
out:
	X509_SIG_free(di);
	free(buf);
	EVP_PKEY_CTX_free(pc);
	ERR_clear_error();
	return md;
}

/* strict_ok - RSA PKCS#1 v1.5 over our digest of the ranges, with md. */
static int
strict_ok(EVP_PKEY *pk, const EVP_MD *md, const unsigned char *dg, size_t dglen,
	  const ASN1_OCTET_STRING *sig)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pk, NULL);
	int ok = pc != NULL && EVP_PKEY_verify_init(pc) > 0 &&
		 EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0 &&
		 EVP_PKEY_CTX_set_signature_md(pc, md) > 0 &&
		 EVP_PKEY_verify(pc, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
				 dg, dglen) == 1;

	EVP_PKEY_CTX_free(pc);
	ERR_clear_error();
	return ok;
}

/* integrity - the PKCS#1 signature over the digest of the ranges. */
static int
integrity(struct verify_sig *s, const unsigned char *p, size_t len,
	  const struct verify_value *v, struct pkcs1 *k)
{
	const unsigned char *q = v->contents;
	EVP_PKEY *pk;
	const EVP_MD *md;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dglen = 0;
	struct verify_span rg[2];

	if (read_certs(s, v, k) < 0)
		return -1;
	if ((k->sig = d2i_ASN1_OCTET_STRING(NULL, &q, (long)v->clen)) == NULL) {
		ERR_clear_error();
		return fail(s, VI_FAILED, "/Contents is not a PKCS#1 signature value (a DER "
			    "OCTET STRING)");
	}
	pk = X509_get0_pubkey(k->signer);
	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		return fail(s, VI_FAILED, "adbe.x509.rsa_sha1, but the /Cert key is not an RSA key");
	if ((md = recover_md(pk, k->sig)) == NULL)
		return fail(s, VI_FAILED, "the PKCS#1 signature does not verify with the key of "
			    "/Cert");
	SETF(s->digest, "%s", OBJ_nid2sn(EVP_MD_get_type(md)));
	if (verify_md_weak(md))
		SETF(s->weak_digest, "%s", s->digest);
	if (!verify_ranges_in_file(s, len))
		return fail(s, VI_FAILED, "the digest cannot be computed: /ByteRange is not "
			    "inside the file");
	verify_ranges(s, p, rg);
	if (verify_digest(md, rg, 2, dg, &dglen) < 0)
		return fail(s, VI_UNDECIDED, "cannot compute the digest of the signed bytes");
	if (!strict_ok(pk, md, dg, dglen, k->sig)) {
		SETF(s->integrity_why, "the %s digest of the signed bytes is not the one the "
		     "PKCS#1 signature signs", s->digest);
		s->integrity = VI_FAILED;
		return -1;
	}
	s->integrity = VI_OK;
	SETF(s->integrity_why, "%s digest and RSA PKCS#1 signature match (adbe.x509.rsa_sha1, a "
	     "legacy format)%s%s", s->digest, s->weak_digest[0] ? "; WEAK digest algorithm " : "",
	     s->weak_digest);
	return 0;
}

void
verify_pkcs1(struct verify_sig *s, const unsigned char *p, size_t len,
	     const struct verify_value *v, X509_STORE *store, const struct verify_opts *o)
{
	struct pkcs1 k;

	memset(&k, 0, sizeof k);
	/* the format has no timestamp: the time is the one the signer claims */
	s->time_source = s->claimed_time ? VTIME_CLAIMED : VTIME_NONE;
	s->signing_time = s->claimed_time;
	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	if (verify_no_value(s, v, "signature value")) {
		SETF(s->trust_why, "not checked: there is no signature");
	} else if (integrity(s, p, len, v, &k) == 0) {
		verify_trust_check(s, k.signer, k.certs, store, o);
	}
	ASN1_OCTET_STRING_free(k.sig);
	sk_X509_pop_free(k.certs, X509_free);
	X509_free(k.signer);
	ERR_clear_error();
}
