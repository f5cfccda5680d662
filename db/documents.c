/*
 * documents.c - the documents and parafs tables: a signed job's row, its
 * status for verify, the `sertel doc` views, and the timestamps `sertel
 * augment` adds later (see db.h).  Rows go out as struct db_document; how
 * they are shown is the caller's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "conn.h"
#include "db.h"

static const struct conn_sql sql_write[] = {
	{ CONN_INS_DOC,
	  "INSERT INTO documents (id, pd, type, number, subject, signer_nip, signer_name,"
	  " cert_serial, sha256_original, sha256_sidecar, sha256_signed, size_original,"
	  " size_signed, store_path, signed_at, timestamp_pending, signer_jabatan)"
	  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	{ CONN_INS_PARAF,
	  "INSERT INTO parafs (document_id, seq, nip, name, role, time, sha256, note)"
	  " VALUES (?,?,?,?,?,?,?,?)" },
};

static const struct conn_sql sql_read[] = {
	{ CONN_SEL_STATUS, "SELECT status, cert_serial FROM documents WHERE id = ?1" },
};

/* A document with what its job adds, in the column order of row_document. */
#define DOC_SELECT							\
	"SELECT d.id, d.pd, j.file, j.delivered, d.type, d.number, d.subject,"	\
	" d.signer_nip, d.signer_name, d.cert_serial, d.sha256_original,"	\
	" d.sha256_sidecar, d.sha256_signed, d.size_original, d.size_signed,"	\
	" d.store_path, d.signed_at, d.status, d.timestamp_pending, d.timestamped_at,"	\
	" coalesce(d.signer_jabatan, '')"						\
	" FROM documents d JOIN jobs j ON j.id = d.id"

int
documents_prepare(struct db *db, int readonly, struct err *e)
{
	if (!readonly && conn_prepare(db, sql_write, sizeof sql_write / sizeof sql_write[0], e) < 0)
		return -1;
	return conn_prepare(db, sql_read, sizeof sql_read / sizeof sql_read[0], e);
}

int
documents_insert(struct db *db, const struct db_job *j, struct err *e)
{
	const struct db_document *d = j->doc;
	struct db_stmt *st = db->st[CONN_INS_DOC];
	size_t i;

	conn_bind_text(db, st, 1, d->id, 0);
	conn_bind_text(db, st, 2, d->pd, 0);
	conn_bind_text(db, st, 3, d->type, 0);
	conn_bind_text(db, st, 4, d->number, 1);
	conn_bind_text(db, st, 5, d->subject, 1);
	conn_bind_text(db, st, 6, d->signer_nip, 0);
	conn_bind_text(db, st, 7, d->signer_name, 1);
	conn_bind_text(db, st, 8, d->cert_serial, 0);
	conn_bind_text(db, st, 9, d->sha_orig, 0);
	conn_bind_text(db, st, 10, d->sha_meta, 0);
	conn_bind_text(db, st, 11, d->sha_signed, 0);
	conn_bind_int(db, st, 12, d->size_orig);
	conn_bind_int(db, st, 13, d->size_signed);
	conn_bind_text(db, st, 14, d->store_path, 0);
	conn_bind_int(db, st, 15, d->signed_at);
	conn_bind_int(db, st, 16, d->timestamp_pending);
	conn_bind_text(db, st, 17, d->signer_jabatan, 1);
	if (conn_run(db, st, e, "insert document") < 0)
		return -1;
	st = db->st[CONN_INS_PARAF];
	for (i = 0; i < j->nparafs; i++) {
		const struct db_paraf *p = &j->parafs[i];
		conn_bind_text(db, st, 1, d->id, 0);
		conn_bind_int(db, st, 2, (long long)i + 1);
		conn_bind_text(db, st, 3, p->nip, 0);
		conn_bind_text(db, st, 4, p->name, 0);
		conn_bind_text(db, st, 5, p->role, 0);
		conn_bind_text(db, st, 6, p->time, 0);
		conn_bind_text(db, st, 7, p->sha256, 0);
		conn_bind_text(db, st, 8, p->note, 1);
		if (conn_run(db, st, e, "insert paraf") < 0)
			return -1;
	}
	return 0;
}

