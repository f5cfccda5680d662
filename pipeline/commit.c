/*
 * commit.c - group commit of finished jobs (see commit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../spool/fsutil.h"
#include "commit.h"
#include "../db/db.h"
#include "../base/log.h"
#include "report.h"

void
commit_fail(struct commit_env *c, struct finished *f, enum step step, const struct err *e)
{
	f->failed = 1;
	f->err = *e;
	/* a refused document leaves as it came: without a revision signed in place */
	if (f->job.kind == DROP_DOC && spool_restore_input(c->spool, &f->job) < 0)
		log_err(f->job.id, "cannot restore the original: %s", strerror(errno));
	if (report_write1(c->spool->queue_fd, &f->job, step, e, time(NULL)) < 0)
		log_err(f->job.id, "cannot write its report: %s", strerror(errno));
}

/* refuse_duplicates - a document signed before, or twice in this batch, is not signed again. */
static void
refuse_duplicates(struct commit_env *c, struct finished *v, size_t n)
{
	char id[JOBID_LEN + 1];
	struct err e;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct outcome *o = v[i].out;
		int dup = 0;
		if (v[i].failed || !o || v[i].job.kind != DROP_DOC)
			continue;
		for (k = 0; k < i && !dup; k++)
			if (!v[k].failed && v[k].out && v[k].job.kind == DROP_DOC &&
			    !strcmp(v[k].out->sha_orig, o->sha_orig) &&
			    !strcmp(v[k].out->sha_meta, o->sha_meta)) {
				snprintf(id, sizeof id, "%s", v[k].job.id);
				dup = 1;
			}
		if (!dup)
			dup = db_duplicate(c->db, o->sha_orig, o->sha_meta, id, sizeof id) == 1;
		if (dup) {
			err_set(&e, "doc.duplicate", "%s with this sidecar was already signed as ID %s",
				v[i].job.pdf, id);
			commit_fail(c, &v[i], STEP_STORE, &e);
		}
	}
}

/* store_dir - STATE/store/<aa> for a hex digest, created and opened once. */
static int
store_dir(struct commit_env *c, const char *sha)
{
	char dir[16];
	unsigned b;
	int fd;

	if (sscanf(sha, "%2x", &b) != 1)
		return -1;
	if (c->store_fd[b] > 0)
		return c->store_fd[b];
	snprintf(dir, sizeof dir, "store/%.2s", sha);
	mkdirat(c->state_fd, "store", 0750);
	if (mkdirat(c->state_fd, dir, 0750) < 0 && errno != EEXIST)
		return -1;
	fd = openat(c->state_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd > 0)
		c->store_fd[b] = fd;
	return fd;
}

void
commit_env_close(struct commit_env *c)
{
	size_t i;

	for (i = 0; i < 256; i++)
		if (c->store_fd[i] > 0)
			close(c->store_fd[i]);
	memset(c->store_fd, 0, sizeof c->store_fd);
}

/* store_copy - the content-addressed digital copy; written once, read-only. */
static int
store_copy(struct commit_env *c, struct finished *f)
{
	const char *sha = f->out->sha_signed;
	char name[80], src[JOBID_LEN + 16];
	struct stat st;
	int dfd;

	snprintf(name, sizeof name, "%s.pdf", sha);
	snprintf(f->store_path, sizeof f->store_path, "store/%.2s/%s", sha, name);
	if ((dfd = store_dir(c, sha)) < 0)
		return -1;
	if (fstatat(dfd, name, &st, 0) == 0)	/* same bytes stored already */
		return 0;
	spool_qname(src, sizeof src, f->job.id, "pdf");
	return fs_copy(c->spool->queue_fd, src, dfd, name, 0440);
}

/* pick_stems - output names, unique within the folder and within this batch. */
static void
pick_stems(struct commit_env *c, struct finished *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		spool_pick_stem(c->spool, v[i].failed, &v[i].job, v[i].stem, sizeof v[i].stem);
		for (k = 0; k < i; k++)
			if (v[k].failed == v[i].failed && !strcmp(v[k].job.pd, v[i].job.pd) &&
			    !strcmp(v[k].stem, v[i].stem)) {
				snprintf(v[i].stem, sizeof v[i].stem, "%.*s-%s",
					 (int)(sizeof v[i].stem - JOBID_LEN - 2), v[i].job.stem,
					 v[i].job.id);
				break;
			}
	}
}

/* record - one transaction for the whole batch. */
static int
record(struct commit_env *c, struct finished *v, size_t n, struct err *e)
{
	long long now = (long long)time(NULL);
	size_t i;

	if (db_begin(c->db, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct finished *f = &v[i];
		struct db_job j = {
			.id = f->job.id, .kind = f->job.kind, .pd = f->job.pd,
			.delivered = f->stem, .failed = f->failed, .finished_at = now,
			.out = f->out, .store_path = f->store_path,
		};
		if (f->failed && (!f->out || f->out->ok)) {	/* master-side failure */
			j.out = NULL;
			j.code = f->err.code;
			j.field = f->err.field;
			j.detail = f->err.detail;
			j.line = f->err.line;
			j.col = f->err.col;
		}
		if (db_job_finish(c->db, &j, e) < 0) {
			db_rollback(c->db);
			return -1;
		}
	}
	return db_commit(c->db, e);
}

int
commit_batch(struct commit_env *c, struct finished *v, size_t n, struct err *e)
{
	size_t i;

	refuse_duplicates(c, v, n);
	for (i = 0; i < n; i++)
		if (!v[i].failed && v[i].job.kind == DROP_DOC && store_copy(c, &v[i]) < 0) {
			struct err se;
			err_set(&se, "io.error", "store copy of %s: %s", v[i].job.id, strerror(errno));
			commit_fail(c, &v[i], STEP_STORE, &se);
		}
	if (fs_syncfs(c->spool->root_fd) < 0 || (!c->same_fs && fs_syncfs(c->state_fd) < 0))
		return err_set(e, "io.error", "syncfs: %s", strerror(errno));
	pick_stems(c, v, n);
	if (record(c, v, n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		v[i].moved = spool_deliver(c->spool, &v[i].job, v[i].failed, v[i].stem) == 0;
		if (!v[i].moved)
			log_err(v[i].job.id, "deliver: %s (will retry at next start)", strerror(errno));
	}
	if (fs_syncfs(c->spool->root_fd) < 0)
		return err_set(e, "io.error", "syncfs: %s", strerror(errno));
	for (i = 0; i < n; i++)
		if (v[i].moved)
			spool_job_remove(c->spool, v[i].job.id);
	return 0;
}
