/*
 * registry.h - what the certificate registry (db/certs.h) says of each
 * signer's keystore certificate, for the validate stage: signing obeys the
 * registry when the configuration has a certs: section.
 *
 * A worker reads it once when it starts (after every reload the workers
 * start again) and again when its copy is REGISTRY_TTL seconds old, so a
 * `sertel cert revoke` reaches a running daemon within that time without a
 * database query per document.
 */
#ifndef SERTEL_REGISTRY_H
#define SERTEL_REGISTRY_H

#include <stddef.h>
#include <time.h>

#include "../base/err.h"
#include "../db/certs.h"

struct cfg;
struct signer_set;

#define REGISTRY_TTL 60
#define REGISTRY_CHANGES 8	/* identity adjustments kept per signer: the latest */

/* Signer i's certificate in the registry. */
struct registry_entry {
	int found;			/* its issuer and serial are in the registry */
	struct db_cert c;		/* then its row (state, validity, the holder's identity) */
	struct db_cert_identity ch[REGISTRY_CHANGES];	/* the holder's mutasi, oldest first */
	int nch;
};

struct registry_view {
	int on;				/* certs: configured: signing obeys the registry */
	size_t n;			/* one entry per signer of the signer_set */
	struct registry_entry *v;
	time_t read_at;			/* 0: never read */
	struct err err;			/* why the last reading failed (code NULL: it did not) */
};

/*
 * registry_read - r for the signers of s, from the database in c's state
 * folder (read-only), when c has a certs: section; r->on 0 otherwise.  0, or
 * -1 with r->err (ERR_RETRY: the database could not be read now; the
 * documents wait rather than being signed or refused on a guess).
 */
int registry_read(struct registry_view *r, const struct cfg *c, const struct signer_set *s,
		  time_t now);
/* registry_fresh - registry_read again when r is REGISTRY_TTL seconds old or failed. */
int registry_fresh(struct registry_view *r, const struct cfg *c, const struct signer_set *s,
		   time_t now);
void registry_free(struct registry_view *r);

/*
 * registry_refusal - whether signer i may sign at now by the registry: NULL
 * yes; else the code (signer.unregistered, signer.expired,
 * signer.not_yet_valid, signer.revoked, signer.suspended) with why (Bahasa
 * Indonesia) in msg.
 */
const char *registry_refusal(const struct registry_view *r, const struct signer_set *s, int i,
			     time_t now, char *msg, size_t cap);

/*
 * registry_jabatan - signer i's jabatan at now by the registry: the latest
 * adjustment (cert update) in effect, else the application's; dflt (the
 * configuration's) when the registry is off or does not know the signer.
 */
const char *registry_jabatan(const struct registry_view *r, int i, time_t now, const char *dflt);

#endif
