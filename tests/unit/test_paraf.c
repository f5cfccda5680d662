/*
 * test_paraf.c - the approval rules, table-driven: one valid document, then
 * per rule the cases that must pass and the ones that must be refused, each
 * with the exact codes and fields; several violations at once are all
 * reported.  The configuration and the sidecars are real YAML, read by
 * cfg_load and sidecar_parse, so positions are the administrator's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../config/cfg.h"
#include "../../stages/paraf/paraf.h"
#include "../../stages/paraf/sidecar.h"

#define HASH "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define OTHER "0000000000000000000000000000000000000000000000000000000000000001"
#define NOW ((time_t)1795521600)	/* 2026-11-24 12:00:00 UTC = 19:00 WIB */
#define DROPPED ((time_t)1795514400)	/* 2026-11-24 10:00:00 UTC = 17:00 WIB */

static const unsigned char hash_bytes[32] = {
	0x9f, 0x86, 0xd0, 0x81, 0x88, 0x4c, 0x7d, 0x65, 0x9a, 0x2f, 0xea, 0xa0, 0xc5, 0x5a, 0xd0, 0x15,
	0xa3, 0xbf, 0x4f, 0x1b, 0x2b, 0x0b, 0x82, 0x2c, 0xd1, 0x5d, 0x6c, 0x15, 0xb0, 0xf0, 0x0a, 0x08,
};

static const char config[] =
	"instansi: X\nspool: /s\nstate: /t\n"
	"document_types:\n"
	"  surat_keluar:\n"
	"    title: \"Surat Keluar\"\n"
	"    parafs: [kasubbag_umum, sekretaris]\n"
	"    signed_by: [kepala_dinas]\n"
	"    pds: [diskominfo, setda]\n"
	"  nota_dinas: { title: \"Nota Dinas\" }\n"
	"  sk: { title: \"Surat Keputusan\", parafs: [kasubbag_umum], min_parafs: 2,"
	" signed_by: [\"198204152008011002\"] }\n"
	"officials:\n"
	"  - nip: \"198005052005011003\"\n"
	"    name: \"Budi Santoso\"\n"
	"    jabatan: \"Kepala Sub Bagian Umum\"\n"
	"    roles: [kasubbag_umum]\n"
	"    pd: diskominfo\n"
	"  - nip: \"197805102003122004\"\n"
	"    name: \"Rina Marlina, S.E.\"\n"
	"    jabatan: \"Sekretaris Dinas\"\n"
	"    roles: [sekretaris, plt_kabid]\n"
	"    pd: [diskominfo, setda]\n"
	"  - nip: \"196505051990031007\"\n"
	"    name: \"Hasan Basri\"\n"
	"    jabatan: \"Sekretaris (pensiun)\"\n"
	"    roles: [sekretaris]\n"
	"    pd: diskominfo\n"
	"    active: false\n"
	"  - nip: \"1605014101900001\"\n"
	"    name: \"Dewi Lestari\"\n"
	"    jabatan: \"Staf (non-ASN)\"\n"
	"    roles: [staf]\n"
	"    pd: \"*\"\n"
	"signers:\n"
	"  - nip: \"197103012006042006\"\n"
	"    name: \"Dr. Siti Aminah, M.Si\"\n"
	"    jabatan: \"Kepala Dinas\"\n"
	"    pd: diskominfo\n"
	"    keystore: k.p12\n"
	"    passphrase_env: P\n"
	"    roles: [kepala_dinas]\n"
	"  - nip: \"198204152008011002\"\n"
	"    name: \"Ahmad Fauzi\"\n"
	"    jabatan: \"Sekretaris Daerah\"\n"
	"    pd: setda\n"
	"    keystore: k.p12\n"
	"    passphrase_env: P\n"
	"    roles: [sekda, kasubbag_umum]\n"
	"  - nip: \"197505052000031002\"\n"
	"    name: \"Kepala Lama\"\n"
	"    jabatan: \"Kepala Dinas (mutasi)\"\n"
	"    pd: diskominfo\n"
	"    keystore: k.p12\n"
	"    passphrase_env: P\n"
	"    roles: [kepala_dinas]\n"
	"    active: false\n";

