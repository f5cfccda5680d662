/*
 * commit.h - the group commit: store, record and deliver a batch of finished
 * jobs with one sync per file system and one database transaction.
 *
 * Order, and why:
 *  1. signed copies into STATE/store/<aa>/<sha256>.pdf, then syncfs: every
 *     file the database will point at is durable before the rows exist;
 *  2. one transaction records every outcome and the name each job leaves
 *     the queue under (the commit point: recovery trusts these rows);
 *  3. renames into done/ and failed/, syncfs, then what is left in the queue goes.
 * Spool and state may be two file systems: step 1 then syncs both.  A job
 * held by a temporary condition (retry: a full disk) skips steps 2 and 3.
 * A crash between any two steps is repaired by redoing the later steps.  A
 * rename that fails (the folder not writable) leaves the job recorded in the
 * queue, f->moved 0: the master retries it (run_hold.c, run_redeliver).
 */
#ifndef SERTEL_COMMIT_H
#define SERTEL_COMMIT_H

#include <stddef.h>

#include "../base/err.h"
#include "../base/outcome.h"
#include "../base/step.h"
#include "../spool/spool.h"
#include "../spool/store.h"

struct db;

struct finished {
	struct job job;
	int failed;
	struct outcome *out;		/* the worker's report, or NULL (master-side outcome) */
	struct err err;			/* master-side failure (crash, duplicate, bundle, reject) */
	char stem[NAME_MAX + 1];	/* chosen at commit */
	char store_path[STORE_PATH_MAX];	/* its digital copy (signed documents) */
	int moved;			/* delivered: its queue leftovers may go */
	int retry;			/* a temporary condition (ERR_RETRY): not recorded nor
					 * delivered, its claim stays open for a later attempt */
};

struct commit_env {
	struct spool *spool;
	struct db *db;			/* the commit thread's own connection */
	int state_fd;			/* STATE directory */
	int same_fs;			/* spool and state share a file system: one syncfs */
	struct store store;		/* its folders stay open from batch to batch */
	int head_prio;			/* the log level of the audit head after each batch */
};

/* commit_env_close - release the store's open folders. */
void commit_env_close(struct commit_env *c);
/*
 * commit_fail - turn f into a master-side failure with a report in its job
 * folder.  A temporary condition (e is ERR_RETRY), an original that cannot
 * be restored (our signature would go back to failed/) or a report that
 * cannot be written (a refusal nobody can act on) refuses nothing: f is held
 * (retry), its input restored.
 */
void commit_fail(struct commit_env *c, struct finished *f, enum step step, const struct err *e);
/*
 * commit_batch - commit v[0..n); 0, or -1 (database down: jobs stay queued for
 * next start).  Jobs it could not commit for a reason that passes (the store
 * copy, an output folder, a report) are held (retry) and left open.
 */
int commit_batch(struct commit_env *c, struct finished *v, size_t n, struct err *e);

/*
 * commit_audit_delivered - the audit's "delivered" records of the jobs of v
 * moved out of the queue, in one transaction after the renames are durable,
 * then the chain head in the log at prio (watch: info, for the journal; run
 * --once: debug, shown with -v).  A record that cannot be written is logged.
 */
void commit_audit_delivered(struct db *db, const struct finished *v, size_t n, int prio);

#endif
