/*
 * test_db.c - the database API: claims and outcomes, the open jobs recovery
 * resumes (whole or not at all: realloc is wrapped to fail on demand),
 * duplicates, document status and views, deferred timestamps, migrations
 * of a database made by an older sertel, reopening, and files that are not
 * sertel's database (refused, untouched, as ones to restore).
 *
 * Linked with -Wl,--wrap=realloc (Makefile): every realloc in sertel's own
 * objects comes through __wrap_realloc below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../base/exits.h"
#include "../../base/jobid.h"
#include "../../db/db.h"
#include "../../db/migrate.h"
#include "dbfixture.h"
#include "fixture.h"

/* realloc that fails on its fail_at-th call from now (0: never). */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static int fail_at, calls;

void *
__wrap_realloc(void *p, size_t n)
{
	if (fail_at > 0 && ++calls == fail_at)
		return NULL;
	return __real_realloc(p, n);
}

/* fail_realloc - the n-th realloc from now fails (0: none does). */
static void
fail_realloc(int n)
{
	fail_at = n;
	calls = 0;
}

static int
setup(void **state)
{
	return db_fixture_open(state, "db");
}

static int
teardown(void **state)
{
	fail_realloc(0);
	return db_fixture_close(state);
}

/* db_file - STATE/sertel.db of the fixture, for looking at it with SQLite itself. */
static const char *
db_file(const struct fixture *fx)
{
	static char path[96];

	snprintf(path, sizeof path, "%s/sertel.db", fx->dir);
	return path;
}

