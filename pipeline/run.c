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
#include "commit.h"
#include "committer.h"
#include "pool.h"
#include "run.h"
#include "worker.h"

#define CLAIM_MAX 1024		/* drops claimed per scan round */

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
	struct scan_stats scan;
	double t0;
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

static int commit(struct run *r, int wait);

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
		if (rc == 0 && f->failed) {
			r->nfailed++;
			log_info(f->job.id, "%s/%s failed: %s: %s", f->job.pd, f->job.pdf,
				 worker_said ? f->out->code : f->err.code,
				 worker_said ? f->out->detail : f->err.detail);
		} else if (rc == 0 && f->job.kind == DROP_DOC) {
			r->nsigned++;
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
 */
static void
claim_round(struct run *r)
{
	struct err e;
	size_t i;

	if (r->nclaims == 0)
		return;
	if (db_claims_insert(r->db, r->claims, r->nclaims, &e) < 0) {
		log_err(NULL, "cannot record claims (%s); the drops stay in incoming/", e.detail);
		r->nclaims = 0;
		return;
	}
	for (i = 0; i < r->nclaims; i++) {
		if (spool_claim_commit(&r->spool, &r->claims[i], &e) < 0) {
			vanished(r, &r->claims[i], &e);
			continue;
		}
		push_pending(r, &r->claims[i]);
		r->total_seen++;
	}
	r->nclaims = 0;
}

/* scan_incoming - one scan of every PD folder; returns the number of jobs claimed. */
static size_t
scan_incoming(struct run *r, long settle)
{
	size_t before = r->npending;

	memset(&r->scan, 0, sizeof r->scan);
	spool_scan(&r->spool, time(NULL), settle, r->cfg->limits.sidecar_wait_seconds, on_drop, r,
		   &r->scan);
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
	int qfd = r->spool.queue_fd, xfd = -1;
	size_t claimed;
	struct err e;

	spool_qname(x, sizeof x, j->id, "x");
	spool_qname(in, sizeof in, j->id, "bundle");
	snprintf(src, sizeof src, "queue/%s", x);
	if (!j->extracted) {
		fs_rm_dir(qfd, x);	/* a half-done earlier extraction */
		if (mkdirat(qfd, x, 0750) < 0 ||
		    (xfd = openat(qfd, x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			err_set(&e, "io.error", "%s: %s", src, strerror(errno));
			goto fail;
		}
		if (bundle_extract(qfd, in, xfd, &lim, &e) < 0 || check_pairs(xfd, j->pd, &e) < 0)
			goto fail;
		/* members durable before the record says they are all there */
		fs_syncfs(r->spool.root_fd);
		j->extracted = 1;
		if (db_job_progress(r->db, j, &e) < 0)
			goto fail;
	} else if ((xfd = openat(qfd, x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		err_set(&e, "io.error", "%s: %s", src, strerror(errno));
		goto fail;
	}
	/* Members not yet claimed (all of them, unless a crash interrupted us),
	 * in rounds: the folder must be empty before the bundle may finish. */
	do {
		spool_scan_dirfd(xfd, j->pd, time(NULL) + 3600, 0, 0, on_member, arg, &r->scan);
		claimed = r->nclaims;
		claim_round(r);
	} while (claimed == CLAIM_MAX);
	close(xfd);
	finish(r, j, 0, NULL);
	return;
fail:
	if (xfd >= 0)
		close(xfd);
	fs_rm_dir(qfd, x);
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

	while (r->npending > 0 && r->nfin + (size_t)pool_busy(&r->pool) < batch) {
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
		if (ev[i].kind == POOL_DONE && (o = malloc(sizeof *o)) != NULL) {
			*o = ev[i].out;
			finish(r, &ev[i].job, !o->ok, o);
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
	int state;

	if (db_jobs_open(r->db, &open, &nopen) < 0) {
		log_err(NULL, "recovery: cannot list the open jobs; everything stays queued for "
			"the next start");
		return -1;
	}
	for (i = 0; i < nopen; i++) {
		if (spool_claim_commit(&r->spool, &open[i], &e) < 0) {
			vanished(r, &open[i], &e);
			continue;
		}
		log_debug(open[i].id, "recovered %s/%s", open[i].pd, open[i].pdf);
		resumed++;
		push_pending(r, &open[i]);
		r->total_seen++;
	}
	free(open);
	if (spool_queue_list(&r->spool, &ids, &n) == 0) {
		for (i = 0; i < n; i++) {
			int rc = db_job_get(r->db, ids[i], &j, &state, stem, sizeof stem);
			if (rc == 1 && state != DB_OPEN) {
				if (spool_deliver(&r->spool, &j, state == DB_FAILED, stem) == 0) {
					spool_job_remove(&r->spool, j.id);
					delivered++;
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
	int n = r->cfg->workers > 0 ? r->cfg->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (spool_open(&r->spool, r->cfg->spool_dir, e) < 0)
		return -1;
	if (fs_mkdirs(r->cfg->state_dir, 0750) < 0 ||
	    (r->state_fd = open(r->cfg->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "state %s: %s", r->cfg->state_dir, strerror(errno));
	if (signers_reload(r->cfg, &r->signers, r->kept) < 0)
		return err_set(e, "io.error", "out of memory loading signers");
	r->wenv.cfg = r->cfg;
	r->wenv.signers = &r->signers;
	r->wenv.spool = &r->spool;
	if (pool_start(&r->pool, n < 1 ? 1 : n, r->cfg->limits.doc_timeout_seconds, worker_main,
		       &r->wenv) < 0)
		return err_set(e, "io.error", "cannot start workers: %s", strerror(errno));
	/* two connections: claims from this thread, outcomes from the commit thread */
	if (!(r->db = db_open(r->cfg->state_dir, e)) ||
	    !(r->cenv.db = db_open(r->cfg->state_dir, e)))
		return -1;
	r->cenv.spool = &r->spool;
	r->cenv.state_fd = r->state_fd;
	store_init(&r->cenv.store, r->state_fd);
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
}

/* loop - the steady state, shared by --once and watch. */
static int
loop(struct run *r)
{
	long settle = r->cfg->limits.settle_seconds;
	double last_scan = 0;
	int rescan = 1;

	for (;;) {
		/* a stop or a reload drains what is in hand before it happens */
		if (!stop_requested && !reload_requested && r->npending < (size_t)r->pool.n * 2 &&
		    (rescan || (r->watch && clock_mono() - last_scan >= 1.0))) {
			scan_incoming(r, settle);
			last_scan = clock_mono();
			rescan = 0;
		}
		dispatch(r);
		if (pool_busy(&r->pool) == 0 && r->npending == 0) {
			if (commit(r, 1) < 0)
				return -1;
			if (stop_requested || reload_requested)
				return 0;
			if (!r->watch) {
				/* --once: done when a fresh scan finds nothing new */
				if (scan_incoming(r, settle) == 0)
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
		if (!r->watch && r->npending < (size_t)r->pool.n)
			rescan = 1;
		progress(r, 0);
	}
}

/* summary - the closing report of a run. */
static void
summary(struct run *r, int quiet)
{
	double dt = clock_mono() - r->t0;

	progress(r, 1);
	if (quiet)
		return;
	printf("sertel: %ld signed, %ld failed in %.2f s (%.1f docs/s)\n", r->nsigned, r->nfailed,
	       dt, dt > 0 ? (double)(r->nsigned + r->nfailed) / dt : 0.0);
	if (r->scan.waiting)
		printf("sertel: %d file(s) waiting for their PDF or sidecar (sent to failed/ after "
		       "%ld s)\n", r->scan.waiting, r->cfg->limits.sidecar_wait_seconds);
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
			return EX_TEMPFAIL;
		}
		if (recover(&r) < 0) {
			teardown(&r);
			cfg_free(c);
			close(lock_fd);
			return EX_TEMPFAIL;
		}
		rc = loop(&r);
		if (!watch)
			summary(&r, quiet);
		rc = rc < 0 ? EX_TEMPFAIL : r.nfailed && !watch ? 1 : 0;
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
