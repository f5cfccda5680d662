/*
 * run.c - the master loop (see run.h).
 *
 * Jobs flow: drops -> claimed (pending) -> in a worker -> finished -> group
 * commit.  Bundles and rejects never reach a worker: the master unpacks or
 * refuses them.  Recovery at start-up turns whatever a crash left in the
 * queue back into pending or finished jobs, so it is just the first step of
 * the same loop.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../pki/signers.h"
#include "../spool/bundle.h"
#include "../spool/fsutil.h"
#include "../spool/instance.h"
#include "audit_events.h"
#include "cert_remind.h"
#include "commit.h"
#include "committer.h"
#include "fdlimit.h"
#include "pool.h"
#include "run.h"
#include "worker.h"

#define CLAIM_MAX 1024		/* drops claimed per scan round */
#define HOLD_SECONDS 30		/* watch: held jobs are tried again after this */
#define DELIVER_TRIES 4		/* run --once: delivery retries before it exits 75 */
#define DELIVER_BACKOFF_MAX 60.0	/* watch: seconds between delivery retries, at most */

/* A job whose outcome is recorded but whose move out of the queue failed. */
struct undelivered {
	struct job job;
	int failed;
	int counted;			/* committed by this run: counted once it is out */
	int moved;
	char stem[NAME_MAX + 1];
};

struct run {
	struct cfg *cfg;
	struct spool spool;
	struct db *db;
	struct signer_set signers;
	struct signer_set *kept;	/* the keys before a reload (signers_reload) */
	struct pool pool;
	struct worker_env wenv;
	struct commit_env cenv;
	int state_fd, inotify_fd, watch, tty;
	struct job *pending;		/* FIFO */
	size_t head, npending, cap_pending;
	struct finished *fin;		/* the batch being filled */
	size_t nfin, cap_fin;
	struct finished *spare;		/* the other buffer: with the committer, or free */
	struct committer *committer;
	int failed_commit;
	struct job *claims;		/* one scan round */
	size_t nclaims;
	long nsigned, nfailed, total_seen;
	/* held by a temporary condition (a full disk): see hold() */
	struct job *held;		/* watch: to try again after HOLD_SECONDS */
	size_t nheld_jobs, cap_held;
	long nheld;			/* held this run: --once exits 75 */
	int held_row, held_commits;	/* holds in a row: from workers, from commits */
	int claims_wait;		/* a claim could not be recorded or moved: claim nothing */
	double held_at;			/* clock_mono() of the last hold; 0: none waiting */
	char held_why[400];
	struct scan_stats scan;
	double t0;
	struct undelivered *undel;	/* retried with a back-off until delivered */
	size_t nundel, cap_undel;
	double redeliver_at, backoff;
	char deliver_why[512];		/* the last round's failures: folder and errno */
	/* a condition that passes (descriptors, a locked or full database): no
	 * more claims; what is in hand finishes, the rest waits queued (exit 75) */
	int tempfail, restore;		/* restore: the database is damaged (exit 74) */
	long ndeferred;			/* jobs left queued for the next run */
	int unreadable;			/* PD folders the last scan could not list */
};

static volatile sig_atomic_t stop_requested, reload_requested;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
}

/* push_pending - queue a claimed job for a worker (or for the master, if not a document). */
static int
push_pending(struct run *r, const struct job *j)
{
	if (r->head + r->npending == r->cap_pending) {
		if (r->head > 0) {
			memmove(r->pending, r->pending + r->head, r->npending * sizeof *r->pending);
			r->head = 0;
		} else {
			size_t cap = r->cap_pending ? r->cap_pending * 2 : 256;
			struct job *v = realloc(r->pending, cap * sizeof *v);
			if (!v)
				return -1;
			r->pending = v;
			r->cap_pending = cap;
		}
	}
	r->pending[r->head + r->npending++] = *j;
	return 0;
}

/*
 * hold - j cannot go on now (a temporary condition: a full disk): its claim
 * stays open, no attempt is counted, nothing is refused.  --once leaves it
 * to the next run (which exits 75); watch tries it again after HOLD_SECONDS.
 */
