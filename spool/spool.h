/*
 * spool.h - the spool protocol: layout, scanning drops, claiming, finishing.
 *
 *   SPOOL/incoming/<pd>/x.pdf + x.yaml   dropped by administrators
 *   SPOOL/queue/<id>/job                 claim record (written before anything moves)
 *   SPOOL/queue/<id>/in.pdf, in.yaml     the claimed inputs
 *   SPOOL/queue/<id>/signed.pdf          the worker's output (not yet committed)
 *   SPOOL/queue/<id>/error.yaml          the refusal report (not yet committed)
 *   SPOOL/done/<pd>/x.pdf + x.yaml       signed, handed back
 *   SPOOL/failed/<pd>/x.pdf + x.yaml + x.error.yaml
 *
 * Files move only by rename(2).  This module never decides an outcome: the
 * database transaction does (see pipeline/commit.c); these functions just
 * perform moves that are safe to repeat after a crash.
 */
#ifndef SERTEL_SPOOL_H
#define SERTEL_SPOOL_H

#include <limits.h>
#include <time.h>

#include "../pipeline/err.h"
#include "../pipeline/jobid.h"

#define PD_MAX 64

#define SPOOL_PD_CACHE 64

struct spool {
	char root[PATH_MAX];
	int root_fd, incoming_fd, queue_fd, done_fd, failed_fd;
	/* open done/<pd> and failed/<pd> folders: delivery needs them for every job */
	struct { char pd[PD_MAX]; int fd[2]; } pds[SPOOL_PD_CACHE];
	int npds;
};

enum drop_kind {
	DROP_DOC = 'd',		/* a PDF with its sidecar */
	DROP_BUNDLE = 'b',	/* a .zip/.tar/.tar.gz/.tgz of such pairs */
	DROP_REJECT = 'r',	/* anything else: goes to failed/ with reject_code */
};

struct drop {
	enum drop_kind kind;
	char pd[PD_MAX];
	char stem[NAME_MAX + 1];	/* name without extension: done/failed names derive from it */
	char pdf[NAME_MAX + 1];		/* the PDF, bundle or rejected file */
	char meta[NAME_MAX + 1];	/* the sidecar (DROP_DOC only) */
	const char *reject_code;	/* DROP_REJECT: why */
};

struct scan_stats {
	int waiting;			/* PDFs still waiting for their sidecar (or vice versa) */
	int unsettled;			/* skipped: modified too recently, may still be written */
};

struct job {
	char id[JOBID_LEN + 1];
	enum drop_kind kind;
	char pd[PD_MAX];
	char src[PATH_MAX];		/* where the inputs came from, relative to the spool root */
	char stem[NAME_MAX + 1];
	char pdf[NAME_MAX + 1];
	char meta[NAME_MAX + 1];
	const char *reject_code;
	time_t claimed;
	int attempts;			/* worker crashes/time-outs so far */
	int extracted;			/* bundles: members are fully unpacked */
};

int spool_open(struct spool *s, const char *root, struct err *e);
void spool_close(struct spool *s);

/* spool_pd_valid - 1 if name is an acceptable PD folder name ([a-z0-9_-], 1..63). */
int spool_pd_valid(const char *name);

typedef int (*spool_drop_fn)(void *arg, const struct drop *d);
/*
 * spool_scan_pd - call fn for every complete, settled drop in incoming/<pd>:
 * pairs, bundles, and rejects (symlinks, unsupported files, a PDF or sidecar
 * whose other half has not come within wait_limit seconds).  Dotfiles,
 * *.part, *.tmp and files changed within settle seconds are left alone.
 * Stops early and returns fn's value when fn returns non-zero.
 */
int spool_scan_pd(struct spool *s, const char *pd, time_t now, long settle, long wait_limit,
		  spool_drop_fn fn, void *arg, struct scan_stats *st);
/* spool_scan_dirfd - the same over any folder (bundle members), drops labelled pd. */
int spool_scan_dirfd(int dirfd, const char *pd, time_t now, long settle, long wait_limit,
		     spool_drop_fn fn, void *arg, struct scan_stats *st);
/* spool_scan - spool_scan_pd over every PD folder. */
int spool_scan(struct spool *s, time_t now, long settle, long wait_limit,
	       spool_drop_fn fn, void *arg, struct scan_stats *st);

/*
 * Claiming is two-phase so that a crash never leaves inputs in the queue
 * without the record saying where they came from: prepare every job of a
 * batch (mkdir + job file), make that durable once, then commit the renames.
 */
int spool_claim_prepare(struct spool *s, const struct drop *d, const char *src, struct job *j,
			struct err *e);
int spool_claim_commit(struct spool *s, struct job *j, struct err *e);

int spool_job_write(struct spool *s, const struct job *j, int sync);
int spool_job_read(struct spool *s, const char *id, struct job *j, struct err *e);

/* spool_job_dirfd - open queue/<id> (caller closes). */
int spool_job_dirfd(struct spool *s, const char *id);

/*
 * spool_pick_stem - the name an output gets in done|failed/<pd>: the drop's
 * stem, or stem-ID when that is taken.  Deterministic given the folder.
 */
void spool_pick_stem(struct spool *s, int failed, const struct job *j, char *out, size_t cap);

/*
 * spool_deliver - move a committed job out of the queue under stem: signed.pdf
 * and in.yaml to done/<pd>/, or in.pdf, in.yaml, error.yaml to failed/<pd>/.
 * Repeatable: moves what is still in the queue, then removes the job folder.
 */
int spool_deliver(struct spool *s, const struct job *j, int failed, const char *stem);
/* spool_release - undo a prepared claim whose inputs never moved. */
int spool_release(struct spool *s, const struct job *j);

/* spool_queue_list - ids of every job folder in the queue (caller frees each and the array). */
int spool_queue_list(struct spool *s, char ***ids, size_t *n);

#endif
