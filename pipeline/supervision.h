/*
 * supervision.h - the supervision and evaluation report of Pasal 23: the
 * figures of a period (db/stats.h) gathered once, then written as CSV,
 * JSON or a signed PDF (supervision_out.c, supervision_pdf.c).
 */
#ifndef SERTEL_SUPERVISION_H
#define SERTEL_SUPERVISION_H

#include <stddef.h>
#include <stdio.h>

#include "../base/err.h"
#include "../db/audit.h"
#include "../db/stats.h"

#include <mupdf/fitz.h>

struct cfg;

struct sv_row {
	char *key;		/* PD, NIP, type, YYYY-MM, refusal code or family */
	char *label;		/* the signer's name; "" when none */
	long long n;
};

struct sv_table {
	const char *name;	/* stable: the CSV's section, the JSON's key */
	struct sv_row *v;
	size_t n;
	long long total;	/* what the shares are of */
};

struct supervision {
	char from[11], to[11];	/* the period as given: YYYY-MM-DD, both included (WIB) */
	char pd[64];		/* "" for every PD */
	struct db_period p;
	struct db_stat_totals t;
	struct sv_table tab[DB_STAT_N];	/* indexed by enum db_stat */
	struct db_audit_check audit;
	int audit_ok;
	long long made_at;	/* when the report was made */
};

/*
 * sv_period - from and to ("YYYY-MM-DD", WIB days, both included) as s's
 * period; 0, or -1 with e saying which is wrong.
 */
int sv_period(struct supervision *s, const char *from, const char *to, const char *pd,
	      struct err *e);
/* sv_collect - every figure of s's period from db; 0 or -1 with e. */
int sv_collect(struct supervision *s, struct db *db, struct err *e);
void sv_free(struct supervision *s);
/* sv_share - n of total in per cent, one decimal. */
double sv_share(long long n, long long total);

/* sv_csv, sv_json - the figures (supervision_out.c); 0 or -1 (errno). */
int sv_csv(const struct supervision *s, FILE *f);
int sv_json(const struct supervision *s, FILE *f);

/*
 * sv_pdf - the report as a PDF (unsigned) appended to buf, numbered number
 * (supervision_pdf.c); 0 or -1 with e.
 */
int sv_pdf(const struct cfg *c, const struct supervision *s, const char *number, fz_context *ctx,
	   fz_buffer *buf, struct err *e);

struct wbuf;
/* sv_html - the report as one HTML file into b (supervision_html.c); 0 or -1 out of memory. */
int sv_html(const struct cfg *c, const struct supervision *s, const char *number, struct wbuf *b);

#endif
