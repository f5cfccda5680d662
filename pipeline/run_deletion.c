/*
 * run_deletion.c - a berita acara dropped into SPOOL/deletion/<pd>/, claimed
 * as a job of kind deletion (see run_int.h): the master carries it out
 * through the path of `sertel deletion submit` (deletion.h), then the group
 * commit records its outcome and delivers its inputs (the berita acara
 * file, the scan beside it) to done/<pd>/, beside the signed berita acara
 * PDF and its receipt, or to failed/<pd>/ with the refusal report.
 *
 * Its stages: validate (nothing deleted when one finding), render + sign
 * (after the deletion's own commit: tombstones and the number in one
 * transaction), commit (the job's outcome, with the batch).  A crash before
 * the job's outcome is recorded leaves its claim open: the next start runs
 * it again, and deletion.h knows the file carried out before and only
 * completes its delivery (never a second number, never a second signature).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void
run_deletion_job(struct run *r, struct job *j)
{
	struct errs errs = { 0 };
	struct deletion_result res;
	struct deletion_drop drop;
	struct refusal x;
	struct finished *f;
	char name[JOBID_LEN + 16], scan[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	struct err e;
	int rc;

	spool_qname(name, sizeof name, j->id, spool_input_part(j));
	if (fs_read_all(r->spool.queue_fd, name, 1 << 20, &buf, &len) < 0) {
		err_set(&e, err_io_code(errno), "%s/%s: %s", j->pd, j->pdf, strerror(errno));
		commit_fail(&r->cenv, run_finish(r, j, 1, NULL), STEP_INTAKE, &e);
		return;
	}
	drop.pd = j->pd;
	drop.scan = NULL;
	drop.scan_name = j->meta;
	if (j->meta[0]) {
		snprintf(scan, sizeof scan, "%s/queue/%s.%s", r->spool.root, j->id,
			 spool_meta_part(j));
		drop.scan = scan;
	}
	rc = deletion_carry_out(r->cfg, r->db, buf, len, j->pdf, &drop, &errs, &res, &e);
	free(buf);
	if (rc == DELETION_REFUSED) {
		f = run_finish(r, j, 1, NULL);
		f->failed = 1;
		f->err = errs.v[0];
		x.file = j->pdf;
		x.errs = &errs;
		/* no refusal without its report: it waits */
		if (report_write_fn(r->spool.queue_fd, j->id, print_refusal, &x) < 0) {
			f->retry = 1;
			err_set(&f->err, ERR_RETRY, "cannot write its report: %s", strerror(errno));
		}
		return;
	}
	if (rc != DELETION_DONE) {
		/* the database, the signer's key, a TSA, a full disk: it stays
		 * queued, its claim open; the next attempt completes it */
		r->restore |= rc == DELETION_ERROR && db_needs_restore(&e);
		log_err(j->id, "berita acara %s/%s%s%s: %s: %s", j->pd, j->pdf,
			res.number[0] ? " Nomor: " : "", res.number, e.code, e.detail);
		run_wait_queued(r, j, e.detail);
		return;
	}
	log_info(j->id, "berita acara %s/%s Nomor: %s %s: %zu document(s) deleted, %s (ID %s)",
		 j->pd, j->pdf, res.number, res.retry ? "completed" : "carried out", res.n,
		 res.pdf, res.id);
	run_finish(r, j, 0, NULL);
}
