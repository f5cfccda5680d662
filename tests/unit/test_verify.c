/*
 * test_verify.c - stages/pdf/verify.c on files signed by pades_sign and then
 * changed on purpose: what needs the C API (the registry callback, tokens made
 * by an in-process RFC 3161 TSA, certificates that cannot pass the pipeline)
 * is tested here; tests/e2e/60-verify.sh drives the command on pipeline output.
 *
 * Fixtures (run from the repo root): tests/lib/pki.sh, tests/lib/mkpdf.py and
 * the openssl command in a mkdtemp directory.
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
#include <openssl/sha.h>
#include <openssl/ts.h>

#include "../../pki/keystore.h"
#include "../../stages/pdf/pades.h"
#include "../../stages/pdf/verify.h"
#include "../../stages/pdf/verify_bytes.h"
#include "fixture.h"
#include "signfix.h"

#define PASS "rahasia-uji-123"
#define RESERVE 8192

struct fx {
	char dir[64];
	fz_context *ctx;
	struct signer_key rsa, ec, expired;
	X509_STORE *trust, *empty;
	X509 *tsa_cert, *foreign_tsa;
	EVP_PKEY *tsa_key, *foreign_key;
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

/* mkpdf - tests/lib/mkpdf.py OPTS into a fresh file. */
static const char *
mkpdf(const char *opts)
{
	const char *p = fresh("in");

	assert_int_equal(run("python3 tests/lib/mkpdf.py %s '%s'", opts, p), 0);
	return p;
}

/* sign - pades_sign in into a fresh file, /M = when (0 now), with room for a token. */
static const char *
sign(const char *in, const struct signer_key *k, const char *id, time_t when)
{
	const char *out = fresh("signed");
	struct pades_request rq;

	memset(&rq, 0, sizeof rq);
	rq.key = k;
	rq.doc_id = id;
	rq.name = "Penandatangan Uji";
	rq.when = when ? when : time(NULL);
	rq.reserve = RESERVE;
	sign_file(F.ctx, in, out, &rq);
	return out;
}

/* check - verify file; on an unexpected exit code print the report as TAP comments. */
static void
check(const char *file, X509_STORE *store, verify_lookup_fn fn, void *arg, int want,
      struct verify_report *r)
{
	struct verify_opts o = { store, fn, arg, 0, NULL };
	size_t len;
	unsigned char *p = slurp(file, &len);
	char *txt = NULL, *line;
	size_t tlen = 0;
	FILE *m;

	assert_int_equal(verify_pdf(F.ctx, p, len, &o, r), 0);
	free(p);
	if (verify_exit_code(r) == want)
		return;
	m = open_memstream(&txt, &tlen);
	verify_print_text(m, file, r);
	fclose(m);
	for (line = strtok(txt, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(stderr, "# %s\n", line);
	free(txt);
	fail_msg("%s: exit %d, expected %d", file, verify_exit_code(r), want);
}

/* last_hole - offsets of the last signature's <hex> hole: [a, b). */
static void
last_hole(const unsigned char *p, size_t len, size_t *a, size_t *b)
{
	const unsigned char *br = NULL, *q = p;
	unsigned long long r[4];

	while ((q = memmem(q, len - (size_t)(q - p), "/ByteRange[", 11)) != NULL)
		br = q++;
	assert_non_null(br);
	assert_int_equal(sscanf((const char *)br, "/ByteRange[%llu %llu %llu %llu", &r[0], &r[1],
				&r[2], &r[3]), 4);
	*a = r[1];
	*b = r[2];
}

/* ---- an RFC 3161 TSA in this process ---------------------------------- */

/* tsa_token - DER TimeStampToken over digest (SHA-256) from cert/key. */
static unsigned char *
tsa_token(const unsigned char *digest, X509 *cert, EVP_PKEY *key, int *outlen)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_OBJECT *policy = OBJ_txt2obj("1.3.6.1.4.1.55555.1", 1);
	TS_RESP_CTX *rc = TS_RESP_CTX_new();
	BIO *q = BIO_new(BIO_s_mem());
	TS_RESP *resp;
	unsigned char *der = NULL;

	assert_true(X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL));
	assert_true(TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi,
		(unsigned char *)digest, 32));
	assert_true(TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
		    TS_REQ_set_cert_req(req, 1));
	assert_true(i2d_TS_REQ_bio(q, req));
	assert_true(TS_RESP_CTX_set_signer_cert(rc, cert) && TS_RESP_CTX_set_signer_key(rc, key) &&
		    TS_RESP_CTX_set_def_policy(rc, policy) && TS_RESP_CTX_add_md(rc, EVP_sha256()) &&
		    TS_RESP_CTX_set_signer_digest(rc, EVP_sha256()));
	resp = TS_RESP_create_response(rc, q);
	assert_non_null(resp);
	assert_non_null(TS_RESP_get_token(resp));
	*outlen = i2d_PKCS7(TS_RESP_get_token(resp), &der);
	assert_true(*outlen > 0);
	TS_RESP_free(resp);
	TS_RESP_CTX_free(rc);
	BIO_free(q);
	ASN1_OBJECT_free(policy);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	return der;
}

