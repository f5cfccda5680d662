/*
 * test_timestamp.c - the RFC 3161 token check and the cross-process rate limit.
 *
 * Replies come from `openssl ts -reply` with the TSA that tests/lib/tsa.py
 * makes (run from the repo root), so the check is tried against an
 * independent TSA implementation: a good token passes, and garbage, trailing
 * bytes, a reply to another request, a rejection, an untrusted TSA and a
 * token whose time is far from ours are each refused as timestamp.invalid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include "../../pki/tsa.h"
#include "fixture.h"

static char dir[64];
static X509_STORE *trust;



/* reply_to - the TSA's DER answer to req (openssl ts -reply). */
static unsigned char *
reply_to(TS_REQ *req, size_t *len)
{
	char q[128], r[128];
	unsigned char *der = NULL;
	int n = i2d_TS_REQ(req, &der);
	FILE *f;

	snprintf(q, sizeof q, "%s/q.tsq", dir);
	snprintf(r, sizeof r, "%s/r.tsr", dir);
	assert_true(n > 0);
	f = fopen(q, "wb");
	assert_non_null(f);
	fwrite(der, 1, (size_t)n, f);
	fclose(f);
	OPENSSL_free(der);
	assert_int_equal(run("openssl ts -reply -config '%s/tsa/tsa.cnf' -queryfile '%s' "
			     "-out '%s' 2>/dev/null", dir, q, r), 0);
	return slurp(r, len);
}

/* query - a request over some fixed bytes, as the signer would send. */
static TS_REQ *
query(const EVP_MD *md)
{
	static const unsigned char sig[] = "a signature value, 256 bytes or so in real life";
	struct err e = { 0 };
	TS_REQ *req = tsa_query(md, sig, sizeof sig, &e);

	if (req == NULL)
		fail_msg("tsa_query: %s", e.detail);
	return req;
}

/* refused - tsa_check says timestamp.invalid with want in the detail. */
static void
refused(X509_STORE *st, TS_REQ *req, const unsigned char *der, size_t len, time_t now,
	const char *want)
{
	unsigned char *tok = (unsigned char *)"x";
	size_t toklen = 1;
	struct err e = { 0 };

	assert_int_equal(tsa_check(st, req, der, len, now, &tok, &toklen, &e), -1);
	assert_null(tok);
	assert_int_equal(toklen, 0);
	assert_string_equal(e.code, "timestamp.invalid");
	if (!strstr(e.detail, want))
		fail_msg("detail '%s' lacks '%s'", e.detail, want);
}

static int
setup(void **state)
{
	struct err e = { 0 };
	char ca[96], *files[1] = { ca };

	snprintf(dir, sizeof dir, "/tmp/sertel-ts-XXXXXX");
	if (!mkdtemp(dir) || run("python3 tests/lib/tsa.py --dir '%s/tsa' --make-pki", dir) != 0)
		return -1;
	snprintf(ca, sizeof ca, "%s/tsa/tsa-ca.pem", dir);
	trust = tsa_trust(files, 1, &e);
	(void)state;
	return trust ? 0 : -1;
}

static int
teardown(void **state)
{
	X509_STORE_free(trust);
	if (dir[0] && !getenv("KEEP_TS_TMP"))
		run("rm -rf '%s'", dir);
	(void)state;
	return 0;
}

/* A granted reply to our own request gives its token, a PKCS#7 SignedData. */
static void
test_good(void **state)
{
	TS_REQ *req = query(EVP_sha256());
	size_t len, toklen = 0;
	unsigned char *der = reply_to(req, &len), *tok = NULL;
	const unsigned char *p;
	struct err e = { 0 };
	PKCS7 *p7;

	if (tsa_check(trust, req, der, len, time(NULL), &tok, &toklen, &e) != 0)
		fail_msg("%s: %s", e.code, e.detail);
	p = tok;
	p7 = d2i_PKCS7(NULL, &p, (long)toklen);
	assert_non_null(p7);
	assert_true(PKCS7_type_is_signed(p7));
	assert_ptr_equal(p, tok + toklen);
	PKCS7_free(p7);
	OPENSSL_free(tok);
	free(der);
	TS_REQ_free(req);
	/* SHA-512 imprints too */
	req = query(EVP_sha512());
	der = reply_to(req, &len);
	assert_int_equal(tsa_check(trust, req, der, len, time(NULL), &tok, &toklen, &e), 0);
	OPENSSL_free(tok);
	free(der);
	TS_REQ_free(req);
	(void)state;
}

