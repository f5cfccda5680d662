/*
 * verify_cms.c - the cryptography of one signature (see verify_cms.h):
 * OpenSSL on our own streamed digest of the ranges against the CMS
 * messageDigest, the signature over the signed attributes (or, without
 * them, over the digest itself), the ESS signing-certificate, and RFC 3161
 * tokens (the signature timestamp inside the CMS, or a document timestamp
 * that is the whole /Contents).  Ed25519 and Ed448 are verified here, where
 * OpenSSL 3.0's CMS cannot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
#include "verify_certs.h"
#include "verify_cms.h"
#include "verify_str.h"
#include "verify_trust.h"

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
tst_examine(PKCS7 *token, const struct verify_span *sg, int nseg, X509_STORE *store,
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
	if (h == NULL || verify_digest(h, sg, nseg, md, &mdlen) < 0) {
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
	EVP_PKEY *pk;			/* the signer's key, borrowed */
	STACK_OF(X509) *certs;		/* CMS_get1_certs: untrusted chain material */
	PKCS7 *token;			/* unsigned signatureTimeStampToken, or NULL */
	struct verify_span msg[2];	/* what the CMS signs: the ranges, or its content */
	int nmsg;
	const char *note;		/* how the CMS binds the document, when unusual */
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

/* integ - set integrity and its reason; return -1 unless ok, for "return integ(...)". */
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

/* is_sha1_subfilter - adbe.pkcs7.sha1: the CMS carries and signs the SHA-1 of the ranges. */
static int
is_sha1_subfilter(const struct verify_sig *s)
{
	return !strcmp(s->subfilter, "adbe.pkcs7.sha1");
}

/* cms_open - parse the CMS and find its one signer and certificate. */
static int
cms_open(struct verify_sig *s, const struct verify_value *v, struct verify_certcache *cc,
	 struct cms_state *c)
{
	const unsigned char *q = v->contents;
	STACK_OF(CMS_SignerInfo) *sis;
	X509_ALGOR *dig = NULL, *alg = NULL;

	if (strcmp(s->subfilter, "ETSI.CAdES.detached") && strcmp(s->subfilter, "adbe.pkcs7.detached")
	    && !is_sha1_subfilter(s))
		return integ(s, VI_UNDECIDED, "unsupported /SubFilter %s", s->subfilter[0]
			     ? s->subfilter : "(none)");
	c->cms = verify_cms_parse(cc, q, (long)v->clen);
	if (c->cms == NULL)
		return integ(s, VI_FAILED, "/Contents is not a CMS structure");
	if (OBJ_obj2nid(CMS_get0_type(c->cms)) != NID_pkcs7_signed)
		return integ(s, VI_FAILED, "/Contents is not a CMS SignedData");
	sis = CMS_get0_SignerInfos(c->cms);
	if (sk_CMS_SignerInfo_num(sis) != 1)
		return integ(s, VI_UNDECIDED, "the CMS has %d signers, expected one",
			     sk_CMS_SignerInfo_num(sis));
	c->si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(c->cms, NULL, 0);
	ERR_clear_error();
	CMS_SignerInfo_get0_algs(c->si, &c->pk, &c->signer, &dig, &alg);
	if (c->signer == NULL || c->pk == NULL)
		return integ(s, VI_UNDECIDED, "the signer's certificate is not in the CMS");
	c->certs = CMS_get1_certs(c->cms);
	verify_name_str(X509_get_subject_name(c->signer), s->subject, sizeof s->subject);
	verify_name_str(X509_get_issuer_name(c->signer), s->issuer, sizeof s->issuer);
	verify_serial_str(c->signer, s->serial, sizeof s->serial);
	return 0;
}

/* same_bytes - whether the spans hold exactly the n bytes at q. */
static int
same_bytes(const struct verify_span *sp, int nsp, const unsigned char *q, size_t n)
{
	int i;

	for (i = 0; i < nsp; i++) {
		if (sp[i].n > n || memcmp(sp[i].p, q, sp[i].n))
			return 0;
		q += sp[i].n, n -= sp[i].n;
	}
	return n == 0;
}

/*
 * cms_message - what the CMS signs.  A detached subfilter signs the byte
 * ranges; a CMS that carries content anyway must carry exactly them (it then
 * signs the same bytes).  adbe.pkcs7.sha1 carries the SHA-1 digest of the
 * ranges and signs that.
 */
