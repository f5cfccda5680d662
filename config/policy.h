/*
 * policy.h - the approval policy part of sertel.yaml, for cfg_load.c: the
 * document types, the officials register and what each type requires (see
 * policy.c).
 */
#ifndef SERTEL_POLICY_H
#define SERTEL_POLICY_H

#include "cfg_part.h"

/*
 * policy_load_doctypes - document_types: name -> { title, min_parafs,
 * certify, parafs, signed_by, pds }, into L->c->doctypes.  Their references
 * to the officials are checked by policy_load_officials.
 */
void policy_load_doctypes(struct cfg_part *L, const struct ynode *root);
/*
 * policy_load_officials - officials: and the signers' roles/active into the
 * register L->c->officials, then the references of the document types to it.
 * Runs after the document types and the signers are loaded.
 */
void policy_load_officials(struct cfg_part *L, const struct ynode *root);
/* policy_free - what the two above allocated. */
void policy_free(struct cfg *c);

#endif
