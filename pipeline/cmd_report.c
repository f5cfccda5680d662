/*
 * cmd_report.c - `sertel report`: the supervision and evaluation report of
 * Pasal 23 for a period, as PDF, CSV or JSON (pipeline/supervision.h).  It
 * only reads the database (the daemon may run meanwhile).
 *
 *   sertel report --from YYYY-MM-DD --to YYYY-MM-DD [--pd PD]
 *                 [--format pdf|csv|json|html] [--number TEXT] [-o FILE | --dir DIR]
 *   sertel report --period last-half|last-year ...
 *
 * --period names the previous half-year (January-June or July-December) or
 * the previous calendar year as of today in WIB: what the six-monthly and
 * yearly timers ask for.  -o writes FILE atomically (a temp name, fsync,
 * rename); a PDF is signed by the service signer (deletion.service_signer)
 * when one is configured, kept in the store and recorded (its ID in the
 * mark), unless --unsigned; --dir writes DIR/laporan-tte-FROM-TO[-PD].FORMAT the same way
 * (what the timers use); without either the report goes to standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../base/hex.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../spool/fsutil.h"
#include "../web/wbuf.h"
#include "cli.h"
#include "selfsign.h"
#include "supervision.h"

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel report --from YYYY-MM-DD --to YYYY-MM-DD [--pd PD]"
		" [--format pdf|csv|json|html] [--number TEXT] [--unsigned] [-o FILE | --dir DIR]\n"
		"       sertel report --period last-half|last-year [...]\n");
	return EX_USAGE;
}

/* last_period - the previous half-year or year before now (WIB) into from/to. */
static int
last_period(const char *which, char from[11], char to[11])
{
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	unsigned y;
	int h1;

	if (!gmtime_r(&now, &tm))
		return -1;
	y = (unsigned)(tm.tm_year + 1900);
	h1 = tm.tm_mon < 6;	/* in January-June the half before is last July-December */
	if (!strcmp(which, "last-year"))
		y--;
	else if (strcmp(which, "last-half") != 0)
		return -1;
	else if (h1)
		y--;
	snprintf(from, 11, "%04u-%s", y % 10000, !strcmp(which, "last-half") && h1 ? "07-01" : "01-01");
	snprintf(to, 11, "%04u-%s", y % 10000, !strcmp(which, "last-half") && !h1 ? "06-30" : "12-31");
	return 0;
}

/* emit - the report's bytes to path (atomically) or standard output; 0 or EX_CANTCREAT. */
static int
emit(const char *path, const void *data, size_t len)
{
	char *d = NULL, *b = NULL, *dir, *base;
	int dfd, rc = 0;

	if (!path) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "sertel: report: standard output: %s\n", strerror(errno));
			return EX_IOERR;
		}
		return 0;
	}
	if (!(d = strdup(path)) || !(b = strdup(path))) {
		free(d);
		return EX_OSERR;
	}
	dir = dirname(d);
	base = basename(b);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fs_write_atomic(dfd, base, data, len, 1) < 0) {
		fprintf(stderr, "sertel: report: %s: %s\n", path, strerror(errno));
		rc = EX_CANTCREAT;
	}
	if (dfd >= 0)
		close(dfd);
	free(d);
	free(b);
	return rc;
}

/* render - s in format into *data (caller frees); 0 or -1 with e. */
static int
render(const struct cfg *c, const struct supervision *s, const char *format, const char *number,
       char **data, size_t *len, struct err *e)
{
	fz_context *ctx;
	fz_buffer *volatile buf = NULL;
	FILE *f;
	int rc;

	if (!strcmp(format, "html")) {
		struct wbuf b = { 0 };
		if (sv_html(c, s, number, &b) < 0) {
			wbuf_free(&b);
			return err_set(e, "internal", "out of memory");
		}
		*data = b.p;	/* the buffer is the caller's now */
		*len = b.n;
		return 0;
	}
	if (strcmp(format, "pdf") != 0) {
		if (!(f = open_memstream(data, len)))
			return err_set(e, "internal", "out of memory");
		rc = !strcmp(format, "csv") ? sv_csv(s, f) : sv_json(s, f);
		if (fclose(f) != 0 || rc < 0)
			return err_set(e, "internal", "out of memory");
		return 0;
	}
	if (!(ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT)))
		return err_set(e, "internal", "out of memory");
	fz_try(ctx)
		buf = fz_new_buffer(ctx, 1 << 16);
	fz_catch(ctx) {
		fz_drop_context(ctx);
		return err_set(e, "internal", "out of memory");
	}
	if ((rc = sv_pdf(c, s, number, ctx, buf, e)) == 0) {
		unsigned char *p;
		*len = fz_buffer_storage(ctx, buf, &p);
		if (!(*data = malloc(*len ? *len : 1)))
			rc = err_set(e, "internal", "out of memory");
		else
			memcpy(*data, p, *len);
	}
	fz_drop_buffer(ctx, buf);
	fz_drop_context(ctx);
	return rc;
}

