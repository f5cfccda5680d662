/*
 * accept.h - sign, then verify, then release: whether a file sertel has just
 * written (signed by the sign stage, or timestamped by `sertel augment`) may
 * leave, judged on its verification report.  One rule for both.
 *
 * The new signature (found by its /SertelID; a document timestamp never is
 * one) must be the last signature of the file, intact, cover the whole file
 * and see no later change; it must chain to the anchors when trust is
 * required and carry a valid signature timestamp when one is required (B-T).
 * Every earlier signature must still be intact and see only allowed changes
 * (an earlier signature from a CA sertel does not know is not this
 * document's fault: its trust is not judged).  No bytes may follow the last
 * revision.
 */
#ifndef SERTEL_ACCEPT_H
#define SERTEL_ACCEPT_H

#include "../../base/err.h"
#include "verify.h"

/*
 * accept_signed - 0 when r, the verification of a file just written with
 * the signature of document id, may be released; *ours (when not NULL)
 * then points at that signature in r (e.g. for its timestamp's time).
 * Else -1 with e: pdf.signature_broken when an earlier signature fails (it
 * was broken before sertel came: the drafter must fetch the intact file),
 * sign.unverified when the new signature or the file fails (a server
 * fault).
 */
int accept_signed(const struct verify_report *r, const char *id, int need_trust, int need_tst,
		  const struct verify_sig **ours, struct err *e);

/* accept_find - the signature sertel made for document id in r (the last such), or NULL. */
const struct verify_sig *accept_find(const struct verify_report *r, const char *id);

#endif
