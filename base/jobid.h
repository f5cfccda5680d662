/*
 * jobid.h - the ID Tanda Tangan Elektronik, which is also the job id.
 *
 * 16 symbols from a 32-letter alphabet without 0/O/1/I: 80 bits from the
 * kernel CSPRNG, easy to read aloud and to type from a printed letter.
 */
#ifndef SERTEL_JOBID_H
#define SERTEL_JOBID_H

#define JOBID_LEN 16

/* jobid_new - fill id (JOBID_LEN + 1 bytes) with a fresh id; -1 if the CSPRNG fails. */
int jobid_new(char id[JOBID_LEN + 1]);
/* jobid_valid - 1 if s is exactly a well-formed id (check before building any path from it). */
int jobid_valid(const char *s);

#endif