/* A valid surat keluar of diskominfo: kasubbag then sekretaris, then signed by the kepala. */
static const char base[] =
	"schema: 1\n"						/* 1 */
	"type: surat_keluar\n"					/* 2 */
	"signer: \"197103012006042006\"\n"			/* 3 */
	"parafs:\n"						/* 4 */
	"  - nip: \"198005052005011003\"\n"			/* 5 */
	"    name: \"Budi Santoso\"\n"				/* 6 */
	"    role: kasubbag_umum\n"				/* 7 */
	"    time: \"2026-11-23T09:00:00+07:00\"\n"		/* 8 */
	"    sha256: \"" HASH "\"\n"				/* 9 */
	"  - nip: \"197805102003122004\"\n"			/* 10 */
	"    name: \"Rina Marlina, S.E.\"\n"			/* 11 */
	"    role: sekretaris\n"				/* 12 */
	"    time: \"2026-11-23T10:30:00+07:00\"\n"		/* 13 */
	"    sha256: \"" HASH "\"\n";				/* 14 */

#define SECOND	"  - nip: \"197805102003122004\"\n    name: \"Rina Marlina, S.E.\"\n" \
		"    role: sekretaris\n    time: \"2026-11-23T10:30:00+07:00\"\n" \
		"    sha256: \"" HASH "\"\n"
#define STAF	"  - nip: \"1605014101900001\"\n    name: \"Dewi Lestari\"\n    role: staf\n" \
		"    time: \"2026-11-23T08:00:00+07:00\"\n    sha256: \"" HASH "\"\n"

static struct cfg *cfg;
static char dir[64], file[128];

