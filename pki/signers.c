/*
 * signers.c - loading every signer's keystore once (see signers.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "anchors.h"
#include "certreq.h"
#include "keyvault.h"
#include "signers.h"

X509_STORE *
signers_anchors(const struct cfg *c, struct err *e)
{
	err_clear(e);
	if (c->ntrust + c->timestamp.ntrust == 0)
		return NULL;
	return anchors_load(c->trust_anchors, c->ntrust, c->timestamp.trust, c->timestamp.ntrust,
			    "config.value", "trust anchor", e);
}

/*
 * chain_ok - the signer's certificate chains to a trust anchor (with the
 * intermediates from its PKCS#12) and is fit for signing documents.
 */
static int
chain_ok(X509_STORE *st, const struct signer_key *k, const char *nip, struct err *e)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0;

	if (ctx && X509_STORE_CTX_init(ctx, st, k->cert, k->chain) == 1) {
		/* time is checked per document (validate stage), not at start-up */
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
		ok = X509_verify_cert(ctx) == 1;
		if (!ok)
			err_set(e, "signer.cert_invalid", "signer %s: certificate does not chain to the "
				"configured trust anchors: %s", nip,
				X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

int
signers_load(const struct cfg *c, struct signer_set *s)
{
	return signers_load_vault(c, s, NULL);
}

int
signers_load_vault(const struct cfg *c, struct signer_set *s, const struct keyvault *v)
{
	X509_STORE *st = NULL;
	struct err terr;
	size_t i;

	memset(s, 0, sizeof *s);
	s->keys = calloc(c->nsigners ? c->nsigners : 1, sizeof *s->keys);
	s->errs = calloc(c->nsigners ? c->nsigners : 1, sizeof *s->errs);
	if (!s->keys || !s->errs) {
		signers_free(s);
		return -1;
	}
	s->n = c->nsigners;
	s->cfg = c->signers;
	/* the signers' own anchors (trust:), which their certificates must chain to */
	if (c->ntrust > 0 && !(st = anchors_load(c->trust_anchors, c->ntrust, NULL, 0,
						  "config.value", "trust anchor", &terr)))
		log_err(NULL, "%s", terr.detail);
	for (i = 0; i < s->n; i++) {
		struct signer_key *k = &s->keys[i];
		if (keystore_load_pass(&c->signers[i], v ? keyvault_pass(v, &c->signers[i]) : NULL,
				       k, &s->errs[i]) < 0) {
			log_err(NULL, "signer %s: %s", c->signers[i].nip, s->errs[i].detail);
			continue;
		}
		if (c->ntrust == 0)
			continue;
		if (st ? chain_ok(st, k, c->signers[i].nip, &s->errs[i]) : 0)
			continue;
		if (!st)	/* unreadable anchors: nobody signs rather than anybody */
			s->errs[i] = terr;
		log_err(NULL, "signer %s: %s", c->signers[i].nip, s->errs[i].detail);
		keystore_free(k);
	}
	X509_STORE_free(st);
	/* every signer that reads it has it now: out of the environment, before any fork */
	for (i = 0; i < s->n; i++)
		if (c->signers[i].pass_env)
			keystore_forget_env(c->signers[i].pass_env);
	/* verification of the output: the signers' and the TSAs' anchors */
	s->anchors = signers_anchors(c, &terr);
	if (s->anchors == NULL && terr.code)
		log_err(NULL, "%s", terr.detail);
	return 0;
}

int
signers_identity(const struct signer_set *s, size_t i, struct err *e)
{
	const struct cfg_signer *c = &s->cfg[i];
	char why[400];

	if (!s->keys[i].cert || certreq_names(s->keys[i].cert, c->name, c->nip, why, sizeof why))
		return 1;
	err_set(e, "signer.identity", "signer %s: %s", c->nip, why);
	return 0;
}

/* misnamed: at start-up sertel does not start; after a reload (SIGHUP) the others go on */
size_t
signers_misnamed(struct signer_set *s, struct err *first)
{
	size_t i, n = 0;

	err_clear(first);
	for (i = 0; i < s->n; i++) {
		if (!s->keys[i].pkey || signers_identity(s, i, &s->errs[i]))
			continue;
		log_err(NULL, "%s", s->errs[i].detail);
		keystore_free(&s->keys[i]);
		if (n++ == 0)
			*first = s->errs[i];
	}
	return n;
}

int
signers_config_error(const struct err *e)
{
	return e->code && !strcmp(e->code, "signer.identity");
}

int
signers_find(const struct signer_set *s, const char *nip)
{
	size_t i;

	for (i = 0; nip && i < s->n; i++)
		if (strcmp(s->cfg[i].nip, nip) == 0)
			return (int)i;
	return -1;
}

/* issuer_of - the issuer of cert among chain and the anchors' certificates, or NULL. */
static X509 *
issuer_of(X509 *cert, STACK_OF(X509) *chain, STACK_OF(X509_OBJECT) *objs)
{
	int i;

	for (i = 0; chain && i < sk_X509_num(chain); i++)
		if (X509_check_issued(sk_X509_value(chain, i), cert) == X509_V_OK)
			return sk_X509_value(chain, i);
	for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
		if (x && X509_check_issued(x, cert) == X509_V_OK)
			return x;
	}
	return NULL;
}

int
signers_revoked(const struct signer_set *s, int i, time_t now, time_t *when)
{
	STACK_OF(X509_OBJECT) *objs;
	X509 *cert, *issuer;
	struct tm tm;
	int k, rc = 0;

	if (!s->anchors || i < 0 || (size_t)i >= s->n || !(cert = s->keys[i].cert))
		return 0;
	objs = X509_STORE_get0_objects(s->anchors);
	if (!(issuer = issuer_of(cert, s->keys[i].chain, objs)))
		return 0;
	for (k = 0; !rc && k < sk_X509_OBJECT_num(objs); k++) {
		X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, k));
		X509_REVOKED *rev = NULL;
		if (!crl || X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) ||
		    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1 ||
		    X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(cert)) <= 0 || !rev ||
		    ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm) != 1)
			continue;
		*when = timegm(&tm);
		rc = *when <= now;
	}
	ERR_clear_error();
	return rc;
}

void
signers_free(struct signer_set *s)
{
	size_t i;

	for (i = 0; s->keys && i < s->n; i++)
		keystore_free(&s->keys[i]);
	free(s->keys);
	free(s->errs);
	X509_STORE_free(s->anchors);
	memset(s, 0, sizeof *s);
}
