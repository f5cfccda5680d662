/*
 * fuzz_sidecar.c - libFuzzer target: a sidecar (<name>.yaml) through what
 * the validate stage does with it: the schema-1 parser (stages/paraf/
 * sidecar.c, YAML by libyaml through config/ytree.c), then every approval
 * rule against the configuration (stages/paraf/paraf.c), and the refusal
 * report a worker writes from the findings, which must parse as YAML.
 */
#include "../../pipeline/report.h"
#include "../../stages/paraf/paraf.h"
#include "../../stages/paraf/sidecar.h"
#include "../../spool/spool.h"
#include "fuzz.h"

static struct cfg *cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cfg = fuzz_cfg();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the PDF the seeds were paraf'd on is not here: any hash does */
	static const unsigned char sha[32] = { 0 };
	struct paraf_env env = { .cfg = cfg, .pd = "diskominfo", .sha256 = sha,
				 .pdf = "surat.pdf", .now = FUZZ_NOW, .dropped = FUZZ_NOW };
	struct sidecar sc;
	struct errs errs;
	struct job j;
	char *rep = NULL;
	size_t replen = 0;
	FILE *f;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	memset(&errs, 0, sizeof errs);
	memset(&j, 0, sizeof j);
	snprintf(j.id, sizeof j.id, "%s", "fuzz");
	j.kind = DROP_DOC;
	snprintf(j.pd, sizeof j.pd, "%s", "diskominfo");
	snprintf(j.pdf, sizeof j.pdf, "%s", "surat.pdf");
	snprintf(j.meta, sizeof j.meta, "%s", "surat.yaml");
	sidecar_parse((const char *)data, size, &sc, &errs);
	paraf_check(&env, &sc, &errs);
	errs_sort(&errs, 0);
	if ((f = open_memstream(&rep, &replen)) == NULL)
		abort();
	report_print(f, &j, STEP_VALIDATE, &errs, FUZZ_NOW);
	fclose(f);
	fuzz_yaml_ok(rep, replen);
	free(rep);
	sidecar_free(&sc);
	return 0;
}
