/*
 * accept.c - the acceptance rule for a file sertel has just written (see
 * accept.h): the sign stage's own verification and `sertel augment`'s.
 */
#include <string.h>

#include "accept.h"

/* fault - why sig v (ours: the new one) rejects the file, or NULL. */
static const char *
fault(const struct verify_sig *v, int ours, int need_trust, int need_tst)
{
	if (v->integrity != VI_OK)
		return v->integrity_why;
	if (v->coverage == VC_INVALID || (ours && v->coverage != VC_WHOLE))
		return v->coverage_why[0] ? v->coverage_why : "the byte range does not cover the file";
	if (v->mods == VM_DISALLOWED || v->mods == VM_UNDECIDED || (ours && v->mods != VM_NONE))
		return v->mods_why[0] ? v->mods_why : "the new revision changes what it signs";
	if (ours && need_trust && v->trust != VT_TRUSTED)
		return v->trust_why;
	if (ours && need_tst && v->tst != VTS_VALID)
		return v->tst_why[0] ? v->tst_why : "the timestamp is missing";
	return NULL;
}

const struct verify_sig *
accept_find(const struct verify_report *r, const char *id)
{
	size_t i;

	for (i = r->nsig; i > 0; i--)
		if (!r->sig[i - 1].doc_timestamp && !strcmp(r->sig[i - 1].sertel_id, id))
			return &r->sig[i - 1];
	return NULL;
}

int
accept_signed(const struct verify_report *r, const char *id, int need_trust, int need_tst,
	      const struct verify_sig **ours, struct err *e)
{
	const struct verify_sig *v = accept_find(r, id);
	const char *why = NULL;
	size_t i, bad = r->nsig;	/* the signature that fails; nsig: ours, or the file */

	if (ours)
		*ours = NULL;
	if (v == NULL)
		why = r->why[0] ? r->why : "the new signature is not found in the signed file";
	else if (v != &r->sig[r->nsig - 1])
		why = "the new signature is not the last one in the signed file";
	for (i = 0; why == NULL && i < r->nsig; i++)
		if ((why = fault(&r->sig[i], i + 1 == r->nsig, need_trust, need_tst)) != NULL)
			bad = i;
	if (why == NULL && r->trailing)
		why = "bytes follow the new revision";
	if (why == NULL) {
		if (ours)
			*ours = v;
		return 0;
	}
	if (bad + 1 < r->nsig)
		return err_set(e, "pdf.signature_broken", "signature %zu of %zu (before this one): %s",
			       bad + 1, r->nsig, why);
	return err_set(e, "sign.unverified", "own verification of the signed file, signature %zu "
		       "of %zu: %s", r->nsig, r->nsig, why);
}
