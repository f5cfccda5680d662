/*
 * berita_pdf.h - the signed berita acara PDF of a deletion carried out (berita_pdf.c).
 */
#ifndef SERTEL_BERITA_PDF_H
#define SERTEL_BERITA_PDF_H

#include "../base/err.h"
#include "../db/deletions.h"
#include "berita.h"

struct cfg;
struct db;

/* The signed berita acara: its own ID TTE, digest, size and store copy. */
struct berita_pdf {
	char id[17];
	char sha256[65];
	size_t size;
	char store[128];	/* "store/aa/<sha>.pdf", relative to the state folder */
	int deferred;		/* signed B-B: `sertel augment` adds the timestamp */
};

/* The scanned paper form (lampiran), already checked to be a PDF, attached as an embedded file. */
struct berita_scan {
	const unsigned char *data;
	size_t len;
	const char *name;		/* its file name in the PDF's attachments */
};

/*
 * berita_pdf_deliver - b as carried out (d: its number, IDs and reasons),
 * signed once: in the Lampiran III layout, signed by deletion.service_signer
 * with a visible mark (its marks: profile, else a text mark in the lower
 * right corner of the last page), the scan (NULL: none) attached inside the
 * signed revision (EmbeddedFiles, application/pdf, with its checksum), timestamped when TSAs are configured, kept
 * in the store and recorded in db as a signed document (type
 * DB_BERITA_TYPE, made from the berita acara file file); then written
 * atomically from the store copy as dirfd/name unless it is there.  A retry
 * after a crash finds the record and only delivers: never a second
 * signature, never a second ID.  *bp says what was signed.  0, or -1 with e
 * (the signer's key not loaded: its signer.* code; sign.failed; timestamp.*;
 * io.error; a database error).
 */
int berita_pdf_deliver(const struct cfg *c, struct db *db, const struct berita *b,
		       const struct db_deletion *d, const struct berita_scan *scan,
		       const char *file, int dirfd, const char *name, struct berita_pdf *bp,
		       struct err *e);

#endif
