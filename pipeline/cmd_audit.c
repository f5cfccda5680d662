/*
 * cmd_audit.c - `sertel audit verify [--head SEQ:HASH]` and `sertel audit show
 * [--id ID] [--nip NIP] [--pd PD] [--from DATE] [--to DATE]`: the audit trail
 * (db/audit.h).  Both only read (no lock, the daemon may run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "../base/exits.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "cli.h"

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel audit verify [--head SEQ:HASH]\n"
		"       sertel audit show [--id ID] [--nip NIP] [--pd PD] [--from YYYY-MM-DD]"
		" [--to YYYY-MM-DD]\n");
	return EX_USAGE;
}

/* day - "YYYY-MM-DD" as the Unix time of its midnight UTC (+1 day when end); -1 if malformed. */
static long long
day(const char *s, int end)
{
	struct tm tm;
	char rest;
	int y, m, d;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31 || y < 2000)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + (end ? 1 : 0);
	return (long long)timegm(&tm);
}

/* show_one - one record per line (a db_audit_fn). */
static int
show_one(void *arg, const struct db_audit *a)
{
	time_t t = (time_t)a->at;
	struct tm tm;
	char when[32] = "";

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(arg, "%6lld %s %-16s %-16s %-18s %-12s %s\n", a->seq, when, a->event,
		a->doc[0] ? a->doc : "-", a->nip[0] ? a->nip : "-", a->pd[0] ? a->pd : "-",
		a->detail);
	return 0;
}

/* verify - `audit verify`: 0 sound, 1 the first bad record named. */
static int
verify(struct db *db, long long want_seq, const char *want)
{
	struct db_audit_check c;
	struct err e;
	int rc = db_audit_verify(db, want_seq, want, &c, &e);

	if (rc < 0)
		return cli_db_exit(&e);
	if (rc > 0) {
		printf("audit: BAD at record %lld: %s (%lld record(s) read)\n", c.bad, c.why,
		       c.count);
		return EX_REFUSED;
	}
	printf("audit: OK, %lld record(s), head %lld %s\n", c.count, c.head_seq, c.head);
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	struct db_audit_filter f = { 0 };
	char want[AUDIT_HASH_LEN + 1] = "";
	long long want_seq = 0;
	struct cfg *c;
	struct db *db;
	struct err e;
	int rc, i, show;

	if (argc < 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "show")))
		return usage();
	show = !strcmp(argv[1], "show");
	/* every option takes a value: they come in pairs */
	for (i = 2; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		if (!show && !strcmp(argv[i], "--head")) {
			char tail;
			if (sscanf(v, "%lld:%64[0-9a-f]%c", &want_seq, want, &tail) != 2 ||
			    want_seq < 1 || strlen(want) != AUDIT_HASH_LEN) {
				fprintf(stderr, "sertel: --head wants SEQ:HASH as the log prints it "
					"(audit head 42 <64 hex digits> is 42:<64 hex digits>)\n");
				return EX_USAGE;
			}
		} else if (show && !strcmp(argv[i], "--id")) {
			f.doc = v;
		} else if (show && !strcmp(argv[i], "--nip")) {
			f.nip = v;
		} else if (show && !strcmp(argv[i], "--pd")) {
			f.pd = v;
		} else if (show && (!strcmp(argv[i], "--from") || !strcmp(argv[i], "--to"))) {
			long long t = day(v, argv[i][2] == 't');
			if (t < 0) {
				fprintf(stderr, "sertel: %s: '%s' is not a date (YYYY-MM-DD)\n",
					argv[i], v);
				return EX_USAGE;
			}
			*(argv[i][2] == 't' ? &f.to : &f.from) = t;
		} else {
			return usage();
		}
	}
	c = cli_config();
	if (!(db = db_open_readonly(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	if (show)
		rc = db_audit_list(db, &f, show_one, stdout, &e) < 0 ? cli_db_exit(&e) : 0;
	else
		rc = verify(db, want_seq, want);
	db_close(db);
	cfg_free(c);
	return rc;
}
