/*
 * driver_sqlite.c - the SQLite driver (see driver.h): STATE/sertel.db.
 *
 * The only file of db/ that knows SQLite.  Read-write connections run in WAL
 * mode with synchronous=FULL, so a COMMIT is durable; the schema version is
 * PRAGMA user_version, as every database sertel has made keeps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../spool/fsutil.h"
#include "driver.h"

struct db_conn {
	sqlite3 *h;
	char path[4096];	/* the file the handle is on */
	char final[4096];	/* a new database's name once published; "" when not new */
};

struct db_stmt {
	sqlite3_stmt *st;
};

/* sq_close - the connection and its handle (statements are finalized first). */
static void
sq_close(struct db_conn *c)
{
	if (!c)
		return;
	sqlite3_close(c->h);
	free(c);
}

/* sq_is_damaged - an SQLite result code that says the file is damaged or not a database. */
static int
sq_is_damaged(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* full_file - the file system of path has no block left (SQLite says "disk I/O error" then). */
static int
full_file(const char *path)
{
	struct statvfs sv;

	return statvfs(path, &sv) == 0 && sv.f_bavail == 0;
}

/* restore - e for a file retrying cannot fix: what is wrong, and to restore it. */
static int
restore(struct err *e, const char *path, const char *what)
{
	return err_set(e, DB_CODE_RESTORE, "database %s %s: restore it from a backup (README, "
		       "\"Restoring the database\"); sertel does not start on it", path, what);
}

/*
 * sq_preflight - refuse, before SQLite touches it, a file SQLite would
 * happily take for a new database: an empty file (or a missing one where
 * signed copies are kept) would be given a fresh schema, and the registry of
 * signed documents, with duplicate detection, would be gone without a word.
 * A missing file in a state folder without store/ is the first run (1).
 */
static int
sq_preflight(const char *state_dir, const char *path, int readonly, struct err *e)
{
	char store[4096];
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno != ENOENT || readonly)
			return 0;	/* SQLite says why */
		snprintf(store, sizeof store, "%s/store", state_dir);
		if (lstat(store, &st) == 0)
			return restore(e, path, "is missing, but its store/ holds signed copies");
		return 1;
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0)
		return err_set(e, DB_CODE_RESTORE, "database %s is empty (0 bytes), not sertel's: "
			       "restore it from a backup (README, \"Restoring the database\"); "
			       "sertel does not start on it (in a new state folder where nothing "
			       "was signed yet, remove the empty file)", path);
	return 0;
}

/*
 * sq_aside - a first run makes the database under NEW and publishes it under
 * its name once the schema is in (sq_publish): killed half-way, it leaves
 * no empty sertel.db that would read as a lost one.  What an earlier
 * attempt left is removed.
 */
static void
sq_aside(const char *fresh)
{
	static const char *const ext[] = { "", "-journal", "-wal", "-shm" };
	char p[4200];
	size_t i;

	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(p, sizeof p, "%s%s", fresh, ext[i]);
		(void)unlink(p);
	}
}