static int
cms_message(struct verify_sig *s, const unsigned char *p, size_t len, struct cms_state *c)
{
	ASN1_OCTET_STRING **pos = CMS_get0_content(c->cms);
	const ASN1_OCTET_STRING *ec = pos ? *pos : NULL;
	const unsigned char *ed = ec ? ASN1_STRING_get0_data(ec) : NULL;
	size_t en = ec ? (size_t)ASN1_STRING_length(ec) : 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct verify_span rg[2];

	if (!verify_ranges_in_file(s, len))
		return integ(s, VI_FAILED, "the digest cannot be computed: /ByteRange is not "
			     "inside the file");
	verify_ranges(s, p, rg);
	c->msg[0] = rg[0], c->msg[1] = rg[1], c->nmsg = 2;
	if (is_sha1_subfilter(s)) {
		if (ec == NULL)
			return integ(s, VI_FAILED, "adbe.pkcs7.sha1: the CMS carries no content (it "
				     "must carry the SHA-1 digest of the signed bytes)");
		if (verify_digest(EVP_sha1(), rg, 2, md, &mdlen) < 0)
			return integ(s, VI_UNDECIDED, "cannot compute the SHA1 digest");
		if (en != mdlen || memcmp(ed, md, mdlen))
			return integ(s, VI_FAILED, "adbe.pkcs7.sha1: the content of the CMS is not "
				     "the SHA-1 digest of the signed bytes");
		c->msg[0].p = ed, c->msg[0].n = en, c->nmsg = 1;
		c->note = "; it signs the SHA-1 digest of the signed bytes (adbe.pkcs7.sha1)";
		SETF(s->weak_digest, "SHA1");
	} else if (ec != NULL) {
		if (!same_bytes(rg, 2, ed, en))
			return integ(s, VI_FAILED, "the CMS carries %zu bytes of content that are not "
				     "the signed bytes (%s signs the byte ranges, %lld bytes)", en,
				     s->subfilter, s->br[1] + s->br[3]);
		c->note = "; the CMS also carries the signed bytes (attached, where the /SubFilter "
			  "says detached)";
	}
	return 0;
}

/* eddsa - whether the key is Ed25519 or Ed448, which sign messages, not digests. */
static int
eddsa(EVP_PKEY *pk)
{
	int id = EVP_PKEY_get_base_id(pk);

	return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448;
}

/* eddsa_ok - pure EdDSA over the spans (RFC 8419: one pass, so joined in memory). */
static int
eddsa_ok(struct cms_state *c, const struct verify_span *sp, int n)
{
	const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(c->si);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned char *buf = NULL;
	const unsigned char *tbs = sp[0].p;
	size_t len = sp[0].n;
	int ok = 0;

	if (n == 2) {
		len = sp[0].n + sp[1].n;
		if ((buf = malloc(len ? len : 1)) == NULL)
			goto out;
		memcpy(buf, sp[0].p, sp[0].n);
		memcpy(buf + sp[0].n, sp[1].p, sp[1].n);
		tbs = buf;
	}
	ok = m != NULL && EVP_DigestVerifyInit(m, NULL, NULL, NULL, c->pk) > 0 &&
	     EVP_DigestVerify(m, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
			      tbs, len) == 1;
out:
	free(buf);
	EVP_MD_CTX_free(m);
	ERR_clear_error();
	return ok;
}

/*
 * attrs_ok - the signature over the DER of the signed attributes.  OpenSSL
 * 3.0's CMS_SignerInfo_verify cannot verify EdDSA (it hands the key a
 * digest), so for Ed25519/Ed448 the attributes are re-encoded as received
 * (as the SET OF the signer signed) and verified here.
 */
