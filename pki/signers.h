/*
 * signers.h - every configured signer's key, loaded once before workers fork.
 *
 * A signer whose keystore cannot be opened is remembered with its error, so
 * that its documents fail with "signer.keystore" while the others are signed.
 */
#ifndef SERTEL_SIGNERS_H
#define SERTEL_SIGNERS_H

#include <stddef.h>
#include <time.h>

#include "../base/err.h"
#include "keystore.h"

#include <openssl/x509_vfy.h>

struct cfg;
struct cfg_signer;
struct keyvault;

struct signer_set {
	size_t n;
	const struct cfg_signer *cfg;	/* array of n, owned by the cfg */
	struct signer_key *keys;	/* n; pkey NULL when loading failed */
	struct err *errs;		/* n; why loading failed */
	X509_STORE *anchors;		/* trust: and timestamp.trust, for the sign stage's
					 * own verification; NULL when both are empty */
};

/*
 * signers_load - every signer of c, each keystore opened; then every
 * passphrase_env variable is removed from the environment (and wiped from
 * /proc/PID/environ: keystore_forget_env), so workers forked afterwards
 * never see it.  -1 only when out of memory.
 */
int signers_load(const struct cfg *c, struct signer_set *s);
/*
 * signers_load_vault - signers_load where a passphrase_env signer's
 * passphrase comes from v when v has it for that signer's NIP, keystore and
 * variable (keyvault.h; NULL: none): the key process's way, whose
 * environment no longer holds the variables, at start-up, after a reload
 * (SIGHUP) and after a restart alike.
 */
int signers_load_vault(const struct cfg *c, struct signer_set *s, const struct keyvault *v);
/*
 * signers_identity - signer i's certificate names it (certreq_names: its
 * CN is the configured name and its serialNumber, when it has one, the
 * NIP).  1 yes, or no key loaded; 0 no, with e (signer.identity).
 */
int signers_identity(const struct signer_set *s, size_t i, struct err *e);
/*
 * signers_misnamed - every loaded signer whose certificate does not name it
 * is disabled: its key freed, its error signer.identity (logged), so its
 * documents are refused.  The number disabled; the first error in *first.
 */
size_t signers_misnamed(struct signer_set *s, struct err *first);
/* signers_config_error - e is a signer's that the configuration must fix (signer.identity). */
int signers_config_error(const struct err *e);
/* signers_find - index of the signer with nip, or -1. */
int signers_find(const struct signer_set *s, const char *nip);
/*
 * signers_revoked - a CRL among the trust anchors revokes signer i's
 * certificate at or before now: 1 with *when (the revocation date), else 0.
 * A CRL counts only when its issuer is the certificate's issuer and it is
 * signed by that issuer's key (found in the PKCS#12 chain or the anchors).
 */
int signers_revoked(const struct signer_set *s, int i, time_t now, time_t *when);
void signers_free(struct signer_set *s);
/*
 * signers_anchors - a store of trust: and timestamp.trust (certificates and
 * CRLs), for verifying signatures and their timestamps.  NULL with e->code
 * unset when neither lists a file; NULL with e set when one is unreadable.
 */
X509_STORE *signers_anchors(const struct cfg *c, struct err *e);

#endif
