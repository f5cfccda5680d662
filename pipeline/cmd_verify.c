/*
 * cmd_verify.c - `sertel verify FILE.pdf [--json] [--trust CA.pem]... [--config FILE]`.
 *
 * IT staff check a signed document someone hands them, possibly on a machine
 * without sertel's configuration: every check lives in stages/pdf/verify*.c,
 * this file only gathers the anchors (--trust and the configuration's), answers
 * the ID TTE look-up from the database when there is one, and prints.
 *
 * The configuration is optional (cli_config_optional): an explicit one
 * (--config or $SERTEL_CONFIG) must load (exit 78), the default
 * /etc/sertel/sertel.yaml is used only when it exists and loads.
 * The database is opened read-only: verifying never writes anything.
 *
 * Exit: 0 intact and trusted, 1 tampered, 3 intact but not trusted, 2 could
 * not decide (not a PDF, no signature, unreadable file), 64 usage, 78 a
 * configuration named explicitly that cannot be loaded.
 *
 * A document deleted by berita acara whose signatures are intact and trusted
 * exits 4 (withdrawn), told apart from 0: the signature still holds, but the
 * document was withdrawn and must not be relied on; the registry detail names
 * the berita acara.  A tampered or untrusted one keeps 1 or 3.  A
 * certificate that a registry marks revoked (verify_lookup_result.revocation)
 * or that a CRL among the anchors lists does give 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mupdf/fitz.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../base/exits.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../db/certs.h"
#include "../db/deletions.h"
#include "../pki/anchors.h"
#include "../pki/certreq.h"
#include "../spool/fsutil.h"
#include "../stages/pdf/verify.h"
#include "cli.h"

/* The store half of the registry: sertel.db, opened on first use. */
struct dblookup {
	const char *state_dir;	/* NULL: no configuration, no registry */
	struct db *db;
	int failed;		/* opening failed once: do not retry for every signature */
	int deleted;		/* a signature's ID was deleted by berita acara */
	char why[160];
};

/* usage - the synopsis on f. */
static void
usage(FILE *f)
{
	fprintf(f, "usage: sertel verify [--json] [--trust CA.pem]... [--config FILE] FILE.pdf\n"
		"  exit 0 intact and trusted, 1 tampered, 3 intact but not trusted, "
		"2 could not decide, 4 intact but withdrawn (deleted by berita acara)\n");
}

/*
 * cert_revoked - the certificate registry's word on q's certificate: a
 * revoked one, when and why, and when the document was recorded signed.
 */
static void
cert_revoked(struct dblookup *d, const struct verify_query *q, struct verify_lookup_result *out)
{
	struct certreq_issued x;
	struct db_document doc;
	struct db_paraf *p = NULL;
	struct db_cert c;
	struct err e;
	size_t np = 0;

	certreq_describe(q->signer, &x);
	if (db_cert_by_issuer(d->db, x.issuer, q->serial, &c, &e) != 1 || strcmp(c.state, "revoked"))
		return;
	out->revocation = VR_REVOKED;
	out->revoked_at = (time_t)c.state_at;
	snprintf(out->revoked_why, sizeof out->revoked_why, "%s", c.revoke_reason);
	if (q->doc_id && db_doc_get(d->db, q->doc_id, &doc, &p, &np, &e) == 1 &&
	    !strcasecmp(doc.cert_serial, q->serial))
		out->recorded_at = (time_t)doc.signed_at;
	free(p);
}

/* db_lookup - a verify_lookup_fn: the ID's row in documents, the certificate in the registry. */
static int
db_lookup(void *arg, const struct verify_query *q, struct verify_lookup_result *out)
{
	struct dblookup *d = arg;
	struct err e;
	int deleted = 0, rc;

	if (d->db == NULL && !d->failed && (d->db = db_open_readonly(d->state_dir, &e)) == NULL) {
		snprintf(d->why, sizeof d->why, "%.150s", e.detail);
		d->failed = 1;
	}
	if (!d->failed)
		cert_revoked(d, q, out);
	if (q->doc_id == NULL) {
		snprintf(out->detail, sizeof out->detail, "the signature carries no ID TTE");
		return 0;
	}
	if (d->failed) {
		snprintf(out->detail, sizeof out->detail, "%s", d->why);
		return -1;
	}
	rc = db_doc_status(d->db, q->doc_id, &deleted, out->store_serial, sizeof out->store_serial,
			   &e);
	if (rc < 0) {
		snprintf(out->detail, sizeof out->detail, "%.150s", e.detail);
		return -1;
	}
	if (rc == 0) {
		out->store = VS_NOT_FOUND;
		snprintf(out->detail, sizeof out->detail, "ID %s is not in this sertel's database",
			 q->doc_id);
		return 0;
	}
	out->store = deleted ? VS_DELETED : VS_STORED;
	snprintf(out->detail, sizeof out->detail, "ID %s, certificate %s", q->doc_id,
		 out->store_serial);
	if (deleted) {
		struct db_tombstone t;
		d->deleted = 1;
		if (db_deletion_of(d->db, q->doc_id, &t, &e) == 1)
			snprintf(out->detail, sizeof out->detail, "ID %s deleted by berita acara "
				 "%.60s (%.60s)", q->doc_id, t.number, t.reason);
	}
	return 0;
}

