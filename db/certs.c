/*
 * certs.c - the certificate registry's rows (see certs.h): requests,
 * transitions read from cert_transitions, look-ups and the listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "certs.h"
#include "conn.h"
#include "db.h"

static const char *const states[] = { "requested", "verified", "rejected", "issued",
				      "superseded", "expired", "revoked", "suspended" };

int
db_cert_state_known(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		if (!strcmp(s, states[i]))
			return 1;
	return 0;
}

#define SELECT_CERT \
	"SELECT c.id, h.id, h.nik, coalesce(h.nip, ''), h.name, h.jabatan, h.pangkat, h.unit," \
	" h.pd, h.phone, h.email, c.state, c.recommender, c.key_alg, c.pubkey_sha256, c.dir," \
	" c.requested_at, c.state_at, c.state_by, c.state_note, c.serial, c.issuer, c.subject," \
	" coalesce(c.not_before, 0), coalesce(c.not_after, 0), c.revoke_reason," \
	" coalesce(c.revoke_code, -1), coalesce(c.renews, 0)" \
	" FROM certs c JOIN cert_holders h ON h.id = c.holder "

/* row - the current row of a SELECT_CERT statement into c. */
static void
row(struct db *db, struct db_stmt *st, struct db_cert *c)
{
	struct db_cert_holder *h = &c->h;

	memset(c, 0, sizeof *c);
	c->id = conn_int(db, st, 0);
	conn_copy(db, st, 1, h->id, sizeof h->id);
	conn_copy(db, st, 2, h->nik, sizeof h->nik);
	conn_copy(db, st, 3, h->nip, sizeof h->nip);
	conn_copy(db, st, 4, h->name, sizeof h->name);
	conn_copy(db, st, 5, h->jabatan, sizeof h->jabatan);
	conn_copy(db, st, 6, h->pangkat, sizeof h->pangkat);
	conn_copy(db, st, 7, h->unit, sizeof h->unit);
	conn_copy(db, st, 8, h->pd, sizeof h->pd);
	conn_copy(db, st, 9, h->phone, sizeof h->phone);
	conn_copy(db, st, 10, h->email, sizeof h->email);
	conn_copy(db, st, 11, c->state, sizeof c->state);
	conn_copy(db, st, 12, c->recommender, sizeof c->recommender);
	conn_copy(db, st, 13, c->key_alg, sizeof c->key_alg);
	conn_copy(db, st, 14, c->pubkey_sha256, sizeof c->pubkey_sha256);
	conn_copy(db, st, 15, c->dir, sizeof c->dir);
	c->requested_at = conn_int(db, st, 16);
	c->state_at = conn_int(db, st, 17);
	conn_copy(db, st, 18, c->state_by, sizeof c->state_by);
	conn_copy(db, st, 19, c->state_note, sizeof c->state_note);
	conn_copy(db, st, 20, c->serial, sizeof c->serial);
	conn_copy(db, st, 21, c->issuer, sizeof c->issuer);
	conn_copy(db, st, 22, c->subject, sizeof c->subject);
	c->not_before = conn_int(db, st, 23);
	c->not_after = conn_int(db, st, 24);
	conn_copy(db, st, 25, c->revoke_reason, sizeof c->revoke_reason);
	c->revoke_code = (int)conn_int(db, st, 26);
	c->renews = conn_int(db, st, 27);
}

/* one_cert - the first row of a bound SELECT_CERT statement (finalized): 1, 0 none, -1 with e. */
static int
one_cert(struct db *db, struct db_stmt *st, struct db_cert *c, struct err *e)
{
	enum db_step rc = conn_step(db, st);

	if (rc == DB_STEP_ROW)
		row(db, st, c);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "certificate");
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_cert_get(struct db *db, long long id, struct db_cert *c, struct err *e)
{
	struct db_stmt *st = conn_query(db, SELECT_CERT "WHERE c.id = ?", "certificate", e);

	if (!st)
		return -1;
	conn_bind_int(db, st, 1, id);
	return one_cert(db, st, c, e);
}

int
db_cert_find(struct db *db, const char *key, struct db_cert *c, struct err *e)
{
	struct db_stmt *st = conn_query(db, SELECT_CERT "WHERE (c.state IN ('issued','suspended')"
					" AND (h.id = ?1 OR h.nik = ?1)) OR (c.serial IS NOT NULL"
					" AND lower(c.serial) = lower(?1)) ORDER BY c.id DESC LIMIT 1",
					"certificate", e);

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, key, 0);
	return one_cert(db, st, c, e);
}

