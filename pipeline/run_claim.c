/*
 * run_claim.c - taking drops in (see run_int.h): scan rounds of incoming/,
 * claims recorded then moved into the queue, bundles unpacked and their
 * members claimed, refused drops, and start-up recovery of what a crash left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../spool/bundle.h"
#include "../spool/fsutil.h"
#include "run_int.h"
#include "upload_rest.h"

/* rest_since - a cut-off upload's rest is recognised for UPLOAD_REST_DAYS after its refusal. */
static long long
rest_since(void)
{
	return (long long)time(NULL) - UPLOAD_REST_DAYS * 86400LL;
}

/* claim_drop - collect one drop of a scan round, from top/<pd>. */
static int
claim_drop(struct run *r, const struct drop *d, const char *top)
{
	char src[PATH_MAX];
	struct err e;

	if (r->nclaims >= CLAIM_MAX)
		return 1;
	/* BAPPEDA/ for bappeda, "." for a file directly in incoming/ */
	snprintf(src, sizeof src, "%s/%s", top, d->dir[0] ? d->dir : d->pd);
	if (spool_claim_prepare(&r->spool, d, src, &r->claims[r->nclaims], &e) < 0) {
		log_err(NULL, "claim %s/%s: %s", d->pd, d->pdf, e.detail);
		return 1;
	}
	r->nclaims++;
	return 0;
}

/* on_drop - a drop of incoming/<pd>; a lone file that is the rest of a cut-off upload says so. */
static int
on_drop(void *arg, const struct drop *d)
{
	struct run *r = arg;
	struct db_refusal earlier;
	struct drop rest;

	if (upload_rest_of(r->db, &r->spool, d, rest_since(), &earlier) != REST_NONE) {
		rest = *d;
		rest.reject_code = "input.upload_rest";
		return claim_drop(r, &rest, "incoming");
	}
	return claim_drop(r, d, "incoming");
}

/* on_deletion - a drop of deletion/<pd>: a berita acara (and its scan), or a refused file. */
static int
on_deletion(void *arg, const struct drop *d)
{
	return claim_drop(arg, d, "deletion");
}

/* vanished - close the claim of an input that disappeared before it moved. */
void
run_vanished(struct run *r, struct job *j, const struct err *why)
{
	struct err e;

	if (err_is_retry(why)) {
		/* a rename found no room: the claim stays open and its renames are
		 * redone later (as at start-up); nothing is claimed meanwhile, or
		 * what is still in incoming/ would be claimed twice */
		r->claims_wait = 1;
		run_hold(r, j, why->detail);
		return;
	}
	log_warn(j->id, "claim of %s/%s: %s", j->src, j->pdf, why->detail);
	spool_release(&r->spool, j);	/* whatever half had moved goes back */
	err_set(&e, "io.error", "%s/%s disappeared while it was being taken (%s); if it is "
		"still there it will be taken again", j->pd, j->pdf, why->detail);
	commit_fail(&r->cenv, run_finish(r, j, 1, NULL), STEP_INTAKE, &e);
}

/*
 * claim_round - record the round's claims (one transaction), then move the
 * inputs.  No sync is needed after the renames: until an outcome is
 * committed (which syncs first), recovery can redo a rename that was lost.
 * -1 when some claim waits for the next run (not recorded, or not moved).
 */
int
run_claim_round(struct run *r)
{
	struct err e;
	size_t i;
	int rc = 0;

	if (r->nclaims == 0)
		return 0;
	if (db_claims_insert(r->db, r->claims, r->nclaims, &e) < 0) {
		log_err(NULL, "cannot record claims (%s); the drops stay in incoming/", e.detail);
		/* they wait: --once exits 75, watch pauses before trying again */
		r->nheld += (long)r->nclaims;
		r->claims_wait = 1;
		r->held_at = clock_mono();
		snprintf(r->held_why, sizeof r->held_why, "%s", e.detail);
		r->nclaims = 0;
		r->restore |= db_needs_restore(&e);
		/* locked, full or damaged: no use scanning again in this run; the
		 * daemon pauses (claims_wait) unless only a restore can help */
		if (!r->watch || r->restore)
			r->tempfail = 1;
		return -1;
	}
	for (i = 0; i < r->nclaims; i++) {
		if (spool_claim_commit(&r->spool, &r->claims[i], &e) < 0) {
			if (err_is_retry(&e)) {	/* nothing moved: the next start redoes it */
				run_wait_queued(r, &r->claims[i], e.detail);
				rc = -1;
			} else
				run_vanished(r, &r->claims[i], &e);
			continue;
		}
		run_push_pending(r, &r->claims[i]);
		r->total_seen++;
	}
	r->nclaims = 0;
	return rc;
}