static void
hold(struct run *r, const struct job *j, const char *why)
{
	/* the next attempt starts from the input as it came (no revision of ours) */
	if (j->kind == DROP_DOC && spool_restore_input(&r->spool, j) < 0)
		log_err(j->id, "cannot restore the original: %s", strerror(errno));
	r->nheld++;
	r->held_at = clock_mono();
	snprintf(r->held_why, sizeof r->held_why, "%s", why);
	log_warn(j->id, "%s/%s stays queued for %s: %s", j->pd, j->pdf,
		 r->watch ? "a later attempt" : "the next run", why);
	if (!r->watch)
		return;
	if (r->nheld_jobs == r->cap_held) {
		size_t cap = r->cap_held ? r->cap_held * 2 : 64;
		struct job *v = realloc(r->held, cap * sizeof *v);
		if (!v)
			return;		/* its open claim brings it back at the next start */
		r->held = v;
		r->cap_held = cap;
	}
	r->held[r->nheld_jobs++] = *j;
}

/*
 * paused - more holds in a row than workers, with nothing going through
 * between (in the workers, or in the commit): take no more work (--once
 * ends, watch waits HOLD_SECONDS) rather than try document after document
 * against a full disk.  One document too large for the room left holds
 * only itself: the others go on.
 */
static int
paused(const struct run *r)
{
	return r->held_row > r->pool.n || r->held_commits > r->pool.n || r->claims_wait;
}

static int commit(struct run *r, int wait);

/* wait_delivery - keep a recorded job whose delivery failed for redeliver(). */
static void
wait_delivery(struct run *r, const struct job *j, int failed, const char *stem, int counted)
{
	struct undelivered *u;

	if (r->nundel == r->cap_undel) {
		size_t cap = r->cap_undel ? r->cap_undel * 2 : 64;
		if (!(u = realloc(r->undel, cap * sizeof *u))) {
			log_err(j->id, "out of memory: its delivery waits for the next start");
			return;
		}
		r->undel = u;
		r->cap_undel = cap;
	}
	if (r->nundel == 0) {
		r->backoff = 1.0;
		r->redeliver_at = clock_mono() + r->backoff;
	}
	u = &r->undel[r->nundel++];
	memset(u, 0, sizeof *u);
	u->job = *j;
	u->failed = failed;
	u->counted = counted;
	snprintf(u->stem, sizeof u->stem, "%s", stem);
}

/* why_add - name a folder that refused a delivery, once, as far as the room goes. */
static void
why_add(struct run *r, const struct undelivered *u, int err)
{
	size_t n = strlen(r->deliver_why);
	char item[PD_MAX + 96];

	snprintf(item, sizeof item, "%s/%s: %s", u->failed ? "failed" : "done", u->job.pd,
		 strerror(err));
	if (!strstr(r->deliver_why, item) && n + strlen(item) + 3 < sizeof r->deliver_why)
		snprintf(r->deliver_why + n, sizeof r->deliver_why - n, "%s%s", n ? "; " : "", item);
}

/*
 * redeliver - retry the moves out of the queue that failed after the outcome
 * was recorded (done/<pd> or failed/<pd> not writable): spool_deliver moves
 * what is left under the recorded name.  Only while the committer is idle,
 * which shares the spool's folder cache.  A failed round doubles the wait.
 */
static void
redeliver(struct run *r)
{
	size_t i, k, moved = 0;

	if (r->nundel == 0 || committer_busy(r->committer))
		return;
	r->deliver_why[0] = '\0';
	for (i = 0; i < r->nundel; i++) {
		struct undelivered *u = &r->undel[i];
		if (spool_deliver(&r->spool, &u->job, u->failed, u->stem) == 0) {
			u->moved = 1;
			moved++;
		} else {
			why_add(r, u, errno);
		}
	}
	/* the renames durable before the queue's leftovers go, as in commit_batch */
	if (moved && fs_syncfs(r->spool.root_fd) < 0) {
		snprintf(r->deliver_why, sizeof r->deliver_why, "syncfs: %s", strerror(errno));
		moved = 0;
	}
	for (i = k = 0; i < r->nundel; i++) {
		struct undelivered *u = &r->undel[i];
		if (!moved || !u->moved) {
			u->moved = 0;
			r->undel[k++] = *u;
			continue;
		}
		spool_job_remove(&r->spool, u->job.id);
		audit_delivered(r->db, &u->job, u->failed, u->stem);
		if (u->counted && u->failed)
			r->nfailed++;
		else if (u->counted && u->job.kind == DROP_DOC)
			r->nsigned++;
	}
	if (moved)
		log_info(NULL, "delivered %zu document(s) that waited for delivery", moved);
	r->nundel = k;
	if (k == 0)
		return;
	r->backoff = moved ? 1.0 : r->backoff * 2 > DELIVER_BACKOFF_MAX ? DELIVER_BACKOFF_MAX :
		     r->backoff * 2;
	r->redeliver_at = clock_mono() + r->backoff;
	log_warn(NULL, "%zu document(s) wait for delivery (%s); next try in %.0f s", k,
		 r->deliver_why, r->backoff);
}

