/*
 * stats.h - the figures of the supervision report (Pasal 23), each one a
 * query over the records the pipeline keeps: nothing is counted twice or
 * kept in a second place, so a report can always be made again from the
 * database and must agree with it.
 *
 * A period is [from, to) in Unix time; pd NULL for every PD.  Months are
 * WIB months (UTC+7), as the district counts them.
 */
#ifndef SERTEL_STATS_H
#define SERTEL_STATS_H

#include "../base/err.h"

struct db;

struct db_period {
	long long from, to;
	const char *pd;		/* NULL: all PDs */
};

/* The groupings a report counts. */
enum db_stat {
	DB_STAT_SIGNED_PD,		/* documents signed, per PD */
	DB_STAT_SIGNED_SIGNER,		/* ... per signer (key NIP, label name) */
	DB_STAT_SIGNED_TYPE,		/* ... per document type */
	DB_STAT_SIGNED_MONTH,		/* ... per month (key YYYY-MM) */
	DB_STAT_REFUSED_CODE,		/* refusals, per refusal code */
	DB_STAT_REFUSED_PD,		/* ... per PD */
	DB_STAT_REFUSED_CAUSE,		/* ... per family of code (paraf, signer, pdf, ...) */
	DB_STAT_DELETED_PD,		/* documents deleted by berita acara, per PD */
	DB_STAT_REVOKED_REASON,		/* certificates revoked, per reason (pensiun, mutasi-keluar, ...) */
	DB_STAT_N
};

/* A db_stat_groups callback: key, a label ("" when none) and the count; non-zero stops. */
typedef int (*db_stat_fn)(void *arg, const char *key, const char *label, long long n);
/* db_stat_groups - the groups of which in p, largest first (months: in order); how many, or -1 with e. */
int db_stat_groups(struct db *db, enum db_stat which, const struct db_period *p, db_stat_fn fn,
		   void *arg, struct err *e);

/* db_stat_pds - every PD that ever dropped something, by name, with its job count; how many, or -1. */
int db_stat_pds(struct db *db, db_stat_fn fn, void *arg, struct err *e);

/* The single figures of a period. */
struct db_stat_totals {
	long long signed_docs;		/* documents signed */
	long long refused;		/* drops refused */
	long long ts_waiting;		/* signed without a timestamp, still waiting (B-B) */
	long long ts_late;		/* signed without one, timestamped later (augment) */
	long long deletions;		/* berita acara carried out */
	long long deleted_docs;		/* documents they deleted */
	long long latency_n;		/* signed jobs whose claim-to-done time is known */
	long long latency_p50;		/* seconds from claim to done: median */
	long long latency_p90;		/* ... and 90th percentile */
	/* the certificate registry: a certificate's issuance is its validity's start */
	long long certs_issued;		/* certificates valid from a day in the period */
	long long certs_renewed;	/* ... of them renewing an earlier one */
	long long certs_revoked;	/* revoked in the period */
	long long certs_expired;	/* whose validity ended in the period */
	long long certs_active;		/* issued and valid at the end of the period */
	long long certs_expiring[3];	/* active now and ending within 30, 60, 90 days of now */
};
/* db_stat_totals - the figures of p (now: when "expiring" counts from); 0 or -1 with e. */
int db_stat_totals(struct db *db, const struct db_period *p, long long now,
		   struct db_stat_totals *t, struct err *e);

#endif
