/*
 * backup.h - what a backup of the state needs from the database: a copy of
 * one moment (db_backup, through the driver) and, from that copy, the
 * store files it points at (db_store_list), so the copy and the files
 * agree.  The procedure itself (files, manifest, restore) is
 * pipeline/cmd_backup.c's; schema migrations take such a copy first
 * (migrate.c).
 */
#ifndef SERTEL_BACKUP_H
#define SERTEL_BACKUP_H

#include "../base/err.h"

struct db;

/* db_backup - the database as of now into the new file path, durable; 0 or -1 with e. */
int db_backup(struct db *db, const char *path, struct err *e);

/* A db_store_list callback: a stored document's store path and its copy's SHA-256; -1 with e stops. */
typedef int (*db_store_fn)(void *arg, const char *id, const char *store_path, const char *sha,
			   struct err *e);
/* db_store_list - every document whose copy is kept, by ID; how many, or -1 with e. */
int db_store_list(struct db *db, db_store_fn fn, void *arg, struct err *e);

#endif
