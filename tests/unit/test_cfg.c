/*
 * test_cfg.c - sertel.yaml: a full configuration loads with defaults filled
 * and relative paths resolved; every class of mistake gives its code, the
 * dotted field and the exact line:column, also inside the detail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../config/cfg.h"

static char dir[64];		/* a fresh temporary directory for the whole group */
static char file[128];		/* dir/sertel.yaml */

/* load - write text as dir/sertel.yaml and load it. */
static struct cfg *
load(const char *text, struct err *e)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return cfg_load(file, e);
}

static int
group_setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/sertel-cfg.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/sertel.yaml", dir);
	return setenv("CFG_FILE", file, 1);
}

static int
group_teardown(void **state)
{
	unlink(file);
	return rmdir(dir);
}

static const char full[] =
	"# a complete configuration\n"
	"instansi: \"Pemerintah Kabupaten Musi Rawas\"\n"
	"spool: spool\n"
	"state: /var/lib/sertel\n"
	"workers: 4\n"
	"trust:\n"
	"  - pki/ca.pem\n"
	"  - /etc/ssl/bsre.pem\n"
	"document_types:\n"
	"  surat_keluar: { title: \"Surat Keluar\", min_parafs: 2 }\n"
	"  nota_dinas:   { title: \"Nota Dinas\" }\n"
	"signers:\n"
	"  - nip: \"197103012006042006\"\n"
	"    name: \"Dr. Siti Aminah, M.Si\"\n"
	"    jabatan: \"Kepala Dinas Komunikasi dan Informatika\"\n"
	"    pd: diskominfo\n"
	"    keystore: ./keys/siti.p12\n"
	"    passphrase_file: keys/siti.pass\n"
	"  - nip: 3205010101900001\n"	/* a NIK, unquoted: still text */
	"    name: \"Ahmad Fauzi\"\n"
	"    jabatan: \"Sekretaris Daerah\"\n"
	"    pd: setda\n"
	"    keystore: /etc/sertel/keys/ahmad.p12\n"
	"    passphrase_env: SERTEL_PASS_AHMAD\n"
	"limits:\n"
	"  batch_size: 32\n"
	"  bundle_max_mb: 2\n";

/* at - "<dir>/<rel>" for comparing resolved paths. */
static const char *
at(const char *rel)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s/%s", dir, rel);
	return buf;
}

static void
test_full(void **state)
{
	struct err e;
	struct cfg *c = load(full, &e);

	if (!c)
		fail_msg("%s: %s", e.code, e.detail);
	assert_string_equal(c->path, file);
	assert_string_equal(c->instansi, "Pemerintah Kabupaten Musi Rawas");
	assert_string_equal(c->location, "Muara Beliti");
	assert_string_equal(c->helpdesk, "Diskominfo");	/* the default */
	assert_string_equal(c->reason, "Dokumen ditandatangani secara elektronik");
	assert_string_equal(c->spool_dir, at("spool"));
	assert_string_equal(c->state_dir, "/var/lib/sertel");
	assert_int_equal(c->workers, 4);
	assert_string_equal(c->digest, "sha256");
	assert_int_equal(c->rsa_pss, 0);
	assert_int_equal(c->ntrust, 2);
	assert_string_equal(c->trust_anchors[0], at("pki/ca.pem"));
	assert_string_equal(c->trust_anchors[1], "/etc/ssl/bsre.pem");

	assert_int_equal(c->ndoctypes, 2);
	assert_string_equal(c->doctypes[0].name, "surat_keluar");
	assert_string_equal(c->doctypes[0].title, "Surat Keluar");
	assert_int_equal(c->doctypes[0].min_parafs, 2);
	assert_int_equal(c->doctypes[0].line, 10);
	assert_int_equal(c->doctypes[0].col, 3);
	assert_int_equal(c->doctypes[1].min_parafs, 1);
	assert_ptr_equal(cfg_doctype_find(c, "nota_dinas"), &c->doctypes[1]);
	assert_null(cfg_doctype_find(c, "surat_masuk"));

	assert_int_equal(c->nsigners, 2);
	assert_string_equal(c->signers[0].nip, "197103012006042006");
	assert_string_equal(c->signers[0].pd, "diskominfo");
	assert_string_equal(c->signers[0].keystore, at("keys/siti.p12"));
	assert_string_equal(c->signers[0].pass_file, at("keys/siti.pass"));
	assert_null(c->signers[0].pass_env);
	assert_int_equal(c->signers[0].line, 13);
	assert_int_equal(c->signers[0].col, 5);
	assert_string_equal(c->signers[1].nip, "3205010101900001");
	assert_string_equal(c->signers[1].keystore, "/etc/sertel/keys/ahmad.p12");
	assert_null(c->signers[1].pass_file);
	assert_string_equal(c->signers[1].pass_env, "SERTEL_PASS_AHMAD");
	assert_ptr_equal(cfg_signer_find(c, "3205010101900001"), &c->signers[1]);
	assert_null(cfg_signer_find(c, "196001011990031001"));

	assert_int_equal(c->limits.batch_size, 32);
	assert_int_equal(c->limits.bundle_max_bytes, 2LL * 1024 * 1024);
	assert_int_equal(c->limits.doc_cpu_seconds, 30);
	assert_int_equal(c->limits.max_attempts, 2);
	cfg_free(c);
}

static void
test_defaults(void **state)
{
	struct err e;
	struct cfg *c = load("instansi: X\nspool: /s\nstate: /t\n"
			     "document_types: { surat: { title: Surat } }\n"
			     "signers: [ { nip: '197103012006042006', name: S, jabatan: K, pd: p,"
			     " keystore: k.p12, passphrase_env: P } ]\n", &e);

	if (!c)
		fail_msg("%s: %s", e.code, e.detail);
	assert_int_equal(c->workers, 0);
	assert_string_equal(c->digest, "sha256");
	assert_int_equal(c->ntrust, 0);
	assert_int_equal(c->limits.doc_cpu_seconds, 30);
	assert_int_equal(c->limits.doc_memory_mb, 1024);
	assert_int_equal(c->limits.doc_timeout_seconds, 60);
	assert_int_equal(c->limits.max_attempts, 2);
	assert_int_equal(c->limits.max_pdf_mb, 200);
	assert_int_equal(c->limits.bundle_max_entries, 1000);
	assert_int_equal(c->limits.bundle_max_bytes, 1024LL * 1024 * 1024);
	assert_int_equal(c->limits.sidecar_wait_seconds, 3600);
	assert_int_equal(c->limits.settle_seconds, 2);
	assert_int_equal(c->limits.batch_size, 64);
	assert_int_equal(c->timestamp.ntsa, 0);	/* B-B */
	assert_int_equal(c->timestamp.ntrust, 0);
	assert_string_equal(c->timestamp.hash, "sha256");
	assert_int_equal(c->timestamp.reserve_bytes, 8192);
	assert_int_equal(c->timestamp.defer, 0);
	cfg_free(c);
}

