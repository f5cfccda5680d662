/*
 * test_accept.c - stages/pdf/accept.c, the rule that lets a file sertel has
 * just signed (or timestamped) leave: judged on the verify_pdf report of
 * real files signed by pades_sign, some then changed on purpose.
 *
 * Fixtures (run from the repo root): tests/lib/pki.sh for the signers,
 * tests/lib/tsa.py --make-pki and `openssl ts -reply` for the signature
 * timestamp, tests/lib/mkpdf.py for the documents, in a mkdtemp directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include "../../base/hex.h"
#include "../../pki/keystore.h"
#include "../../stages/pdf/accept.h"
#include "../../stages/pdf/pades.h"
#include "../../stages/pdf/verify.h"
#include "fixture.h"
#include "signfix.h"

#define PASS "rahasia-uji-123"
#define RESERVE 8192

struct fx {
	char dir[64];
	fz_context *ctx;
	struct signer_key rsa;
	X509_STORE *trust;	/* the signers' root and the TSA's root */
	X509_STORE *empty;
};

static struct fx F;

/* path - DIR/name (fixture.h's ring of buffers). */
static const char *
path(const char *name)
{
	return dir_path(F.dir, name);
}

/* fresh - a new output name in DIR. */
static const char *
fresh(const char *stem)
{
	return dir_fresh(F.dir, stem);
}

/* mkpdf - tests/lib/mkpdf.py into a fresh file. */
static const char *
mkpdf(void)
{
	const char *p = fresh("in");

	assert_int_equal(run("python3 tests/lib/mkpdf.py '%s'", p), 0);
	return p;
}

/* tsa_reply - a pades_timestamp_fn: the token `openssl ts -reply` gives for sig. */
static int
tsa_reply(void *arg, const unsigned char *sig, size_t siglen, unsigned char **token,
	  size_t *tokenlen, struct err *e)
{
	unsigned char md[SHA256_DIGEST_LENGTH], *der;
	const unsigned char *q;
	char hex[2 * SHA256_DIGEST_LENGTH + 1];
	TS_RESP *resp;
	size_t len;
	int n;

	(void)arg;
	(void)e;
	SHA256(sig, siglen, md);
	hex_encode(md, sizeof md, hex);
	assert_int_equal(run("cd '%s' && openssl ts -query -digest %s -sha256 -cert -out q.tsq "
			     "2>/dev/null && openssl ts -reply -config tsa/tsa.cnf -queryfile q.tsq "
			     "-out r.tsr 2>/dev/null", F.dir, hex), 0);
	der = slurp(path("r.tsr"), &len);
	q = der;
	resp = d2i_TS_RESP(NULL, &q, (long)len);
	assert_non_null(resp);
	assert_non_null(TS_RESP_get_token(resp));
	*token = NULL;
	n = i2d_PKCS7(TS_RESP_get_token(resp), token);
	assert_true(n > 0);
	*tokenlen = (size_t)n;
	TS_RESP_free(resp);
	free(der);
	return 0;
}

/* sign - pades_sign in into a fresh file as document id, stamped or not (B-T / B-B). */
static const char *
sign(const char *in, const char *id, int stamped)
{
	const char *out = fresh("signed");
	struct pades_request rq;

	memset(&rq, 0, sizeof rq);
	rq.key = &F.rsa;
	rq.doc_id = id;
	rq.name = "Penandatangan Uji";
	rq.when = time(NULL);
	rq.reserve = RESERVE;
	if (stamped)
		rq.timestamp = tsa_reply;
	sign_file(F.ctx, in, out, &rq);
	return out;
}

/* verify - the report of file against store. */
static void
verify(const char *file, X509_STORE *store, struct verify_report *r)
{
	struct verify_opts o = { store, NULL, NULL, 0, NULL };
	size_t len;
	unsigned char *p = slurp(file, &len);

	assert_int_equal(verify_pdf(F.ctx, p, len, &o, r), 0);
	free(p);
}

/* refused - accept_signed refuses r with code, the detail holding what. */
static void
refused(const struct verify_report *r, const char *id, int need_trust, int need_tst,
	const char *code, const char *what)
{
	const struct verify_sig *ours = &r->sig[0];
	struct err e = { 0 };

	assert_int_equal(accept_signed(r, id, need_trust, need_tst, &ours, &e), -1);
	assert_null(ours);
	assert_non_null(e.code);
	if (strcmp(e.code, code) || strstr(e.detail, what) == NULL)
		fail_msg("expected %s (%s), got %s: %s", code, what, e.code, e.detail);
}

/* ---- fixture ------------------------------------------------------------ */

