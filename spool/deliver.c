/*
 * deliver.c - a committed job out of the queue into done/<pd> or failed/<pd>
 * (see spool.h): the name it leaves under, the moves, and the cache of open
 * PD folders they need.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "spool.h"

/* pd_forget - close cached pair k and drop it from the cache. */
static void
pd_forget(struct spool *s, int k)
{
	close(s->pds[k].fd[0]);
	close(s->pds[k].fd[1]);
	s->pds[k] = s->pds[--s->npds];
}

void
spool_cache_limit(struct spool *s, int n)
{
	s->pd_max = n < 1 ? 1 : n > SPOOL_PD_CACHE ? SPOOL_PD_CACHE : n;
	while (s->npds > s->pd_max)
		pd_forget(s, 0);
}

/* pd_open - open (creating) done/<pd> and failed/<pd>; -1 with errno. */
static int
pd_open(struct spool *s, const char *pd, int fd[2])
{
	int saved;

	fd[0] = fs_open_dir(s->done_fd, pd, 1);
	fd[1] = fd[0] < 0 ? -1 : fs_open_dir(s->failed_fd, pd, 1);
	if (fd[1] >= 0)
		return 0;
	saved = errno;
	if (fd[0] >= 0)
		close(fd[0]);
	errno = saved;
	return -1;
}

/*
 * pd_dir - done/<pd> or failed/<pd>, created on first use.  The descriptor is
 * cached and owned by the spool: callers must not close it.  The cache keeps
 * within the descriptor budget (pd_max, least recently used closed first),
 * and gives everything back when the process runs out of descriptors anyway.
 */
static int
pd_dir(struct spool *s, int failed, const char *pd)
{
	int k, lru, max = s->pd_max > 0 ? s->pd_max : SPOOL_PD_CACHE, fd[2];

	for (k = 0; k < s->npds; k++)
		if (!strcmp(s->pds[k].pd, pd)) {
			s->pds[k].used = ++s->tick;
			return s->pds[k].fd[failed];
		}
	if (s->npds >= max) {	/* more PDs than slots: close the least recently used */
		for (lru = 0, k = 1; k < s->npds; k++)
			if (s->pds[k].used < s->pds[lru].used)
				lru = k;
		pd_forget(s, lru);
	}
	if (pd_open(s, pd, fd) < 0) {
		if (!err_errno_nofd(errno))
			return -1;
		while (s->npds > 0)
			pd_forget(s, 0);
		if (pd_open(s, pd, fd) < 0)
			return -1;
	}
	k = s->npds++;
	snprintf(s->pds[k].pd, sizeof s->pds[k].pd, "%s", pd);
	s->pds[k].fd[0] = fd[0];
	s->pds[k].fd[1] = fd[1];
	s->pds[k].used = ++s->tick;
	return fd[failed];
}

/* out_name - stem + the extension the input name carried after its stem. */
static void
out_name(char *out, size_t cap, const char *stem, const struct job *j, const char *input)
{
	size_t sl = strlen(j->stem);
	const char *ext = strncmp(input, j->stem, sl) == 0 ? input + sl : "";

	snprintf(out, cap, "%s%s", stem, ext);
}

/* taken - 1 if any output name for stem exists in dirfd. */
static int
taken(int dirfd, const struct job *j, const char *stem)
{
	char name[NAME_MAX + 32];
	struct stat st;

	out_name(name, sizeof name, stem, j, j->pdf);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	if (j->meta[0]) {
		out_name(name, sizeof name, stem, j, j->meta);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			return 1;
	}
	snprintf(name, sizeof name, "%s.error.yaml", stem);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	snprintf(name, sizeof name, "%s.error.txt", stem);
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int
spool_pick_stem(struct spool *s, int failed, const struct job *j, char *out, size_t cap)
{
	int fd = pd_dir(s, failed, j->pd);

	snprintf(out, cap, "%s", j->stem);
	if (fd < 0)
		return -1;
	if (taken(fd, j, j->stem))
		snprintf(out, cap, "%.*s-%s", (int)(cap - JOBID_LEN - 2), j->stem, j->id);
	return 0;
}

/* move_out - rename queue/<id>.<part> to dirfd/to; a missing source means it already moved. */
static int
move_out(struct spool *s, const char *id, const char *part, int dirfd, const char *to)
{
	char from[JOBID_LEN + 16];

	spool_qname(from, sizeof from, id, part);
	if (renameat(s->queue_fd, from, dirfd, to) == 0 || errno == ENOENT)
		return 0;
	return -1;
}

/* keep_errno - a failed step's errno survives the later steps (for the caller's message). */
static void
keep_errno(int *saved, int rc)
{
	if (rc < 0 && *saved == 0)
		*saved = errno;
}

int
spool_deliver(struct spool *s, const struct job *j, int failed, const char *stem)
{
	char name[NAME_MAX + 32];
	int dirfd, rc = 0, saved = 0;

	if ((dirfd = pd_dir(s, failed, j->pd)) < 0)
		return -1;
	out_name(name, sizeof name, stem, j, j->pdf);
	keep_errno(&saved, move_out(s, j->id, spool_input_part(j), dirfd, name));
	if (failed) {
		snprintf(name, sizeof name, "%s.error.yaml", stem);
		keep_errno(&saved, move_out(s, j->id, "error.yaml", dirfd, name));
		/* its plain-text twin (none for a refusal queued by an older sertel) */
		snprintf(name, sizeof name, "%s.error.txt", stem);
		keep_errno(&saved, move_out(s, j->id, "error.txt", dirfd, name));
	}
	if ((j->kind == DROP_DOC || j->kind == DROP_DELETION) && j->meta[0]) {
		out_name(name, sizeof name, stem, j, j->meta);
		keep_errno(&saved, move_out(s, j->id, spool_meta_part(j), dirfd, name));
	}
	if (saved) {
		errno = saved;
		rc = -1;
	}
	return rc;
}

void
spool_job_remove(struct spool *s, const char *id)
{
	static const char *const parts[] = { "pdf", "yaml", "signed.pdf", "error.yaml",
					     "error.txt", "bundle", "file", "berita", "lampiran" };
	char name[JOBID_LEN + 16];
	size_t i;

	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		spool_qname(name, sizeof name, id, parts[i]);
		unlinkat(s->queue_fd, name, 0);
	}
	spool_qname(name, sizeof name, id, "x");
	fs_rm_dir(s->queue_fd, name);
}
