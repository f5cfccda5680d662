/*
 * db.h - the database: every job's outcome, signed documents and their parafs.
 *
 * SQLite in WAL mode with synchronous=FULL: a COMMIT is durable.  Only the
 * master writes; workers never open the database.  One transaction covers a
 * whole batch of jobs (group commit), and the jobs row is the commit record
 * that start-up recovery trusts.
 */
#ifndef SERTEL_DB_H
#define SERTEL_DB_H

#include <stdio.h>

#include "err.h"
#include "outcome.h"

struct db;

struct db_job {
	const char *id, *kind, *pd, *file;	/* file: the name as dropped */
	const char *delivered;			/* stem it left the queue under */
	int failed;
	long long claimed_at, finished_at;
	const struct outcome *out;		/* the worker's report (may be NULL) */
	const char *code, *field, *detail;	/* failures not from a worker */
	int line, col;
	const char *store_path;			/* signed documents: relative to state dir */
};

struct db *db_open(const char *state_dir, struct err *e);
void db_close(struct db *db);
int db_begin(struct db *db, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);

/* db_job_insert - record a finished job (and, when signed, its document and parafs). */
int db_job_insert(struct db *db, const struct db_job *j, struct err *e);
/* db_job_outcome - 1 and failed/stem when id has an outcome, 0 when not, -1 on error. */
int db_job_outcome(struct db *db, const char *id, int *failed, char *stem, size_t cap);
/* db_duplicate - 1 and the earlier id when the same PDF+sidecar was signed before. */
int db_duplicate(struct db *db, const char *sha_orig, const char *sha_meta, char *id, size_t cap);

/* db_doc_show / db_doc_list - the `sertel doc` views. */
int db_doc_show(struct db *db, const char *id, FILE *out);
int db_doc_list(struct db *db, const char *pd, int limit, FILE *out);
/* db_count - rows in documents and failures (for tests and summaries). */
int db_count(struct db *db, long *signed_docs, long *failed_jobs);

#endif
