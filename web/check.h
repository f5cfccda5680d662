/*
 * check.h - an uploaded PDF checked as `sertel verify` checks it, in a child
 * process with the document limits (limits.doc_cpu_seconds, doc_memory_mb,
 * doc_timeout_seconds), and compared with the stored signed copy.
 */
#ifndef SERTEL_CHECK_H
#define SERTEL_CHECK_H

#include "../config/cfg.h"
#include "wbuf.h"

/* How an uploaded file relates to the stored signed copy. */
enum check_relation {
	CHECK_SAME,		/* byte for byte the stored signed file */
	CHECK_EARLIER,		/* a beginning of it: an earlier revision */
	CHECK_LATER,		/* it begins with it: revisions added after signing */
	CHECK_OTHER,		/* neither */
	CHECK_NO_COPY,		/* no stored copy to compare with (deleted, or not readable) */
};

/* The outcome of check_upload. */
struct check_result {
	int ran;		/* 0: the child could not be started, or was stopped */
	int exit;		/* `sertel verify`'s exit: 0 1 2 3 4 (cmd_verify.c) */
	int killed;		/* a limit stopped it (time, memory, CPU) */
	struct wbuf report;	/* its text report (the caller frees) */
};

/*
 * check_upload - run `sertel verify` from the running binary on the file open
 * at fd, in a child with the document limits; at most two at once (1 when
 * started, 0 when two are running already).
 */
int check_upload(const struct cfg *c, int fd, struct check_result *r);
/*
 * check_report - `sertel report --format html` for the period (pd NULL: every
 * PD) in the same kind of limited child; its HTML in r->report when r->ran
 * and r->exit is 0.  The arguments must be checked before (dates, a PD name).
 */
int check_report(const struct cfg *c, const char *from, const char *to, const char *pd,
		 struct check_result *r);
/* check_relation - fd's bytes against STATE/store_path (relative to c->state_dir). */
enum check_relation check_relation(const struct cfg *c, const char *store_path, int fd);

#endif
