/*
 * stats.c - the report's figures as queries (see stats.h).
 *
 * Each grouping is one GROUP BY over documents or jobs with the period and
 * the PD as parameters; the percentiles are read with LIMIT/OFFSET over the
 * sorted durations, so no row is brought into memory but the one wanted.
 */
#include <string.h>

#include "conn.h"
#include "stats.h"

/* documents signed in the period (?1, ?2) of the PD (?3, NULL: all) */
#define SIGNED "FROM documents WHERE signed_at >= ?1 AND signed_at < ?2 AND (?3 IS NULL OR pd = ?3)"
/* drops refused in it: a refusal's time is when its outcome was committed */
#define REFUSED "FROM jobs WHERE outcome = 'failed' AND finished_at >= ?1 AND finished_at < ?2" \
	" AND (?3 IS NULL OR pd = ?3)"
#define DELETED "FROM documents WHERE status = 'deleted' AND deleted_at >= ?1 AND deleted_at < ?2" \
	" AND (?3 IS NULL OR pd = ?3)"
#define BY_COUNT " ORDER BY 3 DESC, 1"
/* the registry's certificates of the PD (?3) */
#define CERTS "FROM certs c JOIN cert_holders h ON h.id = c.holder WHERE (?3 IS NULL OR h.pd = ?3)"

static const char *const group_sql[DB_STAT_N] = {
	[DB_STAT_SIGNED_PD] = "SELECT pd, '', COUNT(*) " SIGNED " GROUP BY pd" BY_COUNT,
	[DB_STAT_SIGNED_SIGNER] = "SELECT signer_nip, MAX(COALESCE(signer_name, '')), COUNT(*) "
				  SIGNED " GROUP BY signer_nip" BY_COUNT,
	[DB_STAT_SIGNED_TYPE] = "SELECT type, '', COUNT(*) " SIGNED " GROUP BY type" BY_COUNT,
	[DB_STAT_SIGNED_MONTH] = "SELECT strftime('%Y-%m', signed_at + 25200, 'unixepoch'), '',"
				 " COUNT(*) " SIGNED " GROUP BY 1 ORDER BY 1",
	[DB_STAT_REFUSED_CODE] = "SELECT COALESCE(code, 'unknown'), '', COUNT(*) " REFUSED
				 " GROUP BY 1" BY_COUNT,
	[DB_STAT_REFUSED_PD] = "SELECT pd, '', COUNT(*) " REFUSED " GROUP BY pd" BY_COUNT,
	/* a code's family is what comes before its first dot: paraf.order -> paraf */
	[DB_STAT_REFUSED_CAUSE] = "SELECT CASE WHEN instr(code, '.') > 1"
				  " THEN substr(code, 1, instr(code, '.') - 1)"
				  " ELSE COALESCE(code, 'unknown') END, '', COUNT(*) " REFUSED
				  " GROUP BY 1" BY_COUNT,
	[DB_STAT_DELETED_PD] = "SELECT pd, '', COUNT(*) " DELETED " GROUP BY pd" BY_COUNT,
	[DB_STAT_REVOKED_REASON] = "SELECT COALESCE(c.revoke_reason, 'unknown'), '', COUNT(*) "
				   CERTS " AND c.state = 'revoked' AND c.state_at >= ?1"
				   " AND c.state_at < ?2 GROUP BY 1" BY_COUNT,
};

/* bind - the period's three parameters. */
static void
bind(struct db *db, struct db_stmt *st, const struct db_period *p)
{
	conn_bind_int(db, st, 1, p->from);
	conn_bind_int(db, st, 2, p->to);
	conn_bind_text(db, st, 3, p->pd, 1);
}

/* groups - each row (key, label, count) of sql, bound to p unless NULL, to fn; how many, or -1. */
static int
groups(struct db *db, const char *sql, const struct db_period *p, db_stat_fn fn, void *arg,
       struct err *e)
{
	struct db_stmt *st;
	enum db_step rc;
	int n = 0;

	if (!(st = conn_query(db, sql, "report", e)))
		return -1;
	if (p)
		bind(db, st, p);
	while ((rc = conn_step(db, st)) == DB_STEP_ROW) {
		n++;
		if (fn(arg, conn_text(db, st, 0), conn_text(db, st, 1), conn_int(db, st, 2)) != 0) {
			rc = DB_STEP_DONE;
			break;
		}
	}
	if (rc != DB_STEP_DONE)
		conn_fail(db, e, "report");
	conn_finalize(db, st);
	return rc == DB_STEP_DONE ? n : -1;
}

