/*
 * test_pki.c - trust anchors and the keystore backends.
 *
 * Fixtures are made here (run from the repo root): a throwaway PKI with
 * tests/lib/pki.sh in a mkdtemp directory, a CRL of its root CA next to the
 * CA in one PEM file, and configurations naming keystores with and without a
 * scheme.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "../../config/cfg.h"
#include "../../pki/anchors.h"
#include "../../pki/keystore.h"
#include "fixture.h"

#define PASS "rahasia-uji-123"
#define WRONG "salah-sandi-123"

static char dir[64];

/* path - dir/name (fixture.h's ring of buffers). */
static const char *
path(const char *name)
{
	return dir_path(dir, name);
}

/* make_crl - pki/ca-crl.pem: the root CA and an empty CRL it signed. */
static int
make_crl(void)
{
	FILE *f = fopen(path("pki/ca.pem"), "r");
	X509 *ca = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *key = NULL;
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *last = ASN1_TIME_set(NULL, time(NULL));
	ASN1_TIME *next = ASN1_TIME_set(NULL, time(NULL) + 30 * 86400);
	int ok;

	if (f)
		fclose(f);
	if ((f = fopen(path("pki/ca.key"), "r")) != NULL) {
		key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	ok = ca && key && crl && last && next && X509_CRL_set_version(crl, 1) &&
	     X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) &&
	     X509_CRL_set1_lastUpdate(crl, last) && X509_CRL_set1_nextUpdate(crl, next) &&
	     X509_CRL_sign(crl, key, EVP_sha256()) > 0 &&
	     (f = fopen(path("pki/ca-crl.pem"), "w")) != NULL;
	if (ok) {
		ok = PEM_write_X509(f, ca) && PEM_write_X509_CRL(f, crl);
		ok = fclose(f) == 0 && ok;
	}
	ASN1_TIME_free(last);
	ASN1_TIME_free(next);
	X509_CRL_free(crl);
	EVP_PKEY_free(key);
	X509_free(ca);
	return ok ? 0 : -1;
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/sertel-pki-XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(dir, sizeof dir, "%s", tmpl);
	if (run("sh tests/lib/pki.sh '%s'", path("pki")) != 0 || make_crl() < 0)
		return -1;
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	if (getenv("KEEP_PKI_TMP") == NULL && dir[0])
		run("rm -rf '%s'", dir);
	(void)state;
	return 0;
}

/* count - the certificates and CRLs in st. */
static void
count(X509_STORE *st, int *certs, int *crls)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(st);
	int i;

	*certs = *crls = 0;
	for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
		X509_OBJECT *o = sk_X509_OBJECT_value(objs, i);

		*certs += X509_OBJECT_get_type(o) == X509_LU_X509;
		*crls += X509_OBJECT_get_type(o) == X509_LU_CRL;
	}
}

