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
#include "../../pki/signers.h"
#include "../../stages/stage.h"
#include "fuzz.h"

static struct cfg *cfg;
static struct signer_set signers;
static struct stage_env env;

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

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_job(&j);
	memset(&out, 0, sizeof out);
	doc_init(&d, &env, &j, &out, FUZZ_NOW);
	d.pdf = data;
	d.len = size;
	stage_validate.run(&d);
	fuzz_report_ok(&j, STEP_VALIDATE, &d.errs);
	doc_clear(&d);
	/* what one document left in the store must not steer the next input */
	fz_empty_store(env.ctx);
	return 0;
}
