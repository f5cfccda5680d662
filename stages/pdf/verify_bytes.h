/*
 * verify_bytes.h - the verifier's view of the raw bytes, never MuPDF's:
 * where the revisions end ("startxref N %%EOF"), whether a /ByteRange names
 * bytes of the file, and what it covers (the whole file, an earlier
 * revision, or nothing valid: the unsigned gap must be exactly the <hex>
 * string of /Contents).
 */
#ifndef SERTEL_VERIFY_BYTES_H
#define SERTEL_VERIFY_BYTES_H

#include <stddef.h>

#include <openssl/evp.h>

#include "verify_types.h"

/* Where each revision ends: just after "%%EOF", and after its end-of-line. */
struct verify_revs {
	size_t *eof, *end;
	int n;
};

/* verify_revs_find - every "startxref N %%EOF" of the file, in file order; -1 out of memory. */
int verify_revs_find(const unsigned char *p, size_t len, struct verify_revs *rv);
/* verify_revs_free - release what verify_revs_find found (safe on a zeroed one). */
void verify_revs_free(struct verify_revs *rv);

/* verify_only_ws - whether p[from..len) is all PDF white space. */
int verify_only_ws(const unsigned char *p, size_t from, size_t len);

/* verify_ranges_in_file - whether [0 a b c] are four numbers naming bytes of the file. */
int verify_ranges_in_file(const struct verify_sig *s, size_t len);

/* A span of bytes to digest or sign: a range of the file, or a buffer. */
struct verify_span {
	const unsigned char *p;
	size_t n;
};

/* verify_ranges - the two spans /ByteRange names (check verify_ranges_in_file first). */
void verify_ranges(const struct verify_sig *s, const unsigned char *p, struct verify_span sp[2]);

/*
 * verify_digest - md over the n spans into out (EVP_MAX_MD_SIZE bytes);
 * *outlen: for an extendable-output digest (SHAKE) the length wanted, 0 for
 * its usual one; the length written on return.  0, or -1.
 */
int verify_digest(const EVP_MD *md, const struct verify_span *sp, int n, unsigned char *out,
		  unsigned int *outlen);

/*
 * verify_no_value - when the signature dictionary holds no signature value
 * (no /Contents, an empty one, or only the zero-filled placeholder): sets
 * s->integrity to failed with why (what) and returns 1; else 0.
 */
int verify_no_value(struct verify_sig *s, const struct verify_value *v, const char *what);

/*
 * verify_coverage - /ByteRange sanity on the raw bytes: sets s->coverage
 * (with why), s->end and s->revision.  contents is the signature's
 * /Contents as MuPDF read it (clen bytes, NULL when empty).
 */
void verify_coverage(struct verify_sig *s, const unsigned char *p, size_t len,
		     const struct verify_revs *rv, const unsigned char *contents, size_t clen);

#endif