/* put_hex - der as upper-case hex into p[a+1 .. b-1), zeros after. */
static void
put_hex(unsigned char *p, size_t a, size_t b, const unsigned char *der, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t i;

	assert_true(2 * n <= b - a - 2);
	memset(p + a + 1, '0', b - a - 2);
	for (i = 0; i < n; i++) {
		p[a + 1 + 2 * i] = (unsigned char)hx[der[i] >> 4];
		p[a + 2 + 2 * i] = (unsigned char)hx[der[i] & 15];
	}
}

/*
 * stamp - out: the signed file in, its last CMS given an unsigned
 * signatureTimeStampToken (unsigned: the signature and digest stay valid).
 * wrong: the token stamps other bytes than the signature value.
 */
static const char *
stamp(const char *in, X509 *cert, EVP_PKEY *key, int wrong)
{
	const char *out = fresh("stamped");
	size_t len, a, b, i, n;
	unsigned char *p = slurp(in, &len), *der, *tok, *enc = NULL, md[32];
	const unsigned char *q;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_OCTET_STRING *sv;
	int toklen, enclen;

	last_hole(p, len, &a, &b);
	n = (b - a - 2) / 2;
	der = malloc(n);
	for (i = 0; i < n; i++) {
		char two[3] = { (char)p[a + 1 + 2 * i], (char)p[a + 2 + 2 * i], 0 };

		der[i] = (unsigned char)strtoul(two, NULL, 16);
	}
	q = der;
	cms = d2i_CMS_ContentInfo(NULL, &q, (long)n);
	assert_non_null(cms);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	sv = CMS_SignerInfo_get0_signature(si);
	SHA256(ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv) - (wrong ? 1 : 0), md);
	tok = tsa_token(md, cert, key, &toklen);
	assert_true(CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
						  V_ASN1_SEQUENCE, tok, toklen) > 0);
	enclen = i2d_CMS_ContentInfo(cms, &enc);
	assert_true(enclen > 0);
	put_hex(p, a, b, enc, (size_t)enclen);
	spit(out, p, len);
	OPENSSL_free(enc);
	OPENSSL_free(tok);
	CMS_ContentInfo_free(cms);
	free(der);
	free(p);
	return out;
}

/* trailer_facts - /Size and startxref of a file mkpdf.py wrote (or one revision on). */
static void
trailer_facts(const unsigned char *p, size_t len, int *size, long *startxref)
{
	const unsigned char *t = NULL, *q = p;

	while ((q = memmem(q, len - (size_t)(q - p), "/Size ", 6)) != NULL)
		t = q++;
	assert_non_null(t);
	*size = atoi((const char *)t + 6);
	t = NULL;
	q = p;
	while ((q = memmem(q, len - (size_t)(q - p), "startxref", 9)) != NULL)
		t = q++;
	assert_non_null(t);
	*startxref = atol((const char *)t + 9);
}

/*
 * doc_timestamp - out: an unsigned mkpdf.py file (catalog 1 0 obj) plus a
 * revision holding an ETSI.RFC3161 document timestamp field.
 */
