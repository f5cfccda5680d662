/*
 * policy.h - the approval policy part of sertel.yaml, for cfg.c only: the
 * officials register and what each document type requires (see policy.c).
 */
#ifndef SERTEL_POLICY_H
#define SERTEL_POLICY_H

#include "cfg.h"
#include "ytree.h"

/*
 * policy_load_doctype - the keys of document_types.<name> beyond title and
 * min_parafs (parafs, signed_by, pds); settles min_parafs's default.  map is
 * the type's mapping, path its field path.
 */
void policy_load_doctype(struct yctx *x, const struct ynode *map, const char *path,
			 struct cfg_doctype *dt);
/*
 * policy_load_officials - officials: and the signers' roles/active into the
 * register c->officials, then the references of the document types to it.
 * Runs after the signers are loaded.
 */
void policy_load_officials(struct yctx *x, struct cfg *c, const struct ynode *root);
/* policy_free - what the two above allocated. */
void policy_free(struct cfg *c);

#endif
