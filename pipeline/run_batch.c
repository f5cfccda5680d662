/*
 * run_batch.c - the batch (see run_int.h): the pending queue, dispatch to
 * workers and what comes back from them, finished jobs and the group commit
 * (handed to the commit thread).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "run_int.h"

/* push_pending - queue a claimed job for a worker (or for the master, if not a document). */
int
run_push_pending(struct run *r, const struct job *j)
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

/* finish - add a job to the batch waiting for the group commit (committing a full one). */
struct finished *
run_finish(struct run *r, const struct job *j, int failed, struct outcome *out)
{
	struct finished *f;

	if (r->nfin == r->cap_fin)
		run_commit(r, 0);	/* hands the full buffer over, waiting for the last one if needed */
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
			run_wait_delivery(r, &f->job, f->failed, f->stem, 1);
		if (rc == 0 && f->retry) {
			r->held_commits++;
			run_hold(r, &f->job, f->err.detail);
		} else if (rc == 0 && f->failed) {
			r->held_commits = 0;
			r->nfailed += f->moved;
			metrics_refused(&r->metrics, worker_said ? f->out->code : f->err.code);
			run_count_refusal(r, f->job.pd, worker_said ? f->out->code : f->err.code);
			log_info(f->job.id, "%s/%s failed: %s: %s", f->job.pd, f->job.pdf,
				 worker_said ? f->out->code : f->err.code,
				 worker_said ? f->out->detail : f->err.detail);
		} else if (rc == 0 && f->job.kind == DROP_DOC) {
			r->held_commits = 0;
			r->nsigned += f->moved;
			metrics_signed(&r->metrics);
			log_debug(f->job.id, "%s/%s signed -> done/%s/%s.pdf", f->job.pd, f->job.pdf,
				  f->job.pd, f->stem);
		} else if (rc == 0 && f->job.kind == DROP_DELETION) {
			r->ndeletions += f->moved;
		}
		free(f->out);
		f->out = NULL;
	}
}

/* reap - take back the committer's batch if it is done (wait=1: wait for it). */
int
run_reap(struct run *r, int wait)
{
	struct finished *v;
	struct err e;
	size_t n;
	int rc;

	if (!committer_reap(r->committer, wait, &v, &n, &rc, &e))
		return 0;
	account(r, v, n, rc);
	r->spare = v;
	r->metrics.batches++;
	r->metrics.batch_seconds = clock_mono() - r->submitted_at;
	r->metrics.batch_seconds_sum += r->metrics.batch_seconds;
	r->metrics.queue = (long long)r->npending;
	if (r->watch && metrics_write(&r->metrics, r->state_fd) < 0)
		log_debug(NULL, "metrics: %s", strerror(errno));
	if (rc < 0) {
		log_err(NULL, "commit failed: %s; its jobs stay queued for the next start", e.detail);
		r->restore |= db_needs_restore(&e);
		r->failed_commit = 1;
		return -1;
	}
	return 0;
}

/* commit - hand the filled batch to the committer; wait=1 also waits for it. */
int
run_commit(struct run *r, int wait)
{
	struct finished *v;

	if (r->nfin > 0) {
		if (committer_busy(r->committer) && run_reap(r, 1) < 0)
			return -1;
		v = r->fin;
		r->fin = r->spare;
		r->spare = NULL;
		committer_submit(r->committer, v, r->nfin);
		r->submitted_at = clock_mono();
		r->nfin = 0;
	}
	if (wait && committer_busy(r->committer))
		return run_reap(r, 1);
	return r->failed_commit ? -1 : 0;
}