/* sq_handle - c->h on c->path; -1 with e. */
static int
sq_handle(struct db_conn *c, int readonly, struct err *e)
{
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc;

	if (sqlite3_open_v2(c->path, &c->h, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		return err_set(e, "io.error", "database %s cannot be opened: %s", c->path,
			       c->h ? sqlite3_errmsg(c->h) : "out of memory");
	sqlite3_busy_timeout(c->h, readonly ? 2000 : 10000);
	/* the first statement that reads the file (and writes nothing): another
	 * format shows here */
	rc = sqlite3_exec(c->h, "PRAGMA schema_version", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		char what[200];
		snprintf(what, sizeof what, "is damaged or not a database at all (%s)",
			 sqlite3_errmsg(c->h));
		if (sq_is_damaged(sqlite3_extended_errcode(c->h)))
			return restore(e, c->path, what);
		return err_set(e, "io.error", "database %s: %s%s", c->path, sqlite3_errmsg(c->h),
			       full_file(c->path) ? " (its file system is full: free some space)" :
			       "");
	}
	return 0;
}

/* sq_open - STATE/sertel.db, never through a symlink; NULL with e. */
static struct db_conn *
sq_open(const char *state_dir, int readonly, struct err *e)
{
	struct db_conn *c = calloc(1, sizeof *c);
	int first;

	if (!c) {
		err_set(e, "io.error", "out of memory");
		return NULL;
	}
	snprintf(c->path, sizeof c->path, "%s/sertel.db", state_dir);
	if ((first = sq_preflight(state_dir, c->path, readonly, e)) < 0) {
		free(c);
		return NULL;
	}
	if (first) {
		memcpy(c->final, c->path, sizeof c->final);
		snprintf(c->path, sizeof c->path, "%s/sertel.db.new", state_dir);
		sq_aside(c->path);
	}
	if (sq_handle(c, readonly, e) < 0) {
		sq_close(c);
		return NULL;
	}
	return c;
}

/* sq_durable - WAL, synchronous=FULL: a committed batch survives power loss. */
static int
sq_durable(struct db_conn *c, struct err *e)
{
	const char *path = sqlite3_db_filename(c->h, "main");

	if (sqlite3_exec(c->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return err_set(e, "io.error", "database %s: %s%s", path, sqlite3_errmsg(c->h),
		       full_file(path) ? " (its file system is full: free some space)" : "");
}

/*
 * sq_publish - a new database, its schema written, under its own name: the
 * handle is closed (SQLite folds the WAL into the file), the file synced and
 * renamed, the folder synced, and the handle opened again.
 */
static int
sq_publish(struct db_conn *c, struct err *e)
{
	char dir[4096], *slash;
	int fd;

	if (!c->final[0])
		return 0;
	if (sqlite3_close(c->h) != SQLITE_OK)
		return err_set(e, "io.error", "database %s: %s", c->path, sqlite3_errmsg(c->h));
	c->h = NULL;
	memcpy(dir, c->final, sizeof dir);
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0 && fsync(fd) < 0) {
		int errnum = errno;
		(void)close(fd);
		errno = errnum;
		fd = -1;
	}
	if (fd < 0 || close(fd) < 0 || rename(c->path, c->final) < 0 ||
	    fs_fsync_dir(AT_FDCWD, slash ? dir : ".") < 0) {
		int errnum = errno;
		return err_set(e, err_io_code(errnum), "database %s: cannot put it in place: %s",
			       c->final, strerror(errnum));
	}
	memcpy(c->path, c->final, sizeof c->path);
	c->final[0] = '\0';
	return sq_handle(c, 0, e) < 0 ? -1 : sq_durable(c, e);
}

/* sq_exec - SQL text without rows. */
static int
sq_exec(struct db_conn *c, const char *sql)
{
	return sqlite3_exec(c->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* sq_prepare - a statement kept for the life of the connection, or one query's. */
static struct db_stmt *
sq_prepare(struct db_conn *c, const char *sql)
{
	struct db_stmt *st = calloc(1, sizeof *st);

	if (!st)
		return NULL;
	if (sqlite3_prepare_v2(c->h, sql, -1, &st->st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st->st);
		free(st);
		return NULL;
	}
	return st;
}

/* sq_finalize - the statement and its wrapper; NULL is fine. */
static void
sq_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->st);
	free(st);
}

/* sq_bind_text - lent, not copied (SQLITE_STATIC): the caller resets before it goes. */
static int
sq_bind_text(struct db_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st->st, i, s, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

/* sq_bind_int64 - an integer parameter. */
static int
sq_bind_int64(struct db_stmt *st, int i, long long v)
{
	return sqlite3_bind_int64(st->st, i, v) == SQLITE_OK ? 0 : -1;
}

/* sq_bind_null - a NULL parameter. */
static int
sq_bind_null(struct db_stmt *st, int i)
{
	return sqlite3_bind_null(st->st, i) == SQLITE_OK ? 0 : -1;
}

/* sq_step - one row, the end, or why not. */
static enum db_step
sq_step(struct db_stmt *st)
{
	switch (sqlite3_step(st->st)) {
	case SQLITE_ROW:
		return DB_STEP_ROW;
	case SQLITE_DONE:
		return DB_STEP_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_STEP_BUSY;
	default:
		return DB_STEP_ERROR;
	}
}

/* sq_column_text - a column as text (integers in decimal), NULL for SQL NULL. */
static const char *
sq_column_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

/* sq_column_int64 - a column as an integer. */
static long long
sq_column_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

/* sq_column_null - 1 when the column is SQL NULL. */
static int
sq_column_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

/* sq_reset - ready to run again, the bindings cleared. */
static void
sq_reset(struct db_stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

/* sq_changes - rows the last write touched. */
static long long
sq_changes(struct db_conn *c)
{
	return sqlite3_changes(c->h);
}

/* sq_begin - IMMEDIATE: the write lock now, so two writers never dead-lock upgrading. */
static int
sq_begin(struct db_conn *c)
{
	return sq_exec(c, "BEGIN IMMEDIATE");
}

/* sq_commit - the commit point. */
static int
sq_commit(struct db_conn *c)
{
	return sq_exec(c, "COMMIT");
}

/* sq_rollback - undo the open transaction, if any. */
static void
sq_rollback(struct db_conn *c)
{
	sq_exec(c, "ROLLBACK");
}

/* sq_errmsg - the last error on the handle. */
static const char *
sq_errmsg(struct db_conn *c)
{
	return sqlite3_errmsg(c->h);
}

/* sq_damaged - the last error was SQLITE_CORRUPT or SQLITE_NOTADB. */
static int
sq_damaged(struct db_conn *c)
{
	return sq_is_damaged(sqlite3_extended_errcode(c->h));
}

/* sq_passing - the last error is a condition, not the file: locked, I/O, full, out of memory. */
static int
sq_passing(struct db_conn *c)
{
	switch (sqlite3_extended_errcode(c->h) & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_IOERR: case SQLITE_FULL:
	case SQLITE_CANTOPEN: case SQLITE_NOMEM: case SQLITE_PROTOCOL: case SQLITE_READONLY:
		return 1;
	default:
		return 0;
	}
}

/*
 * sq_check - PRAGMA quick_check: every page, cell and record is well formed
 * (what integrity_check does but matching indexes to tables), in one pass
 * over the file: a fraction of a second for a registry of 100,000 documents.
 */
static int
sq_check(struct db_conn *c, char *why, size_t cap)
{
	const char *row;
	sqlite3_stmt *st;
	int rc, sound = -1;

	if ((rc = sqlite3_prepare_v2(c->h, "PRAGMA quick_check(1)", -1, &st, NULL)) == SQLITE_OK &&
	    (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = (const char *)sqlite3_column_text(st, 0);
		sound = row && strcmp(row, "ok") == 0;
		snprintf(why, cap, "%s", row ? row : "quick_check failed");
		for (row = why; (row = strchr(row, '\n')) != NULL; )	/* one line */
			why[row - why] = ' ';
	} else if (sq_is_damaged(sqlite3_extended_errcode(c->h))) {
		sound = 0;
		snprintf(why, cap, "%s", sqlite3_errmsg(c->h));
	}
	sqlite3_finalize(st);
	return sound < 0 ? -1 : !sound;
}

/* sq_objects - tables in sqlite_schema, by name or all. */
static int
sq_objects(struct db_conn *c, const char *name)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(c->h, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR name = ?1)", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	if (name)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* sq_schema_version - PRAGMA user_version (0 in a new file). */
static int
sq_schema_version(struct db_conn *c, int *version)
{
	sqlite3_stmt *st;

	*version = 0;
	if (sqlite3_prepare_v2(c->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* sq_set_schema_version - PRAGMA user_version=N, transactional like any write. */
static int
sq_set_schema_version(struct db_conn *c, int version)
{
	char pragma[64];

	snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", version);
	return sq_exec(c, pragma);
}

/*
 * sq_backup - SQLite's online backup in one step: the whole database is
 * read in one read transaction, so the copy is one moment's, while WAL lets
 * writers go on; the copy is a rollback-journal database (one file).
 */
static int
sq_backup(struct db_conn *c, const char *path, struct err *e)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc, fd;

	if ((rc = sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				  SQLITE_OPEN_EXCLUSIVE, NULL)) != SQLITE_OK) {
		err_set(e, "io.error", "%s: %s", path, to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
		sqlite3_close(to);
		return -1;
	}
	if (!(b = sqlite3_backup_init(to, "main", c->h, "main"))) {
		err_set(e, "io.error", "backup of %s: %s", c->path, sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		err_set(e, sqlite3_errcode(to) == SQLITE_FULL ? ERR_RETRY : "io.error",
			"backup of %s into %s: %s", c->path, path, sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	if (sqlite3_close(to) != SQLITE_OK)
		return err_set(e, "io.error", "%s: closing the copy", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) < 0) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		return err_set(e, err_io_code(rc), "%s: %s", path, strerror(rc));
	}
	close(fd);
	return 0;
}

const struct db_driver db_driver_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_text = sq_column_text,
	.column_int64 = sq_column_int64,
	.column_null = sq_column_null,
	.reset = sq_reset,
	.changes = sq_changes,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.errmsg = sq_errmsg,
	.durable = sq_durable,
	.publish = sq_publish,
	.damaged = sq_damaged,
	.passing = sq_passing,
	.check = sq_check,
	.objects = sq_objects,
	.schema_version = sq_schema_version,
	.set_schema_version = sq_set_schema_version,
	.backup = sq_backup,
};
