/*
 * commit.c - group commit of finished jobs (see commit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../spool/fsutil.h"
#include "commit.h"
#include "report.h"

/* defer - f is not committed now (ERR_RETRY): it stays queued, its claim open, for a later attempt. */
static void
defer(struct finished *f, const char *what)
{
	f->retry = 1;
	err_set(&f->err, ERR_RETRY, "%s: %s", what, strerror(errno));
}

void
commit_fail(struct commit_env *c, struct finished *f, enum step step, const struct err *e)
{
	f->failed = 1;
	f->err = *e;
	/* a refused document leaves as it came: without a revision signed in place;
	 * one that cannot be cut back waits in the queue, never goes to failed/ */
	if (f->job.kind == DROP_DOC && spool_restore_input(c->spool, &f->job) < 0) {
		defer(f, "cannot restore the original");
		return;
	}
	if (err_is_retry(e)) {
		f->retry = 1;
		return;
	}
	/* no refusal without its report: when it cannot be written, the job waits */
	if (report_write1(c->spool->queue_fd, &f->job, step, e, time(NULL)) < 0)
		defer(f, "cannot write its report");
}

/* has_report - the refusal report of a failed job is in the queue, ready to go with it. */
static int
has_report(struct commit_env *c, const struct finished *f)
{
	char name[JOBID_LEN + 16];
	struct stat st;

	spool_qname(name, sizeof name, f->job.id, "error.yaml");
	return fstatat(c->spool->queue_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* refuse_duplicates - a document signed before, or twice in this batch, is not signed again. */
static void
refuse_duplicates(struct commit_env *c, struct finished *v, size_t n)
{
	char id[JOBID_LEN + 1];
	struct err e;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct outcome *o = v[i].out;
		int dup = 0, deleted = 0;
		if (v[i].failed || v[i].retry || !o || v[i].job.kind != DROP_DOC)
			continue;
		for (k = 0; k < i && !dup; k++)
			if (!v[k].failed && v[k].out && v[k].job.kind == DROP_DOC &&
			    !strcmp(v[k].out->sha_orig, o->sha_orig) &&
			    !strcmp(v[k].out->sha_meta, o->sha_meta)) {
				snprintf(id, sizeof id, "%s", v[k].job.id);
				dup = 1;
			}
		if (!dup) {
			int rc = db_duplicate(c->db, o->sha_orig, o->sha_meta, id, sizeof id);
			dup = rc >= 1;
			deleted = rc == 2;
		}
		/* deleted by berita acara: never signed again silently */
		if (deleted) {
			err_set(&e, "doc.deleted", "%s with this sidecar was signed as ID %s and "
				"deleted since by berita acara", v[i].job.pdf, id);
			commit_fail(c, &v[i], STEP_STORE, &e);
		} else if (dup) {
			err_set(&e, "doc.duplicate", "%s with this sidecar was already signed as ID %s",
				v[i].job.pdf, id);
			commit_fail(c, &v[i], STEP_STORE, &e);
		}
	}
}

void
commit_env_close(struct commit_env *c)
{
	store_close(&c->store);
}

/* copy_to_store - the signed file into the store (synced with the batch, in commit_batch). */
static int
copy_to_store(struct commit_env *c, struct finished *f)
{
	char src[JOBID_LEN + 16];

	spool_qname(src, sizeof src, f->job.id, "pdf");
	return store_copy(&c->store, f->out->sha_signed, c->spool->queue_fd, src, f->store_path,
			  sizeof f->store_path);
}

/* Copy a worker's string, which need not be NUL-terminated, into a database row's field. */
#define COPY(dst, src) snprintf((dst), sizeof (dst), "%.*s", (int)sizeof (src) - 1, (src))

/* document_row - the documents row and parafs of a signed job, from its worker's outcome. */
static size_t
document_row(const struct finished *f, struct db_document *d, struct db_paraf *p)
{
	const struct outcome *o = f->out;
	size_t i, n = o->nparafs < 0 ? 0 : (size_t)o->nparafs;

	_Static_assert(sizeof d->type >= sizeof o->type && sizeof d->number >= sizeof o->number &&
		       sizeof d->subject >= sizeof o->subject &&
		       sizeof d->signer_nip >= sizeof o->signer_nip &&
		       sizeof d->signer_name >= sizeof o->signer_name &&
		       sizeof d->signer_jabatan >= sizeof o->signer_jabatan &&
		       sizeof d->cert_serial >= sizeof o->cert_serial &&
		       sizeof d->sha_orig >= sizeof o->sha_orig &&
		       sizeof d->store_path >= sizeof f->store_path &&
		       sizeof p->nip >= sizeof o->parafs[0].nip &&
		       sizeof p->name >= sizeof o->parafs[0].name &&
		       sizeof p->role >= sizeof o->parafs[0].role &&
		       sizeof p->time >= sizeof o->parafs[0].time &&
		       sizeof p->note >= sizeof o->parafs[0].note,
		       "a database row holds every outcome field whole");
	memset(d, 0, sizeof *d);
	COPY(d->id, f->job.id);
	COPY(d->pd, f->job.pd);
	COPY(d->type, o->type);
	COPY(d->number, o->number);
	COPY(d->subject, o->subject);
	COPY(d->signer_nip, o->signer_nip);
	COPY(d->signer_name, o->signer_name);
	COPY(d->signer_jabatan, o->signer_jabatan);
	COPY(d->cert_serial, o->cert_serial);
	COPY(d->sha_orig, o->sha_orig);
	COPY(d->sha_meta, o->sha_meta);
	COPY(d->sha_signed, o->sha_signed);
	COPY(d->store_path, f->store_path);
	d->size_orig = o->size_orig;
	d->size_signed = o->size_signed;
	d->signed_at = o->signed_at;
	d->timestamp_pending = o->timestamp_pending;
	if (n > OUTCOME_MAX_PARAFS)
		n = OUTCOME_MAX_PARAFS;
	for (i = 0; i < n; i++) {
		const struct outcome_paraf *op = &o->parafs[i];
		memset(&p[i], 0, sizeof p[i]);
		p[i].seq = (int)i + 1;
		COPY(p[i].nip, op->nip);
		COPY(p[i].name, op->name);
		COPY(p[i].role, op->role);
		COPY(p[i].time, op->time);
		COPY(p[i].sha256, op->sha256);
		COPY(p[i].note, op->note);
	}
	return n;
}

/* pick_stems - output names, unique within the folder and within this batch. */
static void
pick_stems(struct commit_env *c, struct finished *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (v[i].retry)
			continue;
		if (spool_pick_stem(c->spool, v[i].failed, &v[i].job, v[i].stem,
				    sizeof v[i].stem) < 0) {
			defer(&v[i], "cannot open its output folder");
			continue;
		}
		for (k = 0; k < i; k++)
			if (!v[k].retry && v[k].failed == v[i].failed &&
			    !strcmp(v[k].job.pd, v[i].job.pd) &&
			    !strcmp(v[k].stem, v[i].stem)) {
				snprintf(v[i].stem, sizeof v[i].stem, "%.*s-%s",
					 (int)(sizeof v[i].stem - JOBID_LEN - 2), v[i].job.stem,
					 v[i].job.id);
				break;
			}
	}
}

