/*
 * sign_cost.c - what one document costs in the worker, phase by phase:
 * parsing the PDF (MuPDF), the validate stage's inspection (stages/pdf/inspect.c,
 * in CPU time), pades_sign (CMS, revision, digests), and the sign
 * stage's own verification of the output (verify_pdf).  `make bench` runs it
 * on a one-page letter and on a 500-page, ~100 MB document.
 *
 *   sign_cost FILE.pdf KEYSTORE.p12 PASSFILE CA.pem [ROUNDS]
 *
 * Prints the median of ROUNDS (default 50) per phase, in milliseconds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mupdf/pdf.h>
#include <openssl/x509_vfy.h>

#include "../../pki/keystore.h"
#include "../../stages/pdf/inspect.h"
#include "../../stages/pdf/pades.h"
#include "../../stages/pdf/verify.h"
#include "timing.h"

/* cpu_ms - this thread's CPU time: the inspection's cost whatever else runs. */
static double
cpu_ms(void)
{
	return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

int
main(int argc, char **argv)
{
	int rounds = argc > 5 ? atoi(argv[5]) : 50, i, fd, out, pages = 0;
	double inspect;
	double *t_open, *t_inspect, *t_sign, *t_verify;
	unsigned char *pdf, *signed_map;
	struct signer_key k;
	struct stat st;
	struct err e;
	char pass[256];
	FILE *f;
	X509_STORE *anchors = X509_STORE_new();
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);

	if (argc < 5 || rounds < 1 || !ctx || !anchors) {
		fprintf(stderr, "usage: sign_cost FILE.pdf KEYSTORE.p12 PASSFILE CA.pem [ROUNDS]\n");
		return 64;
	}
	fz_set_warning_callback(ctx, NULL, NULL);
	if ((f = fopen(argv[3], "r")) == NULL || !fgets(pass, sizeof pass, f))
		return perror(argv[3]), 66;
	fclose(f);
	pass[strcspn(pass, "\r\n")] = '\0';
	if (keystore_open_p12(argv[2], pass, &k, &e) < 0 ||
	    X509_STORE_load_file(anchors, argv[4]) != 1)
		return fprintf(stderr, "keystore/anchors: %s\n", e.detail), 66;
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) < 0)
		return perror(argv[1]), 66;
	pdf = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	out = memfd_create("signed", 0);
	t_open = calloc((size_t)rounds, sizeof *t_open);
	t_inspect = calloc((size_t)rounds, sizeof *t_inspect);
	t_sign = calloc((size_t)rounds, sizeof *t_sign);
	t_verify = calloc((size_t)rounds, sizeof *t_verify);
	if (pdf == MAP_FAILED || out < 0 || !t_open || !t_inspect || !t_sign || !t_verify)
		return perror("setup"), 70;
	for (i = 0; i < rounds; i++) {
		struct pades_request rq;
		struct pades_result res;
		struct verify_opts vo;
		struct verify_report r;
		fz_stream *stm;
		pdf_document *doc;
		struct inspect_log log;
		char why[300];
		double t0 = now_ms(), t1, t2, ti, c0;

		stm = fz_open_memory(ctx, pdf, (size_t)st.st_size);
		doc = pdf_open_document_with_stream(ctx, stm);
		pages = pdf_count_pages(ctx, doc);	/* what the validate stage does */
		ti = now_ms();
		c0 = cpu_ms();
		/* the validate stage's reading as a viewer (issue 13), timed apart */
		inspect_listen(ctx, &log);
		if (inspect_document(ctx, doc, pdf, (size_t)st.st_size, &log, why, sizeof why))
			return fprintf(stderr, "inspect: %s\n", why), 1;
		inspect_unlisten(ctx, &log);
		t_inspect[i] = cpu_ms() - c0;
		t1 = now_ms();
		memset(&rq, 0, sizeof rq);
		rq.pdf = pdf;
		rq.len = (size_t)st.st_size;
		rq.key = &k;
		rq.doc_id = "BENCH2345BENCH67";
		rq.name = "Bench";
		rq.reason = "Dokumen ditandatangani secara elektronik";
		rq.location = "Muara Beliti";
		if (ftruncate(out, 0) < 0 || lseek(out, 0, SEEK_SET) < 0 || pades_sign(ctx, doc, &rq, out, &res, &e) < 0)
			return fprintf(stderr, "sign: %s: %s\n", e.code, e.detail), 1;
		t2 = now_ms();
		signed_map = mmap(NULL, res.size, PROT_READ, MAP_SHARED, out, 0);
		memset(&vo, 0, sizeof vo);
		vo.anchors = anchors;
		if (signed_map == MAP_FAILED || verify_pdf(ctx, signed_map, res.size, &vo, &r) < 0 ||
		    r.verdict != VV_INTACT)
			return fprintf(stderr, "verify: %s: %s / %s\n", verify_verdict_name(r.verdict), r.why, r.nsig ? r.sig[0].trust_why : ""), 1;
		verify_report_free(&r);
		munmap(signed_map, res.size);
		t_open[i] = ti - t0;
		t_sign[i] = t2 - t1;
		t_verify[i] = now_ms() - t2;
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	inspect = median(t_inspect, rounds);
	printf("sign_cost: %s (%lld bytes), median of %d: parse %.2f ms, inspect %.3f ms CPU, sign %.2f ms, "
	       "own verification %.2f ms\n", argv[1], (long long)st.st_size, rounds,
	       median(t_open, rounds), inspect, median(t_sign, rounds), median(t_verify, rounds));
	/* issue 13: the checks may cost a one-page letter at most 0.5 ms of CPU */
	printf("sign_cost: the validate stage's checks: %.3f ms CPU a page (%d page%s)%s\n",
	       inspect / (pages > 0 ? pages : 1), pages, pages == 1 ? "" : "s",
	       pages == 1 ? (inspect < 0.5 ? ", within the 0.5 ms budget" : ", OVER the 0.5 ms budget") : "");
	free(t_open);
	free(t_inspect);
	free(t_sign);
	free(t_verify);
	keystore_free(&k);
	X509_STORE_free(anchors);
	fz_drop_context(ctx);
	return 0;
}