static int
setup(void **state)
{
	struct err e;
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/sertel-paraf.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/sertel.yaml", dir);
	if (!(f = fopen(file, "w")))
		return -1;
	fputs(config, f);
	fclose(f);
	if (!(cfg = cfg_load(file, &e))) {
		print_error("%s [%s] %d:%d %s\n", e.code, e.field, e.line, e.col, e.detail);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	cfg_free(cfg);
	unlink(file);
	return rmdir(dir);
}

/* A change to base: every "from" replaced by "to" (from NULL: append to). */
struct edit {
	const char *from, *to;
};

struct rule_case {
	const char *name;
	struct edit edit[4];
	const char *pd;		/* NULL: "diskominfo" */
	time_t dropped;		/* 0: DROPPED; -1: not dropped (sertel validate) */
	const char *want;	/* "code@field code@field ...", any order; "" for none */
};

static const struct rule_case cases[] = {
	{ "valid: both roles in order", { { NULL, NULL } }, NULL, 0, "" },
	{ "valid: not dropped yet (sertel validate)", { { NULL, NULL } }, NULL, -1, "" },
	{ "valid: from the other allowed PD (an official of both)",
	  { { "198005052005011003", "198204152008011002" }, { "Budi Santoso", "Ahmad Fauzi" } },
	  "setda", 0, "" },
	{ "valid: an extra paraf of another role the official holds", { { NULL, STAF } },
	  NULL, 0, "" },
	{ "valid: equal times keep the order", { { "10:30:00+07:00", "09:00:00+07:00" } },
	  NULL, 0, "" },
	{ "valid: name differs only in case and spacing",
	  { { "Budi Santoso", "  budi   SANTOSO " } }, NULL, 0, "" },
	{ "valid: the same instant in WITA and UTC", { { "09:00:00+07:00", "10:00:00 WITA" },
	  { "10:30:00+07:00", "03:30:00Z" } }, NULL, 0, "" },
	{ "valid: a type without required roles or signer restriction",
	  { { "surat_keluar", "nota_dinas" }, { "signer: \"197103012006042006\"",
						"signer: \"198204152008011002\"" } }, NULL, 0, "" },
	{ "a type for every PD still needs officials of the document's PD",
	  { { "surat_keluar", "nota_dinas" } }, "dinkes", 0,
	  "paraf.pd_mismatch@parafs[0].nip paraf.pd_mismatch@parafs[1].nip" },

	/* the type and its PD */
	{ "unknown type", { { "surat_keluar", "surat_masuk" } }, NULL, 0,
	  "doctype.unknown@type" },
	{ "type not for this PD", { { NULL, NULL } }, "dinkes", 0,
	  "doctype.pd_not_allowed@type paraf.pd_mismatch@parafs[0].nip "
	  "paraf.pd_mismatch@parafs[1].nip" },

	/* required roles: present, once, in order */
	{ "a required role missing",
	  { { "role: sekretaris", "role: plt_kabid" } }, NULL, 0, "paraf.missing@parafs" },
	{ "both required roles missing: one finding each, no count finding",
	  { { "role: sekretaris", "role: plt_kabid" }, { "198005052005011003", "1605014101900001" },
	    { "Budi Santoso", "Dewi Lestari" }, { "kasubbag_umum", "staf" } },
	  NULL, 0, "paraf.missing@parafs paraf.missing@parafs" },
	{ "too few parafs for min_parafs (the roles themselves complete)",
	  { { "surat_keluar", "sk" }, { "signer: \"197103012006042006\"",
					"signer: \"198204152008011002\"" }, { SECOND, "" } },
	  NULL, 0, "paraf.missing@parafs" },
	{ "a role twice",
	  { { "role: sekretaris", "role: kasubbag_umum" } }, NULL, 0,
	  "paraf.duplicate@parafs[1].role paraf.role_not_held@parafs[1].nip "
	  "paraf.missing@parafs" },
	{ "out of order",
	  { { "09:00:00+07:00", "11:00:00+07:00" } }, NULL, 0, "paraf.order@parafs[1].time" },
	{ "out of order only once the zones are read (WIT is 2 hours ahead of WIB)",
	  { { "10:30:00+07:00", "10:30:00+09:00" } }, NULL, 0, "paraf.order@parafs[1].time" },

	/* each paraf: an active official holding the role in this PD, by name */
	{ "unknown official", { { "198005052005011003", "198501012010011001" } }, NULL, 0,
	  "paraf.official_unknown@parafs[0].nip" },
	{ "inactive official", { { "197805102003122004", "196505051990031007" },
	  { "Rina Marlina, S.E.", "Hasan Basri" } }, NULL, 0,
	  "paraf.official_inactive@parafs[1].nip" },
	{ "role not held", { { "role: kasubbag_umum", "role: staf" } }, NULL, 0,
	  "paraf.role_not_held@parafs[0].nip paraf.missing@parafs" },
	{ "official of another PD", { { NULL, NULL } }, "setda", 0,
	  "paraf.pd_mismatch@parafs[0].nip" },
	{ "name does not match the register", { { "Rina Marlina, S.E.", "Rina M." } }, NULL, 0,
	  "paraf.name_mismatch@parafs[1].name" },

	/* the bytes and the times */
	{ "paraf given on other bytes", { { "role: sekretaris\n    time: \"2026-11-23T10:30:00+07:00\"\n"
					    "    sha256: \"" HASH, "role: sekretaris\n    time: \"2026-11-"
					    "23T10:30:00+07:00\"\n    sha256: \"" OTHER } }, NULL, 0,
	  "paraf.hash_mismatch@parafs[1].sha256" },
	{ "paraf in the future", { { "2026-11-23T10:30:00+07:00", "2026-11-24T19:00:01+07:00" } },
	  NULL, -1, "paraf.time_future@parafs[1].time" },
	{ "paraf now is not the future", { { "2026-11-23T10:30:00+07:00",
					     "2026-11-24T19:00:00+07:00" } }, NULL, -1, "" },
	{ "paraf after the drop", { { "2026-11-23T10:30:00+07:00", "2026-11-24T17:00:01+07:00" } },
	  NULL, 0, "paraf.time_after_drop@parafs[1].time" },
	{ "paraf at the drop is fine", { { "2026-11-23T10:30:00+07:00",
					   "2026-11-24T10:00:00Z" } }, NULL, 0, "" },
	{ "17:30 WIB is after a drop at 10:00Z",
	  { { "2026-11-23T10:30:00+07:00", "2026-11-24T17:30:00+07:00" } }, NULL, 0,
	  "paraf.time_after_drop@parafs[1].time" },

	/* the signer */
	{ "signer not configured", { { "signer: \"197103012006042006\"",
				       "signer: \"196001011990031001\"" } }, NULL, 0,
	  "signer.unknown@signer" },
	{ "signer inactive", { { "signer: \"197103012006042006\"",
				 "signer: \"197505052000031002\"" } }, NULL, 0,
	  "signer.inactive@signer" },
	{ "signer without the role signed_by names", { { "signer: \"197103012006042006\"",
							  "signer: \"198204152008011002\"" } },
	  NULL, 0, "signer.not_allowed@signer" },
	{ "signer listed by NIP", { { "surat_keluar", "sk" }, { "signer: \"197103012006042006\"",
								"signer: \"198204152008011002\"" } },
	  NULL, 0, "" },
	{ "signer not the NIP listed", { { "surat_keluar", "sk" } }, NULL, 0,
	  "signer.not_allowed@signer" },
	{ "an official who is not a signer", { { "signer: \"197103012006042006\"",
						  "signer: \"198005052005011003\"" } }, NULL, 0,
	  "signer.unknown@signer" },

	/* malformed values are the parser's findings, not judged twice */
	{ "a malformed hash is not also a mismatch", { { "sha256: \"" HASH "\"\n  - ",
							 "sha256: \"xyz\"\n  - " } }, NULL, 0,
	  "sidecar.value@parafs[0].sha256" },
	{ "a malformed time is not also out of order", { { "09:00:00+07:00", "09:00+07:00" } },
	  NULL, 0, "sidecar.value@parafs[0].time" },
	{ "a malformed NIP is not also unknown", { { "198005052005011003", "19800505200501100" } },
	  NULL, 0, "sidecar.value@parafs[0].nip" },

	/* everything at once: every finding listed */
	{ "many violations in one document",
	  { { "surat_keluar\n", "surat_keluar\nx-a: 1\n" },
	    { "signer: \"197103012006042006\"", "signer: \"197505052000031002\"" },
	    { "Budi Santoso", "Budi" },
	    { "role: sekretaris\n    time: \"2026-11-23T10:30:00+07:00\"\n    sha256: \"" HASH,
	      "role: staf\n    time: \"2026-11-25T10:30:00+07:00\"\n    sha256: \"" OTHER } },
	  NULL, 0,
	  "signer.inactive@signer paraf.name_mismatch@parafs[0].name "
	  "paraf.role_not_held@parafs[1].nip paraf.hash_mismatch@parafs[1].sha256 paraf.time_future@parafs[1].time "
	  "paraf.missing@parafs" },
};

/* apply - base with the case's edits, into out. */
static void
apply(const struct rule_case *c, char *out, size_t cap)
{
	char tmp[4096];
	size_t i;

	snprintf(out, cap, "%s", base);
	for (i = 0; i < 4 && c->edit[i].to; i++) {
		char *at;
		if (!c->edit[i].from) {
			strncat(out, c->edit[i].to, cap - strlen(out) - 1);
			continue;
		}
		/* every occurrence: a NIP or a name may appear twice */
		while ((at = strstr(out, c->edit[i].from)) != NULL) {
			snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(at - out), out, c->edit[i].to,
				 at + strlen(c->edit[i].from));
			snprintf(out, cap, "%s", tmp);
			if (strstr(c->edit[i].to, c->edit[i].from))
				break;
		}
	}
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* join_sorted - the n strings v sorted, space-separated, into out. */
static void
join_sorted(char **v, int n, char *out, size_t cap)
{
	int i;

	qsort(v, (size_t)n, sizeof *v, by_text);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", v[i]);
}

/* findings - "code@field" of every violation, sorted, space-separated. */
static void
findings(const struct errs *l, char *out, size_t cap)
{
	char items[ERRS_MAX][160], *p[ERRS_MAX];
	int i;

	for (i = 0; i < l->n; i++) {
		snprintf(items[i], sizeof items[i], "%s@%s", l->v[i].code, l->v[i].field);
		p[i] = items[i];
	}
	join_sorted(p, l->n, out, cap);
}

/* sorted - want (space-separated) sorted the same way. */
static void
sorted(const char *want, char *out, size_t cap)
{
	char copy[2048], *tok, *save = NULL, *p[ERRS_MAX];
	int n = 0;

	snprintf(copy, sizeof copy, "%s", want);
	for (tok = strtok_r(copy, " ", &save); tok && n < ERRS_MAX; tok = strtok_r(NULL, " ", &save))
		p[n++] = tok;
	join_sorted(p, n, out, cap);
}

static void
test_rule(void **state)
{
	const struct rule_case *c = *state;
	char text[4096], got[2048], want[2048];
	struct paraf_env env = { cfg, c->pd ? c->pd : "diskominfo", hash_bytes, "surat.pdf", NOW,
				 c->dropped == 0 ? DROPPED : c->dropped < 0 ? 0 : c->dropped };
	struct sidecar s;
	struct errs l;
	int i;

	apply(c, text, sizeof text);
	memset(&l, 0, sizeof l);
	sidecar_parse(text, strlen(text), &s, &l);
	paraf_check(&env, &s, &l);
	findings(&l, got, sizeof got);
	sorted(c->want, want, sizeof want);
	if (strcmp(got, want)) {
		for (i = 0; i < l.n; i++)
			print_message("#   %s [%s] %d:%d %s\n", l.v[i].code, l.v[i].field,
				      l.v[i].line, l.v[i].col, l.v[i].detail);
		fail_msg("%s:\n#   got  %s\n#   want %s", c->name, got, want);
	}
	/* every finding points into the sidecar, explains itself, and has its table row */
	for (i = 0; i < l.n; i++) {
		if (l.v[i].line < 1 || l.v[i].col < 1 || strlen(l.v[i].detail) < 20)
			fail_msg("%s: %s without a position or detail", c->name, l.v[i].code);
		if (strcmp(err_info(l.v[i].code)->code, l.v[i].code))
			fail_msg("%s: %s has no row in base/errcodes.c", c->name, l.v[i].code);
	}
	sidecar_free(&s);
}

/* The details an administrator reads: exact positions and the facts to fix. */
static void
test_details(void **state)
{
	static const struct { const char *from, *to, *code; int line, col; const char *detail; } v[] = {
		{ "09:00:00+07:00", "11:00:00+07:00", "paraf.order", 13, 11,
		  "paraf 'sekretaris' (2026-11-23T10:30:00+07:00) lebih awal daripada paraf "
		  "'kasubbag_umum' (2026-11-23T11:00:00+07:00), padahal urutannya: kasubbag_umum -> "
		  "sekretaris" },
		{ "role: sekretaris", "role: plt_kabid", "paraf.missing", 5, 3,
		  "paraf peran 'sekretaris' belum ada; Surat Keluar memerlukan paraf berurutan: "
		  "kasubbag_umum -> sekretaris" },
		{ "Rina Marlina, S.E.", "Rina", "paraf.name_mismatch", 11, 11,
		  "nama 'Rina' tidak sesuai daftar pejabat: NIP/NIK 197805102003122004 terdaftar "
		  "atas nama 'Rina Marlina, S.E.'" },
		{ "198005052005011003", "198501012010011001", "paraf.official_unknown", 5, 10,
		  "NIP/NIK 198501012010011001 tidak terdaftar sebagai pejabat" },
		{ "2026-11-23T10:30:00+07:00", "2026-11-24T17:00:01+07:00", "paraf.time_after_drop",
		  13, 11, "sesudah dokumen diunggah (2026-11-24 17:00:00 WIB)" },
		{ "signer: \"197103012006042006\"", "signer: \"198204152008011002\"",
		  "signer.not_allowed", 3, 9, "Ahmad Fauzi (NIP/NIK 198204152008011002) tidak "
		  "berwenang menandatangani Surat Keluar; yang berwenang: kepala_dinas" },
		{ "surat_keluar", "laporan", "doctype.unknown", 2, 7,
		  "jenis dokumen 'laporan' tidak terdaftar di " },
	};
	char text[4096];
	struct paraf_env env = { cfg, "diskominfo", hash_bytes, "surat.pdf", NOW, DROPPED };
	struct sidecar s;
	struct errs l;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct rule_case c = { "detail", { { v[i].from, v[i].to } }, NULL, 0, "" };
		apply(&c, text, sizeof text);
		memset(&l, 0, sizeof l);
		sidecar_parse(text, strlen(text), &s, &l);
		paraf_check(&env, &s, &l);
		if (l.n != 1 || strcmp(l.v[0].code, v[i].code) || l.v[0].line != v[i].line ||
		    l.v[0].col != v[i].col || !strstr(l.v[0].detail, v[i].detail))
			fail_msg("%s: got %d finding(s), first %s %d:%d '%s'", v[i].code, l.n,
				 l.n ? l.v[0].code : "-", l.n ? l.v[0].line : 0, l.n ? l.v[0].col : 0,
				 l.n ? l.v[0].detail : "");
		sidecar_free(&s);
	}
	/* doctype.unknown names the types there are */
	assert_non_null(strstr(l.v[0].detail, "yang terdaftar: surat_keluar, nota_dinas, sk"));
}

