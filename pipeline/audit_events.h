/*
 * audit_events.h - the audit records the master writes outside a group
 * commit: the configuration it runs with, and deliveries retried later.
 * (Claims and outcomes are recorded by db/ in their own transactions.)
 */
#ifndef SERTEL_AUDIT_EVENTS_H
#define SERTEL_AUDIT_EVENTS_H

#include "../base/err.h"
#include "../spool/spool.h"

struct db;

/*
 * audit_config - "config.loaded" (the first call in this process) or
 * "config.reloaded", with the file's path and SHA-256.  -1 with e when it
 * cannot be written (the database is locked, full): the run does not start,
 * as when a claim cannot be recorded.
 */
int audit_config(struct db *db, const char *path, struct err *e);
/* audit_delivered - the "delivered" record of a job a retry moved out of the queue. */
void audit_delivered(struct db *db, const struct job *j, int failed, const char *stem);

#endif
