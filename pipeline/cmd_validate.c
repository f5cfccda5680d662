/*
 * cmd_validate.c - `sertel validate FILE.pdf [FILE.yaml] [--pd PD]`.
 *
 * Administrators pre-check a document before they drop it.  The checks are
 * the validate stage itself, run in this process over the same struct doc a
 * worker builds, so the answer here is the answer the pipeline gives
 * (except doc.duplicate, which is decided at commit time, and the drop time:
 * here a paraf only has to be in the past).  The PD is the one the document
 * will be dropped for: --pd, else the folder it is in, else its signer's.
 *
 * Exit: 0 signable, 1 refused, 66 no input.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "../base/exits.h"
#include "../config/cfg.h"
#include "../spool/fsutil.h"
#include "../stages/stage.h"
#include "cli.h"
#include "draft.h"
#include "keys.h"
#include "report.h"

#define USAGE "usage: sertel validate FILE.pdf [FILE.yaml] [--pd PD]\n"

/* signer_of - the signer the sidecar names, parsed once just for that (or NULL). */
static char *
signer_of(const char *meta, size_t len)
{
	struct sidecar sc;
	struct errs l;
	char *s;

	memset(&l, 0, sizeof l);
	sidecar_parse(meta, len, &sc, &l);
	s = sc.signer ? strdup(sc.signer) : NULL;
	sidecar_free(&sc);
	return s;
}

/* verdict - print the outcome as a person reads it; 0 signable, 1 refused. */
static int
verdict(struct doc *d, struct job *j, const char *how)
{
	if (d->errs.n == 0 && d->errs.dropped == 0) {
		printf("OK: %s dapat ditandatangani oleh %s (%s, %zu paraf).\n", j->pdf,
		       d->signers->cfg[d->signer].name, d->sc.type, d->sc.nparafs);
		printf("PD %s (%s)%s.\n", j->pd[0] ? j->pd : "-", how, d->embedded ? "; metadata paraf dari lampiran "
		       SPOOL_EMBEDDED_NAME " di dalam PDF" : "");
		return 0;
	}
	printf("# PD %s (%s); gunakan --pd PD bila dokumen akan diunggah ke folder PD lain.\n",
	       j->pd[0] ? j->pd : "-", how);
	report_print(stdout, j, STEP_VALIDATE, &d->errs, d->now);
	return EX_REFUSED;
}

/* has_code - some violation in l has code. */
static int
has_code(const struct errs *l, const char *code)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].code && !strcmp(l->v[i].code, code))
			return 1;
	return 0;
}

/* reset - d as before the stage ran (meta back to the sidecar file's, or NULL). */
static void
reset(struct doc *d, const char *meta, size_t metalen)
{
	doc_clear(d);
	memset(d->out, 0, sizeof *d->out);
	d->meta = meta;
	d->metalen = metalen;
}

/*
 * run - the validate stage over the mapped PDF and its sidecar (d->meta
 * NULL: the one attached to the PDF).  When the PD could not be chosen
 * before (metadata inside the PDF, the draft outside any PD folder), it is
 * the signer's and the stage runs again with it.
 */
