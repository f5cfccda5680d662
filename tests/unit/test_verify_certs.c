/*
 * test_verify_certs.c - stages/pdf/verify_certs.c: a CMS parsed with cached
 * certificates is the CMS parsed whole (same DER when written out again,
 * same certificates in the same order); the second parse takes them from the
 * cache, and a certificate changed by one byte is not taken for the cached
 * one; what it does not take apart plainly (BER indefinite lengths) is
 * parsed whole; not a CMS stays NULL.
 * Keys and certificates are made in-process (EC P-256).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "../../stages/pdf/verify_certs.h"

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca, *leaf;
static unsigned char *der;	/* a detached CMS with leaf and ca */
static int derlen;

/* cert - a certificate for cn signed by issuer (itself when NULL). */
static X509 *
cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, ikey ? ikey : key, EVP_sha256()) > 0);
	X509_NAME_free(n);
	return x;
}

static int
setup(void **state)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	BIO *data = BIO_new_mem_buf("the signed bytes", -1);
	CMS_ContentInfo *cms;

	(void)state;
	ca_key = EVP_EC_gen("P-256");
	leaf_key = EVP_EC_gen("P-256");
	ca = cert("Uji CA", ca_key, NULL, NULL, 1);
	leaf = cert("Uji Penandatangan", leaf_key, ca, ca_key, 2);
	sk_X509_push(chain, ca);
	cms = CMS_sign(leaf, leaf_key, chain, data, CMS_DETACHED | CMS_BINARY);
	if (cms == NULL)
		return -1;
	derlen = i2d_CMS_ContentInfo(cms, &der);
	CMS_ContentInfo_free(cms);
	sk_X509_free(chain);
	BIO_free(data);
	return derlen > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	OPENSSL_free(der);
	X509_free(ca);
	X509_free(leaf);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	return 0;
}

/* same_as_whole - cms written out again is the bytes at p (a parse whole of them). */
static void
same_as_whole(CMS_ContentInfo *cms, const unsigned char *p, long len)
{
	const unsigned char *q = p;
	CMS_ContentInfo *whole = d2i_CMS_ContentInfo(NULL, &q, len);
	unsigned char *a = NULL, *b = NULL;
	int na, nb;

	assert_non_null(cms);
	assert_non_null(whole);
	na = i2d_CMS_ContentInfo(cms, &a);
	nb = i2d_CMS_ContentInfo(whole, &b);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, (size_t)na);
	OPENSSL_free(a);
	OPENSSL_free(b);
	CMS_ContentInfo_free(whole);
}

/* certs_are_ca_leaf - the CMS's certificates, as CMS_sign wrote them: ca then leaf. */
static void
certs_are_ca_leaf(CMS_ContentInfo *cms)
{
	STACK_OF(X509) *certs = CMS_get1_certs(cms);

	assert_int_equal(sk_X509_num(certs), 2);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 0), ca), 0);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 1), leaf), 0);
	sk_X509_pop_free(certs, X509_free);
}

static void
test_cached_is_whole(void **state)
{
	struct verify_certcache *cc = verify_certcache_new();
	CMS_ContentInfo *a, *b;
	unsigned char *padded = calloc(1, (size_t)derlen + 4096);

	(void)state;
	/* /Contents is the CMS then zeros: trailing bytes are ignored */
	memcpy(padded, der, (size_t)derlen);
	a = verify_cms_parse(cc, padded, derlen + 4096);
	same_as_whole(a, der, derlen);
	certs_are_ca_leaf(a);
	assert_int_equal(verify_certcache_hits(cc), 0);
	b = verify_cms_parse(cc, der, derlen);
	same_as_whole(b, der, derlen);
	certs_are_ca_leaf(b);
	assert_int_equal(verify_certcache_hits(cc), 2);
	/* the signature still verifies with the signer certificate from the cache */
	{
		BIO *data = BIO_new_mem_buf("the signed bytes", -1);
		X509_STORE *st = X509_STORE_new();

		X509_STORE_add_cert(st, ca);
		assert_int_equal(CMS_verify(b, NULL, st, data, NULL,
					    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY), 1);
		X509_STORE_free(st);
		BIO_free(data);
	}
	CMS_ContentInfo_free(a);
	CMS_ContentInfo_free(b);
	/* the cache keeps its own references: a, b freed, it still serves */
	a = verify_cms_parse(cc, der, derlen);
	certs_are_ca_leaf(a);
	assert_int_equal(verify_certcache_hits(cc), 4);
	CMS_ContentInfo_free(a);
	verify_certcache_free(cc);
	free(padded);
}

