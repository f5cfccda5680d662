/*
 * paraf.h - the approval rules (Lampiran I B): was this document paraf'd by
 * the officials its type requires, in the required order, on exactly these
 * bytes, before it was dropped, for a signer allowed to sign it?
 *
 * Pure policy over the configuration and a parsed sidecar: no PDF, no keys,
 * no clock of its own, so every rule is tested table-driven
 * (tests/unit/test_paraf.c).  The validate stage runs paraf_check;
 * `sertel paraf` uses paraf_official so that it refuses what the stage would.
 * Details are in Bahasa Indonesia: administrators read them.
 */
#ifndef SERTEL_PARAF_H
#define SERTEL_PARAF_H

#include <time.h>

#include "../../base/err.h"
#include "../../config/cfg.h"
#include "sidecar.h"

struct paraf_env {
	const struct cfg *cfg;
	const char *pd;			/* the document's PD (its drop folder); NULL: unknown */
	const unsigned char *sha256;	/* SHA-256 of the approved bytes */
	const char *pdf;		/* the document's file name, for messages */
	time_t now;			/* the time of the check: no paraf after it */
	time_t dropped;			/* when the document was dropped (claimed); 0: not dropped */
};

/*
 * paraf_check - every rule over sc, each violation appended to errs with its
 * code, field path and sidecar position.  Fields the sidecar parser already
 * refused (errs holds an error for them) are not judged again.
 *
 *   doctype.unknown, doctype.pd_not_allowed      the type, and the PD submitting it
 *   paraf.missing, paraf.duplicate, paraf.order  required roles: each once, in order
 *   paraf.official_unknown, .official_inactive,  each paraf: an active official
 *   .role_not_held, .pd_mismatch, .name_mismatch   holding the role in this PD
 *   paraf.hash_mismatch                          given on exactly these bytes
 *   paraf.time_future, paraf.time_after_drop     given before now and before the drop
 *   signer.unknown, .inactive, .not_allowed      the signer (its key: validate.c)
 */
void paraf_check(const struct paraf_env *env, const struct sidecar *sc, struct errs *errs);

/*
 * paraf_official - the official nip if they may paraf as role for a document
 * of pd (pd NULL: any); else NULL with every reason appended to errs at
 * field/at (paraf.official_unknown, .official_inactive, .role_not_held,
 * .pd_mismatch).
 */
const struct cfg_official *paraf_official(const struct cfg *c, const char *nip, const char *role,
					  const char *pd, const char *field, struct pos at,
					  struct errs *errs);

/* paraf_find_role - the index of the first paraf of sc given as role, or -1. */
int paraf_find_role(const struct sidecar *sc, const char *role);
/* paraf_role_index - the position of role in dt's required order, or -1. */
int paraf_role_index(const struct cfg_doctype *dt, const char *role);

#endif
