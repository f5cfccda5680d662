/*
 * cert_remind.c - `sertel watch` reminds Diskominfo, once a day in its log,
 * of every certificate in use that ends within 30 days (see cert_remind.h),
 * so a renewal (`sertel cert renew`) is applied for in time; one that has
 * ended is marked expired in the registry then.
 */
#include <stdio.h>

#include "../base/log.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/certs.h"
#include "../db/db.h"
#include "cert_remind.h"

/* The WIB day (days since the epoch at UTC+7) of the last reminder; -1 none yet. */
static long long last_day = -1;

struct remind {
	time_t now;
	int n;
	long long ended[64];	/* issued certificates past their end: to be marked expired */
	int nended;
};

/* warn_one - a db_cert_fn: the warning for one certificate. */
static int
warn_one(void *arg, const struct db_cert *c)
{
	struct remind *r = arg;
	char until[40];
	long long left = (c->not_after - (long long)r->now) / 86400;

	if (c->not_after <= (long long)r->now) {
		if (r->nended < 64)
			r->ended[r->nended++] = c->id;
		return 0;
	}
	text_time_wib(until, sizeof until, (time_t)c->not_after);
	log_warn(NULL, "certificate %lld of %s (%s, PD %s), serial %s, ends %s (%lld day(s) left): "
		 "apply for its renewal (sertel cert renew)", c->id, c->h.name, c->h.id, c->h.pd,
		 c->serial, until, left < 0 ? 0 : left);
	r->n++;
	return 0;
}

int
cert_remind(struct db *db, const struct cfg *c, int watch, time_t now)
{
	struct db_cert_filter f = { NULL, "issued", (long long)now + CERT_REMIND_DAYS * 86400LL };
	struct remind r = { .now = now };
	long long day = ((long long)now + 7 * 3600) / 86400;
	struct err e;
	int i;

	if (!watch || !c->certs.enabled || !db || day == last_day)
		return 0;
	last_day = day;
	if (db_cert_list(db, &f, warn_one, &r, &e) < 0)
		log_err(NULL, "certificate reminder: %s", e.detail);
	/* past their end: the registry says so (issued -> expired, in the audit trail) */
	for (i = 0; i < r.nended; i++) {
		const struct db_cert_change ch = { "expired", "sertel", "masa berlaku sertifikat habis",
						   (long long)now, NULL, NULL, 0 };
		if (db_cert_change(db, r.ended[i], &ch, &e) < 0)
			log_err(NULL, "certificate %lld: marking it expired: %s", r.ended[i], e.detail);
		else
			log_warn(NULL, "certificate %lld has ended: marked expired in the registry",
				 r.ended[i]);
	}
	return r.n;
}
