/*
 * migrate.c - the schema and its forward migrations (see migrate.h).
 *
 * Schema changes are forward migrations keyed by the schema version the
 * driver keeps (SQLite: PRAGMA user_version, so every database sertel has
 * made opens and migrates as before): add a string to migrations[], never
 * edit one that has shipped.  The SQL is SQLite's; a second engine brings
 * the same steps in its own dialect.
 */
#include <stdio.h>
#include <unistd.h>

#include "conn.h"
#include "migrate.h"

static const char *const migrations[] = {
	/* 1: first schema */
	/* a jobs row is written when a drop is claimed (the claim record) and
	 * completed when its outcome is committed */
	"CREATE TABLE jobs ("
	"  id TEXT PRIMARY KEY, kind TEXT NOT NULL, pd TEXT NOT NULL, src TEXT NOT NULL,"
	"  file TEXT NOT NULL, sidecar TEXT, stem TEXT NOT NULL, reject TEXT, size INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0, extracted INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT CHECK (outcome IN ('signed','failed','unpacked')),"
	"  delivered TEXT, code TEXT, field TEXT, line INTEGER, col INTEGER, detail TEXT,"
	"  claimed_at INTEGER NOT NULL, finished_at INTEGER);"
	"CREATE INDEX jobs_open ON jobs(id) WHERE outcome IS NULL;"
	"CREATE TABLE documents ("
	"  id TEXT PRIMARY KEY REFERENCES jobs(id), pd TEXT NOT NULL, type TEXT NOT NULL,"
	"  number TEXT, subject TEXT, signer_nip TEXT NOT NULL, signer_name TEXT,"
	"  cert_serial TEXT NOT NULL, sha256_original TEXT NOT NULL, sha256_sidecar TEXT NOT NULL,"
	"  sha256_signed TEXT NOT NULL, size_original INTEGER NOT NULL, size_signed INTEGER NOT NULL,"
	"  store_path TEXT NOT NULL, signed_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'stored' CHECK (status IN ('stored','deleted')),"
	"  UNIQUE (sha256_original, sha256_sidecar));"
	"CREATE TABLE parafs ("
	"  document_id TEXT NOT NULL REFERENCES documents(id), seq INTEGER NOT NULL,"
	"  nip TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, time TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL, note TEXT, PRIMARY KEY (document_id, seq));"
	"CREATE INDEX documents_pd ON documents(pd, signed_at);"
	"CREATE INDEX jobs_outcome ON jobs(outcome, finished_at);",
	/* 2: signatures waiting for their timestamp (timestamp.on_failure: sign_bb) */
	"ALTER TABLE documents ADD COLUMN timestamp_pending INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE documents ADD COLUMN timestamped_at INTEGER;"
	"CREATE INDEX documents_timestamp_pending ON documents(signed_at)"
	"  WHERE timestamp_pending = 1;",
	/* 3: the audit trail: append-only (the triggers stop sertel's own code
	 * from changing a record; someone with the file can drop them, which
	 * `sertel audit verify` then finds in the chain), and its head */
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, event TEXT NOT NULL, doc TEXT,"
	"  nip TEXT, pd TEXT, detail TEXT, prev TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX audit_doc ON audit(doc) WHERE doc IS NOT NULL;"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE TABLE audit_head ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);"
	"INSERT INTO audit_head VALUES (1, 0,"
	"  '0000000000000000000000000000000000000000000000000000000000000000');"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	/* 4: deletion by berita acara: a deleted document's row stays as its
	 * tombstone (status 'deleted', when, by which berita acara, why); the
	 * numbers run per year without gaps (allocated in the commit) */
	"CREATE TABLE deletions ("
	"  number TEXT PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL,"
	"  pd TEXT NOT NULL, officer_nip TEXT NOT NULL, officer_name TEXT NOT NULL,"
	"  request_sha256 TEXT NOT NULL, count INTEGER NOT NULL, deleted_at INTEGER NOT NULL,"
	"  UNIQUE (year, seq), UNIQUE (request_sha256));"
	"ALTER TABLE documents ADD COLUMN deleted_at INTEGER;"
	"ALTER TABLE documents ADD COLUMN deletion TEXT REFERENCES deletions(number);"
	"ALTER TABLE documents ADD COLUMN deletion_reason TEXT;",
	/* 5: the certificate registry (Pasal 8-20; db/certs.c).  cert_transitions
	 * is the state machine, the one place it is written: sertel reads it
	 * before a change (a clear refusal), and the triggers hold a hand edit
	 * to it too.  The identity of an issued certificate changes only at
	 * its issuance; rows are never deleted. */
	"CREATE TABLE cert_holders ("
	"  id TEXT PRIMARY KEY, nik TEXT NOT NULL, nip TEXT, name TEXT NOT NULL,"
	"  jabatan TEXT NOT NULL, pangkat TEXT NOT NULL, unit TEXT NOT NULL, pd TEXT NOT NULL,"
	"  phone TEXT NOT NULL, email TEXT NOT NULL, updated_at INTEGER NOT NULL,"
	"  CHECK (id = coalesce(nip, nik)));"
	"CREATE TABLE cert_transitions ("
	"  src TEXT NOT NULL, dst TEXT NOT NULL, PRIMARY KEY (src, dst));"
	"INSERT INTO cert_transitions VALUES ('requested','verified'), ('requested','rejected'),"
	"  ('verified','issued'), ('issued','superseded'), ('issued','expired'),"
	"  ('issued','revoked'), ('issued','suspended'), ('suspended','issued'),"
	"  ('suspended','expired'), ('suspended','revoked');"
	"CREATE TRIGGER cert_transitions_fixed_i BEFORE INSERT ON cert_transitions"
	"  BEGIN SELECT RAISE(ABORT, 'the certificate state machine is fixed by the schema'); END;"
	"CREATE TRIGGER cert_transitions_fixed_u BEFORE UPDATE ON cert_transitions"
	"  BEGIN SELECT RAISE(ABORT, 'the certificate state machine is fixed by the schema'); END;"
	"CREATE TRIGGER cert_transitions_fixed_d BEFORE DELETE ON cert_transitions"
	"  BEGIN SELECT RAISE(ABORT, 'the certificate state machine is fixed by the schema'); END;"
	"CREATE TABLE certs ("
	"  id INTEGER PRIMARY KEY, holder TEXT NOT NULL REFERENCES cert_holders(id),"
	"  state TEXT NOT NULL CHECK (state IN ('requested','verified','rejected','issued',"
	"    'superseded','expired','revoked','suspended')),"
	"  recommender TEXT NOT NULL, key_alg TEXT NOT NULL, pubkey_sha256 TEXT NOT NULL,"
	"  dir TEXT NOT NULL UNIQUE, requested_at INTEGER NOT NULL, state_at INTEGER NOT NULL,"
	"  state_by TEXT, state_note TEXT, serial TEXT, issuer TEXT, subject TEXT,"
	"  not_before INTEGER, not_after INTEGER, revoke_reason TEXT, revoke_code INTEGER,"
	"  renews INTEGER REFERENCES certs(id));"
	"CREATE UNIQUE INDEX certs_serial ON certs(issuer, serial) WHERE serial IS NOT NULL;"
	"CREATE UNIQUE INDEX certs_open ON certs(holder)"
	"  WHERE state IN ('requested','verified','issued','suspended') AND renews IS NULL;"
	"CREATE INDEX certs_state ON certs(state, not_after);"
	"CREATE TRIGGER certs_new BEFORE INSERT ON certs WHEN NEW.state <> 'requested'"
	"  OR NEW.serial IS NOT NULL"
	"  BEGIN SELECT RAISE(ABORT, 'a certificate starts as a request (state requested)'); END;"
	"CREATE TRIGGER certs_transition BEFORE UPDATE OF state ON certs"
	"  WHEN NOT EXISTS (SELECT 1 FROM cert_transitions WHERE src = OLD.state AND dst = NEW.state)"
	"  BEGIN SELECT RAISE(ABORT, 'illegal certificate state transition'); END;"
	"CREATE TRIGGER certs_identity BEFORE UPDATE OF holder, recommender, key_alg,"
	"  pubkey_sha256, dir, requested_at, serial, issuer, subject, not_before, not_after,"
	"  renews ON certs WHEN NOT (OLD.state = 'verified' AND NEW.state = 'issued')"
	"  BEGIN SELECT RAISE(ABORT, 'a certificate''s identity is fixed at its issuance'); END;"
	"CREATE TRIGGER certs_kept BEFORE DELETE ON certs"
	"  BEGIN SELECT RAISE(ABORT, 'certificate records are kept'); END;",
	/* 6: identity adjustments after a mutasi within the district (Pasal 6(4)g, 9(6)):
	 * a holder's jabatan, unit and PD from a date; the history is kept */
	"CREATE TABLE cert_holder_changes ("
	"  id INTEGER PRIMARY KEY, holder TEXT NOT NULL REFERENCES cert_holders(id),"
	"  jabatan TEXT NOT NULL, unit TEXT NOT NULL, pd TEXT NOT NULL,"
	"  effective INTEGER NOT NULL, recorded_at INTEGER NOT NULL, by TEXT NOT NULL, note TEXT);"
	"CREATE INDEX cert_holder_changes_holder ON cert_holder_changes(holder, effective);"
	"CREATE TRIGGER cert_holder_changes_u BEFORE UPDATE ON cert_holder_changes"
	"  BEGIN SELECT RAISE(ABORT, 'identity history is kept'); END;"
	"CREATE TRIGGER cert_holder_changes_d BEFORE DELETE ON cert_holder_changes"
	"  BEGIN SELECT RAISE(ABORT, 'identity history is kept'); END;",
	/* 7: a refusal mailed to its PD's contacts (`sertel notify`): when */
	"ALTER TABLE jobs ADD COLUMN notified_at INTEGER;"
	"CREATE INDEX jobs_unnotified ON jobs(pd, finished_at)"
	"  WHERE outcome = 'failed' AND notified_at IS NULL;",
	/* 8: the signer's jabatan as the mark showed it when signing (the
	 * verification page names it, whatever mutasi came after) */
	"ALTER TABLE documents ADD COLUMN signer_jabatan TEXT;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* The tables every version of the schema has: a database without them is not sertel's. */