/* record - one transaction for the whole batch. */
static int
record(struct commit_env *c, struct finished *v, size_t n, struct err *e)
{
	struct db_paraf parafs[OUTCOME_MAX_PARAFS];
	long long now = (long long)time(NULL);
	struct db_document doc;
	size_t i;

	if (db_begin(c->db, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct finished *f = &v[i];
		const struct outcome *o = f->out;
		if (f->retry)		/* its claim stays open */
			continue;
		struct db_job j = {
			.id = f->job.id, .kind = f->job.kind, .pd = f->job.pd,
			.delivered = f->stem, .failed = f->failed, .finished_at = now,
		};
		if (f->failed && o && !o->ok) {		/* the worker refused it */
			j.code = o->code;
			j.field = o->field;
			j.detail = o->detail;
			j.line = o->line;
			j.col = o->col;
		} else if (f->failed) {			/* master-side failure */
			j.code = f->err.code;
			j.field = f->err.field;
			j.detail = f->err.detail;
			j.line = f->err.line;
			j.col = f->err.col;
		} else if (o && f->job.kind == DROP_DOC) {
			j.nparafs = document_row(f, &doc, parafs);
			j.doc = &doc;
			j.parafs = parafs;
		}
		if (db_job_finish(c->db, &j, e) < 0) {
			db_rollback(c->db);
			return -1;
		}
	}
	return db_commit(c->db, e);
}

void
commit_audit_delivered(struct db *db, const struct finished *v, size_t n, int prio)
{
	char where[PD_MAX + NAME_MAX + 32], hash[AUDIT_HASH_LEN + 1];
	long long seq;
	size_t i, moved = 0;
	struct err e;

	memset(&e, 0, sizeof e);
	for (i = 0; i < n; i++)
		moved += v[i].moved && !v[i].retry;
	if (moved && db_begin(db, &e) == 0) {
		for (i = 0; i < n; i++) {
			if (!v[i].moved || v[i].retry)
				continue;
			snprintf(where, sizeof where, "%s/%s/%s", v[i].failed ? "failed" : "done",
				 v[i].job.pd, v[i].stem);
			if (db_audit(db, "delivered", v[i].job.id, NULL, v[i].job.pd, where, &e) < 0)
				break;
		}
		if (i < n)
			db_rollback(db);
		else
			db_commit(db, &e);
	}
	/* the delivery happened: a record that could not be written is only logged */
	if (moved && e.code) {
		log_err(NULL, "audit: cannot record %zu delivery(ies): %s", moved, e.detail);
		return;
	}
	/* the head in the log, per batch: a rewrite of the whole chain disagrees with it */
	if (db_audit_head(db, &seq, hash, &e) == 0)
		log_msg(prio, NULL, "audit head %lld %s", seq, hash);
}

int
commit_batch(struct commit_env *c, struct finished *v, size_t n, struct err *e)
{
	size_t i;

	refuse_duplicates(c, v, n);
	for (i = 0; i < n; i++) {
		/* the document is sound and signed: a store that cannot take its copy
		 * (a full state disk, too few descriptors) is the server's trouble,
		 * never a reason to refuse the document: it waits in the queue */
		if (!v[i].failed && !v[i].retry && v[i].job.kind == DROP_DOC &&
		    copy_to_store(c, &v[i]) < 0)
			defer(&v[i], "cannot copy it into the store");
		/* a refusal leaves with its report, or not yet */
		if (v[i].failed && !v[i].retry && !has_report(c, &v[i]))
			defer(&v[i], "its refusal report is missing");
	}
	/* one sync per file system: the state's too when it is another one */
	if (fs_syncfs(c->spool->root_fd) < 0 || (!c->same_fs && fs_syncfs(c->state_fd) < 0))
		return err_set(e, "io.error", "syncfs: %s", strerror(errno));
	pick_stems(c, v, n);
	if (record(c, v, n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].retry)
			continue;
		v[i].moved = spool_deliver(c->spool, &v[i].job, v[i].failed, v[i].stem) == 0;
		if (!v[i].moved)	/* recorded: the loop retries the move (run_hold.c) */
			log_err(v[i].job.id, "deliver to %s/%s: %s (retried later)",
				v[i].failed ? "failed" : "done", v[i].job.pd, strerror(errno));
	}
	if (fs_syncfs(c->spool->root_fd) < 0)
		return err_set(e, "io.error", "syncfs: %s", strerror(errno));
	commit_audit_delivered(c->db, v, n, c->head_prio);
	for (i = 0; i < n; i++)
		if (v[i].moved)
			spool_job_remove(c->spool, v[i].job.id);
	return 0;
}
