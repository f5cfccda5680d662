/*
 * driver.h - the seam between sertel's SQL and a database engine.
 *
 * A driver is a table of functions, as OpenSMTPD's queue_backend and
 * table_backend are: the rest of db/ speaks only through it, so a second
 * engine (PostgreSQL) is one more file beside driver_sqlite.c and one more
 * row where db.c picks the driver.  What a driver owns: how to reach the
 * database, the pragmas or settings that make a COMMIT durable, transactions,
 * prepared statements, and where the schema version is kept.
 *
 * The SQL the db/ files hand to prepare is SQLite's dialect, kept plain:
 * parameters are ? or ?N (numbered from 1), columns are numbered from 0.  A
 * driver whose engine spells something otherwise ($1, LIMIT ALL) rewrites
 * it in prepare.
 */
#ifndef SERTEL_DRIVER_H
#define SERTEL_DRIVER_H

#include "../base/err.h"

/*
 * The code (struct err's code) of an error retrying cannot fix: the database
 * file is not sertel's or is damaged.  Drivers set it when they open such a
 * file (and conn_fail when a statement finds it); db_needs_restore tests it.
 */
#define DB_CODE_RESTORE "db.restore"
/* ... and of one an older sertel cannot fix: the schema is a newer sertel's */
#define DB_CODE_NEWER "db.newer"

struct db_conn;		/* a driver's connection */
struct db_stmt;		/* a driver's prepared statement, bound to one connection */

enum db_step {
	DB_STEP_ROW,		/* a row is ready for the column functions */
	DB_STEP_DONE,		/* the statement ran to its end */
	DB_STEP_BUSY,		/* locked by another connection past the busy time-out */
	DB_STEP_ERROR,
};

struct db_driver {
	const char *name;
	/*
	 * open - the database kept in state_dir: read-write (created and made
	 * durable: a COMMIT survives power loss), or read-only (no schema change,
	 * no write).  NULL with e; e->code is DB_CODE_RESTORE when the file is
	 * there but cannot be sertel's (empty, another format, damaged), or when
	 * a read-write open finds it missing from a state folder that already
	 * holds signed copies: creating a new one would forget them silently.
	 */
	struct db_conn *(*open)(const char *state_dir, int readonly, struct err *e);
	void (*close)(struct db_conn *c);
	/* exec - SQL text without parameters or rows, one or more statements; 0 or -1. */
	int (*exec)(struct db_conn *c, const char *sql);
	/* prepare - a statement to bind and step many times; NULL (errmsg says why). */
	struct db_stmt *(*prepare)(struct db_conn *c, const char *sql);
	void (*finalize)(struct db_stmt *st);
	/* bind_* - parameter i (from 1); text is lent: it must live until reset. */
	int (*bind_text)(struct db_stmt *st, int i, const char *s);
	int (*bind_int64)(struct db_stmt *st, int i, long long v);
	int (*bind_null)(struct db_stmt *st, int i);
	enum db_step (*step)(struct db_stmt *st);
	/* column_* - column i (from 0) of the current row; text is lent until the next step or reset, NULL for SQL NULL. */
	const char *(*column_text)(struct db_stmt *st, int i);
	long long (*column_int64)(struct db_stmt *st, int i);
	int (*column_null)(struct db_stmt *st, int i);
	/* reset - ready to run again, every parameter NULL. */
	void (*reset)(struct db_stmt *st);
	/* changes - rows the last INSERT, UPDATE or DELETE on c touched. */
	long long (*changes)(struct db_conn *c);
	/* begin - a write transaction that takes its lock now (no upgrade dead-lock later). */
	int (*begin)(struct db_conn *c);
	int (*commit)(struct db_conn *c);
	void (*rollback)(struct db_conn *c);
	/* errmsg - the last error on c, for messages. */
	const char *(*errmsg)(struct db_conn *c);
	/*
	 * durable - set up a read-write connection for writing (a COMMIT survives
	 * power loss), once the file was found to be sertel's: until then
	 * nothing is written to it.  0 or -1 with e.
	 */
	int (*durable)(struct db_conn *c, struct err *e);
	/*
	 * publish - after the migrations of a new database: open makes a new one
	 * aside, so a first run killed before its schema is in leaves nothing
	 * that looks like a lost database; publish puts it under its name (c
	 * stays open on it, durable).  0 (also when c was not new) or -1 with e.
	 */
	int (*publish)(struct db_conn *c, struct err *e);
	/* damaged - 1 when the last error on c says the file is damaged or not a database. */
	int (*damaged)(struct db_conn *c);
	/* passing - 1 when the last error on c is one that passes (locked, busy, I/O, full, memory). */
	int (*passing)(struct db_conn *c);
	/* check - the engine's quick integrity check: 0 sound, 1 damaged (why says how), -1 not run. */
	int (*check)(struct db_conn *c, char *why, size_t cap);
	/* objects - how many tables are named name (NULL: how many tables at all); -1 on error. */
	int (*objects)(struct db_conn *c, const char *name);
	/* schema_version - the number of migrations applied (0: a new database). */
	int (*schema_version)(struct db_conn *c, int *version);
	/* set_schema_version - inside the migration's transaction, so both commit together. */
	int (*set_schema_version)(struct db_conn *c, int version);
	/*
	 * backup - a consistent copy of the database as of one moment, taken
	 * while others write, into the new file path (which must not exist),
	 * durable (fsync) when it returns.  0 or -1 with e.
	 */
	int (*backup)(struct db_conn *c, const char *path, struct err *e);
};

/* SQLite: STATE/sertel.db, WAL, synchronous=FULL (driver_sqlite.c). */
extern const struct db_driver db_driver_sqlite;

#endif
