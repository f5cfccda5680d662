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
 * schema to the newest version; a database of an older schema is first
 * copied to STATE/sertel.db.pre-schema-N (N its version; an existing copy
 * is kept).  -1 with e (newer than we know, the copy or a step failed).
 */
int migrate_run(struct db *db, const char *state_dir, struct err *e);
/* migrate_count, migrate_sql - the number of steps and step i's SQL (tests build old schemas). */
int migrate_count(void);
const char *migrate_sql(int i);

#endif
