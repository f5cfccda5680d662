/*
 * db.c - SQLite storage (see db.h).
 *
 * Schema changes are forward migrations keyed by PRAGMA user_version: add a
 * string to migrations[], never edit one that has shipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"

struct db {
	sqlite3 *h;
	sqlite3_stmt *ins_claim, *upd_progress, *fin_job, *ins_doc, *ins_paraf, *sel_job, *sel_dup;
	sqlite3_stmt *sel_status;	/* read-only handles: db_doc_status */
};

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
};

/* dberr - fill e from the handle's last error. */
static int
dberr(struct db *db, struct err *e, const char *what)
{
	return err_set(e, "io.error", "database: %s: %s", what, sqlite3_errmsg(db->h));
}

/* migrate - bring the schema to the newest version, each step in its own transaction. */
static int
migrate(struct db *db, struct err *e)
{
	sqlite3_stmt *st;
	int version = 0;
	size_t i;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "user_version");
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > (int)(sizeof migrations / sizeof migrations[0]))
		return err_set(e, "io.error", "database schema version %d is newer than this sertel "
			       "knows (%zu): upgrade sertel", version,
			       sizeof migrations / sizeof migrations[0]);
	for (i = (size_t)version; i < sizeof migrations / sizeof migrations[0]; i++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%zu;", i + 1);
		if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db->h, migrations[i], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db->h, pragma, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			dberr(db, e, "migration");
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

/* db_handle - STATE/sertel.db opened with flags (never through a symlink); NULL with e. */
static struct db *
db_handle(const char *state_dir, int flags, int busy_ms, struct err *e)
{
	struct db *db = calloc(1, sizeof *db);
	char path[4096];

	if (!db) {
		err_set(e, "io.error", "out of memory");
		return NULL;
	}
	snprintf(path, sizeof path, "%s/sertel.db", state_dir);
	if (sqlite3_open_v2(path, &db->h, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		err_set(e, "io.error", "database %s cannot be opened: %s", path,
			db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, busy_ms);
	return db;
}

struct db *
db_open(const char *state_dir, struct err *e)
{
	struct db *db = db_handle(state_dir, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 10000, e);

	if (!db)
		return NULL;
	/* FULL: a committed batch survives power loss, which the spool moves rely on. */
	if (sqlite3_exec(db->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK) {
		dberr(db, e, "pragmas");
		goto fail;
	}
	if (migrate(db, e) < 0)
		goto fail;
	if (sqlite3_prepare_v2(db->h,
		"INSERT INTO jobs (id, kind, pd, src, file, sidecar, stem, reject, claimed_at, size)"
		" VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &db->ins_claim, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "UPDATE jobs SET attempts = ?, extracted = ? WHERE id = ?",
		-1, &db->upd_progress, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h,
		"UPDATE jobs SET outcome = ?, delivered = ?, code = ?, field = ?, line = ?, col = ?,"
		" detail = ?, finished_at = ? WHERE id = ? AND outcome IS NULL",
		-1, &db->fin_job, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h,
		"INSERT INTO documents (id, pd, type, number, subject, signer_nip, signer_name,"
		" cert_serial, sha256_original, sha256_sidecar, sha256_signed, size_original,"
		" size_signed, store_path, signed_at, timestamp_pending)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		-1, &db->ins_doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h,
		"INSERT INTO parafs (document_id, seq, nip, name, role, time, sha256, note)"
		" VALUES (?,?,?,?,?,?,?,?)", -1, &db->ins_paraf, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h,
		"SELECT id, kind, pd, src, file, sidecar, stem, reject, attempts, extracted,"
		" claimed_at, outcome, delivered, size FROM jobs WHERE id = ?1 OR (?1 IS NULL AND"
		" outcome IS NULL) ORDER BY claimed_at, id", -1, &db->sel_job, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT id FROM documents WHERE sha256_original = ?"
		" AND sha256_sidecar = ? AND status = 'stored'", -1, &db->sel_dup, NULL) != SQLITE_OK) {
		dberr(db, e, "prepare");
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

struct db *
db_open_readonly(const char *state_dir, struct err *e)
{
	struct db *db = db_handle(state_dir, SQLITE_OPEN_READONLY, 2000, e);

	if (!db)
		return NULL;
	if (sqlite3_prepare_v2(db->h, "SELECT status, cert_serial FROM documents WHERE id = ?1",
			       -1, &db->sel_status, NULL) != SQLITE_OK) {
		dberr(db, e, "prepare");
		db_close(db);
		return NULL;
	}
	return db;
}

int
db_doc_status(struct db *db, const char *id, int *deleted, char *serial, size_t cap,
	      struct err *e)
{
	const unsigned char *status, *sn;
	int rc;

	sqlite3_reset(db->sel_status);
	sqlite3_bind_text(db->sel_status, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(db->sel_status);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return dberr(db, e, "documents");
	status = sqlite3_column_text(db->sel_status, 0);
	sn = sqlite3_column_text(db->sel_status, 1);
	*deleted = status && !strcmp((const char *)status, "deleted");
	snprintf(serial, cap, "%s", sn ? (const char *)sn : "");
	sqlite3_reset(db->sel_status);
	return 1;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->ins_claim);
	sqlite3_finalize(db->upd_progress);
	sqlite3_finalize(db->fin_job);
	sqlite3_finalize(db->ins_doc);
	sqlite3_finalize(db->ins_paraf);
	sqlite3_finalize(db->sel_job);
	sqlite3_finalize(db->sel_dup);
	sqlite3_finalize(db->sel_status);
	sqlite3_close(db->h);
	free(db);
}

int
db_begin(struct db *db, struct err *e)
{
	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return dberr(db, e, "begin");
	return 0;
}

int
db_commit(struct db *db, struct err *e)
{
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		dberr(db, e, "commit");
		db_rollback(db);
		return -1;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* bind_text - bind s (NULL or "" as SQL NULL when nullable). */
static void
bind_text(sqlite3_stmt *st, int i, const char *s, int nullable)
{
	if (!s || (nullable && !*s))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* col_text - a column as text, "" for NULL. */
static const char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

/* run - step a bound statement once and reset it. */
static int
run(struct db *db, sqlite3_stmt *st, struct err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : dberr(db, e, what);
}

/* insert_document - the documents row and its parafs. */
static int
insert_document(struct db *db, const struct db_job *j, struct err *e)
{
	const struct outcome *o = j->out;
	sqlite3_stmt *st = db->ins_doc;
	int i;

	bind_text(st, 1, j->id, 0);
	bind_text(st, 2, j->pd, 0);
	bind_text(st, 3, o->type, 0);
	bind_text(st, 4, o->number, 1);
	bind_text(st, 5, o->subject, 1);
	bind_text(st, 6, o->signer_nip, 0);
	bind_text(st, 7, o->signer_name, 1);
	bind_text(st, 8, o->cert_serial, 0);
	bind_text(st, 9, o->sha_orig, 0);
	bind_text(st, 10, o->sha_meta, 0);
	bind_text(st, 11, o->sha_signed, 0);
	sqlite3_bind_int64(st, 12, o->size_orig);
	sqlite3_bind_int64(st, 13, o->size_signed);
	bind_text(st, 14, j->store_path, 0);
	sqlite3_bind_int64(st, 15, o->signed_at);
	sqlite3_bind_int(st, 16, o->timestamp_pending);
	if (run(db, st, e, "insert document") < 0)
		return -1;
	for (i = 0; i < o->nparafs; i++) {
		const struct outcome_paraf *p = &o->parafs[i];
		st = db->ins_paraf;
		bind_text(st, 1, j->id, 0);
		sqlite3_bind_int(st, 2, i + 1);
		bind_text(st, 3, p->nip, 0);
		bind_text(st, 4, p->name, 0);
		bind_text(st, 5, p->role, 0);
		bind_text(st, 6, p->time, 0);
		bind_text(st, 7, p->sha256, 0);
		bind_text(st, 8, p->note, 1);
		if (run(db, st, e, "insert paraf") < 0)
			return -1;
	}
	return 0;
}

static const char *const kind_names[] = { [DROP_DOC] = "document", [DROP_BUNDLE] = "bundle",
					   [DROP_REJECT] = "reject" };

int
db_claims_insert(struct db *db, const struct job *v, size_t n, struct err *e)
{
	sqlite3_stmt *st = db->ins_claim;
	size_t i;

	if (db_begin(db, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		bind_text(st, 1, v[i].id, 0);
		bind_text(st, 2, kind_names[v[i].kind], 0);
		bind_text(st, 3, v[i].pd, 0);
		bind_text(st, 4, v[i].src, 0);
		bind_text(st, 5, v[i].pdf, 0);
		bind_text(st, 6, v[i].meta, 1);
		bind_text(st, 7, v[i].stem, 0);
		bind_text(st, 8, v[i].reject_code, 1);
		sqlite3_bind_int64(st, 9, (long long)v[i].claimed);
		sqlite3_bind_int64(st, 10, v[i].size);
		if (run(db, st, e, "insert claim") < 0) {
			db_rollback(db);
			return -1;
		}
	}
	return db_commit(db, e);
}

int
db_job_progress(struct db *db, const struct job *j, struct err *e)
{
	sqlite3_stmt *st = db->upd_progress;

	sqlite3_bind_int(st, 1, j->attempts);
	sqlite3_bind_int(st, 2, j->extracted);
	bind_text(st, 3, j->id, 0);
	return run(db, st, e, "update job");
}

int
db_job_finish(struct db *db, const struct db_job *j, struct err *e)
{
	sqlite3_stmt *st = db->fin_job;
	const struct outcome *o = j->out;
	const char *code = j->code, *field = j->field, *detail = j->detail;
	int line = j->line, col = j->col;

	if (j->failed && o && !code) {
		code = o->code;
		field = o->field;
		detail = o->detail;
		line = o->line;
		col = o->col;
	}
	bind_text(st, 1, j->failed ? "failed" : j->kind == DROP_BUNDLE ? "unpacked" : "signed", 0);
	bind_text(st, 2, j->delivered, 0);
	bind_text(st, 3, j->failed ? code : NULL, 1);
	bind_text(st, 4, j->failed ? field : NULL, 1);
	if (j->failed && line > 0) {
		sqlite3_bind_int(st, 5, line);
		sqlite3_bind_int(st, 6, col);
	}
	bind_text(st, 7, j->failed ? detail : NULL, 1);
	sqlite3_bind_int64(st, 8, j->finished_at);
	bind_text(st, 9, j->id, 0);
	if (run(db, st, e, "finish job") < 0)
		return -1;
	if (sqlite3_changes(db->h) != 1)
		return err_set(e, "io.error", "database: job %s has no open claim", j->id);
	if (!j->failed && o && j->kind == DROP_DOC)
		return insert_document(db, j, e);
	return 0;
}

/* row_job - a jobs row as a struct job. */
static void
row_job(sqlite3_stmt *st, struct job *j)
{
	const char *kind = col_text(st, 1);

	memset(j, 0, sizeof *j);
	snprintf(j->id, sizeof j->id, "%s", col_text(st, 0));
	j->kind = !strcmp(kind, "bundle") ? DROP_BUNDLE : !strcmp(kind, "reject") ? DROP_REJECT :
		  DROP_DOC;
	snprintf(j->pd, sizeof j->pd, "%s", col_text(st, 2));
	snprintf(j->src, sizeof j->src, "%s", col_text(st, 3));
	snprintf(j->pdf, sizeof j->pdf, "%s", col_text(st, 4));
	snprintf(j->meta, sizeof j->meta, "%s", col_text(st, 5));
	snprintf(j->stem, sizeof j->stem, "%s", col_text(st, 6));
	j->reject_code = spool_reject_code(col_text(st, 7));
	j->attempts = sqlite3_column_int(st, 8);
	j->extracted = sqlite3_column_int(st, 9);
	j->claimed = (time_t)sqlite3_column_int64(st, 10);
	j->size = sqlite3_column_int64(st, 13);
}

int
db_job_get(struct db *db, const char *id, struct job *j, int *state, char *stem, size_t cap)
{
	sqlite3_stmt *st = db->sel_job;
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *outcome = col_text(st, 11);
		row_job(st, j);
		*state = !*outcome ? DB_OPEN : !strcmp(outcome, "failed") ? DB_FAILED : DB_DONE;
		snprintf(stem, cap, "%s", col_text(st, 12));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
db_jobs_open(struct db *db, struct job **vp, size_t *np)
{
	sqlite3_stmt *st = db->sel_job;
	struct job *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	sqlite3_bind_null(st, 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct job *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		row_job(st, &v[n++]);
	}
	sqlite3_reset(st);
	*vp = v;
	*np = n;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int
db_duplicate(struct db *db, const char *sha_orig, const char *sha_meta, char *id, size_t cap)
{
	sqlite3_stmt *st = db->sel_dup;
	int rc;

	sqlite3_bind_text(st, 1, sha_orig, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sha_meta, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(id, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
db_doc_show(struct db *db, const char *id, FILE *out)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	if (sqlite3_prepare_v2(db->h,
		"SELECT d.id, d.pd, j.file, j.delivered, d.type, d.number, d.subject, d.signer_nip,"
		" d.signer_name, d.cert_serial, d.sha256_original, d.sha256_signed, d.size_original,"
		" d.size_signed, d.store_path, datetime(d.signed_at, 'unixepoch'), d.status,"
		" CASE WHEN d.timestamp_pending THEN 'waiting (signed B-B; sertel augment adds it)'"
		" WHEN d.timestamped_at IS NOT NULL THEN 'added later, ' ||"
		" datetime(d.timestamped_at, 'unixepoch') || ' UTC' ELSE 'as signed' END"
		" FROM documents d JOIN jobs j ON j.id = d.id WHERE d.id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		static const char *const label[] = { "id", "pd", "file", "delivered as", "type",
			"number", "subject", "signer nip", "signer name", "certificate serial",
			"sha256 original", "sha256 signed", "size original", "size signed", "store",
			"signed at (UTC)", "status", "timestamp" };
		int i;
		found = 1;
		for (i = 0; i < 18; i++)
			fprintf(out, "%-19s %s\n", label[i], col_text(st, i));
	}
	sqlite3_finalize(st);
	if (!found)
		return rc == SQLITE_DONE ? 0 : -1;
	if (sqlite3_prepare_v2(db->h, "SELECT seq, nip, name, role, time, sha256 FROM parafs"
			       " WHERE document_id = ? ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(out, "paraf %-13s %s %s (%s) %s sha256=%.16s...\n", col_text(st, 0),
			col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4),
			col_text(st, 5));
	sqlite3_finalize(st);
	return 1;
}

int
db_doc_list(struct db *db, const char *pd, int limit, FILE *out)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db->h,
		"SELECT d.id, datetime(d.signed_at, 'unixepoch'), d.pd, d.type, d.signer_nip,"
		" j.delivered, d.status FROM documents d JOIN jobs j ON j.id = d.id"
		" WHERE (?1 IS NULL OR d.pd = ?1) ORDER BY d.signed_at DESC, d.id LIMIT ?2",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_text(st, 1, pd, 1);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(out, "%s  %s  %-16s %-16s %s  %s  %s\n", col_text(st, 0), col_text(st, 1),
			col_text(st, 2), col_text(st, 3), col_text(st, 4), col_text(st, 6),
			col_text(st, 5));
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

int
db_count(struct db *db, long *signed_docs, long *failed_jobs)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h, "SELECT (SELECT count(*) FROM documents),"
			       " (SELECT count(*) FROM jobs WHERE outcome = 'failed')", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*signed_docs = sqlite3_column_int64(st, 0);
		*failed_jobs = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

int
db_timestamp_pending(struct db *db, struct db_pending **v, size_t *n, struct err *e)
{
	sqlite3_stmt *st;
	struct db_pending *a = NULL, *t;
	size_t len = 0, cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db->h,
		"SELECT d.id, d.pd, d.sha256_signed, d.store_path, j.delivered FROM documents d"
		" JOIN jobs j ON j.id = d.id WHERE d.timestamp_pending = 1 AND d.status = 'stored'"
		" ORDER BY d.signed_at, d.id", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "pending timestamps");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			if ((t = realloc(a, cap * sizeof *a)) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			a = t;
		}
		memset(&a[len], 0, sizeof a[len]);
		snprintf(a[len].id, sizeof a[len].id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(a[len].pd, sizeof a[len].pd, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(a[len].sha_signed, sizeof a[len].sha_signed, "%s",
			 (const char *)sqlite3_column_text(st, 2));
		snprintf(a[len].store_path, sizeof a[len].store_path, "%s",
			 (const char *)sqlite3_column_text(st, 3));
		if (sqlite3_column_text(st, 4))
			snprintf(a[len].delivered, sizeof a[len].delivered, "%s",
				 (const char *)sqlite3_column_text(st, 4));
		len++;
	}
	if (rc != SQLITE_DONE) {
		free(a);
		dberr(db, e, "pending timestamps");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	*v = a;
	*n = len;
	return 0;
}

int
db_timestamp_done(struct db *db, const char *id, const char *sha_signed, long long size,
		  const char *store_path, long long at, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h,
		"UPDATE documents SET sha256_signed = ?, size_signed = ?, store_path = ?,"
		" timestamp_pending = 0, timestamped_at = ? WHERE id = ? AND timestamp_pending = 1",
		-1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "timestamp done");
	bind_text(st, 1, sha_signed, 0);
	sqlite3_bind_int64(st, 2, size);
	bind_text(st, 3, store_path, 0);
	sqlite3_bind_int64(st, 4, at);
	bind_text(st, 5, id, 0);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(db, e, "timestamp done");
	if (sqlite3_changes(db->h) != 1)
		return err_set(e, "io.error", "document %s is no longer waiting for a timestamp", id);
	return 0;
}
