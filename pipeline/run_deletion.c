/*
 * run_deletion.c - a berita acara dropped into SPOOL/deletion/<pd>/, claimed
 * as a job of kind deletion (see run_int.h) and carried out in a worker
 * like a document is signed there, so a slow TSA or signer holds one worker,
 * never the master's loop: the documents dropped meanwhile go on through the
 * other workers.  The worker carries it out through the path of `sertel
 * deletion submit` (deletion.h) on a database connection of its own; its outcome
 * comes back to the master, whose group commit records it and delivers its
 * inputs (the berita acara file, the scan beside it) to done/<pd>/, beside
 * the signed berita acara PDF and its receipt, or to failed/<pd>/ with the
 * refusal report the worker wrote.
 *
 * A fresh process (the sertel binary again, `deletion job`) does it for
 * the worker: the deletion stage (stages/deletion.c) starts it and says why;
 * run_deletion_work is that process's side.
 *
 * Its stages: validate (nothing deleted when one finding), commit (the
 * tombstones and the number in one transaction, taken before rendering
 * since the PDF carries the number), render + sign, deliver; then the job's
 * outcome, with the batch.  A crash or a lost worker before the outcome is
 * recorded leaves its claim open: the next attempt runs it again, and
 * deletion.h knows the file carried out before and only completes its
 * delivery (never a second number, never a second signature): all or
 * nothing, numbered without gaps, as a submit beside the daemon is.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../spool/fsutil.h"
#include "deletion.h"
#include "report.h"
#include "run_int.h"

/* The refusal of a berita acara dropped as file, for report_write_fn. */
struct refusal {
	const char *file;
	const struct errs *errs;
};

/* print_refusal - its report: what happened, then every finding (deletion.h). */
static void
print_refusal(FILE *f, void *arg)
{
	const struct refusal *x = arg;

	fprintf(f, "# Berita acara penghapusan ditolak: tidak ada dokumen yang dihapus.\n"
		"# Perbaiki semua kesalahan di bawah, lalu unggah ulang berita acaranya.\n");
	deletion_print_refusal(f, x->file, x->errs);
}

/* waits - o: the job waits (its claim open) for what e says. */
static void
waits(struct outcome *o, const struct job *j, const char *number, const struct err *e)
{
	o->retry = 1;
	snprintf(o->code, sizeof o->code, "%s", e->code ? e->code : ERR_RETRY);
	snprintf(o->detail, sizeof o->detail, "berita acara %.40s/%.80s%s%.60s: %.40s: %.150s",
		 j->pd, j->pdf, number[0] ? " Nomor: " : "", number, e->code ? e->code : ERR_RETRY,
		 e->detail);
}

void
run_deletion_work(const struct cfg *c, int queue_fd, const char *root, const struct job *j,
		  struct outcome *o)
{
	struct errs errs = { 0 };
	struct deletion_result res;
	struct deletion_drop drop;
	struct refusal x;
	struct db *db;
	char name[JOBID_LEN + 16], scan[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	struct err e;
	int rc;

	memset(o, 0, sizeof *o);
	memset(&res, 0, sizeof res);
	snprintf(o->id, sizeof o->id, "%s", j->id);
	spool_qname(name, sizeof name, j->id, spool_input_part(j));
	if (fs_read_all(queue_fd, name, 1 << 20, &buf, &len) < 0) {
		err_set(&e, err_io_code(errno), "queue/%s: %s", name, strerror(errno));
		waits(o, j, "", &e);
		return;
	}
	/* its own connection, in a process of its own (run_deletion_spawn) */
	if (!(db = db_open(c->state_dir, &e))) {
		free(buf);
		waits(o, j, "", &e);
		return;
	}
	drop.pd = j->pd;
	drop.scan = NULL;
	drop.scan_name = j->meta;
	if (j->meta[0]) {
		snprintf(scan, sizeof scan, "%s/queue/%s.%s", root, j->id, spool_meta_part(j));
		drop.scan = scan;
	}
	rc = deletion_carry_out(c, db, buf, len, j->pdf, &drop, &errs, &res, &e);
	db_close(db);
	free(buf);
	if (rc == DELETION_REFUSED) {
		const struct err *f = &errs.v[0];
		snprintf(o->code, sizeof o->code, "%s", f->code ? f->code : "deletion.value");
		snprintf(o->field, sizeof o->field, "%s", f->field);
		snprintf(o->detail, sizeof o->detail, "%s", f->detail);
		o->line = f->line;
		o->col = f->col;
		x.file = j->pdf;
		x.errs = &errs;
		/* no refusal without its report: it waits */
		if (report_write_fn(queue_fd, j->id, print_refusal, &x) < 0) {
			err_set(&e, ERR_RETRY, "cannot write its report: %s", strerror(errno));
			waits(o, j, "", &e);
		}
		return;
	}
	if (rc != DELETION_DONE) {
		/* the database, the signer's key, a TSA, a full disk: it stays
		 * queued, its claim open; the next attempt completes it */
		waits(o, j, res.number, &e);
		return;
	}
	o->ok = 1;
	snprintf(o->number, sizeof o->number, "%s", res.number);
	snprintf(o->detail, sizeof o->detail, "%s: %zu document(s) deleted, %.200s (ID %s)",
		 res.retry ? "completed" : "carried out", res.n, res.pdf, res.id);
}

void
run_deletion_done(struct run *r, const struct job *j, struct outcome *o)
{
	struct err e;

	if (o->retry) {
		log_err(j->id, "%s", o->detail);
		err_set(&e, o->code, "%s", o->detail);
		r->restore |= db_needs_restore(&e);
		run_wait_queued(r, j, o->detail);
		free(o);
		return;
	}
	if (o->ok)
		log_info(j->id, "berita acara %s/%s Nomor: %s %s", j->pd, j->pdf, o->number,
			 o->detail);
	run_finish(r, j, !o->ok, o);
}

int
run_deletion_busy(const struct run *r)
{
	int i;

	for (i = 0; i < r->pool.n; i++)
		if (r->pool.s[i].busy && r->pool.s[i].job.kind == DROP_DELETION)
			return 1;
	return 0;
}
