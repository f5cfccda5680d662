/*
 * fuzz_verify.c - libFuzzer target: a signed PDF through `sertel verify`
 * (stages/pdf/verify.c and its parts), as the verification web page runs it
 * on a file anyone may upload: the /ByteRange and /Contents read from the raw
 * bytes, the CMS or PKCS#1 value, timestamps, /Cert, DocMDP, later revisions
 * compared object by object with the signed one, the cross-reference entries
 * written after a signature, and both printers (text and JSON).  No trust
 * anchors and no registry: every chain ends untrusted, which changes no
 * other check.  MuPDF's memory is capped as fuzz_pdf's is (fuzz.h).
 */
#include <openssl/x509_vfy.h>

#include "../../stages/pdf/verify.h"
#include "fuzz.h"

static fz_context *ctx;
static X509_STORE *anchors;
static FILE *sink;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ctx = fuzz_ctx(512);
	if (!(anchors = X509_STORE_new()) || !(sink = fopen("/dev/null", "w")))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verify_opts o = { .anchors = anchors, .now = FUZZ_NOW };
	struct verify_report r;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (verify_pdf(ctx, data, size, &o, &r) == 0) {
		verify_print_text(sink, "fuzz.pdf", &r);
		verify_print_json(sink, "fuzz.pdf", &r);
		(void)verify_exit_code(&r);
	}
	verify_report_free(&r);
	fz_empty_store(ctx);
	return 0;
}
