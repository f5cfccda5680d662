/*
 * cfg_notify.h - the notify: part of sertel.yaml, for cfg_load.c (see
 * cfg_notify.c).
 */
#ifndef SERTEL_CFG_NOTIFY_H
#define SERTEL_CFG_NOTIFY_H

#include "cfg_part.h"

/* cfg_notify_load - notify: the SMTP server, the sender and each PD's contacts, into L->c->notify. */
void cfg_notify_load(struct cfg_part *L, const struct ynode *root);
void cfg_notify_free(struct cfg_notify *n);
/* cfg_notify_for - the contacts of pd, or NULL when it has none. */
const struct cfg_strs *cfg_notify_for(const struct cfg *c, const char *pd);

#endif
