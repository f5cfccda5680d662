/*
 * berita_pdf.h - the signed berita acara PDF of a deletion carried out (berita_pdf.c).
 */
#ifndef SERTEL_BERITA_PDF_H
#define SERTEL_BERITA_PDF_H

#include "../base/err.h"
#include "../db/deletions.h"
#include "berita.h"

struct cfg;

/* The signed berita acara: its own ID TTE, digest, size and store copy. */
struct berita_pdf {
	char id[17];
	char sha256[65];
	size_t size;
	char store[96];		/* "store/aa/<sha>.pdf", relative to the state folder */
};

/*
 * berita_pdf_write - b as carried out (d: its number, IDs and reasons) in the
 * Lampiran III layout, signed by deletion.service_signer with a visible mark
 * (its marks: profile, else a text mark in the lower right corner of the last
 * page), kept in the store and written atomically as dirfd/name; *bp
 * says what was written.  0, or -1 with e (the signer's key not loaded: its
 * signer.* code; sign.failed; io.error).
 */
int berita_pdf_write(const struct cfg *c, const struct berita *b, const struct db_deletion *d,
		     int dirfd, const char *name, struct berita_pdf *bp, struct err *e);

#endif
