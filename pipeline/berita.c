/*
 * berita.c - the berita acara of deletion file (see berita.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "../config/ytree.h"
#include "berita.h"

static const struct ycodes codes = {
	"deletion.syntax", "deletion.unknown_key", "deletion.missing", "deletion.type",
	"deletion.value",
};

static const struct ykey top_keys[] = {
	{ "schema", 1, NULL }, { "pd", 1, NULL }, { "hari", 1, NULL }, { "tanggal", 1, NULL },
	{ "tempat", 1, NULL }, { "pemohon", 1, NULL }, { "jumlah", 1, NULL },
	{ "jumlah_huruf", 1, NULL }, { "dokumen", 1, NULL }, { "lampiran", 0, NULL },
	{ NULL, 0, NULL },
};

static const struct ykey person_keys[] = {
	{ "nama", 1, NULL }, { "nip", 1, NULL }, { "nik", 1, NULL },
	{ "pangkat_golongan", 1, NULL }, { "jabatan", 1, NULL }, { "instansi", 1, NULL },
	{ "unit_kerja", 1, NULL }, { NULL, 0, NULL },
};

static const struct ykey item_keys[] = {
	{ "id", 1, NULL }, { "alasan", 1, NULL }, { NULL, 0, NULL },
};

static const char *const ones[] = { "", "satu", "dua", "tiga", "empat", "lima", "enam",
				    "tujuh", "delapan", "sembilan", "sepuluh", "sebelas" };

/* words - n (< 1000000000000) appended to out, each word after a space. */
static void
words(long long n, char *out, size_t cap)
{
	size_t len = strlen(out);
	char *p = out + len;
	size_t room = cap - len;

	if (n < 12)
		snprintf(p, room, "%s%s", *out && n ? " " : "", ones[n]);
	else if (n < 20) {
		words(n - 10, out, cap);
		len = strlen(out);
		snprintf(out + len, cap - len, " belas");
	} else if (n < 100) {
		words(n / 10, out, cap);
		len = strlen(out);
		snprintf(out + len, cap - len, " puluh");
		words(n % 10, out, cap);
	} else if (n < 200) {
		snprintf(p, room, "%sseratus", *out ? " " : "");
		words(n - 100, out, cap);
	} else if (n < 1000) {
		words(n / 100, out, cap);
		len = strlen(out);
		snprintf(out + len, cap - len, " ratus");
		words(n % 100, out, cap);
	} else if (n < 2000) {
		snprintf(p, room, "%sseribu", *out ? " " : "");
		words(n - 1000, out, cap);
	} else if (n < 1000000) {
		words(n / 1000, out, cap);
		len = strlen(out);
		snprintf(out + len, cap - len, " ribu");
		words(n % 1000, out, cap);
	} else {
		words(n / 1000000, out, cap);
		len = strlen(out);
		snprintf(out + len, cap - len, " juta");
		words(n % 1000000, out, cap);
	}
}

void
berita_words(long long n, char *out, size_t cap)
{
	out[0] = '\0';
	if (n == 0)
		snprintf(out, cap, "nol");
	else if (n > 0 && n < 1000000000LL)
		words(n, out, cap);
}