/* chains - whether the PEM certificate in name chains to st. */
static int
chains(X509_STORE *st, const char *name)
{
	FILE *f = fopen(path(name), "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok;

	if (f)
		fclose(f);
	ok = x && ctx && X509_STORE_CTX_init(ctx, st, x, NULL) == 1 && X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_free(x);
	return ok;
}

/* One PEM file: a certificate and a CRL both count; a duplicate is no error. */
static void
test_anchors_add_file(void **state)
{
	X509_STORE *st = X509_STORE_new();
	int certs, crls;

	assert_non_null(st);
	assert_int_equal(anchors_add_file(st, path("pki/ca-crl.pem")), 0);
	count(st, &certs, &crls);
	assert_int_equal(certs, 1);
	assert_int_equal(crls, 1);
	assert_true(chains(st, "pki/sub.pem"));

	/* the same anchor again, alone and with its CRL: still one of each */
	assert_int_equal(anchors_add_file(st, path("pki/ca.pem")), 0);
	assert_int_equal(anchors_add_file(st, path("pki/ca-crl.pem")), 0);
	count(st, &certs, &crls);
	assert_int_equal(certs, 1);
	assert_int_equal(crls, 1);

	/* several certificates in one file */
	assert_int_equal(anchors_add_file(st, path("pki/chain.pem")), 0);
	count(st, &certs, &crls);
	assert_int_equal(certs, 2);

	/* neither a certificate nor a CRL: a PEM private key, a text file, nothing */
	assert_int_equal(anchors_add_file(st, path("pki/signer-rsa.key")), -1);
	assert_int_equal(anchors_add_file(st, path("pki/pass.txt")), -1);
	assert_int_equal(anchors_add_file(st, path("pki/tidak-ada.pem")), -1);
	assert_int_equal(anchors_add_file(st, path("pki")), -1);
	count(st, &certs, &crls);
	assert_int_equal(certs, 2);
	assert_int_equal(crls, 1);
	X509_STORE_free(st);
	(void)state;
}

/* A store from two lists, with the caller's code and wording on failure. */
static void
test_anchors_load(void **state)
{
	char *trust[] = { (char *)path("pki/ca-crl.pem"), (char *)path("pki/ca.pem") };
	char *more[] = { (char *)path("pki/sub.pem") };
	char *bad[] = { (char *)path("pki/ca.pem"), (char *)path("pki/signer-ec.key") };
	struct err e = { 0 };
	X509_STORE *st;
	int certs, crls;

	st = anchors_load(trust, 2, more, 1, "config.value", "trust anchor", &e);
	assert_non_null(st);
	count(st, &certs, &crls);
	assert_int_equal(certs, 2);
	assert_int_equal(crls, 1);
	X509_STORE_free(st);

	/* no files at all: an empty store, not a failure */
	st = anchors_load(NULL, 0, NULL, 0, "sign.failed", "timestamp trust anchor", &e);
	assert_non_null(st);
	count(st, &certs, &crls);
	assert_int_equal(certs + crls, 0);
	X509_STORE_free(st);

	assert_null(anchors_load(trust, 1, bad, 2, "sign.failed", "timestamp trust anchor", &e));
	assert_string_equal(e.code, "sign.failed");
	assert_non_null(strstr(e.detail, "timestamp trust anchor "));
	assert_non_null(strstr(e.detail, "signer-ec.key: not a readable PEM certificate"));
	assert_null(anchors_load(bad, 2, NULL, 0, "config.value", "trust anchor", &e));
	assert_string_equal(e.code, "config.value");
	assert_true(strncmp(e.detail, "trust anchor ", 13) == 0);
	(void)state;
}

/* signer - a signer whose passphrase comes from pki/pass.txt. */
static struct cfg_signer
signer(const char *keystore)
{
	struct cfg_signer s;

	memset(&s, 0, sizeof s);
	s.nip = "197103012006042006";
	s.keystore_scheme = "pkcs12";
	s.keystore = (char *)keystore;
	s.pass_file = (char *)path("pki/pass.txt");
	return s;
}

/* The PKCS#12 backend opens a file; another scheme is refused. */
static void
test_keystore_schemes(void **state)
{
	struct signer_key a;
	struct err e = { 0 };
	struct cfg_signer s = signer(path("pki/signer-ec.p12"));

	assert_int_equal(keystore_load(&s, &a, &e), 0);
	assert_int_equal(sk_X509_num(a.chain), 2);
	keystore_free(&a);

	/* an unknown scheme: named, with the ones there are; the passphrase file
	 * (missing here) is not even read */
	s.keystore_scheme = "xyz";
	s.keystore = "token=kunci;pin-value=1234";
	s.pass_file = (char *)path("tidak-ada.pass");
	assert_int_equal(keystore_load(&s, &a, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	assert_non_null(strstr(e.detail, "'xyz:'"));
	assert_non_null(strstr(e.detail, "pkcs12"));
	assert_null(strstr(e.detail, "1234"));	/* the rest of the value may hold a PIN */
	assert_null(a.pkey);
	keystore_free(&a);

	(void)state;
}

/* A wrong passphrase, from a file or the environment, never in the detail. */
static void
test_keystore_wrong_pass(void **state)
{
	struct signer_key k;
	struct err e = { 0 };
	struct cfg_signer s = signer(path("pki/signer-rsa.p12"));
	FILE *f = fopen(path("wrong.pass"), "w");

	assert_non_null(f);
	fputs(WRONG "\n", f);
	assert_int_equal(fclose(f), 0);
	s.pass_file = (char *)path("wrong.pass");
	assert_int_equal(keystore_load(&s, &k, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	assert_non_null(strstr(e.detail, "wrong passphrase or corrupt PKCS#12"));
	assert_null(strstr(e.detail, WRONG));
	assert_null(k.pkey);

	s.pass_file = NULL;
	s.pass_env = "SERTEL_TEST_PKI_PASS";
	setenv(s.pass_env, WRONG, 1);
	s.keystore = (char *)path("pki/signer-legacy.p12");
	assert_int_equal(keystore_load(&s, &k, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	assert_null(strstr(e.detail, WRONG));
	setenv(s.pass_env, PASS, 1);
	assert_int_equal(keystore_load(&s, &k, &e), 0);
	keystore_free(&k);
	unsetenv(s.pass_env);
	(void)state;
}

/*
 * sertel.yaml: "pkcs12:PATH" is resolved against the configuration's folder
 * like a plain PATH; another scheme's WHERE is kept as written for
 * keystore_load; a path with a ':' after a '/' has no scheme.
 */
static void
test_keystore_config(void **state)
{
	struct signer_key k;
	struct err e = { 0 };
	struct cfg *c;
	FILE *f = fopen(path("sertel.yaml"), "w");

	assert_non_null(f);
	fputs("instansi: X\nspool: spool\nstate: state\n"
	      "document_types: { surat: { title: Surat } }\n"
	      "signers:\n"
	      "  - { nip: '197103012006042006', name: S, jabatan: K, pd: p,\n"
	      "      keystore: pkcs12:pki/signer-ec.p12, passphrase_file: pki/pass.txt }\n"
	      "  - { nip: '198204152008011002', name: A, jabatan: K, pd: p,\n"
	      "      keystore: ./pki/signer-rsa.p12, passphrase_file: pki/pass.txt }\n"
	      "  - { nip: '198001012010011001', name: B, jabatan: K, pd: p,\n"
	      "      keystore: \"xyz:kunci\", passphrase_file: pki/pass.txt }\n"
	      "  - { nip: '198002022010012002', name: C, jabatan: K, pd: p,\n"
	      "      keystore: \"/tidak/ada:kunci.p12\", passphrase_file: pki/pass.txt }\n"
	      "  - { nip: '198003032010011003', name: D, jabatan: K, pd: p,\n"
	      "      keystore: \"pki/ada:kunci.p12\", passphrase_file: pki/pass.txt }\n", f);
	assert_int_equal(fclose(f), 0);
	c = cfg_load(path("sertel.yaml"), &e);
	if (c == NULL)
		fail_msg("%s: %s", e.code, e.detail);
	assert_int_equal(c->nsigners, 5);
	assert_string_equal(c->signers[0].keystore_scheme, "pkcs12");
	assert_string_equal(c->signers[0].keystore, path("pki/signer-ec.p12"));
	assert_string_equal(c->signers[1].keystore_scheme, "pkcs12");
	assert_string_equal(c->signers[1].keystore, path("pki/signer-rsa.p12"));
	assert_string_equal(c->signers[2].keystore_scheme, "xyz");
	assert_string_equal(c->signers[2].keystore, "kunci");
	assert_string_equal(c->signers[3].keystore_scheme, "pkcs12");
	assert_string_equal(c->signers[3].keystore, "/tidak/ada:kunci.p12");
	assert_string_equal(c->signers[4].keystore_scheme, "pkcs12");
	assert_string_equal(c->signers[4].keystore, path("pki/ada:kunci.p12"));
	assert_int_equal(keystore_load(&c->signers[0], &k, &e), 0);
	keystore_free(&k);
	assert_int_equal(keystore_load(&c->signers[1], &k, &e), 0);
	keystore_free(&k);
	assert_int_equal(keystore_load(&c->signers[2], &k, &e), -1);
	assert_non_null(strstr(e.detail, "'xyz:'"));
	cfg_free(c);
	(void)state;
}

/*
 * pkcs11: URIs refused before any module is loaded (the module named does
 * not exist, so reaching it would say so instead): a PIN in the URI (whose
 * value never appears in the detail), a query, no token, no key, an unknown
 * attribute, a bad percent-encoding.
 */
static void
test_keystore_p11_uri(void **state)
{
	static const struct { const char *uri, *why; } bad[] = {
		{ "token=a;object=b;pin-value=123456", "PIN attribute" },
		{ "token=a;object=b?module-path=/x.so", "query attributes" },
		{ "object=b", "names no token" },
		{ "token=a", "names no key" },
		{ "token=a;object=b;colour=red", "unknown attribute 'colour'" },
		{ "token=a;id=%0", "bad id value" },
		{ "token=a;object=b;type=cert", "type must be private" },
	};
	struct signer_key k;
	struct err e = { 0 };
	struct cfg_signer s = signer("x");
	size_t i;

	s.keystore_scheme = "pkcs11";
	s.p11_module = "/tidak/ada/module.so";
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		s.keystore = (char *)bad[i].uri;
		assert_int_equal(keystore_load(&s, &k, &e), -1);
		assert_string_equal(e.code, "signer.keystore");
		if (!strstr(e.detail, bad[i].why))
			fail_msg("%s: %s", bad[i].uri, e.detail);
		assert_null(strstr(e.detail, "123456"));
		assert_null(strstr(e.detail, "module.so"));
	}
	s.keystore = "token=a;object=b%20c";	/* a good URI: now the module is reached */
	assert_int_equal(keystore_load(&s, &k, &e), -1);
	assert_non_null(strstr(e.detail, "cannot load the PKCS#11 module /tidak/ada/module.so"));
	(void)state;
}

/*
 * keystore_forget_env: the variable leaves the environment (every copy of
 * it) and its bytes are wiped where they were; others are untouched; after
 * it a keystore that needs the variable says to restart.
 */
static void
test_keystore_forget_env(void **state)
{
	extern char **environ;
	struct signer_key k;
	struct err e = { 0 };
	struct cfg_signer s = signer(path("pki/signer-ec.p12"));
	char *entry, **ep;
	size_t len, i;

	setenv("SERTEL_TEST_FORGET", PASS, 1);
	setenv("SERTEL_TEST_KEEP", "tetap", 1);
	s.pass_file = NULL;
	s.pass_env = "SERTEL_TEST_FORGET";
	assert_int_equal(keystore_load(&s, &k, &e), 0);
	keystore_free(&k);
	entry = getenv("SERTEL_TEST_FORGET") - strlen("SERTEL_TEST_FORGET=");
	len = strlen(entry);
	keystore_forget_env("SERTEL_TEST_FORGET");
	assert_null(getenv("SERTEL_TEST_FORGET"));
	for (i = 0; i < len; i++)
		assert_int_equal(entry[i], 0);
	for (ep = environ; *ep; ep++)
		assert_null(strstr(*ep, PASS));
	assert_string_equal(getenv("SERTEL_TEST_KEEP"), "tetap");
	assert_int_equal(keystore_load(&s, &k, &e), -1);
	assert_string_equal(e.code, "signer.keystore");
	assert_non_null(strstr(e.detail, "restart sertel"));
	keystore_forget_env("SERTEL_TEST_FORGET");	/* twice: nothing left, no harm */
	unsetenv("SERTEL_TEST_KEEP");
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchors_add_file),
		cmocka_unit_test(test_anchors_load),
		cmocka_unit_test(test_keystore_schemes),
		cmocka_unit_test(test_keystore_wrong_pass),
		cmocka_unit_test(test_keystore_config),
		cmocka_unit_test(test_keystore_p11_uri),
		cmocka_unit_test(test_keystore_forget_env),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
