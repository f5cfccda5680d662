/*
 * cmd_prune.c - `sertel prune [--dry-run]`: retention of the shared folder.
 *
 * Files handed back in SPOOL/done/<pd>/ (signed PDFs, their sidecars,
 * berita acara and receipts) and SPOOL/failed/<pd>/ (refused drops and their
 * reports) are removed once older than limits.keep_done_days and
 * limits.keep_failed_days (0, the default: kept for ever).  The signed copy
 * stays in the store and the record in the database, so `doc show`,
 * `verify` and the verification page keep answering; the shared folder only
 * stops growing.  Age is the file's modification time (a delivery renames,
 * so it is when sertel wrote it).  Only regular files directly in a PD
 * folder are touched: no symlink is followed, no sub-folder entered, and a
 * temp of a delivery in progress (a dot name) is left alone.  Each PD's
 * removals are one audit record ("pruned").  Run daily by sertel-prune.timer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../spool/fsutil.h"
#include "../spool/spool.h"
#include "cli.h"

/* What one folder's pruning did. */
struct pruned {
	long files;
	long long bytes;
	long failed;		/* could not be removed */
};

/* prune_pd - the old files of one PD folder (dirfd); what was done into *p. */
static void
prune_pd(int dirfd, const char *where, time_t before, int dry, struct pruned *p)
{
	struct dirent *d;
	struct stat st;
	DIR *dir = fs_opendir(dirfd);

	if (!dir) {
		fprintf(stderr, "sertel: prune: %s: %s\n", where, strerror(errno));
		p->failed++;
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' ||
		    fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_mtime >= before)
			continue;
		if (dry) {
			printf("%s/%s\n", where, d->d_name);
		} else if (unlinkat(dirfd, d->d_name, 0) < 0) {
			fprintf(stderr, "sertel: prune: %s/%s: %s\n", where, d->d_name,
				strerror(errno));
			p->failed++;
			continue;
		}
		p->files++;
		p->bytes += st.st_size;
	}
	closedir(dir);
	if (!dry && p->files > 0)
		fs_fsync_dir(dirfd, ".");
}

/* prune_kind - done/ or failed/: every PD folder in it; the files removed, or -1 when some could not be. */
static long
prune_kind(const struct cfg *c, struct db *db, const char *kind, long days, int dry)
{
	char path[4096], where[4096 + 260], detail[512];
	time_t before = time(NULL) - (time_t)days * 86400;
	struct dirent *d;
	long total = 0, bad = 0;
	DIR *top;
	struct err e;

	if (days <= 0)
		return 0;
	snprintf(path, sizeof path, "%s/%s", c->spool_dir, kind);
	if (!(top = opendir(path)))
		return errno == ENOENT ? 0 : (fprintf(stderr, "sertel: prune: %s: %s\n", path,
						      strerror(errno)), -1);
	while ((d = readdir(top)) != NULL) {
		struct pruned p = { 0, 0, 0 };
		int fd;

		if (!spool_pd_valid(d->d_name))
			continue;
		if ((fd = openat(dirfd(top), d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				 O_CLOEXEC)) < 0)
			continue;
		snprintf(where, sizeof where, "%s/%s", path, d->d_name);
		prune_pd(fd, where, before, dry, &p);
		close(fd);
		total += p.files;
		bad += p.failed;
		if (dry || p.files == 0)
			continue;
		snprintf(detail, sizeof detail, "%s/%s: %ld file(s), %lld bytes, older than %ld days",
			 kind, d->d_name, p.files, p.bytes, days);
		if (db_audit_event(db, "pruned", NULL, NULL, d->d_name, detail, &e) < 0)
			fprintf(stderr, "sertel: prune: audit: %s\n", e.detail);
		if (!cli.quiet)
			fprintf(stderr, "sertel: pruned %s\n", detail);
	}
	closedir(top);
	return bad ? -1 : total;
}

int
cmd_prune(int argc, char **argv)
{
	struct cfg *c;
	struct db *db;
	struct err e;
	int dry = argc == 2 && !strcmp(argv[1], "--dry-run");
	long a, b;

	if (argc > 2 || (argc == 2 && !dry)) {
		fprintf(stderr, "usage: sertel prune [--dry-run]\n");
		return EX_USAGE;
	}
	c = cli_config();
	if (c->limits.keep_done_days <= 0 && c->limits.keep_failed_days <= 0) {
		cfg_free(c);	/* retention not configured: the timer runs it anyway */
		return 0;
	}
	if (!(db = db_open(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	a = prune_kind(c, db, "done", c->limits.keep_done_days, dry);
	b = prune_kind(c, db, "failed", c->limits.keep_failed_days, dry);
	db_close(db);
	cfg_free(c);
	return a < 0 || b < 0 ? EX_TEMPFAIL : 0;
}
