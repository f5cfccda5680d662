/*
 * err.c - building typed errors (see err.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "err.h"

int
err_set(struct err *e, const char *code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	e->field[0] = '\0';
	e->line = e->col = 0;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof e->detail, fmt, ap);
	va_end(ap);
	return -1;
}

void
err_at(struct err *e, const char *field, int line, int col)
{
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	e->line = line;
	e->col = col;
}

void
err_clear(struct err *e)
{
	memset(e, 0, sizeof *e);
}

void
errs_add(struct errs *l, const struct err *e)
{
	if (l->n < ERRS_MAX)
		l->v[l->n++] = *e;
	else
		l->dropped++;
}

void
errs_addf(struct errs *l, const char *code, const char *field, int line, int col,
	  const char *fmt, ...)
{
	struct err e;
	va_list ap;

	e.code = code;
	va_start(ap, fmt);
	vsnprintf(e.detail, sizeof e.detail, fmt, ap);
	va_end(ap);
	err_at(&e, field, line, col);
	errs_add(l, &e);
}

void
errs_sort(struct errs *l, int from)
{
	int i, j;

	/* insertion sort: few entries, and stable, so findings at one place keep their order */
	for (i = from + 1; i < l->n; i++) {
		struct err e = l->v[i];
		for (j = i; j > from && (l->v[j - 1].line > e.line ||
		     (l->v[j - 1].line == e.line && l->v[j - 1].col > e.col)); j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = e;
	}
}

int
err_errno_nofd(int errnum)
{
	return errnum == EMFILE || errnum == ENFILE;
}

int
err_errno_temporary(int errnum)
{
	return errnum == ENOSPC || errnum == EDQUOT || errnum == EMFILE || errnum == ENFILE;
}

const char *
err_io_code(int errnum)
{
	return err_errno_temporary(errnum) ? ERR_RETRY : "io.error";
}

int
err_is_retry(const struct err *e)
{
	return e->code != NULL && strcmp(e->code, ERR_RETRY) == 0;
}

const char *
err_openssl(char *buf, size_t cap)
{
	const char *data = NULL;
	int flags = 0;
	unsigned long code = ERR_peek_last_error_data(&data, &flags);
	char reason[160] = "unknown error";

	if (code)
		ERR_error_string_n(code, reason, sizeof reason);
	if (data && *data && (flags & ERR_TXT_STRING))
		snprintf(buf, cap, "%s (%s)", reason, data);
	else
		snprintf(buf, cap, "%s", reason);
	ERR_clear_error();
	return buf;
}