/*
 * sign_report - the rendered PDF (*data) signed by the service signer,
 * kept in the store and recorded as a document of type "laporan-tte" (so
 * `sertel verify`, `doc show` and the verification page know it); *data
 * becomes the signed bytes.  0 or -1 with e.
 */
static int
sign_report(const struct cfg *c, struct db *db, const struct supervision *s, const char *number,
	    const char *out, char **data, size_t *len, struct err *e)
{
	struct selfsign_result r;
	struct db_document doc;
	unsigned char md[SHA256_DIGEST_LENGTH];
	char reason[256], tmp[64], meta[160], *signed_ = NULL;
	const char *base = out ? strrchr(out, '/') : NULL;
	size_t slen;
	int sfd, rc;

	snprintf(reason, sizeof reason, "Laporan pengawasan dan evaluasi Nomor: %s", number);
	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "%s: %s", c->state_dir, strerror(errno));
	snprintf(tmp, sizeof tmp, ".tmp.%ld.laporan.pdf", (long)getpid());
	{
		const struct selfsign rq = { (const unsigned char *)*data, *len, reason, NULL,
					     s->made_at, "laporan" };
		rc = selfsign_make(c, &rq, sfd, tmp, &r, e);
	}
	if (rc == 0 && fs_read_all(sfd, tmp, (size_t)1 << 30, &signed_, &slen) < 0)
		rc = err_set(e, "io.error", "reading the signed report back: %s", strerror(errno));
	unlinkat(sfd, tmp, 0);
	close(sfd);
	if (rc < 0)
		return -1;
	memset(&doc, 0, sizeof doc);
	memcpy(doc.id, r.id, sizeof doc.id);
	snprintf(doc.pd, sizeof doc.pd, "%s", r.signer_pd[0] ? r.signer_pd : "diskominfo");
	snprintf(doc.type, sizeof doc.type, "laporan-tte");
	snprintf(doc.number, sizeof doc.number, "%s", number);
	snprintf(doc.subject, sizeof doc.subject, "Laporan pengawasan dan evaluasi TTE %s s.d. %s%s%s",
		 s->from, s->to, s->pd[0] ? ", " : "", s->pd);
	snprintf(doc.signer_nip, sizeof doc.signer_nip, "%s", r.signer_nip);
	snprintf(doc.signer_name, sizeof doc.signer_name, "%s", r.signer_name);
	snprintf(doc.cert_serial, sizeof doc.cert_serial, "%s", r.cert_serial);
	SHA256((const unsigned char *)*data, *len, md);
	hex_encode(md, sizeof md, doc.sha_orig);
	/* what the rendering was made from: the number and the moment (never two alike) */
	snprintf(meta, sizeof meta, "%s@%lld", number, s->made_at);
	SHA256((const unsigned char *)meta, strlen(meta), md);
	hex_encode(md, sizeof md, doc.sha_meta);
	memcpy(doc.sha_signed, r.sha256, sizeof doc.sha_signed);
	doc.size_orig = (long long)*len;
	doc.size_signed = (long long)r.size;
	doc.signed_at = s->made_at;
	snprintf(doc.store_path, sizeof doc.store_path, "%s", r.store);
	doc.timestamp_pending = r.deferred;
	snprintf(doc.delivered, sizeof doc.delivered, "%.*s", 200, base ? base + 1 : out ? out : "-");
	if (db_doc_record_own(db, &doc, "report", out ? out : "(standard output)", 0, e) < 0) {
		free(signed_);
		return -1;
	}
	free(*data);
	*data = signed_;
	*len = slen;
	if (!cli.quiet)
		fprintf(stderr, "sertel: report %s signed by %s (ID %s)\n", number, r.signer_nip, r.id);
	return 0;
}

