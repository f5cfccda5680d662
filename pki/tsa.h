/*
 * tsa.h - RFC 3161 signature timestamps for PAdES B-T.
 *
 * A worker process owns one client: one libcurl easy handle (kept, so the
 * connection to a TSA is reused from document to document), the TSA trust
 * anchors and the basic-auth passwords, read once after the fork.
 * tsa_stamp is a pades_timestamp_fn: it asks the configured TSAs in order
 * for a token over the signature value and returns the first token that
 * passes tsa_check.  Nothing is cached between documents but the connection.
 *
 * Rate limit, per TSA and across processes: workers are separate processes
 * (and a second sertel may run beside the daemon), so the limit lives in the
 * state folder: STATE/tsa-<16 hex of SHA-256(url)>.rate holds the time of
 * the last request sent to that TSA.  A worker takes flock(LOCK_EX) on it,
 * sleeps until min_interval_ms has passed since that time, writes the new
 * time and lets go before the request goes out.  Waiting workers queue on the
 * lock, so requests leave at least min_interval_ms apart whatever the number
 * of workers.  The kernel drops the lock of a worker that is killed, so a
 * stuck lock cannot outlive its holder.  Without min_interval_ms the file is
 * never touched.
 *
 * Errors: timestamp.unavailable (no TSA answered: refused, timed out, HTTP
 * error), timestamp.invalid (at least one TSA answered, and no answer was a
 * valid token: not DER, rejected, imprint or nonce mismatch, untrusted or
 * unfit TSA certificate, genTime too far from our clock), sign.failed (the
 * client itself cannot work, e.g. an unreadable password file).
 */
#ifndef SERTEL_TSA_H
#define SERTEL_TSA_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "../base/err.h"

#define TSA_MAX_SKEW	300		/* seconds genTime may differ from our clock */
#define TSA_MAX_REPLY	(256 * 1024)	/* a token is a few KiB; more is not a TSA */

struct cfg;
struct tsa_client;

/*
 * tsa_client_new - the client of this process for c's TSAs; NULL when c
 * configures none (or memory ran out: callers then refuse to sign).  A client
 * whose setup failed (trust anchors, password file, libcurl) is still
 * returned: each tsa_stamp reports why.  Call after fork(): it initializes
 * libcurl for this process.
 */
struct tsa_client *tsa_client_new(const struct cfg *c);
void tsa_client_free(struct tsa_client *t);

/* tsa_stamp - a pades_timestamp_fn over client, a struct tsa_client. */
int tsa_stamp(void *client, const unsigned char *sig, size_t siglen, unsigned char **token,
	      size_t *tokenlen, struct err *e);

/* The parts, for tests. */

/* tsa_query - TimeStampReq over md(data): fresh 64-bit nonce, certReq true. */
TS_REQ *tsa_query(const EVP_MD *md, const unsigned char *data, size_t len, struct err *e);
/* tsa_trust - a store with the PEM anchors in files; NULL with e (sign.failed). */
X509_STORE *tsa_trust(char *const *files, size_t n, struct err *e);
/*
 * tsa_check - der must be a TimeStampResp answering req: status granted,
 * signature by a certificate that chains to trust and whose only extended key
 * usage is a critical timeStamping, imprint and nonce of req, genTime within
 * TSA_MAX_SKEW of now.  On success the DER TimeStampToken in *token
 * (OPENSSL_malloc); else -1 with e (timestamp.invalid).
 */
int tsa_check(X509_STORE *trust, TS_REQ *req, const unsigned char *der, size_t len, time_t now,
	      unsigned char **token, size_t *tokenlen, struct err *e);
/* tsa_rate_wait - the cross-process rate limit for url (see above); 0, or -1 if unusable. */
int tsa_rate_wait(const char *state_dir, const char *url, long min_interval_ms);

#endif
