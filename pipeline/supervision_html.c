/*
 * supervision_html.c - the supervision report as one HTML file, for the
 * office's browser and intranet: the same summary and tables as the PDF,
 * bar charts as inline SVG (no script, no outside resource: the file opens
 * anywhere with a double click), in Bahasa Indonesia.  Every string from
 * the database or the configuration goes through web/wbuf.c's escaping.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/err.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../web/wbuf.h"
#include "supervision.h"

/* the groupings shown, with their titles and column heads */
static const struct {
	enum db_stat k;
	const char *title, *key, *label;
} shown[] = {
	{ DB_STAT_SIGNED_PD, "Dokumen ditandatangani per Perangkat Daerah", "Perangkat Daerah", NULL },
	{ DB_STAT_SIGNED_MONTH, "Dokumen ditandatangani per bulan", "Bulan", NULL },
	{ DB_STAT_SIGNED_SIGNER, "Dokumen ditandatangani per penandatangan", "NIP", "Nama" },
	{ DB_STAT_SIGNED_TYPE, "Dokumen ditandatangani per jenis dokumen", "Jenis dokumen", NULL },
	{ DB_STAT_REFUSED_CAUSE, "Dokumen ditolak menurut penyebab", "Penyebab", NULL },
	{ DB_STAT_REFUSED_CODE, "Dokumen ditolak per kode penolakan", "Kode", "Keterangan" },
	{ DB_STAT_REFUSED_PD, "Dokumen ditolak per Perangkat Daerah", "Perangkat Daerah", NULL },
	{ DB_STAT_DELETED_PD, "Dokumen dihapus dengan berita acara", "Perangkat Daerah", NULL },
	{ DB_STAT_REVOKED_REASON, "Sertifikat dicabut menurut alasan", "Alasan", NULL },
};

/* bars - t as horizontal SVG bars, the largest the full width. */
static void
bars(struct wbuf *b, const struct sv_table *t)
{
	long long max = 1;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].n > max)
			max = t->v[i].n;
	wbuf_fmt(b, "<svg role=\"img\" width=\"640\" height=\"%zu\" viewBox=\"0 0 640 %zu\">",
		 t->n * 20 + 4, t->n * 20 + 4);
	for (i = 0; i < t->n; i++) {
		double w = 400.0 * (double)t->v[i].n / (double)max;
		wbuf_fmt(b, "<text x=\"170\" y=\"%zu\" text-anchor=\"end\">", i * 20 + 15);
		wbuf_html(b, t->v[i].key);
		wbuf_fmt(b, "</text><rect x=\"176\" y=\"%zu\" width=\"%.1f\" height=\"14\"/>"
			 "<text x=\"%.1f\" y=\"%zu\">%lld</text>", i * 20 + 4, w, 182 + w, i * 20 + 15,
			 t->v[i].n);
	}
	wbuf_raw(b, "</svg>\n");
}

/* table - t's rows. */
static void
table(struct wbuf *b, const struct sv_table *t, const char *key, const char *label, int codes)
{
	size_t i;

	wbuf_raw(b, "<table><thead><tr><th>No</th><th>");
	wbuf_html(b, key);
	if (label) {
		wbuf_raw(b, "</th><th>");
		wbuf_html(b, label);
	}
	wbuf_raw(b, "</th><th>Jumlah</th><th>Persentase</th></tr></thead><tbody>\n");
	for (i = 0; i < t->n; i++) {
		const struct err_info *ei = codes ? err_info(t->v[i].key) : NULL;
		char msg[1024];
		wbuf_fmt(b, "<tr><td>%zu</td><td>", i + 1);
		wbuf_html(b, t->v[i].key);
		if (label) {
			wbuf_raw(b, "</td><td>");
			wbuf_html(b, codes ? (ei && ei->message ? err_text(ei->message, msg, sizeof msg) : "") :
				  t->v[i].label);
		}
		wbuf_fmt(b, "</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td></tr>\n",
			 t->v[i].n, sv_share(t->v[i].n, t->total));
	}
	wbuf_raw(b, "</tbody></table>\n");
}

/* row - one line of the summary. */
static void
row(struct wbuf *b, const char *name, const char *value)
{
	wbuf_raw(b, "<tr><th scope=\"row\">");
	wbuf_html(b, name);
	wbuf_raw(b, "</th><td>");
	wbuf_html(b, value);
	wbuf_raw(b, "</td></tr>\n");
}

