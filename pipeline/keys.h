/*
 * keys.h - the master's side of the key process (pki/keyproc.h): started
 * before the workers, given a channel for each worker, restarted when it
 * dies.
 */
#ifndef SERTEL_KEYS_H
#define SERTEL_KEYS_H

#include <sys/types.h>

#include "../base/err.h"

struct cfg;
struct keyvault;
struct signer_set;

struct keys {
	pid_t pid;
	int ctl;			/* -1: not running */
	int restarts;			/* in this run */
	const struct cfg *cfg;
	struct keyvault *vault;		/* the master's, for every (re)start */
};

/* Restarts in one run after which documents wait for the next run instead. */
#define KEYS_MAX_RESTARTS 20

/*
 * keys_start - the passphrases of c's passphrase_env signers into v (and out
 * of the environment), then fork the key process, which opens every
 * keystore; s gets what it loaded: certificates and chains, public keys,
 * errors.  -1 with e (io.error) when it cannot start or ends while loading.
 */
int keys_start(struct keys *k, const struct cfg *c, struct keyvault *v, struct signer_set *s,
	       struct err *e);
/*
 * keys_channel - a new socket to the key process for a worker (the other
 * end is passed to the key process), or -1 when it is not there.
 */
int keys_channel(void *k);
/*
 * keys_lost - the control socket said the key process ended: reap it and
 * start another (what it loads is not used: the first start's certificates
 * stay).  0, or -1 with e when it cannot start or restarted too often.
 */
int keys_lost(struct keys *k, struct err *e);
/*
 * keys_certs - the signers' certificates and public keys (their errors for
 * those that failed) as a key process loads them, which then ends: for a
 * command that parses a document and never signs (validate).  -1 with e
 * when the key process cannot start.
 */
int keys_certs(const struct cfg *c, struct signer_set *s, struct err *e);
/* keys_stop - close the control socket (it exits) and reap it; safe when not started. */
void keys_stop(struct keys *k);

#endif