/* paraf_official: what `sertel paraf` asks before it writes anything. */
static void
test_official(void **state)
{
	struct pos at = { 0, 0 };
	struct errs l;

	memset(&l, 0, sizeof l);
	assert_non_null(paraf_official(cfg, "198005052005011003", "kasubbag_umum", "diskominfo",
				       "--nip", at, &l));
	assert_non_null(paraf_official(cfg, "1605014101900001", "staf", "any-pd", "--nip", at, &l));
	assert_non_null(paraf_official(cfg, "198204152008011002", "kasubbag_umum", "setda", "--nip",
				       at, &l));	/* a signer who also parafs */
	assert_non_null(paraf_official(cfg, "198005052005011003", "kasubbag_umum", NULL, "--nip",
				       at, &l));	/* PD not known yet */
	assert_int_equal(l.n, 0);
	assert_null(paraf_official(cfg, "196505051990031007", "kasubbag_umum", "setda", "--nip",
				   at, &l));
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].code, "paraf.official_inactive");
	assert_string_equal(l.v[1].code, "paraf.role_not_held");
	assert_non_null(strstr(l.v[1].detail, "perannya: sekretaris"));
	assert_string_equal(l.v[2].code, "paraf.pd_mismatch");
	assert_int_equal(paraf_role_index(cfg_doctype_find(cfg, "surat_keluar"), "sekretaris"), 1);
	assert_int_equal(paraf_role_index(cfg_doctype_find(cfg, "surat_keluar"), "staf"), -1);
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_official),
	};
	enum { NFIXED = sizeof fixed / sizeof fixed[0], NCASES = sizeof cases / sizeof cases[0] };
	struct CMUnitTest tests[NFIXED + NCASES];
	size_t i;

	for (i = 0; i < NFIXED; i++)
		tests[i] = fixed[i];
	for (i = 0; i < NCASES; i++)
		tests[NFIXED + i] = (struct CMUnitTest){ cases[i].name, test_rule, NULL, NULL,
							 (void *)&cases[i] };
	return _cmocka_run_group_tests("paraf", tests, NFIXED + NCASES, setup, teardown);
}
