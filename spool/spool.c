/*
 * spool.c - the spool protocol (see spool.h for the layout).
 *
 * Ordering rules, each chosen so that kill -9 at any instant is recoverable:
 *  - a job folder gets its "job" record before any input moves into it;
 *  - inputs move only by rename, from one known source folder;
 *  - outputs leave the queue only after the database has recorded the outcome
 *    and the name they leave under, so a repeated delivery uses the same name.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "spool.h"

static const char *const layout[] = { "incoming", "queue", "done", "failed" };

int
spool_open(struct spool *s, const char *root, struct err *e)
{
	int *fds[] = { &s->incoming_fd, &s->queue_fd, &s->done_fd, &s->failed_fd };
	size_t i;

	memset(s, 0, sizeof *s);
	s->root_fd = s->incoming_fd = s->queue_fd = s->done_fd = s->failed_fd = -1;
	snprintf(s->root, sizeof s->root, "%s", root);
	if (fs_mkdirs(root, 0750) < 0 || (s->root_fd = fs_open_dir(AT_FDCWD, root, 0)) < 0)
		return err_set(e, "io.error", "spool %s: %s", root, strerror(errno));
	for (i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		*fds[i] = fs_open_dir(s->root_fd, layout[i], 1);
		if (*fds[i] < 0) {
			err_set(e, "io.error", "spool %s/%s: %s (must be a directory, not a link)",
				root, layout[i], strerror(errno));
			spool_close(s);
			return -1;
		}
	}
	return 0;
}

void
spool_close(struct spool *s)
{
	int *fds[] = { &s->root_fd, &s->incoming_fd, &s->queue_fd, &s->done_fd, &s->failed_fd };
	size_t i;
	int k;

	for (k = 0; k < s->npds; k++) {
		close(s->pds[k].fd[0]);
		close(s->pds[k].fd[1]);
	}
	s->npds = 0;
	for (i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int
spool_pd_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n >= PD_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) ||
		      name[i] == '_' || name[i] == '-'))
			return 0;
	return 1;
}

/* ends_with - case-insensitive suffix test. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcasecmp(s + n - m, suffix) == 0;
}

/* bundle_ext - the length of a bundle extension of name, or 0. */
static size_t
bundle_ext(const char *name)
{
	static const char *const exts[] = { ".tar.gz", ".tgz", ".zip", ".tar" };
	size_t i;

	for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (ends_with(name, exts[i]))
			return strlen(exts[i]);
	return 0;
}

struct entry {
	char *name;
	struct stat st;
	int used;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* entry_find - binary search for name among the sorted entries. */
static struct entry *
entry_find(struct entry *v, size_t n, const char *name)
{
	struct entry key = { .name = (char *)name };

	return n ? bsearch(&key, v, n, sizeof *v, entry_cmp) : NULL;
}

/* in_progress - names a writer is still busy with, by the drop protocol. */
static int
in_progress(const char *name)
{
	return name[0] == '.' || ends_with(name, ".part") || ends_with(name, ".tmp") ||
	       ends_with(name, ".filepart") || ends_with(name, ".crdownload") ||
	       name[strlen(name) - 1] == '~';
}

/*
 * clutter - what Windows, macOS and Office leave in a shared folder beside
 * the documents: a thumbnail cache, folder settings, a shortcut, an Office
 * lock file (~$name.docx).  Not drops: never refused, never counted (a
 * nightly run must not exit 1 because Explorer browsed the folder).  Dot
 * files (.DS_Store, ._name) are in_progress's already.
 */
static int
clutter(const char *name)
{
	size_t n = strlen(name);

	return strcasecmp(name, "Thumbs.db") == 0 || strcasecmp(name, "ehthumbs.db") == 0 ||
	       strcasecmp(name, "desktop.ini") == 0 || strncmp(name, "~$", 2) == 0 ||
	       (n > 4 && strcasecmp(name + n - 4, ".lnk") == 0) ||
	       (n > 4 && strcasecmp(name + n - 4, ".tmp") == 0);
}

int
spool_ignored(const char *name)
{
	return in_progress(name) || clutter(name);
}

/*
 * read_chunk - the next candidate entries of dir (the listing goes on where
 * the last call stopped), at most max, sorted by name; *more is 1 when max
 * was reached (the folder may have more).
 */
static void
read_chunk(DIR *dir, int dirfd, size_t max, struct entry **out, size_t *nout, int *more)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;

