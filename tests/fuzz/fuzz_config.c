/*
 * fuzz_config.c - libFuzzer target: sertel.yaml through the configuration
 * loader (config/: cfg_load and its part loaders, YAML by libyaml through
 * ytree.c), from a file as sertel reads it.  A configuration that loads is
 * then used as the validate stage uses it: a fixed sidecar (the seeds'
 * paraf, tests/lib/mksidecar.sh) through every approval rule, and the mark
 * profile of each type and signer looked up.
 *
 * Relative paths in the input resolve against the scratch folder, where
 * nothing but the input is; an absolute path is opened as written (trust
 * anchors, mark images): the fuzzer runs with nothing on /dev it could hang on
 * but what any process has (make fuzz gives it /dev/null as standard input).
 */
#include "../../stages/paraf/paraf.h"
#include "../../stages/paraf/sidecar.h"
#include "fuzz.h"

static const char sidecar_yaml[] =
	"schema: 1\n"
	"type: surat_keluar\n"
	"number: \"800/1/2026\"\n"
	"subject: \"Undangan rapat koordinasi\"\n"
	"signer: \"197103012006042006\"\n"
	"parafs:\n"
	"  - nip: \"198005052005011003\"\n"
	"    name: \"Budi Santoso\"\n"
	"    role: kasubbag_umum\n"
	"    time: \"2026-11-23T14:05:00+07:00\"\n"
	"    sha256: \"0000000000000000000000000000000000000000000000000000000000000000\"\n";

static struct sidecar sc;
static char path[512];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct errs errs;

	(void)argc;
	(void)argv;
	memset(&errs, 0, sizeof errs);
	if (sidecar_parse(sidecar_yaml, sizeof sidecar_yaml - 1, &sc, &errs) < 0)
		abort();
	snprintf(path, sizeof path, "%s/sertel.yaml", fuzz_scratch());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char sha[32] = { 0 };
	struct paraf_env env = { .pd = "diskominfo", .sha256 = sha, .pdf = "surat.pdf",
				 .now = FUZZ_NOW, .dropped = FUZZ_NOW };
	struct errs errs;
	struct cfg *c;
	struct err e;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_write(fuzz_scratch(), "sertel.yaml", data, size);
	if (!(c = cfg_load(path, &e)))
		return 0;
	memset(&errs, 0, sizeof errs);
	env.cfg = c;
	paraf_check(&env, &sc, &errs);
	for (i = 0; i < c->ndoctypes; i++)
		cfg_mark_for(c, c->doctypes[i].name, sc.signer);
	for (i = 0; i < c->nsigners; i++)
		cfg_mark_for(c, sc.type, c->signers[i].nip);
	cfg_free(c);
	return 0;
}
