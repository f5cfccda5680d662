/*
 * page.c - the verification page and its JSON (see page.h).
 *
 * Accessible by construction: lang="id", one h1, the status as text (colour
 * only repeats it), a definition list of the facts, no script at all.  All
 * text from the database or the request goes through wbuf_html/wbuf_json.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/nip.h"
#include "page.h"

static const char *const month[] = {
	"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember",
};

/* wib - t in WIB (UTC+7) as "6 Desember 2026, pukul 14.05.09 WIB" (iso: 2026-12-06T14:05:09+07:00). */
static const char *
wib(long long t, int iso, char *buf, size_t cap)
{
	time_t tt = (time_t)(t + 7 * 3600);
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		snprintf(buf, cap, "-");
	else if (iso)
		snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(buf, cap, "%d %s %04d, pukul %02d.%02d.%02d WIB", tm.tm_mday,
			 month[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

/* nip - the signer's NIP as web.show_nip allows: NULL (hidden), masked or whole. */
static const char *
nip(const struct cfg *c, const char *n, char *buf, size_t cap)
{
	if (c->web.show_nip == WEB_NIP_HIDDEN || !n[0])
		return NULL;
	return c->web.show_nip == WEB_NIP_FULL ? n : nip_mask(n, buf, cap);
}

static const char *
status_word(enum page_status s)
{
	return s == PAGE_VALID ? "ASLI" : s == PAGE_DELETED ? "DIHAPUS" :
	       s == PAGE_REVOKED ? "SERTIFIKAT DICABUT SETELAH PENANDATANGANAN" : "TIDAK DIKENAL";
}

/* head - from the doctype to <main>. */
static void
head(struct wbuf *b, const struct cfg *c, const char *title)
{
	wbuf_raw(b, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"robots\" content=\"noindex\">\n<title>");
	wbuf_html(b, title);
	wbuf_raw(b, " - Verifikasi Dokumen Elektronik</title>\n<link rel=\"stylesheet\" href=\"");
	wbuf_html(b, c->web.path);
	wbuf_raw(b, "sertel.css\">\n<link rel=\"icon\" href=\"");
	wbuf_html(b, c->web.path);
	wbuf_raw(b, "ikon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n<main>\n"
		 "<header>\n<p class=\"instansi\">");
	wbuf_html(b, c->instansi);
	wbuf_raw(b, "</p>\n<h1>Verifikasi Dokumen Elektronik</h1>\n</header>\n");
}

static void
tail(struct wbuf *b, const struct cfg *c)
{
	wbuf_raw(b, "<footer>\n<p><a href=\"");
	wbuf_html(b, c->web.path);
	wbuf_raw(b, "\">Periksa ID dokumen lain</a></p>\n</footer>\n</main>\n</body>\n</html>\n");
}

/* row - one fact of the definition list, skipped when empty. */
static void
row(struct wbuf *b, const char *term, const char *value, const char *cls)
{
	if (!value || !value[0])
		return;
	wbuf_raw(b, "<dt>");
	wbuf_raw(b, term);
	wbuf_raw(b, cls ? "</dt>\n<dd class=\"" : "</dt>\n<dd>");
	if (cls) {
		wbuf_raw(b, cls);
		wbuf_raw(b, "\">");
	}
	wbuf_html(b, value);
	wbuf_raw(b, "</dd>\n");
}

/*
 * signer_jabatan - the jabatan the signer held when signing: as recorded
 * then (what the mark shows, schema 8), else the registry's as of that date
 * (lookup in server.c), else the officials register's today.
 */
static const char *
signer_jabatan(const struct cfg *c, const struct page_view *v)
{
	const struct cfg_official *o;

	if (v->doc->signer_jabatan[0])
		return v->doc->signer_jabatan;
	if (v->jabatan[0])
		return v->jabatan;
	o = cfg_official_find(c, v->doc->signer_nip);
	return o ? o->jabatan : NULL;
}

/* facts - the document's facts (a known ID). */
static void
facts(struct wbuf *b, const struct cfg *c, const struct page_view *v)
{
	const struct db_document *d = v->doc;
	const struct cfg_doctype *dt = cfg_doctype_find(c, d->type);
	char when[80], masked[32];

	wbuf_raw(b, "<h2>Keterangan dokumen</h2>\n<dl>\n");
	row(b, "ID dokumen", d->id, "kode");
	row(b, "Jenis dokumen", dt ? dt->title : d->type, NULL);
	row(b, "Nomor", d->number, NULL);
	row(b, "Perihal", d->subject, NULL);
	row(b, "Perangkat daerah", d->pd, NULL);
	row(b, "Penanda tangan", d->signer_name, NULL);
	row(b, "Jabatan", signer_jabatan(c, v), NULL);
	row(b, "NIP", nip(c, d->signer_nip, masked, sizeof masked), "kode");
	row(b, "Waktu penandatanganan", wib(d->signed_at, 0, when, sizeof when), NULL);
	row(b, "Sidik jari SHA-256 berkas bertanda tangan", d->sha_signed, "kode hash");
	wbuf_raw(b, "</dl>\n");
}

/* upload_form - the form to check an electronic file against the record (no script). */
static void
upload_form(struct wbuf *b, const struct cfg *c, const char *id)
{
	wbuf_raw(b, "<section aria-labelledby=\"periksa\">\n<h2 id=\"periksa\">Periksa berkas "
		 "elektronik</h2>\n<form method=\"post\" enctype=\"multipart/form-data\" action=\"");
	wbuf_html(b, c->web.path);
	wbuf_html(b, id);
	wbuf_fmt(b, "\">\n<label for=\"berkas\">Berkas PDF yang Anda terima (paling besar %ld "
		 "MB)</label>\n<input id=\"berkas\" name=\"berkas\" type=\"file\" "
		 "accept=\"application/pdf,.pdf\" required>\n<button type=\"submit\">Periksa "
		 "berkas</button>\n</form>\n</section>\n", (c->web.max_upload_kb + 1023) / 1024);
}

void
page_html(struct wbuf *b, const struct cfg *c, const struct page_view *v)
{
	const char *word = status_word(v->status);
	char when[80];

	head(b, c, word);
	wbuf_fmt(b, "<section class=\"status %s\" aria-labelledby=\"status\">\n"
		 "<h2 id=\"status\"><span class=\"label\">Status:</span> %s</h2>\n<p>",
		 v->status == PAGE_VALID ? "asli" : v->status == PAGE_DELETED ||
		 v->status == PAGE_REVOKED ? "dihapus" : "tidak-dikenal", word);
	switch (v->status) {
	case PAGE_VALID:
		wbuf_raw(b, "Dokumen dengan ID ini ditandatangani secara elektronik dan tercatat "
			 "di arsip ");
		wbuf_html(b, c->instansi);
		wbuf_raw(b, ".");
		break;
	case PAGE_DELETED:
		wbuf_raw(b, "Dokumen dengan ID ini pernah ditandatangani secara elektronik, tetapi "
			 "telah dihapus berdasarkan Berita Acara Penghapusan nomor <strong>");
		wbuf_html(b, v->del->number);
		wbuf_raw(b, "</strong> tanggal <strong>");
		wbuf_html(b, wib(v->del->at, 0, when, sizeof when));
		wbuf_raw(b, "</strong>. Jangan gunakan dokumen ini sebagai dokumen yang berlaku.");
		break;
	case PAGE_REVOKED:
		wbuf_raw(b, "Dokumen dengan ID ini ditandatangani secara elektronik dan tercatat "
			 "di arsip ");
		wbuf_html(b, c->instansi);
		wbuf_raw(b, ", tetapi sertifikat elektronik penanda tangannya dicabut sesudah "
			 "penandatanganan, pada <strong>");
		wbuf_html(b, wib(v->revoked_at, 0, when, sizeof when));
		wbuf_raw(b, "</strong> (alasan: ");
		wbuf_html(b, *v->revoke_reason ? v->revoke_reason : "-");
		wbuf_raw(b, "). Tanda tangan yang dibuat sebelum pencabutan tetap sah sebagai tanda "
			 "tangan pada waktu itu; periksa apakah dokumen ini masih berlaku.");
		break;
	case PAGE_UNKNOWN:
		wbuf_raw(b, "Tidak ada dokumen bertanda tangan elektronik dengan ID <span "
			 "class=\"kode\">");
		wbuf_html(b, v->id);
		wbuf_raw(b, "</span> di arsip ");
		wbuf_html(b, c->instansi);
		wbuf_raw(b, ". Periksa kembali ID yang tertera pada dokumen. Jika ID sudah "
			 "benar, dokumen itu tidak diterbitkan melalui sistem ini.");
		break;
	case PAGE_MALFORMED:
		wbuf_raw(b, "Ini bukan ID dokumen: ID terdiri atas 16 karakter, angka 2 sampai 9 "
			 "dan huruf A sampai Z tanpa I dan O. Periksa kembali ID yang tertera "
			 "pada dokumen.");
		break;
	}
	wbuf_raw(b, "</p>\n</section>\n");
	if (v->doc)
		facts(b, c, v);
	if (v->doc && c->web.max_upload_kb > 0)
		upload_form(b, c, v->doc->id);
	wbuf_raw(b, "<section class=\"catatan\" aria-labelledby=\"salinan\">\n"
		 "<h2 id=\"salinan\">Dokumen cetak adalah salinan</h2>\n"
		 "<p>Halaman ini menyatakan apa yang tercatat untuk ID tersebut, bukan bahwa "
		 "kertas di tangan Anda sama isinya. Dokumen yang dicetak adalah "
		 "<em>salinan</em>: tanda tangan elektronik hanya melekat pada berkas PDF "
		 "elektroniknya. Bandingkan isi cetakan dengan keterangan di atas.</p>\n"
		 "<p>Untuk memeriksa berkas elektroniknya: buka berkas PDF itu di aplikasi "
		 "pembaca PDF yang dapat memeriksa tanda tangan elektronik, dan hitung sidik "
		 "jari SHA-256 berkas itu (misalnya <code>sha256sum berkas.pdf</code> di Linux "
		 "atau <code>certutil -hashfile berkas.pdf SHA256</code> di Windows). Sidik jari "
		 "yang sama dengan yang tertera di atas berarti berkas itu persis berkas yang "
		 "ditandatangani.</p>\n</section>\n");
	tail(b, c);
}

void
page_upload(struct wbuf *b, const struct cfg *c, const struct page_view *v,
	    const struct check_result *r, enum check_relation rel)
{
	static const char *const verdict[][3] = {
		{ "asli", "UTUH", "Tanda tangan elektronik pada berkas ini utuh dan penanda "
		  "tangannya terpercaya." },
		{ "dihapus", "DIUBAH", "Berkas ini telah diubah setelah ditandatangani; tanda "
		  "tangannya tidak utuh. Jangan gunakan berkas ini." },
		{ "tidak-dikenal", "TIDAK DAPAT DIPERIKSA", "Berkas ini bukan PDF bertanda tangan "
		  "elektronik, atau tidak dapat dibaca." },
		{ "tidak-dikenal", "TIDAK TERPERCAYA", "Tanda tangan pada berkas ini utuh, tetapi "
		  "sertifikat penanda tangannya tidak dikenal, kedaluwarsa atau dicabut." },
		{ "dihapus", "DIHAPUS", "Tanda tangan pada berkas ini utuh, tetapi dokumen ini "
		  "telah dihapus berdasarkan berita acara: jangan gunakan sebagai dokumen yang "
		  "berlaku." },
	};
	static const char *const relation[] = {
		"Berkas ini sama persis, byte demi byte, dengan berkas bertanda tangan yang "
		"tersimpan untuk ID ini.",
		"Berkas ini adalah revisi yang lebih awal dari berkas yang tersimpan: berkas "
		"yang tersimpan menambahkan revisi (misalnya tanda tangan) sesudahnya.",
		"Berkas ini berisi berkas yang tersimpan ditambah revisi yang dibuat sesudah "
		"penandatanganan. Lihat perubahan sesudah tanda tangan dalam laporan di bawah.",
		"Berkas ini tidak sama dengan berkas bertanda tangan yang tersimpan untuk ID ini, "
		"dan bukan revisinya.",
		"Tidak ada salinan tersimpan untuk dibandingkan (dokumen telah dihapus).",
	};
	int k = r->ran && r->exit >= 0 && r->exit <= 4 ? r->exit : 2;

	head(b, c, "Hasil pemeriksaan berkas");
	wbuf_fmt(b, "<section class=\"status %s\" aria-labelledby=\"status\">\n<h2 id=\"status\">"
		 "<span class=\"label\">Hasil pemeriksaan berkas:</span> ", verdict[k][0]);
	if (r->killed)
		wbuf_raw(b, "DIHENTIKAN</h2>\n<p>Pemeriksaan dihentikan: berkas ini melampaui batas "
			 "waktu atau memori pemeriksaan.");
	else
		wbuf_fmt(b, "%s</h2>\n<p>%s", verdict[k][1], verdict[k][2]);
	wbuf_raw(b, " ");
	wbuf_raw(b, relation[rel]);
	wbuf_raw(b, "</p>\n</section>\n");
	if (v->doc)
		facts(b, c, v);
	wbuf_raw(b, "<h2>Laporan lengkap (sertel verify)</h2>\n<pre class=\"laporan\">");
	wbuf_html_pre(b, r->report.p ? r->report.p : "");
	wbuf_raw(b, "</pre>\n");
	tail(b, c);
}

/* jfield - "key": value (a JSON string, or null), with a leading comma unless first. */
static void
jfield(struct wbuf *b, const char *key, const char *value, int first)
{
	wbuf_raw(b, first ? "\"" : ",\"");
	wbuf_raw(b, key);
	wbuf_raw(b, "\":");
	if (value)
		wbuf_json(b, value);
	else
		wbuf_raw(b, "null");
}

void
page_json(struct wbuf *b, const struct cfg *c, const struct page_view *v)
{
	const struct db_document *d = v->doc;
	char when[80], masked[32];

	wbuf_raw(b, "{");
	jfield(b, "status", v->status == PAGE_VALID ? "ASLI" : v->status == PAGE_DELETED ?
	       "DIHAPUS" : v->status == PAGE_REVOKED ? "SERTIFIKAT_DICABUT_SETELAH_PENANDATANGANAN" :
	       "TIDAK_DIKENAL", 1);
	jfield(b, "id", v->id, 0);
	jfield(b, "instansi", c->instansi, 0);
	if (d) {
		const struct cfg_doctype *dt = cfg_doctype_find(c, d->type);
		jfield(b, "pd", d->pd, 0);
		jfield(b, "document_type", d->type, 0);
		jfield(b, "document_type_title", dt ? dt->title : NULL, 0);
		jfield(b, "number", d->number[0] ? d->number : NULL, 0);
		jfield(b, "subject", d->subject[0] ? d->subject : NULL, 0);
		jfield(b, "signer_name", d->signer_name[0] ? d->signer_name : NULL, 0);
		jfield(b, "signer_jabatan", signer_jabatan(c, v), 0);
		jfield(b, "signer_nip", nip(c, d->signer_nip, masked, sizeof masked), 0);
		jfield(b, "signed_at", wib(d->signed_at, 1, when, sizeof when), 0);
		jfield(b, "sha256", d->sha_signed, 0);
	}
	if (v->status == PAGE_REVOKED) {
		wbuf_raw(b, ",\"certificate_revoked\":{");
		jfield(b, "at", wib(v->revoked_at, 1, when, sizeof when), 1);
		jfield(b, "reason", v->revoke_reason, 0);
		wbuf_raw(b, "}");
	}
	if (v->del) {
		wbuf_raw(b, ",\"deletion\":{");
		jfield(b, "berita_acara", v->del->number, 1);
		jfield(b, "deleted_at", wib(v->del->at, 1, when, sizeof when), 0);
		wbuf_raw(b, "}");
	}
	wbuf_raw(b, "}\n");
}

void
page_plain(struct wbuf *b, const struct cfg *c, const char *title, const char *text)
{
	head(b, c, title);
	wbuf_raw(b, "<section class=\"status\" aria-labelledby=\"status\">\n<h2 id=\"status\">");
	wbuf_html(b, title);
	wbuf_raw(b, "</h2>\n<p>");
	wbuf_html(b, text);
	wbuf_raw(b, "</p>\n</section>\n");
	tail(b, c);
}

void
page_form(struct wbuf *b, const struct cfg *c)
{
	head(b, c, "Periksa ID dokumen");
	wbuf_raw(b, "<form method=\"get\" action=\"");
	wbuf_html(b, c->web.path);
	wbuf_raw(b, "\">\n<label for=\"id\">ID dokumen (16 karakter, tertera di bawah kode QR)"
		 "</label>\n<input id=\"id\" name=\"id\" type=\"text\" inputmode=\"text\" "
		 "autocomplete=\"off\" autocapitalize=\"characters\" maxlength=\"40\" required>\n"
		 "<button type=\"submit\">Periksa</button>\n</form>\n");
	tail(b, c);
}

const char page_css[] =
	"body{margin:0;font-family:system-ui,sans-serif;font-size:1.05rem;line-height:1.5;"
	"color:#111;background:#f4f4f4}\n"
	"main{max-width:44rem;margin:0 auto;padding:1rem;background:#fff}\n"
	"header .instansi{margin:0;font-weight:600}\nh1{font-size:1.4rem;margin:.2rem 0 1rem}\n"
	".status{border:3px solid #555;border-radius:6px;padding:.5rem 1rem;margin-bottom:1rem}\n"
	".status h2{font-size:1.8rem;margin:.2rem 0}\n"
	".status .label{font-size:1rem;font-weight:400;display:block}\n"
	".asli{border-color:#0a6b2d;background:#e6f4ea}\n.asli h2{color:#0a5524}\n"
	".dihapus{border-color:#9b1c1c;background:#fdecec}\n.dihapus h2{color:#8a1616}\n"
	".tidak-dikenal{border-color:#7a5a00;background:#fff6db}\n.tidak-dikenal h2{color:#5e4500}\n"
	"dl{display:grid;grid-template-columns:minmax(9rem,14rem) 1fr;gap:.3rem 1rem}\n"
	"dt{font-weight:600}\ndd{margin:0}\n.kode{font-family:monospace}\n"
	".hash{word-break:break-all}\n"
	".laporan{white-space:pre-wrap;word-break:break-all;font-size:.85rem;background:#f4f4f4;"
	"padding:.5rem}\n"
	".catatan{border-top:1px solid #ccc;margin-top:1.5rem}\n.catatan h2{font-size:1.1rem}\n"
	"label{display:block;margin-bottom:.3rem}\ninput{font-size:1.1rem;font-family:monospace;"
	"padding:.3rem;width:18rem;max-width:100%}\nbutton{font-size:1.1rem;padding:.3rem 1rem}\n"
	"a{color:#0b4f9c}\n:focus{outline:3px solid #0b4f9c;outline-offset:2px}\n"
	"@media (max-width:30rem){dl{grid-template-columns:1fr}}\n";

const char page_icon[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
	"<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#0a6b2d\"/>"
	"<path d=\"M4 8l3 3 5-6\" stroke=\"#fff\" stroke-width=\"2\" fill=\"none\"/></svg>\n";
