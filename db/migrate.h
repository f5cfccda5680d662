/*
 * migrate.h - the schema: forward migrations, applied when a read-write
 * connection opens.
 */
#ifndef SERTEL_MIGRATE_H
#define SERTEL_MIGRATE_H

#include "../base/err.h"

struct db;

/* migrate_run - bring the schema to the newest version; -1 with e (newer than we know, or a step failed). */
int migrate_run(struct db *db, struct err *e);

#endif
