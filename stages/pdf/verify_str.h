/*
 * verify_str.h - the strings of a verification report, shared by the pieces
 * of the verifier: bounded printf into the report's fixed buffers, times,
 * and the names and serials of certificates.
 */
#ifndef SERTEL_VERIFY_STR_H
#define SERTEL_VERIFY_STR_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

/* verify_setf - printf into a fixed buffer, truncating. */
void verify_setf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* SETF - verify_setf into an array (its size known). */
#define SETF(buf, ...) verify_setf((buf), sizeof(buf), __VA_ARGS__)

/* verify_fmt_time - "2026-01-02 03:04:05 UTC" (iso=0) or "2026-01-02T03:04:05Z" (iso=1). */
void verify_fmt_time(time_t t, int iso, char out[32]);
/* verify_asn1_time - an ASN1_TIME as time_t; 0 when it cannot be read. */
time_t verify_asn1_time(const ASN1_TIME *a);
/* verify_name_str - a distinguished name in RFC 2253 form, UTF-8 kept. */
void verify_name_str(const X509_NAME *n, char *out, size_t cap);
/* verify_serial_str - a certificate serial as upper-case hex (as keystore.c records it). */
void verify_serial_str(const X509 *x, char *out, size_t cap);

#endif