static const char *
doc_timestamp(const char *in)
{
	const char *out = fresh("docts");
	size_t len, off[3], a, b, c, total;
	unsigned char *orig = slurp(in, &len), *p, md[32], *tok;
	char *hole = malloc(2 * RESERVE + 3), *rev, br[64];
	int size, toklen, k;
	long prev;
	FILE *m;
	size_t revlen = 0;

	trailer_facts(orig, len, &size, &prev);
	memset(hole, '0', 2 * RESERVE + 2);
	hole[0] = '<';
	hole[2 * RESERVE + 1] = '>';
	hole[2 * RESERVE + 2] = '\0';
	m = open_memstream(&rev, &revlen);
	off[0] = len + (size_t)ftell(m);
	fprintf(m, "1 0 obj\n<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[%d 0 R]/SigFlags 3>>>>"
		"\nendobj\n", size);
	off[1] = len + (size_t)ftell(m);
	fprintf(m, "%d 0 obj\n<</FT/Sig/T(Stempel waktu)/V %d 0 R/Type/Annot/Subtype/Widget"
		"/Rect[0 0 0 0]/F 132>>\nendobj\n", size, size + 1);
	off[2] = len + (size_t)ftell(m);
	fprintf(m, "%d 0 obj\n<</Type/DocTimeStamp/Filter/Adobe.PPKLite/SubFilter/ETSI.RFC3161"
		"/ByteRange[0 0000000000 0000000000 0000000000]/Contents%s>>\nendobj\n",
		size + 1, hole);
	fprintf(m, "xref\n1 1\n%010zu 00000 n\r\n%d 2\n%010zu 00000 n\r\n%010zu 00000 n\r\n"
		"trailer\n<</Size %d/Root 1 0 R/Prev %ld>>\nstartxref\n%zu\n%%%%EOF\n", off[0], size,
		off[1], off[2], size + 2, prev, len + (size_t)ftell(m));
	fclose(m);
	total = len + revlen;
	p = malloc(total);
	memcpy(p, orig, len);
	memcpy(p + len, rev, revlen);
	a = (size_t)((unsigned char *)memmem(p + len, revlen, "/Contents<", 10) - p) + 9;
	b = a + 2 * RESERVE + 2;
	c = total - b;
	k = snprintf(br, sizeof br, "[0 %010zu %010zu %010zu]", a, b, c);
	memcpy(memmem(p + len, revlen, "[0 0000000000", 13), br, (size_t)k);
	{
		EVP_MD_CTX *h = EVP_MD_CTX_new();

		EVP_DigestInit_ex(h, EVP_sha256(), NULL);
		EVP_DigestUpdate(h, p, a);
		EVP_DigestUpdate(h, p + b, c);
		EVP_DigestFinal_ex(h, md, NULL);
		EVP_MD_CTX_free(h);
	}
	tok = tsa_token(md, F.tsa_cert, F.tsa_key, &toklen);
	put_hex(p, a, b, tok, (size_t)toklen);
	spit(out, p, total);
	OPENSSL_free(tok);
	free(p);
	free(rev);
	free(hole);
	free(orig);
	return out;
}

/* ---- fixture ------------------------------------------------------------ */

/* load_pem - a certificate and its key from DIR files. */
static void
load_pem(const char *certf, const char *keyf, X509 **x, EVP_PKEY **k)
{
	FILE *f = fopen(path(certf), "r");

	assert_non_null(f);
	*x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	f = fopen(path(keyf), "r");
	assert_non_null(f);
	*k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(*x);
	assert_non_null(*k);
}

