/*
 * deletion.h - carrying out a berita acara of deletion, the one path of
 * `sertel deletion submit FILE` and of the spool's deletion jobs
 * (SPOOL/deletion/<pd>/, run_deletion.c).
 *
 * Validation lists every finding (deletion.* codes, Bahasa Indonesia,
 * line:column) and refuses the whole berita acara on one; a valid one is
 * committed all or nothing (db/deletions.h), then delivered repeatably: the
 * store copies of deleted documents removed, the berita acara PDF signed
 * once (berita_pdf.h) and written with its receipt into SPOOL/done/<pd>/.
 * The same file again (a retry after a crash) only completes that delivery.
 */
#ifndef SERTEL_DELETION_H
#define SERTEL_DELETION_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "../base/err.h"

struct cfg;
struct db;

enum {
	DELETION_DONE = 0,		/* carried out and delivered (or completed) */
	DELETION_REFUSED = 1,		/* *errs says why; nothing deleted */
	DELETION_UNDELIVERED = 2,	/* carried out; the PDF or receipt not yet (e says why) */
	DELETION_ERROR = -1,		/* nothing done: e (a database error, out of memory) */
};

/* What a berita acara carried out left. */
struct deletion_result {
	int retry;			/* carried out before: its delivery was completed */
	int delivered_before;		/* ... and its receipt was there: nothing to do */
	char number[128];		/* "001/Diskominfo/2026" */
	size_t n;			/* documents deleted */
	char pdf[PATH_MAX], receipt[PATH_MAX];	/* in SPOOL/done/<pd>/ */
	char id[17];			/* the signed berita acara's ID TTE */
};

/* A berita acara dropped into the spool (NULL: a path given to `deletion submit`). */
struct deletion_drop {
	const char *pd;			/* its deletion/<pd>/ folder: must be its pd */
	const char *scan;		/* the scan that came beside it, as queued, or NULL */
	const char *scan_name;		/* ... its name as dropped */
};

/*
 * deletion_carry_out - the berita acara file buf[0..len) (file: its name in
 * findings and records, and where a submitted file's lampiran: is looked
 * for), checked against the register and db and carried out; DELETION_*
 * (above).  The scanned paper form (the spool's scan, or lampiran: relative
 * to file) must be a PDF (deletion.lampiran): it is attached to the signed
 * berita acara, its SHA-256 in the receipt.
 */
int deletion_carry_out(const struct cfg *c, struct db *db, const char *buf, size_t len,
		       const char *file, const struct deletion_drop *drop, struct errs *errs,
		       struct deletion_result *res, struct err *e);

/* deletion_print_refusal - the refusal report of file (every finding, with file:line:column). */
void deletion_print_refusal(FILE *f, const char *file, const struct errs *errs);

#endif
