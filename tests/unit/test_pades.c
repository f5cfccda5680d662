/*
 * test_pades.c - PAdES signer and keystore, checked by independent verifiers.
 *
 * Fixtures are made here (run from the repo root): a throwaway PKI with
 * tests/lib/pki.sh and PDFs with tests/lib/mkpdf.py in a mkdtemp directory.
 * Every signed file must keep the original as a prefix, pass pdfcheck.sh
 * (pdfsig + NSS trust, qpdf --check), and carry a CMS that OpenSSL verifies
 * over the /ByteRange with the test CA, with ESS signing-certificate-v2 and
 * without signing-time.
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
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "../../config/cfg.h"
#include "../../pki/keystore.h"
#include "../../stages/pdf/pades.h"
#include "fixture.h"

#define PASS "rahasia-uji-123"

struct fx {
	char dir[64];
	char pki[96];
	fz_context *ctx;
	struct signer_key rsa, ec;
	X509_STORE *trust;
	int n;			/* output file counter */
	pades_timestamp_fn ts;	/* the timestamp seam, for the next sign_file */
	void *ts_arg;
};

static struct fx F;

/* path - DIR/name (fixture.h's ring of buffers). */
static const char *
path(const char *name)
{
	return dir_path(F.dir, name);
}

/* mkpdf - tests/lib/mkpdf.py OPTS DIR/name. */
static const char *
mkpdf(const char *name, const char *opts)
{
	const char *p = path(name);

	assert_int_equal(run("python3 tests/lib/mkpdf.py %s '%s'", opts, p), 0);
	return p;
}

/* sign_file - open in as MuPDF would in the pipeline and sign it into out. */
static int
sign_file(const char *in, const char *out, const struct signer_key *k, const char *id,
	  size_t reserve, struct pades_result *res, struct err *e)
{
	size_t len;
	unsigned char *pdf = slurp(in, &len);
	struct pades_request rq;
	pdf_document *doc = NULL;
	fz_stream *stm = NULL;
	int fd, rc;

	fz_try(F.ctx) {
		stm = fz_open_memory(F.ctx, pdf, len);
		doc = pdf_open_document_with_stream(F.ctx, stm);
	}
	fz_always(F.ctx)
		fz_drop_stream(F.ctx, stm);
	fz_catch(F.ctx)
		fail_msg("MuPDF cannot open %s: %s", in, fz_caught_message(F.ctx));
	memset(&rq, 0, sizeof rq);
	rq.pdf = pdf;
	rq.len = len;
	rq.key = k;
	rq.doc_id = id;
	rq.name = "Dra. Ni Luh Putu Ayu S\xc3\xa9gara (Kepala Dinas)";
	rq.reason = "Dokumen ditandatangani secara elektronik";
	rq.location = "Muara Beliti";
	rq.when = time(NULL);
	rq.reserve = reserve;
	rq.timestamp = F.ts;
	rq.timestamp_arg = F.ts_arg;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	rc = pades_sign(F.ctx, doc, &rq, fd, res, e);
	close(fd);
	pdf_drop_document(F.ctx, doc);
	free(pdf);
	return rc;
}

/* last_of - the last occurrence of needle in hay, or NULL. */
static const unsigned char *
last_of(const unsigned char *hay, size_t len, const char *needle)
{
	const unsigned char *p = hay, *hit = NULL;
	size_t n = strlen(needle);

	while ((p = memmem(p, len - (size_t)(p - hay), needle, n)) != NULL)
		hit = p++;
	return hit;
}

