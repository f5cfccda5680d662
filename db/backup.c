/*
 * backup.c - the database's part of a backup (see backup.h).
 */
#include "backup.h"
#include "conn.h"

int
db_backup(struct db *db, const char *path, struct err *e)
{
	return db->drv->backup(db->c, path, e);
}

int
db_store_list(struct db *db, db_store_fn fn, void *arg, struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;
	int n = 0;

	if (!(st = conn_query(db, "SELECT id, store_path, sha256_signed FROM documents"
			      " WHERE status = 'stored' ORDER BY id", "store list", e)))
		return -1;
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		n++;
		if (fn(arg, conn_text(db, st, 0), conn_text(db, st, 1), conn_text(db, st, 2), e) < 0) {
			conn_finalize(db, st);
			return -1;
		}
	}
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "store list");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? n : -1;
}
