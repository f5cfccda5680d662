/*
 * berita_pdf.c - the berita acara of deletion as a PDF in the Lampiran III
 * layout (stages/pdf/layout.h draws it), signed by the Diskominfo service
 * signer with a visible mark through the signing path of every document
 * (the mark stage's drawing, pades_sign), and written atomically into the
 * done/<pd>/ folder beside the receipt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "../base/hex.h"
#include "../base/jobid.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../pki/signers.h"
#include "../pki/tsa.h"
#include "../spool/fsutil.h"
#include "../spool/store.h"
#include "../stages/mark.h"
#include "../stages/pdf/layout.h"
#include "../stages/pdf/pades.h"
#include "../stages/stage.h"
#include "berita_pdf.h"

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
	const char *kop = c->instansi;
	struct layout *L = layout_new(ctx, out);
	char buf[1024], no[24], words[256];
	size_t i;

	fz_try(ctx) {
		if (c->deletion.nletterhead > 0)
			layout_letterhead(ctx, L, (const char *const *)c->deletion.letterhead,
					  c->deletion.nletterhead);
		else
			layout_letterhead(ctx, L, &kop, 1);
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
 * The mark when no marks: rule names the service signer: its text in the
 * lower right corner of the last page, below the requester's block.
 */
static char *const fallback_lines[] = {
	"Ditandatangani secara elektronik oleh", "**{name}**", "{jabatan}", "NIP {nip}",
	"{date} {time}", "ID {id}",
};
static const struct cfg_mark fallback = {
	"berita-acara", { MARK_TEXT }, 1, MARK_PAGE_LAST, MARK_CORNER_RIGHT, 60, 50, 250, 80,
	NULL, 0, 0, 2, 0, NULL, (char **)fallback_lines, 6, 9, 0, 0,
};

/* The berita acara's TSA client, and whether timestamp.on_failure: sign_bb. */
struct stamper {
	struct tsa_client *tsa;
	int defer;
};

/* stamp - a pades_timestamp_fn: the token, or (deferring) 1 for B-B now, augment later. */
static int
stamp(void *arg, const unsigned char *sig, size_t siglen, unsigned char **token,
      size_t *tokenlen, struct err *e)
{
	const struct stamper *st = arg;

	if (tsa_stamp(st->tsa, sig, siglen, token, tokenlen, e) == 0)
		return 0;
	if (!st->defer)
		return -1;
	fprintf(stderr, "sertel: berita acara: timestamp deferred, signed B-B for `sertel "
		"augment`: %s: %s\n", e->code, e->detail);
	return 1;
}