static const char *const tables[] = { "jobs", "documents", "parafs" };

int
migrate_check(struct db *db, int *version, struct err *e)
{
	const struct db_driver *d = db->drv;
	char why[256] = "";
	size_t i;
	int n;

	/* damage first: the look-ups below would read the damaged pages */
	if ((n = d->check(db->c, why, sizeof why)) != 0)
		return n < 0 ? conn_fail(db, e, "quick check") :
			       err_set(e, DB_CODE_RESTORE, "sertel.db is damaged (%s): restore it "
				       "from a backup", why);
	if (d->schema_version(db->c, version) < 0)
		return conn_fail(db, e, "schema version");
	/* version 0 is a new file: sertel's first migration must find it empty */
	if (*version == 0 && (n = d->objects(db->c, NULL)) != 0)
		return n < 0 ? conn_fail(db, e, "schema") :
			       err_set(e, DB_CODE_RESTORE, "sertel.db holds %d table(s) but not "
				       "sertel's schema, another program's file: restore it from a "
				       "backup", n);
	for (i = 0; *version > 0 && i < sizeof tables / sizeof tables[0]; i++)
		if ((n = d->objects(db->c, tables[i])) != 1)
			return n < 0 ? conn_fail(db, e, "schema") :
				       err_set(e, DB_CODE_RESTORE, "sertel.db (schema version %d) "
					       "has no table %s: it is not sertel's, or it is damaged; "
					       "restore it from a backup", *version, tables[i]);
	return 0;
}

