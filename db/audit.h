/*
 * audit.h - the audit trail: an append-only, hash-chained record of every
 * event that matters (a job claimed, signed, refused, stored, delivered, a
 * document deleted, the configuration loaded or reloaded, a timestamp
 * added).
 *
 * Each record holds the hash of the one before; its own hash covers its
 * sequence number, time, event, document ID, NIP, PD, detail and that
 * previous hash.  A record is appended inside the transaction of what it
 * records (db_audit), so the event and its record commit together or not at
 * all.  The head (last sequence number and hash) is kept in its own row,
 * updated in the same transaction, so a truncated chain disagrees with it;
 * a rewrite of the whole chain and its head is caught by comparing the head
 * with the one the log printed (the run logs it per batch).
 */
#ifndef SERTEL_AUDIT_H
#define SERTEL_AUDIT_H

#include <stddef.h>

#include "../base/err.h"
#include "../spool/spool.h"

struct db;

#define AUDIT_HASH_LEN 64

/* One record, as stored. */
struct db_audit {
	long long seq;			/* 1, 2, ... without gaps */
	long long at;			/* Unix time */
	char event[32];
	char doc[JOBID_LEN + 1];	/* "" when the event is about no document */
	char nip[24];			/* "" when none */
	char pd[PD_MAX];		/* "" when none */
	char detail[512];
	char prev[AUDIT_HASH_LEN + 1];	/* the record before's hash (zeros for the first) */
	char hash[AUDIT_HASH_LEN + 1];
};

/*
 * db_audit - append a record inside the transaction the caller has open
 * (db_begin): it commits with what it records.  NULL or "" for the fields
 * that do not apply.  0 or -1 with e.
 */
int db_audit(struct db *db, const char *event, const char *doc, const char *nip, const char *pd,
	     const char *detail, struct err *e);
/* db_audit_event - one record in a transaction of its own (configuration loaded, ...). */
int db_audit_event(struct db *db, const char *event, const char *doc, const char *nip,
		   const char *pd, const char *detail, struct err *e);
/* db_audit_head - the committed head: *seq (0 for an empty chain) and its hash. */
int db_audit_head(struct db *db, long long *seq, char hash[AUDIT_HASH_LEN + 1], struct err *e);

/* What `audit show` keeps: each non-NULL field must match; from/to (Unix time, 0: open). */
struct db_audit_filter {
	const char *doc, *nip, *pd;
	long long from, to;
};
/* A db_audit_list callback: non-zero stops the listing. */
typedef int (*db_audit_fn)(void *arg, const struct db_audit *a);
/* db_audit_list - the records that pass f, oldest first; the number listed, or -1 with e. */
int db_audit_list(struct db *db, const struct db_audit_filter *f, db_audit_fn fn, void *arg,
		  struct err *e);

/* What db_audit_verify found. */
struct db_audit_check {
	long long count;		/* records read */
	long long bad;			/* the first bad record's sequence number, 0 when sound */
	char why[256];			/* what is wrong with it */
	long long head_seq;		/* the chain's last record */
	char head[AUDIT_HASH_LEN + 1];
};
/*
 * db_audit_verify - walk the chain from the first record: each must follow
 * the one before (sequence, previous hash), hash to what it holds, and the
 * last must be the head row's.  want_seq > 0: the chain must also hold
 * record want_seq with hash want (a head the log printed).  0 sound, 1 bad
 * (c says where), -1 with e.
 */
int db_audit_verify(struct db *db, long long want_seq, const char *want,
		    struct db_audit_check *c, struct err *e);

/* audit_hash - the hash of record a (its hash field aside), as hex into out. */
void audit_hash(const struct db_audit *a, char out[AUDIT_HASH_LEN + 1]);

#endif
