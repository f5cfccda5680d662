/*
 * supervision_pdf.c - the supervision report as a PDF a Diskominfo head can
 * hand on: a cover (the instansi, the period, the number, the regulation it
 * answers to), a one-page summary, the charts (stages/pdf/chart.h) and the
 * tables, in Bahasa Indonesia, laid out by stages/pdf/layout.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/err.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../stages/pdf/chart.h"
#include "../stages/pdf/layout.h"
#include "selfsign.h"
#include "supervision.h"

static const char *const month_names[] = {
	"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember",
};

/* long_date - "YYYY-MM-DD" as "1 Januari 2026". */
static const char *
long_date(char *buf, size_t cap, const char *d)
{
	int m = atoi(d + 5);

	snprintf(buf, cap, "%d %s %.4s", atoi(d + 8), m >= 1 && m <= 12 ? month_names[m - 1] : "?",
		 d);
	return buf;
}

/* short_month - "YYYY-MM" as "Jan 2026". */
static const char *
short_month(char *buf, size_t cap, const char *ym)
{
	int m = atoi(ym + 5);

	snprintf(buf, cap, "%.3s %.4s", m >= 1 && m <= 12 ? month_names[m - 1] : "?", ym);
	return buf;
}

/* cause_name - a refusal code family in words. */
static const char *
cause_name(const char *family)
{
	static const struct { const char *k, *v; } names[] = {
		{ "paraf", "Paraf / urutan persetujuan" }, { "sidecar", "Metadata paraf (berkas YAML)" },
		{ "signer", "Penandatangan / sertifikat" }, { "pdf", "Berkas PDF bermasalah" },
		{ "mark", "Tanda visual (QR/gambar)" }, { "doc", "Dokumen (duplikat/dihapus)" },
		{ "bundle", "Paket ZIP/TAR" }, { "sign", "Proses penandatanganan" },
		{ "timestamp", "Cap waktu (TSA)" }, { "worker", "Batas waktu/sumber daya" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(family, names[i].k))
			return names[i].v;
	return family;
}

/* num - v as text with dots between thousands. */
static char *
num(char *buf, size_t cap, long long v)
{
	char raw[32];
	int n = snprintf(raw, sizeof raw, "%lld", v), i, o = 0;

	for (i = 0; i < n && o + 2 < (int)cap; i++) {
		if (i > 0 && raw[i - 1] != '-' && (n - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

/* pct - a share as "12,5%" (a decimal comma, as Indonesian writes it). */
static char *
pct(char *buf, size_t cap, long long n, long long total)
{
	char *dot;

	snprintf(buf, cap, "%.1f%%", sv_share(n, total));
	if ((dot = strchr(buf, '.')))
		*dot = ',';
	return buf;
}

/* heading - a section title. */
static void
heading(fz_context *ctx, struct layout *L, const char *s)
{
	layout_need(ctx, L, 80);
	layout_space(ctx, L, 6);
	layout_text(ctx, L, s, 12, 1, LAYOUT_LEFT, 0);
	layout_space(ctx, L, 6);
}

/* cover - the first page. */
static void
cover(fz_context *ctx, struct layout *L, const struct cfg *c, const struct supervision *s,
      const char *number)
{
	char a[48], b[48], buf[256], made[40];

	selfsign_letterhead(ctx, L, c);
	layout_space(ctx, L, 120);
	layout_text(ctx, L, "LAPORAN PENGAWASAN DAN EVALUASI", 18, 1, LAYOUT_CENTRE, 0);
	layout_text(ctx, L, "PENGGUNAAN SERTIFIKAT ELEKTRONIK", 14, 1, LAYOUT_CENTRE, 0);
	layout_text(ctx, L, "DAN TANDA TANGAN ELEKTRONIK", 14, 1, LAYOUT_CENTRE, 0);
	layout_space(ctx, L, 24);
	snprintf(buf, sizeof buf, "Periode %s s.d. %s", long_date(a, sizeof a, s->from),
		 long_date(b, sizeof b, s->to));
	layout_text(ctx, L, buf, 12, 0, LAYOUT_CENTRE, 0);
	snprintf(buf, sizeof buf, "Perangkat Daerah: %s", s->pd[0] ? s->pd : "seluruh Perangkat Daerah");
	layout_text(ctx, L, buf, 12, 0, LAYOUT_CENTRE, 0);
	snprintf(buf, sizeof buf, "Nomor: %s", number);
	layout_text(ctx, L, buf, 12, 0, LAYOUT_CENTRE, 0);
	layout_space(ctx, L, 60);
	layout_text(ctx, L, "Disusun sesuai Peraturan Bupati Musi Rawas Nomor 55 Tahun 2023, Pasal 23: "
		    "pengawasan dan evaluasi penggunaan sertifikat elektronik di lingkungan "
		    "Pemerintah Kabupaten, paling sedikit setiap enam bulan.", 10, 0, LAYOUT_CENTRE, 30);
	layout_space(ctx, L, 12);
	text_time_wib(made, sizeof made, (time_t)s->made_at);
	snprintf(buf, sizeof buf, "Dibuat oleh sertel dari basis data pencatatan pada %s; setiap angka "
		 "dapat dihitung ulang dari basis data yang sama.", made);
	layout_text(ctx, L, buf, 9, 0, LAYOUT_CENTRE, 30);
	layout_page_break(ctx, L);
}

/* summary - the one-page summary: label and value rows. */
static void
summary(fz_context *ctx, struct layout *L, const struct supervision *s)
{
	static const float w[] = { 250, 0 };
	const struct layout_table t = { 2, w, NULL, 1, 10 };
	const struct db_stat_totals *x = &s->t;
	char v[14][400], a[32], b[32];
	const char *rows[14][2] = {
		{ "Dokumen ditandatangani", v[0] },
		{ "Dokumen ditolak", v[1] },
		{ "Perangkat Daerah yang menandatangani", v[2] },
		{ "Penandatangan yang aktif", v[3] },
		{ "Waktu dari diambil hingga selesai (median; 90% selesai dalam)", v[4] },
		{ "Tanda tangan yang masih menunggu cap waktu", v[5] },
		{ "Cap waktu yang ditambahkan kemudian", v[6] },
		{ "Berita acara penghapusan yang dilaksanakan", v[7] },
		{ "Dokumen yang dihapus", v[8] },
		{ "Jejak audit", v[9] },
		{ "Sertifikat elektronik terbit (di antaranya perpanjangan)", v[10] },
		{ "Sertifikat dicabut; kedaluwarsa", v[11] },
		{ "Sertifikat aktif pada akhir periode", v[12] },
		{ "Sertifikat aktif yang berakhir dalam 30 / 60 / 90 hari sejak laporan dibuat", v[13] },
	};
	size_t i;

	heading(ctx, L, "I. RINGKASAN");
	snprintf(v[0], sizeof v[0], "%s", num(a, sizeof a, x->signed_docs));
	snprintf(v[1], sizeof v[1], "%s (%s dari dokumen yang diajukan)", num(a, sizeof a, x->refused),
		 pct(b, sizeof b, x->refused, x->signed_docs + x->refused));
	snprintf(v[2], sizeof v[2], "%zu", s->tab[DB_STAT_SIGNED_PD].n);
	snprintf(v[3], sizeof v[3], "%zu", s->tab[DB_STAT_SIGNED_SIGNER].n);
	if (x->latency_n)
		snprintf(v[4], sizeof v[4], "%lld detik; %lld detik", x->latency_p50, x->latency_p90);
	else
		snprintf(v[4], sizeof v[4], "-");
	snprintf(v[5], sizeof v[5], "%s", num(a, sizeof a, x->ts_waiting));
	snprintf(v[6], sizeof v[6], "%s", num(a, sizeof a, x->ts_late));
	snprintf(v[7], sizeof v[7], "%s", num(a, sizeof a, x->deletions));
	snprintf(v[8], sizeof v[8], "%s", num(a, sizeof a, x->deleted_docs));
	if (s->audit_ok)
		snprintf(v[9], sizeof v[9], "UTUH: %s catatan, rantai hash sesuai",
			 num(a, sizeof a, s->audit.count));
	else
		snprintf(v[9], sizeof v[9], "RUSAK pada catatan %lld: %s (periksa dengan `sertel audit "
			 "verify`)", s->audit.bad, s->audit.why);
	snprintf(v[10], sizeof v[10], "%lld (%lld)", x->certs_issued, x->certs_renewed);
	snprintf(v[11], sizeof v[11], "%lld; %lld", x->certs_revoked, x->certs_expired);
	snprintf(v[12], sizeof v[12], "%lld", x->certs_active);
	snprintf(v[13], sizeof v[13], "%lld / %lld / %lld", x->certs_expiring[0],
		 x->certs_expiring[1], x->certs_expiring[2]);
	layout_table_begin(ctx, L, &t);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		layout_row(ctx, L, &t, rows[i]);
	layout_table_end(L);
}

/* chart_of - table k of s as a bar chart's data (labels and values allocated). */
static void
bars(fz_context *ctx, struct layout *L, const struct supervision *s, enum db_stat k,
     const char *name, int causes)
{
	const struct sv_table *t = &s->tab[k];
	const char **labels = fz_malloc(ctx, (t->n + 1) * sizeof *labels);
	long long *values = NULL;
	size_t i;

	fz_try(ctx) {
		values = fz_malloc(ctx, (t->n + 1) * sizeof *values);
		for (i = 0; i < t->n; i++) {
			labels[i] = causes ? cause_name(t->v[i].key) : t->v[i].key;
			values[i] = t->v[i].n;
		}
		chart_bars(ctx, L, &(struct chart){ name, labels, values, t->n });
	}
	fz_always(ctx) {
		fz_free(ctx, labels);
		fz_free(ctx, values);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* monthly - the signed-per-month line. */
static void
monthly(fz_context *ctx, struct layout *L, const struct supervision *s)
{
	const struct sv_table *t = &s->tab[DB_STAT_SIGNED_MONTH];
	size_t i, n = t->n < 120 ? t->n : 120;
	char lab[120][16];
	const char *labels[120];
	long long values[120];

	for (i = 0; i < n; i++) {
		labels[i] = short_month(lab[i], sizeof lab[i], t->v[i].key);
		values[i] = t->v[i].n;
	}
	chart_line(ctx, L, &(struct chart){ "Dokumen ditandatangani per bulan", labels, values, n },
		   170);
}

/* table - rows of t: key (and label when with_label), count, share. */
static void
table(fz_context *ctx, struct layout *L, const struct sv_table *t, const char *title,
      const char *key_head, const char *label_head, int codes)
{
	static const float w3[] = { 30, 0, 70, 60 };
	static const float w4[] = { 30, 120, 0, 60, 55 };
	const char *h3[] = { "No", key_head, "Jumlah", "Persentase" };
	const char *h4[] = { "No", key_head, label_head, "Jumlah", "Persentase" };
	const struct layout_table t3 = { 4, w3, h3, 1, 9 };
	const struct layout_table t4 = { 5, w4, h4, 1, 9 };
	const struct layout_table *lt = label_head ? &t4 : &t3;
	char no[24], n[32], p[16];
	size_t i;

	heading(ctx, L, title);
	if (t->n == 0) {
		layout_text(ctx, L, "(tidak ada data pada periode ini)", 9, 0, LAYOUT_LEFT, 0);
		return;
	}
	layout_table_begin(ctx, L, lt);
	for (i = 0; i < t->n; i++) {
		const struct err_info *ei = codes ? err_info(t->v[i].key) : NULL;
		char msg[1024];
		const char *label = codes ? (ei && ei->message ? err_text(ei->message, msg, sizeof msg) : "") :
				    t->v[i].label;
		const char *c3[] = { no, t->v[i].key, n, p };
		const char *c4[] = { no, t->v[i].key, label, n, p };

		snprintf(no, sizeof no, "%zu", i + 1);
		num(n, sizeof n, t->v[i].n);
		pct(p, sizeof p, t->v[i].n, t->total);
		layout_row(ctx, L, lt, label_head ? c4 : c3);
	}
	layout_table_end(L);
}

/* render - the whole report into out (the layout's from here on). */
static void
render(fz_context *ctx, const struct cfg *c, const struct supervision *s, const char *number,
       fz_output *out)
{
	struct layout *L = layout_new(ctx, out);
	char buf[128];

	fz_try(ctx) {
		cover(ctx, L, c, s, number);
		summary(ctx, L, s);
		layout_page_break(ctx, L);
		heading(ctx, L, "II. GRAFIK");
		bars(ctx, L, s, DB_STAT_SIGNED_PD, "Dokumen ditandatangani per Perangkat Daerah", 0);
		layout_space(ctx, L, 10);
		monthly(ctx, L, s);
		layout_space(ctx, L, 10);
		bars(ctx, L, s, DB_STAT_REFUSED_CAUSE, "Dokumen ditolak menurut penyebab", 1);
		layout_page_break(ctx, L);
		heading(ctx, L, "III. RINCIAN");
		table(ctx, L, &s->tab[DB_STAT_SIGNED_PD], "Dokumen ditandatangani per Perangkat Daerah",
		      "Perangkat Daerah", NULL, 0);
		table(ctx, L, &s->tab[DB_STAT_SIGNED_SIGNER], "Dokumen ditandatangani per penandatangan",
		      "NIP", "Nama", 0);
		table(ctx, L, &s->tab[DB_STAT_SIGNED_TYPE], "Dokumen ditandatangani per jenis dokumen",
		      "Jenis dokumen", NULL, 0);
		table(ctx, L, &s->tab[DB_STAT_SIGNED_MONTH], "Dokumen ditandatangani per bulan",
		      "Bulan", NULL, 0);
		table(ctx, L, &s->tab[DB_STAT_REFUSED_PD], "Dokumen ditolak per Perangkat Daerah",
		      "Perangkat Daerah", NULL, 0);
		table(ctx, L, &s->tab[DB_STAT_REFUSED_CODE], "Dokumen ditolak per kode penolakan",
		      "Kode", "Keterangan", 1);
		table(ctx, L, &s->tab[DB_STAT_DELETED_PD], "Dokumen dihapus dengan berita acara per "
		      "Perangkat Daerah", "Perangkat Daerah", NULL, 0);
		table(ctx, L, &s->tab[DB_STAT_REVOKED_REASON], "Sertifikat dicabut menurut alasan "
		      "(Pasal 16, 18-20)", "Alasan", NULL, 0);
		layout_space(ctx, L, 16);
		/* the last page keeps its lower right corner empty for the signer's mark */
		layout_need(ctx, L, 100);
		snprintf(buf, sizeof buf, "Laporan Nomor %s selesai.", number);
		layout_text(ctx, L, buf, 9, 0, LAYOUT_LEFT, 0);
		layout_close(ctx, L);
	}
	fz_always(ctx)
		layout_drop(ctx, L);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int
sv_pdf(const struct cfg *c, const struct supervision *s, const char *number, fz_context *ctx,
       fz_buffer *buf, struct err *e)
{
	fz_output *out = NULL;

	fz_try(ctx) {
		out = fz_new_output_with_buffer(ctx, buf);
		render(ctx, c, s, number, out);	/* out is the layout's */
	}
	fz_catch(ctx)
		return err_set(e, "report.failed", "the report PDF: %s", fz_caught_message(ctx));
	return 0;
}
