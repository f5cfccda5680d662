/*
 * store.h - the digital-copy store: STATE/store/<aa>/<sha256>.pdf.
 *
 * Every signed document is kept here once more, apart from what is handed
 * back in done/.  Content-addressed: a copy's name is the SHA-256 of its
 * bytes (<aa> its first two hex digits, so no folder grows too large); a
 * name never changes meaning, so the same bytes are never stored twice and
 * a copy is never rewritten with other bytes.  Copies are read-only (0440).
 * The database points at a copy by the path store_path() makes, relative
 * to the state folder; nothing else builds that path.
 *
 * Three ways in, each with the durability its caller needs:
 *   store_copy    a file from elsewhere (the group commit): not synced here;
 *                 the caller syncs the whole batch at once (fs_syncfs)
 *                 before the database may point at any of it;
 *   store_put     a buffer (augment): synced before it returns (write a
 *                 temporary name, fsync, rename, fsync the folder);
 *   store_import  a copy from a backup (restore): checked against its
 *                 digest, not synced (the caller syncs before the database
 *                 is put back).
 */
#ifndef SERTEL_STORE_H
#define SERTEL_STORE_H

#include <stddef.h>

/* "store/aa/" + 64 hex digits + ".pdf" + NUL is 78 */
#define STORE_PATH_MAX 80

struct store {
	int state_fd;		/* STATE (the caller's) */
	int dir_fd[256];	/* open STATE/store/<aa> folders, by first byte; 0 = not yet */
	unsigned long used[256];	/* when each was last used: the oldest is closed first */
	int nopen, max_open;	/* at most max_open of them (the descriptor budget) */
	unsigned long tick;
};

/* store_init - a store in the state folder at state_fd; no folder opened yet. */
void store_init(struct store *s, int state_fd);
/* store_limit - keep at most n folders open (1..256; 256 after store_init). */
void store_limit(struct store *s, int n);
/* store_close - release the folders opened so far (a zeroed store is fine). */
void store_close(struct store *s);
/* store_path - "store/<aa>/<sha>.pdf" into rel; -1 (EINVAL) unless sha is 64 lowercase hex digits. */
int store_path(const char *sha, char *rel, size_t cap);
/*
 * store_copy - sdirfd/src as the copy of digest sha, unless that copy
 * exists already; rel its path.  Not synced.  0, or -1 with errno.
 */
int store_copy(struct store *s, const char *sha, int sdirfd, const char *src, char *rel,
	       size_t cap);
/* store_put - buf as the copy of digest sha, durable when it returns; rel its path.  0, or -1 with errno. */
int store_put(struct store *s, const char *sha, const void *buf, size_t len, char *rel,
	      size_t cap);

/* store_file_sha - the SHA-256 of dirfd/path (no symlink) in hex, as copies are named; 0, or -1 with errno (ENOENT: not there). */
int store_file_sha(int dirfd, const char *path, char out[65]);
/*
 * store_import - sdirfd/src, a copy from a backup, as the copy of digest
 * sha: kept when the store holds those bytes already, else copied in (a
 * copy with other bytes, a damaged one, is replaced) and then checked.  Not
 * synced.  0, or -1 with errno (EBADMSG: the bytes are not sha's, and the
 * wrong copy is removed again).
 */
int store_import(struct store *s, const char *sha, int sdirfd, const char *src, char *rel,
		 size_t cap);

/*
 * store_clean_temps - at start-up: the temps of copies a killed sertel
 * left in STATE/store/<aa>/ (fs_clean_temps).  The number removed.
 */
int store_clean_temps(struct store *s);

#endif
