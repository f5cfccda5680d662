/*
 * test_sidecar.c - the paraf sidecar: a valid file parses (hash decoded, time
 * to UTC with its offset), a file with many mistakes reports every one with
 * code, field and line:column, and hostile YAML is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../stages/paraf/sidecar.h"

#define HASH "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define HASH_UC "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
#define T_WIB 1795417500	/* 2026-11-23T14:05:00+07:00 = 07:05:00Z */

static const unsigned char hash_bytes[32] = {
	0x9f, 0x86, 0xd0, 0x81, 0x88, 0x4c, 0x7d, 0x65, 0x9a, 0x2f, 0xea, 0xa0, 0xc5, 0x5a, 0xd0, 0x15,
	0xa3, 0xbf, 0x4f, 0x1b, 0x2b, 0x0b, 0x82, 0x2c, 0xd1, 0x5d, 0x6c, 0x15, 0xb0, 0xf0, 0x0a, 0x08,
};

/* parse - sidecar_parse of a NUL-terminated text (the NUL is not passed). */
static int
parse(const char *text, struct sidecar *s, struct errs *l)
{
	memset(l, 0, sizeof *l);
	return sidecar_parse(text, strlen(text), s, l);
}

/* dump - every violation, for failure messages. */
static void
dump(const struct errs *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		print_message("#   %s [%s] %d:%d %s\n", l->v[i].code, l->v[i].field, l->v[i].line,
			      l->v[i].col, l->v[i].detail);
}

/* expect_one - exactly one violation, with this code, field, position and detail part. */
static void
expect_one(const char *text, const char *code, const char *field, int line, int col,
	   const char *detail)
{
	struct sidecar s;
	struct errs l;

	assert_int_equal(parse(text, &s, &l), -1);
	if (l.n != 1 || strcmp(l.v[0].code, code) || strcmp(l.v[0].field, field) ||
	    l.v[0].line != line || l.v[0].col != col || !strstr(l.v[0].detail, detail)) {
		dump(&l);
		fail_msg("want %s [%s] %d:%d ...%s...", code, field, line, col, detail);
	}
	sidecar_free(&s);
}

static const char valid[] =
	"schema: 1\n"
	"type: surat_keluar\n"
	"number: \"800/123/DISKOMINFO/2026\"\n"
	"subject: \"Undangan rapat koordinasi\"\n"
	"signer: \"197103012006042006\"\n"
	"x-aplikasi: { nama: srikandi, versi: [3, 1], &a anchors-inside-x: *a }\n"
	"parafs:\n"
	"  - nip: \"198005052005011003\"\n"
	"    name: \"Budi Santoso\"\n"
	"    role: kasubbag_umum\n"
	"    time: \"2026-11-23T14:05:00+07:00\"\n"
	"    sha256: \"" HASH "\"\n"
	"    note: \"Sudah diperiksa\"\n"
	"    x-catatan: [ tidak, dibaca ]\n"
	"  - nip: 3205010101900001\n"
	"    name: 12345\n"
	"    role: 7\n"
	"    time: 2026-11-23T06:00:00Z\n"
	"    sha256: " HASH_UC "\n";