/* config_anchors - the configuration's anchors for signers and for TSAs (warnings only). */
static void
config_anchors(X509_STORE *store, const struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->ntrust; i++)
		if (anchors_add_file(store, c->trust_anchors[i]) < 0)
			fprintf(stderr, "sertel: warning: trust anchor %s cannot be read\n",
				c->trust_anchors[i]);
	for (i = 0; i < c->timestamp.ntrust; i++)
		if (anchors_add_file(store, c->timestamp.trust[i]) < 0)
			fprintf(stderr, "sertel: warning: TSA anchor %s cannot be read\n",
				c->timestamp.trust[i]);
}

/* Command-line options. */
struct opts {
	int json;
	const char *config;
	const char *file;
	X509_STORE *store;
};

/* parse - options into o (anchors loaded as they come); 0, or an exit code. */
static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "trust", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;	/* main.c ran getopt_long already: start afresh */
	/* options may follow the file (GNU permutation): "verify FILE.pdf --json" */
	while ((ch = getopt_long(argc, argv, "jt:c:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': o->json = 1; break;
		case 'c': o->config = optarg; break;
		case 'h': usage(stdout); return -1;
		case 't':
			if (anchors_add_file(o->store, optarg) < 0) {
				fprintf(stderr, "sertel: --trust %s: no certificate can be read from "
					"it (a PEM file is expected)\n", optarg);
				return EX_USAGE;
			}
			break;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	o->file = argv[optind];
	return 0;
}

/* run - verify the mapped file and print the report; the exit code. */
static int
run(const struct opts *o, const unsigned char *pdf, size_t len, struct dblookup *db)
{
	struct verify_opts vo;
	struct verify_report r;
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	int rc;

	if (ctx == NULL) {
		fprintf(stderr, "sertel: cannot create a MuPDF context\n");
		return EX_UNDECIDED;
	}
	/* damaged inputs are expected here; the report says what matters */
	fz_set_warning_callback(ctx, NULL, NULL);
	fz_set_error_callback(ctx, NULL, NULL);
	memset(&vo, 0, sizeof vo);
	vo.anchors = o->store;
	vo.lookup = db->state_dir ? db_lookup : NULL;
	vo.lookup_arg = db;
	if (verify_pdf(ctx, pdf, len, &vo, &r) < 0) {
		fprintf(stderr, "sertel: out of memory verifying %s\n", o->file);
		rc = EX_UNDECIDED;
	} else {
		if (o->json)
			verify_print_json(stdout, o->file, &r);
		else
			verify_print_text(stdout, o->file, &r);
		rc = verify_exit_code(&r);
		if (rc == 0 && db->deleted)
			rc = EX_WITHDRAWN;
	}
	verify_report_free(&r);
	fz_drop_context(ctx);
	return rc;
}

int
cmd_verify(int argc, char **argv)
{
	struct dblookup db;
	struct opts o;
	struct cfg *c = NULL;
	const unsigned char *pdf = NULL;
	size_t len = 0;
	int rc;

	memset(&db, 0, sizeof db);
	memset(&o, 0, sizeof o);
	if ((o.store = X509_STORE_new()) == NULL)
		return EX_UNDECIDED;
	if ((rc = parse(argc, argv, &o)) != 0) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	c = cli_config_optional(o.config, &rc);
	if (rc)
		goto out;
	if (c) {
		config_anchors(o.store, c);
		db.state_dir = c->state_dir;
	}
	if (fs_map_nonempty(AT_FDCWD, o.file, 0, &pdf, &len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", o.file,
			errno == ENODATA ? "empty file" : strerror(errno));
		rc = EX_UNDECIDED;
		goto out;
	}
	rc = run(&o, pdf, len, &db);
	fs_unmap(pdf, len);
out:
	db_close(db.db);
	cfg_free(c);
	X509_STORE_free(o.store);
	return rc;
}
