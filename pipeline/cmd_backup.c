/*
 * cmd_backup.c - `sertel backup DIR` and `sertel restore DIR`: the state
 * (the database and the digital-copy store) copied out while the daemon
 * runs, and put back on a new or emptied server.
 *
 * A backup is a folder: sertel.db (SQLite's online backup, one moment's
 * database), store/<aa>/<sha256>.pdf (every copy that database points at),
 * BACKUP.txt (when, from where, what it holds) and, written last, MANIFEST:
 * one "<sha256>  <path>" line per file, the format of `sha256sum -c`, so
 * a backup can be checked without sertel.  A folder without MANIFEST is an
 * unfinished backup.
 *
 * The database is copied first, then the store files its copy points at.
 * Copies are never changed, only removed (a deletion, augment replacing a
 * B-B copy): one that vanished between the two steps makes the backup start
 * over with a new database copy (what it already copied is reused), so
 * database and files always agree.
 *
 * Restore checks every file against MANIFEST, refuses to overwrite a
 * database, copies the store files first and the database last (its rename
 * is the commit point), holds the instance lock meanwhile, opens it (an
 * older schema is migrated) and checks every stored document's copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../base/exits.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/backup.h"
#include "../db/db.h"
#include "../db/migrate.h"
#include "../spool/fsutil.h"
#include "../spool/instance.h"
#include "../spool/store.h"
#include "cli.h"

#define ATTEMPTS 5		/* database copies before giving up on a store that keeps changing */

/* One file of a backup: its path in the folder and its SHA-256. */
struct file {
	char path[STORE_PATH_MAX];
	char sha[65];
};

struct files {
	struct file *v;
	size_t n, cap;
};

/* add - one more file; -1 out of memory. */
static int
add(struct files *f, const char *path, const char *sha)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct file *v = realloc(f->v, cap * sizeof *v);
		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	snprintf(f->v[f->n].path, sizeof f->v[f->n].path, "%s", path);
	snprintf(f->v[f->n].sha, sizeof f->v[f->n].sha, "%s", sha);
	f->n++;
	return 0;
}

