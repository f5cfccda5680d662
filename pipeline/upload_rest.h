/*
 * upload_rest.h - the rest of an upload that was taken incomplete.
 *
 * A client that closes between chunks leaves a PDF cut short; sertel takes
 * it with its sidecar and refuses it (pdf.incomplete, the pair goes to
 * failed/<pd>/).  What the client sends afterwards under the same name lies
 * alone in incoming/<pd>/ and would be refused, after the wait, as a stray
 * sidecar.missing or input.unpaired.  It is reported as what it is instead
 * (input.upload_rest) when, within UPLOAD_REST_DAYS of that refusal, the
 * lone file is:
 *   - the PDF again, beginning with the bytes that were refused (the whole
 *     file, re-sent without its sidecar, which went to failed/ with the cut one);
 *   - a PDF-named file that does not begin with "%PDF-" (only the missing
 *     part: a client that resumed at an offset);
 *   - the sidecar alone (the second half of the interrupted copy).
 * A different, whole PDF of the same name is not the rest: it stays
 * sidecar.missing.  Only the name, the PD, the database's record and the
 * bytes decide; nothing is remembered besides the jobs table.
 */
#ifndef SERTEL_UPLOAD_REST_H
#define SERTEL_UPLOAD_REST_H

#include <stddef.h>

#include "../db/refusals.h"
#include "../spool/spool.h"

#define UPLOAD_REST_DAYS 7	/* how long a cut-off upload's rest is recognised */

struct db;

/* The kinds of rest (what the report says). */
enum upload_rest {
	REST_NONE = 0,
	REST_WHOLE,		/* the PDF again, the refused bytes its beginning */
	REST_TAIL,		/* not the beginning of a PDF */
	REST_SIDECAR,		/* the sidecar alone */
};

/*
 * upload_rest_of - is the lone file d (a sidecar.missing or input.unpaired
 * reject) of spool s the rest of an upload refused as pdf.incomplete since
 * `since`?  The kind, with that refusal in *earlier; REST_NONE otherwise
 * (also when the database cannot answer: the ordinary refusal is right too).
 */
enum upload_rest upload_rest_of(struct db *db, struct spool *s, const struct drop *d,
				long long since, struct db_refusal *earlier);

/*
 * upload_rest_detail - the report's detail for job j refused as
 * input.upload_rest: which upload it continues, in Bahasa Indonesia.
 */
void upload_rest_detail(struct db *db, struct spool *s, const struct job *j, long long since,
			char *buf, size_t cap);

#endif