/* squeeze - s lower-cased with runs of spaces as one, trimmed. */
static void
squeeze(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int space = 0;

	for (; *s && n + 1 < cap; s++) {
		if (isspace((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < cap)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
}

int
berita_words_equal(const char *a, const char *b)
{
	char x[256], y[256];

	squeeze(a, x, sizeof x);
	squeeze(b, y, sizeof y);
	return strcmp(x, y) == 0;
}

/* at - the position of map[key] (or of map when absent). */
static void
at(const struct ynode *map, const char *key, int *line, int *col)
{
	const struct ynode *v = ymap_get(map, key);

	*line = v ? v->line : map->line;
	*col = v ? v->col : map->col;
}

/* load_items - dokumen: the table. */
static void
load_items(struct yctx *x, const struct ynode *root, struct berita *b)
{
	const struct ynode *seq;
	char path[64];
	size_t i;

	if (ymap_kind(x, root, "", "dokumen", Y_SEQ, &seq) != 0)
		return;
	if (seq->n == 0) {
		yerr(x, codes.value, "dokumen", seq, "dokumen kosong: cantumkan paling sedikit satu "
		     "ID dokumen");
		return;
	}
	if (!(b->items = calloc(seq->n, sizeof *b->items)))
		return;
	b->n = seq->n;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->item[i];
		struct berita_item *d = &b->items[i];
		ypath_index(path, sizeof path, "dokumen", i);
		d->line = it->line;
		d->col = it->col;
		if (ymap_check(x, it, path, item_keys) < 0)
			continue;
		ymap_str(x, it, path, "id", 64, &d->id);
		ymap_str(x, it, path, "alasan", 400, &d->reason);
		at(it, "id", &d->id_line, &d->id_col);
		at(it, "alasan", &d->reason_line, &d->reason_col);
	}
}

int
berita_read(const char *buf, size_t len, const char *file, struct berita *b, struct errs *errs)
{
	struct yctx x = { &codes, file, "x-", errs, YLANG_ID };
	const struct ynode *who;
	struct ytree t = { 0 };
	long long v;
	int n0 = errs->n;

	memset(b, 0, sizeof *b);
	b->count = -1;
	if (ytree_parse(&t, buf, len, &x) < 0 || !t.root) {
		if (!t.root && errs->n == n0)
			errs_addf(errs, codes.missing, "", 0, 0, "%s kosong", file);
		ytree_free(&t);
		return -1;
	}
	if (ymap_check(&x, t.root, "", top_keys) == 0) {
		ymap_int(&x, t.root, "", "schema", 1, 1, &v);
		ymap_str(&x, t.root, "", "pd", 64, &b->pd);
		ymap_str(&x, t.root, "", "hari", 32, &b->day);
		ymap_str(&x, t.root, "", "tanggal", 64, &b->date);
		ymap_str(&x, t.root, "", "tempat", 200, &b->place);
		if (ymap_int(&x, t.root, "", "jumlah", 0, 100000, &v) == 0)
			b->count = v;
		at(t.root, "jumlah", &b->count_line, &b->count_col);
		ymap_str(&x, t.root, "", "jumlah_huruf", 250, &b->count_words);
		at(t.root, "jumlah_huruf", &b->words_line, &b->words_col);
		ymap_str(&x, t.root, "", "lampiran", 1024, &b->attachment);
		if (ymap_kind(&x, t.root, "", "pemohon", Y_MAP, &who) == 0 &&
		    ymap_check(&x, who, "pemohon", person_keys) == 0) {
			ymap_str(&x, who, "pemohon", "nama", 200, &b->name);
			ymap_str(&x, who, "pemohon", "nip", 32, &b->nip);
			ymap_str(&x, who, "pemohon", "nik", 32, &b->nik);
			ymap_str(&x, who, "pemohon", "pangkat_golongan", 200, &b->rank);
			ymap_str(&x, who, "pemohon", "jabatan", 200, &b->jabatan);
			ymap_str(&x, who, "pemohon", "instansi", 200, &b->instansi);
			ymap_str(&x, who, "pemohon", "unit_kerja", 200, &b->unit);
			at(who, "nip", &b->nip_line, &b->nip_col);
		}
		load_items(&x, t.root, b);
	}
	ytree_free(&t);
	return errs->n > n0 ? -1 : 0;
}

void
berita_free(struct berita *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->items[i].id);
		free(b->items[i].reason);
	}
	free(b->items);
	free(b->pd);
	free(b->day);
	free(b->date);
	free(b->place);
	free(b->name);
	free(b->nip);
	free(b->nik);
	free(b->rank);
	free(b->jabatan);
	free(b->instansi);
	free(b->unit);
	free(b->count_words);
	free(b->attachment);
	memset(b, 0, sizeof *b);
}

/* q - s quoted for YAML ("" for NULL). */
static void
q(FILE *f, const char *s)
{
	text_yaml_quote(f, s ? s : "");
}

void
berita_write(FILE *f, const struct berita *b)
{
	size_t i;

	fprintf(f, "# Berita acara pengusulan penghapusan dokumen elektronik (sertel, schema 1).\n"
		"# Lengkapi NIK dan pangkat/golongan, periksa alasan, lalu letakkan berkas ini di\n"
		"# SPOOL/deletion/<pd>/ atau jalankan: sertel deletion submit BERKAS\n"
		"# Pindaian formulir yang ditandatangani (PDF) dilampirkan dengan baris\n"
		"# lampiran: \"NAMA.pdf\" (di SPOOL/deletion/<pd>/: NAMA sama dengan berkas ini).\n"
		"schema: 1\npd: ");
	q(f, b->pd);
	fprintf(f, "\nhari: ");
	q(f, b->day);
	fprintf(f, "\ntanggal: ");
	q(f, b->date);
	fprintf(f, "\ntempat: ");
	q(f, b->place);
	fprintf(f, "\npemohon:\n  nama: ");
	q(f, b->name);
	fprintf(f, "\n  nip: ");
	q(f, b->nip);
	fprintf(f, "\n  nik: ");
	q(f, b->nik);
	fprintf(f, "\n  pangkat_golongan: ");
	q(f, b->rank);
	fprintf(f, "\n  jabatan: ");
	q(f, b->jabatan);
	fprintf(f, "\n  instansi: ");
	q(f, b->instansi);
	fprintf(f, "\n  unit_kerja: ");
	q(f, b->unit);
	fprintf(f, "\njumlah: %lld\njumlah_huruf: ", b->count);
	q(f, b->count_words);
	fprintf(f, "\ndokumen:\n");
	for (i = 0; i < b->n; i++) {
		fprintf(f, "  - id: ");
		q(f, b->items[i].id);
		fprintf(f, "\n    alasan: ");
		q(f, b->items[i].reason);
		fputc('\n', f);
	}
}