int
cmd_report(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *pd = NULL, *format = "pdf", *out = NULL;
	const char *number = NULL, *period = NULL, *dir = NULL;
	char pf[11], pt[11], numbuf[96], path[4096], *data = NULL;
	struct supervision s;
	size_t len = 0;
	struct cfg *c;
	struct db *db;
	struct err e;
	int i, rc, sign, unsigned_ = 0;

	for (i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--unsigned")) {
			unsigned_ = 1;
			i--;
			continue;
		}
		if (!v)
			return usage();
		if (!strcmp(argv[i], "--from"))
			from = v;
		else if (!strcmp(argv[i], "--to"))
			to = v;
		else if (!strcmp(argv[i], "--pd"))
			pd = v;
		else if (!strcmp(argv[i], "--format"))
			format = v;
		else if (!strcmp(argv[i], "--number"))
			number = v;
		else if (!strcmp(argv[i], "--period"))
			period = v;
		else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output"))
			out = v;
		else if (!strcmp(argv[i], "--dir"))
			dir = v;
		else
			return usage();
	}
	if (strcmp(format, "pdf") && strcmp(format, "csv") && strcmp(format, "json") &&
	    strcmp(format, "html")) {
		fprintf(stderr, "sertel: report: --format %s: pdf, csv, json or html\n", format);
		return EX_USAGE;
	}
	if (period) {
		if ((from || to) || last_period(period, pf, pt) < 0) {
			fprintf(stderr, "sertel: report: --period is last-half or last-year, "
				"without --from/--to\n");
			return EX_USAGE;
		}
		from = pf;
		to = pt;
	}
	if (!from || !to || (out && dir))
		return usage();
	if (!strcmp(format, "pdf") && !out && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sertel: report: a PDF goes to a file: add -o FILE.pdf\n");
		return EX_USAGE;
	}
	if (sv_period(&s, from, to, pd, &e) < 0) {
		fprintf(stderr, "sertel: report: %s\n", e.detail);
		return EX_USAGE;
	}
	if (dir) {
		snprintf(path, sizeof path, "%s/laporan-tte-%s-%s%s%s.%s", dir, from, to, pd ? "-" : "",
			 pd ? pd : "", format);
		out = path;
	}
	if (!number) {
		/* the period names the report; the same period made again has the same number */
		snprintf(numbuf, sizeof numbuf, "LAP-TTE/%.4s%.2s%.2s-%.4s%.2s%.2s%s%s", from, from + 5,
			 from + 8, to, to + 5, to + 8, pd ? "/" : "", pd ? pd : "");
		number = numbuf;
	}
	c = cli_config();
	/* a PDF is signed by the service signer when there is one (and recorded: read-write) */
	sign = !unsigned_ && !strcmp(format, "pdf") && c->deletion.service_signer;
	if (!(db = sign ? db_open(c->state_dir, &e) : db_open_readonly(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	if (sv_collect(&s, db, &e) < 0)
		rc = cli_db_exit(&e);
	else if (render(c, &s, format, number, &data, &len, &e) < 0) {
		fprintf(stderr, "sertel: report: %s\n", e.detail);
		rc = EX_SOFTWARE;
	} else if (sign && sign_report(c, db, &s, number, out, &data, &len, &e) < 0) {
		fprintf(stderr, "sertel: report: signing: %s\n", e.detail);
		rc = err_is_retry(&e) ? EX_TEMPFAIL : !strncmp(e.code, "signer.", 7) ? EX_CONFIG :
		     EX_SOFTWARE;
	} else
		rc = emit(out, data, len);
	free(data);
	sv_free(&s);
	db_close(db);
	cfg_free(c);
	return rc;
}
