/*
 * audit.c - the audit trail's table: append inside the caller's transaction,
 * list, and verify the chain (see audit.h).
 *
 * A record's hash is SHA-256 over its fields, each written as its length in
 * decimal, a colon, its bytes and a comma (so no two different records
 * serialize alike), in the order seq, at, event, doc, nip, pd, detail, prev.
 * The head row (audit_head) is read once per transaction, at the first
 * append, and written back once, by db_commit: one INSERT per event plus
 * two statements per transaction on the signing path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "../base/hex.h"
#include "audit.h"
#include "conn.h"
#include "db.h"

static const char zeros[AUDIT_HASH_LEN + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const struct conn_sql sql[] = {
	{ CONN_INS_AUDIT,
	  "INSERT INTO audit (seq, at, event, doc, nip, pd, detail, prev, hash)"
	  " VALUES (?,?,?,?,?,?,?,?,?)" },
	{ CONN_SEL_AUDIT_HEAD, "SELECT seq, hash FROM audit_head WHERE one = 1" },
	{ CONN_UPD_AUDIT_HEAD, "UPDATE audit_head SET seq = ?, hash = ? WHERE one = 1" },
};

int
audit_prepare(struct db *db, struct err *e)
{
	return conn_prepare(db, sql, sizeof sql / sizeof sql[0], e);
}

/* field - one field of the serialization: "<len>:<bytes>,". */
static void
field(EVP_MD_CTX *ctx, const char *s)
{
	char len[24];
	size_t n = s ? strlen(s) : 0;

	snprintf(len, sizeof len, "%zu:", n);
	EVP_DigestUpdate(ctx, len, strlen(len));
	if (n)
		EVP_DigestUpdate(ctx, s, n);
	EVP_DigestUpdate(ctx, ",", 1);
}

/* hash_fields - the record's hash as hex (an empty string if OpenSSL fails). */
static void
hash_fields(long long seq, long long at, const char *event, const char *doc, const char *nip,
	    const char *pd, const char *detail, const char *prev, char out[AUDIT_HASH_LEN + 1])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int mdlen = 0;
	char num[2][24];

	out[0] = '\0';
	snprintf(num[0], sizeof num[0], "%lld", seq);
	snprintf(num[1], sizeof num[1], "%lld", at);
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return;
	}
	field(ctx, num[0]);
	field(ctx, num[1]);
	field(ctx, event);
	field(ctx, doc);
	field(ctx, nip);
	field(ctx, pd);
	field(ctx, detail);
	field(ctx, prev);
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == sizeof md)
		hex_encode(md, sizeof md, out);
	EVP_MD_CTX_free(ctx);
}

void
audit_hash(const struct db_audit *a, char out[AUDIT_HASH_LEN + 1])
{
	hash_fields(a->seq, a->at, a->event, a->doc, a->nip, a->pd, a->detail, a->prev, out);
}

/* load_head - the head as this transaction sees it (once per transaction). */
static int
load_head(struct db *db, struct err *e)
{
	struct db_stmt *st = db->st[CONN_SEL_AUDIT_HEAD];
	enum db_step rc;

	if (db->audit_loaded)
		return 0;
	if ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		db->audit_seq = conn_int(db, st, 0);
		conn_copy(db, st, 1, db->audit_hash, sizeof db->audit_hash);
	}
	conn_reset(db, st);
	if (rc != DB_STEP_ROW)
		return rc == DB_STEP_DONE ? err_set(e, DB_CODE_RESTORE, "sertel.db has no audit "
						    "head: restore it from a backup") :
					    conn_fail(db, e, "audit head");
	db->audit_loaded = 1;
	return 0;
}

