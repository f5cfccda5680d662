/*
 * cmd_doc.c - `sertel doc show ID` and `sertel doc list [--pd PD] [--from
 * DATE] [--to DATE] [--number TEXT] [--failed] [--limit N]`: the signed
 * documents, and the refused drops, in the database, as the helpdesk looks
 * them up (an ID read over the telephone may come in lower case; a
 * refusal's report names its process ID, which `doc show` takes too).
 * Times are WIB, the district's.  The database hands out rows; how they
 * look on a terminal (and to scripts that read it) is decided here: the
 * list's header only on a terminal, so scripts read rows only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/jobid.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "../db/refusals.h"
#include "../db/stats.h"
#include "cli.h"

/* wib - t as "YYYY-MM-DD HH:MM:SS WIB". */
static const char *
wib(long long t, char *buf, size_t cap)
{
	text_time_wib(buf, cap, (time_t)t);
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
		snprintf(ts, sizeof ts, "added later, %s", wib(d->timestamped_at, at, sizeof at));
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
		{ "signed at", wib(d->signed_at, signed_at, sizeof signed_at) },
		{ "status", d->deleted ? "deleted" : "stored" }, { "timestamp", ts },
	};
	for (i = 0; i < sizeof row / sizeof row[0]; i++)
		fprintf(out, "%-19s %s\n", row[i][0], row[i][1]);
	if (t) {
		fprintf(out, "%-19s %s\n", "deleted at", wib(t->at, at, sizeof at));
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

/* show_refusal - `doc show` of a refused drop: its first problem, in words, and where the report is. */
static void
show_refusal(FILE *out, const struct db_refusal *r)
{
	const struct err_info *ei = err_info(r->code);
	char text[1024], claimed[80], finished[80], pos[48] = "";

	if (r->line > 0)
		snprintf(pos, sizeof pos, " (line %lld, column %lld)", r->line, r->col);
	fprintf(out, "%-19s %s\n%-19s %s\n%-19s %s\n", "id", r->id, "pd", r->pd, "file", r->file);
	fprintf(out, "%-19s refused\n", "status");
	fprintf(out, "%-19s %s\n", "code", r->code);
	if (ei) {
		fprintf(out, "%-19s %s\n", "pesan", err_text(ei->message, text, sizeof text));
		fprintf(out, "%-19s %s\n", "saran", err_text(ei->advice, text, sizeof text));
	}
	if (r->field[0])
		fprintf(out, "%-19s %s%s\n", "field", r->field, pos);
	fprintf(out, "%-19s %s\n", "detail", r->detail);
	fprintf(out, "%-19s %s\n%-19s %s\n", "taken at", wib(r->claimed_at, claimed, sizeof claimed),
		"refused at", wib(r->finished_at, finished, sizeof finished));
	if (r->delivered[0])
		fprintf(out, "%-19s failed/%s/%s.error.yaml (every problem found)\n", "report", r->pd,
			r->delivered);
	else
		fprintf(out, "%-19s not moved to failed/ yet (waiting in queue/)\n", "report");
}

/* list_one - `doc list`: one line per document (a db_doc_fn). */
static int
list_one(void *arg, const struct db_document *d)
{
	char signed_at[80];

	fprintf(arg, "%s  %s  %-14s %-16s %-22s %s  %-7s  %s\n", d->id,
		wib(d->signed_at, signed_at, sizeof signed_at), d->pd, d->type,
		d->number[0] ? d->number : "-", d->signer_nip, d->deleted ? "deleted" : "stored",
		d->delivered);
	return 0;
}

/* list_refusal - `doc list --failed`: one line per refused drop (a db_refusal_fn). */
static int
list_refusal(void *arg, const struct db_refusal *r)
{
	char at[80];

	fprintf(arg, "%s  %s  %-14s %-24s %s\n", r->id, wib(r->finished_at, at, sizeof at), r->pd,
		r->code, r->file);
	return 0;
}

/* doc_show - print document or refusal id; 0, EX_UNAVAILABLE (unknown ID), EX_IOERR or EX_TEMPFAIL. */
static int
doc_show(struct db *db, const char *id)
{
	struct db_document d;
	struct db_tombstone t;
	struct db_refusal r;
	struct db_paraf *p;
	size_t np;
	struct err e;
	int rc = db_doc_get(db, id, &d, &p, &np, &e);

	if (rc < 0)
		return cli_db_exit(&e);
	if (rc == 0) {
		if ((rc = db_refusal_get(db, id, &r, &e)) < 0)
			return cli_db_exit(&e);
		if (rc == 0) {
			fprintf(stderr, "sertel: no signed document or refusal with ID %s\n", id);
			return EX_UNAVAILABLE;
		}
		show_refusal(stdout, &r);
		return 0;
	}
	if (d.deleted && db_deletion_of(db, id, &t, &e) < 0) {
		free(p);
		return cli_db_exit(&e);
	}
	show(stdout, &d, p, np, d.deleted ? &t : NULL);
	free(p);
	return 0;
}

/* What pd_seen looks for, and what it found (for the message). */
struct pd_look {
	const char *pd;
	int found;
	char known[512];
};

/* pd_seen - a db_stat_fn: one PD that has jobs. */
static int
pd_seen(void *arg, const char *pd, const char *label, long long n)
{
	struct pd_look *l = arg;
	size_t len = strlen(l->known);

	(void)label;
	(void)n;
	l->found |= !strcmp(pd, l->pd);
	snprintf(l->known + len, sizeof l->known - len, "%s%s", len ? ", " : "", pd);
	return 0;
}

/* pd_known - 0 when pd has documents or a signer or official of the configuration; else EX_DATAERR said. */
static int
pd_known(const struct cfg *c, struct db *db, const char *pd)
{
	struct pd_look l = { pd, 0, "" };
	struct err e;
	size_t i;

	for (i = 0; i < c->nsigners; i++)
		if (c->signers[i].pd && !strcmp(c->signers[i].pd, pd))
			return 0;
	if (db_stat_pds(db, pd_seen, &l, &e) < 0)
		return cli_db_exit(&e);
	if (l.found)
		return 0;
	fprintf(stderr, "sertel: no PD '%s' here (PDs with documents: %s)\n", pd,
		l.known[0] ? l.known : "none yet");
	return EX_DATAERR;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel doc show ID\n"
		"       sertel doc list [--pd PD] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--number TEXT]"
		" [--failed] [--limit N]\n");
	return EX_USAGE;
}