/* timestamp: TSAs in order with their defaults, paths resolved, anchors read. */
static void
test_timestamp(void **state)
{
	char text[1024];
	struct err e;
	struct cfg *c;

	assert_int_equal(system("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
				"-nodes -keyout /dev/null -subj /CN=tsa-ca -days 1 -out "
				"\"$(dirname \"$CFG_FILE\")/tsa-ca.pem\" 2>/dev/null"), 0);
	snprintf(text, sizeof text,
		 "instansi: X\nspool: /s\nstate: /t\n"
		 "document_types: { surat: { title: Surat } }\n"
		 "signers: [ { nip: '197103012006042006', name: S, jabatan: K, pd: p,"
		 " keystore: k.p12, passphrase_env: P } ]\n"
		 "timestamp:\n"
		 "  tsa:\n"
		 "    - url: http://127.0.0.1:3180/tsr\n"
		 "      min_interval_ms: 200\n"
		 "    - url: https://tsa.example.go.id/\n"
		 "      timeout_seconds: 20\n"
		 "      username: sertel\n"
		 "      password_file: tsa.pass\n"
		 "  trust: [ ./tsa-ca.pem ]\n"
		 "  hash: sha384\n"
		 "  reserve_bytes: 12000\n"
		 "  on_failure: sign_bb\n");
	c = load(text, &e);
	if (!c)
		fail_msg("%s: %s", e.code, e.detail);
	assert_int_equal(c->timestamp.ntsa, 2);
	assert_int_equal(c->timestamp.defer, 1);
	assert_string_equal(c->timestamp.tsa[0].url, "http://127.0.0.1:3180/tsr");
	assert_int_equal(c->timestamp.tsa[0].timeout_seconds, 10);
	assert_int_equal(c->timestamp.tsa[0].min_interval_ms, 200);
	assert_null(c->timestamp.tsa[0].username);
	assert_null(c->timestamp.tsa[0].password_file);
	assert_int_equal(c->timestamp.tsa[0].line, 8);
	assert_int_equal(c->timestamp.tsa[0].col, 7);
	assert_int_equal(c->timestamp.tsa[1].timeout_seconds, 20);
	assert_int_equal(c->timestamp.tsa[1].min_interval_ms, 0);
	assert_string_equal(c->timestamp.tsa[1].username, "sertel");
	assert_string_equal(c->timestamp.tsa[1].password_file, at("tsa.pass"));
	assert_int_equal(c->timestamp.ntrust, 1);
	assert_string_equal(c->timestamp.trust[0], at("tsa-ca.pem"));
	assert_string_equal(c->timestamp.hash, "sha384");
	assert_int_equal(c->timestamp.reserve_bytes, 12000);
	cfg_free(c);
	/* every TSA must get its turn before the master stops the document */
	assert_null(load("instansi: X\nspool: /s\nstate: /t\n"
			 "document_types: { surat: { title: Surat } }\n"
			 "signers: [ { nip: '197103012006042006', name: S, jabatan: K, pd: p,"
			 " keystore: k.p12, passphrase_env: P } ]\n"
			 "limits: { doc_timeout_seconds: 15 }\n"
			 "timestamp:\n"
			 "  tsa: [ { url: http://a/, timeout_seconds: 10 },\n"
			 "         { url: http://b/, timeout_seconds: 5 } ]\n"
			 "  trust: [ tsa-ca.pem ]\n", &e));
	assert_string_equal(e.code, "config.value");
	assert_string_equal(e.field, "timestamp.tsa");
	assert_int_equal(e.line, 8);
	assert_non_null(strstr(e.detail, "the TSA timeouts add up to 15 s, not less than "
				  "limits.doc_timeout_seconds (15 s)"));
	unlink(at("tsa-ca.pem"));
	(void)state;
}

/*
 * The approval policy: officials, the signers in the same register, and what
 * each document type requires; defaults where keys are left out.
 */
static void
test_policy(void **state)
{
	const struct cfg_official *o;
	const struct cfg_doctype *dt;
	char buf[64];
	struct err e;
	struct cfg *c = load("instansi: X\nspool: /s\nstate: /t\n"
			     "document_types:\n"
			     "  surat_keluar:\n"
			     "    title: Surat Keluar\n"
			     "    parafs: [kasubbag_umum, sekretaris]\n"
			     "    signed_by: [kepala_dinas, \"198204152008011002\"]\n"
			     "    pds: [diskominfo]\n"
			     "  nota_dinas: { title: Nota Dinas }\n"
			     "  sk: { title: SK, parafs: [sekretaris], min_parafs: 3 }\n"
			     "officials:\n"
			     "  - nip: \"198005052005011003\"\n"
			     "    name: Budi Santoso\n"
			     "    jabatan: Kasubbag Umum\n"
			     "    roles: [kasubbag_umum]\n"
			     "    pd: diskominfo\n"
			     "  - nip: 1605014101900001\n"
			     "    name: Dewi\n"
			     "    jabatan: Sekretaris (Plt)\n"
			     "    roles: [sekretaris, staf]\n"
			     "    pd: \"*\"\n"
			     "    active: false\n"
			     "signers:\n"
			     "  - { nip: '197103012006042006', name: Siti, jabatan: Kadis, pd: diskominfo,"
			     " keystore: k.p12, passphrase_env: P, roles: [kepala_dinas] }\n"
			     "  - { nip: '198204152008011002', name: Ahmad, jabatan: Sekda, pd: setda,"
			     " keystore: k.p12, passphrase_env: P, active: true }\n", &e);

	if (!c)
		fail_msg("%s [%s] %d:%d %s", e.code, e.field, e.line, e.col, e.detail);
	assert_int_equal(c->nofficials, 4);	/* two officials, then the two signers */
	o = cfg_official_find(c, "198005052005011003");
	assert_ptr_equal(o, &c->officials[0]);
	assert_string_equal(o->name, "Budi Santoso");
	assert_string_equal(o->jabatan, "Kasubbag Umum");
	assert_int_equal(o->active, 1);
	assert_int_equal(o->signer, -1);
	assert_int_equal(o->line, 13);
	assert_int_equal(o->col, 5);
	assert_true(cfg_official_in_pd(o, "diskominfo"));
	assert_false(cfg_official_in_pd(o, "setda"));
	o = cfg_official_find(c, "1605014101900001");
	assert_int_equal(o->active, 0);
	assert_true(cfg_official_in_pd(o, "setda"));	/* "*" */
	assert_string_equal(cfg_strs_join(&o->roles, ", ", "-", buf, sizeof buf), "sekretaris, staf");
	o = cfg_official_find(c, "197103012006042006");
	assert_ptr_equal(o, &c->officials[2]);
	assert_int_equal(o->signer, 0);
	assert_string_equal(o->name, "Siti");
	assert_string_equal(o->pds.v[0], "diskominfo");
	assert_true(cfg_strs_has(&o->roles, "kepala_dinas"));
	assert_int_equal(c->officials[3].signer, 1);
	assert_int_equal(c->officials[3].roles.n, 0);
	assert_null(cfg_official_find(c, "196001011990031001"));

	dt = cfg_doctype_find(c, "surat_keluar");
	assert_int_equal(dt->parafs.n, 2);
	assert_string_equal(dt->parafs.v[1], "sekretaris");
	assert_int_equal(dt->min_parafs, 2);	/* default: the required roles */
	assert_true(cfg_doctype_may_sign(dt, &c->officials[2]));	/* by role */
	assert_true(cfg_doctype_may_sign(dt, &c->officials[3]));	/* by NIP */
	assert_false(cfg_doctype_may_sign(dt, &c->officials[0]));
	assert_true(cfg_doctype_from_pd(dt, "diskominfo"));
	assert_false(cfg_doctype_from_pd(dt, "setda"));
	dt = cfg_doctype_find(c, "nota_dinas");
	assert_int_equal(dt->min_parafs, 1);
	assert_int_equal(dt->parafs.n, 0);
	assert_true(cfg_doctype_may_sign(dt, &c->officials[0]));	/* no signed_by: anyone */
	assert_true(cfg_doctype_from_pd(dt, "dinkes"));
	assert_int_equal(cfg_doctype_find(c, "sk")->min_parafs, 3);
	cfg_free(c);
	(void)state;
}

