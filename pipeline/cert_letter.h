/*
 * cert_letter.h - the Lampiran II recommendation letter of a certificate
 * application (Perbup Musi Rawas 55/2023), filled with the request's data.
 */
#ifndef SERTEL_CERT_LETTER_H
#define SERTEL_CERT_LETTER_H

#include <time.h>

#include "../base/err.h"

struct cfg;
struct db_cert_holder;

/*
 * cert_letter_write - the letter as a PDF at path: the recommending official
 * rec (what is known of them; empty fields stay the form's blanks) recommends
 * holder h, dated now (WIB), ready to print and sign (or to sign with
 * sertel).  0, or -1 with e (io.error).
 */
int cert_letter_write(const struct cfg *c, const struct db_cert_holder *rec,
		      const struct db_cert_holder *h, time_t now, const char *path, struct err *e);

#endif
