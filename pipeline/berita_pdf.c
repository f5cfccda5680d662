/*
 * berita_pdf.c - the berita acara of deletion as a PDF in the Lampiran III
 * layout (stages/pdf/layout.h draws it), signed by the Diskominfo service
 * signer (selfsign.h), recorded once, and written atomically into the
 * done/<pd>/ folder beside the receipt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mupdf/pdf.h>
#include <openssl/sha.h>

#include "../base/hex.h"
#include "../base/jobid.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../spool/fsutil.h"
#include "../stages/pdf/layout.h"
#include "berita_pdf.h"
#include "selfsign.h"

/* or_dots - s, or the form's blank when it was left empty. */
static const char *
or_dots(const char *s)
{
	return s && *s ? s : ".....";
}

/* render - the Lampiran III form for b, numbered as d, into out (which it owns). */
static void
render(fz_context *ctx, const struct cfg *c, const struct berita *b, const struct db_deletion *d,
       fz_output *out)
{
	static const float fw[] = { 18, 110, 10, 0 };
	static const float tw[] = { 30, 130, 0 };
	static const char *const th[] = { "No", "No ID Dokumen", "Alasan" };
	const struct layout_table fields = { 4, fw, NULL, 0, 10.5f };
	const struct layout_table table = { 3, tw, th, 1, 10 };
	const char *labels[] = { "Nama Lengkap", "NIP", "NIK e-KTP", "Pangkat/Golongan",
				 "Jabatan", "Instansi", "Unit Kerja" };
	const char *values[] = { b->name, b->nip, b->nik, b->rank, b->jabatan, b->instansi,
				 b->unit };
	struct layout *L = layout_new(ctx, out);
	char buf[1024], no[24], words[256];
	size_t i;

	fz_try(ctx) {
		selfsign_letterhead(ctx, L, c);
		layout_text(ctx, L, "BERITA ACARA PENGUSULAN PENGHAPUSAN DOKUMEN ELEKTRONIK", 12, 1,
			    LAYOUT_CENTRE, 0);
		snprintf(buf, sizeof buf, "Nomor: %s", d->number);
		layout_text(ctx, L, buf, 11, 0, LAYOUT_CENTRE, 0);
		layout_space(ctx, L, 14);
		snprintf(buf, sizeof buf, "Pada hari ini %s tanggal %s bertempat di %s yang "
			 "bertanda tangan di bawah ini:", or_dots(b->day), or_dots(b->date),
			 or_dots(b->place));
		layout_text(ctx, L, buf, 10.5f, 0, LAYOUT_LEFT, 0);
		layout_space(ctx, L, 4);
		for (i = 0; i < 7; i++) {
			const char *row[4];
			snprintf(no, sizeof no, "%zu.", i + 1);
			row[0] = no;
			row[1] = labels[i];
			row[2] = ":";
			row[3] = or_dots(values[i]);
			layout_row(ctx, L, &fields, row);
		}
		layout_space(ctx, L, 6);
		berita_words((long long)d->n, words, sizeof words);
		snprintf(buf, sizeof buf, "Mengajukan permohonan penghapusan dokumen elektronik yang "
			 "telah mengalami revisi/perubahan sebanyak %zu (%s) dengan nomor ID "
			 "Dokumen Elektronik:", d->n, words);
		layout_text(ctx, L, buf, 10.5f, 0, LAYOUT_LEFT, 0);
		layout_space(ctx, L, 6);
		layout_table_begin(ctx, L, &table);
		for (i = 0; i < d->n; i++) {
			const char *row[3];
			snprintf(no, sizeof no, "%zu", i + 1);
			row[0] = no;
			row[1] = d->ids[i];
			row[2] = d->reasons[i];
			layout_row(ctx, L, &table, row);
		}
		layout_table_end(L);
		layout_space(ctx, L, 10);
		layout_text(ctx, L, "Demikian berita acara ini saya buat dengan sebenar-benarnya "
			    "tanpa ada tekanan/paksaan dari pihak manapun, atas perkenannya saya "
			    "ucapkan terima kasih.", 10.5f, 0, LAYOUT_LEFT, 0);
		/* the signature block stays on one page, above the service signer's mark */
		layout_need(ctx, L, 230);
		layout_space(ctx, L, 12);
		snprintf(buf, sizeof buf, "Ditanda tangani di : %s", or_dots(b->place));
		layout_text(ctx, L, buf, 10.5f, 0, LAYOUT_LEFT, 0);
		snprintf(buf, sizeof buf, "Tanggal : %s", or_dots(b->date));
		layout_text(ctx, L, buf, 10.5f, 0, LAYOUT_LEFT, 0);
		layout_space(ctx, L, 8);
		layout_text(ctx, L, "Hormat Saya,", 10.5f, 0, LAYOUT_LEFT, 0);
		layout_space(ctx, L, 40);
		snprintf(buf, sizeof buf, "(%s)", or_dots(b->name));
		layout_text(ctx, L, buf, 10.5f, 1, LAYOUT_LEFT, 0);
		snprintf(buf, sizeof buf, "NIP %s", or_dots(b->nip));
		layout_text(ctx, L, buf, 10.5f, 0, LAYOUT_LEFT, 0);
		layout_close(ctx, L);
	}
	fz_always(ctx)
		layout_drop(ctx, L);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/*
 * attach - the rendered berita acara (buf) rewritten with the scan as an
 * embedded file (the document's EmbeddedFiles name tree, shown first by
 * readers: PageMode UseAttachments), before it is signed: the signature
 * covers it.  A new buffer, the caller's.
 */
static fz_buffer *
attach(fz_context *ctx, fz_buffer *buf, const struct berita_scan *scan)
{
	fz_buffer *contents = NULL, *out = NULL;
	fz_output *o = NULL;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	pdf_obj *fs = NULL;

	fz_var(contents);
	fz_var(out);
	fz_var(o);
	fz_var(stm);
	fz_var(doc);
	fz_var(fs);
	fz_try(ctx) {
		pdf_obj *root, *names, *ef, *arr;
		stm = fz_open_buffer(ctx, buf);
		doc = pdf_open_document_with_stream(ctx, stm);
		contents = fz_new_buffer_from_copied_data(ctx, scan->data, scan->len);
		fs = pdf_add_embedded_file(ctx, doc, scan->name, "application/pdf", contents, -1, -1,
					   1);
		root = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
		if (!(names = pdf_dict_get(ctx, root, PDF_NAME(Names))))
			names = pdf_dict_put_dict(ctx, root, PDF_NAME(Names), 1);
		ef = pdf_dict_put_dict(ctx, names, PDF_NAME(EmbeddedFiles), 1);
		arr = pdf_dict_put_array(ctx, ef, PDF_NAME(Names), 2);
		pdf_array_push_text_string(ctx, arr, scan->name);
		pdf_array_push(ctx, arr, fs);
		pdf_dict_put_name(ctx, root, PDF_NAME(PageMode), "UseAttachments");
		out = fz_new_buffer(ctx, fz_buffer_storage(ctx, buf, NULL) + scan->len + 4096);
		o = fz_new_output_with_buffer(ctx, out);
		pdf_write_document(ctx, doc, o, &pdf_default_write_options);
		fz_close_output(ctx, o);
	}
	fz_always(ctx) {
		fz_drop_output(ctx, o);
		pdf_drop_obj(ctx, fs);	/* a reference of ours (pdf_add_embedded_file) */
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, contents);
	}
	fz_catch(ctx) {
		fz_drop_buffer(ctx, out);
		fz_rethrow(ctx);
	}
	return out;
}

