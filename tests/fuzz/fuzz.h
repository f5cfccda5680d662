/*
 * fuzz.h - what the libFuzzer targets (tests/fuzz/fuzz_*.c) share: a scratch
 * folder, the configuration the policy checks run against, MuPDF's context
 * as a worker makes it (with the per-document memory allowance), and the one
 * property every refusal must keep: its report is YAML a program can read.
 *
 * Included once per target (everything is static).  The targets run in one
 * process for millions of inputs: nothing here may keep state from one
 * input to the next but what a worker also keeps (its context, its store).
 */
#ifndef SERTEL_FUZZ_H
#define SERTEL_FUZZ_H

#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mupdf/fitz.h>
#include <yaml.h>

#include "../../pipeline/report.h"
#include "../../spool/spool.h"

#include "../../base/err.h"
#include "../../config/cfg.h"
#include "../../spool/fsutil.h"

/* libFuzzer's entry points, which every target defines (-Wmissing-prototypes) */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Larger inputs are skipped: each must stay fast (make fuzz passes -max_len too). */
#define FUZZ_MAX_INPUT (1 << 20)

/* The clock of every check: fixed, so an input does the same thing on every run.
 * 2026-12-01T00:00:00Z, after the paraf times of tests/lib/mksidecar.sh. */
#define FUZZ_NOW ((time_t)1796083200)

/*
 * The configuration of the end-to-end tests (tests/lib/mkconfig.sh -t
 * surat_keluar:Surat Keluar:1 -t nota_dinas:Nota Dinas -S siti -S ahmad)
 * without trust:, whose files are not there: the officials, signers and
 * types the seed sidecars name.  The keystores are not there either: every
 * document is also refused with signer.keystore, which changes no other check.
 */
static const char fuzz_config_yaml[] =
	"instansi: \"Pemerintah Kabupaten Musi Rawas\"\n"
	"spool: spool\n"
	"state: state\n"
	"document_types:\n"
	"  surat_keluar: { title: \"Surat Keluar\", min_parafs: 1 }\n"
	"  nota_dinas: { title: \"Nota Dinas\" }\n"
	"officials:\n"
	"  - nip: \"198005052005011003\"\n"
	"    name: \"Budi Santoso\"\n"
	"    jabatan: \"Kepala Sub Bagian Umum\"\n"
	"    roles: [kasubbag_umum]\n"
	"    pd: \"*\"\n"
	"signers:\n"
	"  - nip: \"197103012006042006\"\n"
	"    name: \"Dr. Siti Aminah, M.Si\"\n"
	"    jabatan: \"Kepala Dinas Komunikasi dan Informatika\"\n"
	"    pd: diskominfo\n"
	"    keystore: pki/signer-rsa.p12\n"
	"    passphrase_file: pki/pass.txt\n"
	"  - nip: \"198204152008011002\"\n"
	"    name: \"Ahmad Fauzi, S.T.\"\n"
	"    jabatan: \"Sekretaris Daerah\"\n"
	"    pd: setda\n"
	"    keystore: pki/signer-ec.p12\n"
	"    passphrase_file: pki/pass.txt\n"
	"limits:\n"
	"  settle_seconds: 0\n";

static char fuzz_dir[256];

static void
fuzz_cleanup(void)
{
	if (fuzz_dir[0])
		fs_rm_dir(AT_FDCWD, fuzz_dir);
}

/* fuzz_scratch - a fresh folder under $TMPDIR for this process, removed at exit. */
static __attribute__((unused)) const char *
fuzz_scratch(void)
{
	const char *tmp = getenv("TMPDIR");

	if (fuzz_dir[0])
		return fuzz_dir;
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/sertel-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror(fuzz_dir);
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_dir;
}