/* sign - doc (the rendered bytes pdf) signed by signer i of set into fd. */
static int
sign(fz_context *ctx, const struct cfg *c, const struct signer_set *set, int i,
     pdf_document *doc, const unsigned char *pdf, size_t len, const struct db_deletion *d,
     int fd, struct berita_pdf *bp, struct err *e)
{
	const struct cfg_signer *s = &set->cfg[i];
	const struct cfg_mark *m = cfg_mark_for(c, NULL, s->nip);
	struct pades_request rq;
	struct pades_result res;
	char reason[256];
	struct stamper st = { NULL, 0 };
	struct job j;
	struct doc dd;
	int rc;

	memset(&j, 0, sizeof j);
	if (jobid_new(j.id) < 0)
		return err_set(e, "sign.failed", "no random ID for the berita acara");
	memcpy(bp->id, j.id, sizeof bp->id);
	memset(&dd, 0, sizeof dd);
	dd.cfg = c;
	dd.signers = set;
	dd.ctx = ctx;
	dd.job = &j;
	dd.pdf = pdf;
	dd.len = len;
	dd.pdoc = doc;
	dd.now = (time_t)d->at;
	dd.signer = i;
	dd.sc.signer = (char *)s->nip;
	if (!(dd.marks = mark_cache_new()))
		return err_set(e, "sign.failed", "out of memory");
	/* a profile placed over anchor text has nothing to find in the berita acara */
	if (m && m->anchor)
		m = NULL;
	if (mark_prepare(&dd, m ? m : &fallback) < 0) {
		rc = err_set(e, dd.errs.n ? dd.errs.v[0].code : "sign.failed", "%s",
			     dd.errs.n ? dd.errs.v[0].detail : "drawing the mark");
		goto out;
	}
	snprintf(reason, sizeof reason, "Berita acara penghapusan dokumen elektronik Nomor: %s",
		 d->number);
	memset(&rq, 0, sizeof rq);
	rq.pdf = pdf;
	rq.len = len;
	rq.key = &set->keys[i];
	rq.doc_id = j.id;
	rq.name = s->name;
	rq.reason = reason;
	rq.location = c->deletion.place ? c->deletion.place : c->location;
	rq.when = dd.now;
	rq.md = EVP_get_digestbyname(c->digest ? c->digest : "sha256");
	rq.pss = c->rsa_pss;
	rq.appearance = dd.mark ? mark_appearance : NULL;
	rq.appearance_arg = dd.mark;
	/* B-T like a signing job when TSAs are configured (deferred the same way) */
	if (c->timestamp.ntsa > 0) {
		st.tsa = tsa_client_new(c);
		st.defer = c->timestamp.defer;
		rq.timestamp = stamp;
		rq.timestamp_arg = &st;
		rq.reserve = (size_t)c->timestamp.reserve_bytes;
	}
	if ((rc = pades_sign(ctx, doc, &rq, fd, &res, e)) == 0) {
		hex_encode(res.sha256, sizeof res.sha256, bp->sha256);
		bp->size = res.size;
		bp->deferred = res.deferred;
	}
	tsa_client_free(st.tsa);
out:
	mark_plan_free(ctx, dd.mark);
	mark_cache_free(ctx, dd.marks);
	return rc;
}

/* keep - the signed file (fd, bp->size bytes) into the store too; bp->store its path. */
static int
keep(const struct cfg *c, int fd, struct berita_pdf *bp, struct err *e)
{
	const unsigned char *m;
	struct store st;
	int sfd, rc;

	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "%s: %s", c->state_dir, strerror(errno));
	if (fs_map_fd(fd, bp->size, &m) < 0) {
		close(sfd);
		return err_set(e, "io.error", "reading the berita acara back: %s", strerror(errno));
	}
	store_init(&st, sfd);
	rc = store_put(&st, bp->sha256, m, bp->size, bp->store, sizeof bp->store);
	if (rc < 0)
		err_set(e, "io.error", "the store: %s", strerror(errno));
	store_close(&st);
	fs_unmap(m, bp->size);
	close(sfd);
	return rc;
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
     const struct berita_scan *scan, int dirfd, const char *tmp, struct signer_set *set,
     struct berita_pdf *bp, char sha_orig[65], long long *size_orig, struct err *e)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_buffer *buf = NULL;
	fz_output *out;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	int fd = -1, rc = -1;

	if (!ctx)
		return err_set(e, "sign.failed", "out of memory");
	fz_var(buf);
	fz_var(stm);
	fz_var(doc);
	fz_var(rc);
	fz_var(fd);
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
		stm = fz_open_memory(ctx, data, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (fd < 0)
			rc = err_set(e, "io.error", "%s: %s", tmp, strerror(errno));
		else
			rc = sign(ctx, c, set, 0, doc, data, len, d, fd, bp, e);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		rc = err_set(e, "sign.failed", "the berita acara PDF: %s", fz_caught_message(ctx));
	if (fd >= 0) {
		if (rc == 0)
			rc = keep(c, fd, bp, e);
		close(fd);
	}
	fz_drop_context(ctx);
	return rc;
}

