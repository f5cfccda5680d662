/*
 * verify_lost.h - signatures a later revision took out of the form.  An
 * incremental-saving attack rewrites the catalog or the form so that a
 * signature is no longer reachable, then changes the pages: the signature
 * dictionary is still in the file, in the revision it signed.  Each such
 * signature is found in that revision and judged like the others, its
 * removal among the later changes.
 */
#ifndef SERTEL_VERIFY_LOST_H
#define SERTEL_VERIFY_LOST_H

#include <stddef.h>

#include <mupdf/fitz.h>

#include "verify_bytes.h"
#include "verify_sig.h"
#include "verify_types.h"

/*
 * verify_lost_sigs - every signature whose /ByteRange ends a revision
 * before the last one, that the form of that revision holds and r does not:
 * appended to f and r (f->v[i].field and .sig NULL: they belong to a
 * document already closed).  Returns 0, or -1 when out of memory; catches
 * MuPDF's exceptions itself.
 */
int verify_lost_sigs(fz_context *ctx, const unsigned char *p, size_t len,
		     const struct verify_revs *rv, struct verify_finds *f, struct verify_report *r);

#endif