/*
 * scan_trouble - say which PD folder (or incoming/ itself) a scan could not
 * list, once while it stays so.  Its drops wait; the others are served; a
 * batch run ends with EX_TEMPFAIL.  Out of descriptors, nothing more is claimed.
 */
static void
scan_trouble(struct run *r)
{
	const struct scan_stats *st = &r->scan;
	int temp = err_errno_temporary(st->unreadable_errno);

	if (st->unreadable != 0 && temp)
		r->tempfail = 1;
	if (st->unreadable == r->unreadable)
		return;
	r->unreadable = st->unreadable;
	if (st->unreadable < 0)
		log_err(NULL, "%s/incoming cannot be listed (%s): nothing is taken; %s", r->spool.root,
			strerror(st->unreadable_errno), temp ? "the drops wait for the next run" :
			"the sertel user must be able to read and write it");
	else if (st->unreadable > 0)
		log_err(NULL, "%s/incoming/%s cannot be read (%s)%s: its drops wait there; %s",
			r->spool.root, st->unreadable_pd, strerror(st->unreadable_errno),
			st->unreadable > 1 ? ", and other PD folders too" : "", temp ?
			"the next run takes them" : "give the sertel user read and write access to "
			"it (the other PD folders are served)");
}

/* scan_incoming - one scan of every PD folder; returns the number of jobs claimed. */
size_t
run_scan_incoming(struct run *r, long settle)
{
	size_t before = r->npending;

	memset(&r->scan, 0, sizeof r->scan);
	if (spool_scan(&r->spool, time(NULL), settle, r->cfg->limits.sidecar_wait_seconds, on_drop,
		       r, &r->scan) < 0) {
		r->scan.unreadable = -1;
		r->scan.unreadable_errno = errno;
	}
	/* berita acara of deletion, only where deletions are configured */
	if (r->cfg->deletion.enabled && r->nclaims < CLAIM_MAX &&
	    spool_scan_deletions(&r->spool, time(NULL), settle,
				 r->cfg->limits.sidecar_wait_seconds, on_deletion, r, &r->scan) < 0 &&
	    r->scan.unreadable++ == 0) {
		snprintf(r->scan.unreadable_pd, sizeof r->scan.unreadable_pd, "deletion");
		r->scan.unreadable_errno = errno;
	}
	scan_trouble(r);
	run_claim_round(r);
	return r->npending - before;
}

/* on_member - collect one bundle member pair as a claim. */
static int
on_member(void *arg, const struct drop *d)
{
	struct run *r = ((void **)arg)[0];
	const char *src = ((void **)arg)[1];
	struct err e;

	if (r->nclaims >= CLAIM_MAX)
		return 1;	/* the caller comes back for the rest */
	if (d->kind == DROP_DOC && spool_claim_prepare(&r->spool, d, src, &r->claims[r->nclaims],
						       &e) == 0)
		r->nclaims++;
	return 0;
}

/* count_stray - a bundle member that is not half of a pair (a bundle in a bundle, a .txt). */
static int
count_stray(void *arg, const struct drop *d)
{
	if (d->kind != DROP_DOC)
		++*(int *)arg;
	return 0;
}

/* count_pairs - a member pair still in the bundle's folder (not claimed). */
static int
count_pairs(void *arg, const struct drop *d)
{
	if (d->kind == DROP_DOC)
		++*(int *)arg;
	return 0;
}

