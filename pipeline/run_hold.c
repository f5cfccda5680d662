/*
 * run_hold.c - what waits (see run_int.h): jobs held by a temporary
 * condition (a full disk, a claim that could not move) and tried again
 * later, and recorded jobs whose delivery out of the queue failed, retried
 * with a back-off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "../spool/fsutil.h"
#include "audit_events.h"
#include "run_int.h"

/*
 * hold - j cannot go on now (a temporary condition: a full disk): its claim
 * stays open, no attempt is counted, nothing is refused.  --once leaves it
 * to the next run (which exits 75); watch tries it again after HOLD_SECONDS.
 */
void
run_hold(struct run *r, const struct job *j, const char *why)
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
int
run_paused(const struct run *r)
{
	return r->held_row > r->pool.n || r->held_commits > r->pool.n || r->claims_wait;
}

/* wait_delivery - keep a recorded job whose delivery failed for run_redeliver(). */
void
run_wait_delivery(struct run *r, const struct job *j, int failed, const char *stem, int counted)
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
void
run_redeliver(struct run *r)
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
		else if (u->counted && u->job.kind == DROP_DELETION)
			r->ndeletions++;
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
long
run_nwaiting(const struct run *r, int failed)
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
void
run_wait_queued(struct run *r, const struct job *j, const char *why)
{
	if (r->watch) {
		run_hold(r, j, why);
		r->claims_wait = 1;
		return;
	}
	log_warn(j->id, "%s/%s stays queued for the next run: %s", j->pd, j->pdf, why);
	r->ndeferred++;
	r->tempfail = 1;
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
	if ((j->kind != DROP_DOC && j->kind != DROP_DELETION) || !j->meta[0])
		return 1;
	spool_qname(name, sizeof name, j->id, spool_meta_part(j));
	return fstatat(r->spool.queue_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * unhold - watch: HOLD_SECONDS after the last hold, the held jobs go back
 * into the queue, their claims redone first as at start-up (a rename may
 * have been what found no room), and claiming resumes.
 */
void
run_unhold(struct run *r)
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
			run_vanished(r, &j, &e);
		else
			run_push_pending(r, &j);
	}
}