/* add_pem - the certificate in DIR/file to store. */
static int
add_pem(X509_STORE *store, const char *file)
{
	FILE *f = fopen(path(file), "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	int ok = x != NULL && X509_STORE_add_cert(store, x) == 1;

	if (f)
		fclose(f);
	X509_free(x);
	return ok ? 0 : -1;
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/sertel-accept-XXXXXX";
	struct err e = { 0 };

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(F.dir, sizeof F.dir, "%s", tmpl);
	if (run("sh tests/lib/pki.sh '%s/pki'", F.dir) != 0 ||
	    run("python3 tests/lib/tsa.py --dir '%s/tsa' --make-pki", F.dir) != 0)
		return -1;
	F.ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (F.ctx == NULL)
		return -1;
	fz_set_warning_callback(F.ctx, NULL, NULL);
	fz_set_error_callback(F.ctx, NULL, NULL);
	if (keystore_open_p12(path("pki/signer-rsa.p12"), PASS, &F.rsa, &e) < 0) {
		fprintf(stderr, "keystore: %s\n", e.detail);
		return -1;
	}
	F.trust = X509_STORE_new();
	F.empty = X509_STORE_new();
	if (F.trust == NULL || F.empty == NULL || add_pem(F.trust, "pki/ca.pem") < 0 ||
	    add_pem(F.trust, "tsa/tsa-ca.pem") < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	keystore_free(&F.rsa);
	X509_STORE_free(F.trust);
	X509_STORE_free(F.empty);
	fz_drop_context(F.ctx);
	if (getenv("KEEP_ACCEPT_TMP") == NULL && F.dir[0])
		run("rm -rf '%s'", F.dir);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* A freshly signed file is accepted, also when countersigned; its signature is the one found. */
static void
test_accepted(void **state)
{
	struct verify_report r;
	const struct verify_sig *ours = NULL;
	struct err e = { 0 };
	const char *once = sign(mkpdf(), "ABCD2345EFGH6789", 0);

	(void)state;
	verify(once, F.trust, &r);
	assert_int_equal(accept_signed(&r, "ABCD2345EFGH6789", 1, 0, &ours, &e), 0);
	assert_null(e.code);
	assert_ptr_equal(ours, &r.sig[0]);
	assert_ptr_equal(accept_find(&r, "ABCD2345EFGH6789"), ours);
	assert_null(accept_find(&r, "ZZZZ2345ZZZZ6789"));
	/* another document's ID: ours is not in the file */
	refused(&r, "ZZZZ2345ZZZZ6789", 0, 0, "sign.unverified", "not found");
	verify_report_free(&r);

	/* the earlier signature sees only the new signature field: allowed */
	verify(sign(once, "CCCC2345DDDD6789", 0), F.trust, &r);
	assert_int_equal(r.nsig, 2);
	assert_int_equal(accept_signed(&r, "CCCC2345DDDD6789", 1, 0, &ours, &e), 0);
	assert_ptr_equal(ours, &r.sig[1]);
	/* the earlier one is no longer the last: not what was just signed */
	refused(&r, "ABCD2345EFGH6789", 0, 0, "sign.unverified", "not the last");
	verify_report_free(&r);
}

/* Bytes after the new revision change nothing verify sees, but the file does not leave. */
static void
test_trailing(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf(), "GGGG2345HHHH6789", 0);
	const char *out = fresh("trailing");
	size_t len;
	unsigned char *p = slurp(s, &len);

	(void)state;
	p = realloc(p, len + 7);
	assert_non_null(p);
	memcpy(p + len, "sampah\n", 7);
	spit(out, p, len + 7);
	free(p);
	verify(out, F.trust, &r);
	assert_int_equal(verify_exit_code(&r), 0);
	assert_int_equal(r.trailing, 7);
	/* our signature sees the 7 bytes as a later change (none allowed for it) */
	refused(&r, "GGGG2345HHHH6789", 1, 0, "sign.unverified", "signature 1 of 1: 7 later bytes");
	verify_report_free(&r);
}

/* Countersigning a file whose first signature was already broken: not our fault. */
static void
test_earlier_broken(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf(), "JJJJ2345KKKK6789", 0);
	const char *flip = fresh("flip");
	size_t len;
	unsigned char *p = slurp(s, &len);

	(void)state;
	p[10] ^= 0xFF;		/* in the binary comment after the header: still a PDF */
	spit(flip, p, len);
	free(p);
	verify(sign(flip, "LLLL2345MMMM6789", 0), F.trust, &r);
	assert_int_equal(r.nsig, 2);
	assert_int_equal(r.sig[0].integrity, VI_FAILED);
	assert_int_equal(r.sig[1].integrity, VI_OK);
	refused(&r, "LLLL2345MMMM6789", 1, 0, "pdf.signature_broken",
		"signature 1 of 2 (before this one): the SHA256 digest");
	verify_report_free(&r);
}

/* B-T required: a signature without a timestamp is refused, one with a valid one accepted. */
static void
test_timestamp_required(void **state)
{
	struct verify_report r;
	const struct verify_sig *ours = NULL;
	struct err e = { 0 };

	(void)state;
	verify(sign(mkpdf(), "NNNN2345PPPP6789", 0), F.trust, &r);
	refused(&r, "NNNN2345PPPP6789", 1, 1, "sign.unverified", "the timestamp is missing");
	assert_int_equal(accept_signed(&r, "NNNN2345PPPP6789", 1, 0, NULL, &e), 0);
	verify_report_free(&r);

	verify(sign(mkpdf(), "QQQQ2345RRRR6789", 1), F.trust, &r);
	assert_int_equal(accept_signed(&r, "QQQQ2345RRRR6789", 1, 1, &ours, &e), 0);
	assert_non_null(ours);
	assert_int_equal(ours->tst, VTS_VALID);
	assert_true(ours->tst_time > 0);
	verify_report_free(&r);
}

/* Trust required but no anchors: intact, yet refused; without the requirement, accepted. */
static void
test_trust_required(void **state)
{
	struct verify_report r;
	struct err e = { 0 };

	(void)state;
	verify(sign(mkpdf(), "SSSS2345TTTT6789", 0), F.empty, &r);
	assert_int_equal(r.sig[0].integrity, VI_OK);
	refused(&r, "SSSS2345TTTT6789", 1, 0, "sign.unverified", "unknown CA");
	assert_int_equal(accept_signed(&r, "SSSS2345TTTT6789", 0, 0, NULL, &e), 0);
	verify_report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_earlier_broken),
		cmocka_unit_test(test_timestamp_required),
		cmocka_unit_test(test_trust_required),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
