/*
 * run_int.h - the master loop's own state and the parts of it in other
 * files (run.h is its interface).  run.c: setup, the loop, the end of a run;
 * run_claim.c: scans, claims, bundles and start-up recovery; run_batch.c: the
 * pending queue, workers, finished jobs and the group commit; run_hold.c: what
 * waits (holds on a temporary condition, deliveries that failed);
 * run_deletion.c: berita acara of deletion dropped into the spool (their
 * work in a worker, their outcome in the master);
 * run_report.c: the progress line, the banner, the stop line, the summary.
 */
#ifndef SERTEL_RUN_INT_H
#define SERTEL_RUN_INT_H

#include <limits.h>
#include <stddef.h>

#include "../pki/signers.h"
#include "../spool/spool.h"
#include "commit.h"
#include "committer.h"
#include "keys.h"
#include "metrics.h"
#include "pool.h"
#include "worker.h"

#define CLAIM_MAX 1024		/* drops claimed per scan round */
#define HOLD_SECONDS 30		/* watch: held jobs are tried again after this */
#define DELIVER_TRIES 4		/* run --once: delivery retries before it exits 75 */
#define DELIVER_BACKOFF_MAX 60.0	/* watch: seconds between delivery retries, at most */

#define RUN_COUNTS 64		/* refusal codes, PDs a summary breaks refusals down by */

/* One line of a summary's breakdown. */
struct run_count {
	char key[64];
	long n;
};

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
	struct signer_set signers;	/* certificates and public keys: no private key here */
	struct keys keys;		/* the key process, which holds the private keys */
	struct keyvault *vault;		/* passphrases from the environment (run_main's) */
	int reloaded;			/* setup after a SIGHUP */
	double token_look_at;		/* watch: when to start the key process again for a
					 * signer's token absent at start-up; 0: none is */
	int relook;			/* the restart is that, not a SIGHUP */
	int requeued;			/* documents tried again after a lost key process */
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
	long ndeletions;		/* berita acara of deletion carried out and delivered */
	/* held by a temporary condition (a full disk): see run_hold() */
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
	struct metrics metrics;		/* STATE/metrics/sertel.prom after each batch */
	double submitted_at;		/* clock_mono() when the committer got its batch */
	double progress_at;		/* clock_mono() of the last progress update */
	/* refusals committed by this run, by PD and by code */
	struct run_count refused_pd[RUN_COUNTS], refused_code[RUN_COUNTS];
	size_t nrefused_pd, nrefused_code;
};

/* run_claim.c - taking drops in */
/* run_vanished - close the claim of an input that disappeared before it moved. */
void run_vanished(struct run *r, struct job *j, const struct err *why);
/* run_claim_round - the round's claims recorded (one transaction), then moved; -1: some wait. */
int run_claim_round(struct run *r);
/* run_scan_incoming - one scan of every PD folder; returns the number of jobs claimed. */
size_t run_scan_incoming(struct run *r, long settle);
/* run_master_job - jobs the master finishes itself: bundles, refused drops. */
void run_master_job(struct run *r, struct job *j);
/* run_recover - resume what a previous run left; -1: the run stops (EX_TEMPFAIL). */
int run_recover(struct run *r);

/* run_batch.c - the batch */
/* run_push_pending - queue a claimed job for a worker (or for the master, if not a document). */
int run_push_pending(struct run *r, const struct job *j);
/* run_finish - add a job to the batch waiting for the group commit (committing a full one). */
struct finished *run_finish(struct run *r, const struct job *j, int failed, struct outcome *out);
/* run_reap - take back the committer's batch if it is done (wait=1: wait for it). */
int run_reap(struct run *r, int wait);
/* run_commit - hand the filled batch to the committer; wait=1 also waits for it. */
int run_commit(struct run *r, int wait);
/* run_dispatch - hand pending jobs to idle workers while the batch has room. */
void run_dispatch(struct run *r);
/* run_leave_pending - every job not yet started stays queued, claimed, for the next run. */
void run_leave_pending(struct run *r, const char *why);
/* run_no_workers - no worker can be started: the documents stay queued (1: the run ends). */
int run_no_workers(struct run *r);
/* run_collect - wait for workers, the committer and inotify; returns 1 when inotify fired. */
int run_collect(struct run *r, int timeout_ms);

/* run_deletion.c - a berita acara of SPOOL/deletion/<pd>/ */
/* run_deletion_done - a worker's outcome o of berita acara j (taken): it joins the batch, or j waits. */
void run_deletion_done(struct run *r, const struct job *j, struct outcome *o);
/* run_deletion_busy - 1 when a worker holds a berita acara. */
int run_deletion_busy(const struct run *r);

/* run_hold.c - what waits */
/* run_hold - j cannot go on now (a full disk): its claim stays open, tried again later. */
void run_hold(struct run *r, const struct job *j, const char *why);
/* run_paused - more holds in a row than workers: take no more work for now. */
int run_paused(const struct run *r);
/* run_wait_delivery - keep a recorded job whose delivery failed for run_redeliver(). */
void run_wait_delivery(struct run *r, const struct job *j, int failed, const char *stem,
		       int counted);
/* run_redeliver - retry the moves out of the queue that failed after the commit. */
void run_redeliver(struct run *r);
/* run_nwaiting - recorded jobs still in the queue: signed documents (failed=0) or refusals. */
long run_nwaiting(const struct run *r, int failed);
/* run_wait_queued - j waits for a reason that passes (--once: the next run; watch: held). */
void run_wait_queued(struct run *r, const struct job *j, const char *why);
/* run_unhold - watch: HOLD_SECONDS after the last hold, the held jobs are queued again. */
void run_unhold(struct run *r);

/* run_report.c - what the operator reads */
/* run_progress - one updating line on a terminal (at most 4 a second); last: the final state. */
void run_progress(struct run *r, int last);
/* run_count_refusal - one refusal committed, of pd with code, for the summary. */
void run_count_refusal(struct run *r, const char *pd, const char *code);
/* run_banner - the start-up lines: spool, workers, timestamps, PDs, signers (again: after a reload). */
void run_banner(const struct run *r, int again);
/* run_stop_line - the last line: why it stopped, what it did since it started, for how long. */
void run_stop_line(int watch, const char *why, long nsigned, long nrefused, double seconds);
/* run_summary - the closing report of a batch run on stdout (quiet: the progress line only). */
void run_summary(struct run *r, int quiet);

#endif
