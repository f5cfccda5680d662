/*
 * cfg_pds.h - the pds: and spool_group: parts of sertel.yaml, for
 * cfg_load.c (see cfg_pds.c).
 */
#ifndef SERTEL_CFG_PDS_H
#define SERTEL_CFG_PDS_H

#include "cfg_part.h"

/* cfg_pds_load - pds: (codes, or maps of code and group) and spool_group:, into L->c. */
void cfg_pds_load(struct cfg_part *L, const struct ynode *root);
void cfg_pds_free(struct cfg *c);

#endif
