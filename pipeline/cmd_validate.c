/*
 * cmd_validate.c - `sertel validate FILE.pdf [FILE.yaml]`.
 *
 * Administrators pre-check a document before they drop it.  The checks are
 * the validate stage itself, run in this process over the same struct doc a
 * worker builds, so the answer here is the answer the pipeline gives
 * (except doc.duplicate, which is decided at commit time).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/cfg.h"
#include "../spool/fsutil.h"
#include "../stages/mark.h"
#include "../stages/stage.h"
#include "cmd_validate.h"
#include "report.h"

/* sidecar_path - FILE.yaml (or .yml) next to FILE.pdf. */
static void
sidecar_path(const char *pdf, char *out, size_t cap)
{
	size_t n = strlen(pdf);

	if (n > 4 && strcasecmp(pdf + n - 4, ".pdf") == 0)
		n -= 4;
	snprintf(out, cap, "%.*s.yaml", (int)n, pdf);
	if (access(out, F_OK) != 0)
		snprintf(out, cap, "%.*s.yml", (int)n, pdf);
}

/* map_file - the whole file read-only; *len 0 maps nothing. */
static int
map_file(const char *path, const unsigned char **p, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		errno = fd < 0 ? errno : EINVAL;
		return -1;
	}
	*len = (size_t)st.st_size;
	*p = (const unsigned char *)"";
	if (*len > 0) {
		void *m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			close(fd);
			return -1;
		}
		*p = m;
	}
	close(fd);
	return 0;
}

/* verdict - print the outcome as a person reads it; 0 signable, 1 refused. */
static int
verdict(struct doc *d, struct job *j)
{
	if (d->errs.n == 0 && d->errs.dropped == 0) {
		printf("OK: %s dapat ditandatangani oleh %s (%s, %zu paraf).\n", j->pdf,
		       d->signers->cfg[d->signer].name, d->sc.type, d->sc.nparafs);
		return 0;
	}
	report_print(stdout, j, stage_validate.nama, &d->errs, d->now);
	return 1;
}

int
cmd_validate(struct cfg *c, int argc, char **argv)
{
	char yaml[PATH_MAX], *meta = NULL, *dir;
	struct signer_set signers;
	struct outcome out;
	size_t metalen = 0;
	struct job j;
	struct doc d;
	int rc = 66;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sertel validate FILE.pdf [FILE.yaml]\n");
		cfg_free(c);
		return 64;
	}
	if (argc == 3)
		snprintf(yaml, sizeof yaml, "%s", argv[2]);
	else
		sidecar_path(argv[1], yaml, sizeof yaml);
	memset(&d, 0, sizeof d);
	memset(&j, 0, sizeof j);
	memset(&out, 0, sizeof out);
	snprintf(j.id, sizeof j.id, "-");
	snprintf(j.pd, sizeof j.pd, "-");
	snprintf(j.pdf, sizeof j.pdf, "%s", basename(argv[1]));
	snprintf(j.meta, sizeof j.meta, "%s", basename(yaml));
	if (map_file(argv[1], &d.pdf, &d.len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", argv[1], strerror(errno));
		cfg_free(c);
		return 66;
	}
	dir = strdup(yaml);
	if (!dir || fs_read_all(AT_FDCWD, yaml, 1 << 20, &meta, &metalen) < 0) {
		fprintf(stderr, "sertel: %s: %s (the paraf metadata; name it as the second "
			"argument if it is elsewhere)\n", yaml, strerror(errno));
		goto out;
	}
	signers_load(c, &signers);
	d.cfg = c;
	d.signers = &signers;
	d.ctx = fz_new_context(NULL, NULL, 64 << 20);
	d.job = &j;
	d.out = &out;
	d.now = time(NULL);
	d.signer = -1;
	d.meta = meta;
	d.metalen = metalen;
	if (!d.ctx) {
		fprintf(stderr, "sertel: cannot create a MuPDF context\n");
		rc = 70;
	} else {
		/* the mark too: a missing anchor is the drafter's to fix */
		d.marks = mark_cache_new();
		if (stage_validate.run(&d) == 0)
			stage_mark.run(&d);
		rc = verdict(&d, &j);
	}
	mark_plan_free(d.ctx, d.mark);
	mark_cache_free(d.ctx, d.marks);
	pdf_drop_document(d.ctx, d.pdoc);
	fz_drop_context(d.ctx);
	sidecar_free(&d.sc);
	signers_free(&signers);
out:
	free(dir);
	free(meta);
	if (d.len > 0)
		munmap((void *)d.pdf, d.len);
	cfg_free(c);
	return rc;
}
