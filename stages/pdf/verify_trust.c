/*
 * verify_trust.c - whether a signer is trusted (see verify_trust.h): the
 * chain to the anchors at the signing time, key usage, CRLs among the
 * anchors, and the registry callback.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "verify_str.h"
#include "verify_trust.h"

/* untrust - trust failed for a reason; the first reason is kept. */
static void __attribute__((format(printf, 2, 3)))
untrust(struct verify_sig *s, const char *fmt, ...)
{
	va_list ap;

	if (s->trust == VT_UNTRUSTED)
		return;
	s->trust = VT_UNTRUSTED;
	va_start(ap, fmt);
	vsnprintf(s->trust_why, sizeof s->trust_why, fmt, ap);
	va_end(ap);
}

/* chain_why - the chain error as a person reads it. */
static void
chain_why(struct verify_sig *s, X509_STORE_CTX *xs, int nanchors)
{
	int err = X509_STORE_CTX_get_error(xs);
	X509 *bad = X509_STORE_CTX_get_current_cert(xs);
	char who[200] = "", at[32];

	if (bad)
		verify_name_str(X509_get_subject_name(bad), who, sizeof who);
	verify_fmt_time(s->signing_time ? s->signing_time : time(NULL), 0, at);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		untrust(s, "expired: the certificate %s was no longer valid at %s", who, at);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		untrust(s, "not yet valid: the certificate %s was not valid yet at %s", who, at);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
		untrust(s, "unknown CA: the chain does not end at a trust anchor (%s)%s",
			X509_verify_cert_error_string(err),
			nanchors ? "" : "; no anchors were given (--trust CA.pem or a configuration)");
		break;
	default:
		untrust(s, "certificate chain: %s (at %s)", X509_verify_cert_error_string(err), who);
	}
}

/* count_anchors - certificates in the store. */
static int
count_anchors(X509_STORE *store)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	int i, n = 0;

	for (i = 0; i < sk_X509_OBJECT_num(objs); i++)
		n += X509_OBJECT_get_type(sk_X509_OBJECT_value(objs, i)) == X509_LU_X509;
	return n;
}

/* chain_check - the signer's chain to the anchors at the signing time; the chain on success. */
static STACK_OF(X509) *
chain_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *certs, X509_STORE *store,
	    time_t now)
{
	X509_STORE_CTX *xs = X509_STORE_CTX_new();
	STACK_OF(X509) *chain = NULL;

	if (xs == NULL || !X509_STORE_CTX_init(xs, store, signer, certs)) {
		s->trust = VT_UNDECIDED;
		SETF(s->trust_why, "cannot set up certificate verification");
		X509_STORE_CTX_free(xs);
		return NULL;
	}
	/* the signing time, not today: an expired certificate signed well while valid */
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(xs),
				   s->signing_time ? s->signing_time : now);
	if (X509_verify_cert(xs) == 1)
		chain = X509_STORE_CTX_get1_chain(xs);
	else
		chain_why(s, xs, count_anchors(store));
	ERR_clear_error();
	X509_STORE_CTX_free(xs);
	return chain;
}

/* revoked - a revocation at when (0 unknown) from source; harmless only after a proven time. */
static void
revoked(struct verify_sig *s, time_t when, const char *source)
{
	char at[32] = "an unknown date";

	if (when)
		verify_fmt_time(when, 0, at);
	/* revoked after a timestamped signature, or after sertel recorded the
	 * document signed: it stays valid, and the report says so */
	if (when && ((s->time_source == VTIME_TIMESTAMP && when > s->signing_time) ||
		     (s->reg.recorded_at && when > s->reg.recorded_at))) {
		s->revoked_after = when;
		return;
	}
	untrust(s, "revoked: the signer's certificate was revoked on %s (%s)%s", at, source,
		when && s->time_source == VTIME_CLAIMED && when > s->signing_time
			? "; the signing time is only claimed by the signer (no timestamp), so "
			  "it does not prove the signature came first"
			: "");
}

