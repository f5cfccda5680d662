/*
 * conn.c - the helpers every db/ file runs its SQL through (see conn.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "conn.h"

int
conn_fail(struct db *db, struct err *e, const char *what)
{
	/* damage found mid-run is no more retryable than damage found at open */
	if (db->drv->damaged(db->c))
		return err_set(e, DB_CODE_RESTORE, "sertel.db is damaged (%s: %s): restore it from "
			       "a backup", what, db->drv->errmsg(db->c));
	return err_set(e, "io.error", "database: %s: %s", what, db->drv->errmsg(db->c));
}

int
conn_prepare(struct db *db, const struct conn_sql *v, size_t n, struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(db->st[v[i].id] = db->drv->prepare(db->c, v[i].sql))) {
			/* on a file that passed its checks, our own SQL fails to prepare
			 * only when a table lacks what sertel's schema gives it */
			if (db->drv->passing(db->c) || db->drv->damaged(db->c))
				return conn_fail(db, e, "prepare");
			return err_set(e, DB_CODE_RESTORE, "sertel.db does not have sertel's schema "
				       "(%s): restore it from a backup", db->drv->errmsg(db->c));
		}
	return 0;
}

struct db_stmt *
conn_query(struct db *db, const char *sql, const char *what, struct err *e)
{
	struct db_stmt *st = db->drv->prepare(db->c, sql);

	if (!st)
		conn_fail(db, e, what);
	return st;
}

void
conn_finalize(struct db *db, struct db_stmt *st)
{
	db->drv->finalize(st);
}

void
conn_bind_text(struct db *db, struct db_stmt *st, int i, const char *s, int nullable)
{
	if (!s || (nullable && !*s))
		db->drv->bind_null(st, i);
	else
		db->drv->bind_text(st, i, s);
}

void
conn_bind_int(struct db *db, struct db_stmt *st, int i, long long v)
{
	db->drv->bind_int64(st, i, v);
}

void
conn_bind_null(struct db *db, struct db_stmt *st, int i)
{
	db->drv->bind_null(st, i);
}

enum db_step
conn_step(struct db *db, struct db_stmt *st)
{
	return db->drv->step(st);
}

void
conn_reset(struct db *db, struct db_stmt *st)
{
	db->drv->reset(st);
}

int
conn_run(struct db *db, struct db_stmt *st, struct err *e, const char *what)
{
	enum db_step rc = db->drv->step(st);

	db->drv->reset(st);
	return rc == DB_STEP_DONE ? 0 : conn_fail(db, e, what);
}

const char *
conn_text(struct db *db, struct db_stmt *st, int i)
{
	const char *s = db->drv->column_text(st, i);

	return s ? s : "";
}

void
conn_copy(struct db *db, struct db_stmt *st, int i, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", conn_text(db, st, i));
}

long long
conn_int(struct db *db, struct db_stmt *st, int i)
{
	return db->drv->column_int64(st, i);
}

int
conn_null(struct db *db, struct db_stmt *st, int i)
{
	return db->drv->column_null(st, i);
}

int
conn_room(void *v, size_t *cap, size_t n, size_t size)
{
	void **p = v, *nv;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? 2 * *cap : 16;
	if ((nv = realloc(*p, want * size)) == NULL)
		return -1;
	*p = nv;
	*cap = want;
	return 0;
}