int
db_doc_status(struct db *db, const char *id, int *deleted, char *serial, size_t cap,
	      struct err *e)
{
	struct db_stmt *st = db->st[CONN_SEL_STATUS];
	enum db_step rc;

	conn_bind_text(db, st, 1, id, 0);
	rc = conn_step(db, st);
	if (rc == DB_STEP_ROW) {
		*deleted = !strcmp(conn_text(db, st, 0), "deleted");
		conn_copy(db, st, 1, serial, cap);
	} else if (rc != DB_STEP_DONE) {
		conn_fail(db, e, "documents");
	}
	conn_reset(db, st);
	return rc == DB_STEP_ROW ? 1 : rc == DB_STEP_DONE ? 0 : -1;
}

/* row_document - the current row of a DOC_SELECT query. */
static void
row_document(struct db *db, struct db_stmt *st, struct db_document *d)
{
	memset(d, 0, sizeof *d);
	conn_copy(db, st, 0, d->id, sizeof d->id);
	conn_copy(db, st, 1, d->pd, sizeof d->pd);
	conn_copy(db, st, 2, d->file, sizeof d->file);
	conn_copy(db, st, 3, d->delivered, sizeof d->delivered);
	conn_copy(db, st, 4, d->type, sizeof d->type);
	conn_copy(db, st, 5, d->number, sizeof d->number);
	conn_copy(db, st, 6, d->subject, sizeof d->subject);
	conn_copy(db, st, 7, d->signer_nip, sizeof d->signer_nip);
	conn_copy(db, st, 8, d->signer_name, sizeof d->signer_name);
	conn_copy(db, st, 9, d->cert_serial, sizeof d->cert_serial);
	conn_copy(db, st, 10, d->sha_orig, sizeof d->sha_orig);
	conn_copy(db, st, 11, d->sha_meta, sizeof d->sha_meta);
	conn_copy(db, st, 12, d->sha_signed, sizeof d->sha_signed);
	d->size_orig = conn_int(db, st, 13);
	d->size_signed = conn_int(db, st, 14);
	conn_copy(db, st, 15, d->store_path, sizeof d->store_path);
	d->signed_at = conn_int(db, st, 16);
	d->deleted = !strcmp(conn_text(db, st, 17), "deleted");
	d->timestamp_pending = conn_int(db, st, 18) != 0;
	d->timestamped = !conn_null(db, st, 19);
	d->timestamped_at = conn_int(db, st, 19);
	conn_copy(db, st, 20, d->signer_jabatan, sizeof d->signer_jabatan);
}

/* get_parafs - the parafs of document id, in order (caller frees *v); -1 with e. */
static int
get_parafs(struct db *db, const char *id, struct db_paraf **vp, size_t *np, struct err *e)
{
	struct db_paraf *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	enum db_step rc;

	if (!(st = conn_query(db, "SELECT seq, nip, name, role, time, sha256, note FROM parafs"
			      " WHERE document_id = ? ORDER BY seq", "parafs", e)))
		return -1;
	conn_bind_text(db, st, 1, id, 0);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		if (conn_room(&v, &cap, n, sizeof *v) < 0) {
			err_set(e, "io.error", "out of memory");
			break;
		}
		memset(&v[n], 0, sizeof v[n]);
		v[n].seq = (int)conn_int(db, st, 0);
		conn_copy(db, st, 1, v[n].nip, sizeof v[n].nip);
		conn_copy(db, st, 2, v[n].name, sizeof v[n].name);
		conn_copy(db, st, 3, v[n].role, sizeof v[n].role);
		conn_copy(db, st, 4, v[n].time, sizeof v[n].time);
		conn_copy(db, st, 5, v[n].sha256, sizeof v[n].sha256);
		conn_copy(db, st, 6, v[n].note, sizeof v[n].note);
		n++;
	}
	if (rc == DB_STEP_ERROR || rc == DB_STEP_BUSY)
		conn_fail(db, e, "parafs");
	conn_finalize(db, st);
	if (rc != DB_STEP_DONE) {
		free(v);
		return -1;
	}
	*vp = v;
	*np = n;
	return 0;
}