/* The example shipped with sertel must load (run from the source tree). */
static void
test_example(void **state)
{
	struct err e;
	struct cfg *c;

	if (access("config/sertel.example.yaml", R_OK) < 0)
		skip();
	c = cfg_load("config/sertel.example.yaml", &e);
	if (!c)
		fail_msg("%s: %s", e.code, e.detail);
	assert_int_equal(c->nsigners, 2);
	assert_int_equal(c->ndoctypes, 3);
	assert_int_equal(cfg_doctype_find(c, "surat_keputusan")->certify, 2);
	assert_int_equal(c->limits.batch_size, 64);
	assert_non_null(strstr(c->signers[1].keystore, "/config/keys/ahmad.p12"));
	assert_true(c->signers[1].keystore[0] == '/');
	/* its approval policy: three officials and two signers in the register */
	assert_int_equal(c->nofficials, 5);
	assert_int_equal(cfg_doctype_find(c, "surat_keluar")->parafs.n, 2);
	assert_int_equal(cfg_doctype_find(c, "surat_keluar")->min_parafs, 2);
	assert_false(cfg_official_find(c, "1605014101900001")->active);
	assert_true(cfg_doctype_may_sign(cfg_doctype_find(c, "surat_keluar"),
					 cfg_official_find(c, "198204152008011002")));
	cfg_free(c);
}

static void
test_io(void **state)
{
	struct err e;
	char path[160];

	snprintf(path, sizeof path, "%s/tidak-ada.yaml", dir);
	assert_null(cfg_load(path, &e));
	assert_string_equal(e.code, "config.io");
	assert_non_null(strstr(e.detail, path));
	assert_non_null(strstr(e.detail, "No such file or directory"));
	assert_null(cfg_load(dir, &e));
	assert_string_equal(e.code, "config.io");
	assert_non_null(strstr(e.detail, "not a regular file"));
}

static void
test_nip_check(void **state)
{
	static const struct { const char *id; int ok; const char *why; } v[] = {
		{ "197103012006042006", 0, NULL },
		{ "3205010101900001", 0, NULL },
		{ "19710301200604200", -1, "panjangnya 17 digit" },
		{ "", -1, "panjangnya 0 digit" },
		{ "1971030120060420O6", -1, "memuat 'O' di posisi 17" },
		{ " 197103012006042006", -1, "memuat ' ' di posisi 1" },
	};
	char why[160];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		why[0] = '\0';
		assert_int_equal(cfg_nip_check(v[i].id, why, sizeof why), v[i].ok);
		if (v[i].why && !strstr(why, v[i].why))
			fail_msg("'%s': got '%s', want '%s'", v[i].id, why, v[i].why);
	}
}

/* ---- one test per mistake ------------------------------------------------ */

/* lines 1-5 */
#define HEAD \
	"instansi: \"Pemkab Musi Rawas\"\n" \
	"spool: spool\n" \
	"state: /var/lib/sertel\n" \
	"document_types:\n" \
	"  surat_keluar: { title: \"Surat Keluar\" }\n"
/* lines 6-11 (the signer mapping starts at 7:5), then its passphrase source (12) */
#define SIGNER_NO_SOURCE \
	"signers:\n" \
	"  - nip: \"197103012006042006\"\n" \
	"    name: \"Siti\"\n" \
	"    jabatan: \"Kadis\"\n" \
	"    pd: diskominfo\n" \
	"    keystore: keys/siti.p12\n"
#define SIGNER SIGNER_NO_SOURCE "    passphrase_env: SERTEL_PASS\n"

/* lines 13-18 after HEAD SIGNER: one official, Budi, Kasubbag Umum of diskominfo */
#define OFFICIAL \
	"officials:\n" \
	"  - nip: \"198005052005011003\"\n" \
	"    name: Budi\n" \
	"    jabatan: Kasubbag\n" \
	"    roles: [kasubbag_umum]\n" \
	"    pd: diskominfo\n"
/* line 5: one document type, then SIGNER (6-12), the signer's roles (13), OFFICIAL (14-19) */
#define DOCTYPE(t) "instansi: X\nspool: s\nstate: t\ndocument_types:\n  surat_keluar: " t "\n"

struct bad {
	const char *name, *yaml;
	const char *code, *field;
	int line, col;
	const char *detail;	/* must appear in e.detail after "sertel.yaml:" */
};

