/*
 * cert_remind.h - the daemon's daily reminder of certificates about to end.
 */
#ifndef SERTEL_CERT_REMIND_H
#define SERTEL_CERT_REMIND_H

#include <time.h>

struct cfg;
struct db;

#define CERT_REMIND_DAYS 30

/*
 * cert_remind - under watch with certs: configured, once per WIB day (the
 * first call of the day), a warning in the log for every issued certificate whose
 * validity ends within CERT_REMIND_DAYS days of now.  The number warned
 * about; 0 when it is not yet time again.
 */
int cert_remind(struct db *db, const struct cfg *c, int watch, time_t now);

#endif