/* sub_dir - dirfd/"store/aa" of rel, open; made when missing if create.  -1 with errno. */
static int
sub_dir(int dirfd, const char *rel, int create)
{
	char d[16];

	snprintf(d, sizeof d, "%.8s", rel);	/* "store/aa" */
	if (create && ((mkdirat(dirfd, "store", 0750) < 0 && errno != EEXIST) ||
		       (mkdirat(dirfd, d, 0750) < 0 && errno != EEXIST)))
		return -1;
	return openat(dirfd, d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * put - the store copy rel (of digest sha) from sfd into dfd, unless dfd
 * has it already with those bytes; then checked.  0; 1 when sfd has no such
 * file; -1 with e.
 */
static int
put(int sfd, int dfd, const char *rel, const char *sha, struct err *e)
{
	char have[65];
	int from, to, rc;

	if (store_file_sha(dfd, rel, have) == 0 && strcmp(have, sha) == 0)
		return 0;
	if (faccessat(sfd, rel, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 1 : err_set(e, err_io_code(errno), "%s: %s", rel,
						     strerror(errno));
	if ((from = sub_dir(sfd, rel, 0)) < 0)
		return err_set(e, err_io_code(errno), "%.8s: %s", rel, strerror(errno));
	if ((to = sub_dir(dfd, rel, 1)) < 0) {
		rc = errno;
		close(from);
		return err_set(e, err_io_code(rc), "%.8s: %s", rel, strerror(rc));
	}
	unlinkat(to, rel + 9, 0);	/* a wrong copy (read-only: replaced, not rewritten) */
	rc = fs_copy(from, rel + 9, to, rel + 9, 0440);
	if (rc < 0)
		rc = err_set(e, err_io_code(errno), "%s: %s", rel, strerror(errno));
	else if (store_file_sha(dfd, rel, have) < 0 || strcmp(have, sha) != 0)
		rc = err_set(e, "io.error", "%s: its bytes are not its digest (the copy in the "
			     "store is damaged)", rel);
	close(from);
	close(to);
	return rc < 0 ? -1 : 0;
}

/* What copy_one needs. */
struct copying {
	int sfd, dfd;
	struct files *files;
	long missing;
};

/* copy_one - a db_store_fn: one stored document's copy into the backup. */
static int
copy_one(void *arg, const char *id, const char *path, const char *sha, struct err *e)
{
	struct copying *c = arg;
	char rel[STORE_PATH_MAX];
	int rc;

	/* the path is the one the digest names, never one a row could point elsewhere */
	if (store_path(sha, rel, sizeof rel) < 0 || strcmp(rel, path) != 0)
		return err_set(e, "db.restore", "document %s: store path %s is not its digest's",
			       id, path);
	if ((rc = put(c->sfd, c->dfd, rel, sha, e)) < 0)
		return -1;
	if (rc == 1) {
		c->missing++;
		return 0;
	}
	return add(c->files, rel, sha) < 0 ? err_set(e, "internal", "out of memory") : 0;
}

/* empty_dir - 1 when path is a folder with nothing in it, 0 when it holds something, -1 (errno) else. */
static int
empty_dir(const char *path)
{
	struct dirent *d;
	DIR *dir = opendir(path);
	int empty = 1;

	if (!dir)
		return -1;
	while (empty && (d = readdir(dir)) != NULL)
		empty = !strcmp(d->d_name, ".") || !strcmp(d->d_name, "..");
	closedir(dir);
	return empty;
}

/* file_cmp - by path (qsort). */
static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

/* manifest - the MANIFEST of f (sorted by path), written last and durable. */
static int
manifest(int dfd, struct files *f, struct err *e)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		return err_set(e, "internal", "out of memory");
	qsort(f->v, f->n, sizeof *f->v, file_cmp);
	for (i = 0; i < f->n; i++)
		fprintf(m, "%s  %s\n", f->v[i].sha, f->v[i].path);
	if (fclose(m) != 0) {
		free(buf);
		return err_set(e, "internal", "out of memory");
	}
	rc = fs_write_atomic(dfd, "MANIFEST", buf, len, 1);
	free(buf);
	return rc < 0 ? err_set(e, err_io_code(errno), "MANIFEST: %s", strerror(errno)) : 0;
}

/* about - BACKUP.txt: what the backup holds, for the person who finds it later. */
static int
about(int dfd, const struct cfg *c, struct db *copy, long docs, struct files *f, struct err *e)
{
	char when[40], hash[AUDIT_HASH_LEN + 1], sha[65], *buf = NULL;
	long long seq = 0;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		return err_set(e, "internal", "out of memory");
	if (db_audit_head(copy, &seq, hash, e) < 0)
		snprintf(hash, sizeof hash, "?");
	text_time_wib(when, sizeof when, time(NULL));
	fprintf(m, "sertel backup\nmade: %s\nstate: %s\nschema: %d\nstored documents: %ld\n"
		"audit head: %lld %s\ncheck: sha256sum -c MANIFEST (in this folder)\n"
		"restore: sertel restore <this folder> (into an empty state folder)\n", when,
		c->state_dir, migrate_count(), docs, seq, hash);
	if (fclose(m) != 0) {
		free(buf);
		return err_set(e, "internal", "out of memory");
	}
	rc = fs_write_atomic(dfd, "BACKUP.txt", buf, len, 1);
	if (rc == 0 && store_file_sha(dfd, "BACKUP.txt", sha) == 0)
		rc = add(f, "BACKUP.txt", sha);
	free(buf);
	return rc < 0 ? err_set(e, err_io_code(errno), "BACKUP.txt: %s", strerror(errno)) : 0;
}

/* attempt - one database copy and the store files it names; 0 done, 1 start over, -1 with e. */
static int
attempt(struct db *db, int sfd, int dfd, const char *dir, struct files *f, long *docs,
	struct err *e)
{
	struct copying cp = { sfd, dfd, f, 0 };
	char path[4096], sha[65];
	struct db *copy;
	long n;

	f->n = 0;
	snprintf(path, sizeof path, "%s/sertel.db", dir);
	unlinkat(dfd, "sertel.db", 0);
	if (db_backup(db, path, e) < 0)
		return -1;
	if (!(copy = db_open_readonly(dir, e)))
		return -1;
	n = db_store_list(copy, copy_one, &cp, e);
	db_close(copy);
	if (n < 0)
		return -1;
	if (cp.missing > 0)
		return 1;
	*docs = n;
	if (store_file_sha(dfd, "sertel.db", sha) < 0 || add(f, "sertel.db", sha) < 0)
		return err_set(e, "io.error", "sertel.db: %s", strerror(errno));
	return 0;
}

static int
backup(const struct cfg *c, const char *dir)
{
	struct files f = { 0 };
	struct db *db = NULL, *copy = NULL;
	struct err e;
	long docs = 0;
	int sfd = -1, dfd = -1, rc = EX_OK, i, r = 1;

	if (empty_dir(dir) == 0) {
		fprintf(stderr, "sertel: backup: %s is not empty: back up into a new folder\n", dir);
		return EX_CANTCREAT;
	}
	if (fs_mkdirs(dir, 0750) < 0 ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: backup: %s: %s\n", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: backup: %s: %s\n", c->state_dir, strerror(errno));
		close(dfd);
		return EX_TEMPFAIL;
	}
	if (!(db = db_open_readonly(c->state_dir, &e))) {
		rc = cli_db_exit(&e);
		goto out;
	}
	for (i = 0; i < ATTEMPTS && r == 1; i++)
		r = attempt(db, sfd, dfd, dir, &f, &docs, &e);
	if (r == 1)
		err_set(&e, ERR_RETRY, "the store kept changing under %d database copies: try again",
			ATTEMPTS);
	if (r != 0 || !(copy = db_open_readonly(dir, &e)) || about(dfd, c, copy, docs, &f, &e) < 0 ||
	    fs_syncfs(dfd) < 0 || manifest(dfd, &f, &e) < 0) {
		fprintf(stderr, "sertel: backup: %s\n", e.detail);
		rc = err_is_retry(&e) ? EX_TEMPFAIL : EX_IOERR;
		goto out;
	}
	printf("sertel: backup %s: the database (schema %d) and %ld stored document(s); "
	       "check it with: cd %s && sha256sum -c MANIFEST\n", dir, migrate_count(), docs, dir);
out:
	db_close(copy);
	db_close(db);
	free(f.v);
	close(sfd);
	close(dfd);
	return rc;
}

/* read_manifest - DIR's MANIFEST, every line a file of ours; -1 with e. */
static int
read_manifest(int dfd, struct files *f, struct err *e)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int ndb = 0;

	if (fs_read_all(dfd, "MANIFEST", 1 << 26, &buf, &len) < 0)
		return err_set(e, "backup.incomplete", "no MANIFEST (%s): not a finished sertel backup",
			       strerror(errno));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char sha[65], path[STORE_PATH_MAX], rel[STORE_PATH_MAX], tail;
		if (sscanf(line, "%64[0-9a-f]  %79s%c", sha, path, &tail) != 2 || strlen(sha) != 64 ||
		    (strcmp(path, "sertel.db") && strcmp(path, "BACKUP.txt") &&
		     (store_path(sha, rel, sizeof rel) < 0 || strcmp(rel, path) != 0))) {
			free(buf);
			return err_set(e, "backup.damaged", "MANIFEST: a line that is not sertel's: "
				       "%.80s", line);
		}
		ndb += !strcmp(path, "sertel.db");
		if (add(f, path, sha) < 0) {
			free(buf);
			return err_set(e, "internal", "out of memory");
		}
	}
	free(buf);
	return ndb == 1 ? 0 : err_set(e, "backup.damaged", "MANIFEST names no sertel.db");
}