static void
test_valid(void **state)
{
	struct sidecar s;
	struct errs l;
	char text[sizeof valid];

	/* anchors are refused even under x-: the tree is built before keys are known */
	snprintf(text, sizeof text, "%s", valid);
	memcpy(strstr(text, "&a anchors-inside-x: *a"), "b: c                   ", 23);
	if (parse(text, &s, &l) != 0) {
		dump(&l);
		fail();
	}
	assert_int_equal(s.schema, 1);
	assert_string_equal(s.type, "surat_keluar");
	assert_string_equal(s.number, "800/123/DISKOMINFO/2026");
	assert_string_equal(s.subject, "Undangan rapat koordinasi");
	assert_string_equal(s.signer, "197103012006042006");
	assert_int_equal(s.at_type.line, 2);
	assert_int_equal(s.at_type.col, 7);
	assert_int_equal(s.at_signer.line, 5);
	assert_int_equal(s.at_signer.col, 9);
	assert_int_equal(s.at_parafs.line, 8);
	assert_int_equal(s.at_parafs.col, 3);
	assert_int_equal(s.nparafs, 2);

	assert_string_equal(s.parafs[0].nip, "198005052005011003");
	assert_string_equal(s.parafs[0].name, "Budi Santoso");
	assert_string_equal(s.parafs[0].role, "kasubbag_umum");
	assert_string_equal(s.parafs[0].note, "Sudah diperiksa");
	assert_string_equal(s.parafs[0].time, "2026-11-23T14:05:00+07:00");
	assert_int_equal(s.parafs[0].t, T_WIB);
	assert_int_equal(s.parafs[0].tz_minutes, 420);
	assert_memory_equal(s.parafs[0].sha256, hash_bytes, 32);
	assert_int_equal(s.parafs[0].at.line, 8);
	assert_int_equal(s.parafs[0].at.col, 5);
	assert_int_equal(s.parafs[0].at_nip.line, 8);
	assert_int_equal(s.parafs[0].at_nip.col, 10);
	assert_int_equal(s.parafs[0].at_time.line, 11);
	assert_int_equal(s.parafs[0].at_time.col, 11);
	assert_int_equal(s.parafs[0].at_sha256.line, 12);
	assert_int_equal(s.parafs[0].at_sha256.col, 13);

	/* a NIK, numbers where text is expected, an unquoted time, upper-case hex */
	assert_string_equal(s.parafs[1].nip, "3205010101900001");
	assert_string_equal(s.parafs[1].name, "12345");
	assert_string_equal(s.parafs[1].role, "7");
	assert_null(s.parafs[1].note);
	assert_int_equal(s.parafs[1].t, T_WIB - 3900);
	assert_int_equal(s.parafs[1].tz_minutes, 0);
	assert_memory_equal(s.parafs[1].sha256, hash_bytes, 32);
	sidecar_free(&s);

	/* and with the anchor in place, the whole file is refused */
	expect_one(valid, "sidecar.syntax", "x-aplikasi", 6, 46, "anchors and aliases are not allowed");
}

static void
test_optional_absent(void **state)
{
	struct sidecar s;
	struct errs l;

	assert_int_equal(parse("schema: 1\ntype: nota_dinas\nsigner: 3205010101900001\n"
			       "parafs: [ { nip: '198005052005011003', name: B, role: r,"
			       " time: '2026-11-23T14:05:00+0700', sha256: '" HASH "' } ]\n",
			       &s, &l), 0);
	assert_null(s.number);
	assert_null(s.subject);
	assert_null(s.parafs[0].note);
	assert_int_equal(s.parafs[0].tz_minutes, 420);
	sidecar_free(&s);
}

static const char many[] =
	"schema: 1\n"						/* 1 */
	"type: surat_keluar\n"					/* 2 */
	"signer: \"19710301200604200\"\n"			/* 3 */
	"subjek: \"Rapat\"\n"					/* 4 */
	"parafs:\n"						/* 5 */
	"  - nip: \"198005052005011003\"\n"			/* 6 */
	"    name: \"Budi Santoso\"\n"				/* 7 */
	"    time: \"2026-11-23 14:05\"\n"			/* 8 */
	"    sha256: \"" HASH "\"\n"				/* 9, 63 digits below */
	"  - nip: \"198005052005011003\"\n"			/* 10 */
	"    name: \"Ani\"\n"					/* 11 */
	"    role: sekretaris\n"				/* 12 */
	"    time: \"2026-02-30T10:00:00+08:00\"\n"		/* 13 */
	"    sha256: \"zz" HASH "\"\n"				/* 14 */
	"    catatan: \"x\"\n"					/* 15 */
	"  - \"hanya teks\"\n";					/* 16 */

