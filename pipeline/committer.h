/*
 * committer.h - the group commit, run in its own thread.
 *
 * A commit spends most of its time waiting for the disk (syncfs, the SQLite
 * fsync).  Done inline it would leave every worker idle meanwhile; here the
 * master hands a finished batch over and goes on claiming, dispatching and
 * collecting the next one.  One batch is in flight at a time, so outcomes
 * still reach the disk in order.  The thread touches only the database, the
 * store and the job folders of the batch it holds; the master never uses the
 * database while the thread runs.
 */
#ifndef SERTEL_COMMITTER_H
#define SERTEL_COMMITTER_H

#include <stddef.h>

#include "commit.h"

struct committer;

struct committer *committer_start(struct commit_env *env);
/* committer_fd - becomes readable when a submitted batch is done (for poll). */
int committer_fd(const struct committer *c);
int committer_busy(const struct committer *c);
/* committer_submit - hand v[0..n) over until it is reaped; -1 if one is in flight. */
int committer_submit(struct committer *c, struct finished *v, size_t n);
/*
 * committer_reap - 1 and the batch back (with commit_batch's result) when the
 * one in flight is done; 0 when none is done.  wait=1 blocks until it is.
 */
int committer_reap(struct committer *c, int wait, struct finished **v, size_t *n, int *rc,
		   struct err *e);
/* committer_stop - wait for the batch in flight (reap it first) and end the thread. */
void committer_stop(struct committer *c);

#endif