int
sv_html(const struct cfg *c, const struct supervision *s, const char *number, struct wbuf *b)
{
	const struct db_stat_totals *t = &s->t;
	char v[512], made[40];
	size_t i;

	text_time_wib(made, sizeof made, (time_t)s->made_at);
	wbuf_raw(b, "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
		 "<title>Laporan Pengawasan dan Evaluasi Tanda Tangan Elektronik</title><style>"
		 "body{font-family:sans-serif;max-width:56em;margin:2em auto;color:#111}"
		 "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;"
		 "padding:.2em .5em;text-align:left}td.n{text-align:right}svg text{font-size:11px}"
		 "svg rect{fill:#1a4587}</style></head><body>\n<header><p>");
	wbuf_html(b, c->instansi ? c->instansi : "");
	wbuf_raw(b, "</p><h1>Laporan Pengawasan dan Evaluasi Penggunaan Sertifikat Elektronik dan "
		 "Tanda Tangan Elektronik</h1><p>Periode ");
	wbuf_html(b, s->from);
	wbuf_raw(b, " s.d. ");
	wbuf_html(b, s->to);
	wbuf_raw(b, " (WIB) &middot; Perangkat Daerah: ");
	wbuf_html(b, s->pd[0] ? s->pd : "seluruh Perangkat Daerah");
	wbuf_raw(b, " &middot; Nomor: ");
	wbuf_html(b, number);
	wbuf_raw(b, "</p><p>Peraturan Bupati Musi Rawas Nomor 55 Tahun 2023, Pasal 23. Dibuat ");
	wbuf_html(b, made);
	wbuf_raw(b, ".</p></header>\n<h2>I. Ringkasan</h2><table>\n");
	snprintf(v, sizeof v, "%lld", t->signed_docs);
	row(b, "Dokumen ditandatangani", v);
	snprintf(v, sizeof v, "%lld (%.1f%% dari dokumen yang diajukan)", t->refused,
		 sv_share(t->refused, t->signed_docs + t->refused));
	row(b, "Dokumen ditolak", v);
	snprintf(v, sizeof v, "%zu", s->tab[DB_STAT_SIGNED_PD].n);
	row(b, "Perangkat Daerah yang menandatangani", v);
	snprintf(v, sizeof v, "%zu", s->tab[DB_STAT_SIGNED_SIGNER].n);
	row(b, "Penandatangan yang aktif", v);
	snprintf(v, sizeof v, "%lld detik; %lld detik", t->latency_p50, t->latency_p90);
	row(b, "Waktu dari diambil hingga selesai (median; 90%)", t->latency_n ? v : "-");
	snprintf(v, sizeof v, "%lld; ditambahkan kemudian %lld", t->ts_waiting, t->ts_late);
	row(b, "Tanda tangan menunggu cap waktu", v);
	snprintf(v, sizeof v, "%lld berita acara, %lld dokumen", t->deletions, t->deleted_docs);
	row(b, "Penghapusan", v);
	snprintf(v, sizeof v, "terbit %lld (perpanjangan %lld), dicabut %lld, kedaluwarsa %lld, "
		 "aktif %lld; berakhir dalam 30/60/90 hari: %lld/%lld/%lld", t->certs_issued,
		 t->certs_renewed, t->certs_revoked, t->certs_expired, t->certs_active,
		 t->certs_expiring[0], t->certs_expiring[1], t->certs_expiring[2]);
	row(b, "Sertifikat elektronik", v);
	if (s->audit_ok)
		snprintf(v, sizeof v, "UTUH: %lld catatan, rantai hash sesuai", s->audit.count);
	else
		snprintf(v, sizeof v, "RUSAK pada catatan %lld: %s", s->audit.bad, s->audit.why);
	row(b, "Jejak audit", v);
	wbuf_raw(b, "</table>\n<h2>II. Grafik dan rincian</h2>\n");
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		const struct sv_table *tab = &s->tab[shown[i].k];
		wbuf_raw(b, "<h3>");
		wbuf_html(b, shown[i].title);
		wbuf_raw(b, "</h3>\n");
		if (tab->n == 0) {
			wbuf_raw(b, "<p>(tidak ada data pada periode ini)</p>\n");
			continue;
		}
		if (shown[i].k == DB_STAT_SIGNED_PD || shown[i].k == DB_STAT_SIGNED_MONTH ||
		    shown[i].k == DB_STAT_REFUSED_CAUSE)
			bars(b, tab);
		table(b, tab, shown[i].key, shown[i].label, shown[i].k == DB_STAT_REFUSED_CODE);
	}
	wbuf_raw(b, "</body></html>\n");
	return b->oom ? -1 : 0;
}