int
db_doc_get(struct db *db, const char *id, struct db_document *d, struct db_paraf **parafs,
	   size_t *nparafs, struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;

	*parafs = NULL;
	*nparafs = 0;
	if (!(st = conn_query(db, DOC_SELECT " WHERE d.id = ?", "documents", e)))
		return -1;
	conn_bind_text(db, st, 1, id, 0);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW)
		row_document(db, st, d);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "documents");
	conn_finalize(db, st);
	if (rc != DB_STEP_ROW)
		return rc == DB_STEP_DONE ? 0 : -1;
	return get_parafs(db, id, parafs, nparafs, e) < 0 ? -1 : 1;
}

int
db_doc_list(struct db *db, const char *pd, int limit, db_doc_fn fn, void *arg, struct err *e)
{
	const struct db_doc_filter f = { .pd = pd, .limit = limit };

	return db_doc_find(db, &f, fn, arg, e);
}

int
db_doc_find(struct db *db, const struct db_doc_filter *f, db_doc_fn fn, void *arg,
	    struct err *e)
{
	struct db_document d;
	struct db_stmt *st;
	enum db_step rc;
	int n = 0;

	if (!(st = conn_query(db, DOC_SELECT " WHERE (?1 IS NULL OR d.pd = ?1)"
			      " AND (?2 IS NULL OR d.number = ?2) AND (?3 = 0 OR d.signed_at >= ?3)"
			      " AND (?4 = 0 OR d.signed_at < ?4)"
			      " ORDER BY d.signed_at DESC, d.id LIMIT ?5", "documents", e)))
		return -1;
	conn_bind_text(db, st, 1, f->pd, 1);
	conn_bind_text(db, st, 2, f->number, 1);
	conn_bind_int(db, st, 3, f->from);
	conn_bind_int(db, st, 4, f->to);
	conn_bind_int(db, st, 5, f->limit > 0 ? f->limit : -1);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		row_document(db, st, &d);
		n++;
		if (fn(arg, &d) != 0) {
			rc = DB_STEP_DONE;
			break;
		}
	}
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "documents");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? n : -1;
}

int
db_timestamp_pending(struct db *db, struct db_pending **v, size_t *n, struct err *e)
{
	struct db_pending *a = NULL;
	size_t len = 0, cap = 0;
	struct db_stmt *st;
	enum db_step rc;

	*v = NULL;
	*n = 0;
	if (!(st = conn_query(db,
		"SELECT d.id, d.pd, d.sha256_signed, d.store_path, j.delivered FROM documents d"
		" JOIN jobs j ON j.id = d.id WHERE d.timestamp_pending = 1 AND d.status = 'stored'"
		" ORDER BY d.signed_at, d.id", "pending timestamps", e)))
		return -1;
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		if (conn_room(&a, &cap, len, sizeof *a) < 0) {
			err_set(e, "io.error", "pending timestamps: out of memory");
			break;
		}
		memset(&a[len], 0, sizeof a[len]);
		conn_copy(db, st, 0, a[len].id, sizeof a[len].id);
		conn_copy(db, st, 1, a[len].pd, sizeof a[len].pd);
		conn_copy(db, st, 2, a[len].sha_signed, sizeof a[len].sha_signed);
		conn_copy(db, st, 3, a[len].store_path, sizeof a[len].store_path);
		conn_copy(db, st, 4, a[len].delivered, sizeof a[len].delivered);
		len++;
	}
	if (rc == DB_STEP_ERROR || rc == DB_STEP_BUSY)
		conn_fail(db, e, "pending timestamps");
	conn_finalize(db, st);
	if (rc != DB_STEP_DONE) {
		free(a);
		return -1;
	}
	*v = a;
	*n = len;
	return 0;
}