static int
attrs_ok(struct cms_state *c)
{
	STACK_OF(X509_ATTRIBUTE) *sk;
	struct verify_span sp;
	unsigned char *der = NULL;
	int i, n, ok;

	if (!eddsa(c->pk)) {
		ok = CMS_SignerInfo_verify(c->si) == 1;
		ERR_clear_error();
		return ok;
	}
	if ((sk = sk_X509_ATTRIBUTE_new_null()) == NULL)
		return 0;
	for (i = 0; i < CMS_signed_get_attr_count(c->si); i++)
		sk_X509_ATTRIBUTE_push(sk, CMS_signed_get_attr(c->si, i));
	n = ASN1_item_i2d((ASN1_VALUE *)sk, &der, ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
	sp.p = der;
	sp.n = n > 0 ? (size_t)n : 0;
	ok = n > 0 && eddsa_ok(c, &sp, 1);
	OPENSSL_free(der);
	sk_X509_ATTRIBUTE_free(sk);
	return ok;
}

/* plain_ok - no signed attributes: the signature is over the digest of the message itself. */
static int
plain_ok(struct cms_state *c, const EVP_MD *h)
{
	BIO *mdb, *sink;
	int i, ok = 1;

	if (eddsa(c->pk))
		return eddsa_ok(c, c->msg, c->nmsg);
	mdb = BIO_new(BIO_f_md());
	sink = BIO_new(BIO_s_null());
	if (mdb == NULL || sink == NULL || BIO_set_md(mdb, h) <= 0) {
		BIO_free(mdb);
		BIO_free(sink);
		return 0;
	}
	BIO_push(mdb, sink);
	for (i = 0; ok && i < c->nmsg; i++) {
		const unsigned char *q = c->msg[i].p;
		size_t n = c->msg[i].n;

		while (ok && n > 0) {
			int k = n > (1u << 30) ? 1 << 30 : (int)n;

			ok = BIO_write(mdb, q, k) == k;
			q += k, n -= (size_t)k;
		}
	}
	/* finds our digest in the chain, then verifies the signature over it */
	ok = ok && CMS_SignerInfo_verify_content(c->si, mdb) == 1;
	BIO_free_all(mdb);
	ERR_clear_error();
	return ok;
}

/* bad_signature - why the signature does not verify, as precisely as the CMS lets us say. */
static int
bad_signature(struct verify_sig *s, struct cms_state *c, const char *over)
{
	X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	char name[64];
	int nid;

	CMS_SignerInfo_get0_algs(c->si, NULL, NULL, NULL, &alg);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	nid = OBJ_obj2nid(obj);
	OBJ_obj2txt(name, sizeof name, obj, 0);
	if (EVP_PKEY_get_base_id(c->pk) == EVP_PKEY_RSA_PSS && nid != NID_rsassaPss)
		return integ(s, VI_FAILED, "not a valid signature: the CMS labels it %s, but the "
			     "signer's key is an RSASSA-PSS key, which signs only with PSS", name);
	return integ(s, VI_FAILED, "the signature %s does not verify with the signer's key", over);
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

/*
 * cms_integrity - with signed attributes: messageDigest against our digest
 * of the message, then the signature over the attributes and the ESS
 * signing certificate; without them: the signature over the message's
 * digest (over the message itself for EdDSA).
 */
static int
cms_integrity(struct verify_sig *s, struct cms_state *c)
{
	X509_ALGOR *dig = NULL;
	const ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h;
	const char *key = EVP_PKEY_get0_type_name(c->pk);
	X509_ALGOR *sa = NULL;
	const ASN1_OBJECT *so = NULL;
	char weak[48] = "";

	CMS_SignerInfo_get0_algs(c->si, NULL, NULL, &dig, &sa);
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	X509_ALGOR_get0(&so, NULL, NULL, sa);
	if (OBJ_obj2nid(so) == NID_rsassaPss)
		key = "RSA-PSS";	/* an rsaEncryption key may sign with PSS too */
	if ((h = EVP_get_digestbyobj(obj)) == NULL)
		return integ(s, VI_UNDECIDED, "unknown digest algorithm");
	SETF(s->digest, "%s", OBJ_nid2sn(EVP_MD_get_type(h)));
	if (verify_md_weak(h) && !s->weak_digest[0])
		SETF(s->weak_digest, "%s", s->digest);
	if (s->weak_digest[0])
		SETF(weak, "; WEAK digest algorithm %s", s->weak_digest);
	if (CMS_signed_get_attr_count(c->si) <= 0) {
		if (!plain_ok(c, h))
			return bad_signature(s, c, "(no signed attributes: over the digest of the "
					     "signed bytes)");
		return integ(s, VI_OK, "%s signature over the %s digest matches (no signed "
			     "attributes)%s%s", key ? key : "", s->digest, c->note ? c->note : "", weak);
	}
	want = CMS_signed_get0_data_by_OBJ(c->si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
					   V_ASN1_OCTET_STRING);
	if (want == NULL)
		return integ(s, VI_FAILED, "the CMS has no messageDigest attribute");
	mdlen = (unsigned int)ASN1_STRING_length(want);	/* SHAKE: as long as the signer took */
	if (verify_digest(h, c->msg, c->nmsg, md, &mdlen) < 0)
		return integ(s, VI_UNDECIDED, "cannot compute the %s digest", s->digest);
	if ((int)mdlen != ASN1_STRING_length(want) || memcmp(md, ASN1_STRING_get0_data(want), mdlen))
		return integ(s, VI_FAILED, "the %s digest of the %s does not match the CMS "
			     "messageDigest", s->digest, c->nmsg == 2 ? "signed bytes" : "CMS content");
	if (!attrs_ok(c))
		return bad_signature(s, c, "over the signed attributes");
	if (ess_check(s, c) < 0)
		return -1;
	return integ(s, VI_OK, "%s digest and %s signature match%s%s", s->digest, key ? key : "",
		     c->note ? c->note : "", weak);
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
	struct verify_span sg;

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
verify_cms(struct verify_sig *s, const unsigned char *p, size_t len, const struct verify_value *v,
	   X509_STORE *store, const struct verify_opts *o)
{
	struct cms_state c;

	memset(&c, 0, sizeof c);
	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	if (verify_no_value(s, v, "signature value")) {
		SETF(s->trust_why, "not checked: there is no signature");
	} else if (cms_open(s, v, o ? o->certs : NULL, &c) == 0 && cms_message(s, p, len, &c) == 0 &&
		   cms_integrity(s, &c) == 0) {
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
	      const struct verify_value *v, X509_STORE *store)
{
	const unsigned char *q = v->contents;
	PKCS7 *token = NULL;
	struct tst_result r;
	struct verify_span sg[2];

	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	SETF(s->digest, "-");
	if (verify_no_value(s, v, "timestamp token")) {
		SETF(s->trust_why, "not checked: there is no timestamp");
		return;
	}
	if (!verify_ranges_in_file(s, len)) {
		integ(s, VI_FAILED, "/ByteRange is not inside the file");
		return;
	}
	if ((token = d2i_PKCS7(NULL, &q, (long)v->clen)) == NULL) {
		ERR_clear_error();
		integ(s, VI_FAILED, "/Contents is not a timestamp token");
		return;
	}
	verify_ranges(s, p, sg);
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