/* dispatch - hand pending jobs to idle workers while the batch has room. */
void
run_dispatch(struct run *r)
{
	size_t batch = (size_t)r->cfg->limits.batch_size;
	int slot;

	while (r->npending > 0 && !run_paused(r) && r->nfin + (size_t)pool_busy(&r->pool) < batch) {
		struct job *j = &r->pending[r->head];
		if (j->kind != DROP_DOC && j->kind != DROP_DELETION) {
			struct job copy = *j;
			r->head++;
			r->npending--;
			run_master_job(r, &copy);
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
void
run_leave_pending(struct run *r, const char *why)
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
int
run_no_workers(struct run *r)
{
	char why[128];

	if (pool_idle(&r->pool) >= 0 || pool_respawn(&r->pool) > 0)
		return 0;
	snprintf(why, sizeof why, "no worker process can be started (%s)", strerror(errno));
	run_leave_pending(r, why);
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
		run_push_pending(r, j);
		return;
	}
	/* a berita acara may be carried out already (its commit is its own):
	 * never refused for a lost worker; it waits, the next attempt completes it */
	if (j->kind == DROP_DELETION) {
		run_wait_queued(r, j, ev->why);
		return;
	}
	err_set(&e, ev->timed_out ? "worker.timeout" : "worker.crashed",
		"%s: worker %s, %d attempts", j->pdf, ev->why, j->attempts);
	commit_fail(&r->cenv, run_finish(r, j, 1, NULL), STEP_PROCESS, &e);
}

/*
 * keys_restart - the key process ended: start another and give the idle
 * workers new channels; when it cannot start (or keeps dying), what is
 * pending waits for the next run (75), as after a full disk.
 */
static void
keys_restart(struct run *r)
{
	struct err e;

	if (keys_lost(&r->keys, &e) == 0) {
		pool_recycle_idle(&r->pool);
		return;
	}
	log_err(NULL, "%s", e.detail);
	r->tempfail = 1;
}

/* collect - wait for workers, the committer and inotify; returns 1 when inotify fired. */
int
run_collect(struct run *r, int timeout_ms)
{
	static struct pool_event ev[4];
	int extra[3] = { committer_fd(r->committer), r->inotify_fd, r->keys.ctl };
	unsigned ready = 0;
	int n, i;

	n = pool_wait(&r->pool, extra, 3, timeout_ms, ev, 4, &ready);
	if (ready & 4)	/* first: the workers it lost get channels to the new one */
		keys_restart(r);
	for (i = 0; i < n; i++) {
		struct outcome *o;
		if (ev[i].kind == POOL_DONE && ev[i].job.kind == DROP_DELETION) {
			if ((o = malloc(sizeof *o)) != NULL) {
				*o = ev[i].out;
				run_deletion_done(r, &ev[i].job, o);
			} else {
				run_wait_queued(r, &ev[i].job, "out of memory");
			}
		/* bounded: a key process that is up but cannot take channels must
		 * not turn one document into an endless loop of new workers */
		} else if (ev[i].kind == POOL_DONE && ev[i].out.requeue && r->keys.ctl >= 0 &&
			   r->requeued++ < 4 * r->pool.n * (r->keys.restarts + 1)) {
			/* its worker lost the key process (restarted): again at once, no
			 * attempt counted; the worker ends, a new one gets a new channel */
			log_info(ev[i].job.id, "%s/%s is tried again: %s", ev[i].job.pd, ev[i].job.pdf,
				 ev[i].out.detail);
			pool_recycle(&r->pool, ev[i].slot);
			run_push_pending(r, &ev[i].job);
		} else if (ev[i].kind == POOL_DONE && ev[i].out.retry) {
			/* not refused, not a crash: it waits, no attempt counted */
			r->held_row++;
			run_hold(r, &ev[i].job, ev[i].out.detail);
		} else if (ev[i].kind == POOL_DONE && (o = malloc(sizeof *o)) != NULL) {
			*o = ev[i].out;
			run_finish(r, &ev[i].job, !o->ok, o);
			r->held_row = 0;
		} else {
			on_lost(r, &ev[i]);
		}
	}
	if (ready & 1)
		run_reap(r, 0);
	return (ready & 2) != 0;
}