static void
test_no_cache(void **state)
{
	CMS_ContentInfo *a = verify_cms_parse(NULL, der, derlen);

	(void)state;
	same_as_whole(a, der, derlen);
	CMS_ContentInfo_free(a);
}

/* BER: the outer SEQUENCE with an indefinite length is parsed whole, the same. */
static void
test_indefinite(void **state)
{
	struct verify_certcache *cc = verify_certcache_new();
	unsigned char *ber = malloc((size_t)derlen + 4);
	const unsigned char *q = der;
	long n;
	int tag, cls, hl, len;
	CMS_ContentInfo *a;

	(void)state;
	ASN1_get_object(&q, &n, &tag, &cls, derlen);
	hl = (int)(q - der);
	ber[0] = 0x30, ber[1] = 0x80;
	memcpy(ber + 2, der + hl, (size_t)(derlen - hl));
	len = 2 + derlen - hl;
	ber[len] = ber[len + 1] = 0;
	len += 2;
	a = verify_cms_parse(cc, ber, len);
	assert_non_null(a);
	certs_are_ca_leaf(a);
	assert_int_equal(verify_certcache_hits(cc), 0);
	CMS_ContentInfo_free(a);
	a = verify_cms_parse(cc, ber, len);
	assert_int_equal(verify_certcache_hits(cc), 0);
	CMS_ContentInfo_free(a);
	verify_certcache_free(cc);
	free(ber);
}

/*
 * A certificate changed by one byte (its signature: the DER still parses)
 * after the intact one was cached: the changed one is in the CMS, as a parse
 * whole gives it, never the cached one.  Truncated: no CMS either way.
 */
static void
test_bad_cert(void **state)
{
	struct verify_certcache *cc = verify_certcache_new();
	unsigned char *bad = malloc((size_t)derlen);
	unsigned char *leafder = NULL;
	int leaflen = i2d_X509(leaf, &leafder);
	unsigned char *at;
	const unsigned char *q;
	CMS_ContentInfo *a, *whole;

	(void)state;
	memcpy(bad, der, (size_t)derlen);
	at = memmem(bad, (size_t)derlen, leafder, (size_t)leaflen);
	assert_non_null(at);
	at[leaflen - 10] ^= 0xFF;
	CMS_ContentInfo_free(verify_cms_parse(cc, der, derlen));
	q = bad;
	whole = d2i_CMS_ContentInfo(NULL, &q, derlen);
	a = verify_cms_parse(cc, bad, derlen);
	assert_non_null(whole);
	same_as_whole(a, bad, derlen);
	assert_int_equal(verify_certcache_hits(cc), 1);	/* the ca only */
	assert_null(verify_cms_parse(cc, der, derlen / 2));
	assert_null(verify_cms_parse(cc, (const unsigned char *)"\x30\x03\x02\x01", 4));
	CMS_ContentInfo_free(a);
	CMS_ContentInfo_free(whole);
	OPENSSL_free(leafder);
	verify_certcache_free(cc);
	free(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_is_whole),
		cmocka_unit_test(test_no_cache),
		cmocka_unit_test(test_indefinite),
		cmocka_unit_test(test_bad_cert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