/* check_cms - the last signature's CMS: attributes, and OpenSSL verification over its ranges. */
static void
check_cms(const unsigned char *out, size_t len, int *hole_bytes)
{
	const unsigned char *br = last_of(out, len, "/ByteRange[");
	unsigned long long r[4];
	unsigned char *der, *ranges;
	const unsigned char *q;
	size_t i, dlen;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	BIO *content;

	assert_non_null(br);
	assert_int_equal(sscanf((const char *)br, "/ByteRange[%llu %llu %llu %llu", &r[0], &r[1],
				&r[2], &r[3]), 4);
	/* everything but the hex string of /Contents, brackets included */
	assert_int_equal(r[0], 0);
	assert_int_equal(r[2] + r[3], len);
	assert_int_equal(out[r[1]], '<');
	assert_int_equal(out[r[2] - 1], '>');
	assert_memory_equal(out + r[1] - 9, "/Contents", 9);
	*hole_bytes = (int)((r[2] - r[1] - 2) / 2);

	dlen = (r[2] - r[1] - 2) / 2;
	der = malloc(dlen);
	for (i = 0; i < dlen; i++) {
		char two[3] = { (char)out[r[1] + 1 + 2 * i], (char)out[r[1] + 2 + 2 * i], 0 };

		assert_true(strspn(two, "0123456789ABCDEF") == 2);
		der[i] = (unsigned char)strtoul(two, NULL, 16);
	}
	q = der;
	cms = d2i_CMS_ContentInfo(NULL, &q, (long)dlen);
	assert_non_null(cms);
	assert_true(CMS_is_detached(cms));
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	assert_non_null(si);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) < 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >= 0);

	ranges = malloc(r[1] + r[3]);
	memcpy(ranges, out, r[1]);
	memcpy(ranges + r[1], out + r[2], r[3]);
	content = BIO_new_mem_buf(ranges, (int)(r[1] + r[3]));
	if (!CMS_verify(cms, NULL, F.trust, content, NULL, CMS_BINARY)) {
		ERR_print_errors_fp(stderr);
		fail_msg("OpenSSL CMS_verify failed");
	}
	BIO_free(content);
	free(ranges);
	CMS_ContentInfo_free(cms);
	free(der);
}

/* check_signed - every property a signed file must have; returns the hole size. */
static int
check_signed(const char *in, const char *out, const struct pades_result *res, const char *id)
{
	size_t ilen, olen;
	unsigned char *orig = slurp(in, &ilen), *sig = slurp(out, &olen);
	unsigned char sha[32];
	char want[64];
	int hole = 0;

	assert_true(olen > ilen);
	assert_memory_equal(orig, sig, ilen);	/* incremental: original is a prefix */
	assert_int_equal(res->size, olen);
	SHA256(sig, olen, sha);
	assert_memory_equal(sha, res->sha256, 32);
	assert_non_null(memmem(sig + ilen, olen - ilen, "/SubFilter/ETSI.CAdES.detached", 30));
	snprintf(want, sizeof want, "/SertelID(%s)", id);
	assert_non_null(memmem(sig + ilen, olen - ilen, want, strlen(want)));
	assert_memory_equal(sig + olen - 6, "%%EOF\n", 6);
	check_cms(sig, olen, &hole);
	/* pdfsig + NSS and qpdf; its report goes to stderr as TAP comments */
	assert_int_equal(run("r=$(sh tests/lib/pdfcheck.sh '%s' '%s' 2>&1); s=$?; "
			     "printf '%%s\\n' \"$r\" | sed 's/^/# /' >&2; exit $s",
			     path("pki/ca.pem"), out), 0);
	free(orig);
	free(sig);
	return hole;
}

