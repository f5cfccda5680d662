/*
 * cmd_cert_view.c - `sertel cert list` and `sertel cert show`: the registry
 * as a table or labelled lines for people, and as JSON for scripts (see
 * cmd_cert.h).  Times are UTC.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "../db/certs.h"
#include "../db/db.h"
#include "../base/text.h"
#include "cli.h"
#include "cmd_cert.h"

/* day - t as YYYY-MM-DD (UTC), "-" for none. */
static const char *
day(long long t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm))
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return buf;
}

/* json_pair - "key": "value" (value NULL: null), with a comma before unless first. */
static void
json_pair(FILE *out, int first, const char *key, const char *value)
{
	fprintf(out, "%s\"%s\": ", first ? "" : ", ", key);
	if (value)
		text_json_quote(out, value);
	else
		fputs("null", out);
}

/* json - one certificate as a JSON object. */
static void
json(FILE *out, const struct db_cert *c)
{
	char nb[32], na[32], code[16];
	const char *const f[][2] = {
		{ "holder", c->h.id }, { "nik", c->h.nik }, { "nip", c->h.nip[0] ? c->h.nip : NULL },
		{ "name", c->h.name }, { "jabatan", c->h.jabatan }, { "pangkat", c->h.pangkat },
		{ "unit", c->h.unit }, { "pd", c->h.pd }, { "phone", c->h.phone },
		{ "email", c->h.email }, { "state", c->state }, { "state_by", c->state_by },
		{ "state_note", c->state_note }, { "recommender", c->recommender },
		{ "key", c->key_alg }, { "public_key_sha256", c->pubkey_sha256 },
		{ "serial", c->serial[0] ? c->serial : NULL },
		{ "issuer", c->issuer[0] ? c->issuer : NULL },
		{ "subject", c->subject[0] ? c->subject : NULL },
		{ "not_before", c->not_before ? day(c->not_before, nb, sizeof nb) : NULL },
		{ "not_after", c->not_after ? day(c->not_after, na, sizeof na) : NULL },
		{ "revoke_reason", c->revoke_reason[0] ? c->revoke_reason : NULL },
	};
	size_t i;

	fprintf(out, "{\"id\": %lld", c->id);
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		json_pair(out, 0, f[i][0], f[i][1]);
	snprintf(code, sizeof code, "%d", c->revoke_code);
	fprintf(out, ", \"revoke_code\": %s, \"requested_at\": %lld, \"state_at\": %lld,"
		" \"not_after_unix\": %lld, \"dir\": ", c->revoke_code >= 0 ? code : "null",
		c->requested_at, c->state_at, c->not_after);
	text_json_quote(out, c->dir);
	fputc('}', out);
}

struct listing {
	int json, n;
};

/* list_one - one line (or one JSON element) per certificate; a db_cert_fn. */
static int
list_one(void *arg, const struct db_cert *c)
{
	struct listing *l = arg;
	char na[32];

	if (l->json) {
		fputs(l->n++ ? ",\n " : "\n ", stdout);
		json(stdout, c);
	} else {
		printf("%-5lld %-10s %-18s %-10s %-24s %-10s %s\n", c->id, c->state, c->h.id,
		       day(c->not_after, na, sizeof na), c->serial[0] ? c->serial : "-", c->h.pd,
		       c->h.name);
	}
	return 0;
}

int
cert_list(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pd", required_argument, NULL, 'p' }, { "state", required_argument, NULL, 's' },
		{ "expiring", required_argument, NULL, 'x' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct db_cert_filter f = { NULL, NULL, 0 };
	struct listing l = { 0, 0 };
	struct err e;
	char *end;
	long days;
	int o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': f.pd = optarg; break;
		case 's': f.state = optarg; break;
		case 'j': l.json = 1; break;
		case 'x':
			days = strtol(optarg, &end, 10);
			if (end == optarg || (strcmp(end, "d") && *end) || days < 0 || days > 3650) {
				fprintf(stderr, "sertel: cert: --expiring '%s': a number of days, "
					"e.g. 30d\n", optarg);
				return EX_DATAERR;
			}
			f.expires_before = (long long)time(NULL) + days * 86400LL;
			break;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return EX_USAGE;
	if (f.state && !db_cert_state_known(f.state)) {
		fprintf(stderr, "sertel: cert: --state '%s': one of requested, verified, rejected, "
			"issued, superseded, expired, revoked, suspended\n", f.state);
		return EX_DATAERR;
	}
	if (f.expires_before && !f.state)	/* expiring: of the certificates in use */
		f.state = "issued";
	if (l.json)
		fputc('[', stdout);
	else
		printf("%-5s %-10s %-18s %-10s %-24s %-10s %s\n", "ID", "STATE", "HOLDER",
		       "NOT_AFTER", "SERIAL", "PD", "NAME");
	if (db_cert_list(db, &f, list_one, &l, &e) < 0)
		return cli_db_exit(&e);
	if (l.json)
		fputs(l.n ? "\n]\n" : "]\n", stdout);
	return 0;
}

int
cert_show(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	struct db_cert c;
	char req[32], at[32], nb[32], na[32], code[24];
	size_t i;
	int o, as_json = 0, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o != 'j')
			return EX_USAGE;
		as_json = 1;
	}
	if (optind + 1 != argc)
		return EX_USAGE;
	if ((rc = cert_lookup(db, argv[optind], &c)) != 0)
		return rc;
	if (as_json) {
		json(stdout, &c);
		fputc('\n', stdout);
		return 0;
	}
	snprintf(code, sizeof code, "%d", c.revoke_code);
	const char *const row[][2] = {
		{ "holder", c.h.id }, { "nik", c.h.nik }, { "nip", c.h.nip[0] ? c.h.nip : "-" },
		{ "name", c.h.name }, { "jabatan", c.h.jabatan }, { "pangkat", c.h.pangkat },
		{ "unit", c.h.unit }, { "pd", c.h.pd }, { "phone", c.h.phone },
		{ "email", c.h.email }, { "recommender", c.recommender },
		{ "requested", day(c.requested_at, req, sizeof req) }, { "state", c.state },
		{ "since", day(c.state_at, at, sizeof at) }, { "by", c.state_by },
		{ "note", c.state_note }, { "key", c.key_alg },
		{ "public key", c.pubkey_sha256 }, { "files", c.dir },
		{ "serial", c.serial[0] ? c.serial : "-" }, { "issuer", c.issuer[0] ? c.issuer : "-" },
		{ "subject", c.subject[0] ? c.subject : "-" },
		{ "not before", day(c.not_before, nb, sizeof nb) },
		{ "not after", day(c.not_after, na, sizeof na) },
		{ "revoked for", c.revoke_reason[0] ? c.revoke_reason : "-" },
		{ "CRLReason", c.revoke_code >= 0 ? code : "-" },
	};
	printf("%-12s %lld\n", "id", c.id);
	for (i = 0; i < sizeof row / sizeof row[0]; i++)
		printf("%-12s %s\n", row[i][0], row[i][1][0] ? row[i][1] : "-");
	return 0;
}
