/*
 * draft.c - a draft on an administrator's disk (see draft.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/cfg.h"
#include "../spool/spool.h"
#include "draft.h"

void
draft_sidecar_path(const char *pdf, char *out, size_t cap)
{
	size_t n = strlen(pdf);

	if (n > 4 && strcasecmp(pdf + n - 4, ".pdf") == 0)
		n -= 4;
	snprintf(out, cap, "%.*s.yaml", (int)n, pdf);
	if (access(out, F_OK) != 0) {
		snprintf(out, cap, "%.*s.yml", (int)n, pdf);
		if (access(out, F_OK) != 0)	/* neither: name the one to create */
			snprintf(out, cap, "%.*s.yaml", (int)n, pdf);
	}
}

/* pd_known - some official, signer or document type of c names pd. */
static int
pd_known(const struct cfg *c, const char *pd)
{
	size_t i;

	for (i = 0; i < c->nofficials; i++)
		if (cfg_strs_has(&c->officials[i].pds, pd))
			return 1;
	for (i = 0; i < c->ndoctypes; i++)
		if (cfg_strs_has(&c->doctypes[i].pds, pd))
			return 1;
	return 0;
}

/* folder_of - the name of the folder holding path (resolved), or "". */
static void
folder_of(const char *path, char *out, size_t cap)
{
	char abs[PATH_MAX], *slash;

	out[0] = '\0';
	if (!realpath(path, abs) || !(slash = strrchr(abs, '/')))
		return;
	*slash = '\0';
	if ((slash = strrchr(abs, '/')))
		snprintf(out, cap, "%s", slash + 1);
}

const char *
draft_pd(const struct cfg *c, const char *pdf, const char *opt, const char *signer, char *out,
	 size_t cap)
{
	const struct cfg_signer *s;
	char dir[NAME_MAX + 1];

	out[0] = '\0';
	if (opt) {
		snprintf(out, cap, "%s", opt);
		return "dari --pd";
	}
	folder_of(pdf, dir, sizeof dir);
	if (dir[0] && spool_pd_valid(dir) && pd_known(c, dir)) {
		snprintf(out, cap, "%s", dir);
		return "dari nama folder berkas";
	}
	if ((s = cfg_signer_find(c, signer)) && s->pd) {
		snprintf(out, cap, "%s", s->pd);
		return "PD penandatangan";
	}
	return NULL;
}