/* check_pairs - every member is half of a PDF+sidecar pair. */
static int
check_pairs(int dirfd, const char *pd, struct err *e)
{
	struct scan_stats st = { 0 };
	int stray = 0;

	if (spool_scan_dirfd(dirfd, pd, time(NULL) + 3600, 0, 0, count_stray, &stray, &st) < 0)
		return err_set(e, "io.error", "cannot list bundle members");
	if (st.waiting || stray)
		return err_set(e, "bundle.unpaired", "%d anggota tanpa pasangan PDF atau metadata "
			       "paraf, %d berkas lain", st.waiting, stray);
	return 0;
}

/* bundle_job - unpack a bundle into queue/<id>.x and claim its pairs as ordinary jobs. */
static void
bundle_job(struct run *r, struct job *j)
{
	struct bundle_limits lim = { r->cfg->limits.bundle_max_entries,
				     r->cfg->limits.bundle_max_bytes };
	char src[PATH_MAX], x[JOBID_LEN + 16], in[JOBID_LEN + 16];
	void *arg[2] = { r, src };
	struct scan_stats st = { 0 };
	int qfd = r->spool.queue_fd, xfd = -1, left = 0, held = 0;
	size_t claimed;
	struct err e;

	spool_qname(x, sizeof x, j->id, "x");
	spool_qname(in, sizeof in, j->id, "bundle");
	snprintf(src, sizeof src, "queue/%s", x);
	if (!j->extracted) {
		fs_rm_dir(qfd, x);	/* a half-done earlier extraction */
		if (mkdirat(qfd, x, 0750) < 0 ||
		    (xfd = openat(qfd, x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			err_set(&e, err_io_code(errno), "%s: %s", src, strerror(errno));
			goto fail;
		}
		if (bundle_extract(qfd, in, xfd, &lim, &e) < 0 || check_pairs(xfd, j->pd, &e) < 0)
			goto fail;
		/* members durable before the record says they are all there */
		fs_syncfs(r->spool.root_fd);
		j->extracted = 1;
		if (db_job_progress(r->db, j, &e) < 0) {
			e.code = ERR_RETRY;	/* the database's trouble, not the bundle's: it waits */
			goto fail;
		}
	} else if ((xfd = openat(qfd, x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		err_set(&e, "io.error", "%s: %s", src, strerror(errno));
		goto fail;
	}
	/* Members not yet claimed (all of them, unless a crash interrupted us),
	 * in rounds: the folder must be empty before the bundle may finish. */
	do {
		spool_scan_dirfd(xfd, j->pd, time(NULL) + 3600, 0, 0, on_member, arg, &r->scan);
		claimed = r->nclaims;
		held |= run_claim_round(r) < 0;
	} while (claimed == CLAIM_MAX && !held);
	/* Delivering the bundle removes its folder: never with a member in it
	 * whose claim could not be recorded.  It stays open for the next start. */
	if (!held && spool_scan_dirfd(xfd, j->pd, time(NULL) + 3600, 0, 0, count_pairs, &left,
				      &st) < 0)
		left = -1;
	close(xfd);
	if (held)
		run_wait_queued(r, j, "some of its members could not be taken yet");
	else if (left != 0)
		log_err(j->id, "%s/%s: members could not be %s; the bundle stays queued for the next "
			"start", j->pd, j->pdf, left < 0 ? "listed" : "claimed");
	else
		run_finish(r, j, 0, NULL);
	return;
fail:
	if (xfd >= 0)
		close(xfd);
	fs_rm_dir(qfd, x);
	j->extracted = 0;	/* a bundle that waits (ERR_RETRY) is unpacked again */
	commit_fail(&r->cenv, run_finish(r, j, 1, NULL), STEP_UNPACK, &e);
}

/* master_job - jobs the master finishes itself: bundles, refused drops. */
void
run_master_job(struct run *r, struct job *j)
{
	struct err e;

	if (j->kind == DROP_BUNDLE) {
		bundle_job(r, j);
		return;
	}
	const char *code = j->reject_code ? j->reject_code : "input.unsupported";
	char pds[512] = "";
	size_t i;

	/* what the administrator reads in the report: in Bahasa Indonesia */
	for (i = 0; i < r->cfg->npds; i++)
		snprintf(pds + strlen(pds), sizeof pds - strlen(pds), "%s%s", i ? ", " : "",
			 r->cfg->pd_codes[i]);
	if (!strcmp(code, "input.upload_rest")) {
		char detail[sizeof e.detail];
		upload_rest_detail(r->db, &r->spool, j, rest_since(), detail, sizeof detail);
		err_set(&e, code, "%s", detail);
	} else if (!strcmp(code, "input.unknown_pd") || !strcmp(code, "input.no_pd"))
		err_set(&e, code, "%s/%s; folder Perangkat Daerah yang dikenal: %s",
			strcmp(j->src, "incoming/.") ? j->src : "incoming", j->pdf,
			pds[0] ? pds : "lihat folder yang sudah ada di incoming/");
	else
		err_set(&e, code, "%s/%s: %s", j->pd, j->pdf,
			!strcmp(code, "input.symlink") ? "berupa tautan (symbolic link)" :
			!strcmp(code, "sidecar.missing") ? "metadata paraf (.yaml) tidak datang dalam "
			"batas waktu tunggu" :
			!strcmp(code, "input.unpaired") ? "PDF-nya tidak datang dalam batas waktu tunggu" :
			"bukan pasangan PDF dan metadata paraf, dan bukan arsip ZIP/TAR");
	commit_fail(&r->cenv, run_finish(r, j, 1, NULL), STEP_INTAKE, &e);
}

/*
 * recover - resume what a previous run left: claims without an outcome go
 * back to pending (their inputs moved in if a rename was lost), jobs with an
 * outcome finish leaving the queue.  Queue files with no claim record at all
 * cannot come from sertel's own ordering; they are set aside, never deleted.
 * -1 when the open claims cannot be listed whole: nothing is touched, and
 * the run stops (EX_TEMPFAIL) rather than go on without some of them.
 * One line sums it up (a night of restarts may find tens of thousands of
 * open jobs each time); the line per job is for -v.
 */
int
run_recover(struct run *r)
{
	char **ids = NULL, stem[NAME_MAX + 1];
	struct job *open = NULL, j;
	size_t n = 0, nopen = 0, i, resumed = 0, delivered = 0;
	struct err e;
	int state, ntemp;

	if (db_jobs_open(r->db, &open, &nopen) < 0) {
		log_err(NULL, "recovery: cannot list the open jobs; everything stays queued for "
			"the next start");
		return -1;
	}
	for (i = 0; i < nopen; i++) {
		if (spool_claim_commit(&r->spool, &open[i], &e) < 0) {
			if (err_is_retry(&e))
				run_wait_queued(r, &open[i], e.detail);
			else
				run_vanished(r, &open[i], &e);
			continue;
		}
		log_debug(open[i].id, "recovered %s/%s", open[i].pd, open[i].pdf);
		resumed++;
		run_push_pending(r, &open[i]);
		r->total_seen++;
	}
	free(open);
	/* writes a kill cut short (a store copy, a report): never anything else */
	if ((ntemp = spool_clean_temps(&r->spool) + store_clean_temps(&r->cenv.store)) > 0)
		log_info(NULL, "recovery: removed %d temporary file(s) left by a stopped sertel",
			 ntemp);
	if (spool_queue_list(&r->spool, &ids, &n) < 0) {
		log_err(NULL, "recovery: cannot list %s/queue: %s; everything stays queued for the "
			"next start", r->spool.root, strerror(errno));
		return -1;
	} else {
		for (i = 0; i < n; i++) {
			int rc = db_job_get(r->db, ids[i], &j, &state, stem, sizeof stem);
			if (rc == 1 && state != DB_OPEN) {
				if (spool_deliver(&r->spool, &j, state == DB_FAILED, stem) == 0) {
					spool_job_remove(&r->spool, j.id);
					delivered++;
				} else {	/* the loop retries it */
					run_wait_delivery(r, &j, state == DB_FAILED, stem, 0);
				}
			} else if (rc == 0) {
				log_err(ids[i], "queue files without a claim record: moved to corrupt/");
				spool_set_aside(&r->spool, ids[i]);
			}
			free(ids[i]);
		}
		free(ids);
	}
	fs_syncfs(r->spool.root_fd);
	if (resumed || delivered)
		log_info(NULL, "recovery: %zu open job(s) of an earlier run queued again, %zu "
			 "committed job(s) delivered%s", resumed, delivered,
			 resumed ? " (sertel -v lists each job)" : "");
	return 0;
}