/* make_certs - an expired signer (2020-2021, by the sub CA) and two TSAs (ours, a stranger). */
static int
make_certs(void)
{
	return run("cd '%s/pki' && mkdir -p ca.d && : > ca.d/index.txt && echo 1000 > ca.d/serial && "
		   "printf '[ca]\\ndefault_ca=c\\n[c]\\ndatabase=ca.d/index.txt\\nserial=ca.d/serial\\n"
		   "new_certs_dir=ca.d\\npolicy=p\\nx509_extensions=s\\ndefault_md=sha256\\n"
		   "[p]\\ncommonName=supplied\\n[s]\\nbasicConstraints=critical,CA:FALSE\\n"
		   "keyUsage=critical,digitalSignature,nonRepudiation\\n"
		   "[tsa]\\nbasicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n"
		   "extendedKeyUsage=critical,timeStamping\\n' > ca.d/ca.cnf && "
		   "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout expired.key -subj /CN=Kedaluwarsa -out expired.csr 2>/dev/null && "
		   "openssl ca -batch -config ca.d/ca.cnf -cert sub.pem -keyfile sub.key "
		   "-in expired.csr -startdate 20200101000000Z -enddate 20210101000000Z -notext "
		   "-out expired.pem 2>/dev/null && "
		   "openssl pkcs12 -export -inkey expired.key -in expired.pem -certfile chain.pem "
		   "-passout pass:" PASS " -out expired.p12 && "
		   "openssl req -new -newkey rsa:2048 -nodes -keyout tsa.key -subj '/CN=TSA Uji' "
		   "-out tsa.csr 2>/dev/null && "
		   "openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -set_serial 7777 -days 365 "
		   "-extfile ca.d/ca.cnf -extensions tsa -out tsa.pem 2>/dev/null && "
		   "openssl req -x509 -newkey rsa:2048 -nodes -keyout foreign-tsa.key -days 365 "
		   "-subj '/CN=TSA Asing' -addext 'extendedKeyUsage=critical,timeStamping' "
		   "-out foreign-tsa.pem 2>/dev/null", F.dir);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/sertel-verify-XXXXXX";
	struct err e = { 0 };
	X509 *ca;
	FILE *f;

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(F.dir, sizeof F.dir, "%s", tmpl);
	if (run("sh tests/lib/pki.sh '%s/pki'", F.dir) != 0 || make_certs() != 0)
		return -1;
	F.ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (F.ctx == NULL)
		return -1;
	fz_set_warning_callback(F.ctx, NULL, NULL);
	fz_set_error_callback(F.ctx, NULL, NULL);
	if (keystore_open_p12(path("pki/signer-rsa.p12"), PASS, &F.rsa, &e) < 0 ||
	    keystore_open_p12(path("pki/signer-ec.p12"), PASS, &F.ec, &e) < 0 ||
	    keystore_open_p12(path("pki/expired.p12"), PASS, &F.expired, &e) < 0) {
		fprintf(stderr, "keystore: %s\n", e.detail);
		return -1;
	}
	load_pem("pki/tsa.pem", "pki/tsa.key", &F.tsa_cert, &F.tsa_key);
	load_pem("pki/foreign-tsa.pem", "pki/foreign-tsa.key", &F.foreign_tsa, &F.foreign_key);
	F.trust = X509_STORE_new();
	F.empty = X509_STORE_new();
	f = fopen(path("pki/ca.pem"), "r");
	if (f == NULL || (ca = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		return -1;
	fclose(f);
	X509_STORE_add_cert(F.trust, ca);
	X509_free(ca);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	keystore_free(&F.rsa);
	keystore_free(&F.ec);
	keystore_free(&F.expired);
	X509_free(F.tsa_cert);
	X509_free(F.foreign_tsa);
	EVP_PKEY_free(F.tsa_key);
	EVP_PKEY_free(F.foreign_key);
	X509_STORE_free(F.trust);
	X509_STORE_free(F.empty);
	fz_drop_context(F.ctx);
	if (getenv("KEEP_VERIFY_TMP") == NULL && F.dir[0])
		run("rm -rf '%s'", F.dir);
	return 0;
}

/* ---- a registry for the callback tests ---------------------------------- */

struct fake {
	enum verify_store store;
	const char *serial;		/* recorded serial; NULL = the signer's own */
	enum verify_revocation rev;
	time_t revoked_at;
	int fail, calls;
	char id[40];
};

/* fake_lookup - a verify_lookup_fn answering from struct fake. */
static int
fake_lookup(void *arg, const struct verify_query *q, struct verify_lookup_result *out)
{
	struct fake *f = arg;

	f->calls++;
	snprintf(f->id, sizeof f->id, "%s", q->doc_id ? q->doc_id : "");
	if (f->fail) {
		snprintf(out->detail, sizeof out->detail, "registry offline");
		return -1;
	}
	out->store = f->store;
	snprintf(out->store_serial, sizeof out->store_serial, "%s", f->serial ? f->serial : q->serial);
	out->revocation = f->rev;
	out->revoked_at = f->revoked_at;
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void
test_intact(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf("--pages 2"), &F.rsa, "ABCD2345EFGH6789", 0);

	(void)state;
	check(s, F.trust, NULL, NULL, 0, &r);
	assert_int_equal(r.nsig, 1);
	assert_int_equal(r.sig[0].integrity, VI_OK);
	assert_int_equal(r.sig[0].coverage, VC_WHOLE);
	assert_int_equal(r.sig[0].mods, VM_NONE);
	assert_int_equal(r.sig[0].trust, VT_TRUSTED);
	assert_int_equal(r.sig[0].time_source, VTIME_CLAIMED);
	assert_string_equal(r.sig[0].sertel_id, "ABCD2345EFGH6789");
	assert_string_equal(r.info_id, "ABCD2345EFGH6789");
	assert_string_equal(r.sig[0].serial, F.rsa.serial);
	assert_int_equal(r.revisions, 2);
	verify_report_free(&r);
	/* no anchors at all: intact, but an unknown CA */
	check(s, F.empty, NULL, NULL, 3, &r);
	assert_int_equal(r.verdict, VV_UNTRUSTED);
	assert_non_null(strstr(r.sig[0].trust_why, "unknown CA"));
	verify_report_free(&r);
	check(s, NULL, NULL, NULL, 3, &r);
	verify_report_free(&r);
}

static void
test_countersigned(void **state)
{
	static const char *kinds[] = { "--xref stream", "--acroform", "--acroform-indirect --xref stream",
				       "--no-eol --no-id --no-info" };
	struct verify_report r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const char *once = sign(mkpdf(kinds[i]), &F.ec, "AAAA2345BBBB6789", 0);
		const char *twice = sign(once, &F.rsa, "CCCC2345DDDD6789", 0);
		const char *thrice = sign(twice, &F.ec, "EEEE2345FFFF6789", 0);

		check(thrice, F.trust, NULL, NULL, 0, &r);
		assert_int_equal(r.nsig, 3);
		/* oldest first, each earlier one seeing only new signature fields */
		assert_string_equal(r.sig[0].sertel_id, "AAAA2345BBBB6789");
		assert_string_equal(r.sig[2].sertel_id, "EEEE2345FFFF6789");
		assert_int_equal(r.sig[0].coverage, VC_REVISION);
		assert_int_equal(r.sig[0].mods, VM_ALLOWED);
		assert_int_equal(r.sig[1].mods, VM_ALLOWED);
		assert_int_equal(r.sig[2].coverage, VC_WHOLE);
		assert_non_null(strstr(r.sig[0].changes[0], "allowed: new signature"));
		verify_report_free(&r);
	}
}

static void
test_flipped_byte(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf(""), &F.ec, "GGGG2345HHHH6789", 0);
	const char *out = fresh("flip");
	size_t len, a, b;
	unsigned char *p = slurp(s, &len);

	(void)state;
	last_hole(p, len, &a, &b);
	p[b + 20] ^= 1;		/* in the second range */
	spit(out, p, len);
	check(out, F.trust, NULL, NULL, 1, &r);
	assert_int_equal(r.sig[0].integrity, VI_FAILED);
	assert_non_null(strstr(r.sig[0].integrity_why, "messageDigest"));
	verify_report_free(&r);
	/* a damaged CMS: still hex, but a SET where the SEQUENCE was */
	p[b + 20] ^= 1;
	assert_memory_equal(p + a + 1, "30", 2);
	p[a + 2] = '1';
	spit(out, p, len);
	check(out, F.trust, NULL, NULL, 1, &r);
	assert_int_equal(r.sig[0].integrity, VI_FAILED);
	verify_report_free(&r);
	free(p);
}

