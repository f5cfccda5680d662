/*
 * fdlimit.h - the file-descriptor budget of `run` and `watch`, sized from
 * RLIMIT_NOFILE at start.
 *
 * What the master holds for its whole life is counted (the spool's five
 * folders, the state folder, one socket per worker, two database connections
 * with their WAL and shared-memory files, the commit thread's pipe, inotify),
 * plus a reserve for what is open only for a moment (scanning, claiming,
 * unpacking a bundle, the store copy, a report) and for a worker restarted
 * later, which inherits the master's descriptors and needs its own (the
 * input, the signed output, a TSA connection).  What is left goes to the two
 * caches of open folders: done/<pd>+failed/<pd> pairs and store/<aa>.  Below
 * the least that leaves one of each, sertel does not start (EX_TEMPFAIL):
 * a run that cannot open a file in the middle of a commit must not begin.
 */
#ifndef SERTEL_FDLIMIT_H
#define SERTEL_FDLIMIT_H

#include "../base/err.h"

struct fd_budget {
	long limit;		/* RLIMIT_NOFILE (soft) in force */
	int need;		/* the least sertel starts with */
	int pd_dirs;		/* done/<pd>+failed/<pd> pairs the spool may keep open */
	int store_dirs;		/* store/<aa> folders the store may keep open */
};

/*
 * fdlimit_plan - the budget for a master with workers worker processes,
 * raising the soft limit toward the hard one when that gives the caches
 * their full size.  0, or -1 with e (one line: the limit, what is needed,
 * how to raise it) when the limit is below the minimum.
 */
int fdlimit_plan(int workers, struct fd_budget *b, struct err *e);

#endif