/* list - `doc list`: the options from argv[2]; 0 or an exit code. */
static int
list(const struct cfg *c, struct db *db, int argc, char **argv)
{
	struct db_doc_filter f = { .limit = 100 };
	int i, failed = 0, rc;
	struct err e;

	for (i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--failed")) {
			failed = 1;
			continue;
		}
		if (!v)
			return EX_USAGE;
		i++;
		if (!strcmp(argv[i - 1], "--pd"))
			f.pd = v;
		else if (!strcmp(argv[i - 1], "--number"))
			f.number = v;
		else if (!strcmp(argv[i - 1], "--limit"))
			f.limit = atoi(v);
		else if (!strcmp(argv[i - 1], "--from") || !strcmp(argv[i - 1], "--to")) {
			long long t = text_wib_day(v);
			if (t < 0) {
				fprintf(stderr, "sertel: %s %s: not a date (YYYY-MM-DD, WIB)\n",
					argv[i - 1], v);
				return EX_DATAERR;
			}
			if (argv[i - 1][2] == 't')
				f.to = t + 24 * 3600;	/* the day itself is included */
			else
				f.from = t;
		} else
			return EX_USAGE;
	}
	if (f.pd && (rc = pd_known(c, db, f.pd)) != 0)
		return rc;
	if (isatty(STDOUT_FILENO)) {
		if (failed)
			printf("%-16s  %-23s  %-14s %-24s %s\n", "ID", "REFUSED", "PD", "CODE", "FILE");
		else
			printf("%-16s  %-23s  %-14s %-16s %-22s %-18s  %-7s  %s\n", "ID", "SIGNED", "PD",
			       "TYPE", "NUMBER", "SIGNER NIP", "STATUS", "DELIVERED AS");
	}
	if (failed)
		rc = db_refusal_list(db, f.pd, f.from, f.to, f.limit, list_refusal, stdout, &e);
	else
		rc = db_doc_find(db, &f, list_one, stdout, &e);
	return rc < 0 ? cli_db_exit(&e) : 0;
}

int
cmd_doc(int argc, char **argv)
{
	char id[JOBID_LEN + 1];
	struct cfg *c;
	struct db *db;
	struct err e;
	size_t i;
	int rc = EX_USAGE;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "show")) {
		if (argc != 3)
			return usage();
		/* read over the telephone: lower case is the same ID */
		for (i = 0; argv[2][i] && i < JOBID_LEN; i++)
			id[i] = (char)toupper((unsigned char)argv[2][i]);
		id[i] = '\0';
		if (strlen(argv[2]) != JOBID_LEN || !jobid_valid(id)) {
			fprintf(stderr, "sertel: '%s' is not a document ID (16 characters, 2-9 and A-Z "
				"without I and O)\n", argv[2]);
			return EX_DATAERR;
		}
	} else if (strcmp(argv[1], "list") != 0) {
		return usage();
	}
	c = cli_config();
	if (!(db = db_open(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	rc = !strcmp(argv[1], "show") ? doc_show(db, id) : list(c, db, argc, argv);
	db_close(db);
	cfg_free(c);
	return rc == EX_USAGE ? usage() : rc;
}