static void
test_expired(void **state)
{
	struct verify_report r;
	struct tm tm = { .tm_year = 120, .tm_mon = 5, .tm_mday = 1, .tm_hour = 8 };

	(void)state;
	/* signed now with a certificate that ended in 2021 */
	check(sign(mkpdf(""), &F.expired, "JJJJ2345KKKK6789", 0), F.trust, NULL, NULL, 3, &r);
	assert_int_equal(r.sig[0].integrity, VI_OK);
	assert_non_null(strstr(r.sig[0].trust_why, "expired"));
	verify_report_free(&r);
	/* claimed (/M) June 2020, while it was valid: the chain is checked then, and the
	 * test CAs, made today, did not exist yet */
	check(sign(mkpdf(""), &F.expired, "JJJJ2345KKKK6780", timegm(&tm)), F.trust, NULL, NULL, 3,
	      &r);
	assert_non_null(strstr(r.sig[0].trust_why, "not yet valid"));
	assert_non_null(strstr(r.sig[0].trust_why, "2020-06-01 08:00:00 UTC"));
	verify_report_free(&r);
}

static void
test_registry(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf(""), &F.rsa, "LLLL2345MMMM6789", 0);
	struct fake fk;

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.store = VS_STORED;
	check(s, F.trust, fake_lookup, &fk, 0, &r);
	assert_int_equal(fk.calls, 1);
	assert_string_equal(fk.id, "LLLL2345MMMM6789");
	assert_int_equal(r.sig[0].reg.store, VS_STORED);
	verify_report_free(&r);

	fk.rev = VR_REVOKED;	/* revoked, date unknown */
	check(s, F.trust, fake_lookup, &fk, 3, &r);
	assert_int_equal(r.sig[0].revocation, VR_REVOKED);
	assert_non_null(strstr(r.sig[0].trust_why, "revoked"));
	verify_report_free(&r);

	fk.rev = VR_REVOKED;	/* revoked after the claimed time: no proof the signature came first */
	fk.revoked_at = time(NULL) + 3600;
	check(s, F.trust, fake_lookup, &fk, 3, &r);
	verify_report_free(&r);

	fk.rev = VR_NOT_CHECKED;	/* the ID belongs to another certificate */
	fk.serial = "0123ABCD";
	check(s, F.trust, fake_lookup, &fk, 3, &r);
	assert_non_null(strstr(r.sig[0].trust_why, "0123ABCD"));
	verify_report_free(&r);

	fk.serial = NULL;	/* deleted from the store: said, the verdict unchanged */
	fk.store = VS_DELETED;
	check(s, F.trust, fake_lookup, &fk, 0, &r);
	assert_int_equal(r.sig[0].reg.store, VS_DELETED);
	verify_report_free(&r);

	fk.fail = 1;		/* a registry that cannot answer does not decide anything */
	check(s, F.trust, fake_lookup, &fk, 0, &r);
	assert_int_equal(r.sig[0].reg.store, VS_ERROR);
	assert_string_equal(r.sig[0].reg.detail, "registry offline");
	verify_report_free(&r);
}