/*
 * sign_once - the berita acara signed and recorded (db_deletion_record_pdf)
 * unless it was before: then *bp is what was recorded.  The temp of the
 * signing goes either way; a kill before the record leaves only an unnamed
 * store copy and the temp (start-up recovery's), and the next attempt signs.
 */
static int
sign_once(const struct cfg *c, struct db *db, const struct berita *b,
	  const struct db_deletion *d, const struct berita_scan *scan, const char *file,
	  int dirfd, const char *name, struct berita_pdf *bp, struct err *e)
{
	const struct cfg_signer *s = cfg_signer_find(c, c->deletion.service_signer);
	struct db_document doc;
	struct signer_set set;
	struct cfg one;
	char tmp[300];
	const char *base = strrchr(file, '/');
	size_t k;
	int rc;

	memset(bp, 0, sizeof *bp);
	if ((rc = db_deletion_pdf(db, d->number, &doc, e)) != 0) {
		if (rc < 0)
			return -1;
		memcpy(bp->id, doc.id, sizeof bp->id);
		memcpy(bp->sha256, doc.sha_signed, sizeof bp->sha256);
		bp->size = (size_t)doc.size_signed;
		snprintf(bp->store, sizeof bp->store, "%s", doc.store_path);
		bp->deferred = doc.timestamp_pending;
		return 0;
	}
	if (!s)
		return err_set(e, "signer.unknown", "the service signer %s is not among signers:",
			       c->deletion.service_signer);
	/* only the service signer's keystore is opened (the others are not needed) */
	one = *c;
	one.signers = (struct cfg_signer *)s;
	one.nsigners = 1;
	memset(&set, 0, sizeof set);
	if (signers_load(&one, &set) < 0)
		return err_set(e, "sign.failed", "out of memory");
	if (!set.keys[0].pkey) {
		rc = err_set(e, set.errs[0].code, "the service signer: %s", set.errs[0].detail);
		goto out;
	}
	memset(&doc, 0, sizeof doc);
	/* the spool's temp name: start-up recovery removes it after a kill */
	snprintf(tmp, sizeof tmp, ".tmp.%ld.%s", (long)getpid(), name);
	rc = make(c, b, d, scan, dirfd, tmp, &set, bp, doc.sha_orig, &doc.size_orig, e);
	unlinkat(dirfd, tmp, 0);
	if (rc < 0)
		goto out;
	memcpy(doc.id, bp->id, sizeof doc.id);
	snprintf(doc.pd, sizeof doc.pd, "%s", d->pd);
	snprintf(doc.type, sizeof doc.type, "%s", DB_BERITA_TYPE);
	snprintf(doc.number, sizeof doc.number, "%s", d->number);
	snprintf(doc.subject, sizeof doc.subject, "Berita acara penghapusan dokumen elektronik");
	snprintf(doc.signer_nip, sizeof doc.signer_nip, "%s", s->nip);
	snprintf(doc.signer_name, sizeof doc.signer_name, "%s", s->name ? s->name : "");
	snprintf(doc.cert_serial, sizeof doc.cert_serial, "%s", set.keys[0].serial);
	snprintf(doc.sha_meta, sizeof doc.sha_meta, "%s", d->request_sha256);
	memcpy(doc.sha_signed, bp->sha256, sizeof doc.sha_signed);
	doc.size_signed = (long long)bp->size;
	doc.signed_at = d->at;
	snprintf(doc.store_path, sizeof doc.store_path, "%s", bp->store);
	doc.timestamp_pending = bp->deferred;
	/* its stem in done/<pd>/ (name without ".pdf"), as augment and doc show know it */
	k = strlen(name) > 4 ? strlen(name) - 4 : strlen(name);
	snprintf(doc.delivered, sizeof doc.delivered, "%.*s", (int)k, name);
	rc = db_deletion_record_pdf(db, &doc, base ? base + 1 : file, e);
out:
	signers_free(&set);
	return rc;
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
