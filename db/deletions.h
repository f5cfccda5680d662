/*
 * deletions.h - deletion of signed documents by berita acara (Lampiran III):
 * tombstones, the berita acara's number, and the copies to remove.
 *
 * A deletion commits in one transaction: the berita acara's row with the
 * next number of its year, every listed document's row turned into a
 * tombstone (status 'deleted', its hashes, signer, PD and dates kept, with
 * when, which berita acara and why), and one "deleted" audit record each.
 * One document that is not stored for the berita acara's PD rolls it all
 * back.  The store copies go after the commit (db_deleted_copies lists
 * them; removing them again is harmless).
 */
#ifndef SERTEL_DELETIONS_H
#define SERTEL_DELETIONS_H

#include <stddef.h>

#include "../base/err.h"

struct db;
struct db_document;

/* The documents type of a signed berita acara (its number is the berita acara's). */
#define DB_BERITA_TYPE "berita-acara"

struct db_deletion {
	const char *pd, *officer_nip, *officer_name;
	const char *request_sha256;		/* of the berita acara file: a retry is known */
	const char *const *ids, *const *reasons;
	size_t n;
	long long at;				/* Unix time of the deletion */
	int year;				/* the number's year */
	/* set by db_deletion_commit */
	int seq;
	char number[128];
};

/*
 * db_deletion_commit - carry d out, numbered by fmt ("NNN/Diskominfo/YYYY").
 * 0; -1 with e: deletion.id_state (a document not stored for d->pd: nothing
 * deleted), deletion.duplicate (this file was carried out before), or a
 * database error.
 */
int db_deletion_commit(struct db *db, struct db_deletion *d, const char *fmt, struct err *e);

/*
 * db_deletion_by_request - the berita acara file with this SHA-256 was
 * carried out before (a retry after a crash, whose delivery must be
 * completed): 1 with its number and time, 0 when not, -1 with e.
 */
int db_deletion_by_request(struct db *db, const char *sha256, char number[128], long long *at,
			   struct err *e);

/* A deleted document's tombstone: by which berita acara, when, why, filed by whom. */
struct db_tombstone {
	char number[128];
	long long at;
	char reason[512];
	char officer_nip[24], officer_name[128];
};
/* db_deletion_of - 1 with t when document id was deleted, 0 when not, -1 with e. */
int db_deletion_of(struct db *db, const char *id, struct db_tombstone *t, struct err *e);

/* A db_deleted_copies callback: one deleted document and its store path. */
typedef void (*db_copy_fn)(void *arg, const char *id, const char *store_path);
/* db_deleted_copies - every deleted document's store path, for removal after the commit. */
int db_deleted_copies(struct db *db, db_copy_fn fn, void *arg, struct err *e);

/*
 * db_deletion_record_pdf - the signed berita acara doc (type DB_BERITA_TYPE,
 * number the berita acara's, delivered its stem in done/<pd>/, file the
 * berita acara file it was made from) recorded like a signed document, with
 * a finished job row of kind DB_BERITA_TYPE and its "signed" and "stored" audit
 * records, in one transaction: once recorded, it is never signed again.
 * 0; 1 when one was recorded meanwhile (by another sertel: it is the one);
 * -1 with e.
 */
int db_deletion_record_pdf(struct db *db, const struct db_document *doc, const char *file,
			   struct err *e);
/* db_deletion_pdf - 1 with doc when the berita acara numbered number was signed, 0, -1 with e. */
int db_deletion_pdf(struct db *db, const char *number, struct db_document *doc, struct err *e);

#endif
