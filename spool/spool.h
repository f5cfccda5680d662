/*
 * spool.h - the spool protocol: layout, scanning drops, claiming, finishing.
 *
 *   SPOOL/incoming/<pd>/x.pdf + x.yaml   dropped by administrators
 *   SPOOL/queue/<id>.pdf, <id>.yaml      the claimed inputs (the claim record,
 *                                        where they came from, is in the database)
 *   SPOOL/queue/<id>.bundle, <id>.x/     a claimed archive and its unpacked members
 *   SPOOL/queue/<id>.file                a claimed drop to be refused
 *   SPOOL/queue/<id>.pdf                 ... signed in place: the revision is appended
 *   SPOOL/queue/<id>.error.yaml          the refusal report (not yet committed)
 *   SPOOL/done/<pd>/x.pdf + x.yaml       signed, handed back
 *   SPOOL/failed/<pd>/x.pdf + x.yaml + x.error.yaml
 *
 * Files move only by rename(2).  A flat queue (no folder per job) costs no
 * inode per claim.  This module never decides an outcome: the database does
 * (see pipeline/commit.c); these functions just perform moves that are safe
 * to repeat after a crash.
 */
#ifndef SERTEL_SPOOL_H
#define SERTEL_SPOOL_H

#include <limits.h>
#include <time.h>

#include "../base/err.h"
#include "../base/jobid.h"

#define PD_MAX 64

/* The paraf metadata attached inside a PDF instead of a sidecar (stages/embedded.h). */
#define SPOOL_EMBEDDED_NAME "sertel-paraf.yaml"

#define SPOOL_PD_CACHE 64

/* A job's source folder: "incoming/<folder>", "deletion/<pd>", "queue/<id>.x".
 * Not PATH_MAX: the master holds a few thousand jobs (claims, pending, batch). */
#define SPOOL_SRC_MAX (NAME_MAX + 32)

/* failed/_unknown/: what lay in no PD's folder (a name no PD may have) */
#define SPOOL_UNKNOWN "_unknown"

struct spool {
	char root[PATH_MAX];
	int root_fd, incoming_fd, queue_fd, done_fd, failed_fd;
	/* open done/<pd> and failed/<pd> folders: delivery needs them for every job;
	 * at most pd_max (the descriptor budget), the least recently used closed first */
	struct { char pd[PD_MAX]; int fd[2]; unsigned long used; } pds[SPOOL_PD_CACHE];
	int npds, pd_max;
	unsigned long tick;
	/* the district's PDs (spool_set_known); none: every valid folder name is one */
	char *const *known;
	size_t nknown;
};

enum drop_kind {
	DROP_DOC = 'd',		/* a PDF with its sidecar */
	DROP_BUNDLE = 'b',	/* a .zip/.tar/.tar.gz/.tgz of such pairs */
	DROP_REJECT = 'r',	/* anything else: goes to failed/ with reject_code */
	DROP_DELETION = 'x',	/* a berita acara of deletion (deletion/<pd>/), its scan beside it */
};

struct drop {
	enum drop_kind kind;
	char pd[PD_MAX];
	char stem[NAME_MAX + 1];	/* name without extension: done/failed names derive from it */
	char pdf[NAME_MAX + 1];		/* the PDF, bundle or rejected file */
	char meta[NAME_MAX + 1];	/* the sidecar (DROP_DOC only) */
	const char *reject_code;	/* DROP_REJECT: why */
	long long size;			/* bytes of the primary file when scanned */
	char dir[NAME_MAX + 1];		/* the folder it lies in under incoming/ when that is not
					 * the PD's own name ("BAPPEDA"; "." for incoming/ itself); "" */
};

struct scan_stats {
	int waiting;			/* PDFs still waiting for their sidecar (or vice versa) */
	int unsettled;			/* skipped: modified too recently, may still be written */
	int unreadable;			/* PD folders that could not be listed (spool_scan) */
	char unreadable_pd[PD_MAX];	/* the first of them, and why */
	int unreadable_errno;
};

struct job {
	char id[JOBID_LEN + 1];
	enum drop_kind kind;
	char pd[PD_MAX];
	char src[SPOOL_SRC_MAX];	/* where the inputs came from, relative to the spool root */
	char stem[NAME_MAX + 1];
	char pdf[NAME_MAX + 1];
	char meta[NAME_MAX + 1];
	const char *reject_code;
	time_t claimed;
	long long size;			/* the original's size: signing appends after it */
	int attempts;			/* worker crashes/time-outs so far */
	int extracted;			/* bundles: members are fully unpacked */
};

int spool_open(struct spool *s, const char *root, struct err *e);
void spool_close(struct spool *s);
/* spool_cache_limit - keep at most n done/<pd>+failed/<pd> pairs open (1..SPOOL_PD_CACHE). */
void spool_cache_limit(struct spool *s, int n);

/*
 * spool_set_known - the district's PDs, codes (borrowed: they must outlive
 * the spool's use): a folder of incoming/ that is none of them (compared
 * without regard to case) is refused file by file (input.unknown_pd, into
 * failed/_unknown/); with none, every valid folder name is a PD.
 */
void spool_set_known(struct spool *s, char *const *codes, size_t n);
/* spool_ignored - 1 for a name no scan takes: a write in progress, or what Windows, macOS and Office leave. */
int spool_ignored(const char *name);
/* spool_pd_valid - 1 if name is an acceptable PD folder name ([a-z0-9_-], 1..63). */
int spool_pd_valid(const char *name);

