/*
 * db.h - the database: every job's outcome, signed documents and their parafs.
 *
 * SQLite in WAL mode with synchronous=FULL: a COMMIT is durable.  Workers
 * never open the database.  The master's thread records claims (one
 * transaction per claim round, before any input moves); the commit thread
 * records outcomes (one transaction per batch).  Each has its own
 * connection.  The jobs row is the record start-up recovery trusts.
 */
#ifndef SERTEL_DB_H
#define SERTEL_DB_H

#include <stdio.h>

#include "../spool/spool.h"
#include "../base/err.h"
#include "../base/outcome.h"

struct db;

struct db_job {
	const char *id;
	enum drop_kind kind;
	const char *delivered;			/* stem it leaves the queue under */
	int failed;
	long long finished_at;
	const struct outcome *out;		/* the worker's report (may be NULL) */
	const char *code, *field, *detail;	/* failures not from a worker */
	int line, col;
	const char *store_path;			/* signed documents: relative to state dir */
	const char *pd;
};

enum { DB_OPEN, DB_DONE, DB_FAILED };

struct db *db_open(const char *state_dir, struct err *e);
/* db_open_readonly - the database for looking up only (verify): no schema change, no write. */
struct db *db_open_readonly(const char *state_dir, struct err *e);
void db_close(struct db *db);
int db_begin(struct db *db, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);

/* db_claims_insert - the claim records of a round, in one transaction. */
int db_claims_insert(struct db *db, const struct job *v, size_t n, struct err *e);
/* db_job_progress - store attempts and extracted of a job still open. */
int db_job_progress(struct db *db, const struct job *j, struct err *e);
/* db_job_finish - record an outcome (and, when signed, the document and its parafs). */
int db_job_finish(struct db *db, const struct db_job *j, struct err *e);
/* db_job_get - 1 with the job, its state (DB_OPEN/DONE/FAILED) and delivered stem; 0 if unknown. */
int db_job_get(struct db *db, const char *id, struct job *j, int *state, char *stem, size_t cap);
/* db_jobs_open - every claimed job without an outcome, oldest first (caller frees). */
int db_jobs_open(struct db *db, struct job **v, size_t *n);
/* db_duplicate - 1 and the earlier id when the same PDF+sidecar was signed before. */
int db_duplicate(struct db *db, const char *sha_orig, const char *sha_meta, char *id, size_t cap);

/* db_doc_status - 1 with whether the document was deleted and its certificate serial; 0 unknown ID. */
int db_doc_status(struct db *db, const char *id, int *deleted, char *serial, size_t cap,
		  struct err *e);
/* A signed document waiting for its timestamp (B-B now, `sertel augment` makes it B-T). */
struct db_pending {
	char id[JOBID_LEN + 1];
	char pd[64];
	char sha_signed[65];
	char store_path[128];	/* relative to the state folder */
	char delivered[256];	/* stem it left the queue under, in done/<pd>/ */
};
/* db_timestamp_pending - every such document, oldest first (caller frees *v). */
int db_timestamp_pending(struct db *db, struct db_pending **v, size_t *n, struct err *e);
/* db_timestamp_done - the B-T copy replaces the B-B one in the record. */
int db_timestamp_done(struct db *db, const char *id, const char *sha_signed, long long size,
		      const char *store_path, long long at, struct err *e);
/* db_doc_show / db_doc_list - the `sertel doc` views. */
int db_doc_show(struct db *db, const char *id, FILE *out);
int db_doc_list(struct db *db, const char *pd, int limit, FILE *out);
/* db_count - rows in documents and failures (for tests and summaries). */
int db_count(struct db *db, long *signed_docs, long *failed_jobs);

#endif
