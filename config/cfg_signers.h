/*
 * cfg_signers.h - the signers: part of sertel.yaml, for cfg_load.c (see
 * cfg_signers.c).
 */
#ifndef SERTEL_CFG_SIGNERS_H
#define SERTEL_CFG_SIGNERS_H

#include "cfg_part.h"

/* cfg_signers_load - signers: a non-empty list, into L->c->signers. */
void cfg_signers_load(struct cfg_part *L, const struct ynode *root);
/* cfg_signers_free - what cfg_signers_load allocated. */
void cfg_signers_free(struct cfg *c);

#endif