static const struct bad bad[] = {
	{ "unknown top-level key", HEAD SIGNER "worker: 4\n",
	  "config.unknown_key", "worker", 13, 1,
	  "sertel.yaml:13:1: unknown key 'worker' (did you mean 'workers'?)" },
	{ "unknown key, swapped letters", HEAD SIGNER "wokrers: 4\n",
	  "config.unknown_key", "wokrers", 13, 1, "(did you mean 'workers'?)" },
	{ "unknown key without a near miss", HEAD SIGNER "penandatangan: x\n",
	  "config.unknown_key", "penandatangan", 13, 1,
	  "sertel.yaml:13:1: unknown key 'penandatangan'" },
	{ "unknown signer key", HEAD "signers:\n  - nip: \"197103012006042006\"\n    name: S\n"
	  "    jabatan: K\n    pd: diskominfo\n    keystor: k.p12\n    passphrase_env: P\n",
	  "config.unknown_key", "signers[0].keystor", 11, 5,
	  "sertel.yaml:11:5: unknown key 'keystor' in signers[0] (did you mean 'keystore'?)" },
	{ "inline passphrase", HEAD SIGNER_NO_SOURCE "    passphrase: rahasia123\n",
	  "config.unknown_key", "signers[0].passphrase", 12, 5,
	  "sertel.yaml:12:5: key 'passphrase' in signers[0] is not allowed: passphrases and PINs are "
	  "never stored in the configuration; use passphrase_file or passphrase_env" },
	{ "inline passphrase next to a file", HEAD SIGNER "    passphrase: rahasia123\n",
	  "config.unknown_key", "signers[0].passphrase", 13, 5, "never stored" },
	{ "unknown timestamp key", HEAD SIGNER "timestamp:\n  tsa_url: http://t/\n",
	  "config.unknown_key", "timestamp.tsa_url", 14, 3,
	  "sertel.yaml:14:3: unknown key 'tsa_url' in timestamp" },
	{ "unknown TSA key", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n"
	  "      timeout: 5\n  trust: [ ca.pem ]\n",
	  "config.unknown_key", "timestamp.tsa[0].timeout", 16, 7,
	  "sertel.yaml:16:7: unknown key 'timeout' in timestamp.tsa[0]" },
	{ "inline TSA password", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n"
	  "      username: u\n      password: rahasia\n  trust: [ ca.pem ]\n",
	  "config.unknown_key", "timestamp.tsa[0].password", 17, 7,
	  "key 'password' in timestamp.tsa[0] is not allowed: passwords are never stored in the "
	  "configuration; use password_file" },
	{ "unknown limits key", HEAD SIGNER "limits:\n  batchsize: 8\n",
	  "config.unknown_key", "limits.batchsize", 14, 3,
	  "sertel.yaml:14:3: unknown key 'batchsize' in limits (did you mean 'batch_size'?)" },

	{ "signers is text", HEAD "signers: siti\n",
	  "config.type", "signers", 6, 10,
	  "sertel.yaml:6:10: signers is 'siti', expected a list" },
	{ "trust is text", HEAD SIGNER "trust: /etc/ca.pem\n",
	  "config.type", "trust", 13, 8, "trust is '/etc/ca.pem', expected a list" },
	{ "trust item is a list", HEAD SIGNER "trust:\n  - [a, b]\n",
	  "config.type", "trust[0]", 14, 5, "trust[0] is a list, expected text" },
	{ "document_types is a list", "instansi: X\nspool: s\nstate: t\n"
	  "document_types:\n  - surat_keluar\n" SIGNER,
	  "config.type", "document_types", 5, 3, "document_types is a list, expected a mapping" },
	{ "limits is a number", HEAD SIGNER "limits: 5\n",
	  "config.type", "limits", 13, 9, "limits is '5', expected a mapping" },
	{ "workers is a word", HEAD SIGNER "workers: banyak\n",
	  "config.type", "workers", 13, 10,
	  "sertel.yaml:13:10: workers is 'banyak', expected a whole number" },
	{ "batch_size is a fraction", HEAD SIGNER "limits:\n  batch_size: 1.5\n",
	  "config.type", "limits.batch_size", 14, 15, "expected a whole number" },
	{ "batch_size is hex", HEAD SIGNER "limits:\n  batch_size: 0x40\n",
	  "config.type", "limits.batch_size", 14, 15, "expected a whole number" },
	{ "empty file", "",
	  "config.type", "", 1, 1, "sertel.yaml:1:1: the document is empty, expected a mapping" },
	{ "top level is a list", "- a\n- b\n",
	  "config.type", "", 1, 1, "the document is a list, expected a mapping" },

	{ "workers negative", HEAD SIGNER "workers: -1\n",
	  "config.value", "workers", 13, 10, "workers is -1, must be between 0 and 256" },
	{ "workers too many", HEAD SIGNER "workers: 257\n",
	  "config.value", "workers", 13, 10, "must be between 0 and 256" },
	{ "batch_size zero", HEAD SIGNER "limits:\n  batch_size: 0\n",
	  "config.value", "limits.batch_size", 14, 15,
	  "sertel.yaml:14:15: limits.batch_size is 0, must be between 1 and 4096" },
	{ "batch_size too big", HEAD SIGNER "limits:\n  batch_size: 4097\n",
	  "config.value", "limits.batch_size", 14, 15, "must be between 1 and 4096" },
	{ "integer overflow", HEAD SIGNER "limits:\n  settle_seconds: 99999999999999999999\n",
	  "config.value", "limits.settle_seconds", 14, 19, "must be between 0 and 3600" },
	{ "timestamp is a list", HEAD SIGNER "timestamp: [ http://t/ ]\n",
	  "config.type", "timestamp", 13, 12, "timestamp is a list, expected a mapping" },
	{ "tsa is a URL", HEAD SIGNER "timestamp:\n  tsa: http://t/\n",
	  "config.type", "timestamp.tsa", 14, 8, "timestamp.tsa is 'http://t/', expected a list" },
	{ "TSA URL not HTTP", HEAD SIGNER "timestamp:\n  tsa:\n    - url: ftp://t/\n"
	  "  trust: [ ca.pem ]\n",
	  "config.value", "timestamp.tsa[0].url", 15, 12,
	  "timestamp.tsa[0].url 'ftp://t/' must begin with http:// or https://" },
	{ "TSA URL with credentials", HEAD SIGNER "timestamp:\n  tsa:\n"
	  "    - url: http://u:p@t/tsr\n  trust: [ ca.pem ]\n",
	  "config.value", "timestamp.tsa[0].url", 15, 12, "must not carry credentials" },
	{ "TSA timeout zero", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n"
	  "      timeout_seconds: 0\n  trust: [ ca.pem ]\n",
	  "config.value", "timestamp.tsa[0].timeout_seconds", 16, 24, "between 1 and 600" },
	{ "TSA username alone", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n"
	  "      username: u\n  trust: [ ca.pem ]\n",
	  "config.value", "timestamp.tsa[0]", 15, 7,
	  "timestamp.tsa[0] has username without password_file; HTTP basic auth needs both" },
	{ "TSA trust unreadable", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n"
	  "  trust: [ tidak-ada.pem ]\n",
	  "config.value", "timestamp.trust[0]", 16, 12, "tidak-ada.pem cannot be read: No such file" },
	{ "timestamp hash md5", HEAD SIGNER "timestamp:\n  hash: md5\n",
	  "config.value", "timestamp.hash", 14, 9, "timestamp.hash 'md5' is not supported" },
	{ "reserve_bytes too small", HEAD SIGNER "timestamp:\n  reserve_bytes: 100\n",
	  "config.value", "timestamp.reserve_bytes", 14, 18, "between 2048 and 65536" },
	{ "fallback unknown", HEAD SIGNER "timestamp:\n  on_failure: retry\n",
	  "config.value", "timestamp.on_failure", 14, 15, "'retry' is not supported; use 'fail' or 'sign_bb'" },
	{ "TSA trust not PEM", HEAD SIGNER "timestamp:\n  tsa:\n    - { url: http://a/ }\n"
	  "    - { url: http://b/ }\n  trust: [ /dev/null ]\n",
	  "config.value", "timestamp.trust[0]", 17, 12,
	  "timestamp.trust[0] /dev/null holds no PEM certificate" },
	{ "digest md5", HEAD SIGNER "digest: md5\n",
	  "config.value", "digest", 13, 9, "digest 'md5' is not supported" },
	{ "rsa_padding oaep", HEAD SIGNER "rsa_padding: oaep\n",
	  "config.value", "rsa_padding", 13, 14, "use pkcs1 or pss" },
	{ "min_parafs zero", "instansi: X\nspool: s\nstate: t\ndocument_types:\n"
	  "  surat_keluar: { title: Surat, min_parafs: 0 }\n" SIGNER,
	  "config.value", "document_types.surat_keluar.min_parafs", 5, 45, "between 1 and 16" },
	{ "certify 4", "instansi: X\nspool: s\nstate: t\ndocument_types:\n"
	  "  sk: { title: SK, certify: 4 }\n" SIGNER,
	  "config.value", "document_types.sk.certify", 5, 29, "between 1 and 3" },
	{ "doctype name with a space", "instansi: X\nspool: s\nstate: t\ndocument_types:\n"
	  "  Surat Keluar: { title: Surat }\n" SIGNER,
	  "config.value", "document_types.Surat Keluar", 5, 3, "document type name 'Surat Keluar'" },
	{ "document_types empty", "instansi: X\nspool: s\nstate: t\ndocument_types: {}\n" SIGNER,
	  "config.value", "document_types", 4, 17, "define at least one document type" },
	{ "signers empty", HEAD "signers: []\n",
	  "config.value", "signers", 6, 10, "list at least one signer" },
	{ "NIP too short", HEAD "signers:\n  - nip: \"19710301200604200\"\n    name: S\n"
	  "    jabatan: K\n    pd: p\n    keystore: k\n    passphrase_env: P\n",
	  "config.value", "signers[0].nip", 7, 10,
	  "signers[0].nip '19710301200604200' panjangnya 17 digit, seharusnya NIP 18 digit atau NIK "
	  "16 digit" },
	{ "NIP with a letter", HEAD "signers:\n  - nip: 1971030120060420O6\n    name: S\n"
	  "    jabatan: K\n    pd: p\n    keystore: k\n    passphrase_env: P\n",
	  "config.value", "signers[0].nip", 7, 10, "memuat 'O' di posisi 17" },
	{ "duplicate NIP", HEAD SIGNER
	  "  - nip: \"197103012006042006\"\n    name: Budi\n    jabatan: Sekdin\n"
	  "    pd: diskominfo\n    keystore: keys/budi.p12\n    passphrase_env: SERTEL_PASS_BUDI\n",
	  "config.value", "signers[1].nip", 13, 10,
	  "sertel.yaml:13:10: NIP 197103012006042006 is already used by signers[0] (line 7)" },
	{ "both passphrase sources", HEAD SIGNER "    passphrase_file: siti.pass\n",
	  "config.value", "signers[0]", 7, 5,
	  "signers[0] has both passphrase_file and passphrase_env; give exactly one" },
	{ "no passphrase source", HEAD SIGNER_NO_SOURCE,
	  "config.value", "signers[0]", 7, 5, "signers[0] has no passphrase source" },
	{ "pd with capitals", HEAD "signers:\n  - nip: \"197103012006042006\"\n    name: S\n"
	  "    jabatan: K\n    pd: Diskominfo\n    keystore: k\n    passphrase_env: P\n",
	  "config.value", "signers[0].pd", 10, 9, "signers[0].pd 'Diskominfo' must be" },
	{ "bad environment variable name", HEAD SIGNER_NO_SOURCE "    passphrase_env: 1PASS\n",
	  "config.value", "signers[0].passphrase_env", 12, 21, "not an environment variable name" },
	{ "control character", "instansi: \"Pemkab\\x07\"\n" "spool: s\nstate: t\n"
	  "document_types: { a: { title: A } }\n" SIGNER,
	  "config.value", "instansi", 1, 11, "instansi contains control character 0x07 at byte 7" },
	{ "text too long", "instansi: \"" /* 513 bytes */
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "01234567890123456789012345678901234567890123456789012345678901234\"\n"
	  "spool: s\nstate: t\ndocument_types: { a: { title: A } }\n" SIGNER,
	  "config.value", "instansi", 1, 11, "instansi is 513 bytes long, at most 512 allowed" },

	{ "missing spool", "instansi: X\nstate: t\ndocument_types:\n  surat: { title: S }\n" SIGNER,
	  "config.missing", "spool", 1, 1, "sertel.yaml:1:1: missing required key 'spool'" },
	{ "spool without a value", "instansi: X\nspool:\nstate: t\ndocument_types:\n"
	  "  surat: { title: S }\n" SIGNER,
	  "config.missing", "spool", 2, 7, "no value for required key 'spool'" },
	{ "missing keystore", HEAD "signers:\n  - nip: \"197103012006042006\"\n    name: S\n"
	  "    jabatan: K\n    pd: p\n    passphrase_env: P\n",
	  "config.missing", "signers[0].keystore", 7, 5,
	  "sertel.yaml:7:5: missing required key 'keystore' in signers[0]" },
	{ "TSA without trust", HEAD SIGNER "timestamp:\n  tsa:\n    - url: http://t/\n",
	  "config.missing", "timestamp.trust", 14, 3,
	  "timestamp.trust is required when timestamp.tsa lists a TSA" },
	{ "TSA without url", HEAD SIGNER "timestamp:\n  tsa:\n    - timeout_seconds: 5\n"
	  "  trust: [ ca.pem ]\n",
	  "config.missing", "timestamp.tsa[0].url", 15, 7,
	  "missing required key 'url' in timestamp.tsa[0]" },
	{ "missing title", "instansi: X\nspool: s\nstate: t\ndocument_types:\n"
	  "  surat_keluar: { min_parafs: 1 }\n" SIGNER,
	  "config.missing", "document_types.surat_keluar.title", 5, 17,
	  "missing required key 'title' in document_types.surat_keluar" },

	/* officials, the signers' roles, and what document types require of them */
	{ "unknown official key", HEAD SIGNER OFFICIAL "    aktif: false\n",
	  "config.unknown_key", "officials[0].aktif", 19, 5, "unknown key 'aktif' in officials[0]" },
	{ "active is not a boolean", HEAD SIGNER OFFICIAL "    active: ya\n",
	  "config.type", "officials[0].active", 19, 13,
	  "sertel.yaml:19:13: officials[0].active is 'ya', expected true or false" },
	{ "active quoted is text, not a boolean", HEAD SIGNER OFFICIAL "    active: \"false\"\n",
	  "config.type", "officials[0].active", 19, 13, "expected true or false" },
	{ "role with capitals", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    roles: [Kasubbag]\n    pd: diskominfo\n",
	  "config.value", "officials[0].roles[0]", 17, 13,
	  "officials[0].roles[0] 'Kasubbag' is not a role name: 1-63 characters of a-z" },
	{ "role of digits only (it would read as a NIP)", HEAD SIGNER "officials:\n"
	  "  - nip: \"198005052005011003\"\n    name: B\n    jabatan: K\n    roles: [\"123\"]\n"
	  "    pd: diskominfo\n",
	  "config.value", "officials[0].roles[0]", 17, 13, "not only digits" },
	{ "roles empty", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    roles: []\n    pd: diskominfo\n",
	  "config.value", "officials[0].roles", 17, 12,
	  "officials[0].roles is an empty list; list at least one, or leave the key out" },
	{ "roles is text", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    roles: kasubbag_umum\n    pd: diskominfo\n",
	  "config.type", "officials[0].roles", 17, 12, "expected a list" },
	{ "role listed twice", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    roles: [a, a]\n    pd: diskominfo\n",
	  "config.value", "officials[0].roles[1]", 17, 16,
	  "officials[0].roles[1] 'a' is listed twice in officials[0].roles" },
	{ "official PD with capitals", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    roles: [r]\n    pd: Dinas\n",
	  "config.value", "officials[0].pd", 18, 9,
	  "officials[0].pd 'Dinas' is not a PD folder name (1-63 characters of a-z, 0-9, '_' and "
	  "'-') or \"*\" (every PD)" },
	{ "official PD list with a bad one", HEAD SIGNER "officials:\n"
	  "  - nip: \"198005052005011003\"\n    name: B\n    jabatan: K\n    roles: [r]\n"
	  "    pd: [setda, \"dinas kesehatan\"]\n",
	  "config.value", "officials[0].pd[1]", 18, 17, "'dinas kesehatan' is not a PD folder name" },
	{ "official without roles", HEAD SIGNER "officials:\n  - nip: \"198005052005011003\"\n"
	  "    name: B\n    jabatan: K\n    pd: diskominfo\n",
	  "config.missing", "officials[0].roles", 14, 5,
	  "missing required key 'roles' in officials[0]" },
	{ "official with a signer's NIP", HEAD SIGNER "officials:\n"
	  "  - nip: \"197103012006042006\"\n    name: Siti\n    jabatan: K\n    roles: [r]\n"
	  "    pd: diskominfo\n",
	  "config.value", "officials[0].nip", 14, 10,
	  "NIP 197103012006042006 is a signer (signers[0], line 7); a signer is an official "
	  "already: give its roles and active in that entry instead" },
	{ "official listed twice", HEAD SIGNER OFFICIAL "  - nip: \"198005052005011003\"\n"
	  "    name: Budi lagi\n    jabatan: K\n    roles: [r]\n    pd: setda\n",
	  "config.value", "officials[1].nip", 19, 10,
	  "NIP 198005052005011003 is already used by officials[0] (line 14); list each official once" },
	{ "official NIP without a sequence number", HEAD SIGNER "officials:\n"
	  "  - nip: \"198005052005011000\"\n    name: B\n    jabatan: K\n    roles: [r]\n"
	  "    pd: diskominfo\n",
	  "config.value", "officials[0].nip", 14, 10,
	  "officials[0].nip '198005052005011000' digit 16-18 (000) bukan nomor urut" },
	{ "officials is a mapping", HEAD SIGNER "officials: { budi: x }\n",
	  "config.type", "officials", 13, 12, "officials is a mapping, expected a list" },
	{ "signer's active is not a boolean", HEAD SIGNER "    active: nein\n",
	  "config.type", "signers[0].active", 13, 13, "signers[0].active is 'nein', expected true or "
	  "false" },
	{ "signer's role with a space", HEAD SIGNER "    roles: [kepala dinas]\n",
	  "config.value", "signers[0].roles[0]", 13, 13, "'kepala dinas' is not a role name" },
	{ "required role nobody holds", DOCTYPE("{ title: S, parafs: [kasubbag_umum, sekretaris] }")
	  SIGNER OFFICIAL,
	  "config.value", "document_types.surat_keluar.parafs[1]", 5, 53,
	  "document_types.surat_keluar.parafs[1]: no official holds role 'sekretaris'; add it to "
	  "the roles of an official (officials:) or of a signer" },
	{ "required role twice", DOCTYPE("{ title: S, parafs: [kasubbag_umum, kasubbag_umum] }")
	  SIGNER OFFICIAL,
	  "config.value", "document_types.surat_keluar.parafs[1]", 5, 53, "is listed twice" },
	{ "min_parafs below the required roles",
	  DOCTYPE("{ title: S, parafs: [kasubbag_umum, kepala], min_parafs: 1 }") SIGNER
	  "    roles: [kepala]\n" OFFICIAL,
	  "config.value", "document_types.surat_keluar.min_parafs", 5, 74,
	  "document_types.surat_keluar.min_parafs is 1, fewer than the 2 roles its parafs requires; "
	  "raise it or leave it out" },
	{ "signed_by an official who is not a signer",
	  DOCTYPE("{ title: S, signed_by: [\"198005052005011003\"] }") SIGNER OFFICIAL,
	  "config.value", "document_types.surat_keluar.signed_by[0]", 5, 41,
	  "document_types.surat_keluar.signed_by[0]: 198005052005011003 is not the NIP of a signer" },
	{ "signed_by a role no signer holds",
	  DOCTYPE("{ title: S, signed_by: [kasubbag_umum] }") SIGNER OFFICIAL,
	  "config.value", "document_types.surat_keluar.signed_by[0]", 5, 41,
	  "no signer holds role 'kasubbag_umum'; add it to a signer's roles" },
	{ "signed_by a malformed NIP", DOCTYPE("{ title: S, signed_by: [\"19710301200604200\"] }")
	  SIGNER,
	  "config.value", "document_types.surat_keluar.signed_by[0]", 5, 41,
	  "'19710301200604200' panjangnya 17 digit" },
	{ "pds empty", DOCTYPE("{ title: S, pds: [] }") SIGNER,
	  "config.value", "document_types.surat_keluar.pds", 5, 34,
	  "document_types.surat_keluar.pds is an empty list; list at least one, or leave the key out" },
	{ "unknown document type key", DOCTYPE("{ title: S, paraf: [kasubbag_umum] }") SIGNER,
	  "config.unknown_key", "document_types.surat_keluar.paraf", 5, 29,
	  "unknown key 'paraf' in document_types.surat_keluar (did you mean 'parafs'?)" },

	{ "duplicate key", HEAD SIGNER "spool: lagi\n",
	  "config.syntax", "spool", 13, 1,
	  "sertel.yaml:13:1: duplicate key 'spool' (first given at line 2 column 1)" },
	{ "duplicate key in a signer", HEAD SIGNER "    name: \"Siti lagi\"\n",
	  "config.syntax", "signers[0].name", 13, 5,
	  "duplicate key 'name' (first given at line 8 column 5)" },
	{ "bad indentation", "instansi: X\nspool: s\n  state: t\n",
	  "config.syntax", "", 3, 8, "sertel.yaml:3:8: mapping values are not allowed" },
	{ "unclosed flow list", HEAD SIGNER "trust: [ a.pem, b.pem\n",
	  "config.syntax", "", 14, 1, "did not find expected ',' or ']' (while parsing a flow "
	  "sequence at line 13 column 8)" },
	{ "unclosed quote", "instansi: \"Pemkab\nspool: s\n",
	  "config.syntax", "", 3, 1, "found unexpected end of stream" },
	{ "anchor", "instansi: X\nspool: &d /var/spool\nstate: t\n",
	  "config.syntax", "spool", 2, 8, "anchor '&d': anchors and aliases are not allowed" },
	{ "alias", "instansi: X\nspool: s\nstate: *d\n",
	  "config.syntax", "state", 3, 8, "alias '*d': anchors and aliases are not allowed" },
	/* marks: (line 13 on) */
	{ "mark kind unknown", HEAD SIGNER "marks:\n  profiles:\n    p: { kinds: [qr, ttd] }\n",
	  "config.value", "marks.profiles.p.kinds", 15, 22, "unknown kind 'ttd'; use qr, barcode" },
	{ "mark kind twice", HEAD SIGNER "marks:\n  url: http://v/{id}\n  profiles:\n"
	  "    p: { kinds: [qr, qr] }\n",
	  "config.value", "marks.profiles.p.kinds", 16, 22, "lists 'qr' twice" },
	{ "QR without url", HEAD SIGNER "marks:\n  profiles:\n    p: { kinds: [qr] }\n",
	  "config.missing", "marks.url", 14, 3, "profile p draws a QR code but marks.url" },
	{ "url without {id}", HEAD SIGNER "marks:\n  url: https://tte.example.go.id/v\n"
	  "  profiles: { p: { kinds: [text] } }\n",
	  "config.value", "marks.url", 14, 8, "has no {id}" },
	{ "image kind without image", HEAD SIGNER "marks:\n  profiles:\n    p: { kinds: [image] }\n",
	  "config.missing", "marks.profiles.p.image", 15, 8, "lists 'image' in kinds but has no image" },
	{ "image that is not there", HEAD SIGNER "marks:\n  profiles:\n"
	  "    p: { kinds: [image], image: tidak-ada.png }\n",
	  "config.value", "marks.profiles.p.image", 15, 33, "cannot be read" },
	{ "unknown placeholder", HEAD SIGNER "marks:\n  profiles:\n"
	  "    p: { kinds: [text], lines: [ \"{nama}\" ] }\n",
	  "config.value", "marks.profiles.p.lines[0]", 15, 34, "unknown placeholder {nama}" },
	{ "page word", HEAD SIGNER "marks:\n  profiles:\n    p: { kinds: [text], page: akhir }\n",
	  "config.value", "marks.profiles.p.page", 15, 31, "use first, last, every or a page number" },
	{ "corner", HEAD SIGNER "marks:\n  profiles:\n    p: { kinds: [text], corner: bawah }\n",
	  "config.value", "marks.profiles.p.corner", 15, 33, "use bottom-left, bottom-right" },
	{ "QR too small", HEAD SIGNER "marks:\n  url: http://v/{id}\n  profiles:\n"
	  "    p: { kinds: [qr, barcode], height: 40 }\n",
	  "config.value", "marks.profiles.p", 16, 8, "too small to scan" },
	{ "barcode too narrow", HEAD SIGNER "marks:\n  profiles:\n"
	  "    p: { kinds: [barcode], width: 100 }\n",
	  "config.value", "marks.profiles.p", 15, 8, "needs at least 125 to scan" },
	{ "rule names no profile", HEAD SIGNER "marks:\n  default: q\n"
	  "  profiles: { p: { kinds: [text] } }\n",
	  "config.value", "marks.default", 14, 12, "'q' is not a profile under marks.profiles" },
	{ "rule names no signer", HEAD SIGNER "marks:\n  signers: { \"196001011990031001\": p }\n"
	  "  profiles: { p: { kinds: [text] } }\n",
	  "config.value", "marks.signers.196001011990031001", 14, 14,
	  "is not a configured signer NIP/NIK" },
	{ "rule names no document type", HEAD SIGNER "marks:\n  document_types: { surat_masuk: none }\n"
	  "  profiles: { p: { kinds: [text] } }\n",
	  "config.value", "marks.document_types.surat_masuk", 14, 21, "is not a configured document type" },
	{ "alias in a list", HEAD SIGNER "trust: [ a.pem, *b ]\n",
	  "config.syntax", "trust[1]", 13, 17, "aliases are not allowed" },
	{ "two documents", HEAD SIGNER "---\nspool: lagi\n",
	  "config.syntax", "", 13, 1, "more than one YAML document" },
	{ "list as a key", "? [a, b]\n: c\n",
	  "config.syntax", "", 1, 3, "a mapping key must be text, not a list" },
	{ "not UTF-8", "instansi: \"Pemkab \xff\"\nspool: s\n",
	  "config.syntax", "", 1, 19, "invalid leading UTF-8 octet (byte 18, value 0xff)" },
};

