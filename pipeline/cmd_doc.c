/*
 * cmd_doc.c - `sertel doc show ID` and `sertel doc list [--pd PD] [--limit N]`:
 * the signed documents in the database.  The database hands out rows; how
 * they look on a terminal (and to scripts that read it) is decided here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "../base/jobid.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "cli.h"

/* utc - t as "YYYY-MM-DD HH:MM:SS" in UTC (what SQLite's datetime() printed before). */
static const char *
utc(long long t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

/* show - `doc show`: one labelled line per field, then one line per paraf. */
static void
show(FILE *out, const struct db_document *d, const struct db_paraf *p, size_t np,
     const struct db_tombstone *t)
{
	char size_orig[24], size_signed[24], signed_at[80], at[80], ts[128];
	size_t i;

	snprintf(size_orig, sizeof size_orig, "%lld", d->size_orig);
	snprintf(size_signed, sizeof size_signed, "%lld", d->size_signed);
	if (d->timestamp_pending)
		snprintf(ts, sizeof ts, "waiting (signed B-B; sertel augment adds it)");
	else if (d->timestamped)
		snprintf(ts, sizeof ts, "added later, %s UTC", utc(d->timestamped_at, at, sizeof at));
	else
		snprintf(ts, sizeof ts, "as signed");
	const char *const row[][2] = {
		{ "id", d->id }, { "pd", d->pd }, { "file", d->file },
		{ "delivered as", d->delivered }, { "type", d->type }, { "number", d->number },
		{ "subject", d->subject }, { "signer nip", d->signer_nip },
		{ "signer name", d->signer_name }, { "certificate serial", d->cert_serial },
		{ "sha256 original", d->sha_orig }, { "sha256 signed", d->sha_signed },
		{ "size original", size_orig }, { "size signed", size_signed },
		{ "store", d->store_path },
		{ "signed at (UTC)", utc(d->signed_at, signed_at, sizeof signed_at) },
		{ "status", d->deleted ? "deleted" : "stored" }, { "timestamp", ts },
	};
	for (i = 0; i < sizeof row / sizeof row[0]; i++)
		fprintf(out, "%-19s %s\n", row[i][0], row[i][1]);
	if (t) {
		fprintf(out, "%-19s %s UTC\n", "deleted at", utc(t->at, at, sizeof at));
		fprintf(out, "%-19s %s\n", "berita acara", t->number);
		fprintf(out, "%-19s %s (%s)\n", "requested by", t->officer_name, t->officer_nip);
		fprintf(out, "%-19s %s\n", "reason", t->reason);
	}
	for (i = 0; i < np; i++) {
		char seq[16];
		snprintf(seq, sizeof seq, "%d", p[i].seq);
		fprintf(out, "paraf %-13s %s %s (%s) %s sha256=%.16s...\n", seq, p[i].nip,
			p[i].name, p[i].role, p[i].time, p[i].sha256);
	}
}

/* list_one - `doc list`: one line per document (a db_doc_fn). */
static int
list_one(void *arg, const struct db_document *d)
{
	char signed_at[80];

	fprintf(arg, "%s  %s  %-16s %-16s %s  %s  %s\n", d->id,
		utc(d->signed_at, signed_at, sizeof signed_at), d->pd, d->type, d->signer_nip,
		d->deleted ? "deleted" : "stored", d->delivered);
	return 0;
}

/* doc_show - print document id; 0, EX_UNAVAILABLE (unknown ID), EX_IOERR or EX_TEMPFAIL. */
static int
doc_show(struct db *db, const char *id)
{
	struct db_document d;
	struct db_tombstone t;
	struct db_paraf *p;
	size_t np;
	struct err e;
	int rc = db_doc_get(db, id, &d, &p, &np, &e);

	if (rc < 0)
		return cli_db_exit(&e);
	if (rc == 0) {
		fprintf(stderr, "sertel: no signed document with ID %s\n", id);
		return EX_UNAVAILABLE;
	}
	if (d.deleted && db_deletion_of(db, id, &t, &e) < 0) {
		free(p);
		return cli_db_exit(&e);
	}
	show(stdout, &d, p, np, d.deleted ? &t : NULL);
	free(p);
	return 0;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel doc show ID\n       sertel doc list [--pd PD] [--limit N]\n");
	return EX_USAGE;
}

int
cmd_doc(int argc, char **argv)
{
	const char *pd = NULL;
	struct cfg *c;
	struct db *db;
	struct err e;
	int rc = EX_USAGE, limit = 100, i;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "show") && argc == 3 && !jobid_valid(argv[2])) {
		fprintf(stderr, "sertel: '%s' is not a document ID (16 characters, 2-9 and A-Z "
			"without I and O)\n", argv[2]);
		return EX_DATAERR;
	}
	c = cli_config();
	if (!(db = db_open(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	if (!strcmp(argv[1], "show") && argc == 3) {
		rc = doc_show(db, argv[2]);
	} else if (!strcmp(argv[1], "list")) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--pd") && i + 1 < argc)
				pd = argv[++i];
			else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
				limit = atoi(argv[++i]);
			else
				break;
		}
		if (i < argc)
			rc = EX_USAGE;
		else if (db_doc_list(db, pd, limit, list_one, stdout, &e) < 0)
			rc = cli_db_exit(&e);
		else
			rc = 0;
	}
	db_close(db);
	cfg_free(c);
	return rc == EX_USAGE ? usage() : rc;
}