int
db_cert_by_issuer(struct db *db, const char *issuer, const char *serial, struct db_cert *c,
		  struct err *e)
{
	struct db_stmt *st = conn_query(db, SELECT_CERT "WHERE c.serial IS NOT NULL AND"
					" lower(c.serial) = lower(?1) AND c.issuer = ?2"
					" ORDER BY c.id DESC LIMIT 1", "certificate", e);

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, serial, 0);
	conn_bind_text(db, st, 2, issuer, 0);
	return one_cert(db, st, c, e);
}

int
db_cert_by_serial(struct db *db, const char *serial, struct db_cert *c, struct err *e)
{
	struct db_stmt *st = conn_query(db, SELECT_CERT "WHERE c.serial IS NOT NULL AND"
					" lower(c.serial) = lower(?1) ORDER BY c.id DESC LIMIT 1",
					"certificate", e);

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, serial, 0);
	return one_cert(db, st, c, e);
}

/* holder_put - the holder's identity as this request gives it. */
static int
holder_put(struct db *db, const struct db_cert_holder *h, long long at, struct err *e)
{
	struct db_stmt *st = conn_query(db, "INSERT INTO cert_holders (id, nik, nip, name, jabatan,"
					" pangkat, unit, pd, phone, email, updated_at)"
					" VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE"
					" SET nik = excluded.nik, name = excluded.name,"
					" jabatan = excluded.jabatan, pangkat = excluded.pangkat,"
					" unit = excluded.unit, pd = excluded.pd,"
					" phone = excluded.phone, email = excluded.email,"
					" updated_at = excluded.updated_at", "certificate holder", e);
	int rc;

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, h->id, 0);
	conn_bind_text(db, st, 2, h->nik, 0);
	conn_bind_text(db, st, 3, h->nip, 1);
	conn_bind_text(db, st, 4, h->name, 0);
	conn_bind_text(db, st, 5, h->jabatan, 0);
	conn_bind_text(db, st, 6, h->pangkat, 0);
	conn_bind_text(db, st, 7, h->unit, 0);
	conn_bind_text(db, st, 8, h->pd, 0);
	conn_bind_text(db, st, 9, h->phone, 0);
	conn_bind_text(db, st, 10, h->email, 0);
	conn_bind_int(db, st, 11, at);
	rc = conn_run(db, st, e, "certificate holder");
	conn_finalize(db, st);
	return rc;
}

/* scalar - the text of a one-row, one-column query with one text and one integer parameter. */
static int
scalar(struct db *db, const char *sql, const char *a, long long b, char *out, size_t cap,
       struct err *e)
{
	struct db_stmt *st = conn_query(db, sql, "certificate", e);
	enum db_step rc;

