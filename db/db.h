/*
 * db.h - the database: every job's outcome, signed documents and their parafs.
 *
 * Durable commits (SQLite: WAL mode with synchronous=FULL).  Workers never
 * open the database.  The master's thread records claims (one transaction
 * per claim round, before any input moves); the commit thread records
 * outcomes (one transaction per batch).  Each has its own connection.  The
 * jobs row is the record start-up recovery trusts.
 *
 * The API speaks in rows of sertel's own (a claimed job, a document, a
 * paraf), never in an engine's types: the engine is behind driver.h.
 *   db.c          connections: open, close, transactions
 *   migrate.c     the schema and its forward migrations
 *   jobs.c        claims, progress, outcomes, open jobs, duplicates
 *   documents.c   documents and parafs, status, deferred timestamps, listing
 */
#ifndef SERTEL_DB_H
#define SERTEL_DB_H

#include <stddef.h>

#include "../base/err.h"
#include "../spool/spool.h"

struct db;

/* A paraf (initial) on a signed document. */
struct db_paraf {
	int seq;			/* 1, 2, ...: its place in the sidecar (read back only) */
	char nip[24], name[128], role[64], time[40], sha256[65];
	char note[200];			/* "" when none */
};

/* A signed document: its documents row (and, read back, what its job adds). */
struct db_document {
	char id[JOBID_LEN + 1];
	char pd[PD_MAX];
	char type[64];
	char number[128], subject[256];	/* "" when the sidecar has none */
	char signer_nip[24];
	char signer_name[128];		/* "" when unknown */
	char signer_jabatan[128];	/* as of the signing; "" when unknown (before schema 8) */
	char cert_serial[80];
	char sha_orig[65], sha_meta[65], sha_signed[65];
	long long size_orig, size_signed;
	long long signed_at;		/* Unix time */
	char store_path[128];		/* the digital copy, relative to the state folder */
	int timestamp_pending;		/* signed B-B: `sertel augment` adds the timestamp */
	/* read back only */
	int timestamped;		/* augment added it, at timestamped_at (Unix time) */
	long long timestamped_at;
	int deleted;			/* status 'deleted', else 'stored' */
	char file[NAME_MAX + 1];	/* the drop it was signed from */
	char delivered[NAME_MAX + 1];	/* stem it left the queue under, in done/<pd>/ */
};

/* An outcome to record: how a claimed job ended. */
struct db_job {
	const char *id;
	enum drop_kind kind;
	const char *delivered;			/* stem it leaves the queue under */
	int failed;
	long long finished_at;
	const char *code, *field, *detail;	/* failed: the (first) error */
	int line, col;				/* its YAML position, 0 when none */
	const char *pd;
	/* signed documents: the row and its parafs, in order */
	const struct db_document *doc;
	const struct db_paraf *parafs;
	size_t nparafs;
};

enum { DB_OPEN, DB_DONE, DB_FAILED };

/*
 * db_open - the database in state_dir, created on the first run.  Refused
 * (NULL with e) when the file is not sertel's: empty, another format, another
 * program's tables, failing its quick check, or missing where signed copies
 * are kept.  Those errors satisfy db_needs_restore: retrying cannot help.
 */
struct db *db_open(const char *state_dir, struct err *e);
/* db_open_readonly - the database for looking up only (verify): no schema change, no write. */
struct db *db_open_readonly(const char *state_dir, struct err *e);
/*
 * db_needs_restore - 1 when e says the database file is damaged or not
 * sertel's (restore it from a backup: commands exit EX_IOERR), 0 when it is a
 * condition that passes (locked, full disk, too few descriptors: EX_TEMPFAIL).
 */
int db_needs_restore(const struct err *e);
/*
 * db_exit - the exit status a command gives for e: EX_IOERR (restore the file
 * from a backup), EX_CONFIG (a newer sertel's database: upgrade sertel; a
 * service manager must not restart into it), else EX_TEMPFAIL (retry later).
 */
int db_exit(const struct err *e);
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
/*
 * db_jobs_open - every claimed job without an outcome, oldest first (caller
 * frees *v).  -1 (nothing returned) when the list cannot be read whole:
 * recovery must not go on with part of it.
 */
int db_jobs_open(struct db *db, struct job **v, size_t *n);
/*
 * db_duplicate - 1 and the earlier id when the same PDF+sidecar was signed
 * before and is stored, 2 when it was deleted since (by berita acara).
 */
int db_duplicate(struct db *db, const char *sha_orig, const char *sha_meta, char *id, size_t cap);
/* db_count - rows in documents and failures (for tests and summaries). */
int db_count(struct db *db, long *signed_docs, long *failed_jobs);

/* db_doc_status - 1 with whether the document was deleted and its certificate serial; 0 unknown ID. */
int db_doc_status(struct db *db, const char *id, int *deleted, char *serial, size_t cap,
		  struct err *e);
/*
 * db_doc_get - 1 with the document and its parafs in order (*parafs: caller
 * frees), 0 for an unknown ID, -1 with e.
 */
int db_doc_get(struct db *db, const char *id, struct db_document *d, struct db_paraf **parafs,
	       size_t *nparafs, struct err *e);
/* A db_doc_list callback: non-zero stops the listing. */
typedef int (*db_doc_fn)(void *arg, const struct db_document *d);
/*
 * db_doc_list - the documents of pd (NULL: all), newest first, at most limit
 * (<= 0: all), each to fn; the number listed, or -1 with e.
 */
int db_doc_list(struct db *db, const char *pd, int limit, db_doc_fn fn, void *arg,
		struct err *e);
/*
 * db_doc_record_own - a document sertel signed itself (a berita acara, a
 * report: its type is its job kind too) recorded like a signed drop: a
 * finished job row (src, file), the documents row, its "signed" and
 * "stored" audit records, in one transaction.  once: a document of its type
 * and number recorded before (by another sertel meanwhile) wins, and 1 says
 * nothing was recorded.  0 or -1 with e.
 */
int db_doc_record_own(struct db *db, const struct db_document *doc, const char *src,
		      const char *file, int once, struct err *e);
/* What db_doc_find keeps: each non-NULL field must match; from/to (Unix time, 0: open). */
struct db_doc_filter {
	const char *pd, *number;
	long long from, to;
	int limit;		/* <= 0: all */
};
/* db_doc_find - the documents that pass f, newest first, each to fn; how many, or -1 with e. */
int db_doc_find(struct db *db, const struct db_doc_filter *f, db_doc_fn fn, void *arg,
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

#endif