int
db_audit(struct db *db, const char *event, const char *doc, const char *nip, const char *pd,
	 const char *detail, struct err *e)
{
	struct db_stmt *st = db->st[CONN_INS_AUDIT];
	char hash[AUDIT_HASH_LEN + 1], clip[sizeof ((struct db_audit *)0)->detail];
	long long seq, at = (long long)time(NULL);

	if (!st)
		return err_set(e, "io.error", "audit: a read-only connection");
	if (load_head(db, e) < 0)
		return -1;
	/* what is stored is what `audit show` reads back whole */
	snprintf(clip, sizeof clip, "%s", detail ? detail : "");
	seq = db->audit_seq + 1;
	hash_fields(seq, at, event, doc, nip, pd, clip, db->audit_hash, hash);
	if (!hash[0])
		return err_set(e, "io.error", "audit: SHA-256 failed");
	conn_bind_int(db, st, 1, seq);
	conn_bind_int(db, st, 2, at);
	conn_bind_text(db, st, 3, event, 0);
	conn_bind_text(db, st, 4, doc, 1);
	conn_bind_text(db, st, 5, nip, 1);
	conn_bind_text(db, st, 6, pd, 1);
	conn_bind_text(db, st, 7, clip, 1);
	conn_bind_text(db, st, 8, db->audit_hash, 0);
	conn_bind_text(db, st, 9, hash, 0);
	if (conn_run(db, st, e, "audit") < 0)
		return -1;
	db->audit_seq = seq;
	memcpy(db->audit_hash, hash, sizeof hash);
	db->audit_dirty = 1;
	return 0;
}

int
audit_flush(struct db *db, struct err *e)
{
	struct db_stmt *st = db->st[CONN_UPD_AUDIT_HEAD];

	if (!db->audit_dirty)
		return 0;
	conn_bind_int(db, st, 1, db->audit_seq);
	conn_bind_text(db, st, 2, db->audit_hash, 0);
	return conn_run(db, st, e, "audit head");
}

void
audit_forget(struct db *db)
{
	db->audit_loaded = db->audit_dirty = 0;
}

int
db_audit_event(struct db *db, const char *event, const char *doc, const char *nip,
	       const char *pd, const char *detail, struct err *e)
{
	if (db_begin(db, e) < 0)
		return -1;
	if (db_audit(db, event, doc, nip, pd, detail, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int
db_audit_head(struct db *db, long long *seq, char hash[AUDIT_HASH_LEN + 1], struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;

	*seq = 0;
	memcpy(hash, zeros, sizeof zeros);
	if (!(st = conn_query(db, "SELECT seq, hash FROM audit_head WHERE one = 1", "audit head", e)))
		return -1;
	if ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		*seq = conn_int(db, st, 0);
		conn_copy(db, st, 1, hash, AUDIT_HASH_LEN + 1);
	} else {
		conn_fail(db, e, "audit head");
	}
	conn_finalize(db, st);
	return rc == DB_STEP_ROW ? 0 : -1;
}

#define AUDIT_SELECT "SELECT seq, at, event, doc, nip, pd, detail, prev, hash FROM audit"

/* row_audit - the current row of an AUDIT_SELECT query. */
static void
row_audit(struct db *db, struct db_stmt *st, struct db_audit *a)
{
	memset(a, 0, sizeof *a);
	a->seq = conn_int(db, st, 0);
	a->at = conn_int(db, st, 1);
	conn_copy(db, st, 2, a->event, sizeof a->event);
	conn_copy(db, st, 3, a->doc, sizeof a->doc);
	conn_copy(db, st, 4, a->nip, sizeof a->nip);
	conn_copy(db, st, 5, a->pd, sizeof a->pd);
	conn_copy(db, st, 6, a->detail, sizeof a->detail);
	conn_copy(db, st, 7, a->prev, sizeof a->prev);
	conn_copy(db, st, 8, a->hash, sizeof a->hash);
}

int
db_audit_list(struct db *db, const struct db_audit_filter *f, db_audit_fn fn, void *arg,
	      struct err *e)
{
	struct db_audit a;
	struct db_stmt *st;
	enum db_step rc;
	int n = 0;

	if (!(st = conn_query(db, AUDIT_SELECT " WHERE (?1 IS NULL OR doc = ?1)"
			      " AND (?2 IS NULL OR nip = ?2) AND (?3 IS NULL OR pd = ?3)"
			      " AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at < ?5) ORDER BY seq",
			      "audit", e)))
		return -1;
	conn_bind_text(db, st, 1, f->doc, 1);
	conn_bind_text(db, st, 2, f->nip, 1);
	conn_bind_text(db, st, 3, f->pd, 1);
	conn_bind_int(db, st, 4, f->from);
	conn_bind_int(db, st, 5, f->to);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		row_audit(db, st, &a);
		n++;
		if (fn(arg, &a) != 0) {
			rc = DB_STEP_DONE;
			break;
		}
	}
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "audit");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? n : -1;
}

