/*
 * deletions.c - deletion by berita acara (see deletions.h): the commit that
 * turns documents into tombstones, numbers the berita acara and records
 * each deletion in the audit trail, all in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "conn.h"
#include "db.h"
#include "deletions.h"

/* format_number - fmt with NNN the zero-padded seq and YYYY the year. */
static void
format_number(const char *fmt, int year, int seq, char *out, size_t cap)
{
	const char *n = strstr(fmt, "NNN"), *y = strstr(fmt, "YYYY");
	size_t len = 0;

	out[0] = '\0';
	while (*fmt && len + 12 < cap) {
		if (fmt == n) {
			len += (size_t)snprintf(out + len, cap - len, "%03d", seq);
			fmt += 3;
		} else if (fmt == y) {
			len += (size_t)snprintf(out + len, cap - len, "%04d", year);
			fmt += 4;
		} else {
			out[len++] = *fmt++;
			out[len] = '\0';
		}
	}
}

/* one - a single-row, single-integer query with up to two parameters; -1 on error. */
static long long
one(struct db *db, const char *sql, const char *a, long long b, struct err *e)
{
	struct db_stmt *st = conn_query(db, sql, "deletion", e);
	long long v = -1;

	if (!st)
		return -1;
	if (a)
		conn_bind_text(db, st, 1, a, 0);
	conn_bind_int(db, st, 2, b);
	if (conn_step(db, st) == DB_STEP_ROW)
		v = conn_int(db, st, 0);
	else
		conn_fail(db, e, "deletion");
	conn_finalize(db, st);
	return v;
}

/* tombstone - document id becomes deleted by d; 0, 1 (not stored or not of d's PD), -1 with e. */
static int
tombstone(struct db *db, const struct db_deletion *d, size_t i, struct err *e)
{
	struct db_stmt *st;
	char detail[512];
	int rc;

	if (!(st = conn_query(db, "UPDATE documents SET status = 'deleted', deleted_at = ?,"
			      " deletion = ?, deletion_reason = ? WHERE id = ? AND pd = ?"
			      " AND status = 'stored'", "deletion", e)))
		return -1;
	conn_bind_int(db, st, 1, d->at);
	conn_bind_text(db, st, 2, d->number, 0);
	conn_bind_text(db, st, 3, d->reasons[i], 0);
	conn_bind_text(db, st, 4, d->ids[i], 0);
	conn_bind_text(db, st, 5, d->pd, 0);
	rc = conn_run(db, st, e, "deletion");
	conn_finalize(db, st);
	if (rc < 0)
		return -1;
	if (db->drv->changes(db->c) != 1)
		return 1;
	snprintf(detail, sizeof detail, "berita acara %s: %s", d->number, d->reasons[i]);
	return db_audit(db, "deleted", d->ids[i], d->officer_nip, d->pd, detail, e) < 0 ? -1 : 0;
}