/* nwaiting - recorded jobs still in the queue: signed documents (failed=0) or refusals. */
static long
nwaiting(const struct run *r, int failed)
{
	long n = 0;
	size_t i;

	for (i = 0; i < r->nundel; i++)
		if (r->undel[i].failed == failed && (failed || r->undel[i].job.kind == DROP_DOC))
			n++;
	return n;
}

/*
 * wait_queued - j cannot go on now, for a reason that passes.  --once: it
 * stays queued for the next run, and nothing more is claimed (exit 75).
 * watch: it is held like a document on a full disk, and claiming pauses
 * until the held jobs are tried again (unhold redoes an unfinished claim).
 */
static void
wait_queued(struct run *r, const struct job *j, const char *why)
{
	if (r->watch) {
		hold(r, j, why);
		r->claims_wait = 1;
		return;
	}
	log_warn(j->id, "%s/%s stays queued for the next run: %s", j->pd, j->pdf, why);
	r->ndeferred++;
	r->tempfail = 1;
}

/* finish - add a job to the batch waiting for the group commit (committing a full one). */
static struct finished *
finish(struct run *r, const struct job *j, int failed, struct outcome *out)
{
	struct finished *f;

	if (r->nfin == r->cap_fin)
		commit(r, 0);	/* hands the full buffer over, waiting for the last one if needed */
	f = &r->fin[r->nfin++];

	memset(f, 0, sizeof *f);
	f->job = *j;
	f->failed = failed;
	f->out = out;
	return f;
}

/* account - count and log a committed batch, and free its outcomes. */
static void
account(struct run *r, struct finished *v, size_t n, int rc)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct finished *f = &v[i];
		int worker_said = f->out && !f->out->ok;
		if (rc == 0 && !f->retry && !f->moved)	/* counted when it is out of the queue */
			wait_delivery(r, &f->job, f->failed, f->stem, 1);
		if (rc == 0 && f->retry) {
			r->held_commits++;
			hold(r, &f->job, f->err.detail);
		} else if (rc == 0 && f->failed) {
			r->held_commits = 0;
			r->nfailed += f->moved;
			log_info(f->job.id, "%s/%s failed: %s: %s", f->job.pd, f->job.pdf,
				 worker_said ? f->out->code : f->err.code,
				 worker_said ? f->out->detail : f->err.detail);
		} else if (rc == 0 && f->job.kind == DROP_DOC) {
			r->held_commits = 0;
			r->nsigned += f->moved;
			log_debug(f->job.id, "%s/%s signed -> done/%s/%s.pdf", f->job.pd, f->job.pdf,
				  f->job.pd, f->stem);
		}
		free(f->out);
		f->out = NULL;
	}
}

/* reap - take back the committer's batch if it is done (wait=1: wait for it). */
static int
reap(struct run *r, int wait)
{
	struct finished *v;
	struct err e;
	size_t n;
	int rc;

	if (!committer_reap(r->committer, wait, &v, &n, &rc, &e))
		return 0;
	account(r, v, n, rc);
	r->spare = v;
	if (rc < 0) {
		log_err(NULL, "commit failed: %s; its jobs stay queued for the next start", e.detail);
		r->restore |= db_needs_restore(&e);
		r->failed_commit = 1;
		return -1;
	}
	return 0;
}

/* commit - hand the filled batch to the committer; wait=1 also waits for it. */
static int
commit(struct run *r, int wait)
{
	struct finished *v;

	if (r->nfin > 0) {
		if (committer_busy(r->committer) && reap(r, 1) < 0)
			return -1;
		v = r->fin;
		r->fin = r->spare;
		r->spare = NULL;
		committer_submit(r->committer, v, r->nfin);
		r->nfin = 0;
	}
	if (wait && committer_busy(r->committer))
		return reap(r, 1);
	return r->failed_commit ? -1 : 0;
}

/* progress - one updating line on a terminal. */
static void
progress(struct run *r, int last)
{
	double dt = clock_mono() - r->t0;

	if (!r->tty)
		return;
	fprintf(stderr, "\r%ld signed, %ld failed, %zu waiting, %d working, %.1f docs/s   %s",
		r->nsigned, r->nfailed, r->npending, pool_busy(&r->pool),
		dt > 0 ? (double)(r->nsigned + r->nfailed) / dt : 0.0, last ? "\n" : "");
}