int
migrate_count(void)
{
	return NMIGRATIONS;
}

const char *
migrate_sql(int i)
{
	return i >= 0 && i < NMIGRATIONS ? migrations[i] : NULL;
}

int
migrate_run(struct db *db, const char *state_dir, struct err *e)
{
	const struct db_driver *d = db->drv;
	char path[4096];
	int version, i;

	if (d->schema_version(db->c, &version) < 0)
		return conn_fail(db, e, "schema version");
	if (version > NMIGRATIONS)
		return err_set(e, DB_CODE_NEWER, "database schema version %d is newer than this sertel "
			       "knows (%d): upgrade sertel", version, NMIGRATIONS);
	/* a copy of the old schema's database before the first step changes it
	 * (kept: an upgrade that went wrong is undone by putting it back) */
	if (version > 0 && version < NMIGRATIONS) {
		snprintf(path, sizeof path, "%s/sertel.db.pre-schema-%d", state_dir, version);
		if (access(path, F_OK) != 0 && d->backup(db->c, path, e) < 0)
			return -1;
	}
	/* each step in its own transaction, with the version that says it is done */
	for (i = version; i < NMIGRATIONS; i++) {
		if (d->begin(db->c) < 0 || d->exec(db->c, migrations[i]) < 0 ||
		    d->set_schema_version(db->c, i + 1) < 0 || d->commit(db->c) < 0) {
			conn_fail(db, e, "migration");
			d->rollback(db->c);
			return -1;
		}
	}
	return 0;
}