static void
test_many(void **state)
{
	static const struct { const char *code, *field; int line, col; const char *detail; } want[] = {
		{ "sidecar.value", "signer", 3, 9,
		  "signer '19710301200604200' panjangnya 17 digit, seharusnya NIP 18 digit atau NIK "
		  "16 digit" },
		{ "sidecar.unknown_field", "subjek", 4, 1,
		  "kunci 'subjek' tidak dikenal (maksudnya 'subject'?)" },
		{ "sidecar.missing_field", "parafs[0].role", 6, 5,
		  "kunci wajib 'role' di parafs[0] tidak ada" },
		{ "sidecar.value", "parafs[0].time", 8, 11,
		  "parafs[0].time '2026-11-23 14:05' bukan waktu seperti 2026-11-23T14:05:00+07:00" },
		{ "sidecar.value", "parafs[0].sha256", 9, 13,
		  "panjangnya 63 karakter, seharusnya 64 digit heksadesimal" },
		{ "sidecar.value", "parafs[1].time", 13, 11, "bertanggal 2026-02-30 yang tidak ada" },
		{ "sidecar.value", "parafs[1].sha256", 14, 13,
		  "panjangnya 66 karakter, seharusnya 64 digit heksadesimal" },
		{ "sidecar.unknown_field", "parafs[1].catatan", 15, 5,
		  "kunci 'catatan' tidak dikenal di parafs[1]" },
		{ "sidecar.type", "parafs[2]", 16, 5, "parafs[2] berisi 'hanya teks', seharusnya sebuah mapping" },
	};
	char text[sizeof many];
	struct sidecar s;
	struct errs l;
	size_t i;

	snprintf(text, sizeof text, "%s", many);
	memmove(strstr(text, HASH "\"\n  - nip"), strstr(text, HASH "\"\n  - nip") + 1,
		strlen(strstr(text, HASH "\"\n  - nip")));	/* 63 digits */
	assert_int_equal(parse(text, &s, &l), -1);
	if (l.n != (int)(sizeof want / sizeof want[0]) || l.dropped) {
		dump(&l);
		fail_msg("%d violations, want %zu", l.n, sizeof want / sizeof want[0]);
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strcmp(l.v[i].code, want[i].code) || strcmp(l.v[i].field, want[i].field) ||
		    l.v[i].line != want[i].line || l.v[i].col != want[i].col ||
		    !strstr(l.v[i].detail, want[i].detail)) {
			dump(&l);
			fail_msg("#%zu: want %s [%s] %d:%d ...%s...", i, want[i].code, want[i].field,
				 want[i].line, want[i].col, want[i].detail);
		}
	/* what could be read is there, and out is safe to free */
	assert_string_equal(s.type, "surat_keluar");
	assert_int_equal(s.nparafs, 3);
	assert_string_equal(s.parafs[1].name, "Ani");
	sidecar_free(&s);
	assert_null(s.parafs);
}

/* Violations before the sidecar's (a PDF problem) stay first and untouched. */
static void
test_appends(void **state)
{
	static const char ok[] = "schema: 1\ntype: t\nsigner: '197103012006042006'\n"
		"parafs: [{nip: '198005052005011003', name: n, role: r, "
		"time: '2026-11-23T14:05:00Z', sha256: " HASH "}]\n";
	struct sidecar s;
	struct errs l;

	memset(&l, 0, sizeof l);
	errs_addf(&l, "pdf.corrupt", "", 0, 0, "truncated");
	assert_int_equal(sidecar_parse(valid, 0, &s, &l), -1);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].code, "pdf.corrupt");
	assert_string_equal(l.v[1].code, "sidecar.type");
	sidecar_free(&s);

	memset(&l, 0, sizeof l);
	errs_addf(&l, "pdf.corrupt", "", 0, 0, "truncated");
	assert_int_equal(sidecar_parse(ok, strlen(ok), &s, &l), 0);
	assert_int_equal(l.n, 1);
	sidecar_free(&s);
}

/* More violations than struct errs holds are counted, not lost silently. */
static void
test_overflow(void **state)
{
	char *text = malloc(40 * 200 + 200), *p = text;
	struct sidecar s;
	struct errs l;
	int i;

	p += sprintf(p, "schema: 1\ntype: t\nsigner: '197103012006042006'\nparafs:\n");
	for (i = 0; i < 40; i++)
		p += sprintf(p, "  - { nip: '198005052005011003', name: n, role: r, "
			     "time: '2026-11-23T14:05:00Z', sha256: 'abc' }\n");
	assert_int_equal(parse(text, &s, &l), -1);
	assert_int_equal(l.n, ERRS_MAX);
	assert_int_equal(l.dropped, 40 - ERRS_MAX);
	assert_string_equal(l.v[31].field, "parafs[31].sha256");
	sidecar_free(&s);
	free(text);
}