/* on_drop - collect one drop of a scan round. */
static int
on_drop(void *arg, const struct drop *d)
{
	struct run *r = arg;
	char src[PATH_MAX];
	struct err e;

	if (r->nclaims >= CLAIM_MAX)
		return 1;
	snprintf(src, sizeof src, "incoming/%s", d->pd);
	if (spool_claim_prepare(&r->spool, d, src, &r->claims[r->nclaims], &e) < 0) {
		log_err(NULL, "claim %s/%s: %s", d->pd, d->pdf, e.detail);
		return 1;
	}
	r->nclaims++;
	return 0;
}

/* vanished - close the claim of an input that disappeared before it moved. */
static void
vanished(struct run *r, struct job *j, const struct err *why)
{
	struct err e;

	if (err_is_retry(why)) {
		/* a rename found no room: the claim stays open and its renames are
		 * redone later (as at start-up); nothing is claimed meanwhile, or
		 * what is still in incoming/ would be claimed twice */
		r->claims_wait = 1;
		hold(r, j, why->detail);
		return;
	}
	log_warn(j->id, "claim of %s/%s: %s", j->src, j->pdf, why->detail);
	spool_release(&r->spool, j);	/* whatever half had moved goes back */
	err_set(&e, "io.error", "%s/%s disappeared while it was being taken (%s); if it is "
		"still there it will be taken again", j->pd, j->pdf, why->detail);
	commit_fail(&r->cenv, finish(r, j, 1, NULL), STEP_INTAKE, &e);
}

/*
 * claim_round - record the round's claims (one transaction), then move the
 * inputs.  No sync is needed after the renames: until an outcome is
 * committed (which syncs first), recovery can redo a rename that was lost.
 * -1 when some claim waits for the next run (not recorded, or not moved).
 */
static int
claim_round(struct run *r)
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
				wait_queued(r, &r->claims[i], e.detail);
				rc = -1;
			} else
				vanished(r, &r->claims[i], &e);
			continue;
		}
		push_pending(r, &r->claims[i]);
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
static size_t
scan_incoming(struct run *r, long settle)
{
	size_t before = r->npending;

	memset(&r->scan, 0, sizeof r->scan);
	if (spool_scan(&r->spool, time(NULL), settle, r->cfg->limits.sidecar_wait_seconds, on_drop,
		       r, &r->scan) < 0) {
		r->scan.unreadable = -1;
		r->scan.unreadable_errno = errno;
	}
	scan_trouble(r);
	claim_round(r);
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
		return err_set(e, "bundle.unpaired", "%d member(s) without their PDF or sidecar, "
			       "%d other file(s)", st.waiting, stray);
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
		held |= claim_round(r) < 0;
	} while (claimed == CLAIM_MAX && !held);
	/* Delivering the bundle removes its folder: never with a member in it
	 * whose claim could not be recorded.  It stays open for the next start. */
	if (!held && spool_scan_dirfd(xfd, j->pd, time(NULL) + 3600, 0, 0, count_pairs, &left,
				      &st) < 0)
		left = -1;
	close(xfd);
	if (held)
		wait_queued(r, j, "some of its members could not be taken yet");
	else if (left != 0)
		log_err(j->id, "%s/%s: members could not be %s; the bundle stays queued for the next "
			"start", j->pd, j->pdf, left < 0 ? "listed" : "claimed");
	else
		finish(r, j, 0, NULL);
	return;
fail:
	if (xfd >= 0)
		close(xfd);
	fs_rm_dir(qfd, x);
	j->extracted = 0;	/* a bundle that waits (ERR_RETRY) is unpacked again */
	commit_fail(&r->cenv, finish(r, j, 1, NULL), STEP_UNPACK, &e);
}

/* master_job - jobs the master finishes itself: bundles and refused drops. */
static void
master_job(struct run *r, struct job *j)
{
	struct err e;

	if (j->kind == DROP_BUNDLE) {
		bundle_job(r, j);
		return;
	}
	const char *code = j->reject_code ? j->reject_code : "input.unsupported";

	err_set(&e, code, "%s/%s: %s", j->pd, j->pdf,
		!strcmp(code, "input.symlink") ? "a symbolic link" :
		!strcmp(code, "sidecar.missing") ? "no sidecar arrived within the waiting time" :
		!strcmp(code, "input.unpaired") ? "no PDF arrived within the waiting time" :
		"not a PDF+sidecar pair or a bundle");
	commit_fail(&r->cenv, finish(r, j, 1, NULL), STEP_INTAKE, &e);
}