/*
 * make - render and sign the berita acara into the temp dirfd/tmp, keep it in
 * the store; *sha_orig the digest of the unsigned rendering.
 */
static int
make(const struct cfg *c, const struct berita *b, const struct db_deletion *d,
     const struct berita_scan *scan, int dirfd, const char *tmp, struct selfsign_result *r,
     char sha_orig[65], long long *size_orig, struct err *e)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_buffer *buf = NULL;
	fz_output *out;
	char reason[256];
	int rc = -1;

	if (!ctx)
		return err_set(e, "sign.failed", "out of memory");
	snprintf(reason, sizeof reason, "Berita acara penghapusan dokumen elektronik Nomor: %s",
		 d->number);
	fz_var(buf);
	fz_var(rc);
	fz_try(ctx) {
		unsigned char *data, md[SHA256_DIGEST_LENGTH];
		size_t len;
		buf = fz_new_buffer(ctx, 8192);
		out = fz_new_output_with_buffer(ctx, buf);
		render(ctx, c, b, d, out);	/* out is the layout's */
		if (scan) {
			fz_buffer *with = attach(ctx, buf, scan);
			fz_drop_buffer(ctx, buf);
			buf = with;
		}
		len = fz_buffer_storage(ctx, buf, &data);
		SHA256(data, len, md);
		hex_encode(md, sizeof md, sha_orig);
		*size_orig = (long long)len;
		{
			const struct selfsign rq = { data, len, reason, c->deletion.place, d->at,
						     "berita acara" };
			rc = selfsign_make(c, &rq, dirfd, tmp, r, e);
		}
	}
	fz_always(ctx)
		fz_drop_buffer(ctx, buf);
	fz_catch(ctx)
		rc = err_set(e, "sign.failed", "the berita acara PDF: %s", fz_caught_message(ctx));
	fz_drop_context(ctx);
	return rc;
}

/* recorded - 1 with *bp when the berita acara numbered number was signed and recorded, 0, -1. */
static int
recorded(struct db *db, const char *number, struct berita_pdf *bp, struct err *e)
{
	struct db_document doc;
	int rc;

	if ((rc = db_deletion_pdf(db, number, &doc, e)) <= 0)
		return rc;
	memcpy(bp->id, doc.id, sizeof bp->id);
	memcpy(bp->sha256, doc.sha_signed, sizeof bp->sha256);
	bp->size = (size_t)doc.size_signed;
	snprintf(bp->store, sizeof bp->store, "%s", doc.store_path);
	bp->deferred = doc.timestamp_pending;
	return 1;
}