/* sql1 - one query's first column as an integer, straight from the file. */
static long long
sql1(const struct fixture *fx, const char *q)
{
	sqlite3_stmt *st;
	sqlite3 *h;
	long long v = -1;

	assert_int_equal(sqlite3_open(db_file(fx), &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* exec - SQL straight into the file (what a person or an older sertel did). */
static void
exec(const struct fixture *fx, const char *q)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db_file(fx), &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* mkjob - a claim record as spool_claim_prepare would make it. */
static void
mkjob(struct job *j, enum drop_kind kind, const char *pd, const char *stem, time_t claimed)
{
	memset(j, 0, sizeof *j);
	assert_int_equal(jobid_new(j->id), 0);
	j->kind = kind;
	snprintf(j->pd, sizeof j->pd, "%s", pd);
	snprintf(j->src, sizeof j->src, "incoming/%s", pd);
	snprintf(j->stem, sizeof j->stem, "%s", stem);
	snprintf(j->pdf, sizeof j->pdf, "%s.%s", stem, kind == DROP_BUNDLE ? "zip" : "pdf");
	if (kind == DROP_DOC)
		snprintf(j->meta, sizeof j->meta, "%s.yaml", stem);
	if (kind == DROP_REJECT)
		j->reject_code = spool_reject_code("input.unsupported");
	j->claimed = claimed;
	j->size = 1000 + claimed % 100;
}

/* mkdoc - a signed document's row for job j (sha_orig distinguishes documents). */
static void
mkdoc(struct db_document *d, const struct job *j, const char *sha_orig, long long signed_at,
      int pending)
{
	memset(d, 0, sizeof *d);
	snprintf(d->id, sizeof d->id, "%s", j->id);
	snprintf(d->pd, sizeof d->pd, "%s", j->pd);
	snprintf(d->type, sizeof d->type, "surat_keluar");
	snprintf(d->number, sizeof d->number, "800/%.64s", j->stem);
	snprintf(d->signer_nip, sizeof d->signer_nip, "197103012006042006");
	snprintf(d->signer_name, sizeof d->signer_name, "Dr. Siti Aminah, M.Si");
	snprintf(d->cert_serial, sizeof d->cert_serial, "1001");
	snprintf(d->sha_orig, sizeof d->sha_orig, "%s", sha_orig);
	memset(d->sha_meta, 'b', 64);
	memset(d->sha_signed, 'c', 64);
	d->sha_signed[0] = sha_orig[0];
	d->size_orig = j->size;
	d->size_signed = j->size + 30000;
	d->signed_at = signed_at;
	snprintf(d->store_path, sizeof d->store_path, "store/%.2s/%s.pdf", d->sha_signed,
		 d->sha_signed);
	d->timestamp_pending = pending;
}

/* sign - record j as signed with document d and two parafs. */
static void
sign(struct db *db, const struct job *j, const struct db_document *d)
{
	struct db_paraf p[2];
	struct db_job r = { .id = j->id, .kind = j->kind, .pd = j->pd, .delivered = j->stem,
			    .finished_at = d->signed_at, .doc = d, .parafs = p, .nparafs = 2 };
	struct err e;

	memset(p, 0, sizeof p);
	snprintf(p[0].nip, sizeof p[0].nip, "198005052005011003");
	snprintf(p[0].name, sizeof p[0].name, "Budi Santoso");
	snprintf(p[0].role, sizeof p[0].role, "kasubbag_umum");
	snprintf(p[0].time, sizeof p[0].time, "2025-01-02T08:00:00+07:00");
	memset(p[0].sha256, 'd', 64);
	p[1] = p[0];
	snprintf(p[1].name, sizeof p[1].name, "Ani");
	snprintf(p[1].note, sizeof p[1].note, "setuju");
	assert_int_equal(db_begin(db, &e), 0);
	assert_int_equal(db_job_finish(db, &r, &e), 0);
	assert_int_equal(db_commit(db, &e), 0);
}

static const char sha_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char sha_e[] = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

static void
test_claims_and_outcomes(void **state)
{
	struct fixture *fx = *state;
	struct job v[3], *open = NULL, got;
	struct db_document d;
	char stem[NAME_MAX + 1];
	size_t n = 0;
	struct err e;
	long docs = -1, failed = -1;
	int st;

	mkjob(&v[0], DROP_DOC, "setda", "surat-1", 100);
	mkjob(&v[1], DROP_BUNDLE, "setda", "arsip", 101);
	mkjob(&v[2], DROP_REJECT, "bappeda", "catatan", 102);
	assert_int_equal(db_claims_insert(fx->db, v, 3, &e), 0);
	/* a claim is recorded once */
	assert_int_equal(db_claims_insert(fx->db, v, 1, &e), -1);

	assert_int_equal(db_jobs_open(fx->db, &open, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(open[0].id, v[0].id);
	assert_string_equal(open[0].meta, "surat-1.yaml");
	assert_int_equal(open[0].size, v[0].size);
	assert_int_equal(open[1].kind, DROP_BUNDLE);
	assert_int_equal(open[2].kind, DROP_REJECT);
	assert_string_equal(open[2].reject_code, "input.unsupported");
	assert_string_equal(open[2].src, "incoming/bappeda");
	free(open);

	v[1].attempts = 2;
	v[1].extracted = 1;
	assert_int_equal(db_job_progress(fx->db, &v[1], &e), 0);
	assert_int_equal(db_job_get(fx->db, v[1].id, &got, &st, stem, sizeof stem), 1);
	assert_int_equal(st, DB_OPEN);
	assert_int_equal(got.attempts, 2);
	assert_int_equal(got.extracted, 1);

	mkdoc(&d, &v[0], sha_a, 1700000000, 0);
	sign(fx->db, &v[0], &d);
	{
		struct db_job r = { .id = v[2].id, .kind = v[2].kind, .pd = v[2].pd,
				    .delivered = "catatan", .failed = 1, .finished_at = 5,
				    .code = "input.unsupported", .detail = "not a pair",
				    .line = 3, .col = 7 };
		assert_int_equal(db_begin(fx->db, &e), 0);
		assert_int_equal(db_job_finish(fx->db, &r, &e), 0);
		assert_int_equal(db_commit(fx->db, &e), 0);
		/* an outcome is recorded once */
		assert_int_equal(db_begin(fx->db, &e), 0);
		assert_int_equal(db_job_finish(fx->db, &r, &e), -1);
		assert_non_null(strstr(e.detail, "has no open claim"));
		db_rollback(fx->db);
	}
	assert_int_equal(db_job_get(fx->db, v[0].id, &got, &st, stem, sizeof stem), 1);
	assert_int_equal(st, DB_DONE);
	assert_string_equal(stem, "surat-1");
	assert_int_equal(db_job_get(fx->db, v[2].id, &got, &st, stem, sizeof stem), 1);
	assert_int_equal(st, DB_FAILED);
	assert_int_equal(db_job_get(fx->db, "23456789ABCDEFGH", &got, &st, stem, sizeof stem), 0);

	assert_int_equal(db_jobs_open(fx->db, &open, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(open[0].id, v[1].id);
	free(open);
	assert_int_equal(db_count(fx->db, &docs, &failed), 0);
	assert_int_equal(docs, 1);
	assert_int_equal(failed, 1);
}

/* Recovery must never see part of the open jobs: out of memory is -1, and nothing. */
static void
test_jobs_open_realloc_fails(void **state)
{
	struct fixture *fx = *state;
	struct job v[100], *open = (struct job *)1;
	size_t n = 99, i;
	struct err e;

	for (i = 0; i < 100; i++)
		mkjob(&v[i], DROP_DOC, "setda", "s", (time_t)(1000 + i));
	assert_int_equal(db_claims_insert(fx->db, v, 100, &e), 0);

	/* the first growth succeeds, the second fails part-way through the list */
	fail_realloc(2);
	assert_int_equal(db_jobs_open(fx->db, &open, &n), -1);
	assert_int_equal(calls, 2);
	assert_null(open);
	assert_int_equal(n, 0);

	/* the very first one */
	open = (struct job *)1;
	n = 99;
	fail_realloc(1);
	assert_int_equal(db_jobs_open(fx->db, &open, &n), -1);
	assert_null(open);
	assert_int_equal(n, 0);

	/* and the statement is left ready: the next listing is whole */
	fail_realloc(0);
	assert_int_equal(db_jobs_open(fx->db, &open, &n), 0);
	assert_int_equal(n, 100);
	assert_string_equal(open[0].id, v[0].id);
	assert_string_equal(open[99].id, v[99].id);
	free(open);
}

static void
test_duplicates_and_status(void **state)
{
	struct fixture *fx = *state;
	struct job j;
	struct db_document d;
	struct db *ro;
	char id[JOBID_LEN + 1], serial[80];
	struct err e;
	int deleted = -1;
	char sql[200];

	mkjob(&j, DROP_DOC, "setda", "surat", 10);
	assert_int_equal(db_claims_insert(fx->db, &j, 1, &e), 0);
	mkdoc(&d, &j, sha_a, 1700000000, 0);
	sign(fx->db, &j, &d);

	assert_int_equal(db_duplicate(fx->db, d.sha_orig, d.sha_meta, id, sizeof id), 1);
	assert_string_equal(id, j.id);
	assert_int_equal(db_duplicate(fx->db, sha_e, d.sha_meta, id, sizeof id), 0);
	assert_int_equal(db_duplicate(fx->db, d.sha_orig, sha_e, id, sizeof id), 0);

	ro = db_open_readonly(fx->dir, &e);
	assert_non_null(ro);
	assert_int_equal(db_doc_status(ro, j.id, &deleted, serial, sizeof serial, &e), 1);
	assert_int_equal(deleted, 0);
	assert_string_equal(serial, "1001");
	assert_int_equal(db_doc_status(ro, "23456789ABCDEFGH", &deleted, serial, sizeof serial,
				       &e), 0);

	/* a deleted document is told apart (a re-drop is refused as deleted), and verify says so */
	snprintf(sql, sizeof sql, "UPDATE documents SET status = 'deleted' WHERE id = '%s'", j.id);
	exec(fx, sql);
	assert_int_equal(db_duplicate(fx->db, d.sha_orig, d.sha_meta, id, sizeof id), 2);
	assert_int_equal(db_doc_status(ro, j.id, &deleted, serial, sizeof serial, &e), 1);
	assert_int_equal(deleted, 1);
	db_close(ro);
}

struct listed {
	int n, stop_after;
	char id[8][JOBID_LEN + 1];
};

static int
collect(void *arg, const struct db_document *d)
{
	struct listed *l = arg;

	snprintf(l->id[l->n++], sizeof l->id[0], "%s", d->id);
	return l->stop_after && l->n == l->stop_after;
}

static void
test_doc_get_and_list(void **state)
{
	struct fixture *fx = *state;
	struct job v[3];
	struct db_document d, got;
	struct db_paraf *p = NULL;
	struct listed l;
	size_t np = 9;
	struct err e;

	mkjob(&v[0], DROP_DOC, "setda", "satu", 1);
	mkjob(&v[1], DROP_DOC, "bappeda", "dua", 2);
	mkjob(&v[2], DROP_DOC, "setda", "tiga", 3);
	assert_int_equal(db_claims_insert(fx->db, v, 3, &e), 0);
	mkdoc(&d, &v[0], sha_a, 1700000100, 0);
	d.subject[0] = '\0';
	sign(fx->db, &v[0], &d);
	mkdoc(&d, &v[1], sha_e, 1700000300, 0);
	sign(fx->db, &v[1], &d);
	mkdoc(&d, &v[2], "1111111111111111111111111111111111111111111111111111111111111111",
	      1700000200, 1);
	sign(fx->db, &v[2], &d);

	assert_int_equal(db_doc_get(fx->db, v[0].id, &got, &p, &np, &e), 1);
	assert_string_equal(got.id, v[0].id);
	assert_string_equal(got.pd, "setda");
	assert_string_equal(got.file, "satu.pdf");
	assert_string_equal(got.delivered, "satu");
	assert_string_equal(got.number, "800/satu");
	assert_string_equal(got.subject, "");
	assert_string_equal(got.sha_orig, sha_a);
	assert_int_equal(got.size_signed, v[0].size + 30000);
	assert_int_equal(got.signed_at, 1700000100);
	assert_int_equal(got.deleted, 0);
	assert_int_equal(got.timestamp_pending, 0);
	assert_int_equal(got.timestamped, 0);
	assert_int_equal(np, 2);
	assert_int_equal(p[0].seq, 1);
	assert_string_equal(p[0].name, "Budi Santoso");
	assert_string_equal(p[0].note, "");
	assert_int_equal(p[1].seq, 2);
	assert_string_equal(p[1].name, "Ani");
	assert_string_equal(p[1].note, "setuju");
	free(p);
	assert_int_equal(db_doc_get(fx->db, "23456789ABCDEFGH", &got, &p, &np, &e), 0);
	assert_null(p);
	assert_int_equal(np, 0);

	/* newest first; by PD; at most limit; the callback may stop it */
	memset(&l, 0, sizeof l);
	assert_int_equal(db_doc_list(fx->db, NULL, 0, collect, &l, &e), 3);
	assert_string_equal(l.id[0], v[1].id);
	assert_string_equal(l.id[1], v[2].id);
	assert_string_equal(l.id[2], v[0].id);
	memset(&l, 0, sizeof l);
	assert_int_equal(db_doc_list(fx->db, "setda", 100, collect, &l, &e), 2);
	assert_string_equal(l.id[0], v[2].id);
	memset(&l, 0, sizeof l);
	assert_int_equal(db_doc_list(fx->db, NULL, 1, collect, &l, &e), 1);
	memset(&l, 0, sizeof l);
	l.stop_after = 2;
	assert_int_equal(db_doc_list(fx->db, NULL, 0, collect, &l, &e), 2);
	memset(&l, 0, sizeof l);
	assert_int_equal(db_doc_list(fx->db, "nosuch", 0, collect, &l, &e), 0);
}

static void
test_deferred_timestamps(void **state)
{
	struct fixture *fx = *state;
	struct job v[3];
	struct db_document d, got;
	struct db_pending *pv = NULL;
	struct db_paraf *p;
	char sql[200];
	size_t n = 9, np;
	struct err e;

	mkjob(&v[0], DROP_DOC, "setda", "bb-lama", 1);
	mkjob(&v[1], DROP_DOC, "setda", "bt", 2);
	mkjob(&v[2], DROP_DOC, "setda", "bb-baru", 3);
	assert_int_equal(db_claims_insert(fx->db, v, 3, &e), 0);
	mkdoc(&d, &v[0], sha_a, 1700000100, 1);
	sign(fx->db, &v[0], &d);
	mkdoc(&d, &v[1], sha_e, 1700000050, 0);
	sign(fx->db, &v[1], &d);
	mkdoc(&d, &v[2], "1111111111111111111111111111111111111111111111111111111111111111",
	      1700000200, 1);
	sign(fx->db, &v[2], &d);

	/* oldest first, with where its copy is and the name it was delivered under */
	assert_int_equal(db_timestamp_pending(fx->db, &pv, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(pv[0].id, v[0].id);
	assert_string_equal(pv[0].delivered, "bb-lama");
	assert_string_equal(pv[0].pd, "setda");
	mkdoc(&d, &v[0], sha_a, 1700000100, 1);
	assert_string_equal(pv[0].store_path, d.store_path);
	assert_string_equal(pv[0].sha_signed, d.sha_signed);
	assert_string_equal(pv[1].id, v[2].id);
	free(pv);

	assert_int_equal(db_begin(fx->db, &e), 0);
	assert_int_equal(db_timestamp_done(fx->db, v[0].id, sha_e, 4321, "store/ee/x.pdf",
					   1700009999, &e), 0);
	assert_int_equal(db_commit(fx->db, &e), 0);
	/* once only */
	assert_int_equal(db_timestamp_done(fx->db, v[0].id, sha_e, 4321, "store/ee/x.pdf",
					   1700009999, &e), -1);
	assert_non_null(strstr(e.detail, "no longer waiting"));
	assert_int_equal(db_doc_get(fx->db, v[0].id, &got, &p, &np, &e), 1);
	free(p);
	assert_int_equal(got.timestamp_pending, 0);
	assert_int_equal(got.timestamped, 1);
	assert_int_equal(got.timestamped_at, 1700009999);
	assert_string_equal(got.sha_signed, sha_e);
	assert_int_equal(got.size_signed, 4321);
	assert_string_equal(got.store_path, "store/ee/x.pdf");

	/* a deleted document waits no more */
	snprintf(sql, sizeof sql, "UPDATE documents SET status = 'deleted' WHERE id = '%s'",
		 v[2].id);
	exec(fx, sql);
	assert_int_equal(db_timestamp_pending(fx->db, &pv, &n, &e), 0);
	assert_int_equal(n, 0);
	free(pv);
}

/* The first schema exactly as the first sertel made it (migrations[0]). */
static const char schema1[] =
	"CREATE TABLE jobs ("
	"  id TEXT PRIMARY KEY, kind TEXT NOT NULL, pd TEXT NOT NULL, src TEXT NOT NULL,"
	"  file TEXT NOT NULL, sidecar TEXT, stem TEXT NOT NULL, reject TEXT, size INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0, extracted INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT CHECK (outcome IN ('signed','failed','unpacked')),"
	"  delivered TEXT, code TEXT, field TEXT, line INTEGER, col INTEGER, detail TEXT,"
	"  claimed_at INTEGER NOT NULL, finished_at INTEGER);"
	"CREATE INDEX jobs_open ON jobs(id) WHERE outcome IS NULL;"
	"CREATE TABLE documents ("
	"  id TEXT PRIMARY KEY REFERENCES jobs(id), pd TEXT NOT NULL, type TEXT NOT NULL,"
	"  number TEXT, subject TEXT, signer_nip TEXT NOT NULL, signer_name TEXT,"
	"  cert_serial TEXT NOT NULL, sha256_original TEXT NOT NULL, sha256_sidecar TEXT NOT NULL,"
	"  sha256_signed TEXT NOT NULL, size_original INTEGER NOT NULL, size_signed INTEGER NOT NULL,"
	"  store_path TEXT NOT NULL, signed_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'stored' CHECK (status IN ('stored','deleted')),"
	"  UNIQUE (sha256_original, sha256_sidecar));"
	"CREATE TABLE parafs ("
	"  document_id TEXT NOT NULL REFERENCES documents(id), seq INTEGER NOT NULL,"
	"  nip TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, time TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL, note TEXT, PRIMARY KEY (document_id, seq));"
	"CREATE INDEX documents_pd ON documents(pd, signed_at);"
	"CREATE INDEX jobs_outcome ON jobs(outcome, finished_at);"
	"PRAGMA user_version=1;";

/* Rows of the first schema's columns (so valid in every later one): a signed document with its paraf, an open job. */
static const char rows1[] =
	"INSERT INTO jobs (id, kind, pd, src, file, sidecar, stem, size, outcome, delivered,"
	"  claimed_at, finished_at) VALUES ('OLDDOC2345678ABC', 'document', 'setda',"
	"  'incoming/setda', 'lama.pdf', 'lama.yaml', 'lama', 10, 'signed', 'lama', 5, 6);"
	"INSERT INTO documents (id, pd, type, signer_nip, cert_serial, sha256_original,"
	"  sha256_sidecar, sha256_signed, size_original, size_signed, store_path, signed_at)"
	"  VALUES ('OLDDOC2345678ABC', 'setda', 'nota_dinas', '197103012006042006', '77',"
	"  'o', 'm', 's', 10, 20, 'store/s/s.pdf', 1600000000);"
	"INSERT INTO parafs VALUES ('OLDDOC2345678ABC', 1, '198005052005011003', 'Budi',"
	"  'kasubbag_umum', 't', 'h', NULL);"
	"INSERT INTO jobs (id, kind, pd, src, file, sidecar, stem, size, claimed_at)"
	"  VALUES ('OPENJOB345678ABC', 'document', 'setda', 'incoming/setda', 'buka.pdf',"
	"  'buka.yaml', 'buka', 11, 7);";

/* A database made by the first sertel: migrated in place, its rows kept. */
static void
test_migrate_schema1(void **state)
{
	struct fixture *fx = *state;
	struct db_document got;
	struct db_paraf *p;
	struct db_pending *pv;
	struct job *open;
	size_t n, np;
	struct err e;

	db_close(fx->db);
	unlink(db_file(fx));
	exec(fx, schema1);
	exec(fx, rows1);
	assert_int_equal(sql1(fx, "PRAGMA user_version"), 1);

	fx->db = db_open(fx->dir, &e);
	assert_non_null(fx->db);
	assert_int_equal(sql1(fx, "PRAGMA user_version"), migrate_count());
	assert_int_equal(sql1(fx, "SELECT count(*) FROM sqlite_master WHERE name ="
			      " 'documents_timestamp_pending'"), 1);
	/* the audit trail starts empty on a database that had none */
	assert_int_equal(sql1(fx, "SELECT seq FROM audit_head"), 0);
	assert_int_equal(sql1(fx, "SELECT count(*) FROM audit"), 0);
	assert_int_equal(sql1(fx, "SELECT timestamp_pending FROM documents"), 0);
	assert_int_equal(sql1(fx, "SELECT timestamped_at IS NULL FROM documents"), 1);

	assert_int_equal(db_doc_get(fx->db, "OLDDOC2345678ABC", &got, &p, &np, &e), 1);
	assert_string_equal(got.type, "nota_dinas");
	assert_string_equal(got.delivered, "lama");
	assert_int_equal(got.timestamped, 0);
	assert_int_equal(np, 1);
	assert_string_equal(p[0].note, "");
	free(p);
	assert_int_equal(db_jobs_open(fx->db, &open, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(open[0].id, "OPENJOB345678ABC");
	free(open);
	assert_int_equal(db_timestamp_pending(fx->db, &pv, &n, &e), 0);
	assert_int_equal(n, 0);
	free(pv);
}

/*
 * From every earlier schema: a database at version k (the migrations up to
 * k, rows of the first schema) opens migrated to the newest, its rows kept,
 * after a copy of it at version k was put beside it (the upgrade's undo);
 * the copy is made once (a second open finds the newest schema: no copy).
 */
static void
test_migrate_every_version(void **state)
{
	struct fixture *fx = *state;
	struct db_document got;
	struct db_paraf *p;
	char sql[64], pre[128];
	size_t np;
	struct err e;
	int k, i;

	for (k = 1; k < migrate_count(); k++) {
		db_close(fx->db);
		fx->db = NULL;
		unlink(db_file(fx));
		snprintf(pre, sizeof pre, "%s/sertel.db.pre-schema-%d", fx->dir, k);
		unlink(pre);
		for (i = 0; i < k; i++)
			exec(fx, migrate_sql(i));
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d;", k);
		exec(fx, sql);
		exec(fx, rows1);
		fx->db = db_open(fx->dir, &e);
		assert_non_null(fx->db);
		assert_int_equal(sql1(fx, "PRAGMA user_version"), migrate_count());
		assert_int_equal(db_doc_get(fx->db, "OLDDOC2345678ABC", &got, &p, &np, &e), 1);
		assert_string_equal(got.type, "nota_dinas");
		assert_int_equal(np, 1);
		free(p);
		/* the copy beside it: the old version, the same rows */
		{
			sqlite3 *h;
			sqlite3_stmt *st;
			assert_int_equal(access(pre, F_OK), 0);
			assert_int_equal(sqlite3_open_v2(pre, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
			assert_int_equal(sqlite3_prepare_v2(h, "SELECT (SELECT user_version FROM"
							    " pragma_user_version), count(*) FROM documents",
							    -1, &st, NULL), SQLITE_OK);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(st, 0), k);
			assert_int_equal(sqlite3_column_int(st, 1), 1);
			sqlite3_finalize(st);
			sqlite3_close(h);
		}
		unlink(pre);
		db_close(fx->db);
		fx->db = db_open(fx->dir, &e);
		assert_non_null(fx->db);
		assert_int_equal(access(pre, F_OK), -1);
	}
}

/* Reopening changes nothing: no migration runs twice, the rows are there. */
static void
test_reopen(void **state)
{
	struct fixture *fx = *state;
	struct job j, *open;
	size_t n;
	struct err e;

	mkjob(&j, DROP_DOC, "setda", "surat", 10);
	assert_int_equal(db_claims_insert(fx->db, &j, 1, &e), 0);
	db_close(fx->db);
	assert_int_equal(sql1(fx, "PRAGMA user_version"), migrate_count());
	fx->db = db_open(fx->dir, &e);
	assert_non_null(fx->db);
	assert_int_equal(sql1(fx, "PRAGMA user_version"), migrate_count());
	assert_int_equal(db_jobs_open(fx->db, &open, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(open[0].id, j.id);
	free(open);
	/* a second connection at once, as run has (claims and commits) */
	{
		struct db *two = db_open(fx->dir, &e);
		assert_non_null(two);
		db_close(two);
	}
}

/* A database from a newer sertel is refused, not touched. */
static void
test_newer_schema_refused(void **state)
{
	struct fixture *fx = *state;
	struct err e;

	db_close(fx->db);
	exec(fx, "PRAGMA user_version=99;");
	fx->db = db_open(fx->dir, &e);
	assert_null(fx->db);
	assert_non_null(strstr(e.detail, "newer than this sertel knows"));
	/* not a file to restore nor a condition that passes: upgrade sertel */
	assert_false(db_needs_restore(&e));
	assert_int_equal(db_exit(&e), EX_CONFIG);
	assert_int_equal(sql1(fx, "PRAGMA user_version"), 99);
	/* a missing database cannot be opened read-only */
	unlink(db_file(fx));
	assert_null(db_open_readonly(fx->dir, &e));
	assert_non_null(strstr(e.detail, "cannot be opened"));
}

/* file_bytes - the whole database file (for "left as it was"); *len 0 when missing. */
static unsigned char *
file_bytes(const struct fixture *fx, size_t *len)
{
	FILE *f = fopen(db_file(fx), "rb");
	unsigned char *p = malloc(1 << 20);

	assert_non_null(p);
	*len = f ? fread(p, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return p;
}

/* refused - db_open and db_open_readonly refuse the file as one to restore, and leave it be. */
static void
refused(struct fixture *fx, const char *what, int readonly_too)
{
	unsigned char *before, *after;
	size_t n0, n1;
	struct err e;

	before = file_bytes(fx, &n0);
	memset(&e, 0, sizeof e);
	assert_null(db_open(fx->dir, &e));
	if (!db_needs_restore(&e) || !strstr(e.detail, "restore it from a backup"))
		fail_msg("%s: not refused as a file to restore: %s", what, e.detail);
	assert_non_null(strstr(e.detail, fx->dir));	/* names the file */
	if (readonly_too) {
		memset(&e, 0, sizeof e);
		assert_null(db_open_readonly(fx->dir, &e));
		if (!db_needs_restore(&e))
			fail_msg("%s: read-only: %s", what, e.detail);
	}
	after = file_bytes(fx, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	free(before);
	free(after);
}

/* A file that is not sertel's database is refused, untouched, as one to restore. */
static void
test_not_sertels_refused(void **state)
{
	struct fixture *fx = *state;
	struct job j;
	struct err e;
	FILE *f;
	long size;
	int i;

	mkjob(&j, DROP_DOC, "setda", "surat", 10);
	assert_int_equal(db_claims_insert(fx->db, &j, 1, &e), 0);
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(run("cp %s %s.good", db_file(fx), db_file(fx)), 0);

	/* zero length: SQLite would take it for a new database */
	assert_int_equal(run(": > %s", db_file(fx)), 0);
	refused(fx, "zero length", 1);
	/* not SQLite at all */
	f = fopen(db_file(fx), "wb");
	for (i = 0; i < 8192; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	refused(fx, "garbage", 1);
	/* another program's SQLite file */
	unlink(db_file(fx));
	exec(fx, "CREATE TABLE kontak (nama TEXT); INSERT INTO kontak VALUES ('Budi');");
	refused(fx, "foreign", 1);
	/* another program's, with a schema version of its own */
	exec(fx, "PRAGMA user_version=2;");
	refused(fx, "foreign with user_version 2", 1);
	/* sertel's tables, one of them changed: our statements do not prepare */
	assert_int_equal(run("cp %s.good %s", db_file(fx), db_file(fx)), 0);
	exec(fx, "ALTER TABLE jobs RENAME COLUMN attempts TO tries;");
	refused(fx, "changed jobs table", 0);
	/* truncated to half */
	assert_int_equal(run("cp %s.good %s", db_file(fx), db_file(fx)), 0);
	size = (long)sql1(fx, "PRAGMA page_count") * sql1(fx, "PRAGMA page_size");
	assert_int_equal(truncate(db_file(fx), size / 2), 0);
	refused(fx, "truncated", 1);
	/* every page after the first overwritten */
	assert_int_equal(run("cp %s.good %s && dd if=/dev/zero of=%s bs=4096 seek=1 count=64 "
			     "conv=notrunc 2>/dev/null", db_file(fx), db_file(fx), db_file(fx)), 0);
	refused(fx, "zeroed pages", 1);
	/* missing, where store/ holds signed copies */
	unlink(db_file(fx));
	assert_int_equal(run("mkdir -p %s/store/ab", fx->dir), 0);
	refused(fx, "missing beside store/", 0);
	assert_int_equal(access(db_file(fx), F_OK), -1);

	/* the good file back: it opens, the claim is there */
	assert_int_equal(run("cp %s.good %s", db_file(fx), db_file(fx)), 0);
	fx->db = db_open(fx->dir, &e);
	assert_non_null(fx->db);
	{
		char id[JOBID_LEN + 1], stem[64];
		snprintf(id, sizeof id, "%s", j.id);
		assert_int_equal(db_job_get(fx->db, id, &j, &i, stem, sizeof stem), 1);
	}
	/* and a missing database in a state folder without store/ is the first run */
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(run("rm -rf %s/store %s %s.good", fx->dir, db_file(fx), db_file(fx)), 0);
	fx->db = db_open(fx->dir, &e);
	assert_non_null(fx->db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claims_and_outcomes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jobs_open_realloc_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc_get_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred_timestamps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_schema1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_every_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_sertels_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