static void
test_signature_timestamp(void **state)
{
	struct verify_report r;
	const char *s = sign(mkpdf(""), &F.ec, "NNNN2345PPPP6789", 0);
	const char *ts = stamp(s, F.tsa_cert, F.tsa_key, 0);
	struct fake fk;

	(void)state;
	check(ts, F.trust, NULL, NULL, 0, &r);
	assert_int_equal(r.sig[0].tst, VTS_VALID);
	assert_int_equal(r.sig[0].time_source, VTIME_TIMESTAMP);
	assert_int_equal(r.sig[0].signing_time, r.sig[0].tst_time);
	verify_report_free(&r);

	/* revoked after the timestamp: the signature stays valid; before it: not */
	memset(&fk, 0, sizeof fk);
	fk.store = VS_STORED;
	fk.rev = VR_REVOKED;
	fk.revoked_at = time(NULL) + 3600;
	check(ts, F.trust, fake_lookup, &fk, 0, &r);
	verify_report_free(&r);
	fk.revoked_at = time(NULL) - 3600;
	check(ts, F.trust, fake_lookup, &fk, 3, &r);
	verify_report_free(&r);

	/* a TSA nobody trusts: the time is not used, the signature is judged on /M */
	check(stamp(s, F.foreign_tsa, F.foreign_key, 0), F.trust, NULL, NULL, 0, &r);
	assert_int_equal(r.sig[0].tst, VTS_UNTRUSTED);
	assert_int_equal(r.sig[0].time_source, VTIME_CLAIMED);
	verify_report_free(&r);

	/* a token over other bytes: not this signature's timestamp */
	check(stamp(s, F.tsa_cert, F.tsa_key, 1), F.trust, NULL, NULL, 3, &r);
	assert_int_equal(r.sig[0].tst, VTS_INVALID);
	assert_int_equal(r.sig[0].integrity, VI_OK);
	verify_report_free(&r);
}