int
db_timestamp_done(struct db *db, const char *id, const char *sha_signed, long long size,
		  const char *store_path, long long at, struct err *e)
{
	struct db_stmt *st;
	int rc;

	if (!(st = conn_query(db,
		"UPDATE documents SET sha256_signed = ?, size_signed = ?, store_path = ?,"
		" timestamp_pending = 0, timestamped_at = ? WHERE id = ? AND timestamp_pending = 1",
		"timestamp done", e)))
		return -1;
	conn_bind_text(db, st, 1, sha_signed, 0);
	conn_bind_int(db, st, 2, size);
	conn_bind_text(db, st, 3, store_path, 0);
	conn_bind_int(db, st, 4, at);
	conn_bind_text(db, st, 5, id, 0);
	rc = conn_run(db, st, e, "timestamp done");
	conn_finalize(db, st);
	if (rc < 0)
		return -1;
	if (db->drv->changes(db->c) != 1)
		return err_set(e, "io.error", "document %s is no longer waiting for a timestamp", id);
	return 0;
}

int
db_doc_record_own(struct db *db, const struct db_document *doc, const char *src, const char *file,
		  int once, struct err *e)
{
	struct db_job j;
	struct db_stmt *st;
	char detail[512];
	int rc;

	memset(&j, 0, sizeof j);
	j.id = doc->id;
	j.kind = DROP_DOC;
	j.delivered = doc->delivered;
	j.finished_at = doc->signed_at;
	j.pd = doc->pd;
	j.doc = doc;
	if (db_begin(db, e) < 0)
		return -1;
	if (once) {	/* inside the transaction: two sertels meeting record one */
		if (!(st = conn_query(db, "SELECT count(*) FROM documents WHERE type = ? AND"
				      " number = ?", doc->type, e)))
			goto fail;
		conn_bind_text(db, st, 1, doc->type, 0);
		conn_bind_text(db, st, 2, doc->number, 0);
		rc = conn_step(db, st) == DB_STEP_ROW ? (int)conn_int(db, st, 0) > 0 : -1;
		if (rc < 0)
			conn_fail(db, e, doc->type);
		conn_finalize(db, st);
		if (rc != 0) {
			db_rollback(db);
			return rc;
		}
	}
	/* its job row: made and finished at once (recovery never sees it open) */
	if (!(st = conn_query(db, "INSERT INTO jobs (id, kind, pd, src, file, stem, claimed_at,"
			      " size, outcome, delivered, finished_at)"
			      " VALUES (?1, ?7, ?2, ?8, ?3, ?4, ?5, ?6, 'signed', ?4, ?5)",
			      doc->type, e)))
		goto fail;
	conn_bind_text(db, st, 1, doc->id, 0);
	conn_bind_text(db, st, 2, doc->pd, 0);
	conn_bind_text(db, st, 3, file, 0);
	conn_bind_text(db, st, 4, doc->delivered, 0);
	conn_bind_int(db, st, 5, doc->signed_at);
	conn_bind_int(db, st, 6, doc->size_orig);
	conn_bind_text(db, st, 7, doc->type, 0);
	conn_bind_text(db, st, 8, src, 0);
	rc = conn_run(db, st, e, doc->type);
	conn_finalize(db, st);
	if (rc < 0 || documents_insert(db, &j, e) < 0)
		goto fail;
	snprintf(detail, sizeof detail, "%s %s: sha256=%s certificate=%s%s", doc->type, doc->number,
		 doc->sha_signed, doc->cert_serial, doc->timestamp_pending ? " timestamp=deferred" :
		 "");
	if (db_audit(db, "signed", doc->id, doc->signer_nip, doc->pd, detail, e) < 0 ||
	    db_audit(db, "stored", doc->id, NULL, doc->pd, doc->store_path, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
