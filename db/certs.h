/*
 * certs.h - the certificate registry (Pasal 8-20): holders, their
 * certificate requests and certificates, and the state each is in.
 *
 *   requested -> verified | rejected
 *   verified  -> issued                    (the CA's certificate imported)
 *   issued    -> superseded | expired | revoked | suspended
 *   suspended -> issued | expired | revoked (a passphrase reset: Pasal 15(2))
 * rejected, superseded, expired and revoked are final.
 *
 * The state machine is one table, cert_transitions, written by schema 5
 * (migrate.c): every change here reads it first and is refused with
 * cert.transition when it is not listed, and the database's triggers hold
 * an UPDATE by hand to the same table.  Every change appends a cert.<state>
 * record to the audit trail in its own transaction: who (the verifikator's
 * NIP), when and why.
 */
#ifndef SERTEL_CERTS_H
#define SERTEL_CERTS_H

#include <stddef.h>

#include "../base/err.h"
#include "../spool/spool.h"

struct db;

/* The holder's identity as the application gives it (Pasal 14). */
struct db_cert_holder {
	char id[24];			/* the NIP, or the NIK where there is none */
	char nik[24], nip[24];		/* nip "" when none */
	char name[128], jabatan[128], pangkat[64], unit[128];
	char pd[PD_MAX];
	char phone[32], email[128];
};

/* A request and, once issued, its certificate. */
struct db_cert {
	long long id;
	struct db_cert_holder h;
	char state[16];
	char recommender[24];		/* NIP of the recommending official */
	char key_alg[16];		/* "rsa-2048", "ec-p256" */
	char pubkey_sha256[65];		/* of the request's SubjectPublicKeyInfo (DER) */
	char dir[64];			/* the request's files, under the state folder */
	long long requested_at, state_at;
	char state_by[24], state_note[400];
	/* issued */
	char serial[80], issuer[256], subject[256];
	long long not_before, not_after;
	/* revoked */
	char revoke_reason[32];
	int revoke_code;		/* RFC 5280 CRLReason */
	long long renews;		/* a renewal: the certificate it replaces; else 0 */
};

/*
 * db_cert_request - a new request c (c->h, recommender, key_alg,
 * pubkey_sha256, dir) at time at, its holder's identity recorded (or
 * updated), and a cert.requested audit record; c->id is set.  -1 with
 * cert.open when the holder has a request or certificate still open (with
 * c->renews, other than that certificate, which stays in use meanwhile).
 */
int db_cert_request(struct db *db, struct db_cert *c, long long at, struct err *e);

/* What a transition sets besides the state (NULL fields: none). */
struct db_cert_change {
	const char *to;			/* the new state */
	const char *by;			/* NIP of who does it */
	const char *note;		/* why */
	long long at;
	const struct db_cert *issued;	/* to "issued" from "verified": serial, issuer, subject,
					 * not_before, not_after */
	const char *reason;		/* to "revoked": the reason's name and code */
	int reason_code;
};

/*
 * db_cert_change - move certificate id to ch->to; a renewal becoming issued
 * supersedes the certificate it renews in the same transaction (a suspended
 * one is issued again first: its reset ends with the new keystore).  0; -1 with e:
 * cert.unknown (no such id), cert.transition (the table does not allow it:
 * the detail names the state and what may follow it), or a database error.
 */
int db_cert_change(struct db *db, long long id, const struct db_cert_change *ch, struct err *e);

/*
 * db_cert_may - cert_transitions lets c (as read) become ch->to, and a
 * certificate (ch->issued) goes only into a verified request: 0; -1 with e
 * (cert.transition, naming what may follow, or a database error).  For a
 * command to ask before it does work the change would waste.
 */
int db_cert_may(struct db *db, const struct db_cert *c, const struct db_cert_change *ch,
		struct err *e);

/* db_cert_get - 1 with certificate id, 0 unknown, -1 with e. */
int db_cert_get(struct db *db, long long id, struct db_cert *c, struct err *e);
/*
 * db_cert_find - the certificate key names: a holder's NIP or NIK (their
 * issued or suspended certificate), or a serial (hex, any case).  1, 0
 * none, -1 with e.
 */
int db_cert_find(struct db *db, const char *key, struct db_cert *c, struct err *e);

/*
 * db_cert_by_issuer - the certificate with this issuer (RFC 2253, as
 * recorded at import) and serial (hex, any case), in whatever state.  1, 0
 * none, -1 with e.  How a signer's keystore certificate is found.
 */
int db_cert_by_issuer(struct db *db, const char *issuer, const char *serial, struct db_cert *c,
		      struct err *e);

/* db_cert_by_serial - the latest certificate with this serial (hex, any case): 1, 0 none, -1 with e. */
int db_cert_by_serial(struct db *db, const char *serial, struct db_cert *c, struct err *e);

/* An identity adjustment (mutasi within the district): from effective on. */
struct db_cert_identity {
	long long effective;		/* Unix time the new jabatan/unit/PD apply from */
	long long recorded;		/* when it was entered (only read back) */
	char jabatan[128], unit[128];
	char pd[PD_MAX];
};

/*
 * db_cert_update - holder's jabatan, unit and PD are ch from ch->effective
 * on (kept in cert_holder_changes, never edited), with a cert.updated audit
 * record by by, note why.  -1 with e (cert.unknown: no such holder).
 */
int db_cert_update(struct db *db, const char *holder, const struct db_cert_identity *ch,
		   const char *by, const char *note, long long at, struct err *e);
/*
 * db_cert_identities - holder's adjustments, oldest effective first, up to
 * cap into v; how many there are (may exceed cap), -1 with e.
 */
int db_cert_identities(struct db *db, const char *holder, struct db_cert_identity *v, int cap,
		       struct err *e);

/*
 * db_cert_jabatan_at - h's jabatan at time at: the latest of its adjustments
 * ch[0..n) (oldest effective first) in effect then and entered by then, else
 * the application's; NULL when neither names one.  The one rule for "jabatan
 * as of a date" (the mark at signing, the verification page afterwards): a
 * mutasi entered later with an earlier date does not rewrite what a letter
 * signed in between showed.
 */
const char *db_cert_jabatan_at(const struct db_cert_holder *h, const struct db_cert_identity *ch,
			       int n, long long at);
/*
 * db_cert_signer_jabatan - into out, the jabatan at time at of the holder of
 * the certificate with this serial (db_cert_jabatan_at): 1, 0 when the
 * registry does not know the certificate or names none, -1 with e.
 */
int db_cert_signer_jabatan(struct db *db, const char *serial, long long at, char *out, size_t cap,
			   struct err *e);

/* What `cert list` keeps: each non-NULL field must match; expires_before > 0: not_after before it. */
struct db_cert_filter {
	const char *pd, *state;
	long long expires_before;
};
typedef int (*db_cert_fn)(void *arg, const struct db_cert *c);
/* db_cert_list - the certificates that pass f, by id; the number listed or -1 with e. */
int db_cert_list(struct db *db, const struct db_cert_filter *f, db_cert_fn fn, void *arg,
		 struct err *e);

/* db_cert_state_known - s is one of the registry's states. */
int db_cert_state_known(const char *s);

/*
 * db_cert_revoked_serial - 1 when a certificate with this serial was revoked
 * after `after` (a document's signing time): *at when, reason its reason;
 * 0 when not; -1 with e.
 */
int db_cert_revoked_serial(struct db *db, const char *serial, long long after, long long *at,
			   char *reason, size_t cap, struct err *e);

#endif