static void
test_document_timestamp(void **state)
{
	struct verify_report r;
	const char *ts = doc_timestamp(mkpdf(""));
	const char *signed_after = sign(ts, &F.rsa, "QQQQ2345RRRR6789", 0);
	const char *out = fresh("docts-flip");
	size_t len;
	unsigned char *p;

	(void)state;
	check(ts, F.trust, NULL, NULL, 0, &r);
	assert_int_equal(r.nsig, 1);
	assert_true(r.sig[0].doc_timestamp);
	assert_int_equal(r.sig[0].time_source, VTIME_TIMESTAMP);
	assert_non_null(strstr(r.sig[0].subject, "TSA Uji"));
	verify_report_free(&r);

	check(signed_after, F.trust, NULL, NULL, 0, &r);
	assert_int_equal(r.nsig, 2);
	assert_int_equal(r.sig[0].mods, VM_ALLOWED);
	verify_report_free(&r);

	p = slurp(ts, &len);
	p[20] ^= 1;
	spit(out, p, len);
	free(p);
	check(out, F.trust, NULL, NULL, 1, &r);
	assert_int_equal(r.sig[0].integrity, VI_FAILED);
	verify_report_free(&r);
}

static void
test_undecided(void **state)
{
	struct verify_report r;
	const char *out = fresh("not");

	(void)state;
	spit(out, "hello\n", 6);
	check(out, F.trust, NULL, NULL, 2, &r);
	assert_non_null(strstr(r.why, "not a PDF"));
	verify_report_free(&r);
	check(mkpdf("--acroform"), F.trust, NULL, NULL, 2, &r);
	assert_int_equal(r.nsig, 0);
	assert_non_null(strstr(r.why, "no signature"));
	verify_report_free(&r);
}

/*
 * verify_revs_find: each "startxref N %%EOF" wherever it is: at the very end
 * of the file without an end of line, or followed by a '%'; not a %%EOF
 * without its startxref, nor the one of "%%%EOF" (a '%' before it); a '%'
 * that starts no %%EOF, or a "%%EO" cut by the end of the file, skipped.
 */
static void
test_revs_find(void **state)
{
	static const char f[] = "%PDF-1.7\n% \x80\x81%\nstartxref\n9\n%%%EOF\r\n"
				"%%EOF\nstartxref 12 %%EOF%\nstartxref\r\n123\r\n%%EOF";
	const unsigned char *p = (const unsigned char *)f;
	struct verify_revs rv;
	size_t len = sizeof f - 1;

	(void)state;
	assert_int_equal(verify_revs_find(p, len, &rv), 0);
	assert_int_equal(rv.n, 2);
	assert_memory_equal(p + rv.eof[0] - 18, "startxref 12 %%EOF%", 19);
	assert_int_equal(rv.end[0], rv.eof[0]);			/* '%' follows, no end of line */
	assert_int_equal(rv.eof[1], len);
	assert_int_equal(rv.end[1], len);
	verify_revs_free(&rv);
	assert_int_equal(verify_revs_find(p, len - 1, &rv), 0);	/* "%%EO" at the end */
	assert_int_equal(rv.n, 1);
	verify_revs_free(&rv);
}

/*
 * A /Cert whose second string's xref entry points at the first's bytes:
 * loading it makes MuPDF repair the file, after which the first is the
 * longer definition written after it (tests/lib/mkhostile.py cert-repair).
 * The old code copied that one into the buffer sized for the shorter
 * (ASan: heap-buffer-overflow in read_cert; the plain build aborted in
 * malloc).  Now the copy stops at what was counted: one signature, with
 * no valid value, and the verdict tampered.
 */
static void
test_cert_repair(void **state)
{
	struct verify_report r;
	const char *f = fresh("cert-repair");

	(void)state;
	assert_int_equal(run("python3 tests/lib/mkhostile.py make cert-repair '%s'", f), 0);
	check(f, F.trust, NULL, NULL, 1, &r);
	assert_int_equal(r.nsig, 1);
	assert_int_equal(r.sig[0].integrity, VI_FAILED);
	verify_report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),
		cmocka_unit_test(test_countersigned),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_signature_timestamp),
		cmocka_unit_test(test_document_timestamp),
		cmocka_unit_test(test_undecided),
		cmocka_unit_test(test_revs_find),
		cmocka_unit_test(test_cert_repair),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
