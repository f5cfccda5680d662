/*
 * err.h - typed errors that cross module boundaries.
 *
 * Every failure a person may have to act on carries a stable code (a short
 * dotted string such as "paraf.hash_mismatch"), the offending field and its
 * YAML position when there is one, and a detail line.  The Indonesian message
 * and the suggested fix for each code live in one table (errcodes.c), so the
 * wording is reviewed in one place and the README can list every code.
 */
#ifndef SERTEL_ERR_H
#define SERTEL_ERR_H

#include <stddef.h>

struct err {
	const char *code;	/* stable code; NULL means no error */
	char field[96];		/* YAML path such as "parafs[1].sha256", or "" */
	int line, col;		/* 1-based YAML position; 0 when not from YAML */
	char detail[400];	/* the specific fact: expected vs found, a file name */
};

/* A list of errors, for checks that report every violation at once. */
#define ERRS_MAX 32
struct errs {
	int n;
	int dropped;		/* violations beyond ERRS_MAX, counted only */
	struct err v[ERRS_MAX];
};

struct err_info {
	const char *code;
	const char *message;	/* what is wrong, Bahasa Indonesia */
	const char *advice;	/* what to do about it, Bahasa Indonesia */
	const char *summary;	/* English, for logs and docs */
};

/*
 * ERR_RETRY - the code of a temporary condition: the disk or the quota is
 * full, the process is out of descriptors.  Never a refusal and never in a
 * report: the document stays queued, and the run exits 75 (EX_TEMPFAIL) or,
 * under watch, tries it again later.
 */
#define ERR_RETRY "io.retry"

/* err_set - record code and a printf-style detail; returns -1 for "return err_set(...)". */
int err_set(struct err *e, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* err_at - attach the field path and YAML position to an error already set. */
void err_at(struct err *e, const char *field, int line, int col);
void err_clear(struct err *e);
/* errs_add - append a copy of e (counts it in dropped when full). */
void errs_add(struct errs *l, const struct err *e);
/* errs_addf - build and append in one call. */
void errs_addf(struct errs *l, const char *code, const char *field, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* errs_sort - l->v[from..] by line:column, stably (no position, line 0, first). */
void errs_sort(struct errs *l, int from);

/* err_errno_temporary - 1 when errnum goes away by itself (ENOSPC, EDQUOT, EMFILE, ENFILE). */
int err_errno_temporary(int errnum);
/* err_errno_nofd - 1 when errnum says the process or the system is out of descriptors (caches may give some back). */
int err_errno_nofd(int errnum);
/* err_io_code - the code of an I/O failure with errnum: ERR_RETRY when temporary, else "io.error". */
const char *err_io_code(int errnum);
/* err_is_retry - 1 when e is set and a temporary condition (ERR_RETRY). */
int err_is_retry(const struct err *e);

/* err_openssl - the last OpenSSL error with its data ("... (Verify error:...)") into buf, the queue cleared. */
const char *err_openssl(char *buf, size_t cap);

/* err_info - the table row for code; an "internal" row for unknown codes. */
const struct err_info *err_info(const char *code);
/*
 * err_text - s (a message or advice of the table) with "{helpdesk}" replaced
 * by the name err_set_helpdesk gave (default "Diskominfo"), in buf of cap
 * bytes; s itself when it has no placeholder.
 */
const char *err_text(const char *s, char *buf, size_t cap);
/* err_set_helpdesk - the office named in advice (sertel.yaml helpdesk:), for this process. */
void err_set_helpdesk(const char *name);
/* err_table - every row, terminated by a row with code NULL (for docs/tests). */
const struct err_info *err_table(void);

#endif
