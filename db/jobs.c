/*
 * jobs.c - the jobs table: claims, progress, outcomes, the open jobs recovery
 * resumes, and duplicates (see db.h).  The claim and outcome statements run
 * for every document: they are prepared once per connection (jobs_prepare).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "conn.h"
#include "db.h"

static const struct conn_sql sql[] = {
	{ CONN_INS_CLAIM,
	  "INSERT INTO jobs (id, kind, pd, src, file, sidecar, stem, reject, claimed_at, size)"
	  " VALUES (?,?,?,?,?,?,?,?,?,?)" },
	{ CONN_UPD_PROGRESS, "UPDATE jobs SET attempts = ?, extracted = ? WHERE id = ?" },
	{ CONN_FIN_JOB,
	  "UPDATE jobs SET outcome = ?, delivered = ?, code = ?, field = ?, line = ?, col = ?,"
	  " detail = ?, finished_at = ? WHERE id = ? AND outcome IS NULL" },
	/* one job by id, or (id NULL) every open one */
	{ CONN_SEL_JOB,
	  "SELECT id, kind, pd, src, file, sidecar, stem, reject, attempts, extracted,"
	  " claimed_at, outcome, delivered, size FROM jobs WHERE id = ?1 OR (?1 IS NULL AND"
	  " outcome IS NULL) ORDER BY claimed_at, id" },
	{ CONN_SEL_DUP,
	  "SELECT id, status = 'deleted' FROM documents WHERE sha256_original = ?"
	  " AND sha256_sidecar = ?" },
};

static const char *const kind_names[] = { [DROP_DOC] = "document", [DROP_BUNDLE] = "bundle",
					   [DROP_REJECT] = "reject", [DROP_DELETION] = "deletion" };

int
jobs_prepare(struct db *db, struct err *e)
{
	return conn_prepare(db, sql, sizeof sql / sizeof sql[0], e);
}

