/*
 * db.c - connections: open (the driver, migrations, prepared statements),
 * close, transactions (see db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/exits.h"
#include "conn.h"
#include "db.h"
#include "migrate.h"

/* db_connect - a connection through the driver, with its statements; NULL with e. */
static struct db *
db_connect(const char *state_dir, int readonly, struct err *e)
{
	struct db *db = calloc(1, sizeof *db);
	int version;

	if (!db) {
		err_set(e, "io.error", "out of memory");
		return NULL;
	}
	db->drv = &db_driver_sqlite;
	if (!(db->c = db->drv->open(state_dir, readonly, e)))
		goto fail;
	/* the file is sertel's before anything is written to it */
	if (migrate_check(db, &version, e) < 0 ||
	    (!readonly && (db->drv->durable(db->c, e) < 0 || migrate_run(db, state_dir, e) < 0 ||
			   db->drv->publish(db->c, e) < 0 || jobs_prepare(db, e) < 0 ||
			   audit_prepare(db, e) < 0)) ||
	    documents_prepare(db, readonly, e) < 0)
		goto fail;
	return db;
fail:
	/* name the folder: the operator restores the file in it */
	if (db_needs_restore(e) && !strstr(e->detail, state_dir)) {
		char d[sizeof e->detail];
		memcpy(d, e->detail, sizeof d);
		snprintf(e->detail, sizeof e->detail, "database %.100s/%.280s", state_dir, d);
	}
	db_close(db);
	return NULL;
}

struct db *
db_open(const char *state_dir, struct err *e)
{
	return db_connect(state_dir, 0, e);
}

struct db *
db_open_readonly(const char *state_dir, struct err *e)
{
	return db_connect(state_dir, 1, e);
}

int
db_needs_restore(const struct err *e)
{
	return e->code && strcmp(e->code, DB_CODE_RESTORE) == 0;
}

int
db_exit(const struct err *e)
{
	if (db_needs_restore(e))
		return EX_IOERR;
	return e->code && strcmp(e->code, DB_CODE_NEWER) == 0 ? EX_CONFIG : EX_TEMPFAIL;
}

void
db_close(struct db *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < CONN_NSTMT; i++)
		if (db->st[i])
			db->drv->finalize(db->st[i]);
	if (db->c)
		db->drv->close(db->c);
	free(db);
}

int
db_begin(struct db *db, struct err *e)
{
	audit_forget(db);
	if (db->drv->begin(db->c) < 0)
		return conn_fail(db, e, "begin");
	return 0;
}

int
db_commit(struct db *db, struct err *e)
{
	/* the audit head commits with the records appended under it */
	if (audit_flush(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	if (db->drv->commit(db->c) < 0) {
		conn_fail(db, e, "commit");
		db_rollback(db);
		return -1;
	}
	audit_forget(db);
	return 0;
}

void
db_rollback(struct db *db)
{
	db->drv->rollback(db->c);
	audit_forget(db);
}
