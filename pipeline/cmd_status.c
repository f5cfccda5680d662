/*
 * cmd_status.c - `sertel status [--json]`: the operator's morning look.
 *
 * Whether the daemon (or a batch) holds the state, what waits in each PD's
 * incoming/ folder and since when, what is in queue/ and open in the
 * database, the last 24 hours (signed, refused by code), the last document
 * signed, signatures waiting for their timestamp, certificates ending within
 * 30 days, and the audit chain's head.  Everything is read as it is now; it
 * takes no lock and works while the daemon runs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/certs.h"
#include "../db/db.h"
#include "../db/stats.h"
#include "../spool/instance.h"
#include "../spool/spool.h"
#include "../spool/waiting.h"
#include "cli.h"

#define MAX_PDS 256

/* What status shows. */
struct status {
	long long now;
	long holder;
	struct spool_waiting w[MAX_PDS];
	size_t nw;
	long queued;			/* entries in queue/ */
	long long signed24, refused24, pending_ts, last_signed;
	struct { char code[64]; long long n; } codes[32];
	size_t ncodes;
	struct db_cert expiring[64];
	size_t nexpiring;
	long long audit_seq;
	char audit_hash[AUDIT_HASH_LEN + 1];
};

/* count_queue - the entries of queue/ (jobs claimed and not yet delivered). */
static long
count_queue(const struct cfg *c)
{
	char path[4096];
	struct dirent *d;
	long n = 0;
	DIR *dir;

	snprintf(path, sizeof path, "%s/queue", c->spool_dir);
	if (!(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* code_of - a db_stat_fn: one refusal code of the last 24 hours. */
static int
code_of(void *arg, const char *key, const char *label, long long n)
{
	struct status *s = arg;

	(void)label;
	if (s->ncodes < sizeof s->codes / sizeof s->codes[0]) {
		snprintf(s->codes[s->ncodes].code, sizeof s->codes[0].code, "%s", key);
		s->codes[s->ncodes++].n = n;
	}
	return 0;
}

/* expiring_one - a db_cert_fn: an active certificate ending soon. */
static int
expiring_one(void *arg, const struct db_cert *c)
{
	struct status *s = arg;

	if (s->nexpiring < sizeof s->expiring / sizeof s->expiring[0] && c->not_after >= s->now)
		s->expiring[s->nexpiring++] = *c;
	return 0;
}

/* last_signed - a db_doc_fn: the newest document's time. */
static int
last_signed(void *arg, const struct db_document *d)
{
	*(long long *)arg = d->signed_at;
	return 1;
}

/* gather - everything status shows; 0 or -1 with e. */
static int
gather(const struct cfg *c, struct db *db, struct status *s, struct err *e)
{
	const struct db_period day = { s->now - 86400, s->now + 1, NULL };
	const struct db_cert_filter soon = { NULL, "issued", s->now + 30 * 86400LL };
	const struct db_doc_filter newest = { .limit = 1 };
	struct db_stat_totals t;
	int n;

	s->holder = instance_holder(c->state_dir, INSTANCE_LOCK);
	n = spool_waiting(c->spool_dir, s->w, MAX_PDS);
	s->nw = n < 0 ? 0 : (size_t)n;
	s->queued = count_queue(c);
	if (db_stat_totals(db, &day, s->now, &t, e) < 0 ||
	    db_stat_groups(db, DB_STAT_REFUSED_CODE, &day, code_of, s, e) < 0 ||
	    db_doc_find(db, &newest, last_signed, &s->last_signed, e) < 0 ||
	    db_cert_list(db, &soon, expiring_one, s, e) < 0 ||
	    db_audit_head(db, &s->audit_seq, s->audit_hash, e) < 0)
		return -1;
	s->signed24 = t.signed_docs;
	s->refused24 = t.refused;
	{
		/* waiting for a timestamp: whenever they were signed */
		const struct db_period ever = { 0, s->now + 1, NULL };
		struct db_stat_totals all;
		if (db_stat_totals(db, &ever, s->now, &all, e) < 0)
			return -1;
		s->pending_ts = all.ts_waiting;
	}
	return 0;
}

/* print_text - for the operator at a terminal. */
static void
print_text(const struct cfg *c, const struct status *s)
{
	char when[40];
	size_t i;

	text_time_wib(when, sizeof when, (time_t)s->now);
	printf("sertel status, %s\n", when);
	if (s->holder > 0)
		printf("%-14s running: PID %ld holds %s/%s\n", "daemon", s->holder, c->state_dir,
		       INSTANCE_LOCK);
	else
		printf("%-14s %s\n", "daemon", s->holder == 0 ? "not running (no run or watch holds "
		       "the state)" : "unknown (the lock file cannot be read)");
	for (i = 0; i < s->nw; i++) {
		if (!s->w[i].files)
			continue;
		text_time_wib(when, sizeof when, s->w[i].oldest);
		printf("%-14s %s: %ld file(s), the oldest from %s (%ld min ago)\n", "waiting",
		       s->w[i].pd, s->w[i].files, when, (long)((s->now - s->w[i].oldest) / 60));
	}
	printf("%-14s %ld in queue/\n", "queue", s->queued);
	printf("%-14s %lld signed, %lld refused", "last 24 h", s->signed24, s->refused24);
	for (i = 0; i < s->ncodes; i++)
		printf("%s%s %lld", i ? ", " : " (", s->codes[i].code, s->codes[i].n);
	printf("%s\n", s->ncodes ? ")" : "");
	if (s->last_signed) {
		text_time_wib(when, sizeof when, (time_t)s->last_signed);
		printf("%-14s %s\n", "last signed", when);
	}
	printf("%-14s %lld signature(s) waiting for a timestamp%s\n", "timestamps", s->pending_ts,
	       s->pending_ts ? " (sertel augment adds them)" : "");
	printf("%-14s %zu active certificate(s) ending within 30 days\n", "certificates",
	       s->nexpiring);
	for (i = 0; i < s->nexpiring; i++) {
		text_time_wib(when, sizeof when, (time_t)s->expiring[i].not_after);
		printf("%-14s   %s %s (%s), until %s\n", "", s->expiring[i].h.id,
		       s->expiring[i].h.name, s->expiring[i].h.pd, when);
	}
	printf("%-14s %lld %s\n", "audit head", s->audit_seq, s->audit_hash);
}

/* print_json - the same facts for monitoring. */
static void
print_json(const struct status *s)
{
	size_t i;

	printf("{\"now\":%lld,\"daemon_pid\":%ld,\"waiting\":[", s->now, s->holder);
	for (i = 0; i < s->nw; i++) {
		printf("%s{\"pd\":", i ? "," : "");
		text_json_quote(stdout, s->w[i].pd);
		printf(",\"files\":%ld,\"oldest\":%lld}", s->w[i].files, (long long)s->w[i].oldest);
	}
	printf("],\"queue\":%ld,\"signed_24h\":%lld,\"refused_24h\":%lld,\"refused_24h_by_code\":{",
	       s->queued, s->signed24, s->refused24);
	for (i = 0; i < s->ncodes; i++) {
		printf("%s", i ? "," : "");
		text_json_quote(stdout, s->codes[i].code);
		printf(":%lld", s->codes[i].n);
	}
	printf("},\"last_signed\":%lld,\"timestamp_waiting\":%lld,\"certs_expiring_30d\":[",
	       s->last_signed, s->pending_ts);
	for (i = 0; i < s->nexpiring; i++) {
		printf("%s{\"holder\":", i ? "," : "");
		text_json_quote(stdout, s->expiring[i].h.id);
		printf(",\"name\":");
		text_json_quote(stdout, s->expiring[i].h.name);
		printf(",\"not_after\":%lld}", s->expiring[i].not_after);
	}
	printf("],\"audit_head\":{\"seq\":%lld,\"hash\":\"%s\"}}\n", s->audit_seq, s->audit_hash);
}

int
cmd_status(int argc, char **argv)
{
	int json = argc == 2 && !strcmp(argv[1], "--json");
	struct status *s;
	struct cfg *c;
	struct db *db;
	struct err e;
	int rc = 0;

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "usage: sertel status [--json]\n");
		return EX_USAGE;
	}
	if (!(s = calloc(1, sizeof *s)))
		return EX_OSERR;
	s->now = (long long)time(NULL);
	c = cli_config();
	if (!(db = db_open_readonly(c->state_dir, &e))) {
		rc = cli_db_exit(&e);
	} else if (gather(c, db, s, &e) < 0) {
		rc = cli_db_exit(&e);
	} else if (json) {
		print_json(s);
	} else {
		print_text(c, s);
	}
	db_close(db);
	cfg_free(c);
	free(s);
	return rc;
}