int
db_stat_groups(struct db *db, enum db_stat which, const struct db_period *p, db_stat_fn fn,
	       void *arg, struct err *e)
{
	if ((unsigned)which >= DB_STAT_N)
		return err_set(e, "internal", "no such figure (%d)", (int)which);
	return groups(db, group_sql[which], p, fn, arg, e);
}

/* scalar - the one number sql gives for p (0 when it gives none); -1 with e. */
static int
scalar(struct db *db, const char *sql, const struct db_period *p, long long arg4, long long *v,
       struct err *e)
{
	struct db_stmt *st = conn_query(db, sql, "report", e);
	enum db_step rc;

	*v = 0;
	if (!st)
		return -1;
	bind(db, st, p);
	conn_bind_int(db, st, 4, arg4);
	if ((rc = conn_step(db, st)) == DB_STEP_ROW)
		*v = conn_int(db, st, 0);
	else if (rc != DB_STEP_DONE)
		conn_fail(db, e, "report");
	conn_finalize(db, st);
	return rc == DB_STEP_ROW || rc == DB_STEP_DONE ? 0 : -1;
}

/* the signed jobs of the period and their claim-to-done seconds */
#define DURATIONS "FROM jobs WHERE outcome = 'signed' AND finished_at >= ?1 AND finished_at < ?2" \
	" AND (?3 IS NULL OR pd = ?3) AND finished_at IS NOT NULL AND ?4 = ?4"

int
db_stat_totals(struct db *db, const struct db_period *p, long long now, struct db_stat_totals *t,
	       struct err *e)
{
	int i;

	memset(t, 0, sizeof *t);
	if (scalar(db, "SELECT COUNT(*) " SIGNED " AND ?4 = ?4", p, 0, &t->signed_docs, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " REFUSED " AND ?4 = ?4", p, 0, &t->refused, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " SIGNED " AND timestamp_pending = ?4", p, 1,
		   &t->ts_waiting, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " SIGNED " AND timestamped_at IS NOT NULL AND ?4 = ?4", p,
		   0, &t->ts_late, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) FROM deletions WHERE deleted_at >= ?1 AND deleted_at < ?2"
		   " AND (?3 IS NULL OR pd = ?3) AND ?4 = ?4", p, 0, &t->deletions, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " DELETED " AND ?4 = ?4", p, 0, &t->deleted_docs, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " DURATIONS, p, 0, &t->latency_n, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " CERTS " AND c.serial IS NOT NULL AND c.not_before >= ?1"
		   " AND c.not_before < ?2 AND ?4 = ?4", p, 0, &t->certs_issued, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " CERTS " AND c.serial IS NOT NULL AND c.renews IS NOT NULL"
		   " AND c.not_before >= ?1 AND c.not_before < ?2 AND ?4 = ?4", p, 0,
		   &t->certs_renewed, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " CERTS " AND c.state = 'revoked' AND c.state_at >= ?1"
		   " AND c.state_at < ?2 AND ?4 = ?4", p, 0, &t->certs_revoked, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " CERTS " AND c.serial IS NOT NULL AND c.not_after >= ?1"
		   " AND c.not_after < ?2 AND ?4 = ?4", p, 0, &t->certs_expired, e) < 0 ||
	    scalar(db, "SELECT COUNT(*) " CERTS " AND c.state = 'issued' AND c.not_before < ?2"
		   " AND c.not_after >= ?2 AND ?4 = ?4", p, 0, &t->certs_active, e) < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		/* from now, not from the period: a reminder of what is still to renew */
		const struct db_period soon = { now, now + 86400LL * 30 * (i + 1), p->pd };
		if (scalar(db, "SELECT COUNT(*) " CERTS " AND c.state IN ('issued', 'suspended')"
			   " AND c.not_after >= ?1 AND c.not_after < ?2 AND ?4 = ?4", &soon, 0,
			   &t->certs_expiring[i], e) < 0)
			return -1;
	}
	if (t->latency_n == 0)
		return 0;
	/* the median is the lower middle for an even count: a duration that happened */
	if (scalar(db, "SELECT finished_at - claimed_at " DURATIONS " ORDER BY 1 LIMIT 1 OFFSET ?4",
		   p, (t->latency_n - 1) / 2, &t->latency_p50, e) < 0 ||
	    scalar(db, "SELECT finished_at - claimed_at " DURATIONS " ORDER BY 1 LIMIT 1 OFFSET ?4",
		   p, (t->latency_n * 9 + 9) / 10 - 1, &t->latency_p90, e) < 0)
		return -1;
	return 0;
}

int
db_stat_pds(struct db *db, db_stat_fn fn, void *arg, struct err *e)
{
	return groups(db, "SELECT pd, '', COUNT(*) FROM jobs GROUP BY pd ORDER BY pd", NULL, fn,
		      arg, e);
}