	while (n < max && (d = readdir(dir)) != NULL) {
		if (spool_ignored(d->d_name))
			continue;
		if (n == cap) {
			struct entry *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		if (fstatat(dirfd, d->d_name, &v[n].st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* vanished meanwhile: not ours to report */
		v[n].name = strdup(d->d_name);
		v[n].used = 0;
		if (v[n].name)
			n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, entry_cmp);
	*out = v;
	*nout = n;
	*more = n == max;
}

/* read_entries - every candidate entry of a folder, sorted by name. */
static int
read_entries(int dirfd, struct entry **out, size_t *nout)
{
	DIR *dir;
	int more;

	if (!(dir = fs_opendir(dirfd)))
		return -1;
	read_chunk(dir, dirfd, (size_t)-1, out, nout, &more);
	closedir(dir);
	return 0;
}

/*
 * The entries of a PD folder in hand.  A folder is read SCAN_CHUNK entries at
 * a time, so that a backlog of any size costs the master the same memory;
 * split: it did not fit in one chunk, and a sidecar may lie in another chunk
 * than its PDF (found by name then, into far).
 */
#define SCAN_CHUNK 4096
struct chunk {
	struct entry *v;
	size_t n;
	int split;
	struct entry far;
	char far_name[NAME_MAX + 8];	/* as sidecar_for's name buffer */
};

/* entries_free - what read_chunk or read_entries gave. */
static void
entries_free(struct entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* sidecar_for - the settled sidecar entry of stem, trying .yaml then .yml. */
static struct entry *
sidecar_for(int dirfd, struct chunk *c, const char *stem)
{
	static const char *const exts[] = { ".yaml", ".yml", ".YAML", ".YML" };
	char name[NAME_MAX + 8];
	struct entry *m;
	size_t i;

	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		snprintf(name, sizeof name, "%s%s", stem, exts[i]);
		if ((m = entry_find(c->v, c->n, name)) != NULL && S_ISREG(m->st.st_mode))
			return m;
		/* a folder read in chunks: it may lie in another one */
		if (!m && c->split && strlen(name) <= NAME_MAX &&
		    fstatat(dirfd, name, &c->far.st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(c->far.st.st_mode)) {
			snprintf(c->far_name, sizeof c->far_name, "%s", name);
			c->far.name = c->far_name;
			c->far.used = 0;
			return &c->far;
		}
	}
	return NULL;
}

/*
 * still_open - 1 if some process has the file open for writing.  A read lease
 * is refused exactly then (fcntl(2), F_SETLEASE); where leases are not
 * allowed (file owned by another user without CAP_LEASE) the settle time
 * alone decides.
 */
static int
still_open(int dirfd, const char *name)
{
	int fd, busy;

	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == EWOULDBLOCK;	/* a writer holds a write lease (smbd's oplock) */
	busy = fcntl(fd, F_SETLEASE, F_RDLCK) < 0 && errno == EAGAIN;
	if (!busy)
		fcntl(fd, F_SETLEASE, F_UNLCK);
	close(fd);
	return busy;
}

/* unsettled - changed within settle seconds (to the nanosecond), or still being written. */
static int
unsettled(int dirfd, const struct entry *x, const struct timespec *now, long settle)
{
	double age = (double)(now->tv_sec - x->st.st_mtim.tv_sec) +
		     (now->tv_nsec - x->st.st_mtim.tv_nsec) / 1e9;

	return age < (double)settle || (S_ISREG(x->st.st_mode) && still_open(dirfd, x->name));
}

/*
 * names_embedded - the tail of the PDF names SPOOL_EMBEDDED_NAME: it carries
 * its paraf metadata inside (stages/embedded.h) and need not wait for a
 * sidecar.  The attachment is the last revision, so its name is near the end
 * unless the writer compressed it into an object stream; such a PDF waits
 * for a sidecar like any other.  A hint only: the worker checks it properly.
 * -1 when the process is out of descriptors: no answer yet.
 */
static int
names_embedded(int dirfd, const struct entry *x)
{
	static const size_t tail = 256 * 1024;
	size_t n = x->st.st_size > (off_t)tail ? tail : (size_t)x->st.st_size;
	off_t at = x->st.st_size - (off_t)n;
	char *buf;
	ssize_t r;
	int fd, found = 0;

	if (n == 0)
		return 0;
	if ((fd = openat(dirfd, x->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return err_errno_temporary(errno) ? -1 : 0;	/* -1: ask again later */
	if ((buf = malloc(n)) != NULL && (r = pread(fd, buf, n, at)) > 0)
		found = memmem(buf, (size_t)r, SPOOL_EMBEDDED_NAME, strlen(SPOOL_EMBEDDED_NAME)) != NULL;
	free(buf);
	close(fd);
	return found;
}

/* drop_begin - d as entry x alone (its kind still to decide); 1 when x is a symlink (a reject). */
static int
drop_begin(struct entry *x, struct drop *d)
{
	x->used = 1;
	snprintf(d->pdf, sizeof d->pdf, "%s", x->name);
	snprintf(d->stem, sizeof d->stem, "%s", x->name);
	d->meta[0] = '\0';
	d->reject_code = NULL;
	d->size = (long long)x->st.st_size;
	if (!S_ISLNK(x->st.st_mode))
		return 0;
	d->kind = DROP_REJECT;	/* created atomically: no need to let it settle */
	d->reject_code = "input.symlink";
	return 1;
}

/* pdf_beside - 1 when the sidecar name has its PDF (name.pdf, name.PDF) in the folder. */
static int
pdf_beside(int dirfd, const char *name)
{
	static const char *const exts[] = { ".pdf", ".PDF" };
	size_t stem = strlen(name) - (ends_with(name, ".yaml") ? 5 : 4), i;
	char pdf[NAME_MAX + 8];
	struct stat st;

	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		snprintf(pdf, sizeof pdf, "%.*s%s", (int)stem, name, exts[i]);
		if (fstatat(dirfd, pdf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	return 0;
}

/* classify - turn one entry into a drop; 0 = emit, 1 = skip. */
static int
classify(int dirfd, struct chunk *c, struct entry *x, struct drop *d,
	 const struct timespec *ts, long settle, long wait_limit, struct scan_stats *st)
{
	time_t now = ts->tv_sec;
	size_t len = strlen(x->name), ext;
	struct entry *m = NULL;

	if (x->used)
		return 1;
	if (drop_begin(x, d))
		return 0;
	if (ends_with(x->name, ".pdf")) {
		d->stem[len - 4] = '\0';
		if ((m = sidecar_for(dirfd, c, d->stem)) != NULL)
			m->used = 1;	/* its fate is this PDF's, whatever happens below */
	}
	if (unsettled(dirfd, x, ts, settle)) {
		st->unsettled++;
		return 1;
	}
	if (!S_ISREG(x->st.st_mode)) {
		d->kind = DROP_REJECT;
		d->reject_code = "input.unsupported";
		return 0;
	}
	if (ends_with(x->name, ".pdf")) {
		int embedded = m ? 0 : names_embedded(dirfd, x);
		if (embedded < 0) {	/* out of descriptors: not a reason to give up waiting */
			st->unsettled++;
			return 1;
		}
		if (embedded) {
			d->kind = DROP_DOC;	/* meta "": the metadata is inside */
			return 0;
		}
		if (!m && now - x->st.st_mtime > wait_limit) {
			/* waited long enough: hand it back so the administrator notices */
			d->kind = DROP_REJECT;
			d->reject_code = "sidecar.missing";
			return 0;
		}
		if (!m || unsettled(dirfd, m, ts, settle)) {
			st->waiting++;
			return 1;
		}
		d->kind = DROP_DOC;
		snprintf(d->meta, sizeof d->meta, "%s", m->name);
		return 0;
	}
	if (ends_with(x->name, ".yaml") || ends_with(x->name, ".yml")) {
		/* its PDF, if present, claims it (in a folder read in chunks, the
		 * PDF may lie in another chunk: looked for by name); otherwise it
		 * waits for the PDF, until wait_limit */
		if (c->split && pdf_beside(dirfd, x->name))
			return 1;	/* counted with its PDF */
		if (now - x->st.st_mtime > wait_limit) {
			d->kind = DROP_REJECT;
			d->reject_code = "input.unpaired";
			return 0;
		}
		st->waiting++;
		return 1;
	}
	if ((ext = bundle_ext(x->name)) != 0) {
		d->kind = DROP_BUNDLE;
		d->stem[len - ext] = '\0';
		return 0;
	}
	d->kind = DROP_REJECT;
	d->reject_code = "input.unsupported";
	return 0;
}

/*
 * classify_deletion - one entry of a deletion/<pd>/ folder as a drop
 * (spool_scan_deletions); 0 = emit, 1 = skip.
 */
static int
classify_deletion(int dirfd, struct entry *v, size_t n, struct entry *x, struct drop *d,
		  const struct timespec *ts, long settle, long wait_limit, struct scan_stats *st)
{
	size_t len = strlen(x->name);
	size_t ext = ends_with(x->name, ".yaml") ? 5 : ends_with(x->name, ".yml") ? 4 : 0;
	char name[NAME_MAX + 8];
	struct entry *m = NULL;

	if (x->used)
		return 1;
	if (drop_begin(x, d))
		return 0;
	if (ext) {
		d->stem[len - ext] = '\0';
		snprintf(name, sizeof name, "%s.pdf", d->stem);
		if ((m = entry_find(v, n, name)) != NULL && S_ISREG(m->st.st_mode))
			m->used = 1;	/* the scan goes with its berita acara */
		else
			m = NULL;
	}
	if (unsettled(dirfd, x, ts, settle) || (m && unsettled(dirfd, m, ts, settle))) {
		st->unsettled++;
		return 1;
	}
	d->kind = DROP_REJECT;
	d->reject_code = "input.unsupported";
	if (!S_ISREG(x->st.st_mode))
		return 0;
	if (ext) {
		d->kind = DROP_DELETION;
		d->reject_code = NULL;
		if (m)
			snprintf(d->meta, sizeof d->meta, "%s", m->name);
		return 0;
	}
	if (ends_with(x->name, ".pdf")) {	/* a scan whose berita acara has not come */
		if (ts->tv_sec - x->st.st_mtime <= wait_limit) {
			st->waiting++;
			return 1;
		}
		d->stem[len - 4] = '\0';
		d->reject_code = "input.unpaired";
	}
	return 0;
}

/* scan_deletion_dirfd - the drops of one deletion/<pd>/ folder: berita acara files first. */
static int
scan_deletion_dirfd(int fd, const char *pd, long settle, long wait_limit, spool_drop_fn fn,
		    void *arg, struct scan_stats *st)
{
	struct entry *v = NULL;
	struct timespec ts;
	size_t n = 0, i;
	struct drop d;
	int rc = 0, pass;

	if (read_entries(fd, &v, &n) < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	memset(&d, 0, sizeof d);
	snprintf(d.pd, sizeof d.pd, "%s", pd);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n && rc == 0; i++) {
			int yaml = ends_with(v[i].name, ".yaml") || ends_with(v[i].name, ".yml");
			if (yaml == !pass && classify_deletion(fd, v, n, &v[i], &d, &ts, settle,
							       wait_limit, st) == 0)
				rc = fn(arg, &d);
		}
	entries_free(v, n);
	return rc;
}

int
spool_scan_deletions(struct spool *s, time_t now, long settle, long wait_limit,
		     spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	struct dirent *e;
	DIR *dir;
	int dfd, fd, rc = 0;

	(void)now;
	if ((dfd = openat(s->root_fd, "deletion", O_RDONLY | O_DIRECTORY | O_CLOEXEC |
			  O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!(dir = fdopendir(dfd))) {
		close(dfd);
		return -1;
	}
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (!spool_pd_valid(e->d_name))
			continue;
		fd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
			continue;
		if (fd < 0 || (rc = scan_deletion_dirfd(fd, e->d_name, settle, wait_limit, fn, arg,
							st)) < 0) {
			if (st->unreadable++ == 0) {
				snprintf(st->unreadable_pd, sizeof st->unreadable_pd,
					 "deletion/%.*s", PD_MAX - 20, e->d_name);
				st->unreadable_errno = errno;
			}
			rc = 0;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(dir);
	return rc;
}

int
spool_scan_dirfd(int fd, const char *pd, time_t now, long settle, long wait_limit,
		 spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	struct chunk c = { 0 };
	struct timespec ts;
	struct drop d;
	int rc = 0, more = 1;
	size_t i;
	DIR *dir;

	if (!(dir = fs_opendir(fd)))
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += now - time(NULL);	/* callers may shift "now" (tests, bundles) */
	memset(&d, 0, sizeof d);
	snprintf(d.pd, sizeof d.pd, "%s", pd);
	/* chunk by chunk until fn has had enough (a scan round claims at most so many) */
	while (rc == 0 && more) {
		read_chunk(dir, fd, SCAN_CHUNK, &c.v, &c.n, &more);
		c.split |= more;
		/* PDFs first, so a sidecar is paired before it could be counted as waiting. */
		for (i = 0; i < c.n && rc == 0; i++)
			if (ends_with(c.v[i].name, ".pdf") && S_ISREG(c.v[i].st.st_mode) &&
			    classify(fd, &c, &c.v[i], &d, &ts, settle, wait_limit, st) == 0) {
				c.v[i].used = 1;
				rc = fn(arg, &d);
			}
		for (i = 0; i < c.n && rc == 0; i++)
			if (classify(fd, &c, &c.v[i], &d, &ts, settle, wait_limit, st) == 0) {
				c.v[i].used = 1;
				rc = fn(arg, &d);
			}
		entries_free(c.v, c.n);
	}
	closedir(dir);
	return rc;
}

int
spool_scan_pd(struct spool *s, const char *pd, time_t now, long settle, long wait_limit,
	      spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	int fd, rc;

	if (!spool_pd_valid(pd))
		return 0;
	fd = openat(s->incoming_fd, pd, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	rc = spool_scan_dirfd(fd, pd, now, settle, wait_limit, fn, arg, st);
	close(fd);
	return rc;
}

void
spool_set_known(struct spool *s, char *const *codes, size_t n)
{
	s->known = codes;
	s->nknown = n;
}

/* pd_known - name is one of the district's PDs (every valid name when none are listed). */
static int
pd_known(const struct spool *s, const char *name)
{
	size_t i;

	if (!spool_pd_valid(name) || !strcmp(name, SPOOL_UNKNOWN))
		return 0;
	for (i = 0; i < s->nknown; i++)
		if (!strcmp(s->known[i], name))
			return 1;
	return s->nknown == 0;
}

/*
 * pd_of - the PD a folder of incoming/ stands for, into out: its own name, or
 * the name in lower case (Windows users type BAPPEDA).  0 when it is none.
 */
static int
pd_of(const struct spool *s, const char *name, char out[PD_MAX])
{
	size_t i;

	if (strlen(name) >= PD_MAX)
		return 0;
	for (i = 0; name[i]; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
	return pd_known(s, name) ? (snprintf(out, PD_MAX, "%s", name), 1) : pd_known(s, out);
}

/* A scan of a folder whose name is not its PD's: the drops say where they lie. */
struct relay {
	spool_drop_fn fn;
	void *arg;
	const char *dir;
};

/* relayed - a spool_drop_fn: the drop with its folder named. */
static int
relayed(void *arg, const struct drop *d)
{
	const struct relay *r = arg;
	struct drop c = *d;

	snprintf(c.dir, sizeof c.dir, "%s", r->dir);
	return r->fn(r->arg, &c);
}

/*
 * stray - a file that is in no PD's folder (directly in incoming/, or in a
 * folder that is no PD): refused once settled, into failed/_unknown/.
 */
static int
stray(int dirfd, const char *dir, const struct entry *x, const struct timespec *ts, long settle,
      spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	struct drop d;

	if (!S_ISREG(x->st.st_mode) && !S_ISLNK(x->st.st_mode))
		return 0;
	if (unsettled(dirfd, x, ts, settle)) {
		st->unsettled++;
		return 0;
	}
	memset(&d, 0, sizeof d);
	d.kind = DROP_REJECT;
	snprintf(d.pd, sizeof d.pd, "%s", SPOOL_UNKNOWN);
	snprintf(d.dir, sizeof d.dir, "%s", dir);
	snprintf(d.pdf, sizeof d.pdf, "%s", x->name);
	/* surat.pdf's report is surat.error.yaml, as for a drop in a PD's folder */
	snprintf(d.stem, sizeof d.stem, "%.*s", (int)(strlen(x->name) -
		 (ends_with(x->name, ".pdf") && strlen(x->name) > 4 ? 4 : 0)), x->name);
	d.reject_code = strcmp(dir, ".") ? "input.unknown_pd" : "input.no_pd";
	d.size = (long long)x->st.st_size;
	return fn(arg, &d);
}

/* scan_unknown - every settled file of the folder dir that is no PD's. */
static int
scan_unknown(struct spool *s, const char *dir, const struct timespec *ts, long settle,
	     spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	struct entry *v = NULL;
	size_t n = 0, i;
	int fd, rc = 0, more = 1;
	DIR *d;

	fd = openat(s->incoming_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	if ((d = fs_opendir(fd)) != NULL) {
		while (rc == 0 && more) {	/* a chunk at a time, as a PD's */
			read_chunk(d, fd, SCAN_CHUNK, &v, &n, &more);
			for (i = 0; i < n && rc == 0; i++)
				rc = stray(fd, dir, &v[i], ts, settle, fn, arg, st);
			entries_free(v, n);
		}
		closedir(d);
	}
	close(fd);
	return rc;
}

/* scan_top - one entry x of incoming/: a PD's folder scanned, anything else refused. */
static int
scan_top(struct spool *s, const struct entry *x, time_t now, const struct timespec *ts,
	 long settle, long wait_limit, spool_drop_fn fn, void *arg, struct scan_stats *st)
{
	const char *name = x->name;
	char pd[PD_MAX];
	int rc = 0, fd;

	if (!S_ISDIR(x->st.st_mode))	/* not in any PD's folder: never ignored in silence */
		return stray(s->incoming_fd, ".", x, ts, settle, fn, arg, st);
	if (!pd_of(s, name, pd))
		return scan_unknown(s, name, ts, settle, fn, arg, st);
	if (strcmp(pd, name) != 0) {
		/* BAPPEDA/ is bappeda's: its drops say where they lie */
		struct relay r = { fn, arg, name };
		fd = openat(s->incoming_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0) {
			rc = spool_scan_dirfd(fd, pd, now, settle, wait_limit, relayed, &r, st);
			close(fd);
		}
	} else {
		rc = spool_scan_pd(s, pd, now, settle, wait_limit, fn, arg, st);
	}
	/* one folder the sertel user cannot read must not hold up the others */
	if (rc < 0) {
		if (st->unreadable++ == 0) {
			snprintf(st->unreadable_pd, sizeof st->unreadable_pd, "%.*s", PD_MAX - 1, name);
			st->unreadable_errno = errno;
		}
		rc = 0;
	}
	return rc;
}

int
spool_scan(struct spool *s, time_t now, long settle, long wait_limit, spool_drop_fn fn, void *arg,
	   struct scan_stats *st)
{
	struct entry *v = NULL;
	struct timespec ts;
	size_t n = 0, i;
	int rc = 0, more = 1;
	DIR *dir;

	if (!(dir = fs_opendir(s->incoming_fd)))
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += now - time(NULL);
	/* a chunk at a time like a PD folder: files dropped at the top by
	 * mistake cost the master no more memory however many they are */
	while (rc == 0 && more) {
		read_chunk(dir, s->incoming_fd, SCAN_CHUNK, &v, &n, &more);
		for (i = 0; i < n && rc == 0; i++)
			rc = scan_top(s, &v[i], now, &ts, settle, wait_limit, fn, arg, st);
		entries_free(v, n);
	}
	closedir(dir);
	return rc;
}

/* spool_reject_code - a reject code read back from the database, as its static string. */
const char *
spool_reject_code(const char *c)
{
	static const char *const known[] = { "input.symlink", "input.unsupported",
					     "input.unpaired", "sidecar.missing",
					     "input.unknown_pd", "input.no_pd",
					     "input.upload_rest" };
	size_t i;

	for (i = 0; c && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(c, known[i]) == 0)
			return known[i];
	return NULL;
}

void
spool_qname(char *buf, size_t cap, const char *id, const char *part)
{
	snprintf(buf, cap, "%s.%s", id, part);
}

const char *
spool_input_part(const struct job *j)
{
	return j->kind == DROP_DOC ? "pdf" : j->kind == DROP_BUNDLE ? "bundle" :
	       j->kind == DROP_DELETION ? "berita" : "file";
}

const char *
spool_meta_part(const struct job *j)
{
	return j->kind == DROP_DELETION ? "lampiran" : "yaml";
}

int
spool_claim_prepare(struct spool *s, const struct drop *d, const char *src, struct job *j,
		    struct err *e)
{
	(void)s;
	memset(j, 0, sizeof *j);
	if (jobid_new(j->id) < 0)
		return err_set(e, "io.error", "getrandom: %s", strerror(errno));
	if (strlen(src) >= sizeof j->src)
		return err_set(e, "io.error", "%s: a source folder name too long", src);
	j->kind = d->kind;
	snprintf(j->pd, sizeof j->pd, "%s", d->pd);
	snprintf(j->src, sizeof j->src, "%s", src);
	snprintf(j->stem, sizeof j->stem, "%s", d->stem);
	snprintf(j->pdf, sizeof j->pdf, "%s", d->pdf);
	snprintf(j->meta, sizeof j->meta, "%s", d->meta);
	j->reject_code = d->reject_code;
	j->size = d->size;
	j->claimed = time(NULL);
	return 0;
}

int
spool_restore_input(struct spool *s, const struct job *j)
{
	char name[JOBID_LEN + 16], mark[JOBID_LEN + 16], *tail = NULL;
	struct stat st;
	size_t n;
	int fd, rc = 0;

	spool_qname(name, sizeof name, j->id, "pdf");
	/* read-only first: a drop sertel may read but not write (another owner,
	 * mode 0640 on a share) was never signed in place, so has nothing to undo */
	if ((fd = openat(s->queue_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	if (st.st_size > j->size) {
		close(fd);
		if ((fd = openat(s->queue_fd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0)
			return errno == ENOENT ? 0 : errno == EACCES ? 1 : -1;
		/* Ours only if the extra bytes are a revision carrying this job's id;
		 * anything else would be someone's data, which is never cut off. */
		n = (size_t)(st.st_size - j->size);
		n = n > (1 << 20) ? (1 << 20) : n;
		snprintf(mark, sizeof mark, "(%s)", j->id);
		tail = malloc(n);
		if (tail && pread(fd, tail, n, (off_t)j->size) == (ssize_t)n &&
		    memmem(tail, n, mark, strlen(mark)) != NULL)
			rc = ftruncate(fd, (off_t)j->size);
		else
			rc = 1;
		free(tail);
	}
	close(fd);
	return rc;
}

/*
 * move_in - rename src/name to queue/to unless that already happened.
 * srcfd -1: the source folder is gone, so only an earlier move can count.
 */
static int
move_in(int srcfd, const char *name, int qfd, const char *to)
{
	struct stat st;

	if (srcfd >= 0 && renameat(srcfd, name, qfd, to) == 0)
		return 0;
	if ((srcfd < 0 || errno == ENOENT) && fstatat(qfd, to, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;	/* moved by an earlier, interrupted attempt */
	if (srcfd < 0)
		errno = ENOENT;
	return -1;
}

int
spool_claim_commit(struct spool *s, struct job *j, struct err *e)
{
	char to[JOBID_LEN + 16];
	int srcfd, rc = 0;

	/* A bundle member's source, queue/<bundle>.x/, is removed once the bundle
	 * is delivered, which happens only after every member moved out of it:
	 * a missing source folder is then a claim that already completed, and
	 * the member's inputs are in the queue (move_in checks they are). */
	srcfd = openat(s->root_fd, j->src, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (srcfd < 0 && errno != ENOENT)
		return err_set(e, err_io_code(errno), "%s: %s", j->src, strerror(errno));
	spool_qname(to, sizeof to, j->id, spool_input_part(j));
	/* a rename can need room too (a directory that grows): ERR_RETRY then */
	if (move_in(srcfd, j->pdf, s->queue_fd, to) < 0)
		rc = err_set(e, err_io_code(errno), "%s/%s: %s", j->src, j->pdf, strerror(errno));
	spool_qname(to, sizeof to, j->id, spool_meta_part(j));
	if (rc == 0 && (j->kind == DROP_DOC || j->kind == DROP_DELETION) && j->meta[0] &&
	    move_in(srcfd, j->meta, s->queue_fd, to) < 0)
		rc = err_set(e, err_io_code(errno), "%s/%s: %s", j->src, j->meta,
			     strerror(errno));
	if (srcfd >= 0)
		close(srcfd);
	return rc;
}

int
spool_release(struct spool *s, const struct job *j)
{
	char from[JOBID_LEN + 16];
	int srcfd;

	srcfd = openat(s->root_fd, j->src, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (srcfd < 0)
		return -1;
	/* Put back whatever half of a pair had moved, so nothing is stranded. */
	spool_qname(from, sizeof from, j->id, spool_input_part(j));
	renameat(s->queue_fd, from, srcfd, j->pdf);
	if ((j->kind == DROP_DOC || j->kind == DROP_DELETION) && j->meta[0]) {
		spool_qname(from, sizeof from, j->id, spool_meta_part(j));
		renameat(s->queue_fd, from, srcfd, j->meta);
	}
	close(srcfd);
	return 0;
}

int
spool_set_aside(struct spool *s, const char *id)
{
	char name[NAME_MAX + 1];
	struct dirent *d;
	DIR *dir;
	int cfd, rc = 0;

	if (mkdirat(s->root_fd, "corrupt", 0750) < 0 && errno != EEXIST)
		return -1;
	if ((cfd = openat(s->root_fd, "corrupt", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (!(dir = fs_opendir(s->queue_fd))) {
		close(cfd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL)
		if (strncmp(d->d_name, id, JOBID_LEN) == 0 && d->d_name[JOBID_LEN] == '.') {
			snprintf(name, sizeof name, "%s", d->d_name);
			rc |= renameat(s->queue_fd, name, cfd, name);
		}
	closedir(dir);
	close(cfd);
	return rc;
}

/* id_of - the job id a queue entry belongs to; 0 when it is not "<id>.<part>". */
static int
id_of(const char *name, char id[JOBID_LEN + 1])
{
	if (strlen(name) <= JOBID_LEN || name[JOBID_LEN] != '.')
		return 0;
	memcpy(id, name, JOBID_LEN);
	id[JOBID_LEN] = '\0';
	return jobid_valid(id);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
spool_queue_list(struct spool *s, char ***idsp, size_t *np)
{
	char **ids = NULL, id[JOBID_LEN + 1];
	size_t n = 0, cap = 0, i, k;
	struct dirent *d;
	DIR *dir;

	if (!(dir = fs_opendir(s->queue_fd))) {
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (!id_of(d->d_name, id))	/* temps: spool_clean_temps */
			continue;
		if (n == cap) {
			char **nv = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *ids);
			if (!nv)
				break;
			ids = nv;
		}
		if ((ids[n] = strdup(id)) != NULL)
			n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(ids, n, sizeof *ids, str_cmp);
	for (i = k = 0; i < n; i++) {	/* one entry per id */
		if (k > 0 && strcmp(ids[k - 1], ids[i]) == 0) {
			free(ids[i]);
			continue;
		}
		ids[k++] = ids[i];
	}
	*idsp = ids;
	*np = k;
	return 0;
}

int
spool_clean_temps(struct spool *s)
{
	int n = fs_clean_temps(s->queue_fd);

	if (n < 0)
		n = 0;
	/* done/ and failed/ belong to the administrators too: fs_clean_temps
	 * takes only names its own pattern makes (augment writes there) */
	return n + fs_clean_temps_under(s->done_fd, spool_pd_valid) +
	       fs_clean_temps_under(s->failed_fd, spool_pd_valid);
}