static int
run(struct cfg *c, struct job *j, struct doc *d, const char *how, const char *pdf)
{
	const unsigned char *in = d->pdf;
	const char *meta = d->meta;
	size_t len = d->len, metalen = d->metalen;
	struct signer_set signers;
	struct stage_env env;
	struct err e;
	struct outcome out;
	char pd[PD_MAX];
	int rc;

	memset(&out, 0, sizeof out);
	memset(&env, 0, sizeof env);
	/* the draft is parsed here: its keys stay in a key process, as in a run */
	if (keys_certs(c, &signers, &e) < 0) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		signers_free(&signers);
		return EX_TEMPFAIL;
	}
	signers_misnamed(&signers, &e);	/* refused as the run would: signer.identity */
	env.cfg = c;
	env.signers = &signers;
	if ((env.ctx = fz_new_context(NULL, NULL, 64 << 20)) == NULL) {
		fprintf(stderr, "sertel: cannot create a MuPDF context\n");
		signers_free(&signers);
		return EX_SOFTWARE;
	}
	fz_set_warning_callback(env.ctx, NULL, NULL);
	fz_set_error_callback(env.ctx, NULL, NULL);
	/* the mark too (a missing anchor is the drafter's to fix), but no
	 * signing: no TSA client */
	stage_mark.init(&env);
	stage_validate.init(&env);	/* the certificate registry, as a worker reads it */
	doc_init(d, &env, j, &out, time(NULL));
	d->pdf = in;
	d->len = len;
	reset(d, meta, metalen);
	stage_validate.run(d);
	if (!how && d->sc.signer && (how = draft_pd(c, pdf, NULL, d->sc.signer, pd, sizeof pd))) {
		snprintf(j->pd, sizeof j->pd, "%s", pd);
		reset(d, meta, metalen);
		stage_validate.run(d);
	}
	if (d->errs.n == 0 && !d->errs.dropped)
		stage_mark.run(d);
	if (!d->meta && has_code(&d->errs, "sidecar.missing") && d->pdoc) {
		fprintf(stderr, "sertel: %s.yaml: No such file or directory, and %s carries no "
			"attached %s (the paraf metadata; name it as the second argument if it "
			"is elsewhere)\n", j->stem, j->pdf, SPOOL_EMBEDDED_NAME);
		rc = EX_NOINPUT;
	} else {
		rc = verdict(d, j, how ? how : "tidak diketahui: PD pemberi paraf tidak diperiksa");
	}
	reset(d, NULL, 0);
	stage_validate.fini(&env);
	stage_mark.fini(&env);
	fz_drop_context(env.ctx);
	signers_free(&signers);
	return rc;
}

int
cmd_validate(int argc, char **argv)
{
	struct cfg *c = cli_config();
	static const struct option lo[] = {
		{ "pd", required_argument, NULL, 'p' }, { NULL, 0, NULL, 0 },
	};
	char yaml[PATH_MAX], pd[PD_MAX], *meta = NULL, *signer = NULL, *path;
	const char *opt_pd = NULL, *how;
	size_t metalen = 0;
	struct job j;
	struct doc d;
	int rc = EX_NOINPUT, ch, named;

	optind = 0;	/* main.c ran getopt_long already: start afresh */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (ch != 'p')
			goto usage;
		opt_pd = optarg;
	}
	if (argc - optind < 1 || argc - optind > 2)
		goto usage;
	if (opt_pd && !spool_pd_valid(opt_pd)) {
		fprintf(stderr, "sertel: --pd '%s' is not a PD folder name (a-z, 0-9, '_', '-')\n",
			opt_pd);
		cfg_free(c);
		return EX_USAGE;
	}
	path = argv[optind];
	named = argc - optind == 2;
	if (named)
		snprintf(yaml, sizeof yaml, "%s", argv[optind + 1]);
	else
		draft_sidecar_path(path, yaml, sizeof yaml);
	memset(&d, 0, sizeof d);
	memset(&j, 0, sizeof j);
	snprintf(j.id, sizeof j.id, "-");
	j.kind = DROP_DOC;
	snprintf(j.pdf, sizeof j.pdf, "%s", basename(path));
	snprintf(j.stem, sizeof j.stem, "%.*s", (int)(strlen(j.pdf) > 4 ? strlen(j.pdf) - 4 : 0),
		 j.pdf);
	if (fs_map(AT_FDCWD, path, 0, &d.pdf, &d.len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", path, strerror(errno));
		cfg_free(c);
		return EX_NOINPUT;
	}
	if (fs_read_all(AT_FDCWD, yaml, 1 << 20, &meta, &metalen) == 0) {
		snprintf(j.meta, sizeof j.meta, "%s", basename(yaml));
		d.meta = meta;
		d.metalen = metalen;
		signer = signer_of(meta, metalen);
	} else if (named || errno != ENOENT) {
		fprintf(stderr, "sertel: %s: %s (the paraf metadata; name it as the second argument "
			"if it is elsewhere)\n", yaml, strerror(errno));
		goto out;
	}
	/* with the metadata inside the PDF, its signer is known only after the stage:
	 * the PD then comes from --pd or the folder */
	how = draft_pd(c, path, opt_pd, signer, pd, sizeof pd);
	snprintf(j.pd, sizeof j.pd, "%s", how ? pd : "");
	rc = run(c, &j, &d, how, path);
out:
	free(meta);
	free(signer);
	fs_unmap(d.pdf, d.len);
	cfg_free(c);
	return rc;
usage:
	fprintf(stderr, USAGE);
	cfg_free(c);
	return EX_USAGE;
}