int
db_deletion_commit(struct db *db, struct db_deletion *d, const char *fmt, struct err *e)
{
	struct db_stmt *st = NULL;
	long long seq;
	size_t i;
	int rc;

	if (db_begin(db, e) < 0)
		return -1;
	/* the same berita acara twice (a retry after a crash) is the first one */
	if ((seq = one(db, "SELECT count(*) FROM deletions WHERE request_sha256 = ?1 AND ?2 = ?2",
		       d->request_sha256, 0, e)) != 0) {
		db_rollback(db);
		return seq < 0 ? -1 : err_set(e, "deletion.duplicate", "this berita acara was "
					      "carried out before");
	}
	/* the next number of the year, inside the transaction: no gap, no repeat */
	if ((seq = one(db, "SELECT coalesce(max(seq), 0) + 1 FROM deletions WHERE ?1 IS NULL"
		       " AND year = ?2", NULL, d->year, e)) < 0)
		goto fail;
	d->seq = (int)seq;
	format_number(fmt, d->year, d->seq, d->number, sizeof d->number);
	if (!(st = conn_query(db, "INSERT INTO deletions (number, year, seq, pd, officer_nip,"
			      " officer_name, request_sha256, count, deleted_at)"
			      " VALUES (?,?,?,?,?,?,?,?,?)", "deletion", e)))
		goto fail;
	conn_bind_text(db, st, 1, d->number, 0);
	conn_bind_int(db, st, 2, d->year);
	conn_bind_int(db, st, 3, d->seq);
	conn_bind_text(db, st, 4, d->pd, 0);
	conn_bind_text(db, st, 5, d->officer_nip, 0);
	conn_bind_text(db, st, 6, d->officer_name, 0);
	conn_bind_text(db, st, 7, d->request_sha256, 0);
	conn_bind_int(db, st, 8, (long long)d->n);
	conn_bind_int(db, st, 9, d->at);
	rc = conn_run(db, st, e, "deletion");
	conn_finalize(db, st);
	if (rc < 0)
		goto fail;
	for (i = 0; i < d->n; i++) {
		if ((rc = tombstone(db, d, i, e)) < 0)
			goto fail;
		if (rc > 0) {	/* all or nothing */
			db_rollback(db);
			return err_set(e, "deletion.id_state", "document %s is no longer stored for "
				       "PD %s: nothing was deleted", d->ids[i], d->pd);
		}
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int
db_deleted_copies(struct db *db, db_copy_fn fn, void *arg, struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;

	if (!(st = conn_query(db, "SELECT id, store_path FROM documents WHERE status = 'deleted'",
			      "deleted copies", e)))
		return -1;
	while ((rc = conn_step(db, st)) == DB_STEP_ROW)
		fn(arg, conn_text(db, st, 0), conn_text(db, st, 1));
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "deleted copies");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? 0 : -1;
}

int
db_deletion_of(struct db *db, const char *id, struct db_tombstone *t, struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;

	memset(t, 0, sizeof *t);
	if (!(st = conn_query(db, "SELECT d.deletion, d.deleted_at, d.deletion_reason,"
			      " x.officer_nip, x.officer_name FROM documents d JOIN deletions x"
			      " ON x.number = d.deletion WHERE d.id = ?", "deletion", e)))
		return -1;
	conn_bind_text(db, st, 1, id, 0);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		conn_copy(db, st, 0, t->number, sizeof t->number);
		t->at = conn_int(db, st, 1);
		conn_copy(db, st, 2, t->reason, sizeof t->reason);
		conn_copy(db, st, 3, t->officer_nip, sizeof t->officer_nip);
		conn_copy(db, st, 4, t->officer_name, sizeof t->officer_name);
	} else if (rc != DB_STEP_DONE) {
		conn_fail(db, e, "deletion");
	}
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_deletion_by_request(struct db *db, const char *sha256, char number[128], long long *at,
		       struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;

	number[0] = '\0';
	*at = 0;
	if (!(st = conn_query(db, "SELECT number, deleted_at FROM deletions WHERE"
			      " request_sha256 = ?", "deletion", e)))
		return -1;
	conn_bind_text(db, st, 1, sha256, 0);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		conn_copy(db, st, 0, number, 128);
		*at = conn_int(db, st, 1);
	} else if (rc != DB_STEP_DONE) {
		conn_fail(db, e, "deletion");
	}
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_deletion_record_pdf(struct db *db, const struct db_document *doc, const char *file,
		       struct err *e)
{
	return db_doc_record_own(db, doc, "deletion", file, 1, e);
}

int
db_deletion_pdf(struct db *db, const char *number, struct db_document *doc, struct err *e)
{
	struct db_paraf *p = NULL;
	struct db_stmt *st;
	enum db_step rc;
	char id[JOBID_LEN + 1] = "";
	size_t np;
	int got;

	if (!(st = conn_query(db, "SELECT id FROM documents WHERE type = '" DB_BERITA_TYPE "'"
			      " AND number = ?", "berita acara", e)))
		return -1;
	conn_bind_text(db, st, 1, number, 0);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW)
		conn_copy(db, st, 0, id, sizeof id);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "berita acara");
	conn_finalize(db, st);
	if (rc != DB_STEP_ROW)
		return rc == DB_STEP_DONE ? 0 : -1;
	got = db_doc_get(db, id, doc, &p, &np, e);
	free(p);
	return got;
}