int
db_claims_insert(struct db *db, const struct job *v, size_t n, struct err *e)
{
	struct db_stmt *st = db->st[CONN_INS_CLAIM];
	size_t i;

	if (db_begin(db, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		conn_bind_text(db, st, 1, v[i].id, 0);
		conn_bind_text(db, st, 2, kind_names[v[i].kind], 0);
		conn_bind_text(db, st, 3, v[i].pd, 0);
		conn_bind_text(db, st, 4, v[i].src, 0);
		conn_bind_text(db, st, 5, v[i].pdf, 0);
		conn_bind_text(db, st, 6, v[i].meta, 1);
		conn_bind_text(db, st, 7, v[i].stem, 0);
		conn_bind_text(db, st, 8, v[i].reject_code, 1);
		conn_bind_int(db, st, 9, (long long)v[i].claimed);
		conn_bind_int(db, st, 10, v[i].size);
		if (conn_run(db, st, e, "insert claim") < 0 ||
		    db_audit(db, "claimed", v[i].id, NULL, v[i].pd, v[i].pdf, e) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	return db_commit(db, e);
}

int
db_job_progress(struct db *db, const struct job *j, struct err *e)
{
	struct db_stmt *st = db->st[CONN_UPD_PROGRESS];

	conn_bind_int(db, st, 1, j->attempts);
	conn_bind_int(db, st, 2, j->extracted);
	conn_bind_text(db, st, 3, j->id, 0);
	return conn_run(db, st, e, "update job");
}

/* audit_outcome - the audit records of an outcome, in its transaction. */
static int
audit_outcome(struct db *db, const struct db_job *j, struct err *e)
{
	const struct db_document *d = j->doc;
	char detail[512];

	if (j->failed) {
		snprintf(detail, sizeof detail, "%s%s%s: %s", j->code ? j->code : "",
			 j->field && *j->field ? " " : "", j->field ? j->field : "",
			 j->detail ? j->detail : "");
		return db_audit(db, "refused", j->id, NULL, j->pd, detail, e);
	}
	if (j->kind == DROP_BUNDLE)
		return db_audit(db, "unpacked", j->id, NULL, j->pd, NULL, e);
	if (!d)
		return 0;
	snprintf(detail, sizeof detail, "sha256=%s certificate=%s%s", d->sha_signed,
		 d->cert_serial, d->timestamp_pending ? " timestamp=deferred" : "");
	if (db_audit(db, "signed", j->id, d->signer_nip, j->pd, detail, e) < 0)
		return -1;
	return db_audit(db, "stored", j->id, NULL, j->pd, d->store_path, e);
}

int
db_job_finish(struct db *db, const struct db_job *j, struct err *e)
{
	struct db_stmt *st = db->st[CONN_FIN_JOB];

	conn_bind_text(db, st, 1, j->failed ? "failed" : j->kind == DROP_BUNDLE ? "unpacked" :
		       "signed", 0);
	conn_bind_text(db, st, 2, j->delivered, 0);
	conn_bind_text(db, st, 3, j->failed ? j->code : NULL, 1);
	conn_bind_text(db, st, 4, j->failed ? j->field : NULL, 1);
	if (j->failed && j->line > 0) {
		conn_bind_int(db, st, 5, j->line);
		conn_bind_int(db, st, 6, j->col);
	}
	conn_bind_text(db, st, 7, j->failed ? j->detail : NULL, 1);
	conn_bind_int(db, st, 8, j->finished_at);
	conn_bind_text(db, st, 9, j->id, 0);
	if (conn_run(db, st, e, "finish job") < 0)
		return -1;
	if (db->drv->changes(db->c) != 1)
		return err_set(e, "io.error", "database: job %s has no open claim", j->id);
	if (!j->failed && j->doc && j->kind == DROP_DOC)
		return documents_insert(db, j, e) < 0 ? -1 : audit_outcome(db, j, e);
	return audit_outcome(db, j, e);
}

/* row_job - the current row of CONN_SEL_JOB as a struct job. */
static void
row_job(struct db *db, struct db_stmt *st, struct job *j)
{
	const char *kind = conn_text(db, st, 1);

	memset(j, 0, sizeof *j);
	conn_copy(db, st, 0, j->id, sizeof j->id);
	j->kind = !strcmp(kind, "bundle") ? DROP_BUNDLE : !strcmp(kind, "reject") ? DROP_REJECT :
		  !strcmp(kind, "deletion") ? DROP_DELETION : DROP_DOC;
	conn_copy(db, st, 2, j->pd, sizeof j->pd);
	conn_copy(db, st, 3, j->src, sizeof j->src);
	conn_copy(db, st, 4, j->pdf, sizeof j->pdf);
	conn_copy(db, st, 5, j->meta, sizeof j->meta);
	conn_copy(db, st, 6, j->stem, sizeof j->stem);
	j->reject_code = spool_reject_code(conn_text(db, st, 7));
	j->attempts = (int)conn_int(db, st, 8);
	j->extracted = (int)conn_int(db, st, 9);
	j->claimed = (time_t)conn_int(db, st, 10);
	j->size = conn_int(db, st, 13);
}

int
db_job_get(struct db *db, const char *id, struct job *j, int *state, char *stem, size_t cap)
{
	struct db_stmt *st = db->st[CONN_SEL_JOB];
	enum db_step rc;

	conn_bind_text(db, st, 1, id, 0);
	rc = conn_step(db, st);
	if (rc == DB_STEP_ROW) {
		const char *outcome = conn_text(db, st, 11);
		row_job(db, st, j);
		*state = !*outcome ? DB_OPEN : !strcmp(outcome, "failed") ? DB_FAILED : DB_DONE;
		conn_copy(db, st, 12, stem, cap);
	}
	conn_reset(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_jobs_open(struct db *db, struct job **vp, size_t *np)
{
	struct db_stmt *st = db->st[CONN_SEL_JOB];
	struct job *v = NULL;
	size_t n = 0, cap = 0;
	enum db_step rc;

	*vp = NULL;
	*np = 0;
	conn_bind_null(db, st, 1);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		/* out of memory: no list at all, or recovery would skip claims */
		if (conn_room(&v, &cap, n, sizeof *v) < 0) {
			rc = DB_STEP_ERROR;
			break;
		}
		row_job(db, st, &v[n++]);
	}
	conn_reset(db, st);
	if (rc != DB_STEP_DONE) {
		free(v);
		return -1;
	}
	*vp = v;
	*np = n;
	return 0;
}

int
db_duplicate(struct db *db, const char *sha_orig, const char *sha_meta, char *id, size_t cap)
{
	struct db_stmt *st = db->st[CONN_SEL_DUP];
	enum db_step rc;
	int deleted = 0;

	conn_bind_text(db, st, 1, sha_orig, 0);
	conn_bind_text(db, st, 2, sha_meta, 0);
	rc = conn_step(db, st);
	if (rc == DB_STEP_ROW) {
		conn_copy(db, st, 0, id, cap);
		deleted = conn_int(db, st, 1) != 0;
	}
	conn_reset(db, st);
	return rc == DB_STEP_ROW ? 1 + deleted : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_count(struct db *db, long *signed_docs, long *failed_jobs)
{
	struct db_stmt *st;
	struct err e;

	if (!(st = conn_query(db, "SELECT (SELECT count(*) FROM documents),"
			      " (SELECT count(*) FROM jobs WHERE outcome = 'failed')", "count", &e)))
		return -1;
	if (conn_step(db, st) == DB_STEP_ROW) {
		*signed_docs = (long)conn_int(db, st, 0);
		*failed_jobs = (long)conn_int(db, st, 1);
	}
	conn_finalize(db, st);
	return 0;
}