typedef int (*spool_drop_fn)(void *arg, const struct drop *d);
/*
 * spool_scan_pd - call fn for every complete, settled drop in incoming/<pd>:
 * pairs, bundles, and rejects (symlinks, unsupported files, a PDF or sidecar
 * whose other half has not come within wait_limit seconds).  Dotfiles,
 * *.part, *.tmp and files changed within settle seconds are left alone.
 * Stops early and returns fn's value when fn returns non-zero.  The folder
 * is read a chunk of entries at a time (flat memory whatever the backlog);
 * a PDF and its sidecar in different chunks find each other by name.
 */
int spool_scan_pd(struct spool *s, const char *pd, time_t now, long settle, long wait_limit,
		  spool_drop_fn fn, void *arg, struct scan_stats *st);
/* spool_scan_dirfd - the same over any folder (bundle members), drops labelled pd. */
int spool_scan_dirfd(int dirfd, const char *pd, time_t now, long settle, long wait_limit,
		     spool_drop_fn fn, void *arg, struct scan_stats *st);
/*
 * spool_scan - spool_scan_pd over every PD folder.  A folder that cannot be
 * listed (permissions, too few descriptors) is counted in st and skipped:
 * the others are still scanned.  -1 (errno) when incoming/ itself cannot be
 * listed, else what fn returned last.
 */
int spool_scan(struct spool *s, time_t now, long settle, long wait_limit,
	       spool_drop_fn fn, void *arg, struct scan_stats *st);

/*
 * spool_scan_deletions - the drops of every deletion/<pd>/ folder (none when
 * deletion/ does not exist): a settled berita acara file <stem>.yaml (or
 * .yml) is a DROP_DELETION, with meta its scanned paper form <stem>.pdf when
 * that is beside it (settled too; write it first).  A PDF without its
 * berita acara waits for it until wait_limit, then is refused
 * (input.unpaired); symlinks and other files are refused as in incoming/.
 * Folders that cannot be listed are counted in st like spool_scan's.
 */
int spool_scan_deletions(struct spool *s, time_t now, long settle, long wait_limit,
			 spool_drop_fn fn, void *arg, struct scan_stats *st);
/* spool_meta_part - the queue part of j's second input: "yaml" (a sidecar), "lampiran" (a scan). */
const char *spool_meta_part(const struct job *j);

/*
 * Claiming: spool_claim_prepare gives a drop its id and job record (no file
 * moves); the caller makes the records durable (the database, one
 * transaction per round) and only then spool_claim_commit renames the inputs
 * into queue/<id>.<part>.  Both halves are safe to repeat.
 */
int spool_claim_prepare(struct spool *s, const struct drop *d, const char *src, struct job *j,
			struct err *e);
int spool_claim_commit(struct spool *s, struct job *j, struct err *e);

/*
 * spool_restore_input - cut queue/<id>.pdf back to the original size when a
 * signing attempt had already appended its revision (the file is signed in
 * place).  0 when the file is the original, 1 when it is longer for a reason
 * that is not ours (left alone), -1 on error.
 */
int spool_restore_input(struct spool *s, const struct job *j);

/* spool_qname - "<id>.<part>", the name of a job's file in queue/. */
void spool_qname(char *buf, size_t cap, const char *id, const char *part);
/* spool_input_part - the part the primary input has: "pdf", "bundle" or "file". */
const char *spool_input_part(const struct job *j);
/* spool_reject_code - a stored reject code as the static string, or NULL. */
const char *spool_reject_code(const char *c);

/*
 * spool_pick_stem - the name an output gets in done|failed/<pd>: the drop's
 * stem, or stem-ID when that is taken.  Deterministic given the folder.
 * -1 (errno) when the folder cannot be opened: no name is safe then (the
 * job must wait), since delivery renames over whatever has the name.
 */
int spool_pick_stem(struct spool *s, int failed, const struct job *j, char *out, size_t cap);

/*
 * spool_deliver - move a committed job out of the queue under stem: the
 * signed PDF and the sidecar to done/<pd>/, or the input, the sidecar and the
 * report to failed/<pd>/.  Repeatable: moves what is still in the queue.
 * -1 with the errno of the first move that failed (e.g. EACCES: the folder
 * is not writable); what did move stays moved.
 */
int spool_deliver(struct spool *s, const struct job *j, int failed, const char *stem);
/* spool_job_remove - what is left of a delivered job in the queue (the signed input, x/). */
void spool_job_remove(struct spool *s, const char *id);
/* spool_release - put a claim's inputs back where they came from. */
int spool_release(struct spool *s, const struct job *j);

/* spool_set_aside - move queue/<id>.* to SPOOL/corrupt/ (files no record explains). */
int spool_set_aside(struct spool *s, const char *id);
/* spool_queue_list - the ids that have files in the queue, sorted (caller frees). */
int spool_queue_list(struct spool *s, char ***ids, size_t *n);
/*
 * spool_clean_temps - at start-up: the temps a killed sertel left in queue/,
 * done/<pd>/ and failed/<pd>/ (fs_clean_temps: only sertel's own temp
 * names, never an administrator's file).  The number removed.
 */
int spool_clean_temps(struct spool *s);

#endif