/*
 * sign_once - the berita acara signed and recorded (db_deletion_record_pdf)
 * unless it was before: then *bp is what was recorded.  The temp of the
 * signing goes either way; a kill before the record leaves only an unnamed
 * store copy and the temp (start-up recovery's), and the next attempt signs.
 * Another sertel that signed it meanwhile (a submit beside the daemon)
 * recorded it first: its signature is the one, this one's store copy goes.
 */
static int
sign_once(const struct cfg *c, struct db *db, const struct berita *b,
	  const struct db_deletion *d, const struct berita_scan *scan, const char *file,
	  int dirfd, const char *name, struct berita_pdf *bp, struct err *e)
{
	struct selfsign_result r;
	struct db_document doc;
	char tmp[300];
	const char *base = strrchr(file, '/');
	size_t k;
	int rc, sfd;

	memset(bp, 0, sizeof *bp);
	if ((rc = recorded(db, d->number, bp, e)) != 0)
		return rc < 0 ? -1 : 0;
	memset(&doc, 0, sizeof doc);
	/* the spool's temp name: start-up recovery removes it after a kill */
	snprintf(tmp, sizeof tmp, ".tmp.%ld.%s", (long)getpid(), name);
	rc = make(c, b, d, scan, dirfd, tmp, &r, doc.sha_orig, &doc.size_orig, e);
	unlinkat(dirfd, tmp, 0);
	if (rc < 0)
		return -1;
	memcpy(bp->id, r.id, sizeof bp->id);
	memcpy(bp->sha256, r.sha256, sizeof bp->sha256);
	bp->size = r.size;
	snprintf(bp->store, sizeof bp->store, "%s", r.store);
	bp->deferred = r.deferred;
	memcpy(doc.id, r.id, sizeof doc.id);
	snprintf(doc.pd, sizeof doc.pd, "%s", d->pd);
	snprintf(doc.type, sizeof doc.type, "%s", DB_BERITA_TYPE);
	snprintf(doc.number, sizeof doc.number, "%s", d->number);
	snprintf(doc.subject, sizeof doc.subject, "Berita acara penghapusan dokumen elektronik");
	snprintf(doc.signer_nip, sizeof doc.signer_nip, "%s", r.signer_nip);
	snprintf(doc.signer_name, sizeof doc.signer_name, "%s", r.signer_name);
	snprintf(doc.cert_serial, sizeof doc.cert_serial, "%s", r.cert_serial);
	snprintf(doc.sha_meta, sizeof doc.sha_meta, "%s", d->request_sha256);
	memcpy(doc.sha_signed, r.sha256, sizeof doc.sha_signed);
	doc.size_signed = (long long)r.size;
	doc.signed_at = d->at;
	snprintf(doc.store_path, sizeof doc.store_path, "%s", r.store);
	doc.timestamp_pending = r.deferred;
	/* its stem in done/<pd>/ (name without ".pdf"), as augment and doc show know it */
	k = strlen(name) > 4 ? strlen(name) - 4 : strlen(name);
	snprintf(doc.delivered, sizeof doc.delivered, "%.*s", (int)k, name);
	if ((rc = db_deletion_record_pdf(db, &doc, base ? base + 1 : file, e)) <= 0)
		return rc;
	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		unlinkat(sfd, doc.store_path, 0);
		close(sfd);
	}
	memset(bp, 0, sizeof *bp);
	if ((rc = recorded(db, d->number, bp, e)) == 0)
		err_set(e, "io.error", "berita acara %s: its record went away", d->number);
	return rc > 0 ? 0 : -1;
}

/* delivered - 1 when dirfd/name holds the bytes of digest sha already. */
static int
delivered(int dirfd, const char *name, const char *sha)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	const unsigned char *m;
	char hex[65];
	size_t len;

	if (fs_map(dirfd, name, O_NOFOLLOW, &m, &len) < 0)
		return 0;
	SHA256(m, len, md);
	fs_unmap(m, len);
	hex_encode(md, sizeof md, hex);
	return !strcmp(hex, sha);
}

int
berita_pdf_deliver(const struct cfg *c, struct db *db, const struct berita *b,
		   const struct db_deletion *d, const struct berita_scan *scan, const char *file,
		   int dirfd, const char *name, struct berita_pdf *bp, struct err *e)
{
	const unsigned char *m;
	size_t len;
	int sfd, rc;

	if (sign_once(c, db, b, d, scan, file, dirfd, name, bp, e) < 0)
		return -1;
	if (delivered(dirfd, name, bp->sha256))
		return 0;
	/* delivered from the store copy: the first attempt and any retry alike */
	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "%s: %s", c->state_dir, strerror(errno));
	rc = fs_map(sfd, bp->store, O_NOFOLLOW, &m, &len);
	close(sfd);
	if (rc < 0)
		return err_set(e, "io.error", "the store copy %s: %s", bp->store, strerror(errno));
	rc = fs_write_atomic(dirfd, name, m, len, 1);
	fs_unmap(m, len);
	if (rc < 0)
		return err_set(e, "io.error", "%s: %s", name, strerror(errno));
	return 0;
}
