/*
 * verify_cms.c - the cryptography of one signature (see verify_cms.h):
 * OpenSSL on our own streamed digest of the ranges against the CMS
 * messageDigest, the signature over the signed attributes, the ESS
 * signing-certificate, and RFC 3161 tokens (the signature timestamp inside
 * the CMS, or a document timestamp that is the whole /Contents).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "../../base/err.h"
#include "verify_bytes.h"
#include "verify_cms.h"
#include "verify_str.h"
#include "verify_trust.h"

/* A span of the file (or of any buffer) to digest. */
struct seg {
	const unsigned char *p;
	size_t n;
};

/* digest_segs - md over the segments; 0 or -1. */
static int
digest_segs(const EVP_MD *md, const struct seg *sg, int nseg, unsigned char *out,
	    unsigned int *outlen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int i, ok = m != NULL && EVP_DigestInit_ex(m, md, NULL) > 0;

	for (i = 0; ok && i < nseg; i++)
		ok = EVP_DigestUpdate(m, sg[i].p, sg[i].n) > 0;
	ok = ok && EVP_DigestFinal_ex(m, out, outlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

/* Results of examining an RFC 3161 token over some data. */
struct tst_result {
	int imprint_ok, signature_ok, chain_ok;
	time_t gen_time;
	X509 *tsa;		/* borrowed from the token */
	char why[200];
};

/* tst_chain - TS_RESP_verify_token: signature, TSA certificate (EKU, chain to store), imprint. */
static int
tst_chain(PKCS7 *token, X509_STORE *store, const unsigned char *imprint, unsigned int len,
	  char *why, size_t cap)
{
	TS_VERIFY_CTX *v = TS_VERIFY_CTX_new();
	unsigned char *copy = OPENSSL_memdup(imprint, len);
	int ok = 0;

	if (v == NULL || copy == NULL || !X509_STORE_up_ref(store)) {
		OPENSSL_free(copy);
		TS_VERIFY_CTX_free(v);
		verify_setf(why, cap, "out of memory");
		return 0;
	}
	TS_VERIFY_CTX_set_flags(v, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE);
	TS_VERIFY_CTX_set_imprint(v, copy, (long)len);	/* both now owned by v */
	TS_VERIFY_CTX_set_store(v, store);
	ok = TS_RESP_verify_token(v, token) == 1;
	if (!ok)
		err_openssl(why, cap);
	TS_VERIFY_CTX_free(v);
	return ok;
}

/* token_signature_ok - the token's own signature by tsa, chain aside (as OpenSSL TS does). */
static int
token_signature_ok(PKCS7 *token, X509 *tsa)
{
	STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(token);
	PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_num(sis) == 1
					? sk_PKCS7_SIGNER_INFO_value(sis, 0) : NULL;
	BIO *b = si ? PKCS7_dataInit(token, NULL) : NULL;
	char buf[4096];
	int ok = 0;

	if (b) {
		while (BIO_read(b, buf, sizeof buf) > 0)
			;
		ok = PKCS7_signatureVerify(b, token, si, tsa) > 0;
	}
	BIO_free_all(b);
	ERR_clear_error();
	return ok;
}

/* tst_examine - imprint over sg, the token's own signature, then its chain to store. */
static void
tst_examine(PKCS7 *token, const struct seg *sg, int nseg, X509_STORE *store,
	    struct tst_result *t)
{
	TS_TST_INFO *ti = PKCS7_to_TS_TST_INFO(token);
	TS_MSG_IMPRINT *mi = ti ? TS_TST_INFO_get_msg_imprint(ti) : NULL;
	const ASN1_OBJECT *alg = NULL;
	ASN1_OCTET_STRING *want = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h;
	STACK_OF(X509) *signers;

	memset(t, 0, sizeof *t);
	if (mi == NULL || want == NULL) {
		SETF(t->why, "not an RFC 3161 timestamp token");
		goto out;
	}
	X509_ALGOR_get0(&alg, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	h = EVP_get_digestbyobj(alg);
	t->gen_time = verify_asn1_time(TS_TST_INFO_get_time(ti));
	if (h == NULL || digest_segs(h, sg, nseg, md, &mdlen) < 0) {
		SETF(t->why, "unknown imprint algorithm");
		goto out;
	}
	t->imprint_ok = (int)mdlen == ASN1_STRING_length(want) &&
			!memcmp(md, ASN1_STRING_get0_data(want), mdlen);
	if (!t->imprint_ok) {
		SETF(t->why, "the token's message imprint is not the hash of what it stamps");
		goto out;
	}
	signers = PKCS7_get0_signers(token, NULL, 0);
	t->tsa = sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
	sk_X509_free(signers);
	t->signature_ok = t->tsa && token_signature_ok(token, t->tsa);
	if (!t->signature_ok) {
		SETF(t->why, "the token's signature does not verify%s",
		     t->tsa ? "" : " (no TSA certificate in the token)");
		goto out;
	}
	t->chain_ok = tst_chain(token, store, md, mdlen, t->why, sizeof t->why);
out:
	ERR_clear_error();
	TS_TST_INFO_free(ti);
}

/* What the CMS of one signature gave. */
struct cms_state {
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	X509 *signer;			/* borrowed from cms */
	STACK_OF(X509) *certs;		/* CMS_get1_certs: untrusted chain material */
	PKCS7 *token;			/* unsigned signatureTimeStampToken, or NULL */
};

/* cms_free - release a cms_state (safe on a zeroed one). */
static void
cms_free(struct cms_state *c)
{
	PKCS7_free(c->token);
	sk_X509_pop_free(c->certs, X509_free);
	CMS_ContentInfo_free(c->cms);
	memset(c, 0, sizeof *c);
}

/* undecided / failed - set integrity and its reason; return -1 for "return failed(...)". */
static int __attribute__((format(printf, 3, 4)))
integ(struct verify_sig *s, enum verify_integrity v, const char *fmt, ...)
{
	va_list ap;

	s->integrity = v;
	va_start(ap, fmt);
	vsnprintf(s->integrity_why, sizeof s->integrity_why, fmt, ap);
	va_end(ap);
	return v == VI_OK ? 0 : -1;
}

/* all_zero - whether /Contents was never filled in. */
static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* cms_open - parse the CMS and find its one signer and certificate. */
static int
cms_open(struct verify_sig *s, const unsigned char *contents, size_t clen, struct cms_state *c)
{
	const unsigned char *q = contents;
	STACK_OF(CMS_SignerInfo) *sis;
	EVP_PKEY *pk = NULL;
	X509_ALGOR *dig = NULL, *alg = NULL;

	if (contents == NULL || all_zero(contents, clen))
		return integ(s, VI_UNDECIDED, "the signature field was never signed (empty "
			     "/Contents)");
	if (strcmp(s->subfilter, "ETSI.CAdES.detached") && strcmp(s->subfilter, "adbe.pkcs7.detached"))
		return integ(s, VI_UNDECIDED, "unsupported /SubFilter %s", s->subfilter);
	c->cms = d2i_CMS_ContentInfo(NULL, &q, (long)clen);
	if (c->cms == NULL)
		return integ(s, VI_FAILED, "/Contents is not a CMS structure");
	if (OBJ_obj2nid(CMS_get0_type(c->cms)) != NID_pkcs7_signed)
		return integ(s, VI_FAILED, "/Contents is not a CMS SignedData");
	if (!CMS_is_detached(c->cms))
		return integ(s, VI_UNDECIDED, "the CMS carries its content (not detached)");
	sis = CMS_get0_SignerInfos(c->cms);
	if (sk_CMS_SignerInfo_num(sis) != 1)
		return integ(s, VI_UNDECIDED, "the CMS has %d signers, expected one",
			     sk_CMS_SignerInfo_num(sis));
	c->si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(c->cms, NULL, 0);
	ERR_clear_error();
	CMS_SignerInfo_get0_algs(c->si, &pk, &c->signer, &dig, &alg);
	if (c->signer == NULL)
		return integ(s, VI_UNDECIDED, "the signer's certificate is not in the CMS");
	c->certs = CMS_get1_certs(c->cms);
	verify_name_str(X509_get_subject_name(c->signer), s->subject, sizeof s->subject);
	verify_name_str(X509_get_issuer_name(c->signer), s->issuer, sizeof s->issuer);
	verify_serial_str(c->signer, s->serial, sizeof s->serial);
	return 0;
}

/* ess_check - an ESS signing-certificate(-v2) attribute must name the signer's certificate. */
static int
ess_check(struct verify_sig *s, struct cms_state *c)
{
	ASN1_STRING *v1 = CMS_signed_get0_data_by_OBJ(c->si,
		OBJ_nid2obj(NID_id_smime_aa_signingCertificate), -3, V_ASN1_SEQUENCE);
	ASN1_STRING *v2 = CMS_signed_get0_data_by_OBJ(c->si,
		OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE);
	const unsigned char *q;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	int ok;

	if (v1 && (q = ASN1_STRING_get0_data(v1)) != NULL)
		ss = d2i_ESS_SIGNING_CERT(NULL, &q, ASN1_STRING_length(v1));
	if (v2 && (q = ASN1_STRING_get0_data(v2)) != NULL)
		ss2 = d2i_ESS_SIGNING_CERT_V2(NULL, &q, ASN1_STRING_length(v2));
	ok = chain != NULL && sk_X509_push(chain, c->signer) > 0 &&
	     (v1 == NULL || ss != NULL) && (v2 == NULL || ss2 != NULL) &&
	     OSSL_ESS_check_signing_certs(ss, ss2, chain, 0) == 1;
	ERR_clear_error();
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
	return ok ? 0 : integ(s, VI_FAILED, "the ESS signing-certificate attribute does not name "
			      "the signer's certificate");
}

/* cms_integrity - messageDigest against our digest of the ranges, then the signature. */
static int
cms_integrity(struct verify_sig *s, const unsigned char *p, size_t len, struct cms_state *c)
{
	X509_ALGOR *dig = NULL, *alg = NULL;
	EVP_PKEY *pk = NULL;
	const ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h;
	struct seg sg[2];

	CMS_SignerInfo_get0_algs(c->si, &pk, NULL, &dig, &alg);
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	if ((h = EVP_get_digestbyobj(obj)) == NULL)
		return integ(s, VI_UNDECIDED, "unknown digest algorithm");
	SETF(s->digest, "%s", OBJ_nid2sn(EVP_MD_get_type(h)));
	if (CMS_signed_get_attr_count(c->si) <= 0)
		return integ(s, VI_UNDECIDED, "the CMS has no signed attributes (not PAdES)");
	want = CMS_signed_get0_data_by_OBJ(c->si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
					   V_ASN1_OCTET_STRING);
	if (want == NULL)
		return integ(s, VI_FAILED, "the CMS has no messageDigest attribute");
	if (!verify_ranges_in_file(s, len))
		return integ(s, VI_FAILED, "the digest cannot be computed: /ByteRange is not "
			     "inside the file");
	sg[0].p = p + s->br[0];
	sg[0].n = (size_t)s->br[1];
	sg[1].p = p + s->br[2];
	sg[1].n = (size_t)s->br[3];
	if (digest_segs(h, sg, 2, md, &mdlen) < 0)
		return integ(s, VI_UNDECIDED, "cannot compute the %s digest", s->digest);
	if ((int)mdlen != ASN1_STRING_length(want) || memcmp(md, ASN1_STRING_get0_data(want), mdlen))
		return integ(s, VI_FAILED, "the %s digest of the signed bytes does not match the "
			     "CMS messageDigest", s->digest);
	if (CMS_SignerInfo_verify(c->si) != 1) {
		ERR_clear_error();
		return integ(s, VI_FAILED, "the signature over the signed attributes does not "
			     "verify with the signer's key");
	}
	if (ess_check(s, c) < 0)
		return -1;
	return integ(s, VI_OK, "%s digest and %s signature match", s->digest,
		     EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "");
}

/* sig_timestamp - the unsigned signatureTimeStampToken over the signature value, if any. */
static void
sig_timestamp(struct verify_sig *s, struct cms_state *c, X509_STORE *store)
{
	int i = CMS_unsigned_get_attr_by_NID(c->si, NID_id_smime_aa_timeStampToken, -1);
	ASN1_TYPE *t = i >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(c->si, i), 0) : NULL;
	ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(c->si);
	const unsigned char *q;
	struct tst_result r;
	struct seg sg;

	if (i < 0)
		return;
	s->tst = VTS_INVALID;
	if (t == NULL || t->type != V_ASN1_SEQUENCE) {
		SETF(s->tst_why, "the timestamp attribute is not a token");
		return;
	}
	q = t->value.sequence->data;
	c->token = d2i_PKCS7(NULL, &q, t->value.sequence->length);
	if (c->token == NULL) {
		ERR_clear_error();
		SETF(s->tst_why, "the timestamp attribute is not a token");
		return;
	}
	sg.p = ASN1_STRING_get0_data(sv);
	sg.n = (size_t)ASN1_STRING_length(sv);
	tst_examine(c->token, &sg, 1, store, &r);
	s->tst_time = r.gen_time;
	if (!r.imprint_ok || !r.signature_ok) {
		SETF(s->tst_why, "%s", r.why);
		return;
	}
	s->tst = r.chain_ok ? VTS_VALID : VTS_UNTRUSTED;
	if (r.chain_ok && r.tsa)
		verify_name_str(X509_get_subject_name(r.tsa), s->tst_why, sizeof s->tst_why);
	else
		SETF(s->tst_why, "the TSA is not trusted: %s", r.why);
}

/* choose_time - genTime of a valid timestamp, else /M, else none (chain checked now). */
static void
choose_time(struct verify_sig *s)
{
	if (s->tst == VTS_VALID) {
		s->time_source = VTIME_TIMESTAMP;
		s->signing_time = s->tst_time;
	} else if (s->claimed_time) {
		s->time_source = VTIME_CLAIMED;
		s->signing_time = s->claimed_time;
	} else {
		s->time_source = VTIME_NONE;
		s->signing_time = 0;
	}
}


void
verify_cms(struct verify_sig *s, const unsigned char *p, size_t len, const unsigned char *contents,
	   size_t clen, X509_STORE *store, const struct verify_opts *o)
{
	struct cms_state c;

	memset(&c, 0, sizeof c);
	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	if (cms_open(s, contents, clen, &c) == 0 && cms_integrity(s, p, len, &c) == 0) {
		sig_timestamp(s, &c, store);
		choose_time(s);
		verify_trust_check(s, c.signer, c.certs, store, o);
	} else if (s->integrity == VI_FAILED) {
		choose_time(s);
	}
	ERR_clear_error();
	cms_free(&c);
}

void
verify_doc_ts(struct verify_sig *s, const unsigned char *p, size_t len,
	      const unsigned char *contents, size_t clen, X509_STORE *store)
{
	const unsigned char *q = contents;
	PKCS7 *token = NULL;
	struct tst_result r;
	struct seg sg[2];

	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	SETF(s->digest, "-");
	if (contents == NULL || all_zero(contents, clen)) {
		integ(s, VI_UNDECIDED, "the timestamp field was never filled in");
		return;
	}
	if (!verify_ranges_in_file(s, len)) {
		integ(s, VI_FAILED, "/ByteRange is not inside the file");
		return;
	}
	if ((token = d2i_PKCS7(NULL, &q, (long)clen)) == NULL) {
		ERR_clear_error();
		integ(s, VI_FAILED, "/Contents is not a timestamp token");
		return;
	}
	sg[0].p = p + s->br[0];
	sg[0].n = (size_t)s->br[1];
	sg[1].p = p + s->br[2];
	sg[1].n = (size_t)s->br[3];
	tst_examine(token, sg, 2, store, &r);
	s->tst_time = r.gen_time;
	if (r.tsa) {
		verify_name_str(X509_get_subject_name(r.tsa), s->subject, sizeof s->subject);
		verify_name_str(X509_get_issuer_name(r.tsa), s->issuer, sizeof s->issuer);
		verify_serial_str(r.tsa, s->serial, sizeof s->serial);
	}
	if (!r.imprint_ok || !r.signature_ok) {
		integ(s, VI_FAILED, "%s", r.why);
	} else {
		integ(s, VI_OK, "the timestamp's imprint matches the signed bytes");
		s->tst = r.chain_ok ? VTS_VALID : VTS_UNTRUSTED;
		s->time_source = VTIME_TIMESTAMP;
		s->signing_time = r.gen_time;
		s->trust = r.chain_ok ? VT_TRUSTED : VT_UNTRUSTED;
		SETF(s->trust_why, "%s", r.chain_ok ? s->issuer : r.why);
	}
	PKCS7_free(token);
}