/* What check_copy counts. */
struct checking {
	int sfd;
	long bad;
};

/* check_copy - a db_store_fn: the restored store holds the stored document's bytes. */
static int
check_copy(void *arg, const char *id, const char *rel, const char *sha, struct err *e)
{
	struct checking *ck = arg;
	char have[65];

	(void)e;
	if (store_file_sha(ck->sfd, rel, have) < 0 || strcmp(have, sha) != 0) {
		fprintf(stderr, "sertel: restore: document %s: %s %s\n", id, rel,
			errno == ENOENT ? "is missing" : "does not hold its bytes");
		ck->bad++;
	}
	return 0;
}

static int
restore(const struct cfg *c, const char *dir)
{
	struct files f = { 0 };
	struct db *db = NULL;
	struct err e;
	char have[65], tmp[64], rel[STORE_PATH_MAX];
	struct checking ck = { -1, 0 };
	struct store st;
	long bad = 0, docs;
	size_t i;
	int dfd, sfd = -1, lock = -1, rc = EX_REFUSED;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: restore: %s: %s\n", dir, strerror(errno));
		return EX_NOINPUT;
	}
	if (read_manifest(dfd, &f, &e) < 0) {
		fprintf(stderr, "sertel: restore: %s: %s\n", dir, e.detail);
		goto out;
	}
	for (i = 0; i < f.n; i++)
		if (store_file_sha(dfd, f.v[i].path, have) < 0 || strcmp(have, f.v[i].sha) != 0) {
			fprintf(stderr, "sertel: restore: %s/%s %s\n", dir, f.v[i].path,
				errno == ENOENT ? "is missing" : "does not match MANIFEST");
			bad++;
		}
	if (bad) {
		fprintf(stderr, "sertel: restore: the backup is damaged (%ld file(s)): nothing was "
			"restored\n", bad);
		goto out;
	}
	/* no run or watch may start meanwhile; and a database is never overwritten */
	if ((lock = instance_lock(c->state_dir, INSTANCE_LOCK, &e)) < 0) {
		fprintf(stderr, "sertel: restore: %s\n", e.detail);
		rc = EX_TEMPFAIL;
		goto out;
	}
	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    faccessat(sfd, "sertel.db", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		fprintf(stderr, "sertel: restore: %s/sertel.db %s\n", c->state_dir, sfd < 0 ?
			strerror(errno) : "exists: move it aside first (restore never overwrites a "
			"database)");
		rc = EX_CANTCREAT;
		goto out;
	}
	/* the store first (spool/store.c writes it), the database last: its
	 * rename is the commit point */
	store_init(&st, sfd);
	for (i = 0; i < f.n; i++)
		if (!strncmp(f.v[i].path, "store/", 6) &&
		    store_import(&st, f.v[i].sha, dfd, f.v[i].path, rel, sizeof rel) < 0) {
			fprintf(stderr, "sertel: restore: %s: %s\n", f.v[i].path, errno == EBADMSG ?
				"its bytes are not its digest (the copy in the store is damaged)" :
				strerror(errno));
			rc = err_errno_temporary(errno) ? EX_TEMPFAIL : EX_IOERR;
			store_close(&st);
			goto out;
		}
	store_close(&st);
	snprintf(tmp, sizeof tmp, ".tmp.%ld.sertel.db", (long)getpid());
	if (fs_copy(dfd, "sertel.db", sfd, tmp, 0640) < 0 || fs_syncfs(sfd) < 0 ||
	    renameat(sfd, tmp, sfd, "sertel.db") < 0 || fs_fsync_dir(sfd, ".") < 0) {
		fprintf(stderr, "sertel: restore: %s/sertel.db: %s\n", c->state_dir, strerror(errno));
		unlinkat(sfd, tmp, 0);
		rc = EX_IOERR;
		goto out;
	}
	if (!(db = db_open(c->state_dir, &e))) {
		rc = cli_db_exit(&e);
		goto out;
	}
	ck.sfd = sfd;
	if ((docs = db_store_list(db, check_copy, &ck, &e)) < 0) {
		rc = cli_db_exit(&e);
		goto out;
	}
	if (ck.bad) {
		fprintf(stderr, "sertel: restore: %ld stored document(s) without their copy\n",
			ck.bad);
		goto out;
	}
	printf("sertel: restored %s into %s: the database and %ld stored document(s), each "
	       "checked\n", dir, c->state_dir, docs);
	rc = EX_OK;
out:
	db_close(db);
	free(f.v);
	if (sfd >= 0)
		close(sfd);
	if (lock >= 0)
		close(lock);
	close(dfd);
	return rc;
}

int
cmd_backup(int argc, char **argv)
{
	struct cfg *c;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: sertel %s DIR\n", argv[0]);
		return EX_USAGE;
	}
	c = cli_config();
	rc = !strcmp(argv[0], "restore") ? restore(c, argv[1]) : backup(c, argv[1]);
	cfg_free(c);
	return rc;
}
