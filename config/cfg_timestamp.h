/*
 * cfg_timestamp.h - the timestamp: part of sertel.yaml, for cfg_load.c (see
 * cfg_timestamp.c).
 */
#ifndef SERTEL_CFG_TIMESTAMP_H
#define SERTEL_CFG_TIMESTAMP_H

#include "cfg_part.h"

/*
 * cfg_timestamp_load - timestamp: the TSAs, their trust anchors and the
 * imprint hash, into L->c->timestamp.  Runs after limits: are loaded (the TSA
 * timeouts must fit in limits.doc_timeout_seconds).
 */
void cfg_timestamp_load(struct cfg_part *L, const struct ynode *root);
/* cfg_timestamp_free - what cfg_timestamp_load allocated, and the default hash. */
void cfg_timestamp_free(struct cfg_timestamp *t);

#endif