/* One time per case: accepted with (t, tz) or refused with a detail part. */
static void
test_times(void **state)
{
	static const struct { const char *time; long long t; int tz; const char *why; } v[] = {
		{ "2026-11-23T14:05:00+07:00", T_WIB, 420, NULL },		/* WIB */
		{ "2026-11-23T15:05:00+08:00", T_WIB, 480, NULL },		/* WITA */
		{ "2026-11-23T16:05:00+09:00", T_WIB, 540, NULL },		/* WIT */
		{ "2026-11-23T07:05:00Z", T_WIB, 0, NULL },
		{ "2026-11-23T07:05:00z", T_WIB, 0, NULL },
		{ "2026-11-23T14:05:00+0700", T_WIB, 420, NULL },
		{ "2026-11-23T14:05:00+07", T_WIB, 420, NULL },
		{ "2026-11-23T14:05:00.750+07:00", T_WIB, 420, NULL },
		{ "2026-11-23t14:05:00+07:00", T_WIB, 420, NULL },
		{ "2026-11-23 14:05:00+07:00", T_WIB, 420, NULL },
		{ "2026-11-23T02:05:00-05:00", T_WIB, -300, NULL },
		{ "2026-11-23T12:35:00+05:30", T_WIB, 330, NULL },
		{ "2028-02-29T12:00:00+07:00", 1835413200, 420, NULL },	/* leap year */
		{ "2000-02-29T00:00:00Z", 951782400, 0, NULL },
		{ "2026-11-23T14:05:00", 0, 0, "tidak memiliki zona waktu; akhiri dengan Z, +07:00 (WIB)" },
		/* Indonesia's zones by name, with or without a space */
		{ "2026-11-23T14:05:00 WIB", T_WIB, 420, NULL },
		{ "2026-11-23 14:05:00 WIB", T_WIB, 420, NULL },
		{ "2026-11-23T14:05:00WIB", T_WIB, 420, NULL },
		{ "2026-11-23T15:05:00 WITA", T_WIB, 480, NULL },
		{ "2026-11-23T16:05:00 WIT", T_WIB, 540, NULL },
		{ "2026-11-23T07:05:00 UTC", T_WIB, 0, NULL },
		{ "2026-11-23T14:05:00 wib", T_WIB, 420, NULL },
		{ "2026-11-23T14:05:00 PST", 0, 0, "memiliki zona waktu ' PST'" },
		{ "2026-11-23T14:05:00  WIB", 0, 0, "memiliki zona waktu '  WIB'" },
		{ "2026-11-23T14:05:00 WIB+07:00", 0, 0, "memiliki zona waktu ' WIB+07:00'" },
		{ "1999-12-31T23:59:59+07:00", 0, 0, "bertahun 1999; waktu paraf dimulai dari tahun 2000" },
		{ "0026-11-23T14:05:00+07:00", 0, 0, "bertahun 26" },
		{ "2026-11-23T14:05:00+7:00", 0, 0, "memiliki zona waktu '+7:00'" },
		{ "2026-11-23T14:05:00+07:00x", 0, 0, "memiliki zona waktu '+07:00x'" },
		{ "2026-11-23T14:05:00+15:00", 0, 0, "di luar -14:00..+14:00" },
		{ "2026-11-23T14:05:00+07:60", 0, 0, "di luar -14:00..+14:00" },
		{ "2026-11-23T14:05+07:00", 0, 0, "bukan waktu seperti" },
		{ "23-11-2026T14:05:00+07:00", 0, 0, "bukan waktu seperti" },
		{ "2026-11-23", 0, 0, "bukan waktu seperti" },
		{ "2026-02-30T10:00:00+07:00", 0, 0, "bertanggal 2026-02-30 yang tidak ada" },
		{ "2026-02-29T10:00:00+07:00", 0, 0, "bertanggal 2026-02-29" },
		{ "2100-02-29T10:00:00+07:00", 0, 0, "bertanggal 2100-02-29" },
		{ "2026-13-01T10:00:00+07:00", 0, 0, "bertanggal 2026-13-01" },
		{ "2026-04-31T10:00:00+07:00", 0, 0, "bertanggal 2026-04-31" },
		{ "2026-11-00T10:00:00+07:00", 0, 0, "bertanggal 2026-11-00" },
		{ "2026-11-23T24:00:00+07:00", 0, 0, "berjam 24:00:00" },
		{ "2026-11-23T14:60:00+07:00", 0, 0, "berjam 14:60:00" },
		{ "2026-11-23T14:05:60+07:00", 0, 0, "berjam 14:05:60" },
	};
	char text[512];
	struct sidecar s;
	struct errs l;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(text, sizeof text, "schema: 1\ntype: t\nsigner: '197103012006042006'\n"
			 "parafs:\n  - nip: '198005052005011003'\n    name: n\n    role: r\n"
			 "    time: \"%s\"\n    sha256: " HASH "\n", v[i].time);
		if (parse(text, &s, &l) == 0) {
			if (v[i].why)
				fail_msg("'%s' accepted", v[i].time);
			if (s.parafs[0].t != (time_t)v[i].t || s.parafs[0].tz_minutes != v[i].tz)
				fail_msg("'%s': t %lld tz %d, want %lld %d", v[i].time,
					 (long long)s.parafs[0].t, s.parafs[0].tz_minutes, v[i].t,
					 v[i].tz);
		} else if (!v[i].why || l.n != 1 || strcmp(l.v[0].code, "sidecar.value") ||
			   strcmp(l.v[0].field, "parafs[0].time") || l.v[0].line != 8 ||
			   l.v[0].col != 11 || !strstr(l.v[0].detail, v[i].why)) {
			dump(&l);
			fail_msg("'%s' refused wrongly", v[i].time);
		}
		sidecar_free(&s);
	}
}

