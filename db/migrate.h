/*
 * migrate.h - the schema: forward migrations, applied when a read-write
 * connection opens.
 */
#ifndef SERTEL_MIGRATE_H
#define SERTEL_MIGRATE_H

#include "../base/err.h"

struct db;

/*
 * migrate_check - the file is sertel's database: it passes the engine's
 * quick check, and it is either new and empty or holds sertel's tables
 * (*version, the schema version).  -1 with e (DB_CODE_RESTORE when it is not).
 */
int migrate_check(struct db *db, int *version, struct err *e);
/*
 * migrate_run - after migrate_check (and the driver's durable), bring the
 * schema to the newest version; -1 with e (newer than we know, or a step failed).
 */
int migrate_run(struct db *db, struct err *e);

#endif
