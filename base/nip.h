/*
 * nip.h - the structure of Indonesian identity numbers.
 *
 * NIP (Nomor Induk Pegawai, 18 digits): birth date YYYYMMDD, appointment
 * (TMT CPNS) YYYYMM, sex 1 (male) or 2 (female), sequence 001-999.
 * NIK (Nomor Induk Kependudukan, 16 digits): province, regency and district
 * codes (2+2+2), birth date DDMMYY with 40 added to the day for women,
 * sequence 0001-9999.
 * A number that passes is plausible, not proven to exist: the officials
 * list and the certificate registry say who is real.
 */
#ifndef SERTEL_NIP_H
#define SERTEL_NIP_H

#include <stddef.h>
#include <time.h>

enum nip_kind { NIP_INVALID, NIP_NIP, NIP_NIK };

/*
 * nip_check - classify id as NIP or NIK, checked against its structure at
 * time now; NIP_INVALID with why (English, names the position) otherwise.
 */
enum nip_kind nip_check(const char *id, time_t now, char *why, size_t cap);
/*
 * nip_mask - n with all but its last three digits as '*' in buf: enough to
 * tell two signers apart, not a birth date.  n itself when it does not fit.
 */
const char *nip_mask(const char *n, char *buf, size_t cap);

#endif
