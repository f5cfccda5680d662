/*
 * cert_letter.c - the Lampiran II "Surat Rekomendasi Permohonan Penerbitan
 * Sertifikat Elektronik" (see cert_letter.h), drawn with stages/pdf/layout.c
 * in the form's order: the recommending official, the applicant, the use,
 * the place and date, the signature block.
 */
#include <stdio.h>
#include <string.h>

#include <mupdf/fitz.h>

#include "../config/cfg.h"
#include "../db/certs.h"
#include "../stages/pdf/layout.h"
#include "cert_letter.h"
#include "selfsign.h"

#define SIZE 10.5f

/* or_dots - s, or the form's blank. */
static const char *
or_dots(const char *s)
{
	return s && *s ? s : ".....";
}

/* fields - one numbered "label : value" list. */
static void
fields(fz_context *ctx, struct layout *L, const char *const *labels, const char *const *values,
       size_t n)
{
	static const float w[] = { 18, 110, 10, 0 };
	const struct layout_table t = { 4, w, NULL, 0, SIZE };
	char no[24];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *row[4] = { no, labels[i], ":", or_dots(values[i]) };
		snprintf(no, sizeof no, "%zu.", i + 1);
		layout_row(ctx, L, &t, row);
	}
}

/* render - the letter into out (the layout's then). */
static void
render(fz_context *ctx, const struct cfg *c, const struct db_cert_holder *rec,
       const struct db_cert_holder *h, const char *date, fz_output *out)
{
	static const char *const who[] = { "Nama Lengkap", "NIP", "NIK e-KTP", "Pangkat/Golongan",
					   "Jabatan", "Instansi", "Unit Kerja", "Email Individu" };
	static const char *const whom[] = { "Nama Lengkap", "NIP", "NIK e-KTP",
					    "Pangkat/Golongan", "Jabatan", "Unit Kerja",
					    "Instansi", "Email Individu", "No. Telp. (HP)" };
	const char *rv[] = { rec->name, rec->nip, rec->nik, rec->pangkat, rec->jabatan,
			     c->instansi, rec->unit, rec->email };
	const char *hv[] = { h->name, h->nip, h->nik, h->pangkat, h->jabatan, h->unit,
			     c->instansi, h->email, h->phone };
	struct layout *L = layout_new(ctx, out);
	char buf[512];

	fz_try(ctx) {
		selfsign_letterhead(ctx, L, c);
		layout_text(ctx, L, "SURAT REKOMENDASI PERMOHONAN PENERBITAN SERTIFIKAT ELEKTRONIK",
			    12, 1, LAYOUT_CENTRE, 0);
		layout_text(ctx, L, "OSD LEMSANEG", 12, 1, LAYOUT_CENTRE, 0);
		layout_space(ctx, L, 14);
		layout_text(ctx, L, "Saya yang bertanda tangan di bawah ini:", SIZE, 0, LAYOUT_LEFT, 0);
		layout_space(ctx, L, 4);
		fields(ctx, L, who, rv, sizeof who / sizeof who[0]);
		layout_space(ctx, L, 6);
		layout_text(ctx, L, "Dengan ini memberikan rekomendasi kepada:", SIZE, 0,
			    LAYOUT_LEFT, 0);
		layout_space(ctx, L, 4);
		fields(ctx, L, whom, hv, sizeof whom / sizeof whom[0]);
		layout_space(ctx, L, 6);
		layout_text(ctx, L, "Untuk melakukan pendaftaran sertifikat elektronik sekaligus "
			    "menjadi pemegang sertifikat elektronik yang digunakan pada:", SIZE, 0,
			    LAYOUT_LEFT, 0);
		layout_text(ctx, L, "a. Sistem Elektronik : e-Office", SIZE, 0, LAYOUT_LEFT, 18);
		layout_text(ctx, L, "b. Kegunaan : Administrasi Persuratan.", SIZE, 0, LAYOUT_LEFT, 18);
		layout_space(ctx, L, 6);
		layout_text(ctx, L, "Demikian surat rekomendasi ini saya buat, agar dapat digunakan "
			    "sebagaimana mestinya.", SIZE, 0, LAYOUT_LEFT, 0);
		/* the signature block stays on one page: printed and signed, or signed by sertel */
		layout_need(ctx, L, 200);
		layout_space(ctx, L, 12);
		snprintf(buf, sizeof buf, "Ditanda tangani di : %s", or_dots(c->location));
		layout_text(ctx, L, buf, SIZE, 0, LAYOUT_LEFT, 260);
		snprintf(buf, sizeof buf, "Tanggal : %s", date);
		layout_text(ctx, L, buf, SIZE, 0, LAYOUT_LEFT, 260);
		layout_text(ctx, L, "Hormat Saya,", SIZE, 0, LAYOUT_LEFT, 260);
		snprintf(buf, sizeof buf, "%s,", or_dots(rec->jabatan));
		layout_text(ctx, L, buf, SIZE, 0, LAYOUT_LEFT, 260);
		layout_space(ctx, L, 48);
		snprintf(buf, sizeof buf, "(%s)", or_dots(rec->name));
		layout_text(ctx, L, buf, SIZE, 1, LAYOUT_LEFT, 260);
		snprintf(buf, sizeof buf, "NIP %s", or_dots(rec->nip));
		layout_text(ctx, L, buf, SIZE, 0, LAYOUT_LEFT, 260);
		layout_close(ctx, L);
	}
	fz_always(ctx)
		layout_drop(ctx, L);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int
cert_letter_write(const struct cfg *c, const struct db_cert_holder *rec,
		  const struct db_cert_holder *h, time_t now, const char *path, struct err *e)
{
	static const char *const bulan[] = { "Januari", "Februari", "Maret", "April", "Mei",
		"Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember" };
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_output *out = NULL;
	time_t wib = now + 7 * 3600;	/* the letter's date is the WIB day */
	char date[40];
	struct tm tm;
	int rc = 0;

	if (!ctx)
		return err_set(e, "io.error", "the recommendation letter: no MuPDF context");
	gmtime_r(&wib, &tm);
	snprintf(date, sizeof date, "%d %s %d", tm.tm_mday, bulan[tm.tm_mon], tm.tm_year + 1900);
	fz_var(out);
	fz_try(ctx) {
		out = fz_new_output_with_path(ctx, path, 0);
		render(ctx, c, rec, h, date, out);	/* out is the layout's */
	}
	fz_catch(ctx)
		rc = err_set(e, "io.error", "the recommendation letter %s: %s", path,
			     fz_caught_message(ctx));
	fz_drop_context(ctx);
	return rc;
}