	out[0] = '\0';
	if (!st)
		return -1;
	conn_bind_text(db, st, 1, a, 0);
	conn_bind_int(db, st, 2, b);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW)
		conn_copy(db, st, 0, out, cap);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "certificate");
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_cert_request(struct db *db, struct db_cert *c, long long at, struct err *e)
{
	struct db_stmt *st;
	char open[32], detail[512];
	int rc;

	if (db_begin(db, e) < 0)
		return -1;
	if ((rc = scalar(db, "SELECT id || ' (' || state || ')' FROM certs WHERE holder = ?1"
			 " AND id <> ?2 AND state IN ('requested','verified','issued','suspended')",
			 c->h.id, c->renews, open, sizeof open, e)) != 0) {
		db_rollback(db);
		return rc < 0 ? -1 : err_set(e, "cert.open", "%s already has certificate %s: "
					     "reject or revoke it first", c->h.id, open);
	}
	if (holder_put(db, &c->h, at, e) < 0 ||
	    !(st = conn_query(db, "INSERT INTO certs (holder, state, recommender, key_alg,"
			      " pubkey_sha256, dir, requested_at, state_at, renews)"
			      " VALUES (?, 'requested', ?, ?, ?, ?, ?, ?, nullif(?, 0))",
			      "certificate", e)))
		goto fail;
	conn_bind_text(db, st, 1, c->h.id, 0);
	conn_bind_text(db, st, 2, c->recommender, 0);
	conn_bind_text(db, st, 3, c->key_alg, 0);
	conn_bind_text(db, st, 4, c->pubkey_sha256, 0);
	conn_bind_text(db, st, 5, c->dir, 0);
	conn_bind_int(db, st, 6, at);
	conn_bind_int(db, st, 7, at);
	conn_bind_int(db, st, 8, c->renews);
	rc = conn_run(db, st, e, "certificate");
	conn_finalize(db, st);
	if (rc < 0 || scalar(db, "SELECT max(id) FROM certs WHERE holder = ?1 AND ?2 = ?2",
			     c->h.id, 0, open, sizeof open, e) != 1)
		goto fail;
	c->id = strtoll(open, NULL, 10);
	strcpy(c->state, "requested");
	c->requested_at = c->state_at = at;
	snprintf(detail, sizeof detail, "certificate %lld for %s (%s), PD %s, recommended by %s%s",
		 c->id, c->h.id, c->h.name, c->h.pd, c->recommender, c->renews ? ", a renewal" : "");
	if (db_audit(db, "cert.requested", NULL, c->recommender, c->h.pd, detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* allowed - cert_transitions lists from -> to: 1, 0, -1 with e. */
static int
allowed(struct db *db, const char *from, const char *to, struct err *e)
{
	struct db_stmt *st = conn_query(db, "SELECT count(*) FROM cert_transitions WHERE"
					" src = ? AND dst = ?", "certificate", e);
	long long n = -1;

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, from, 0);
	conn_bind_text(db, st, 2, to, 0);
	if (conn_step(db, st) == DB_STEP_ROW)
		n = conn_int(db, st, 0);
	else
		conn_fail(db, e, "certificate");
	conn_finalize(db, st);
	return n < 0 ? -1 : n > 0;
}

/* update - the row's new state (and, by ch, its certificate or revocation), from state from. */
static int
update(struct db *db, long long id, const char *from, const struct db_cert_change *ch,
       struct err *e)
{
	const struct db_cert *x = ch->issued;
	struct db_stmt *st;
	int rc;

	st = conn_query(db, x ? "UPDATE certs SET state = ?1, state_at = ?2, state_by = ?3,"
			" state_note = ?4, serial = ?7, issuer = ?8, subject = ?9,"
			" not_before = ?10, not_after = ?11 WHERE id = ?5 AND state = ?6" :
			"UPDATE certs SET state = ?1, state_at = ?2, state_by = ?3,"
			" state_note = ?4, revoke_reason = coalesce(?7, revoke_reason),"
			" revoke_code = coalesce(?8, revoke_code) WHERE id = ?5 AND state = ?6",
			"certificate", e);
	if (!st)
		return -1;
	conn_bind_text(db, st, 1, ch->to, 0);
	conn_bind_int(db, st, 2, ch->at);
	conn_bind_text(db, st, 3, ch->by, 1);
	conn_bind_text(db, st, 4, ch->note, 1);
	conn_bind_int(db, st, 5, id);
	conn_bind_text(db, st, 6, from, 0);
	if (x) {
		conn_bind_text(db, st, 7, x->serial, 0);
		conn_bind_text(db, st, 8, x->issuer, 0);
		conn_bind_text(db, st, 9, x->subject, 0);
		conn_bind_int(db, st, 10, x->not_before);
		conn_bind_int(db, st, 11, x->not_after);
	} else if (ch->reason) {
		conn_bind_text(db, st, 7, ch->reason, 0);
		conn_bind_int(db, st, 8, ch->reason_code);
	}
	rc = conn_run(db, st, e, "certificate");
	conn_finalize(db, st);
	if (rc == 0 && db->drv->changes(db->c) != 1)
		rc = err_set(e, "cert.transition", "certificate %lld changed meanwhile", id);
	return rc;
}

int
db_cert_may(struct db *db, const struct db_cert *c, const struct db_cert_change *ch,
	    struct err *e)
{
	char next[160];
	int rc;

	if ((rc = allowed(db, c->state, ch->to, e)) < 0)
		return -1;
	/* a certificate is taken once, by the request it answers (the identity trigger too) */
	if (rc > 0 && ch->issued && strcmp(c->state, "verified"))
		return err_set(e, "cert.transition", "certificate %lld is %s: a certificate is "
			       "imported only into a verified request", c->id, c->state);
	if (rc > 0)
		return 0;
	if (scalar(db, "SELECT group_concat(dst, ', ') FROM cert_transitions WHERE src = ?1"
		   " AND ?2 = ?2", c->state, 0, next, sizeof next, e) < 0)
		return -1;
	return err_set(e, "cert.transition", "certificate %lld is %s: it cannot become %s (%s%s)",
		       c->id, c->state, ch->to, next[0] ? "it may become: " : "",
		       next[0] ? next : "that state is final");
}

/* step - c (as read, in the open transaction) moved to ch->to, with its audit record. */
static int
step(struct db *db, const struct db_cert *c, const struct db_cert_change *ch, struct err *e)
{
	char event[32], detail[512];

	if (db_cert_may(db, c, ch, e) < 0 || update(db, c->id, c->state, ch, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "certificate %lld of %s (%s): %s -> %s%s%s%s%s", c->id,
		 c->h.id, c->h.name, c->state, ch->to, ch->reason ? ", reason " : "",
		 ch->reason ? ch->reason : "", ch->note && *ch->note ? ": " : "",
		 ch->note ? ch->note : "");
	snprintf(event, sizeof event, "cert.%s", ch->to);
	return db_audit(db, event, NULL, ch->by, c->h.pd, detail, e);
}

/*
 * supersede - certificate old, renewed by by_id now issued, becomes
 * superseded (a suspended one issued again first); one that meanwhile
 * expired or was revoked stays as it is.
 */
static int
supersede(struct db *db, long long old, long long by_id, const struct db_cert_change *ch,
	  struct err *e)
{
	struct db_cert c;
	struct db_cert_change s = { .by = ch->by, .at = ch->at };
	char note[96];
	int rc;

	if ((rc = db_cert_get(db, old, &c, e)) <= 0)
		return rc;
	if (!strcmp(c.state, "suspended")) {
		s.to = "issued";
		s.note = "reset selesai: keystore baru diimpor";
		if (step(db, &c, &s, e) < 0)
			return -1;
		strcpy(c.state, "issued");
	}
	if (strcmp(c.state, "issued"))
		return 0;
	snprintf(note, sizeof note, "renewed by certificate %lld", by_id);
	s.to = "superseded";
	s.note = note;
	return step(db, &c, &s, e);
}

int
db_cert_change(struct db *db, long long id, const struct db_cert_change *ch, struct err *e)
{
	struct db_cert c;
	int rc;

	if (db_begin(db, e) < 0)
		return -1;
	if ((rc = db_cert_get(db, id, &c, e)) <= 0) {
		db_rollback(db);
		return rc < 0 ? -1 : err_set(e, "cert.unknown", "no certificate request %lld", id);
	}
	if (step(db, &c, ch, e) < 0 || (c.renews && !strcmp(ch->to, "issued") &&
					 supersede(db, c.renews, id, ch, e) < 0))
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int
db_cert_update(struct db *db, const char *holder, const struct db_cert_identity *ch,
	       const char *by, const char *note, long long at, struct err *e)
{
	struct db_stmt *st;
	char name[160], detail[512];
	int rc;

	if (db_begin(db, e) < 0)
		return -1;
	if ((rc = scalar(db, "SELECT name FROM cert_holders WHERE id = ?1 AND ?2 = ?2", holder, 0,
			 name, sizeof name, e)) <= 0) {
		db_rollback(db);
		return rc < 0 ? -1 : err_set(e, "cert.unknown", "no certificate holder %s", holder);
	}
	if (!(st = conn_query(db, "INSERT INTO cert_holder_changes (holder, jabatan, unit, pd,"
			      " effective, recorded_at, by, note) VALUES (?,?,?,?,?,?,?,?)",
			      "certificate holder", e)))
		goto fail;
	conn_bind_text(db, st, 1, holder, 0);
	conn_bind_text(db, st, 2, ch->jabatan, 0);
	conn_bind_text(db, st, 3, ch->unit, 0);
	conn_bind_text(db, st, 4, ch->pd, 0);
	conn_bind_int(db, st, 5, ch->effective);
	conn_bind_int(db, st, 6, at);
	conn_bind_text(db, st, 7, by, 0);
	conn_bind_text(db, st, 8, note, 1);
	rc = conn_run(db, st, e, "certificate holder");
	conn_finalize(db, st);
	snprintf(detail, sizeof detail, "holder %.24s (%.60s) from %lld: jabatan %.100s, unit %.100s, PD %.40s%s%.100s",
		 holder, name, ch->effective, ch->jabatan, ch->unit, ch->pd, note ? ": " : "",
		 note ? note : "");
	if (rc < 0 || db_audit(db, "cert.updated", NULL, by, ch->pd, detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

const char *
db_cert_jabatan_at(const struct db_cert_holder *h, const struct db_cert_identity *ch, int n,
		   long long at)
{
	while (n-- > 0)
		if (ch[n].effective <= at && ch[n].recorded <= at)
			return ch[n].jabatan;
	return h->jabatan[0] ? h->jabatan : NULL;
}

int
db_cert_signer_jabatan(struct db *db, const char *serial, long long at, char *out, size_t cap,
		       struct err *e)
{
	struct db_cert_identity ch[64];
	struct db_cert c;
	const char *j;
	int rc, n;

	out[0] = '\0';
	if ((rc = db_cert_by_serial(db, serial, &c, e)) <= 0)
		return rc;
	if ((n = db_cert_identities(db, c.h.id, ch, 64, e)) < 0)
		return -1;
	if (!(j = db_cert_jabatan_at(&c.h, ch, n < 64 ? n : 64, at)))
		return 0;
	snprintf(out, cap, "%s", j);
	return 1;
}

int
db_cert_identities(struct db *db, const char *holder, struct db_cert_identity *v, int cap,
		   struct err *e)
{
	struct db_stmt *st = conn_query(db, "SELECT effective, jabatan, unit, pd, recorded_at FROM"
					" cert_holder_changes WHERE holder = ? ORDER BY effective, id",
					"certificate holder", e);
	enum db_step rc;
	int n = 0;

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, holder, 0);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		if (n < cap) {
			v[n].effective = conn_int(db, st, 0);
			conn_copy(db, st, 1, v[n].jabatan, sizeof v[n].jabatan);
			conn_copy(db, st, 2, v[n].unit, sizeof v[n].unit);
			conn_copy(db, st, 3, v[n].pd, sizeof v[n].pd);
			v[n].recorded = conn_int(db, st, 4);
		}
		n++;
	}
	if (rc != DB_STEP_DONE) {
		conn_fail(db, e, "certificate holder");
		n = -1;
	}
	conn_finalize(db, st);
	return n;
}

int
db_cert_list(struct db *db, const struct db_cert_filter *f, db_cert_fn fn, void *arg,
	     struct err *e)
{
	struct db_stmt *st = conn_query(db, SELECT_CERT "WHERE (?1 IS NULL OR h.pd = ?1)"
					" AND (?2 IS NULL OR c.state = ?2) AND (?3 = 0 OR"
					" (c.not_after IS NOT NULL AND c.not_after < ?3)) ORDER BY c.id",
					"certificates", e);
	struct db_cert c;
	enum db_step rc;
	int n = 0;

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, f->pd, 1);
	conn_bind_text(db, st, 2, f->state, 1);
	conn_bind_int(db, st, 3, f->expires_before);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		row(db, st, &c);
		n++;
		if (fn(arg, &c))
			break;
	}
	if (rc != DB_STEP_DONE && rc != DB_STEP_ROW) {
		conn_fail(db, e, "certificates");
		n = -1;
	}
	conn_finalize(db, st);
	return n;
}

int
db_cert_revoked_serial(struct db *db, const char *serial, long long after, long long *at,
		       char *reason, size_t cap, struct err *e)
{
	struct db_stmt *st = conn_query(db, "SELECT state_at, COALESCE(revoke_reason, '') FROM certs"
					" WHERE serial = ?1 AND state = 'revoked' AND state_at > ?2"
					" ORDER BY state_at LIMIT 1", "certificate", e);
	enum db_step rc;

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, serial, 0);
	conn_bind_int(db, st, 2, after);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		*at = conn_int(db, st, 0);
		conn_copy(db, st, 1, reason, cap);
	} else if (rc != DB_STEP_DONE) {
		conn_fail(db, e, "certificate");
	}
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}
