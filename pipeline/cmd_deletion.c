/*
 * cmd_deletion.c - `sertel deletion new --officer NIP --reason TEXT ID...`
 * (a pre-filled berita acara on stdout) and `sertel deletion submit FILE`:
 * validate it (every violation listed, Bahasa Indonesia, line:column), then
 * carry it out all or nothing (db/deletions.h), remove the store copies
 * after the commit, and write the receipt and the signed berita acara PDF
 * (berita_pdf.h) into SPOOL/done/<pd>/.  The same file submitted again (a
 * retry after a crash) only completes that delivery.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../base/hex.h"
#include "../base/jobid.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "../spool/fsutil.h"
#include "berita.h"
#include "berita_pdf.h"
#include "cli.h"
#include "report.h"

static const char *const hari[] = { "Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat",
				    "Sabtu" };
static const char *const bulan[] = { "Januari", "Februari", "Maret", "April", "Mei", "Juni",
				      "Juli", "Agustus", "September", "Oktober", "November",
				      "Desember" };

/* officer_check - the requester may file for pd; findings into errs. */
static void
officer_check(const struct cfg *c, const struct berita *b, struct errs *errs)
{
	const struct cfg_official *o = b->nip ? cfg_official_find(c, b->nip) : NULL;
	size_t i;
	int held = 0;

	if (!b->nip)
		return;
	if (!o) {
		errs_addf(errs, "deletion.officer_unknown", "pemohon.nip", b->nip_line, b->nip_col,
			  "NIP %s tidak ada dalam daftar pejabat (officials:)", b->nip);
		return;
	}
	if (!o->active)
		errs_addf(errs, "deletion.officer_inactive", "pemohon.nip", b->nip_line, b->nip_col,
			  "%s (%s) tidak aktif", o->name, b->nip);
	for (i = 0; i < c->deletion.officer_roles.n; i++)
		held |= cfg_strs_has(&o->roles, c->deletion.officer_roles.v[i]);
	if (!held)
		errs_addf(errs, "deletion.not_officer", "pemohon.nip", b->nip_line, b->nip_col,
			  "%s (%s) tidak memegang peran petugas arsip", o->name, b->nip);
	if (b->pd && !cfg_official_in_pd(o, b->pd))
		errs_addf(errs, "deletion.officer_pd", "pemohon.nip", b->nip_line, b->nip_col,
			  "%s (%s) bukan pejabat perangkat daerah %s", o->name, b->nip, b->pd);
}

/* filled - 1 when s holds something other than spaces. */
static int
filled(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 1;
	return 0;
}

/* items_check - every ID known, stored, of pd, once; every reason given; the counts. */
static int
items_check(struct db *db, const struct berita *b, struct errs *errs, struct err *e)
{
	char words[256];
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		const struct berita_item *it = &b->items[i];
		struct db_document d;
		struct db_paraf *p;
		size_t np;
		char field[64];
		int rc;

		snprintf(field, sizeof field, "dokumen[%zu].alasan", i);
		if (it->reason && !filled(it->reason))
			errs_addf(errs, "deletion.reason_empty", field, it->reason_line,
				  it->reason_col, "alasan penghapusan dokumen ke-%zu kosong", i + 1);
		if (!it->id)
			continue;
		snprintf(field, sizeof field, "dokumen[%zu].id", i);
		for (k = 0; k < i; k++)
			if (b->items[k].id && !strcmp(b->items[k].id, it->id))
				break;
		if (k < i) {
			errs_addf(errs, "deletion.id_twice", field, it->id_line, it->id_col,
				  "ID %s sudah tercantum pada baris ke-%zu", it->id, k + 1);
			continue;
		}
		if (!jobid_valid(it->id)) {
			errs_addf(errs, "deletion.id_unknown", field, it->id_line, it->id_col,
				  "'%s' bukan ID dokumen (16 karakter)", it->id);
			continue;
		}
		if ((rc = db_doc_get(db, it->id, &d, &p, &np, e)) < 0)
			return -1;
		free(p);
		if (rc == 0)
			errs_addf(errs, "deletion.id_unknown", field, it->id_line, it->id_col,
				  "tidak ada dokumen bertanda tangan dengan ID %s", it->id);
		else if (d.deleted)
			errs_addf(errs, "deletion.id_deleted", field, it->id_line, it->id_col,
				  "dokumen %s sudah dihapus", it->id);
		else if (b->pd && strcmp(d.pd, b->pd))
			errs_addf(errs, "deletion.officer_pd", field, it->id_line, it->id_col,
				  "dokumen %s milik perangkat daerah %s, bukan %s", it->id, d.pd,
				  b->pd);
	}
	if (b->count >= 0 && (size_t)b->count != b->n)
		errs_addf(errs, "deletion.count", "jumlah", b->count_line, b->count_col,
			  "jumlah %lld, tabel berisi %zu dokumen", b->count, b->n);
	berita_words(b->count >= 0 ? b->count : (long long)b->n, words, sizeof words);
	if (b->count_words && !berita_words_equal(b->count_words, words))
		errs_addf(errs, "deletion.count_words", "jumlah_huruf", b->words_line, b->words_col,
			  "jumlah_huruf \"%s\", seharusnya \"%s\"", b->count_words, words);
	return 0;
}

