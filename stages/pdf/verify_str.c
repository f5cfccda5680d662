/*
 * verify_str.c - the strings of a verification report (see verify_str.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "verify_str.h"

void
verify_setf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

void
verify_fmt_time(time_t t, int iso, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC", &tm);
}

time_t
verify_asn1_time(const ASN1_TIME *a)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (a == NULL || !ASN1_TIME_to_tm(a, &tm))
		return 0;
	return timegm(&tm);
}

void
verify_name_str(const X509_NAME *n, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_read(b, out, (int)cap - 1);
		out[len > 0 ? len : 0] = '\0';
	}
	BIO_free(b);
}

void
verify_serial_str(const X509 *x, char *out, size_t cap)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	verify_setf(out, cap, "%s", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}