struct bad {
	const char *name, *yaml, *code, *field;
	int line, col;
	const char *detail;
};

#define TOP "schema: 1\ntype: t\nsigner: '197103012006042006'\n"	/* lines 1-3 */
#define PARAF_KEYS "nip: '198005052005011003', name: n, role: r, time: '2026-11-23T14:05:00Z'"

static const struct bad bad[] = {
	{ "syntax error", "schema: 1\ntype: [surat_keluar\n", "sidecar.syntax", "", 3, 1,
	  "did not find expected ',' or ']' (while parsing a flow sequence at line 2 column 7)" },
	{ "tab indentation", "schema: 1\nparafs:\n\t- nip: x\n", "sidecar.syntax", "", 3, 1,
	  "found character that cannot start any token" },
	{ "alias", TOP "parafs: *p\n", "sidecar.syntax", "parafs", 4, 9,
	  "alias '*p': anchors and aliases are not allowed" },
	{ "billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a]\n",
	  "sidecar.syntax", "a", 1, 4, "anchor '&a': anchors and aliases are not allowed" },
	{ "duplicate key", TOP "parafs:\n  - nip: '198005052005011003'\n"
	  "    nip: '198005052005011004'\n", "sidecar.syntax", "parafs[0].nip", 6, 5,
	  "kunci 'nip' ganda (pertama kali di baris 5 kolom 5)" },
	{ "two documents", TOP "---\nschema: 1\n", "sidecar.syntax", "", 4, 1,
	  "more than one YAML document" },
	{ "mapping as a key", TOP "{ a: b }: c\n", "sidecar.syntax", "", 4, 1,
	  "a mapping key must be text, not a mapping" },
	{ "not UTF-8", TOP "subject: \"\xc3\x28\"\n", "sidecar.syntax", "", 4, 12,
	  "invalid trailing UTF-8 octet" },
	{ "schema 2", "schema: 2\ntype: t\nunknown: x\n", "sidecar.schema", "schema", 1, 9,
	  "schema 2 tidak didukung; sertel ini membaca schema 1" },
	{ "schema is text", "schema: satu\n", "sidecar.type", "schema", 1, 9,
	  "schema berisi 'satu', seharusnya bilangan bulat" },
	{ "empty document", "", "sidecar.type", "", 1, 1, "dokumen kosong" },
	{ "top level is text", "surat\n", "sidecar.type", "", 1, 1,
	  "dokumen berisi 'surat', seharusnya sebuah mapping" },
	{ "parafs is text", TOP "parafs: budi\n", "sidecar.type", "parafs", 4, 9,
	  "parafs berisi 'budi', seharusnya sebuah daftar" },
	{ "parafs is empty", TOP "parafs: []\n", "paraf.missing", "parafs", 4, 9,
	  "parafs kosong" },
	{ "parafs without a value", TOP "parafs:\n", "sidecar.missing_field", "parafs", 4, 8,
	  "kunci wajib 'parafs' tidak diberi nilai" },
	{ "missing signer", "schema: 1\ntype: t\nparafs: [{" PARAF_KEYS ", sha256: " HASH "}]\n",
	  "sidecar.missing_field", "signer", 1, 1, "kunci wajib 'signer' tidak ada" },
	{ "signer is a list", "schema: 1\ntype: t\nsigner: [a]\nparafs: [{" PARAF_KEYS
	  ", sha256: " HASH "}]\n", "sidecar.type", "signer", 3, 9, "signer berisi sebuah daftar, seharusnya teks" },
	{ "signer has a letter", "schema: 1\ntype: t\nsigner: 19710301200604200a\nparafs: [{"
	  PARAF_KEYS ", sha256: " HASH "}]\n", "sidecar.value", "signer", 3, 9,
	  "memuat 'a' di posisi 18; NIP atau NIK hanya berisi angka" },
	{ "sha256 not hex", TOP "parafs: [{" PARAF_KEYS ", sha256: g" HASH "}]\n",
	  "sidecar.value", "parafs[0].sha256", 4, 94, "panjangnya 65 karakter" },
	{ "sha256 with a stray letter", TOP "parafs: [{" PARAF_KEYS
	  ", sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0x}]\n",
	  "sidecar.value", "parafs[0].sha256", 4, 94,
	  "memuat 'x' di posisi 64, seharusnya 64 digit heksadesimal" },
	{ "sha256 as a list", TOP "parafs: [{" PARAF_KEYS ", sha256: [" HASH "]}]\n",
	  "sidecar.type", "parafs[0].sha256", 4, 94, "parafs[0].sha256 berisi sebuah daftar, seharusnya teks" },
	{ "note too long", TOP "parafs: [{" PARAF_KEYS ", sha256: " HASH ", note: '"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "01234567890123456789012345678901234567890123456789012345678901234'}]\n",
	  "sidecar.value", "parafs[0].note", 4, 166, "panjangnya 513 byte, paling banyak 512" },
	{ "NUL inside a name", TOP "parafs: [{" PARAF_KEYS ", sha256: " HASH
	  ", note: \"a\\0b\"}]\n", "sidecar.value", "parafs[0].note", 4, 166,
	  "memuat karakter kendali 0x00 pada byte 2" },
	{ "empty role", TOP "parafs: [{nip: '198005052005011003', name: n, role: '', "
	  "time: '2026-11-23T14:05:00Z', sha256: " HASH "}]\n",
	  "sidecar.value", "parafs[0].role", 4, 53, "parafs[0].role kosong" },
	{ "x- is a prefix, not a word", TOP "x: 1\nparafs: [{" PARAF_KEYS ", sha256: " HASH "}]\n",
	  "sidecar.unknown_field", "x", 4, 1, "kunci 'x' tidak dikenal" },
};