/* remove_copy - a deleted document's store copy goes (a db_copy_fn; gone already is fine). */
static void
remove_copy(void *arg, const char *id, const char *store_path)
{
	int fd = *(int *)arg;

	if (*store_path && unlinkat(fd, store_path, 0) < 0 && errno != ENOENT)
		fprintf(stderr, "sertel: %s: cannot remove the store copy %s: %s\n", id,
			store_path, strerror(errno));
}

/*
 * receipt - into SPOOL/done/<pd>/: the signed berita acara PDF
 * (berita-acara-NNN-Diskominfo-YYYY.pdf: the number, '/' as '-';
 * berita_pdf.h), then beside it its receipt (.yaml): what was deleted, and
 * which PDF says so.
 */
static int
receipt(const struct cfg *c, struct db *db, const struct berita *b, const struct db_deletion *d,
	const char *file)
{
	char dir[PATH_MAX], name[256], pdf[256], rname[256], *buf = NULL;
	size_t len = 0, i, k;
	struct berita_pdf bp;
	struct err e;
	FILE *f;
	int fd, rc;

	snprintf(dir, sizeof dir, "%s/done/%s", c->spool_dir, d->pd);
	snprintf(name, sizeof name, "berita-acara-%s", d->number);
	for (k = strlen("berita-acara-"); name[k]; k++)
		if (name[k] == '/')
			name[k] = '-';
	snprintf(pdf, sizeof pdf, "%.250s.pdf", name);
	if (fs_mkdirs(dir, 0750) < 0 || (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	fs_clean_temps(fd);	/* a killed earlier attempt's */
	/* the receipt is written last: there, both are (a retry has nothing to do) */
	snprintf(rname, sizeof rname, "%.250s.yaml", name);
	if (faccessat(fd, rname, F_OK, 0) == 0) {
		printf("sertel: receipt %s/%s (delivered before)\n", dir, rname);
		close(fd);
		return 0;
	}
	/* signed and recorded once (its ID TTE, digest, store copy), delivered repeatably */
	if (berita_pdf_deliver(c, db, b, d, file, fd, pdf, &bp, &e) < 0) {
		fprintf(stderr, "sertel: %s/%s: %s: %s\n", dir, pdf, e.code, e.detail);
		close(fd);
		return -1;
	}
	printf("sertel: berita acara %s/%s (ID %s)\n", dir, pdf, bp.id);
	if (!(f = open_memstream(&buf, &len))) {
		close(fd);
		return -1;
	}
	fprintf(f, "# Tanda terima penghapusan dokumen elektronik (sertel)\nnomor: ");
	text_yaml_quote(f, d->number);
	fprintf(f, "\npd: ");
	text_yaml_quote(f, d->pd);
	fprintf(f, "\npemohon:\n  nama: ");
	text_yaml_quote(f, b->name);
	fprintf(f, "\n  nip: ");
	text_yaml_quote(f, b->nip);
	fprintf(f, "\ndihapus_pada: %lld\nberita_acara:\n  berkas: ", d->at);
	text_yaml_quote(f, pdf);
	fprintf(f, "\n  id: \"%s\"\n  sha256: \"%s\"\n  penanda_tangan: ", bp.id, bp.sha256);
	text_yaml_quote(f, c->deletion.service_signer);
	fprintf(f, "\n  salinan: ");
	text_yaml_quote(f, bp.store);
	fprintf(f, "\njumlah: %zu\ndokumen:\n", d->n);
	for (i = 0; i < d->n; i++) {
		fprintf(f, "  - id: ");
		text_yaml_quote(f, d->ids[i]);
		fprintf(f, "\n    alasan: ");
		text_yaml_quote(f, d->reasons[i]);
		fputc('\n', f);
	}
	fclose(f);
	rc = fs_write_atomic(fd, rname, buf, len, 1);
	close(fd);
	free(buf);
	if (rc == 0) {
		printf("sertel: receipt %s/%s\n", dir, rname);
		if (db_audit_event(db, "delivered", bp.id, c->deletion.service_signer, d->pd, pdf,
				   &e) < 0)
			fprintf(stderr, "sertel: audit: %s\n", e.detail);
	}
	return rc;
}

/*
 * deliver - after the commit, and again at a retry of the same file: the
 * store copies of deleted documents go (harmless when gone), then the signed
 * berita acara PDF and the receipt (receipt: nothing when delivered before).
 */
static int
deliver(const struct cfg *c, struct db *db, const struct berita *b, const struct db_deletion *d,
	const char *file)
{
	struct err e;
	int fd;

	if ((fd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		db_deleted_copies(db, remove_copy, &fd, &e);
		close(fd);
	}
	return receipt(c, db, b, d, file) < 0 ? EX_TEMPFAIL : 0;
}

/* submit - `deletion submit FILE`: 0 carried out, 1 refused (the report on stdout). */
static int
submit(const struct cfg *c, const char *file)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct errs errs = { 0 };
	struct db_deletion d;
	struct berita b;
	char sha[65], *buf = NULL, **ids = NULL, **reasons = NULL;
	size_t len = 0, i;
	struct err e;
	struct db *db = NULL;
	struct tm tm;
	time_t now = time(NULL);
	int rc = EX_SOFTWARE, retry = 0;

	memset(&d, 0, sizeof d);
	if (fs_read_all(AT_FDCWD, file, 1 << 20, &buf, &len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	SHA256((const unsigned char *)buf, len, md);
	hex_encode(md, sizeof md, sha);
	berita_read(buf, len, file, &b, &errs);
	free(buf);
	if (!(db = db_open(c->state_dir, &e))) {
		berita_free(&b);
		return cli_db_exit(&e);
	}
	/* the same file again (a retry after a crash): complete its delivery */
	if (errs.n + errs.dropped == 0) {
		int got = db_deletion_by_request(db, sha, d.number, &d.at, &e);
		if (got < 0) {
			rc = cli_db_exit(&e);
			goto out;
		}
		if (got > 0) {
			printf("sertel: berita acara Nomor: %s was carried out before; completing its "
			       "delivery\n", d.number);
			retry = 1;
		}
	}
	if (!retry)
		officer_check(c, &b, &errs);
	if (!retry && items_check(db, &b, &errs, &e) < 0) {
		rc = cli_db_exit(&e);
		goto out;
	}
	if (errs.n + errs.dropped > 0) {
		errs_sort(&errs, 0);
		printf("berkas: ");
		text_yaml_quote(stdout, file);
		printf("\nstatus: ditolak\n");
		report_print_errs(stdout, file, &errs);
		rc = 1;
		goto out;
	}
	ids = calloc(b.n, sizeof *ids);
	reasons = calloc(b.n, sizeof *reasons);
	if (!ids || !reasons)
		goto out;
	for (i = 0; i < b.n; i++) {
		ids[i] = b.items[i].id;
		reasons[i] = b.items[i].reason;
	}
	if (retry)
		now = (time_t)d.at;
	localtime_r(&now, &tm);
	d.pd = b.pd;
	d.officer_nip = b.nip;
	d.officer_name = b.name;
	d.request_sha256 = sha;
	d.ids = (const char *const *)ids;
	d.reasons = (const char *const *)reasons;
	d.n = b.n;
	d.at = (long long)now;
	d.year = tm.tm_year + 1900;
	if (retry) {
		rc = deliver(c, db, &b, &d, file);
		goto out;
	}
	if (db_deletion_commit(db, &d, c->deletion.number_format, &e) < 0) {
		if (strncmp(e.code, "deletion.", 9)) {
			rc = cli_db_exit(&e);
			goto out;
		}
		errs_add(&errs, &e);
		printf("status: ditolak\n");
		report_print_errs(stdout, file, &errs);
		rc = 1;
		goto out;
	}
	printf("sertel: berita acara Nomor: %s carried out: %zu document(s) deleted\n", d.number,
	       d.n);
	rc = deliver(c, db, &b, &d, file);
out:
	free(ids);
	free(reasons);
	db_close(db);
	berita_free(&b);
	return rc;
}

/* prefill - `deletion new`: the berita acara from the register and the database. */
static int
prefill(const struct cfg *c, const char *nip, const char *reason, char **idv, int n)
{
	const struct cfg_official *o = cfg_official_find(c, nip);
	struct berita b;
	struct db_document d;
	struct db_paraf *p;
	char words[256], date[64];
	size_t np;
	struct err e;
	struct db *db;
	struct tm tm;
	time_t now = time(NULL);
	int i, rc = 0;

	if (!o) {
		fprintf(stderr, "sertel: %s is not in the register (officials:)\n", nip);
		return EX_DATAERR;
	}
	if (!(db = db_open_readonly(c->state_dir, &e)))
		return cli_db_exit(&e);
	memset(&b, 0, sizeof b);
	if (!(b.items = calloc((size_t)n, sizeof *b.items))) {
		db_close(db);
		return EX_SOFTWARE;
	}
	for (i = 0; i < n && rc == 0; i++) {
		int got = jobid_valid(idv[i]) ? db_doc_get(db, idv[i], &d, &p, &np, &e) : 0;
		if (got < 0) {
			rc = cli_db_exit(&e);
			break;
		}
		if (got == 0) {
			fprintf(stderr, "sertel: no signed document with ID %s\n", idv[i]);
			rc = EX_DATAERR;
			break;
		}
		free(p);
		if (!b.pd)
			b.pd = strdup(d.pd);
		b.items[b.n].id = idv[i];
		b.items[b.n++].reason = (char *)reason;
	}
	localtime_r(&now, &tm);
	snprintf(date, sizeof date, "%d %s %d", tm.tm_mday, bulan[tm.tm_mon], tm.tm_year + 1900);
	berita_words((long long)b.n, words, sizeof words);
	b.day = (char *)hari[tm.tm_wday];
	b.date = date;
	b.place = c->deletion.place ? c->deletion.place : c->location;
	b.name = o->name;
	b.nip = o->nip;
	b.jabatan = o->jabatan;
	b.instansi = c->instansi;
	b.unit = b.pd;
	b.count = (long long)b.n;
	b.count_words = words;
	if (rc == 0)
		berita_write(stdout, &b);
	free(b.pd);
	free(b.items);
	db_close(db);
	return rc;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel deletion new --officer NIP --reason TEXT ID...\n"
		"       sertel deletion submit FILE\n");
	return EX_USAGE;
}

int
cmd_deletion(int argc, char **argv)
{
	const char *nip = NULL, *reason = NULL;
	struct cfg *c;
	int i = 2, rc;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "new")) {
		for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
			if (!strcmp(argv[i], "--officer"))
				nip = argv[i + 1];
			else if (!strcmp(argv[i], "--reason"))
				reason = argv[i + 1];
			else
				return usage();
		}
		if (!nip || !reason || i >= argc)
			return usage();
	} else if (strcmp(argv[1], "submit") || argc != 3) {
		return usage();
	}
	c = cli_config();
	if (!c->deletion.enabled) {
		fprintf(stderr, "sertel: %s has no deletion: section; deletions are not "
			"configured\n", c->path);
		cfg_free(c);
		return EX_CONFIG;
	}
	rc = !strcmp(argv[1], "new") ? prefill(c, nip, reason, argv + i, argc - i) :
				       submit(c, argv[2]);
	cfg_free(c);
	return rc;
}