/* Every request has its own nonce: a reply to another one does not pass. */
static void
test_other_request(void **state)
{
	TS_REQ *a = query(EVP_sha256()), *b = query(EVP_sha256());
	size_t len;
	unsigned char *der = reply_to(b, &len);

	assert_int_not_equal(ASN1_INTEGER_cmp(TS_REQ_get_nonce(a), TS_REQ_get_nonce(b)), 0);
	refused(trust, a, der, len, time(NULL), "nonce mismatch");
	free(der);
	TS_REQ_free(a);
	TS_REQ_free(b);
	(void)state;
}

/* What is not a TimeStampResp, whole and alone, is refused. */
static void
test_garbage(void **state)
{
	static const unsigned char junk[] = "<html>maaf</html>";
	TS_REQ *req = query(EVP_sha256());
	size_t len;
	unsigned char *der = reply_to(req, &len), *more = malloc(len + 1);

	refused(trust, req, junk, sizeof junk - 1, time(NULL), "is not a TimeStampResp");
	refused(trust, req, der, 0, time(NULL), "is not a TimeStampResp");
	refused(trust, req, der, len - 1, time(NULL), "is not a TimeStampResp");
	memcpy(more, der, len);
	more[len] = 0;
	refused(trust, req, more, len + 1, time(NULL), "is not a TimeStampResp");
	free(more);
	free(der);
	TS_REQ_free(req);
	(void)state;
}

/* A TSA outside the anchors, and a token far from our clock, are refused. */
static void
test_trust_and_time(void **state)
{
	X509_STORE *none = X509_STORE_new();
	TS_REQ *req = query(EVP_sha256());
	size_t len;
	unsigned char *der = reply_to(req, &len);

	refused(none, req, der, len, time(NULL), "certificate verify error");
	refused(trust, req, der, len, time(NULL) + TSA_MAX_SKEW + 60, "from this server's clock");
	refused(trust, req, der, len, time(NULL) - TSA_MAX_SKEW - 60, "from this server's clock");
	X509_STORE_free(none);
	free(der);
	TS_REQ_free(req);
	(void)state;
}

/* A rejection carries the TSA's reason into the detail. */
static void
test_rejection(void **state)
{
	TS_REQ *req = query(EVP_sha1());	/* not among tsa.cnf's digests */
	size_t len;
	unsigned char *der = reply_to(req, &len);

	refused(trust, req, der, len, time(NULL), "rejection");
	free(der);
	TS_REQ_free(req);
	(void)state;
}

static void
test_trust_files(void **state)
{
	char missing[96], *files[1] = { missing };
	struct err e = { 0 };

	snprintf(missing, sizeof missing, "%s/tidak-ada.pem", dir);
	assert_null(tsa_trust(files, 1, &e));
	assert_string_equal(e.code, "sign.failed");
	assert_non_null(strstr(e.detail, missing));
	(void)state;
}

/* now_ms - wall-clock milliseconds, as the rate file keeps them. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Four processes, three requests each, 50 ms apart: the starts never bunch up. */
static void
test_rate_processes(void **state)
{
	enum { PROCS = 4, EACH = 3, GAP = 50 };
	double t[PROCS * EACH], min = 1e9;
	int fd[2], i, j, n = 0;

	assert_int_equal(pipe(fd), 0);
	for (i = 0; i < PROCS; i++)
		if (fork() == 0) {
			for (j = 0; j < EACH; j++) {
				double w;

				if (tsa_rate_wait(dir, "http://tsa.uji/", GAP) < 0)
					_exit(1);
				w = now_ms();
				if (write(fd[1], &w, sizeof w) != (ssize_t)sizeof w)
					_exit(1);
			}
			_exit(0);
		}
	close(fd[1]);
	while (n < PROCS * EACH && read(fd[0], &t[n], sizeof t[n]) == (ssize_t)sizeof t[n])
		n++;
	close(fd[0]);
	for (i = 0; i < PROCS; i++) {
		int st;

		wait(&st);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(n, PROCS * EACH);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j && t[j] >= t[i] && t[j] - t[i] < min)
				min = t[j] - t[i];
	/* the record is written after the wait, before the caller's clock read:
	 * a process descheduled between the two reads its clock late, so a loaded
	 * machine shows gaps a few ms short (47.3 ms seen); without the pacing
	 * they would be about 0 */
	if (min < GAP - 10)
		fail_msg("two requests %.1f ms apart, want >= %d", min, GAP);
	/* no limit: no file, no wait */
	assert_int_equal(tsa_rate_wait("/nonexistent", "http://tsa.uji/", 0), 0);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_other_request),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_trust_and_time),
		cmocka_unit_test(test_rejection),
		cmocka_unit_test(test_trust_files),
		cmocka_unit_test(test_rate_processes),
	};

	return cmocka_run_group_tests_name("timestamp", tests, setup, teardown);
}