/* bad - record seq is the first bad one; 1. */
static int __attribute__((format(printf, 3, 4)))
bad(struct db_audit_check *c, long long seq, const char *fmt, ...)
{
	va_list ap;

	c->bad = seq;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
	return 1;
}

/* walk - the chain in order; 0 sound so far, 1 bad, -1 with e. */
static int
walk(struct db *db, long long want_seq, const char *want, struct db_audit_check *c, int *seen,
     struct err *e)
{
	char last[AUDIT_HASH_LEN + 1], h[AUDIT_HASH_LEN + 1];
	long long expect = 1;
	struct db_stmt *st;
	enum db_step rc;
	int found = 0;

	memcpy(last, zeros, sizeof zeros);
	if (!(st = conn_query(db, AUDIT_SELECT " ORDER BY seq", "audit", e)))
		return -1;
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		long long seq = conn_int(db, st, 0);
		/* the hash from the columns whole, never from a clipped copy */
		hash_fields(seq, conn_int(db, st, 1), conn_text(db, st, 2), conn_text(db, st, 3),
			    conn_text(db, st, 4), conn_text(db, st, 5), conn_text(db, st, 6),
			    conn_text(db, st, 7), h);
		c->count++;
		if (seq != expect)
			found = seq > expect ?
				bad(c, expect, "record %lld is missing (the next one is %lld): "
				    "removed", expect, seq) :
				bad(c, seq, "record %lld comes again after record %lld: inserted or "
				    "renumbered", seq, expect - 1);
		else if (strcmp(conn_text(db, st, 7), last))
			found = bad(c, seq, "record %lld does not name record %lld's hash as the one "
				    "before it: removed, inserted or reordered", seq, seq - 1);
		else if (strcmp(conn_text(db, st, 8), h))
			found = bad(c, seq, "record %lld's contents do not match its hash: edited",
				    seq);
		if (found)
			break;
		if (seq == want_seq) {
			*seen = 1;
			if (strcmp(h, want))
				found = bad(c, seq, "record %lld's hash is not the one the log "
					    "recorded for it: the chain was rewritten", seq);
		}
		memcpy(last, h, sizeof h);
		c->head_seq = seq;
		memcpy(c->head, h, sizeof h);
		expect = seq + 1;
		if (found)
			break;
	}
	if (rc != DB_STEP_ROW && rc != DB_STEP_DONE)
		conn_fail(db, e, "audit");
	conn_finalize(db, st);
	if (rc != DB_STEP_ROW && rc != DB_STEP_DONE)
		return -1;
	return found;
}

int
db_audit_verify(struct db *db, long long want_seq, const char *want,
		struct db_audit_check *c, struct err *e)
{
	char hash[AUDIT_HASH_LEN + 1];
	long long seq;
	int seen = 0, rc;

	memset(c, 0, sizeof *c);
	memcpy(c->head, zeros, sizeof zeros);
	if ((rc = walk(db, want_seq, want, c, &seen, e)) != 0)
		return rc;
	if (db_audit_head(db, &seq, hash, e) < 0)
		return -1;
	if (seq > c->head_seq)
		return bad(c, c->head_seq + 1, "the chain ends at record %lld but its head is record "
			   "%lld: records at the end were removed (truncated)", c->head_seq, seq);
	if (seq < c->head_seq || strcmp(hash, c->head))
		return bad(c, seq + 1 < c->head_seq ? seq + 1 : c->head_seq, "the chain's last "
			   "record is %lld but its head says %lld: records were added or edited "
			   "around the head", c->head_seq, seq);
	if (want_seq > 0 && !seen)
		return bad(c, c->head_seq + 1, "the chain ends at record %lld, before record %lld "
			   "the log recorded: truncated", c->head_seq, want_seq);
	return 0;
}
