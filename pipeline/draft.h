/*
 * draft.h - a draft on an administrator's disk, for `sertel validate` and
 * `sertel paraf`: where its sidecar is, and which PD it is meant for.
 */
#ifndef SERTEL_DRAFT_H
#define SERTEL_DRAFT_H

#include <stddef.h>

struct cfg;

/* draft_sidecar_path - FILE.yaml next to FILE.pdf (FILE.yml when only that exists). */
void draft_sidecar_path(const char *pdf, char *out, size_t cap);

/*
 * draft_pd - the PD a draft will be dropped for: opt (--pd) when given, else
 * the name of the folder holding pdf when the configuration knows that PD
 * (incoming/<pd>/), else the PD of signer when it is a configured signer.
 * Writes it to out and returns how it was chosen, in Bahasa Indonesia, for
 * the administrator; returns NULL (out "") when none applies.
 */
const char *draft_pd(const struct cfg *c, const char *pdf, const char *opt, const char *signer,
		     char *out, size_t cap);


#endif
