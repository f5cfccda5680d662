/*
 * verify_certs.h - parsing a signature's CMS with the certificates a caller
 * has already parsed.
 *
 * OpenSSL 3.0 spends ~0.1 ms decoding the public key of every certificate it
 * parses (a decoder context per key); a CMS carries the signer's certificate
 * and its chain, the same ones document after document.  A worker's own
 * verification keeps them here, keyed by their DER, and the CMS is parsed
 * without its certificates, which are then added from the cache: the same
 * structure as parsing it whole (same certificates, same order), for less.
 */
#ifndef SERTEL_VERIFY_CERTS_H
#define SERTEL_VERIFY_CERTS_H

#include <openssl/cms.h>

struct verify_certcache;

/* verify_certcache_new - an empty cache; NULL when out of memory. */
struct verify_certcache *verify_certcache_new(void);
void verify_certcache_free(struct verify_certcache *cc);

/*
 * verify_cms_parse - d2i_CMS_ContentInfo of the len bytes at p (trailing
 * bytes ignored, as d2i does), the certificates taken from cc (parsed and
 * kept there when new).  A CMS this does not take apart plainly (BER
 * indefinite lengths, other certificate choices, a certificate that does not
 * parse, a duplicate) is parsed whole, as without a cache; cc NULL: always.
 * NULL when it is not a CMS.
 */
CMS_ContentInfo *verify_cms_parse(struct verify_certcache *cc, const unsigned char *p, long len);

/* verify_certcache_hits - certificates taken from the cache so far (tests). */
unsigned long verify_certcache_hits(const struct verify_certcache *cc);

#endif
