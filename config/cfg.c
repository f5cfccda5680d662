/*
 * cfg.c - the lookups of a loaded configuration (see cfg.h).
 *
 * Owns: the answers the rest of sertel asks of struct cfg (who is this NIP,
 * what does this document type allow, which mark does this document get) and
 * the NIP/NIK format rule.  Loading is cfg_load.c's; this file only reads, so
 * the loader and every part loader may call it and it calls none of them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/nip.h"
#include "cfg.h"

int
cfg_nip_check(const char *id, char *why, size_t whylen)
{
	/* structure, not just length: birth date, appointment, sex digit, region */
	return nip_check(id, time(NULL), why, whylen) == NIP_INVALID ? -1 : 0;
}

int
cfg_is_nip(const char *s)
{
	return s[0] && strspn(s, "0123456789") == strlen(s);
}

const struct cfg_signer *
cfg_signer_find(const struct cfg *c, const char *nip)
{
	size_t i;

	for (i = 0; c && nip && i < c->nsigners; i++)
		if (c->signers[i].nip && !strcmp(c->signers[i].nip, nip))
			return &c->signers[i];
	return NULL;
}

const struct cfg_doctype *
cfg_doctype_find(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->ndoctypes; i++)
		if (c->doctypes[i].name && !strcmp(c->doctypes[i].name, name))
			return &c->doctypes[i];
	return NULL;
}

/* ---- the officials register and document types (built by policy.c) ------ */

int
cfg_strs_has(const struct cfg_strs *l, const char *s)
{
	size_t i;

	for (i = 0; s && i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

const struct cfg_official *
cfg_official_find(const struct cfg *c, const char *nip)
{
	size_t i;

	for (i = 0; c && nip && i < c->nofficials; i++)
		if (c->officials[i].nip && !strcmp(c->officials[i].nip, nip))
			return &c->officials[i];
	return NULL;
}

int
cfg_official_in_pd(const struct cfg_official *o, const char *pd)
{
	return cfg_strs_has(&o->pds, "*") || cfg_strs_has(&o->pds, pd);
}

int
cfg_doctype_may_sign(const struct cfg_doctype *dt, const struct cfg_official *o)
{
	size_t i;

	if (dt->signed_by.n == 0)
		return 1;
	for (i = 0; i < dt->signed_by.n; i++)
		if (cfg_is_nip(dt->signed_by.v[i]) ? o->nip && !strcmp(o->nip, dt->signed_by.v[i])
						   : cfg_strs_has(&o->roles, dt->signed_by.v[i]))
			return 1;
	return 0;
}

int
cfg_doctype_from_pd(const struct cfg_doctype *dt, const char *pd)
{
	return dt->pds.n == 0 || cfg_strs_has(&dt->pds, pd);
}

const char *
cfg_strs_join(const struct cfg_strs *l, const char *sep, const char *none, char *buf, size_t cap)
{
	size_t i, len = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (l->n == 0)
		snprintf(buf, cap, "%s", none);
	for (i = 0; i < l->n && len < cap; i++) {
		int k = snprintf(buf + len, cap - len, "%s%s", i ? sep : "", l->v[i]);
		len += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

/* ---- marks (built by cfg_marks.c) ---------------------------------------- */

int
cfg_mark_has(const struct cfg_mark *m, enum cfg_mark_kind k)
{
	int i;

	for (i = 0; i < m->nkinds; i++)
		if (m->kind[i] == k)
			return 1;
	return 0;
}

/* mark_rule - the rule for key: 1 with *profile set, 0 when there is none. */
static int
mark_rule(const struct cfg_mark_rule *r, size_t n, const char *key, int *profile)
{
	size_t i;

	for (i = 0; key && i < n; i++)
		if (!strcmp(r[i].key, key)) {
			*profile = r[i].profile;
			return 1;
		}
	return 0;
}

const struct cfg_mark *
cfg_mark_for(const struct cfg *c, const char *type, const char *signer)
{
	const struct cfg_marks *mk = &c->marks;
	int p = mk->dflt;

	if (!mark_rule(mk->by_signer, mk->nsigner, signer, &p))
		mark_rule(mk->by_type, mk->ntype, type, &p);
	return p >= 0 && (size_t)p < mk->nprofiles ? &mk->profiles[p] : NULL;
}