static void
test_bad(void **state)
{
	const struct bad *b = *state;
	struct err e;
	struct cfg *c = load(b->yaml, &e);

	if (c) {
		cfg_free(c);
		fail_msg("%s: loaded", b->name);
	}
	if (!e.code || strcmp(e.code, b->code) || strcmp(e.field, b->field) || e.line != b->line ||
	    e.col != b->col || !strstr(e.detail, b->detail))
		fail_msg("%s:\n#   got  %s [%s] %d:%d %s\n#   want %s [%s] %d:%d ...%s...", b->name,
			 e.code, e.field, e.line, e.col, e.detail, b->code, b->field, b->line, b->col,
			 b->detail);
	assert_true(strncmp(e.detail, file, strlen(file)) == 0);
}

/* The first problem is reported, and the others are counted in its detail. */
static void
test_more(void **state)
{
	struct err e;

	assert_null(load(HEAD SIGNER "worker: 4\ndigest: md5\nlimits: { batch_size: 0 }\n", &e));
	assert_string_equal(e.code, "config.unknown_key");
	assert_non_null(strstr(e.detail, "(and 2 more problems)"));
}

/* marks: profiles with their defaults, and the rules that pick one per document. */
static void
test_marks(void **state)
{
	struct err e;
	const struct cfg_mark *m;
	struct cfg *c = load(HEAD SIGNER
			     "marks:\n"
			     "  url: https://tte.example.go.id/v/{id}\n"
			     "  default: a\n"
			     "  document_types: { surat_keluar: b }\n"
			     "  signers: { \"197103012006042006\": none }\n"
			     "  profiles:\n"
			     "    a: { kinds: [text, qr] }\n"
			     "    b: { kinds: [barcode], page: every, corner: top-left, x: 10, y: 0,"
			     " width: 200, height: 50, anchor: \"${ttd}\", anchor_missing: corner,"
			     " background: white, qr_ecc: H, lines: [ \"**{name}**\" ] }\n", &e);

	if (!c)
		fail_msg("%s: %s", e.code, e.detail);
	assert_int_equal(c->marks.nprofiles, 2);
	m = &c->marks.profiles[0];
	assert_int_equal(m->nkinds, 2);
	assert_int_equal(m->kind[0], MARK_TEXT);
	assert_int_equal(m->kind[1], MARK_QR);
	assert_int_equal(m->page, MARK_PAGE_LAST);
	assert_int_equal(m->corner, MARK_CORNER_RIGHT);
	assert_int_equal(m->x, 40);
	assert_int_equal(m->width, 260);
	assert_int_equal(m->height, 80);
	assert_int_equal(m->qr_ecc, 2);
	assert_null(m->anchor);
	assert_int_equal(m->nlines, 7);
	assert_string_equal(m->lines[1], "**{name}**");
	assert_non_null(strstr(m->lines[6], "Balai Sertifikasi Elektronik (BSrE), BSSN."));
	m = &c->marks.profiles[1];
	assert_int_equal(m->page, MARK_PAGE_EVERY);
	assert_int_equal(m->corner, MARK_CORNER_TOP);
	assert_int_equal(m->y, 0);
	assert_string_equal(m->anchor, "${ttd}");
	assert_int_equal(m->anchor_fallback, 1);
	assert_int_equal(m->white, 1);
	assert_int_equal(m->qr_ecc, 4);
	assert_int_equal(m->nlines, 1);
	/* the signer's rule wins (none), then the type's, then the default */
	assert_null(cfg_mark_for(c, "surat_keluar", "197103012006042006"));
	assert_ptr_equal(cfg_mark_for(c, "surat_keluar", "198204152008011002"), m);
	assert_ptr_equal(cfg_mark_for(c, "nota_dinas", NULL), &c->marks.profiles[0]);
	cfg_free(c);
	/* no marks: section, no mark */
	c = load(HEAD SIGNER, &e);
	assert_non_null(c);
	assert_null(cfg_mark_for(c, "surat_keluar", "197103012006042006"));
	cfg_free(c);
}

