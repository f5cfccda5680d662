/*
 * upload_rest.c - recognising the rest of a cut-off upload (see upload_rest.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/text.h"
#include "../db/db.h"
#include "upload_rest.h"

/* stem_of - name without .pdf, .yaml or .yml. */
static void
stem_of(const char *name, char *out, size_t cap)
{
	static const char *const ext[] = { ".pdf", ".yaml", ".yml" };
	size_t len = strlen(name), i, k;

	snprintf(out, cap, "%s", name);
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		k = strlen(ext[i]);
		if (len > k && !strcmp(name + len - k, ext[i]) && len - k < cap) {
			out[len - k] = '\0';
			return;
		}
	}
}

/*
 * starts_with - 1 when the file fd begins with the bytes of the file pfd
 * (all of them), 0 when not, -1 when either cannot be read.
 */
static int
starts_with(int fd, int pfd)
{
	char a[65536], b[65536];
	ssize_t n, m;
	off_t at = 0;

	for (;;) {
		if ((n = pread(pfd, b, sizeof b, at)) < 0)
			return -1;
		if (n == 0)
			return at > 0;	/* an empty refused file is no one's beginning */
		if ((m = pread(fd, a, (size_t)n, at)) < 0)
			return -1;
		if (m != n || memcmp(a, b, (size_t)n))
			return 0;
		at += n;
	}
}

/* kind - what the lone PDF fd is to the refused upload r (whose PDF may still be in failed/<pd>/). */
static enum upload_rest
kind(struct spool *s, int fd, const struct db_refusal *r)
{
	char head[5], path[PATH_MAX];
	int pfd, same;

	if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
	    memcmp(head, "%PDF-", sizeof head))
		return REST_TAIL;
	if (!r->delivered[0])
		return REST_NONE;
	snprintf(path, sizeof path, "%s/%s.pdf", r->pd, r->delivered);
	if ((pfd = openat(s->failed_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return REST_NONE;	/* removed: whether it is the same file cannot be told */
	same = starts_with(fd, pfd);
	close(pfd);
	return same == 1 ? REST_WHOLE : REST_NONE;
}

/* classify - d's kind of rest given the refusal r. */
static enum upload_rest
classify(struct spool *s, const struct drop *d, const struct db_refusal *r)
{
	char path[PATH_MAX];
	enum upload_rest k;
	int fd;

	if (strcmp(d->reject_code, "sidecar.missing"))
		return REST_SIDECAR;	/* input.unpaired: a sidecar */
	snprintf(path, sizeof path, "%s/%s", d->dir[0] ? d->dir : d->pd, d->pdf);
	if ((fd = openat(s->incoming_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return REST_NONE;
	k = kind(s, fd, r);
	close(fd);
	return k;
}

enum upload_rest
upload_rest_of(struct db *db, struct spool *s, const struct drop *d, long long since,
	       struct db_refusal *earlier)
{
	char stem[NAME_MAX + 1];
	struct err e;

	if (d->kind != DROP_REJECT || !d->reject_code ||
	    (strcmp(d->reject_code, "sidecar.missing") && strcmp(d->reject_code, "input.unpaired")))
		return REST_NONE;
	stem_of(d->pdf, stem, sizeof stem);
	if (db_refusal_incomplete(db, d->pd, stem, since, earlier, &e) != 1)
		return REST_NONE;
	return classify(s, d, earlier);
}

void
upload_rest_detail(struct db *db, struct spool *s, const struct job *j, long long since,
		   char *buf, size_t cap)
{
	char stem[NAME_MAX + 1], when[40], q[JOBID_LEN + 16];
	size_t len = strlen(j->pdf);
	enum upload_rest k = REST_SIDECAR;
	struct db_refusal r;
	struct err e;
	int fd;

	stem_of(j->pdf, stem, sizeof stem);
	if (db_refusal_incomplete(db, j->pd, stem, since, &r, &e) != 1) {
		snprintf(buf, cap, "%s/%s: sisa unggahan yang terputus", j->pd, j->pdf);
		return;
	}
	/* what it is, read where it lies now: queue/<id>.file */
	if (len > 4 && !strcmp(j->pdf + len - 4, ".pdf")) {
		spool_qname(q, sizeof q, j->id, spool_input_part(j));
		k = REST_NONE;
		if ((fd = openat(s->queue_fd, q, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
			k = kind(s, fd, &r);
			close(fd);
		}
	}
	text_time_wib(when, sizeof when, (time_t)r.finished_at);
	snprintf(buf, cap, "%s/%s: %s unggahan %s yang terputus; unggahan itu (%lld byte) "
		 "ditolak sebagai pdf.incomplete pada %s, id_proses %s (failed/%s/%s.pdf)",
		 j->pd, j->pdf,
		 k == REST_WHOLE ? "PDF ini diawali bagian yang sudah diterima dari" :
		 k == REST_TAIL ? "berkas ini bukan awal sebuah PDF, hanya kelanjutan dari" :
		 k == REST_SIDECAR ? "metadata paraf ini datang sendiri setelah" : "kelanjutan dari",
		 r.file, r.size, when, r.id, r.pd, r.delivered[0] ? r.delivered : stem);
}
