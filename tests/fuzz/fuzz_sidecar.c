/*
 * fuzz_sidecar.c - libFuzzer target: a sidecar (<name>.yaml) through what
 * the validate stage does with it: the schema-1 parser (stages/paraf/
 * sidecar.c, YAML by libyaml through config/ytree.c), then every approval
 * rule against the configuration (stages/paraf/paraf.c), and the refusal
 * report a worker writes from the findings, which must parse as YAML.
 */
#include "../../stages/paraf/paraf.h"
#include "../../stages/paraf/sidecar.h"
#include "fuzz.h"

static struct cfg *cfg;

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

	if (size > FUZZ_MAX_INPUT)
		return 0;
	memset(&errs, 0, sizeof errs);
	fuzz_job(&j);
	snprintf(j.meta, sizeof j.meta, "%s", "surat.yaml");
	sidecar_parse((const char *)data, size, &sc, &errs);
	paraf_check(&env, &sc, &errs);
	errs_sort(&errs, 0);
	fuzz_report_ok(&j, STEP_VALIDATE, &errs);
	sidecar_free(&sc);
	return 0;
}
