/*
 * cfg_deletion.h - the deletion: part of sertel.yaml, for cfg_load.c (see
 * cfg_deletion.c).
 */
#ifndef SERTEL_CFG_DELETION_H
#define SERTEL_CFG_DELETION_H

#include "cfg_part.h"

/*
 * cfg_deletion_load - deletion: who may file a berita acara (officer roles),
 * the Diskominfo service signer, the numbering format and the letterhead,
 * into L->c->deletion.  Runs after the officials are loaded (the roles must
 * be held, the signer must be one).
 */
void cfg_deletion_load(struct cfg_part *L, const struct ynode *root);
void cfg_deletion_free(struct cfg_deletion *d);

#endif
