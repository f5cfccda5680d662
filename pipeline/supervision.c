/*
 * supervision.c - the figures of a period, gathered (see supervision.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/text.h"
#include "../db/db.h"
#include "supervision.h"

/* the stable names of the groupings, by enum db_stat */
static const char *const names[DB_STAT_N] = {
	[DB_STAT_SIGNED_PD] = "signed_by_pd",
	[DB_STAT_SIGNED_SIGNER] = "signed_by_signer",
	[DB_STAT_SIGNED_TYPE] = "signed_by_type",
	[DB_STAT_SIGNED_MONTH] = "signed_by_month",
	[DB_STAT_REFUSED_CODE] = "refused_by_code",
	[DB_STAT_REFUSED_PD] = "refused_by_pd",
	[DB_STAT_REFUSED_CAUSE] = "refused_by_cause",
	[DB_STAT_DELETED_PD] = "deleted_by_pd",
	[DB_STAT_REVOKED_REASON] = "certs_revoked_by_reason",
};

int
sv_period(struct supervision *s, const char *from, const char *to, const char *pd, struct err *e)
{
	long long a, b;

	memset(s, 0, sizeof *s);
	if ((a = text_wib_day(from)) < 0)
		return err_set(e, "usage", "--from %s: not a date; write it as YYYY-MM-DD", from);
	if ((b = text_wib_day(to)) < 0)
		return err_set(e, "usage", "--to %s: not a date; write it as YYYY-MM-DD", to);
	if (b < a)
		return err_set(e, "usage", "--to %s is before --from %s", to, from);
	if (pd && strlen(pd) >= sizeof s->pd)
		return err_set(e, "usage", "--pd %s: too long", pd);
	memcpy(s->from, from, 11);
	memcpy(s->to, to, 11);
	if (pd)
		strcpy(s->pd, pd);
	s->p.from = a;
	s->p.to = b + 24 * 3600;	/* the last day is included */
	s->p.pd = s->pd[0] ? s->pd : NULL;
	return 0;
}

/* add - one group into its table (a db_stat_fn). */
static int
add(void *arg, const char *key, const char *label, long long n)
{
	struct sv_table *t = arg;
	struct sv_row *v;

	if (!(v = realloc(t->v, (t->n + 1) * sizeof *v)))
		return -1;
	t->v = v;
	v += t->n;
	if (!(v->key = strdup(key)) || !(v->label = strdup(label))) {
		free(v->key);
		return -1;
	}
	v->n = n;
	t->n++;
	t->total += n;
	return 0;
}

/* table_free - t's rows. */
static void
table_free(struct sv_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].label);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
	t->total = 0;
}

/* months - the signed-per-month table with a row for every month of the period, 0 where none. */
static int
months(struct supervision *s)
{
	struct sv_table *t = &s->tab[DB_STAT_SIGNED_MONTH], full = { t->name, NULL, 0, 0 };
	int y = atoi(s->from), m = atoi(s->from + 5), ylast = atoi(s->to), mlast = atoi(s->to + 5);
	size_t i = 0;
	char key[16];

	for (; y < ylast || (y == ylast && m <= mlast); m = m == 12 ? 1 : m + 1, y += m == 1) {
		snprintf(key, sizeof key, "%04d-%02d", y, m);
		if (add(&full, key, "", i < t->n && strcmp(t->v[i].key, key) == 0 ? t->v[i++].n : 0)) {
			table_free(&full);
			return -1;
		}
	}
	table_free(t);
	*t = full;
	return 0;
}

int
sv_collect(struct supervision *s, struct db *db, struct err *e)
{
	int i, rc;

	s->made_at = (long long)time(NULL);
	for (i = 0; i < DB_STAT_N; i++) {
		s->tab[i].name = names[i];
		if (db_stat_groups(db, (enum db_stat)i, &s->p, add, &s->tab[i], e) < 0)
			return -1;
	}
	if (months(s) < 0)
		return err_set(e, "internal", "out of memory");
	if (db_stat_totals(db, &s->p, s->made_at, &s->t, e) < 0)
		return -1;
	if ((rc = db_audit_verify(db, 0, NULL, &s->audit, e)) < 0)
		return -1;
	s->audit_ok = rc == 0;
	return 0;
}

void
sv_free(struct supervision *s)
{
	int k;

	for (k = 0; k < DB_STAT_N; k++)
		table_free(&s->tab[k]);
}

double
sv_share(long long n, long long total)
{
	return total > 0 ? 100.0 * (double)n / (double)total : 0.0;
}