/* dispatch - hand pending jobs to idle workers while the batch has room. */
static void
dispatch(struct run *r)
{
	size_t batch = (size_t)r->cfg->limits.batch_size;
	int slot;

	while (r->npending > 0 && !paused(r) && r->nfin + (size_t)pool_busy(&r->pool) < batch) {
		struct job *j = &r->pending[r->head];
		if (j->kind != DROP_DOC) {
			struct job copy = *j;
			r->head++;
			r->npending--;
			master_job(r, &copy);
			continue;
		}
		if ((slot = pool_idle(&r->pool)) < 0)
			break;
		pool_submit(&r->pool, slot, j);
		r->head++;
		r->npending--;
	}
}

/* leave_pending - every job not yet started stays queued, claimed, for the next run. */
static void
leave_pending(struct run *r, const char *why)
{
	log_warn(NULL, "%s: %zu job(s) not started stay queued for the next run", why,
		 r->npending);
	r->ndeferred += (long)r->npending;
	r->head += r->npending;
	r->npending = 0;
	r->tempfail = 1;
}

/*
 * no_workers - documents wait and no slot has a worker (restarts failed):
 * start them again, or leave the documents queued (1: the run ends, 75).
 */
static int
no_workers(struct run *r)
{
	char why[128];

	if (pool_idle(&r->pool) >= 0 || pool_respawn(&r->pool) > 0)
		return 0;
	snprintf(why, sizeof why, "no worker process can be started (%s)", strerror(errno));
	leave_pending(r, why);
	return 1;
}

/* on_lost - a worker died holding j: retry, or fail it after max_attempts. */
static void
on_lost(struct run *r, struct pool_event *ev)
{
	struct job *j = &ev->job;
	struct err e;

	j->attempts++;
	log_warn(j->id, "worker lost on %s/%s (%s), attempt %d of %d", j->pd, j->pdf, ev->why,
		 j->attempts, r->cfg->limits.max_attempts);
	/* a poison document must not loop across restarts either */
	if (db_job_progress(r->db, j, &e) < 0)
		log_err(j->id, "cannot record the attempt: %s", e.detail);
	if (j->attempts < r->cfg->limits.max_attempts) {
		push_pending(r, j);
		return;
	}
	err_set(&e, ev->timed_out ? "worker.timeout" : "worker.crashed",
		"%s: worker %s, %d attempts", j->pdf, ev->why, j->attempts);
	commit_fail(&r->cenv, finish(r, j, 1, NULL), STEP_PROCESS, &e);
}

/* collect - wait for workers, the committer and inotify; returns 1 when inotify fired. */
static int
collect(struct run *r, int timeout_ms)
{
	static struct pool_event ev[4];
	int extra[2] = { committer_fd(r->committer), r->inotify_fd };
	unsigned ready = 0;
	int n, i;

	n = pool_wait(&r->pool, extra, 2, timeout_ms, ev, 4, &ready);
	for (i = 0; i < n; i++) {
		struct outcome *o;
		if (ev[i].kind == POOL_DONE && ev[i].out.retry) {
			/* not refused, not a crash: it waits, no attempt counted */
			r->held_row++;
			hold(r, &ev[i].job, ev[i].out.detail);
		} else if (ev[i].kind == POOL_DONE && (o = malloc(sizeof *o)) != NULL) {
			*o = ev[i].out;
			finish(r, &ev[i].job, !o->ok, o);
			r->held_row = 0;
		} else {
			on_lost(r, &ev[i]);
		}
	}
	if (ready & 1)
		reap(r, 0);
	return (ready & 2) != 0;
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
static int
recover(struct run *r)
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
				wait_queued(r, &open[i], e.detail);
			else
				vanished(r, &open[i], &e);
			continue;
		}
		log_debug(open[i].id, "recovered %s/%s", open[i].pd, open[i].pdf);
		resumed++;
		push_pending(r, &open[i]);
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
					wait_delivery(r, &j, state == DB_FAILED, stem, 0);
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

/* watch_add - watch incoming/ and every PD folder in it for finished drops. */
static void
watch_add(struct run *r)
{
	char path[PATH_MAX + NAME_MAX + 16];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof path, "%s/incoming", r->spool.root);
	inotify_add_watch(r->inotify_fd, path, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
	if (!(dir = opendir(path)))
		return;
	while ((d = readdir(dir)) != NULL)
		if (spool_pd_valid(d->d_name)) {
			snprintf(path, sizeof path, "%s/incoming/%s", r->spool.root, d->d_name);
			inotify_add_watch(r->inotify_fd, path,
					  IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR);
		}
	closedir(dir);
}

