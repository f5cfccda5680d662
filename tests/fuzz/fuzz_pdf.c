/*
 * fuzz_pdf.c - libFuzzer target: a dropped PDF through the validate stage.
 *
 * The input is the PDF, dropped without a sidecar: the stage then does all
 * it does to a PDF (stages/validate.c): the size limit, the %PDF- sniff
 * (stages/pdf/sniff.c), MuPDF opening it from memory (every check it runs
 * there), the DocMDP lock, and the paraf metadata attached to it
 * (stages/paraf/embedded.c: the attachment, the revision that adds it, the
 * draft opened again without it), whose YAML goes through the sidecar
 * parser and the approval rules.  It runs as a worker runs it: the worker's
 * context and store, kept from document to document, and the memory
 * allowance of limits.doc_memory_mb (fuzz.h).  The refusal report is
 * printed as a worker writes it and must parse as YAML.
 */
#include "../../pipeline/report.h"
#include "../../pki/signers.h"
#include "../../stages/stage.h"
#include "fuzz.h"

static struct cfg *cfg;
static struct signer_set signers;
static struct stage_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cfg = fuzz_cfg();
	signers_load(cfg, &signers);
	env.cfg = cfg;
	env.signers = &signers;
	env.ctx = fuzz_ctx(cfg->limits.doc_memory_mb);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome out;
	struct job j;
	struct doc d;
	char *rep = NULL;
	size_t replen = 0;
	FILE *f;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	memset(&j, 0, sizeof j);
	memset(&out, 0, sizeof out);
	snprintf(j.id, sizeof j.id, "%s", "fuzz");
	j.kind = DROP_DOC;
	snprintf(j.pd, sizeof j.pd, "%s", "diskominfo");
	snprintf(j.pdf, sizeof j.pdf, "%s", "surat.pdf");
	snprintf(j.stem, sizeof j.stem, "%s", "surat");
	j.claimed = FUZZ_NOW;
	doc_init(&d, &env, &j, &out, FUZZ_NOW);
	d.pdf = data;
	d.len = size;
	stage_validate.run(&d);
	if ((f = open_memstream(&rep, &replen)) == NULL)
		abort();
	report_print(f, &j, STEP_VALIDATE, &d.errs, d.now);
	fclose(f);
	fuzz_yaml_ok(rep, replen);
	free(rep);
	doc_clear(&d);
	/* what one document left in the store must not steer the next input */
	fz_empty_store(env.ctx);
	return 0;
}
