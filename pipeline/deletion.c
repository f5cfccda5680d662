/*
 * deletion.c - carrying out a berita acara of deletion (see deletion.h):
 * the one path of `sertel deletion submit FILE` and of a drop in
 * SPOOL/deletion/<pd>/ claimed by `run`/`watch`.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openssl/sha.h>

#include "../base/hex.h"
#include "../base/jobid.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "../spool/fsutil.h"
#include "../stages/pdf/sniff.h"
#include "berita.h"
#include "berita_pdf.h"
#include "deletion.h"
#include "report.h"

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
		else if (!strcmp(d.type, DB_BERITA_TYPE))	/* the proof of a deletion stays */
			errs_addf(errs, "deletion.id_record", field, it->id_line, it->id_col,
				  "%s adalah berita acara penghapusan %s, yang tidak dapat dihapus",
				  it->id, d.number);
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

/* is_pdf - sniffed as a PDF, and MuPDF opens it with at least one page. */
static int
is_pdf(const unsigned char *p, size_t len)
{
	fz_context *ctx;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	int ok = 0;

	if (!sniff_pdf(p, len) || !(ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT)))
		return 0;
	fz_var(stm);
	fz_var(doc);
	fz_var(ok);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, p, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		/* a file MuPDF had to rebuild is not the scan as scanned */
		ok = !pdf_was_repaired(ctx, doc) && pdf_count_pages(ctx, doc) > 0;
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		ok = 0;
	fz_drop_context(ctx);
	return ok;
}

/*
 * load_scan - the scanned paper form of b: the spool's scan beside it, else
 * lampiran: (relative to file's folder); it must be a PDF.  1 with *data
 * (caller frees), *len and its name; 0 none; -1 with a finding in errs
 * (*gone: because the file is not there; name is then its name).
 */
