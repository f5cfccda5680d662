/*
 * refusals.h - the refused drops as the helpdesk looks them up: a refusal's
 * process ID (the one its report names) and the first problem found, which
 * the jobs table keeps beside the report in failed/<pd>/; and which of them
 * were mailed to their PD's contacts (`sertel notify`): a refusal waits
 * until it is in failed/<pd>/ (its report is there to attach) and is marked
 * once its message was accepted.
 */
#ifndef SERTEL_REFUSALS_H
#define SERTEL_REFUSALS_H

#include "../base/err.h"
#include "../base/jobid.h"
#include "../spool/spool.h"

struct db;

struct db_refusal {
	char id[JOBID_LEN + 1];
	char pd[PD_MAX];
	char file[256];		/* the PDF (or archive) as dropped */
	char delivered[256];	/* its stem in failed/<pd>/; "" while not moved yet */
	char code[64];
	char field[128];
	long long line, col;	/* 0 when the problem has no position */
	char detail[512];
	long long claimed_at, finished_at;
	long long size;		/* bytes of the file as it was taken */
};

/* db_refusal_get - 1 with refusal id, 0 when id is no refusal, -1 with e. */
int db_refusal_get(struct db *db, const char *id, struct db_refusal *r, struct err *e);
/*
 * db_refusal_incomplete - the newest refusal of pd's upload named stem (its
 * PDF stem.pdf) as pdf.incomplete finished at or after since: 1 with it in
 * *r (size: the bytes it had), 0 when none, -1 with e.
 */
int db_refusal_incomplete(struct db *db, const char *pd, const char *stem, long long since,
			  struct db_refusal *r, struct err *e);
/* A db_refusal_list callback: non-zero stops the listing. */
typedef int (*db_refusal_fn)(void *arg, const struct db_refusal *r);
/* db_refusal_list - the refusals of pd (NULL: all) finished in [from, to) (0: open), newest first, at most limit (<= 0: all). */
int db_refusal_list(struct db *db, const char *pd, long long from, long long to, int limit,
		    db_refusal_fn fn, void *arg, struct err *e);

/* db_notice_pending - pd's refusals delivered and not yet mailed, oldest first, at most limit; how many, or -1. */
int db_notice_pending(struct db *db, const char *pd, int limit, db_refusal_fn fn, void *arg,
		      struct err *e);
/* db_notice_done - ids[0..n) mailed at `at` to `to`: marked, with one audit record, in one transaction. */
int db_notice_done(struct db *db, const char *pd, char (*ids)[JOBID_LEN + 1], size_t n,
		   long long at, const char *to, struct err *e);

#endif