static void
test_bad(void **state)
{
	const struct bad *b = *state;

	expect_one(b->yaml, b->code, b->field, b->line, b->col, b->detail);
}

/* x- keys may hold anything (but no anchors), at any level. */
static void
test_x_keys(void **state)
{
	struct sidecar s;
	struct errs l;

	assert_int_equal(parse("x-sistem: { asal: srikandi, id: [1, 2, { a: b }] }\n" TOP
			       "x-: kosong\nX-Besar: diabaikan juga?\n"
			       "parafs:\n  - {" PARAF_KEYS ", sha256: " HASH ", x-urut: 1}\n",
			       &s, &l), -1);
	/* the prefix is "x-" exactly: "X-Besar" is an unknown field */
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].field, "X-Besar");
	sidecar_free(&s);
}

/* More than YTREE_MAX_NODES nodes are refused before they are all allocated. */
static void
test_node_limit(void **state)
{
	size_t n = 100001, i;
	char *text = malloc(16 + 2 * n), *p = text;
	struct sidecar s;
	struct errs l;

	p += sprintf(p, "x-: [");
	for (i = 0; i < n; i++)
		*p++ = '0', *p++ = ',';
	strcpy(p - 1, "]\n");
	assert_int_equal(parse(text, &s, &l), -1);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].code, "sidecar.syntax");
	assert_non_null(strstr(l.v[0].detail, "more than 100000 YAML nodes"));
	sidecar_free(&s);
	free(text);
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_optional_absent),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_x_keys),
		cmocka_unit_test(test_node_limit),
	};
	enum { NFIXED = sizeof fixed / sizeof fixed[0], NBAD = sizeof bad / sizeof bad[0] };
	struct CMUnitTest tests[NFIXED + NBAD];
	size_t i;

	for (i = 0; i < NFIXED; i++)
		tests[i] = fixed[i];
	for (i = 0; i < NBAD; i++)
		tests[NFIXED + i] = (struct CMUnitTest){ bad[i].name, test_bad, NULL, NULL,
							 (void *)&bad[i] };
	return _cmocka_run_group_tests("sidecar", tests, NFIXED + NBAD, NULL, NULL);
}
