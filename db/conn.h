/*
 * conn.h - what the files of db/ share: a connection (struct db), the
 * statements it keeps prepared, and the bind/step/column helpers they all
 * use.  Not part of the API (db.h is).
 */
#ifndef SERTEL_CONN_H
#define SERTEL_CONN_H

#include <stddef.h>

#include "../base/err.h"
#include "driver.h"

struct db_job;

/*
 * The statements a connection prepares once, at open, by the file that
 * runs them: claims and outcomes are the hot path (every document, every
 * batch), and must not be prepared per call.  Cold queries (the `sertel
 * doc` views, augment) use conn_query.
 */
enum conn_stmt {
	/* jobs.c */
	CONN_INS_CLAIM, CONN_UPD_PROGRESS, CONN_FIN_JOB, CONN_SEL_JOB, CONN_SEL_DUP,
	/* documents.c */
	CONN_INS_DOC, CONN_INS_PARAF, CONN_SEL_STATUS,
	/* audit.c */
	CONN_INS_AUDIT, CONN_SEL_AUDIT_HEAD, CONN_UPD_AUDIT_HEAD,
	CONN_NSTMT
};

struct db {
	const struct db_driver *drv;
	struct db_conn *c;
	struct db_stmt *st[CONN_NSTMT];		/* NULL: not prepared on this connection */
	/* the audit head as the open transaction sees it (audit.c) */
	int audit_loaded, audit_dirty;
	long long audit_seq;
	char audit_hash[65];
};

struct conn_sql {
	enum conn_stmt id;
	const char *sql;
};

/* conn_prepare - the statements v[0..n) into db->st; -1 with e. */
int conn_prepare(struct db *db, const struct conn_sql *v, size_t n, struct err *e);
/* conn_query - a statement for one call (finalize it with conn_finalize); NULL with e. */
struct db_stmt *conn_query(struct db *db, const char *sql, const char *what, struct err *e);
void conn_finalize(struct db *db, struct db_stmt *st);
/* conn_fail - e from the connection's last error (DB_CODE_RESTORE when it found damage); -1. */
int conn_fail(struct db *db, struct err *e, const char *what);

/* conn_bind_text - parameter i is s, lent until the reset; NULL (or "" when nullable) is SQL NULL. */
void conn_bind_text(struct db *db, struct db_stmt *st, int i, const char *s, int nullable);
void conn_bind_int(struct db *db, struct db_stmt *st, int i, long long v);
void conn_bind_null(struct db *db, struct db_stmt *st, int i);
/* conn_step - the next row of a bound statement. */
enum db_step conn_step(struct db *db, struct db_stmt *st);
/* conn_reset - ready to bind again (every parameter NULL). */
void conn_reset(struct db *db, struct db_stmt *st);
/* conn_run - step a bound statement that returns no rows once, and reset it; -1 with e. */
int conn_run(struct db *db, struct db_stmt *st, struct err *e, const char *what);
/* conn_text - column i of the current row as text, "" for NULL (lent until the next step). */
const char *conn_text(struct db *db, struct db_stmt *st, int i);
/* conn_copy - column i as text into buf (truncated to cap). */
void conn_copy(struct db *db, struct db_stmt *st, int i, char *buf, size_t cap);
long long conn_int(struct db *db, struct db_stmt *st, int i);
/* conn_room - room in *v (elements of size bytes, *cap of them) for element n, doubling; -1 out of memory. */
int conn_room(void *v, size_t *cap, size_t n, size_t size);
int conn_null(struct db *db, struct db_stmt *st, int i);

/* jobs_prepare - the statements of jobs.c, on a read-write connection. */
int jobs_prepare(struct db *db, struct err *e);
/* documents_prepare - the statements of documents.c (readonly: the look-ups only). */
int documents_prepare(struct db *db, int readonly, struct err *e);
/* documents_insert - a signed job's documents row and its parafs (inside its transaction). */
int documents_insert(struct db *db, const struct db_job *j, struct err *e);

/* audit_prepare - the statements of audit.c, on a read-write connection. */
int audit_prepare(struct db *db, struct err *e);
/* audit_flush - the head row to what this transaction appended (db_commit, before COMMIT). */
int audit_flush(struct db *db, struct err *e);
/* audit_forget - a transaction began or ended: the head is read again at the next append. */
void audit_forget(struct db *db);

#endif
