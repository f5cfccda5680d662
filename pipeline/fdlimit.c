/*
 * fdlimit.c - the file-descriptor budget (see fdlimit.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../spool/spool.h"
#include "fdlimit.h"

#define FD_SPOOL 5		/* SPOOL, incoming, queue, done, failed */
#define FD_STATE 1		/* STATE */
#define FD_DB (2 * 4)		/* two connections: the file, -wal, -shm, a temporary file */
#define FD_LOOP 3		/* the commit thread's pipe, inotify */
#define FD_KEYS 1		/* the key process's control socket */
/*
 * Open for a moment: at once the master's scan or bundle (up to 6) and the
 * commit thread's store copy or report (up to 3); or a worker restarted with
 * the master's descriptors, which opens the input, the signed output, its
 * report, the TSA's socket and rate file, a resolver's pair (up to 16).
 */
#define FD_RESERVE 16
#define STORE_DIRS 256		/* store/00 .. store/ff */

/* open_below - descriptors open now under limit: inherited ones and 0-2 take room too. */
static int
open_below(long limit)
{
	struct dirent *d;
	DIR *dir;
	long fd;
	int n = 0;

	if ((dir = opendir("/proc/self/fd")) != NULL) {
		while ((d = readdir(dir)) != NULL)
			if (d->d_name[0] != '.' && (fd = strtol(d->d_name, NULL, 10)) < limit &&
			    fd != dirfd(dir))
				n++;
		closedir(dir);
		return n;
	}
	for (fd = 0; fd < limit && fd < 4096; fd++)
		n += fcntl((int)fd, F_GETFD) != -1;
	return n;
}

int
fdlimit_plan(int workers, struct fd_budget *b, struct err *e)
{
	struct rlimit rl;
	long fixed, left, full;

	memset(b, 0, sizeof *b);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return err_set(e, "io.error", "getrlimit(RLIMIT_NOFILE) failed");
	fixed = open_below(rl.rlim_cur == RLIM_INFINITY ? 1L << 20 : (long)rl.rlim_cur) +
		FD_SPOOL + FD_STATE + FD_DB + FD_LOOP + FD_KEYS + workers + FD_RESERVE;
	full = fixed + 2 * SPOOL_PD_CACHE + STORE_DIRS;
	/* a soft limit below what the caches could use is raised as far as allowed */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)full &&
	    rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (rlim_t)full ?
			      (rlim_t)full : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	b->limit = rl.rlim_cur == RLIM_INFINITY ? 1L << 20 : (long)rl.rlim_cur;
	b->need = (int)fixed + 2 + 1;	/* one pair of PD folders, one store folder */
	if (b->limit < b->need)
		return err_set(e, "io.error", "too few file descriptors: the limit is %ld, sertel "
			       "needs at least %d with %d worker(s); raise it (`ulimit -n 1024` "
			       "before sertel, or LimitNOFILE=1024 in sertel.service)", b->limit,
			       b->need, workers);
	left = b->limit - fixed;
	b->pd_dirs = left / 4 < 1 ? 1 : left / 4 > SPOOL_PD_CACHE ? SPOOL_PD_CACHE : (int)(left / 4);
	left -= 2L * b->pd_dirs;
	b->store_dirs = left > STORE_DIRS ? STORE_DIRS : (int)left;
	return 0;
}