/* crl_check - CRLs among the anchors, issued and signed by the signer's issuer. */
static void
crl_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *chain, X509_STORE *store)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	X509 *issuer = sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : NULL;
	char at[32];
	int i;

	for (i = 0; issuer && i < sk_X509_OBJECT_num(objs); i++) {
		X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, i));
		X509_REVOKED *rev = NULL;

		if (crl == NULL || X509_NAME_cmp(X509_CRL_get_issuer(crl),
						 X509_get_issuer_name(signer)) != 0 ||
		    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)
			continue;
		verify_fmt_time(verify_asn1_time(X509_CRL_get0_lastUpdate(crl)), 0, at);
		if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(signer)) > 0 && rev) {
			SETF(s->crl_why, "CRL issued %s", at);
			s->revocation = VR_REVOKED;
			revoked(s, verify_asn1_time(X509_REVOKED_get0_revocationDate(rev)), "CRL");
			break;
		}
		SETF(s->crl_why, "CRL issued %s", at);
		s->revocation = VR_GOOD;
	}
	ERR_clear_error();
}

/* registry_check - the lookup callback: store status, recorded serial, revocation. */
static void
registry_check(struct verify_sig *s, X509 *signer, const struct verify_opts *o)
{
	struct verify_query q;

	if (o->lookup == NULL)
		return;
	q.doc_id = s->sertel_id[0] ? s->sertel_id : NULL;
	q.signer = signer;
	q.serial = s->serial;
	q.signing_time = s->signing_time;
	memset(&s->reg, 0, sizeof s->reg);
	if (o->lookup(o->lookup_arg, &q, &s->reg) < 0) {
		s->reg.store = VS_ERROR;
		return;
	}
	if (s->reg.store == VS_STORED || s->reg.store == VS_DELETED)
		if (s->reg.store_serial[0] && strcasecmp(s->reg.store_serial, s->serial) != 0)
			untrust(s, "the store records ID %s with certificate %s, but this "
				"signature's certificate is %s", s->sertel_id, s->reg.store_serial,
				s->serial);
	if (s->reg.revocation == VR_REVOKED) {
		s->revocation = VR_REVOKED;
		revoked(s, s->reg.revoked_at, "registry");
	} else if (s->reg.revocation == VR_GOOD && s->revocation == VR_NOT_CHECKED) {
		s->revocation = VR_GOOD;
	}
}

void
verify_trust_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *certs,
		   X509_STORE *store, const struct verify_opts *o)
{
	STACK_OF(X509) *chain;
	uint32_t ku = X509_get_key_usage(signer);

	s->trust = VT_TRUSTED;
	chain = chain_check(s, signer, certs, store, o->now);
	if (chain && (X509_get_extension_flags(signer) & EXFLAG_KUSAGE) &&
	    !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		untrust(s, "the certificate is not for signing (keyUsage)");
	if (chain)
		crl_check(s, signer, chain, store);
	registry_check(s, signer, o);
	if (s->trust == VT_TRUSTED && chain)
		verify_name_str(X509_get_subject_name(sk_X509_value(chain, sk_X509_num(chain) - 1)),
				s->trust_why, sizeof s->trust_why);
	if (s->tst == VTS_INVALID)
		untrust(s, "the signature timestamp is not valid: %s", s->tst_why);
	if (s->weak_digest[0])
		untrust(s, "weak digest algorithm %s: collisions can be made for it, so the "
			"signature does not show which document was signed", s->weak_digest);
	sk_X509_pop_free(chain, X509_free);
}

int
verify_md_weak(const EVP_MD *md)
{
	switch (EVP_MD_get_type(md)) {
	case NID_sha1:
	case NID_md5:
	case NID_md5_sha1:
	case NID_md4:
	case NID_md2:
		return 1;
	default:
		return 0;
	}
}