/* watch_drain - consume inotify events; new PD folders get their own watch. */
static void
watch_drain(struct run *r)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(r->inotify_fd, buf, sizeof buf) > 0)
		;
	/* Adding a watch twice is harmless; this also covers IN_Q_OVERFLOW. */
	watch_add(r);
}

/* setup - everything the loop needs; workers fork after keys are loaded. */
static int
setup(struct run *r, struct err *e)
{
	struct stat a, b;
	struct fd_budget fdb;
	int n = r->cfg->workers > 0 ? r->cfg->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);

	/* before anything is opened or moved: a run that would run out of
	 * descriptors half-way must not start */
	if (fdlimit_plan(n < 1 ? 1 : n, &fdb, e) < 0)
		return -1;
	if (spool_open(&r->spool, r->cfg->spool_dir, e) < 0)
		return -1;
	spool_cache_limit(&r->spool, fdb.pd_dirs);
	if (fs_mkdirs(r->cfg->state_dir, 0750) < 0 ||
	    (r->state_fd = open(r->cfg->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "state %s: %s", r->cfg->state_dir, strerror(errno));
	if (signers_reload(r->cfg, &r->signers, r->kept) < 0)
		return err_set(e, "io.error", "out of memory loading signers");
	if (signers_misnamed(&r->signers, e) && !r->kept->keys)	/* at start-up: 78, not a run */
		return -1;
	r->wenv = (struct worker_env){ .cfg = r->cfg, .signers = &r->signers, .spool = &r->spool };
	if (pool_start(&r->pool, n < 1 ? 1 : n, r->cfg->limits.doc_timeout_seconds, worker_main,
		       &r->wenv) < 0)
		return err_set(e, "io.error", "cannot start workers: %s", strerror(errno));
	/* two connections: claims from this thread, outcomes from the commit thread */
	if (!(r->db = db_open(r->cfg->state_dir, e)) ||
	    !(r->cenv.db = db_open(r->cfg->state_dir, e)) ||
	    audit_config(r->db, r->cfg->path, e) < 0)
		return -1;
	r->cenv.head_prio = r->watch ? LOG_INFO_ : LOG_DEBUG_;
	r->cenv.spool = &r->spool;
	r->cenv.state_fd = r->state_fd;
	store_init(&r->cenv.store, r->state_fd);
	store_limit(&r->cenv.store, fdb.store_dirs);
	r->cenv.same_fs = fstat(r->spool.root_fd, &a) == 0 && fstat(r->state_fd, &b) == 0 &&
			  a.st_dev == b.st_dev;
	r->cap_fin = (size_t)r->cfg->limits.batch_size + CLAIM_MAX;
	r->fin = calloc(r->cap_fin, sizeof *r->fin);
	r->spare = calloc(r->cap_fin, sizeof *r->spare);
	r->claims = calloc(CLAIM_MAX, sizeof *r->claims);
	if (!r->fin || !r->spare || !r->claims)
		return err_set(e, "io.error", "out of memory");
	if (!(r->committer = committer_start(&r->cenv)))
		return err_set(e, "io.error", "cannot start the commit thread: %s", strerror(errno));
	r->inotify_fd = -1;
	if (r->watch) {
		r->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (r->inotify_fd < 0)
			return err_set(e, "io.error", "inotify: %s", strerror(errno));
		watch_add(r);
	}
	return 0;
}

static void
teardown(struct run *r)
{
	if (r->committer) {
		reap(r, 1);
		committer_stop(r->committer);
	}
	if (r->pool.s)
		pool_stop(&r->pool);
	signers_free(&r->signers);
	commit_env_close(&r->cenv);
	db_close(r->cenv.db);
	db_close(r->db);
	if (r->inotify_fd >= 0)
		close(r->inotify_fd);
	if (r->state_fd > 0)
		close(r->state_fd);
	spool_close(&r->spool);
	free(r->pending);
	free(r->fin);
	free(r->spare);
	free(r->claims);
	free(r->held);
	free(r->undel);
}

/* queued - j's inputs are all in queue/ (its claim moved them in whole). */
static int
queued(const struct run *r, const struct job *j)
{
	char name[JOBID_LEN + 16];
	struct stat st;

	spool_qname(name, sizeof name, j->id, spool_input_part(j));
	if (fstatat(r->spool.queue_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (j->kind != DROP_DOC || !j->meta[0])
		return 1;
	spool_qname(name, sizeof name, j->id, "yaml");
	return fstatat(r->spool.queue_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * unhold - watch: HOLD_SECONDS after the last hold, the held jobs go back
 * into the queue, their claims redone first as at start-up (a rename may
 * have been what found no room), and claiming resumes.
 */
static void
unhold(struct run *r)
{
	size_t i, n = r->nheld_jobs;
	struct err e;

	if (!r->watch || r->held_at == 0 || clock_mono() - r->held_at < HOLD_SECONDS)
		return;
	r->held_row = r->held_commits = r->claims_wait = 0;
	r->held_at = 0;
	r->nheld_jobs = 0;	/* a job held again is put back at or before i */
	for (i = 0; i < n; i++) {
		struct job j = r->held[i];
		/* only a claim that did not move in whole is redone: a new drop of the
		 * same name in incoming/ must not be renamed over a queued input */
		if (!queued(r, &j) && spool_claim_commit(&r->spool, &j, &e) < 0)
			vanished(r, &j, &e);
		else
			push_pending(r, &j);
	}
}

/* loop - the steady state, shared by --once and watch. */
static int
loop(struct run *r)
{
	long settle = r->cfg->limits.settle_seconds;
	double last_scan = 0;
	int rescan = 1;

	for (;;) {
		unhold(r);
		/* a stop or a reload drains what is in hand before it happens */
		if (!stop_requested && !reload_requested && !paused(r) && !r->tempfail &&
		    r->npending < (size_t)r->pool.n * 2 &&
		    (rescan || (r->watch && clock_mono() - last_scan >= 1.0))) {
			scan_incoming(r, settle);
			last_scan = clock_mono();
			rescan = 0;
		}
		/* after a condition that passes, what is in hand finishes and nothing more starts */
		if (r->tempfail && r->npending > 0)
			leave_pending(r, "after a temporary failure");
		dispatch(r);
		if (pool_busy(&r->pool) == 0 && r->npending > 0 && no_workers(r))
			continue;
		if (pool_busy(&r->pool) == 0 && (r->npending == 0 || paused(r))) {
			if (commit(r, 1) < 0)
				return -1;
			if (stop_requested || reload_requested || r->tempfail)
				return 0;
			if (!r->watch) {
				/* --once: done when a fresh scan finds nothing new, or
				 * when held: what is left waits for the next run */
				if (paused(r) || scan_incoming(r, settle) == 0)
					return 0;
				continue;
			}
		}
		if (collect(r, r->watch && pool_busy(&r->pool) == 0 ? 1000 : 200)) {
			watch_drain(r);
			rescan = 1;
		}
		/* a full batch goes as soon as the committer is free; the next one fills meanwhile */
		if (r->nfin >= (size_t)r->cfg->limits.batch_size && !committer_busy(r->committer))
			if (commit(r, 0) < 0)
				return -1;
		if (r->failed_commit)
			return -1;
		if (r->nundel > 0 && clock_mono() >= r->redeliver_at)
			redeliver(r);
		if (!r->watch && r->npending < (size_t)r->pool.n)
			rescan = 1;
		cert_remind(r->db, r->cfg, r->watch, time(NULL));	/* watch: once a day */
		progress(r, 0);
	}
}

/* deliver_before_exit - run --once: a few spaced tries more before it gives up (exit 75). */
static void
deliver_before_exit(struct run *r)
{
	struct timespec ts = { 0, 500000000L };
	char archives[64] = "";
	long nsig, nref;
	int i;

	for (i = 0; i < DELIVER_TRIES && r->nundel > 0 && !stop_requested; i++) {
		if (i > 0) {
			nanosleep(&ts, NULL);	/* a signal cuts it short: stop_requested */
			ts.tv_sec = ts.tv_sec * 2 + ts.tv_nsec * 2 / 1000000000L;
			ts.tv_nsec = ts.tv_nsec * 2 % 1000000000L;
		}
		redeliver(r);
	}
	if (r->nundel == 0)
		return;
	nsig = nwaiting(r, 0);
	nref = nwaiting(r, 1);
	if ((long)r->nundel > nsig + nref)	/* the rest are unpacked archives */
		snprintf(archives, sizeof archives, " (and %ld archive(s))",
			 (long)r->nundel - nsig - nref);
	log_err(NULL, "%ld signed document(s) and %ld refusal(s)%s wait for delivery (%s): their "
		"outcome is recorded and they stay in %s/queue/; make the folder writable and run "
		"again, which delivers them", nsig, nref, archives, r->deliver_why, r->cfg->spool_dir);
}

/* summary - the closing report of a run. */
static void
summary(struct run *r, int quiet)
{
	double dt = clock_mono() - r->t0;

	progress(r, 1);
	if (quiet)
		return;
	if (r->nundel > 0)
		printf("sertel: %ld signed, %ld waiting for delivery, %ld failed in %.2f s\n",
		       r->nsigned, (long)r->nundel, r->nfailed, dt);
	else
		printf("sertel: %ld signed, %ld failed in %.2f s (%.1f docs/s)\n", r->nsigned,
		       r->nfailed, dt, dt > 0 ? (double)(r->nsigned + r->nfailed) / dt : 0.0);
	if (r->nheld)
		printf("sertel: %ld document(s) left for the next run: %s\n", r->nheld,
		       r->held_why);
	if (r->scan.waiting)
		printf("sertel: %d file(s) waiting for their PDF or sidecar (sent to failed/ after "
		       "%ld s)\n", r->scan.waiting, r->cfg->limits.sidecar_wait_seconds);
	if (r->tempfail)
		printf("sertel: stopped by a temporary condition (see the log): %ld job(s) left "
		       "queued, and what was not taken, wait for the next run\n", r->ndeferred);
	if (r->unreadable)
		printf("sertel: %s could not be read: its drops wait (see the log)\n",
		       r->unreadable < 0 ? "incoming/" : "a PD folder");
	printf("sertel: signed files in %s/done/, refusals in %s/failed/, database %s/sertel.db\n",
	       r->cfg->spool_dir, r->cfg->spool_dir, r->cfg->state_dir);
}

int
run_main(struct cfg *c, int watch, int quiet)
{
	struct signer_set kept = { 0 };
	struct cfg *old = NULL;
	struct sigaction sa;
	struct run r;
	struct err e;
	int rc, lock_fd, fd;

	/* one master per state folder, before the spool or the database is touched */
	if ((lock_fd = instance_lock(c->state_dir, INSTANCE_LOCK, &e)) < 0) {
		log_err(NULL, "%s", e.detail);
		cfg_free(c);
		return EX_TEMPFAIL;
	}
	for (;;) {
		memset(&r, 0, sizeof r);
		r.cfg = c;
		r.kept = &kept;
		r.watch = watch;
		r.tty = isatty(STDERR_FILENO) && !quiet;
		r.t0 = clock_mono();
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		rc = setup(&r, &e);
		/* what a reload did not take over: its configuration went with it */
		signers_free(&kept);
		cfg_free(old);
		old = NULL;
		if (rc < 0) {
			log_err(NULL, "%s", e.detail);
			teardown(&r);
			cfg_free(c);
			close(lock_fd);
			return db_needs_restore(&e) ? EX_IOERR : signers_config_error(&e) ? EX_CONFIG : EX_TEMPFAIL;
		}
		if (recover(&r) < 0) {
			teardown(&r);
			cfg_free(c);
			close(lock_fd);
			return EX_TEMPFAIL;
		}
		rc = loop(&r);
		if (!watch && rc == 0)
			deliver_before_exit(&r);
		if (!watch)
			summary(&r, quiet);
		/* held, recorded-but-undelivered or left documents: the next run takes them */
		rc = r.restore ? EX_IOERR :
		     rc < 0 || r.tempfail || ((r.nheld || r.nundel > 0 || r.unreadable) && !watch) ?
		     EX_TEMPFAIL : r.nfailed && !watch ? 1 : 0;
		/* keys whose passphrase was in the environment survive a reload (signers_reload) */
		kept = r.signers;
		memset(&r.signers, 0, sizeof r.signers);
		teardown(&r);
		if (!reload_requested || stop_requested) {
			signers_free(&kept);
			cfg_free(c);
			close(lock_fd);
			return rc;
		}
		/* SIGHUP: load the configuration again; keep the old one if the new is bad. */
		reload_requested = 0;
		struct cfg *n = cfg_load(c->path, &e);
		fd = -1;
		if (!n) {
			log_err(NULL, "reload refused, keeping the running configuration: %s", e.detail);
		} else if (strcmp(n->state_dir, c->state_dir) &&
			   (fd = instance_lock(n->state_dir, INSTANCE_LOCK, &e)) < 0) {
			log_err(NULL, "reload refused, keeping the running configuration: %s", e.detail);
			cfg_free(n);
		} else {
			if (fd >= 0) {	/* a new state folder: its lock replaces the old one */
				close(lock_fd);
				lock_fd = fd;
			}
			old = c;	/* kept's signers point into it until setup */
			c = n;
			log_info(NULL, "configuration reloaded from %s", c->path);
		}
	}
}