/* fuzz_write - dir/name holds exactly p (len bytes); aborts when it cannot. */
static __attribute__((unused)) void
fuzz_write(const char *dir, const char *name, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")) || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* fuzz_cfg - the configuration above, loaded as sertel loads it; aborts when it cannot. */
static __attribute__((unused)) struct cfg *
fuzz_cfg(void)
{
	const char *dir = fuzz_scratch();
	char path[512];
	struct cfg *c;
	struct err e;

	fuzz_write(dir, "fixture.yaml", fuzz_config_yaml, sizeof fuzz_config_yaml - 1);
	snprintf(path, sizeof path, "%s/fixture.yaml", dir);
	if (!(c = cfg_load(path, &e))) {
		fprintf(stderr, "fuzz: the fixture configuration: %s: %s\n", e.code, e.detail);
		abort();
	}
	return c;
}

/*
 * MuPDF's allocator with the worker's memory allowance (limits.doc_memory_mb).
 * A worker runs under RLIMIT_AS and ends itself when MuPDF hits it
 * (pipeline/worker.c); an ASan process cannot run under RLIMIT_AS, so here
 * MuPDF's own bytes are counted and an allocation past the allowance fails:
 * MuPDF then throws, which is harder on the code than the worker's exit.
 */
static size_t fuzz_live, fuzz_cap;

static void *
fuzz_malloc(void *user, size_t n)
{
	void *p;

	(void)user;
	if (n > fuzz_cap - fuzz_live || !(p = malloc(n)))
		return NULL;
	fuzz_live += malloc_usable_size(p);
	return p;
}

static void *
fuzz_realloc(void *user, void *old, size_t n)
{
	size_t had = old ? malloc_usable_size(old) : 0;
	void *p;

	(void)user;
	if (n > had && n - had > fuzz_cap - fuzz_live)
		return NULL;
	if (!(p = realloc(old, n)))
		return NULL;
	fuzz_live = fuzz_live - had + malloc_usable_size(p);
	return p;
}

static void
fuzz_free(void *user, void *p)
{
	(void)user;
	if (p)
		fuzz_live -= malloc_usable_size(p);
	free(p);
}

static fz_alloc_context fuzz_alloc = { NULL, fuzz_malloc, fuzz_realloc, fuzz_free };

static void
fuzz_quiet(void *user, const char *msg)
{
	(void)user;
	(void)msg;
}

/* fuzz_ctx - a context as worker_main makes it: 64 MB store, quiet, memory capped at mb. */
static __attribute__((unused)) fz_context *
fuzz_ctx(long mb)
{
	fz_context *ctx;

	fuzz_cap = mb > 0 ? (size_t)mb << 20 : SIZE_MAX;
	if (!(ctx = fz_new_context(&fuzz_alloc, NULL, 64 << 20)))
		abort();
	fz_set_warning_callback(ctx, fuzz_quiet, NULL);
	fz_set_error_callback(ctx, fuzz_quiet, NULL);
	return ctx;
}

/*
 * fuzz_yaml_ok - buf parses as YAML to its end: a refusal report an
 * administrator's tools (and tests/e2e/55-validate.sh) can read.  Aborts
 * with the report and libyaml's complaint when it does not.
 */
static __attribute__((unused)) void
fuzz_yaml_ok(const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, ok = 1;

	if (!yaml_parser_initialize(&p))
		abort();
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && (ok = yaml_parser_parse(&p, &ev))) {
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	if (!ok) {
		fprintf(stderr, "fuzz: the refusal report is not YAML: %s at byte %zu\n%.*s\n",
			p.problem ? p.problem : "?", p.problem_mark.index, (int)len, buf);
		abort();
	}
	yaml_parser_delete(&p);
}

/* fuzz_job - the drop every target's input stands for: diskominfo/surat.pdf. */
static __attribute__((unused)) void
fuzz_job(struct job *j)
{
	memset(j, 0, sizeof *j);
	snprintf(j->id, sizeof j->id, "%s", "fuzz");
	j->kind = DROP_DOC;
	snprintf(j->pd, sizeof j->pd, "%s", "diskominfo");
	snprintf(j->pdf, sizeof j->pdf, "%s", "surat.pdf");
	snprintf(j->stem, sizeof j->stem, "%s", "surat");
	j->claimed = FUZZ_NOW;
}

/* fuzz_report_ok - the refusal report for errs, as a worker writes it, must be YAML. */
static __attribute__((unused)) void
fuzz_report_ok(const struct job *j, enum step step, const struct errs *errs)
{
	char *rep = NULL;
	size_t replen = 0;
	FILE *f = open_memstream(&rep, &replen);

	if (!f)
		abort();
	report_print(f, j, step, errs, FUZZ_NOW);
	fclose(f);
	fuzz_yaml_ok(rep, replen);
	free(rep);
}

#endif