/* Nesting is capped, so a hostile file cannot exhaust the stack or memory. */
static void
test_deep(void **state)
{
	char text[200];
	struct err e;

	/* the top-level mapping is level 1, so the 32nd '[' is level 33 */
	snprintf(text, sizeof text, "instansi: %.32s%.32s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	assert_null(load(text, &e));
	assert_string_equal(e.code, "config.syntax");
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 11 + 31);
	assert_non_null(strstr(e.detail, "nesting deeper than 32 levels"));
	/* 32 levels are fine as YAML (and then the wrong type) */
	snprintf(text, sizeof text, "instansi: %.31s%.31s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	assert_null(load(text, &e));
	assert_string_not_equal(e.code, "config.syntax");
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_nip_check),
		cmocka_unit_test(test_more),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_deep),
	};
	enum { NFIXED = sizeof fixed / sizeof fixed[0], NBAD = sizeof bad / sizeof bad[0] };
	struct CMUnitTest tests[NFIXED + NBAD];
	size_t i;

	for (i = 0; i < NFIXED; i++)
		tests[i] = fixed[i];
	for (i = 0; i < NBAD; i++)
		tests[NFIXED + i] = (struct CMUnitTest){ bad[i].name, test_bad, NULL, NULL,
							 (void *)&bad[i] };
	return _cmocka_run_group_tests("cfg", tests, NFIXED + NBAD, group_setup, group_teardown);
}