static int
load_scan(const struct cfg *c, const struct berita *b, const char *file,
	  const struct deletion_drop *drop, struct errs *errs, char **data, size_t *len,
	  char name[NAME_MAX + 1], int *gone)
{
	const char *att = b->attachment && *b->attachment ? b->attachment : NULL;
	const char *slash = strrchr(file, '/');
	size_t max = (size_t)(c->limits.max_pdf_mb > 0 ? c->limits.max_pdf_mb : 200) << 20;
	char path[PATH_MAX];

	*data = NULL;
	*len = 0;
	*gone = 0;
	name[0] = '\0';
	if (drop && drop->scan) {
		snprintf(path, sizeof path, "%s", drop->scan);
		att = att ? att : drop->scan_name;
	} else if (drop && att) {
		snprintf(name, NAME_MAX + 1, "%s", strrchr(att, '/') ? strrchr(att, '/') + 1 : att);
		*gone = 1;
		errs_addf(errs, "deletion.lampiran", "lampiran", 0, 0, "lampiran %s tidak ada: "
			  "letakkan pindaiannya sebagai %.*s.pdf di samping berita acara", att,
			  (int)(strlen(file) - (strrchr(file, '.') ? strlen(strrchr(file, '.')) : 0)),
			  file);
		return -1;
	} else if (att && (att[0] == '/' || !slash)) {
		snprintf(path, sizeof path, "%s", att);
	} else if (att) {
		snprintf(path, sizeof path, "%.*s/%s", (int)(slash - file), file, att);
	} else {
		return 0;
	}
	snprintf(name, NAME_MAX + 1, "%s", strrchr(att, '/') ? strrchr(att, '/') + 1 : att);
	if (fs_read_all(AT_FDCWD, path, max, data, len) < 0) {
		*gone = errno == ENOENT;
		errs_addf(errs, "deletion.lampiran", "lampiran", 0, 0, "lampiran %s tidak dapat "
			  "dibaca: %s", att, strerror(errno));
		return -1;
	}
	if (!is_pdf((const unsigned char *)*data, *len)) {
		errs_addf(errs, "deletion.lampiran", "lampiran", 0, 0, "lampiran %s bukan berkas "
			  "PDF yang dapat dibuka", att);
		free(*data);
		*data = NULL;
		return -1;
	}
	return 1;
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

/* A retry's scan that went away since the commit (its receipt says so). */
struct scan_gone {
	const char *name;
	int signed_with;		/* the berita acara was signed with it before */
};

/*
 * receipt - into SPOOL/done/<pd>/: the signed berita acara PDF
 * (berita-acara-NNN-Diskominfo-YYYY.pdf: the number, '/' as '-';
 * berita_pdf.h), then beside it its receipt (.yaml): what was deleted, and
 * which PDF says so.
 */
static int
receipt(const struct cfg *c, struct db *db, const struct berita *b, const struct db_deletion *d,
	const struct berita_scan *scan, const struct scan_gone *gone, const char *file,
	struct deletion_result *res, struct err *e)
{
	char dir[PATH_MAX], name[256], pdf[256], rname[256], *buf = NULL;
	size_t len = 0, i, k;
	struct berita_pdf bp;
	struct err ae;
	FILE *f;
	int fd, rc;

	snprintf(dir, sizeof dir, "%s/done/%s", c->spool_dir, d->pd);
	snprintf(name, sizeof name, "berita-acara-%s", d->number);
	for (k = strlen("berita-acara-"); name[k]; k++)
		if (name[k] == '/')
			name[k] = '-';
	snprintf(pdf, sizeof pdf, "%.250s.pdf", name);
	snprintf(res->pdf, sizeof res->pdf, "%.*s/%s", PATH_MAX - 300, dir, pdf);
	snprintf(res->receipt, sizeof res->receipt, "%.*s/%.250s.yaml", PATH_MAX - 300, dir, name);
	if (fs_mkdirs(dir, 0750) < 0 || (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "%s: %s", dir, strerror(errno));
	fs_clean_temps(fd);	/* a killed earlier attempt's */
	/* the receipt is written last: there, both are (a retry has nothing to do) */
	snprintf(rname, sizeof rname, "%.250s.yaml", name);
	if (faccessat(fd, rname, F_OK, 0) == 0) {
		res->delivered_before = 1;
		close(fd);
		return 0;
	}
	/* signed and recorded once (its ID TTE, digest, store copy), delivered repeatably */
	if (berita_pdf_deliver(c, db, b, d, scan, file, fd, pdf, &bp, e) < 0) {
		close(fd);
		return -1;
	}
	memcpy(res->id, bp.id, sizeof res->id);
	if (!(f = open_memstream(&buf, &len))) {
		close(fd);
		return err_set(e, "io.error", "out of memory");
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
	if (scan) {	/* the scanned paper form, attached inside the signed PDF */
		unsigned char md[SHA256_DIGEST_LENGTH];
		char hex[65];
		SHA256(scan->data, scan->len, md);
		hex_encode(md, sizeof md, hex);
		fprintf(f, "\nlampiran:\n  berkas: ");
		text_yaml_quote(f, scan->name);
		fprintf(f, "\n  sha256: \"%s\"\n  ukuran: %zu", hex, scan->len);
	} else if (gone) {	/* a retry whose scan went away: said, not hidden */
		fprintf(f, "\nlampiran:\n  berkas: ");
		text_yaml_quote(f, gone->name);
		fprintf(f, "\n  status: \"hilang\"\n  keterangan: \"%s\"",
			gone->signed_with ? "berkas pindaian tidak ada lagi saat penyerahan diulang; "
			"salinannya termuat dalam berita acara bertanda tangan" :
			"berkas pindaian tidak ada lagi saat penyerahan diulang; berita acara "
			"ditandatangani tanpa lampiran");
	}
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
	if (rc < 0)
		return err_set(e, "io.error", "%s: %s", res->receipt, strerror(errno));
	if (db_audit_event(db, "delivered", bp.id, c->deletion.service_signer, d->pd, pdf, &ae) < 0)
		fprintf(stderr, "sertel: audit: %s\n", ae.detail);
	return 0;
}

/*
 * deliver - after the commit, and again at a retry of the same file: the
 * store copies of deleted documents go (harmless when gone), then the signed
 * berita acara PDF and the receipt (receipt: nothing when delivered before).
 */
static int
deliver(const struct cfg *c, struct db *db, const struct berita *b, const struct db_deletion *d,
	const struct berita_scan *scan, const struct scan_gone *gone, const char *file,
	struct deletion_result *res, struct err *e)
{
	struct err ce;
	int fd;

	if ((fd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		db_deleted_copies(db, remove_copy, &fd, &ce);
		close(fd);
	}
	return receipt(c, db, b, d, scan, gone, file, res, e) < 0 ? DELETION_UNDELIVERED :
	       DELETION_DONE;
}

int
deletion_carry_out(const struct cfg *c, struct db *db, const char *buf, size_t len,
		   const char *file, const struct deletion_drop *drop, struct errs *errs,
		   struct deletion_result *res, struct err *e)
{
	struct berita_scan scan = { NULL, 0, NULL };
	struct scan_gone gone = { NULL, 0 };
	struct errs scan_errs = { 0 };
	char *scan_data = NULL, scan_name[NAME_MAX + 1];
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct db_deletion d;
	struct berita b;
	char sha[65], **ids = NULL, **reasons = NULL;
	size_t i;
	struct tm tm;
	time_t now = time(NULL);
	int rc = DELETION_ERROR, got, got_scan, scan_gone;

	memset(&d, 0, sizeof d);
	memset(res, 0, sizeof *res);
	SHA256((const unsigned char *)buf, len, md);
	hex_encode(md, sizeof md, sha);
	berita_read(buf, len, file, &b, errs);
	/* the same file again (a retry after a crash): complete its delivery */
	if (errs->n + errs->dropped == 0) {
		if ((got = db_deletion_by_request(db, sha, d.number, &d.at, e)) < 0)
			goto out;
		res->retry = got > 0;
	}
	/* dropped into deletion/<pd>/: the folder and the file name one PD */
	if (drop && b.pd && strcmp(drop->pd, b.pd))
		errs_addf(errs, "deletion.value", "pd", 0, 0, "berita acara perangkat daerah %s "
			  "diletakkan di folder deletion/%s/", b.pd, drop->pd);
	/* the scanned paper form: a PDF, or nothing is deleted */
	if ((got_scan = load_scan(c, &b, file, drop, &scan_errs, &scan_data, &scan.len,
				  scan_name, &scan_gone)) > 0) {
		scan.data = (const unsigned char *)scan_data;
		scan.name = scan_name;
	}
	if (!res->retry) {
		int before = errs->n + errs->dropped;
		officer_check(c, &b, errs);
		if (items_check(db, &b, errs, e) < 0)
			goto out;
		/* carried out meanwhile by another sertel (a submit beside the
		 * daemon), between the lookup and these checks: its documents read
		 * as deleted, yet it is this very file, whose delivery completes */
		if (before == 0 && errs->n + errs->dropped > 0) {
			if ((got = db_deletion_by_request(db, sha, d.number, &d.at, e)) < 0)
				goto out;
			if (got > 0) {
				res->retry = 1;
				errs->n = errs->dropped = 0;
			}
		}
	}
	if (got_scan < 0 && !res->retry) {
		errs_add(errs, &scan_errs.v[0]);
	} else if (got_scan < 0) {
		/* carried out before: a scan gone since cannot undo it, nor may it
		 * hold the delivery forever: the berita acara is signed without it
		 * (unless signed with it already) and the receipt says it is
		 * missing.  One unreadable or no longer a PDF may be passing: the
		 * delivery waits for it. */
		struct db_document signed_pdf;
		if ((got = db_deletion_pdf(db, d.number, &signed_pdf, e)) < 0)
			goto out;
		if (got == 0 && !scan_gone) {
			*e = scan_errs.v[0];
			snprintf(res->number, sizeof res->number, "%s", d.number);
			rc = DELETION_UNDELIVERED;
			goto out;
		}
		if (scan_gone) {
			gone.name = scan_name;
			gone.signed_with = got > 0;
			fprintf(stderr, "sertel: berita acara %s: its scan %s is gone; %s\n", d.number,
				scan_name, got > 0 ? "the signed berita acara holds it" :
				"signed without it, the receipt says so");
		}
	}
	if (errs->n + errs->dropped > 0) {
		errs_sort(errs, 0);
		rc = DELETION_REFUSED;
		goto out;
	}
	ids = calloc(b.n, sizeof *ids);
	reasons = calloc(b.n, sizeof *reasons);
	if (!ids || !reasons) {
		err_set(e, "io.error", "out of memory");
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		ids[i] = b.items[i].id;
		reasons[i] = b.items[i].reason;
	}
	if (res->retry)
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
	if (!res->retry && db_deletion_commit(db, &d, c->deletion.number_format, e) < 0) {
		/* carried out meanwhile by another sertel (a submit beside the daemon):
		 * the same file, so this one only delivers what that one did */
		if (!strcmp(e->code, "deletion.duplicate") &&
		    (got = db_deletion_by_request(db, sha, d.number, &d.at, e)) > 0) {
			res->retry = 1;
		} else {
			/* refused at the commit (deleted meanwhile) */
			if (!strncmp(e->code, "deletion.", 9)) {
				errs_add(errs, e);
				rc = DELETION_REFUSED;
			}
			goto out;
		}
	}
	snprintf(res->number, sizeof res->number, "%s", d.number);
	res->n = d.n;
	rc = deliver(c, db, &b, &d, scan.data ? &scan : NULL, gone.name ? &gone : NULL, file, res, e);
out:
	free(scan_data);
	free(ids);
	free(reasons);
	berita_free(&b);
	return rc;
}

void
deletion_print_refusal(FILE *f, const char *file, const struct errs *errs)
{
	fprintf(f, "berkas: ");
	text_yaml_quote(f, file);
	fprintf(f, "\nstatus: ditolak\n");
	report_print_errs(f, file, errs);
}
