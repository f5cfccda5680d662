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

/*
 * verify_coverage - /ByteRange sanity on the raw bytes: sets s->coverage
 * (with why), s->end and s->revision.  contents is the signature's
 * /Contents as MuPDF read it (clen bytes, NULL when empty).
 */
void verify_coverage(struct verify_sig *s, const unsigned char *p, size_t len,
		     const struct verify_revs *rv, const unsigned char *contents, size_t clen);

#endif