/* sign_ok - sign in with k into a fresh output, check it, return the output path. */
static const char *
sign_ok(const char *in, const struct signer_key *k, const char *id)
{
	char name[32];
	const char *out;
	struct pades_result res;
	struct err e = { 0 };

	snprintf(name, sizeof name, "out-%d.pdf", ++F.n);
	out = path(name);
	if (sign_file(in, out, k, id, 0, &res, &e) != 0)
		fail_msg("pades_sign %s: %s: %s", in, e.code, e.detail);
	check_signed(in, out, &res, id);
	return out;
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/sertel-pades-XXXXXX";
	struct err e = { 0 };
	X509 *ca;
	FILE *f;

	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(F.dir, sizeof F.dir, "%s", tmpl);
	snprintf(F.pki, sizeof F.pki, "%s/pki", F.dir);
	if (run("sh tests/lib/pki.sh '%s'", F.pki) != 0)
		return -1;
	F.ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (F.ctx == NULL)
		return -1;
	/* refused inputs make MuPDF complain; the tests check our codes instead */
	fz_set_warning_callback(F.ctx, NULL, NULL);
	fz_set_error_callback(F.ctx, NULL, NULL);
	if (keystore_open_p12(path("pki/signer-rsa.p12"), PASS, &F.rsa, &e) < 0 ||
	    keystore_open_p12(path("pki/signer-ec.p12"), PASS, &F.ec, &e) < 0) {
		fprintf(stderr, "keystore: %s\n", e.detail);
		return -1;
	}
	F.trust = X509_STORE_new();
	f = fopen(path("pki/ca.pem"), "r");
	if (f == NULL || (ca = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		return -1;
	fclose(f);
	X509_STORE_add_cert(F.trust, ca);
	X509_free(ca);
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	keystore_free(&F.rsa);
	keystore_free(&F.ec);
	X509_STORE_free(F.trust);
	fz_drop_context(F.ctx);
	if (getenv("KEEP_PADES_TMP") == NULL && F.dir[0])
		run("rm -rf '%s'", F.dir);
	(void)state;
	return 0;
}

/* ---- tests ------------------------------------------------------------ */

static void
test_classic_rsa(void **state)
{
	sign_ok(mkpdf("classic.pdf", "--pages 2"), &F.rsa, "ABCD2345EFGH6789");
	(void)state;
}

static void
test_xref_stream_ec(void **state)
{
	sign_ok(mkpdf("stream.pdf", "--xref stream --pages 3"), &F.ec, "JKLM2345NPQR6789");
	(void)state;
}

static void
test_existing_acroform(void **state)
{
	size_t len;
	const char *out = sign_ok(mkpdf("form.pdf", "--acroform"), &F.rsa, "STUV2345WXYZ6789");
	unsigned char *p = slurp(out, &len);

	/* the old field is kept next to the new one */
	assert_non_null(memmem(p, len, "/Fields[7 0 R 9 0 R]/SigFlags 3", 31));
	free(p);
	sign_ok(mkpdf("form-ind.pdf", "--acroform-indirect --xref stream"), &F.ec,
		"STUV2345WXYZ6780");
	(void)state;
}

/* nsigs - how many signatures pdfsig sees in file. */
static int
nsigs(const char *file)
{
	return run("n=$(pdfsig '%s' 2>/dev/null | grep -c '^Signature #'); exit $n", file);
}

static void
test_countersign(void **state)
{
	char once[160];

	/* xref stream: ECDSA then RSA; the same id on purpose, so the second
	 * field must get a distinct name */
	snprintf(once, sizeof once, "%s",
		 sign_ok(mkpdf("twice.pdf", "--xref stream"), &F.ec, "AAAA2345BBBB6789"));
	assert_int_equal(nsigs(sign_ok(once, &F.rsa, "AAAA2345BBBB6789")), 2);
	/* classic table: RSA then ECDSA */
	snprintf(once, sizeof once, "%s",
		 sign_ok(mkpdf("twice-t.pdf", "--acroform"), &F.rsa, "CCCC2345DDDD6789"));
	assert_int_equal(nsigs(sign_ok(once, &F.ec, "CCCC2345DDDD6780")), 2);
	(void)state;
}

static void
test_odd_inputs(void **state)
{
	/* no EOL after %%EOF, no /ID, no Info */
	sign_ok(mkpdf("bare.pdf", "--no-eol --no-id --no-info"), &F.ec, "EEEE2345FFFF6789");
	sign_ok(mkpdf("bare-s.pdf", "--no-eol --no-id --no-info --xref stream"), &F.rsa,
		"EEEE2345FFFF6780");
	(void)state;
}

static void
test_reserve(void **state)
{
	const char *in = mkpdf("reserve.pdf", "");
	struct pades_result res;
	struct err e = { 0 };
	int plain, big;

	assert_int_equal(sign_file(in, path("res0.pdf"), &F.ec, "GGGG2345HHHH6789", 0, &res, &e), 0);
	plain = check_signed(in, path("res0.pdf"), &res, "GGGG2345HHHH6789");
	assert_int_equal(sign_file(in, path("res1.pdf"), &F.ec, "GGGG2345HHHH6789", 6000, &res, &e),
			 0);
	big = check_signed(in, path("res1.pdf"), &res, "GGGG2345HHHH6789");
	assert_int_equal(big - plain, 6000);
	/* sized from the real CMS: a few KiB, not megabytes of zeros */
	assert_true(plain < 4096);
	(void)state;
}


/* sign_with - in signed by the keystore pki/NAME.p12 with md (and PSS), checked. */
static void
sign_with(const char *in, const char *name, const EVP_MD *md, int pss, const char *id)
{
	char ks[64], out[64];
	struct signer_key k;
	struct pades_request rq;
	struct pades_result res;
	struct err e = { 0 };
	size_t len;
	unsigned char *pdf = slurp(in, &len);
	fz_stream *stm = fz_open_memory(F.ctx, pdf, len);
	pdf_document *doc = pdf_open_document_with_stream(F.ctx, stm);
	int fd;

	snprintf(ks, sizeof ks, "pki/%s.p12", name);
	snprintf(out, sizeof out, "%s-%s-%d.pdf", name, EVP_MD_get0_name(md), pss);
	if (keystore_open_p12(path(ks), PASS, &k, &e) < 0)
		fail_msg("%s: %s", ks, e.detail);
	fd = open(path(out), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	memset(&rq, 0, sizeof rq);
	rq.pdf = pdf;
	rq.len = len;
	rq.key = &k;
	rq.doc_id = id;
	rq.md = md;
	rq.pss = pss;
	if (pades_sign(F.ctx, doc, &rq, fd, &res, &e) != 0)
		fail_msg("%s %s: %s: %s", name, EVP_MD_get0_name(md), e.code, e.detail);
	close(fd);
	fz_drop_stream(F.ctx, stm);
	pdf_drop_document(F.ctx, doc);
	free(pdf);
	keystore_free(&k);
	check_signed(in, path(out), &res, id);
}

static void
test_sha384(void **state)
{
	char in[256];

	snprintf(in, sizeof in, "%s", mkpdf("sha384.pdf", "--xref stream"));
	sign_with(in, "signer-ec", EVP_sha384(), 0, "KKKK2345MMMM6789");
	(void)state;
}

/* The algorithms the issue names: RSA PKCS#1 v1.5 and PSS, ECDSA P-256 and
 * P-384, each with SHA-256/384/512 somewhere; pdfsig (NSS) checks them all. */
static void
test_algorithms(void **state)
{
	char in[256];

	/* mkpdf's path lives in a ring that later path() calls reuse */
	snprintf(in, sizeof in, "%s", mkpdf("algs.pdf", ""));
	sign_with(in, "signer-rsa", EVP_sha512(), 0, "AAAA2345BBBB6789");
	sign_with(in, "signer-rsa", EVP_sha256(), 1, "AAAA2345BBBB678A");
	sign_with(in, "signer-rsa", EVP_sha384(), 1, "AAAA2345BBBB678B");
	sign_with(in, "signer-ec", EVP_sha512(), 0, "AAAA2345BBBB678C");
	sign_with(in, "signer-ec384", EVP_sha384(), 0, "AAAA2345BBBB678D");
	sign_with(in, "signer-ec384", EVP_sha256(), 1, "AAAA2345BBBB678E");	/* pss ignored */
	(void)state;
}

/* An encrypted document: refused when it needs a password or its permissions
 * forbid a new signature field; signed, with an encrypted revision, when it
 * opens with the empty user password and allows it. */
static void
test_encrypted(void **state)
{
	const char *in = mkpdf("plain.pdf", "");
	struct pades_result res;
	struct err e = { 0 };
	unsigned char *orig, *sig;
	size_t ilen, olen;
	int hole = 0;

	assert_int_equal(run("qpdf --encrypt u o 256 -- '%s' '%s'", in, path("enc.pdf")), 0);
	assert_int_equal(sign_file(path("enc.pdf"), path("enc-s.pdf"), &F.rsa, "X", 0, &res, &e), -1);
	assert_string_equal(e.code, "pdf.encrypted");
	assert_non_null(strstr(e.detail, "kata sandi"));
	assert_int_equal(run("qpdf --encrypt '' o 256 --modify=none -- '%s' '%s'", in,
			     path("enc1.pdf")), 0);
	assert_int_equal(sign_file(path("enc1.pdf"), path("enc1-s.pdf"), &F.rsa, "X", 0, &res, &e),
			 -1);
	assert_string_equal(e.code, "pdf.encrypted");
	assert_non_null(strstr(e.detail, "izin"));
	/* an empty user password opens silently and allows signing */
	assert_int_equal(run("qpdf --encrypt '' o 128 --use-aes=y -- '%s' '%s'", in,
			     path("enc2.pdf")), 0);
	if (sign_file(path("enc2.pdf"), path("enc2-s.pdf"), &F.rsa, "CRYPT2345ABCD678", 0, &res,
		      &e) != 0)
		fail_msg("pades_sign: %s: %s", e.code, e.detail);
	orig = slurp(path("enc2.pdf"), &ilen);
	sig = slurp(path("enc2-s.pdf"), &olen);
	assert_true(olen > ilen);
	assert_memory_equal(orig, sig, ilen);
	/* /Contents is the plain hole; every other string is encrypted */
	check_cms(sig, olen, &hole);
	assert_null(memmem(sig + ilen, olen - ilen, "CRYPT2345ABCD678", 16));
	assert_non_null(memmem(sig + ilen, olen - ilen, "/Encrypt ", 9));
	assert_int_equal(run("sh tests/lib/pdfcheck.sh '%s' '%s' >&2", path("pki/ca.pem"),
			     path("enc2-s.pdf")), 0);
	free(orig);
	free(sig);
	(void)state;
}

static void
test_repaired_refused(void **state)
{
	const char *in = mkpdf("broken.pdf", "");
	struct pades_result res;
	struct err e = { 0 };
	size_t len;
	unsigned char *p = slurp(in, &len);
	unsigned char *sx = (unsigned char *)last_of(p, len, "startxref\n");
	FILE *f;

	/* point startxref into the header: MuPDF repairs, /Prev would be wrong */
	assert_non_null(sx);
	memset(sx + 10, '1', 2);
	f = fopen(path("broken2.pdf"), "wb");
	fwrite(p, 1, len, f);
	fclose(f);
	free(p);
	assert_int_equal(sign_file(path("broken2.pdf"), path("broken-s.pdf"), &F.rsa, "X", 0, &res,
				   &e), -1);
	assert_string_equal(e.code, "pdf.corrupt");
	(void)state;
}

static void
test_no_pages_refused(void **state)
{
	static const char *obj[] = {
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[]/Count 0>>",
	};
	char buf[1024];
	size_t off[2], n;
	struct pades_result res;
	struct err e = { 0 };
	FILE *f;
	int i;

	n = (size_t)snprintf(buf, sizeof buf, "%%PDF-1.4\n");
	for (i = 0; i < 2; i++) {
		off[i] = n;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%d 0 obj\n%s\nendobj\n", i + 1,
				      obj[i]);
	}
	n += (size_t)snprintf(buf + n, sizeof buf - n,
			      "xref\n0 3\n0000000000 65535 f\r\n%010zu 00000 n\r\n%010zu 00000 n\r\n"
			      "trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%zu\n%%%%EOF\n",
			      off[0], off[1], n);
	f = fopen(path("empty.pdf"), "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	assert_int_equal(sign_file(path("empty.pdf"), path("empty-s.pdf"), &F.rsa, "X", 0, &res, &e),
			 -1);
	assert_string_equal(e.code, "pdf.corrupt");
	(void)state;
}

static void
test_keystore(void **state)
{
	struct signer_key k;
	struct err e = { 0 };
	struct cfg_signer s;

	/* wrong passphrase: clear detail, never the passphrase */
	assert_int_equal(keystore_open_p12(path("pki/signer-rsa.p12"), "salah-sandi", &k, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	assert_non_null(strstr(e.detail, "wrong passphrase or corrupt PKCS#12"));
	assert_null(strstr(e.detail, "salah-sandi"));
	keystore_free(&k);	/* safe after failure */

	/* RC2/3DES file through OpenSSL 3's legacy provider */
	assert_int_equal(keystore_open_p12(path("pki/signer-legacy.p12"), PASS, &k, &e), 0);
	assert_string_equal(k.serial, F.rsa.serial);
	assert_int_equal(sk_X509_num(k.chain), 2);
	keystore_free(&k);
	keystore_free(&k);	/* idempotent on a zeroed struct */

	/* passphrase from a file and from the environment */
	memset(&s, 0, sizeof s);
	s.nip = "198001012010011001";
	s.keystore = (char *)path("pki/signer-ec.p12");
	s.pass_file = (char *)path("pki/pass.txt");
	assert_int_equal(keystore_load(&s, &k, &e), 0);
	assert_string_equal(k.serial, F.ec.serial);
	assert_true(strspn(k.serial, "0123456789ABCDEF") == strlen(k.serial));
	keystore_free(&k);
	s.pass_file = NULL;
	s.pass_env = "SERTEL_TEST_PASS";
	unsetenv("SERTEL_TEST_PASS");
	assert_int_equal(keystore_load(&s, &k, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	setenv("SERTEL_TEST_PASS", PASS, 1);
	assert_int_equal(keystore_load(&s, &k, &e), 0);
	keystore_free(&k);
	unsetenv("SERTEL_TEST_PASS");
	assert_int_equal(keystore_open_p12(path("nope.p12"), PASS, &k, &e), -1);
	/* an RSA-PSS-only certificate: NSS cannot verify it, refused at load */
	assert_int_equal(keystore_open_p12(path("pki/signer-pss.p12"), PASS, &k, &e), -1);
	assert_non_null(strstr(e.detail, "RSA-PSS"));
	assert_string_equal(e.code, "signer.keystore");
	(void)state;
}

/* A stand-in TSA for the seam: its "token" is a DER SEQUENCE of len bytes. */
struct fake_tsa {
	size_t len;		/* at least 8 */
	const char *fail;	/* an error code to fail with, or NULL */
	size_t siglen;		/* what it was given */
	unsigned char *last;	/* a copy of what it returned */
};

/* fake_tsa_stamp - a pades_timestamp_fn standing in for a TSA (tests/e2e/70-timestamp.sh
 * uses a real one): SEQUENCE { OCTET STRING of zeros }. */
static int
fake_tsa_stamp(void *arg, const unsigned char *sig, size_t siglen, unsigned char **token,
	   size_t *tokenlen, struct err *e)
{
	struct fake_tsa *st = arg;
	unsigned char hdr[8] = {
		0x30, 0x82, (unsigned char)((st->len - 4) >> 8), (unsigned char)(st->len - 4),
		0x04, 0x82, (unsigned char)((st->len - 8) >> 8), (unsigned char)(st->len - 8),
	};
	unsigned char *t;

	st->siglen = siglen;
	assert_non_null(sig);
	if (st->fail)
		return err_set(e, st->fail, "the fake TSA is down");
	t = OPENSSL_zalloc(st->len);
	assert_non_null(t);
	memcpy(t, hdr, sizeof hdr);
	free(st->last);
	st->last = malloc(st->len);
	memcpy(st->last, t, st->len);
	*token = t;
	*tokenlen = st->len;
	return 0;
}

/* last_cms - the CMS in the last signature's /Contents of file. */
static CMS_ContentInfo *
last_cms(const char *file)
{
	size_t len, i, n;
	unsigned char *out = slurp(file, &len), *der;
	const unsigned char *br = last_of(out, len, "/ByteRange["), *q;
	unsigned long long r[4];
	CMS_ContentInfo *cms;

	assert_non_null(br);
	assert_int_equal(sscanf((const char *)br, "/ByteRange[%llu %llu %llu %llu", &r[0], &r[1],
				&r[2], &r[3]), 4);
	n = (r[2] - r[1] - 2) / 2;
	der = malloc(n);
	for (i = 0; i < n; i++) {
		char two[3] = { (char)out[r[1] + 1 + 2 * i], (char)out[r[1] + 2 + 2 * i], 0 };

		der[i] = (unsigned char)strtoul(two, NULL, 16);
	}
	q = der;
	cms = d2i_CMS_ContentInfo(NULL, &q, (long)n);
	assert_non_null(cms);
	free(der);
	free(out);
	return cms;
}

/* The token goes in as the unsigned attribute id-aa-signatureTimeStampToken, as given. */
static void
test_timestamp_seam(void **state)
{
	const char *in = mkpdf("bt.pdf", "");
	struct fake_tsa st = { 3000, NULL, 0, NULL };
	struct pades_result res;
	struct err e = { 0 };
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	X509_ATTRIBUTE *a;
	ASN1_TYPE *v;
	int i;

	F.ts = fake_tsa_stamp;
	F.ts_arg = &st;
	i = sign_file(in, path("bt-s.pdf"), &F.rsa, "TTTT2345SSSS6789", 8192, &res, &e);
	F.ts = NULL;
	if (i != 0)
		fail_msg("%s: %s", e.code, e.detail);
	check_signed(in, path("bt-s.pdf"), &res, "TTTT2345SSSS6789");
	cms = last_cms(path("bt-s.pdf"));
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	/* it stamped the signature value itself (RSA-2048: 256 bytes) */
	assert_int_equal(st.siglen, ASN1_STRING_length(CMS_SignerInfo_get0_signature(si)));
	assert_int_equal(st.siglen, 256);
	assert_int_equal(CMS_unsigned_get_attr_count(si), 1);
	i = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	assert_true(i >= 0);
	a = CMS_unsigned_get_attr(si, i);
	assert_int_equal(X509_ATTRIBUTE_count(a), 1);
	v = X509_ATTRIBUTE_get0_type(a, 0);
	assert_int_equal(ASN1_TYPE_get(v), V_ASN1_SEQUENCE);
	assert_int_equal(v->value.sequence->length, (int)st.len);
	assert_memory_equal(v->value.sequence->data, st.last, st.len);
	CMS_ContentInfo_free(cms);
	free(st.last);
	(void)state;
}

/* A failing TSA fails the signature with its own code, and nothing is written. */
static void
test_timestamp_refusals(void **state)
{
	const char *in = mkpdf("bt2.pdf", "");
	struct fake_tsa down = { 3000, "timestamp.unavailable", 0, NULL };
	struct fake_tsa big = { 9000, NULL, 0, NULL };
	struct pades_result res;
	struct stat sb;
	struct err e = { 0 };

	F.ts = fake_tsa_stamp;
	F.ts_arg = &down;
	assert_int_equal(sign_file(in, path("bt2-s.pdf"), &F.ec, "X", 8192, &res, &e), -1);
	assert_string_equal(e.code, "timestamp.unavailable");
	assert_int_equal(stat(path("bt2-s.pdf"), &sb), 0);
	assert_int_equal(sb.st_size, 0);
	/* a token larger than the room kept for it */
	F.ts_arg = &big;
	assert_int_equal(sign_file(in, path("bt3-s.pdf"), &F.ec, "X", 2048, &res, &e), -1);
	F.ts = NULL;
	assert_string_equal(e.code, "sign.failed");
	assert_non_null(strstr(e.detail, "raise timestamp.reserve_bytes"));
	free(big.last);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keystore),
		cmocka_unit_test(test_classic_rsa),
		cmocka_unit_test(test_xref_stream_ec),
		cmocka_unit_test(test_existing_acroform),
		cmocka_unit_test(test_countersign),
		cmocka_unit_test(test_odd_inputs),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_sha384),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_repaired_refused),
		cmocka_unit_test(test_no_pages_refused),
		cmocka_unit_test(test_timestamp_seam),
		cmocka_unit_test(test_timestamp_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
