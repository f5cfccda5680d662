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
#include "../pki/signers.h"
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
	if ((rc = pades_sign(ctx, doc, &rq, fd, &res, e)) == 0) {
		hex_encode(res.sha256, sizeof res.sha256, bp->sha256);
		bp->size = res.size;
	}
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

int
berita_pdf_write(const struct cfg *c, const struct berita *b, const struct db_deletion *d,
		 int dirfd, const char *name, struct berita_pdf *bp, struct err *e)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	const struct cfg_signer *s = cfg_signer_find(c, c->deletion.service_signer);
	struct signer_set set;
	struct cfg one;
	fz_buffer *buf = NULL;
	fz_output *out;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	char tmp[300];
	int fd = -1, rc = -1;

	memset(bp, 0, sizeof *bp);
	if (!ctx)
		return err_set(e, "sign.failed", "out of memory");
	if (!s) {
		fz_drop_context(ctx);
		return err_set(e, "signer.unknown", "the service signer %s is not among signers:",
			       c->deletion.service_signer);
	}
	/* only the service signer's keystore is opened (the others are not needed) */
	one = *c;
	one.signers = (struct cfg_signer *)s;
	one.nsigners = 1;
	memset(&set, 0, sizeof set);
	if (signers_load(&one, &set) < 0) {
		fz_drop_context(ctx);
		return err_set(e, "sign.failed", "out of memory");
	}
	if (!set.keys[0].pkey) {
		rc = err_set(e, set.errs[0].code, "the service signer: %s", set.errs[0].detail);
		goto out;
	}
	/* the spool's temp name: start-up recovery removes it after a kill */
	snprintf(tmp, sizeof tmp, ".tmp.%ld.%s", (long)getpid(), name);
	fz_var(buf);
	fz_var(stm);
	fz_var(doc);
	fz_var(rc);
	fz_var(fd);
	fz_try(ctx) {
		unsigned char *data;
		size_t len;
		buf = fz_new_buffer(ctx, 8192);
		out = fz_new_output_with_buffer(ctx, buf);
		render(ctx, c, b, d, out);	/* out is the layout's */
		len = fz_buffer_storage(ctx, buf, &data);
		stm = fz_open_memory(ctx, data, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (fd < 0)
			rc = err_set(e, "io.error", "%s: %s", tmp, strerror(errno));
		else
			rc = sign(ctx, c, &set, 0, doc, data, len, d, fd, bp, e);
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
		if (rc == 0 && (fsync(fd) < 0 || renameat(dirfd, tmp, dirfd, name) < 0 ||
				fsync(dirfd) < 0))
			rc = err_set(e, "io.error", "%s: %s", name, strerror(errno));
		close(fd);
		if (rc < 0)
			unlinkat(dirfd, tmp, 0);
	}
out:
	signers_free(&set);
	fz_drop_context(ctx);
	return rc;
}
