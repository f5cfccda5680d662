/*
 * refusals.c - refused drops from the jobs table (see refusals.h).
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "conn.h"
#include "db.h"
#include "refusals.h"

#define REFUSAL_SELECT "SELECT id, pd, file, delivered, code, field, line, col, detail," \
	" claimed_at, finished_at, size FROM jobs WHERE outcome = 'failed'"

/* row - the current row of a REFUSAL_SELECT query. */
static void
row(struct db *db, struct db_stmt *st, struct db_refusal *r)
{
	memset(r, 0, sizeof *r);
	conn_copy(db, st, 0, r->id, sizeof r->id);
	conn_copy(db, st, 1, r->pd, sizeof r->pd);
	conn_copy(db, st, 2, r->file, sizeof r->file);
	conn_copy(db, st, 3, r->delivered, sizeof r->delivered);
	conn_copy(db, st, 4, r->code, sizeof r->code);
	conn_copy(db, st, 5, r->field, sizeof r->field);
	r->line = conn_int(db, st, 6);
	r->col = conn_int(db, st, 7);
	conn_copy(db, st, 8, r->detail, sizeof r->detail);
	r->claimed_at = conn_int(db, st, 9);
	r->finished_at = conn_int(db, st, 10);
	r->size = conn_int(db, st, 11);
}

/* one - the first row of a bound REFUSAL_SELECT statement: 1 with *r, 0 when none, -1 with e. */
static int
one(struct db *db, struct db_stmt *st, struct db_refusal *r, struct err *e)
{
	enum db_step rc;

	if ((rc = conn_step(db, st)) == DB_STEP_ROW)
		row(db, st, r);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "refusal");
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

int
db_refusal_get(struct db *db, const char *id, struct db_refusal *r, struct err *e)
{
	struct db_stmt *st = conn_query(db, REFUSAL_SELECT " AND id = ?1", "refusal", e);

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, id, 0);
	return one(db, st, r, e);
}

int
db_refusal_incomplete(struct db *db, const char *pd, const char *stem, long long since,
		      struct db_refusal *r, struct err *e)
{
	struct db_stmt *st = conn_query(db, REFUSAL_SELECT " AND code = 'pdf.incomplete'"
					" AND pd = ?1 AND stem = ?2 AND finished_at >= ?3"
					" ORDER BY finished_at DESC LIMIT 1", "refusal", e);

	if (!st)
		return -1;
	conn_bind_text(db, st, 1, pd, 0);
	conn_bind_text(db, st, 2, stem, 0);
	conn_bind_int(db, st, 3, since);
	return one(db, st, r, e);
}

/* each - every row of a bound REFUSAL_SELECT statement to fn; how many, or -1 with e. */
static int
each(struct db *db, struct db_stmt *st, db_refusal_fn fn, void *arg, struct err *e)
{
	struct db_refusal r;
	enum db_step rc;
	int n = 0;

	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		row(db, st, &r);
		n++;
		if (fn(arg, &r) != 0) {
			rc = DB_STEP_DONE;
			break;
		}
	}
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "refusals");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? n : -1;
}

int
db_refusal_list(struct db *db, const char *pd, long long from, long long to, int limit,
		db_refusal_fn fn, void *arg, struct err *e)
{
	struct db_stmt *st;

	if (!(st = conn_query(db, REFUSAL_SELECT " AND (?1 IS NULL OR pd = ?1)"
			      " AND (?2 = 0 OR finished_at >= ?2) AND (?3 = 0 OR finished_at < ?3)"
			      " ORDER BY finished_at DESC, id LIMIT ?4", "refusals", e)))
		return -1;
	conn_bind_text(db, st, 1, pd, 1);
	conn_bind_int(db, st, 2, from);
	conn_bind_int(db, st, 3, to);
	conn_bind_int(db, st, 4, limit > 0 ? limit : -1);
	return each(db, st, fn, arg, e);
}

int
db_notice_pending(struct db *db, const char *pd, int limit, db_refusal_fn fn, void *arg,
		  struct err *e)
{
	struct db_stmt *st;

	if (!(st = conn_query(db, REFUSAL_SELECT " AND pd = ?1 AND notified_at IS NULL"
			      " AND delivered IS NOT NULL ORDER BY finished_at, id LIMIT ?2",
			      "refusals", e)))
		return -1;
	conn_bind_text(db, st, 1, pd, 0);
	conn_bind_int(db, st, 2, limit > 0 ? limit : -1);
	return each(db, st, fn, arg, e);
}

int
db_notice_done(struct db *db, const char *pd, char (*ids)[JOBID_LEN + 1], size_t n, long long at,
	       const char *to, struct err *e)
{
	struct db_stmt *st;
	char detail[512];
	size_t i;

	if (db_begin(db, e) < 0)
		return -1;
	if (!(st = conn_query(db, "UPDATE jobs SET notified_at = ?1 WHERE id = ?2", "notice", e)))
		goto fail;
	for (i = 0; i < n; i++) {
		conn_bind_int(db, st, 1, at);
		conn_bind_text(db, st, 2, ids[i], 0);
		snprintf(detail, sizeof detail, "refusal mailed to %s", to);
		if (conn_run(db, st, e, "notice") < 0 ||
		    db_audit(db, "notified", ids[i], NULL, pd, detail, e) < 0) {
			conn_finalize(db, st);
			goto fail;
		}
	}
	conn_finalize(db, st);
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
