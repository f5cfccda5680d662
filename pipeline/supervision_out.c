/*
 * supervision_out.c - the report's figures for spreadsheets and programs.
 *
 * CSV: one table of rows "section,key,label,count,share_percent"; the
 * sections are the groupings' stable names plus "period" and "summary", so
 * a spreadsheet filters one section and the columns never move (RFC 4180
 * quoting; every key and label comes from the configuration or sertel's own
 * codes, not from documents).  JSON: the same figures as one object.  Both
 * are documented in the README; a name that ships is never changed.
 */
#include <stdio.h>
#include <string.h>

#include "../base/text.h"
#include "supervision.h"

/* csv_field - s quoted when it must be (a comma, quote or line break in it). */
static void
csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* csv_row - one row; share < 0 leaves the share empty. */
static void
csv_row(FILE *f, const char *section, const char *key, const char *label, long long n,
	double share)
{
	csv_field(f, section);
	fputc(',', f);
	csv_field(f, key);
	fputc(',', f);
	csv_field(f, label);
	fprintf(f, ",%lld,", n);
	if (share >= 0)
		fprintf(f, "%.1f", share);
	fputs("\r\n", f);
}

#define FIGURES 32

/* The summary's single figures, by stable name. */
struct figure {
	const char *name;
	long long v;
};

/* figures - s's single figures into v (room for FIGURES); how many. */
static size_t
figures(const struct supervision *s, struct figure *v)
{
	const struct db_stat_totals *t = &s->t;
	size_t n = 0;

	v[n++] = (struct figure){ "signed", t->signed_docs };
	v[n++] = (struct figure){ "refused", t->refused };
	v[n++] = (struct figure){ "pds_active", (long long)s->tab[DB_STAT_SIGNED_PD].n };
	v[n++] = (struct figure){ "signers_active", (long long)s->tab[DB_STAT_SIGNED_SIGNER].n };
	v[n++] = (struct figure){ "latency_jobs", t->latency_n };
	v[n++] = (struct figure){ "latency_median_s", t->latency_p50 };
	v[n++] = (struct figure){ "latency_p90_s", t->latency_p90 };
	v[n++] = (struct figure){ "timestamp_waiting", t->ts_waiting };
	v[n++] = (struct figure){ "timestamp_added_later", t->ts_late };
	v[n++] = (struct figure){ "deletions", t->deletions };
	v[n++] = (struct figure){ "deleted_documents", t->deleted_docs };
	v[n++] = (struct figure){ "certs_issued", t->certs_issued };
	v[n++] = (struct figure){ "certs_renewed", t->certs_renewed };
	v[n++] = (struct figure){ "certs_revoked", t->certs_revoked };
	v[n++] = (struct figure){ "certs_expired", t->certs_expired };
	v[n++] = (struct figure){ "certs_active", t->certs_active };
	v[n++] = (struct figure){ "certs_expiring_30d", t->certs_expiring[0] };
	v[n++] = (struct figure){ "certs_expiring_60d", t->certs_expiring[1] };
	v[n++] = (struct figure){ "certs_expiring_90d", t->certs_expiring[2] };
	v[n++] = (struct figure){ "audit_records", s->audit.count };
	v[n++] = (struct figure){ "audit_intact", s->audit_ok };
	v[n++] = (struct figure){ "audit_first_bad", s->audit.bad };
	return n;
}

int
sv_csv(const struct supervision *s, FILE *f)
{
	struct figure v[FIGURES];
	size_t i, n = figures(s, v);
	int k;

	fputs("section,key,label,count,share_percent\r\n", f);
	csv_row(f, "period", "from", s->from, 0, -1);
	csv_row(f, "period", "to", s->to, 0, -1);
	csv_row(f, "period", "pd", s->pd, 0, -1);
	for (i = 0; i < n; i++)
		csv_row(f, "summary", v[i].name, "",  v[i].v,
			strcmp(v[i].name, "refused") == 0 ?
			sv_share(v[i].v, s->t.signed_docs + s->t.refused) : -1);
	for (k = 0; k < DB_STAT_N; k++)
		for (i = 0; i < s->tab[k].n; i++)
			csv_row(f, s->tab[k].name, s->tab[k].v[i].key, s->tab[k].v[i].label,
				s->tab[k].v[i].n, sv_share(s->tab[k].v[i].n, s->tab[k].total));
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

int
sv_json(const struct supervision *s, FILE *f)
{
	struct figure v[FIGURES];
	size_t i, n = figures(s, v);
	int k;

	fputs("{\"period\":{\"from\":", f);
	text_json_quote(f, s->from);
	fputs(",\"to\":", f);
	text_json_quote(f, s->to);
	fputs(",\"pd\":", f);
	if (s->pd[0])
		text_json_quote(f, s->pd);
	else
		fputs("null", f);
	fputs("},\n\"summary\":{", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\":%lld", i ? "," : "", v[i].name, v[i].v);
	fprintf(f, ",\"refused_share_percent\":%.1f",
		sv_share(s->t.refused, s->t.signed_docs + s->t.refused));
	fputs(",\"audit_why\":", f);
	text_json_quote(f, s->audit.why);
	fputs("}", f);
	for (k = 0; k < DB_STAT_N; k++) {
		fprintf(f, ",\n\"%s\":[", s->tab[k].name);
		for (i = 0; i < s->tab[k].n; i++) {
			fputs(i ? ",\n {\"key\":" : "\n {\"key\":", f);
			text_json_quote(f, s->tab[k].v[i].key);
			fputs(",\"label\":", f);
			text_json_quote(f, s->tab[k].v[i].label);
			fprintf(f, ",\"count\":%lld,\"share_percent\":%.1f}", s->tab[k].v[i].n,
				sv_share(s->tab[k].v[i].n, s->tab[k].total));
		}
		fputs("]", f);
	}
	fputs("}\n", f);
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
