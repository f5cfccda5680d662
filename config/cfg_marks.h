/*
 * cfg_marks.h - the marks: part of sertel.yaml, for cfg_load.c (see
 * cfg_marks.c).
 */
#ifndef SERTEL_CFG_MARKS_H
#define SERTEL_CFG_MARKS_H

#include "cfg_part.h"

/*
 * cfg_marks_load - marks: profiles, then the rules that pick one per
 * document, into L->c->marks.  Runs after the document types and the signers
 * are loaded (the rules name them).
 */
void cfg_marks_load(struct cfg_part *L, const struct ynode *root);
/* cfg_marks_free - what cfg_marks_load allocated. */
void cfg_marks_free(struct cfg_marks *mk);

#endif
