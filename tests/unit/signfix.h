/*
 * signfix.h - signing a test file with pades_sign, for the unit tests that
 * judge signed files (test_verify, test_accept).  Included after fixture.h
 * and stages/pdf/pades.h; one copy per test binary.
 */
#ifndef SERTEL_TEST_SIGNFIX_H
#define SERTEL_TEST_SIGNFIX_H

#include <fcntl.h>
#include <unistd.h>

/* sign_file - pades_sign the PDF in into out as rq asks (rq->pdf, rq->len are filled here). */
static __attribute__((unused)) void
sign_file(fz_context *ctx, const char *in, const char *out, struct pades_request *rq)
{
	size_t len;
	unsigned char *pdf = slurp(in, &len);
	struct pades_result res;
	struct err e = { 0 };
	pdf_document *doc = NULL;
	fz_stream *stm = NULL;
	int fd;

	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx)
		fail_msg("MuPDF cannot open %s", in);
	rq->pdf = pdf;
	rq->len = len;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	if (pades_sign(ctx, doc, rq, fd, &res, &e) != 0)
		fail_msg("pades_sign: %s %s", e.code, e.detail);
	close(fd);
	pdf_drop_document(ctx, doc);
	free(pdf);
	rq->pdf = NULL;
}

#endif
