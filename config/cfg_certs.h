/*
 * cfg_certs.h - the certs: part of sertel.yaml, for cfg_load.c (see
 * cfg_certs.c).
 */
#ifndef SERTEL_CFG_CERTS_H
#define SERTEL_CFG_CERTS_H

#include "cfg_part.h"

/*
 * cfg_certs_load - certs: the official e-mail domain of certificate
 * applications and the verifikators' NIPs, into L->c->certs.
 */
void cfg_certs_load(struct cfg_part *L, const struct ynode *root);
void cfg_certs_free(struct cfg_certs *r);

#endif
